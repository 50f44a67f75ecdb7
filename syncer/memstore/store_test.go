package memstore_test

import (
	"testing"
	"time"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
	"github.com/hubwise/hubwise/syncer/storetest"
)

func open(_ testing.TB, clock func() time.Time) syncer.StateStore {
	return memstore.New(&memstore.Options{Clock: clock, PageSize: 64})
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open, nil)
}

func TestConformanceDefaultPageSize(t *testing.T) {
	storetest.Run(t, func(_ testing.TB, clock func() time.Time) syncer.StateStore {
		return memstore.New(&memstore.Options{Clock: clock})
	}, nil)
}

func TestNewNilOptions(t *testing.T) {
	if memstore.New(nil) == nil {
		t.Fatal("New(nil) returned nil")
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Benchmark(b, open)
}

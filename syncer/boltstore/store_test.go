package boltstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/boltstore"
	"github.com/hubwise/hubwise/syncer/storetest"
)

func openAt(tb testing.TB, path string, clock func() time.Time) *boltstore.Store {
	tb.Helper()
	s, err := boltstore.Open(path, &boltstore.Options{Clock: clock, PageSize: 64})
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

func open(tb testing.TB, clock func() time.Time) syncer.StateStore {
	return openAt(tb, filepath.Join(tb.TempDir(), "state.db"), clock)
}

func reopen(tb testing.TB, s syncer.StateStore, clock func() time.Time) syncer.StateStore {
	bs := s.(*boltstore.Store)
	require.NoError(tb, bs.Close())
	return openAt(tb, bs.Path(), clock)
}

func TestConformance(t *testing.T) {
	storetest.Run(t, open, &storetest.Options{Reopen: reopen})
}

func BenchmarkStore(b *testing.B) {
	storetest.Benchmark(b, open)
}

package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// Benchmark measures a driver: Commit of a 100-link batch, single lookups in
// both directions, a 100-ID bulk lookup and a full listing, against 10,000
// stored links. open
// gets the wall clock.
func Benchmark(b *testing.B, open OpenFunc) {
	const stored = 10_000
	base := make([]byte, 256) // a realistic encoded snapshot
	for i := range base {
		base[i] = byte('a' + i%26)
	}
	ctx := context.Background()
	seed := func(b *testing.B) syncer.StateStore {
		s := open(b, time.Now)
		for start := 0; start < stored; start += 1000 {
			batch := new(syncer.Batch)
			for i := start; i < start+1000; i++ {
				batch.PutLink(syncer.Link{Object: "contacts", HubSpotID: fmt.Sprint(900000 + i), ConnectWiseID: int64(i + 1), Base: base})
			}
			if err := s.Commit(ctx, "bench", batch); err != nil {
				b.Fatal(err)
			}
		}
		return s
	}
	b.Run("Commit100Links", func(b *testing.B) {
		s := seed(b)
		batches := make([]*syncer.Batch, b.N)
		for n := range batches {
			batch := new(syncer.Batch)
			for i := range 100 {
				id := int64(stored + 1 + n*100 + i)
				batch.PutLink(syncer.Link{Object: "contacts", HubSpotID: fmt.Sprint("hs", id), ConnectWiseID: id, Base: base})
			}
			batch.PutCursor("contacts/connectwise", fmt.Sprint(n))
			batches[n] = batch
		}
		b.ReportAllocs()
		b.ResetTimer()
		for n := range b.N {
			if err := s.Commit(ctx, "bench", batches[n]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LinkByHubSpotID", func(b *testing.B) {
		s := seed(b)
		ids := make([]string, 1024)
		for i := range ids {
			ids[i] = fmt.Sprint(900000 + (i*7919)%stored)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for n := range b.N {
			if _, err := s.LinkByHubSpotID(ctx, "bench", "contacts", ids[n%len(ids)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LinkByConnectWiseID", func(b *testing.B) {
		s := seed(b)
		b.ReportAllocs()
		b.ResetTimer()
		for n := range b.N {
			if _, err := s.LinkByConnectWiseID(ctx, "bench", "contacts", int64(1+(n*7919)%stored)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ListLinks10k", func(b *testing.B) {
		s := seed(b)
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			n := 0
			for _, err := range s.ListLinks(ctx, "bench", "contacts", nil) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != stored {
				b.Fatal(n)
			}
		}
	})
	b.Run("LinksByHubSpotIDs100", func(b *testing.B) {
		s := seed(b)
		ids := make([]string, 100)
		for i := range ids {
			ids[i] = fmt.Sprint(900000 + (i*97)%stored)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			m, err := s.LinksByHubSpotIDs(ctx, "bench", "contacts", ids)
			if err != nil || len(m) != 100 {
				b.Fatal(len(m), err)
			}
		}
	})
}

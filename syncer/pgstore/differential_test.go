package pgstore_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
	"github.com/hubwise/hubwise/syncer/pgstore"
)

// TestLinkBatchesMatchMemstore commits the same random link batches to this
// store and to memstore and requires the same outcome: the same failing
// operation (or none) and the same links afterwards. Batches are dense with
// conflicts, relinks and runs of puts, so both the single-put and the bulk
// path (bulk.go) are exercised against the reference driver.
func TestLinkBatchesMatchMemstore(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 123456789, time.UTC) }
	pg := open(t, clock)
	mem := memstore.New(&memstore.Options{Clock: clock})
	rng := rand.New(rand.NewPCG(7, 11))
	objects := []string{"companies", "contacts"}
	space := 8
	link := func() syncer.Link {
		l := syncer.Link{Object: objects[rng.IntN(2)], HubSpotID: fmt.Sprint("h", rng.IntN(space)), ConnectWiseID: int64(1 + rng.IntN(space))}
		if stored := links(t, mem, l.Object); len(stored) > 0 && rng.IntN(3) == 0 {
			// Replace a stored link (same pair, new values).
			old := stored[rng.IntN(len(stored))]
			l.HubSpotID, l.ConnectWiseID = old.HubSpotID, old.ConnectWiseID
		}
		if rng.IntN(2) == 0 {
			l.Base = []byte(fmt.Sprint("base-", rng.IntN(100)))
		}
		if rng.IntN(3) == 0 {
			l.HubSpotModifiedAt = clock().Add(-time.Duration(rng.IntN(1e9)) * time.Microsecond)
		}
		return l
	}
	failures := 0
	bulkOK := 0
	for n := range 400 {
		if n == 200 {
			space = 200 // fewer conflicts: runs of puts that succeed
		}
		b := new(syncer.Batch)
		for range 1 + rng.IntN(12) {
			switch r := rng.IntN(20); {
			case r < 14:
				b.PutLink(link())
			case r < 16:
				b.PutLinkIfVersion(link(), int64(rng.IntN(3)))
			case r < 19:
				l := link()
				b.DeleteLink(l.Object, l.HubSpotID, l.ConnectWiseID)
			default:
				b.PutCursor("k", fmt.Sprint(n))
			}
		}
		errPG, errMem := pg.Commit(ctx, "t", b), mem.Commit(ctx, "t", b)
		if errMem == nil && b.Len() >= 4 {
			bulkOK++
		}
		if errMem == nil {
			require.NoError(t, errPG, "batch %d: %v", n, b.Ops)
		} else {
			failures++
			require.Error(t, errPG, "batch %d: memstore failed with %v", n, errMem)
			var opPG, opMem *syncer.OpError
			require.True(t, errors.As(errPG, &opPG), "batch %d: %v", n, errPG)
			require.True(t, errors.As(errMem, &opMem))
			assert.Equal(t, opMem.Index, opPG.Index, "batch %d: failing op: pgstore %v, memstore %v", n, errPG, errMem)
			assert.ErrorIs(t, errPG, syncer.ErrConflict)
		}
		for _, object := range objects {
			require.Equal(t, links(t, mem, object), links(t, pg, object), "batch %d: links of %s", n, object)
		}
	}
	assert.Greater(t, failures, 50, "the batches conflict often enough to test it")
	assert.Greater(t, bulkOK, 20, "and often succeed with several operations")
}

func links(t *testing.T, s syncer.StateStore, object string) []syncer.Link {
	t.Helper()
	var out []syncer.Link
	for l, err := range s.ListLinks(ctx, "t", object, nil) {
		require.NoError(t, err)
		if len(l.Base) == 0 {
			l.Base = nil
		}
		out = append(out, l)
	}
	return out
}

func TestExtremeTimes(t *testing.T) {
	s := open(t, nil)
	far := time.Date(12000, 6, 1, 1, 2, 3, 456789000, time.UTC) // cannot travel as RFC 3339 text
	early := time.Date(1, 1, 2, 0, 0, 0, 1000, time.UTC)
	b := new(syncer.Batch)
	for i := int64(1); i <= 5; i++ {
		b.PutLink(syncer.Link{Object: "deals", HubSpotID: fmt.Sprint(i), ConnectWiseID: i, SyncedAt: far, HubSpotModifiedAt: early})
	}
	require.NoError(t, s.Commit(ctx, "t", b))
	for _, l := range links(t, s, "deals") {
		assert.Equal(t, far, l.SyncedAt)
		assert.Equal(t, early, l.HubSpotModifiedAt)
	}
	// Beyond PostgreSQL's timestamptz range (294276 AD): invalid, named.
	err := s.Commit(ctx, "t", new(syncer.Batch).PutCursor("k", "v").
		PutLink(syncer.Link{Object: "deals", HubSpotID: "x", ConnectWiseID: 99, SyncedAt: time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)}))
	require.ErrorIs(t, err, syncer.ErrInvalid)
	var oe *syncer.OpError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, oe.Index)
	_, err = s.Cursor(ctx, "t", "k")
	assert.ErrorIs(t, err, syncer.ErrNotFound, "nothing of the batch stored")
}

func TestLongIdentifiers(t *testing.T) {
	s := open(t, nil)
	rng := rand.New(rand.NewPCG(3, 4))
	// Incompressible text of exactly n bytes, with multi-byte characters.
	id := func(n int) string {
		const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
		var b []byte
		for len(b) < n-1 {
			if rng.IntN(8) == 0 {
				b = append(b, "é"...)
				continue
			}
			b = append(b, chars[rng.IntN(len(chars))])
		}
		for len(b) < n {
			b = append(b, 'x')
		}
		return string(b)
	}
	tenant, object, hs, field, key, source := id(pgstore.MaxIDLen), id(pgstore.MaxIDLen), id(pgstore.MaxIDLen), id(pgstore.MaxIDLen), id(pgstore.MaxIDLen), id(pgstore.MaxIDLen)
	b := new(syncer.Batch).
		PutLink(syncer.Link{Object: object, HubSpotID: hs, ConnectWiseID: 1}).
		PutConflict(syncer.Conflict{Object: object, HubSpotID: hs, ConnectWiseID: 1, Field: field}).
		PutIntent(syncer.Intent{Object: object, Target: syncer.SideHubSpot, SourceID: source, LookupKey: id(10000)}).
		PutDeadLetter(syncer.DeadLetter{Object: object, Side: syncer.SideHubSpot, SourceID: source, Err: id(20000)}).
		PutCursor(key, id(50000))
	require.NoError(t, s.Commit(ctx, tenant, b), "identifiers of MaxIDLen bytes fit every index")
	l, err := s.LinkByHubSpotID(ctx, tenant, object, hs)
	require.NoError(t, err)
	assert.Equal(t, int64(1), l.ConnectWiseID)
	lr := s.(syncer.Leaser)
	_, err = lr.AcquireLease(ctx, tenant, id(5000), time.Minute)
	require.NoError(t, err, "lease holders are not indexed and have no such cap")

	long := id(pgstore.MaxIDLen + 1)
	for name, b := range map[string]*syncer.Batch{
		"hubspot ID": new(syncer.Batch).PutCursor("k", "v").PutLink(syncer.Link{Object: "o", HubSpotID: long, ConnectWiseID: 2}),
		"object":     new(syncer.Batch).PutCursor("k", "v").DeleteIntent(long, syncer.SideHubSpot, "1"),
		"field":      new(syncer.Batch).PutCursor("k", "v").DeleteConflict("o", "1", 1, long),
		"cursor key": new(syncer.Batch).PutCursor("k", "v").PutCursor(long, "v"),
		"source ID":  new(syncer.Batch).PutCursor("k", "v").PutDeadLetter(syncer.DeadLetter{Object: "o", Side: syncer.SideHubSpot, SourceID: long}),
	} {
		err := s.Commit(ctx, "t", b)
		require.ErrorIs(t, err, syncer.ErrInvalid, name)
		var oe *syncer.OpError
		require.ErrorAs(t, err, &oe, name)
		assert.Equal(t, 1, oe.Index, name)
	}
	assert.ErrorIs(t, s.Commit(ctx, long, new(syncer.Batch)), syncer.ErrInvalid, "tenant")
	_, err = s.LinkByHubSpotID(ctx, "t", "o", long)
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = s.Cursor(ctx, "t", "k")
	assert.ErrorIs(t, err, syncer.ErrNotFound, "nothing of the refused batches stored")
}

package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

// snapshot is everything the suite can read back from a tenant.
type snapshot struct {
	Links     map[string][]syncer.Link
	Cursors   map[string]string
	Intents   []syncer.Intent
	Dead      []syncer.DeadLetter
	Conflicts []syncer.Conflict
}

func (e *env) snapshot(tenant string, cursorKeys ...string) snapshot {
	e.t.Helper()
	s := snapshot{Links: map[string][]syncer.Link{}, Cursors: map[string]string{}}
	for _, object := range []string{"companies", "contacts", "deals"} {
		s.Links[object] = e.links(tenant, object, nil)
	}
	for _, k := range cursorKeys {
		if v, err := e.s.Cursor(e.ctx, tenant, k); err == nil {
			s.Cursors[k] = v
		}
	}
	s.Intents = e.intents(tenant, "")
	s.Dead = e.deadLetters(tenant, nil)
	s.Conflicts = e.conflicts(tenant, "")
	return s
}

func (h *harness) testPersistence(t *testing.T) {
	if h.opts.Reopen == nil {
		t.Skip("no Options.Reopen: the driver is not durable")
	}
	e := h.env(t)
	e.commit(tenantA, fullBatch(1))
	e.commit(tenantA, fullBatch(2).PutLink(syncer.Link{Object: "contacts", HubSpotID: "c1", ConnectWiseID: 1,
		Base: []byte{0, 1, 2, 255}, HubSpotModifiedAt: t0.Add(-time.Hour), ConnectWiseModifiedAt: t0.Add(time.Nanosecond)}))
	e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "c1", ConnectWiseID: 1}))
	e.commit(tenantB, fullBatch(3))
	// A batch that fails validation and one that fails on a conflict leave nothing.
	e.commitErr(tenantA, fullBatch(4).PutCursor("", "x"), syncer.ErrInvalid)
	e.commitErr(tenantA, fullBatch(5).PutLink(syncer.Link{Object: "contacts", HubSpotID: "c2", ConnectWiseID: 1}), syncer.ErrConflict)
	keys := []string{"cursor-1", "cursor-2", "cursor-3", "cursor-4", "cursor-5"}
	beforeA, beforeB := e.snapshot(tenantA, keys...), e.snapshot(tenantB, keys...)
	require.Len(t, beforeA.Links["companies"], 2)
	require.Len(t, beforeA.Cursors, 2)

	e.s = h.opts.Reopen(t, e.s, e.clock.Now)
	require.NotNil(t, e.s)
	assert.Equal(t, beforeA, e.snapshot(tenantA, keys...))
	assert.Equal(t, beforeB, e.snapshot(tenantB, keys...))
	l, err := e.link(tenantA, "contacts", "c1")
	require.NoError(t, err)
	assert.Equal(t, int64(2), l.Version, "versions survive")
	e.requireNoLink(tenantA, "companies", "full-4", 1004)
	e.requireNoLink(tenantA, "companies", "full-5", 1005)

	// Uniqueness indexes survive too.
	e.commitErr(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "c9", ConnectWiseID: 1}), syncer.ErrConflict)
	e.commitErr(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "c1", ConnectWiseID: 9}), syncer.ErrConflict)

	t.Run("Leases", func(t *testing.T) {
		e := e.with(t)
		lr, ok := e.s.(syncer.Leaser)
		if !ok {
			t.Skip("the store does not implement syncer.Leaser")
		}
		l1, err := lr.AcquireLease(e.ctx, tenantA, "w1", time.Minute)
		require.NoError(t, err)
		require.NoError(t, lr.ReleaseLease(e.ctx, l1))
		l2, err := lr.AcquireLease(e.ctx, tenantA, "w2", time.Minute)
		require.NoError(t, err)
		e.s = h.opts.Reopen(t, e.s, e.clock.Now)
		lr = e.s.(syncer.Leaser)
		e.commitErr(tenantA, new(syncer.Batch).PutCursor("k", "v"), syncer.ErrFenced)
		b := new(syncer.Batch).PutCursor("k", "v")
		b.Fence = l2.Fence()
		e.commit(tenantA, b)
		_, err = lr.AcquireLease(e.ctx, tenantA, "w3", time.Minute)
		assert.ErrorIs(t, err, syncer.ErrConflict, "a live lease survives reopening")
		e.clock.Advance(time.Minute)
		l3, err := lr.AcquireLease(e.ctx, tenantA, "w3", time.Minute)
		require.NoError(t, err)
		assert.Equal(t, l2.Generation+1, l3.Generation, "generations are never reused")
	})
}

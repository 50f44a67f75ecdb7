package storetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

func (h *harness) leaseEnv(t *testing.T) (*env, syncer.Leaser) {
	t.Helper()
	e := h.env(t)
	lr, ok := e.s.(syncer.Leaser)
	if !ok {
		t.Skip("the store does not implement syncer.Leaser")
	}
	return e, lr
}

func fenced(f *syncer.Fence, b *syncer.Batch) *syncer.Batch {
	b.Fence = f
	return b
}

func (h *harness) testLeaser(t *testing.T) {
	const ttl = 30 * time.Second
	t.Run("AcquireAndFence", func(t *testing.T) {
		e, lr := h.leaseEnv(t)
		l1, err := lr.AcquireLease(e.ctx, tenantA, "w1", ttl)
		require.NoError(t, err)
		assert.Equal(t, syncer.Lease{Tenant: tenantA, Holder: "w1", Generation: 1, ExpiresAt: norm(t0.Add(ttl))}, l1)

		_, err = lr.AcquireLease(e.ctx, tenantA, "w2", ttl)
		assert.ErrorIs(t, err, syncer.ErrConflict, "held by another")
		_, err = lr.AcquireLease(e.ctx, tenantA, "w1", ttl)
		assert.ErrorIs(t, err, syncer.ErrConflict, "held by the same holder")

		e.commit(tenantA, fenced(l1.Fence(), fullBatch(1)))
		e.commitErr(tenantA, fullBatch(2), syncer.ErrFenced)
		e.commitErr(tenantA, fenced(&syncer.Fence{Holder: "w2", Generation: 1}, fullBatch(2)), syncer.ErrFenced)
		e.commitErr(tenantA, fenced(&syncer.Fence{Holder: "w1", Generation: 2}, fullBatch(2)), syncer.ErrFenced)
		e.requireNoLink(tenantA, "companies", "full-2", 1002)

		// Other tenants are not affected by tenant A's lease.
		e.commit(tenantB, fullBatch(1))
		lb, err := lr.AcquireLease(e.ctx, tenantB, "w2", ttl)
		require.NoError(t, err)
		assert.Equal(t, int64(1), lb.Generation, "generations count per tenant")
	})
	t.Run("ExpiryAndTakeover", func(t *testing.T) {
		e, lr := h.leaseEnv(t)
		l1, err := lr.AcquireLease(e.ctx, tenantA, "w1", ttl)
		require.NoError(t, err)
		e.clock.Advance(ttl - time.Microsecond)
		e.commit(tenantA, fenced(l1.Fence(), new(syncer.Batch).PutCursor("k", "1")))
		e.clock.Advance(time.Microsecond) // exactly at ExpiresAt: no longer live
		err = e.s.Commit(e.ctx, tenantA, fenced(l1.Fence(), new(syncer.Batch).PutCursor("k", "2")))
		assert.ErrorIs(t, err, syncer.ErrFenced, "expired lease")
		_, err = lr.RenewLease(e.ctx, l1, ttl)
		assert.ErrorIs(t, err, syncer.ErrFenced, "an expired lease cannot be renewed")
		e.commit(tenantA, new(syncer.Batch).PutCursor("k", "unfenced")) // nobody holds it

		l2, err := lr.AcquireLease(e.ctx, tenantA, "w2", ttl)
		require.NoError(t, err)
		assert.Equal(t, int64(2), l2.Generation)
		err = e.s.Commit(e.ctx, tenantA, fenced(l1.Fence(), fullBatch(1)))
		assert.ErrorIs(t, err, syncer.ErrFenced, "the old holder is fenced off")
		e.requireNoLink(tenantA, "companies", "full-1", 1001)
		e.commit(tenantA, fenced(l2.Fence(), new(syncer.Batch).PutCursor("k", "3")))
		v, err := e.s.Cursor(e.ctx, tenantA, "k")
		require.NoError(t, err)
		assert.Equal(t, "3", v)
		assert.ErrorIs(t, lr.ReleaseLease(e.ctx, l1), syncer.ErrFenced, "a superseded lease cannot be released")
	})
	t.Run("Renew", func(t *testing.T) {
		e, lr := h.leaseEnv(t)
		l1, err := lr.AcquireLease(e.ctx, tenantA, "w1", ttl)
		require.NoError(t, err)
		e.clock.Advance(ttl / 2)
		l1r, err := lr.RenewLease(e.ctx, l1, ttl)
		require.NoError(t, err)
		assert.Equal(t, norm(t0.Add(ttl/2+ttl)), l1r.ExpiresAt)
		assert.Equal(t, l1.Generation, l1r.Generation, "renewal keeps the generation")
		e.clock.Advance(ttl * 3 / 4)
		e.commit(tenantA, fenced(l1.Fence(), fullBatch(1)))
		_, err = lr.AcquireLease(e.ctx, tenantA, "w2", ttl)
		assert.ErrorIs(t, err, syncer.ErrConflict)
		_, err = lr.RenewLease(e.ctx, syncer.Lease{Tenant: tenantA, Holder: "w2", Generation: 1}, ttl)
		assert.ErrorIs(t, err, syncer.ErrFenced, "another holder cannot renew")
		_, err = lr.RenewLease(e.ctx, syncer.Lease{Tenant: tenantB, Holder: "w1", Generation: 1}, ttl)
		assert.ErrorIs(t, err, syncer.ErrFenced, "no lease on that tenant")
	})
	t.Run("Release", func(t *testing.T) {
		e, lr := h.leaseEnv(t)
		l1, err := lr.AcquireLease(e.ctx, tenantA, "w1", ttl)
		require.NoError(t, err)
		require.NoError(t, lr.ReleaseLease(e.ctx, l1))
		require.NoError(t, lr.ReleaseLease(e.ctx, l1), "releasing twice is harmless")
		e.commitErr(tenantA, fenced(l1.Fence(), fullBatch(1)), syncer.ErrFenced)
		e.commit(tenantA, fullBatch(2))
		_, err = lr.RenewLease(e.ctx, l1, ttl)
		assert.ErrorIs(t, err, syncer.ErrFenced, "a released lease cannot be renewed")
		l2, err := lr.AcquireLease(e.ctx, tenantA, "w1", ttl)
		require.NoError(t, err, "released leases are free at once")
		assert.Equal(t, int64(2), l2.Generation, "a new generation even for the same holder")
		e.commitErr(tenantA, fenced(l1.Fence(), fullBatch(3)), syncer.ErrFenced)
		assert.ErrorIs(t, lr.ReleaseLease(e.ctx, l1), syncer.ErrFenced)
		assert.ErrorIs(t, lr.ReleaseLease(e.ctx, syncer.Lease{Tenant: tenantB, Holder: "w1", Generation: 1}), syncer.ErrFenced)
	})
	t.Run("Invalid", func(t *testing.T) {
		e, lr := h.leaseEnv(t)
		_, err := lr.AcquireLease(e.ctx, tenantA, "", ttl)
		assert.ErrorIs(t, err, syncer.ErrInvalid)
		_, err = lr.AcquireLease(e.ctx, tenantA, "w1", 0)
		assert.ErrorIs(t, err, syncer.ErrInvalid)
		_, err = lr.AcquireLease(e.ctx, "", "w1", ttl)
		assert.ErrorIs(t, err, syncer.ErrInvalid)
		l, err := lr.AcquireLease(e.ctx, tenantA, "w1", ttl)
		require.NoError(t, err)
		_, err = lr.RenewLease(e.ctx, l, -time.Second)
		assert.ErrorIs(t, err, syncer.ErrInvalid)
	})
	t.Run("ConcurrentAcquire", func(t *testing.T) {
		e, lr := h.leaseEnv(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var won []syncer.Lease
		for w := range 8 {
			wg.Go(func() {
				l, err := lr.AcquireLease(e.ctx, tenantA, string(rune('a'+w)), ttl)
				if err != nil {
					if !errors.Is(err, syncer.ErrConflict) {
						t.Errorf("acquire: %v", err)
					}
					return
				}
				mu.Lock()
				won = append(won, l)
				mu.Unlock()
			})
		}
		wg.Wait()
		require.Len(t, won, 1, "one worker holds the tenant")
		assert.Equal(t, int64(1), won[0].Generation)
	})
	t.Run("FencedCommitRace", func(t *testing.T) {
		// A takeover racing with the old holder's commits: every commit either
		// lands before the takeover or is refused; none lands after it.
		e, lr := h.leaseEnv(t)
		l1, err := lr.AcquireLease(e.ctx, tenantA, "w1", ttl)
		require.NoError(t, err)
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := range 50 {
				err := e.s.Commit(e.ctx, tenantA, fenced(l1.Fence(), new(syncer.Batch).PutCursor("old", string(rune('A'+i)))))
				if err != nil && !errors.Is(err, syncer.ErrFenced) {
					t.Errorf("commit: %v", err)
				}
			}
		})
		e.clock.Advance(ttl)
		l2, err := lr.AcquireLease(e.ctx, tenantA, "w2", ttl)
		require.NoError(t, err)
		e.commit(tenantA, fenced(l2.Fence(), new(syncer.Batch).PutCursor("marker", "taken")))
		before, _ := e.s.Cursor(e.ctx, tenantA, "old")
		wg.Wait()
		after, _ := e.s.Cursor(e.ctx, tenantA, "old")
		assert.Equal(t, before, after, "no commit of the old holder after the takeover")
	})
}

package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/pgstore"
)

// TestLeasesAcrossPools runs workers on separate connection pools (as separate
// processes would) against one schema. Each worker takes the tenant's lease,
// reads a counter and commits counter+1 under its fence, while a shared manual
// clock jumps ahead so that leases expire under their holders and are taken
// over. If two workers ever committed under overlapping leases, an increment
// would be lost; the final counter must equal the number of commits accepted.
func TestLeasesAcrossPools(t *testing.T) {
	schema := freshSchema(t)
	var now atomic.Int64
	now.Store(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC).UnixMicro())
	clock := func() time.Time { return time.UnixMicro(now.Load()) }
	const ttl = 10 * time.Millisecond

	const workers, rounds = 4, 40
	var accepted, fencedCommits, conflicts atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		db := ownDB(t)
		db.SetMaxOpenConns(2)
		s, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: schema, Clock: clock})
		require.NoError(t, err)
		wg.Go(func() {
			holder := fmt.Sprint("w", w)
			for i := range rounds {
				l, err := s.AcquireLease(ctx, "t", holder, ttl)
				if errors.Is(err, syncer.ErrConflict) {
					conflicts.Add(1)
					now.Add(int64(ttl/time.Microsecond) / 3) // time passes while waiting
					continue
				}
				if !assert.NoError(t, err) {
					return
				}
				v, err := s.Cursor(ctx, "t", "counter")
				if errors.Is(err, syncer.ErrNotFound) {
					v, err = "0", nil
				}
				if !assert.NoError(t, err) {
					return
				}
				n, _ := strconv.Atoi(v)
				if i%3 == 0 {
					now.Add(int64(ttl / time.Microsecond)) // a pause past the expiry
				}
				b := new(syncer.Batch).PutCursor("counter", strconv.Itoa(n+1))
				b.Fence = l.Fence()
				switch err := s.Commit(ctx, "t", b); {
				case err == nil:
					accepted.Add(1)
					_ = s.ReleaseLease(ctx, l)
				case errors.Is(err, syncer.ErrFenced):
					fencedCommits.Add(1)
				default:
					assert.NoError(t, err)
				}
			}
		})
	}
	wg.Wait()
	s := openSchema(t, schema, clock)
	v, err := s.Cursor(ctx, "t", "counter")
	require.NoError(t, err)
	assert.Equal(t, strconv.FormatInt(accepted.Load(), 10), v, "no increment lost, none doubled")
	assert.Positive(t, accepted.Load())
	assert.Positive(t, fencedCommits.Load(), "some commits came after a takeover and were refused")
	t.Logf("accepted %d, fenced %d, acquire conflicts %d", accepted.Load(), fencedCommits.Load(), conflicts.Load())
}

// TestCommitWaitsForTenantWithDeadline: a Commit that cannot get the tenant's
// row lock before its deadline returns the context's error and writes nothing.
func TestCommitWaitsForTenantWithDeadline(t *testing.T) {
	db := testDB(t)
	s := open(t, nil).(*pgstore.Store)
	require.NoError(t, s.Commit(ctx, "t", new(syncer.Batch).PutCursor("k", "v1")))
	holder, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer holder.Rollback()
	_, err = holder.ExecContext(ctx, `SELECT 1 FROM "`+s.Schema()+`".tenants WHERE tenant = 't' FOR UPDATE`)
	require.NoError(t, err)

	// Other tenants do not wait.
	require.NoError(t, s.Commit(ctx, "other", new(syncer.Batch).PutCursor("k", "v")))

	dctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	err = s.Commit(dctx, "t", new(syncer.Batch).PutCursor("k", "v2"))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.NoError(t, holder.Rollback())
	v, err := s.Cursor(ctx, "t", "k")
	require.NoError(t, err)
	assert.Equal(t, "v1", v)
}

// BenchmarkLease measures a lease cycle as a worker runs it per tenant turn:
// acquire, one fenced commit of a cursor, renew, release.
func BenchmarkLease(b *testing.B) {
	s := open(b, time.Now).(*pgstore.Store)
	b.ReportAllocs()
	for b.Loop() {
		l, err := s.AcquireLease(ctx, "bench", "w1", time.Minute)
		if err != nil {
			b.Fatal(err)
		}
		batch := new(syncer.Batch).PutCursor("contacts/hubspot", "2026-11-27T12:00:00Z")
		batch.Fence = l.Fence()
		if err := s.Commit(ctx, "bench", batch); err != nil {
			b.Fatal(err)
		}
		if l, err = s.RenewLease(ctx, l, time.Minute); err != nil {
			b.Fatal(err)
		}
		if err := s.ReleaseLease(ctx, l); err != nil {
			b.Fatal(err)
		}
	}
}

package boltstore

import (
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/hubwise/hubwise/syncer"
)

// Leases are stored in the tenant's bucket, so generations survive reopening
// the file. Only one process can open the file at a time (bbolt's file lock),
// so the leases fence goroutines of that process; the expiry comes from the
// injected clock.

func readLease(tb *bolt.Bucket) (leaseState, error) {
	if tb == nil {
		return leaseState{}, nil
	}
	v := tb.Get(keyLease)
	if v == nil {
		return leaseState{}, nil
	}
	return decodeLease(v)
}

func checkLeaseArgs(ctx context.Context, tenant, holder string, ttl time.Duration) error {
	if err := firstErr(checkScope(ctx, tenant), checkID("lease holder", holder)); err != nil {
		return err
	}
	if ttl <= 0 {
		return fmt.Errorf("boltstore: lease ttl %s is not positive: %w", ttl, syncer.ErrInvalid)
	}
	return nil
}

// update runs fn in a read-write transaction on the tenant's bucket, creating it
// when create is set (fn gets nil otherwise for a tenant never seen).
func (s *Store) update(ctx context.Context, tenant string, create bool, fn func(tb *bolt.Bucket, now time.Time) error) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		tb := tenantBucket(tx, tenant)
		if tb == nil && create {
			var err error
			if tb, err = tx.Bucket(bucketTenants).CreateBucket([]byte(tenant)); err != nil {
				return err
			}
		}
		if err := fn(tb, s.now()); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("boltstore: %w", err)
		}
		return nil
	})
	return mapErr(err)
}

// AcquireLease implements [syncer.Leaser].
func (s *Store) AcquireLease(ctx context.Context, tenant, holder string, ttl time.Duration) (syncer.Lease, error) {
	if err := checkLeaseArgs(ctx, tenant, holder, ttl); err != nil {
		return syncer.Lease{}, err
	}
	var out syncer.Lease
	err := s.update(ctx, tenant, true, func(tb *bolt.Bucket, now time.Time) error {
		cur, err := readLease(tb)
		if err != nil {
			return err
		}
		if cur.Live(now) {
			return fmt.Errorf("boltstore: acquire lease on %s: held by %s (generation %d) until %s: %w",
				tenant, cur.Holder, cur.Generation, cur.ExpiresAt.Format(time.RFC3339Nano), syncer.ErrConflict)
		}
		next := leaseState{Holder: holder, Generation: cur.Generation + 1, ExpiresAt: norm(now.Add(ttl))}
		out = syncer.Lease{Tenant: tenant, Holder: holder, Generation: next.Generation, ExpiresAt: next.ExpiresAt}
		return tb.Put(keyLease, encodeLease(&next))
	})
	return out, err
}

// RenewLease implements [syncer.Leaser].
func (s *Store) RenewLease(ctx context.Context, l syncer.Lease, ttl time.Duration) (syncer.Lease, error) {
	if err := checkLeaseArgs(ctx, l.Tenant, l.Holder, ttl); err != nil {
		return syncer.Lease{}, err
	}
	err := s.update(ctx, l.Tenant, false, func(tb *bolt.Bucket, now time.Time) error {
		cur, err := readLease(tb)
		if err != nil {
			return err
		}
		if err := cur.CheckFence(l.Fence(), now); err != nil {
			return fmt.Errorf("boltstore: renew lease on %s: %w", l.Tenant, err)
		}
		cur.ExpiresAt = norm(now.Add(ttl))
		l.ExpiresAt = cur.ExpiresAt
		return tb.Put(keyLease, encodeLease(&cur))
	})
	if err != nil {
		return syncer.Lease{}, err
	}
	return l, nil
}

// ReleaseLease implements [syncer.Leaser].
func (s *Store) ReleaseLease(ctx context.Context, l syncer.Lease) error {
	if err := checkLeaseArgs(ctx, l.Tenant, l.Holder, time.Nanosecond); err != nil {
		return err
	}
	return s.update(ctx, l.Tenant, false, func(tb *bolt.Bucket, _ time.Time) error {
		cur, err := readLease(tb)
		if err != nil {
			return err
		}
		if cur.Generation == 0 || cur.Generation != l.Generation || cur.Holder != l.Holder {
			return fmt.Errorf("boltstore: release lease on %s: %s/%d is not the current lease: %w", l.Tenant, l.Holder, l.Generation, syncer.ErrFenced)
		}
		if cur.Released {
			return nil
		}
		cur.Released = true
		return tb.Put(keyLease, encodeLease(&cur))
	})
}

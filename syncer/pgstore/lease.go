package pgstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// Leases live in the lease columns of the tenant's row (see "Leases and
// fencing" in the package documentation). Every lease operation, like every
// Commit, runs in a transaction holding that row's lock and reads the clock
// after the lock is granted.

func checkLeaseArgs(ctx context.Context, tenant, holder string, ttl time.Duration) error {
	if err := checkScope(ctx, tenant); err != nil {
		return err
	}
	if err := syncer.CheckID("lease holder", holder); err != nil { // not indexed: no MaxIDLen
		return fmt.Errorf("pgstore: %w", err)
	}
	if ttl <= 0 {
		return fmt.Errorf("pgstore: lease ttl %s is not positive: %w", ttl, syncer.ErrInvalid)
	}
	return nil
}

func (s *Store) writeLease(ctx context.Context, tx *sql.Tx, tenant string, l leaseState) error {
	_, err := tx.ExecContext(ctx, s.q.updateLease, tenant, l.Holder, l.Generation, nullTime(l.ExpiresAt), l.Released)
	return err
}

// AcquireLease implements [syncer.Leaser]: in one transaction on the tenant's
// locked row, it checks that the current lease is not live and writes the next
// generation with an expiry of now + ttl.
func (s *Store) AcquireLease(ctx context.Context, tenant, holder string, ttl time.Duration) (syncer.Lease, error) {
	if err := checkLeaseArgs(ctx, tenant, holder, ttl); err != nil {
		return syncer.Lease{}, err
	}
	what := "acquire lease on " + tenant
	var out syncer.Lease
	err := s.withTenant(ctx, what, tenant, true, func(tx *sql.Tx, cur leaseState, now time.Time) error {
		if cur.Live(now) {
			return fmt.Errorf("pgstore: %s: held by %s (generation %d) until %s: %w",
				what, cur.Holder, cur.Generation, cur.ExpiresAt.Format(time.RFC3339Nano), syncer.ErrConflict)
		}
		next := leaseState{Holder: holder, Generation: cur.Generation + 1, ExpiresAt: norm(now.Add(ttl))}
		if err := s.writeLease(ctx, tx, tenant, next); err != nil {
			return mapErr(ctx, what, err)
		}
		out = syncer.Lease{Tenant: tenant, Holder: holder, Generation: next.Generation, ExpiresAt: next.ExpiresAt}
		return nil
	})
	if err != nil {
		return syncer.Lease{}, err
	}
	return out, nil
}

// RenewLease implements [syncer.Leaser].
func (s *Store) RenewLease(ctx context.Context, l syncer.Lease, ttl time.Duration) (syncer.Lease, error) {
	if err := checkLeaseArgs(ctx, l.Tenant, l.Holder, ttl); err != nil {
		return syncer.Lease{}, err
	}
	what := "renew lease on " + l.Tenant
	err := s.withTenant(ctx, what, l.Tenant, false, func(tx *sql.Tx, cur leaseState, now time.Time) error {
		if err := cur.CheckFence(l.Fence(), now); err != nil {
			return fmt.Errorf("pgstore: %s: %w", what, err)
		}
		cur.ExpiresAt = norm(now.Add(ttl))
		if err := s.writeLease(ctx, tx, l.Tenant, cur); err != nil {
			return mapErr(ctx, what, err)
		}
		l.ExpiresAt = cur.ExpiresAt
		return nil
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
	what := "release lease on " + l.Tenant
	return s.withTenant(ctx, what, l.Tenant, false, func(tx *sql.Tx, cur leaseState, _ time.Time) error {
		if cur.Generation != l.Generation || cur.Holder != l.Holder {
			return fmt.Errorf("pgstore: %s: %s/%d is not the current lease: %w", what, l.Holder, l.Generation, syncer.ErrFenced)
		}
		if cur.Released {
			return nil
		}
		cur.Released = true
		if err := s.writeLease(ctx, tx, l.Tenant, cur); err != nil {
			return mapErr(ctx, what, err)
		}
		return nil
	})
}

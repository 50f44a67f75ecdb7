package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

func checkLeaseArgs(ctx context.Context, tenant, holder string, ttl time.Duration) error {
	if err := checkScope(ctx, tenant, ""); err != nil {
		return err
	}
	if err := syncer.CheckID("lease holder", holder); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	if ttl <= 0 {
		return fmt.Errorf("memstore: lease ttl %s is not positive: %w", ttl, syncer.ErrInvalid)
	}
	return nil
}

// AcquireLease implements [syncer.Leaser].
func (s *Store) AcquireLease(ctx context.Context, tenant, holder string, ttl time.Duration) (syncer.Lease, error) {
	if err := checkLeaseArgs(ctx, tenant, holder, ttl); err != nil {
		return syncer.Lease{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	t := s.tenantLocked(tenant, true)
	if t.lease.Live(now) {
		return syncer.Lease{}, fmt.Errorf("memstore: acquire lease on %s: held by %s (generation %d) until %s: %w",
			tenant, t.lease.Holder, t.lease.Generation, t.lease.ExpiresAt.Format(time.RFC3339Nano), syncer.ErrConflict)
	}
	t.lease = leaseState{Holder: holder, Generation: t.lease.Generation + 1, ExpiresAt: norm(now.Add(ttl))}
	return syncer.Lease{Tenant: tenant, Holder: holder, Generation: t.lease.Generation, ExpiresAt: t.lease.ExpiresAt}, nil
}

// RenewLease implements [syncer.Leaser].
func (s *Store) RenewLease(ctx context.Context, l syncer.Lease, ttl time.Duration) (syncer.Lease, error) {
	if err := checkLeaseArgs(ctx, l.Tenant, l.Holder, ttl); err != nil {
		return syncer.Lease{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var cur leaseState
	t := s.tenants[l.Tenant]
	if t != nil {
		cur = t.lease
	}
	if err := cur.CheckFence(l.Fence(), now); err != nil {
		return syncer.Lease{}, fmt.Errorf("memstore: renew lease on %s: %w", l.Tenant, err)
	}
	t.lease.ExpiresAt = norm(now.Add(ttl))
	l.ExpiresAt = t.lease.ExpiresAt
	return l, nil
}

// ReleaseLease implements [syncer.Leaser].
func (s *Store) ReleaseLease(ctx context.Context, l syncer.Lease) error {
	if err := checkLeaseArgs(ctx, l.Tenant, l.Holder, time.Nanosecond); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tenants[l.Tenant]
	if t == nil || t.lease.Generation != l.Generation || t.lease.Holder != l.Holder {
		return fmt.Errorf("memstore: release lease on %s: %s/%d is not the current lease: %w", l.Tenant, l.Holder, l.Generation, syncer.ErrFenced)
	}
	t.lease.Released = true
	return nil
}

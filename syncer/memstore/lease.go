package memstore

import (
	"context"
	"fmt"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// leaseState is a tenant's current lease; gen 0 means it never had one.
type leaseState struct {
	holder   string
	gen      int64
	expires  time.Time
	released bool
}

func (l leaseState) live(now time.Time) bool {
	return l.gen > 0 && !l.released && now.Before(l.expires)
}

// checkFence applies the fencing rules of [syncer.Leaser] to a commit.
func checkFence(l leaseState, f *syncer.Fence, now time.Time) error {
	switch {
	case f == nil && l.live(now):
		return fmt.Errorf("tenant is leased to %s (generation %d) and the batch has no fence: %w", l.holder, l.gen, syncer.ErrFenced)
	case f == nil:
		return nil
	case f.Generation != l.gen || f.Holder != l.holder:
		return fmt.Errorf("fence %s/%d is not the current lease (generation %d): %w", f.Holder, f.Generation, l.gen, syncer.ErrFenced)
	case l.released:
		return fmt.Errorf("lease %s/%d was released: %w", f.Holder, f.Generation, syncer.ErrFenced)
	case !now.Before(l.expires):
		return fmt.Errorf("lease %s/%d expired at %s: %w", f.Holder, f.Generation, l.expires.Format(time.RFC3339Nano), syncer.ErrFenced)
	}
	return nil
}

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
	if t.lease.live(now) {
		return syncer.Lease{}, fmt.Errorf("memstore: acquire lease on %s: held by %s (generation %d) until %s: %w",
			tenant, t.lease.holder, t.lease.gen, t.lease.expires.Format(time.RFC3339Nano), syncer.ErrConflict)
	}
	t.lease = leaseState{holder: holder, gen: t.lease.gen + 1, expires: norm(now.Add(ttl))}
	return syncer.Lease{Tenant: tenant, Holder: holder, Generation: t.lease.gen, ExpiresAt: t.lease.expires}, nil
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
	if err := checkFence(cur, l.Fence(), now); err != nil {
		return syncer.Lease{}, fmt.Errorf("memstore: renew lease on %s: %w", l.Tenant, err)
	}
	t.lease.expires = norm(now.Add(ttl))
	l.ExpiresAt = t.lease.expires
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
	if t == nil || t.lease.gen != l.Generation || t.lease.holder != l.Holder {
		return fmt.Errorf("memstore: release lease on %s: %s/%d is not the current lease: %w", l.Tenant, l.Holder, l.Generation, syncer.ErrFenced)
	}
	t.lease.released = true
	return nil
}

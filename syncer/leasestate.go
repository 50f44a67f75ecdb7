package syncer

import (
	"fmt"
	"time"
)

// LeaseState is what a [Leaser] driver keeps per tenant: the current or last
// lease. Drivers share its rules ([LeaseState.Live], [LeaseState.CheckFence]), so
// that every driver fences a commit alike.
type LeaseState struct {
	// Holder is the worker that holds or last held the lease.
	Holder string
	// Generation counts acquisitions; 0 means the tenant never had a lease.
	Generation int64
	// ExpiresAt is when the lease ends unless renewed.
	ExpiresAt time.Time
	// Released is set when the holder gave the lease up before it expired.
	Released bool
}

// Live reports whether the lease is held at now: acquired, not released and
// not expired.
func (l LeaseState) Live(now time.Time) bool {
	return l.Generation > 0 && !l.Released && now.Before(l.ExpiresAt)
}

// CheckFence applies the fencing rules of [Leaser] to a commit (or a renewal)
// made at now with fence f, and returns an error wrapping [ErrFenced] when they
// refuse it: a batch without a fence while another holds a live lease; a fence
// that is not the current lease; a released or expired lease.
func (l LeaseState) CheckFence(f *Fence, now time.Time) error {
	switch {
	case f == nil && l.Live(now):
		return fmt.Errorf("tenant is leased to %s (generation %d) and the batch has no fence: %w", l.Holder, l.Generation, ErrFenced)
	case f == nil:
		return nil
	case f.Generation != l.Generation || f.Holder != l.Holder:
		return fmt.Errorf("fence %s/%d is not the current lease (generation %d): %w", f.Holder, f.Generation, l.Generation, ErrFenced)
	case l.Released:
		return fmt.Errorf("lease %s/%d was released: %w", f.Holder, f.Generation, ErrFenced)
	case !now.Before(l.ExpiresAt):
		return fmt.Errorf("lease %s/%d expired at %s: %w", f.Holder, f.Generation, l.ExpiresAt.Format(time.RFC3339Nano), ErrFenced)
	}
	return nil
}

package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hubwise/hubwise/hubspot"
)

// errLeaseRanOut cancels a pass whose lease reached its TTL without a
// successful renewal: the store refuses its commits from then on anyway.
var errLeaseRanOut = fmt.Errorf("syncer: worker: the lease ran out before a renewal succeeded: %w", ErrFenced)

// runTenant runs one pass of l's tenant under l and reports it.
func (w *Worker) runTenant(passCtx context.Context, g granted) {
	l := g.Lease
	pr := &PassReport{Tenant: l.Tenant, Worker: w.id, Lease: l, StartedAt: w.now()}
	ctx, cancel := context.WithCancelCause(context.WithValue(passCtx, leaseKey{}, l))
	defer cancel(nil)
	stop, kept := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(kept)
		w.keep(ctx, g, stop, cancel)
	}()
	w.log.Debug("syncer: worker: pass starts", "tenant", l.Tenant, "generation", l.Generation)
	pr.Report, pr.Err = w.pass(ctx, l)
	close(stop)
	<-kept

	cause := context.Cause(ctx)
	switch {
	case errors.Is(pr.Err, ErrFenced):
		pr.LeaseLost = true
	case errors.Is(cause, ErrFenced):
		pr.LeaseLost = true
		pr.Err = cause
	case passCtx.Err() != nil:
		pr.Abandoned = true
	default:
		if err := w.recordPass(l, w.restUntil(l.Tenant, pr.Err)); err != nil {
			pr.LeaseLost = errors.Is(err, ErrFenced)
			pr.Err = errors.Join(pr.Err, err)
		}
	}
	switch {
	case pr.LeaseLost:
		w.log.Error("syncer: worker lost the lease of a tenant; its commits are refused and the tenant is dropped",
			"tenant", l.Tenant, "generation", l.Generation, "err", pr.Err)
		// Dropped: this worker leaves the tenant alone for a poll interval.
		w.remember(l.Tenant, w.now())
		// The lease may only have run out on this worker's timer; releasing it
		// lets another worker in at once. A taken-over lease refuses the release.
		ctx, cancel := context.WithTimeout(context.Background(), w.opts.RenewEvery)
		_ = w.leaser.ReleaseLease(ctx, l)
		cancel()
	default:
		w.release(l)
	}
	pr.Duration = w.now().Sub(pr.StartedAt)
	switch {
	case pr.Abandoned:
		w.log.Warn("syncer: worker: pass abandoned on shutdown", "tenant", l.Tenant, "generation", l.Generation, "err", pr.Err)
	case pr.Err != nil && !pr.LeaseLost:
		w.log.Error("syncer: worker: pass failed", "tenant", l.Tenant, "generation", l.Generation, "duration", pr.Duration, "err", pr.Err)
	case pr.Err == nil:
		w.log.Info("syncer: worker: pass done", "tenant", l.Tenant, "generation", l.Generation, "duration", pr.Duration)
	}
	if w.opts.OnReport != nil {
		w.opts.OnReport(pr)
	}
}

// pass builds the tenant's engine under l's fence and runs the pass.
func (w *Worker) pass(ctx context.Context, l Lease) (*Report, error) {
	cfg, err := w.reg.Config(ctx, l.Tenant)
	if err != nil {
		return nil, fmt.Errorf("syncer: worker: config of tenant %s: %w", l.Tenant, err)
	}
	switch cfg.Tenant {
	case "":
		cfg.Tenant = l.Tenant
	case l.Tenant:
	default:
		return nil, fmt.Errorf("syncer: worker: the registry's config of tenant %s names tenant %s", l.Tenant, cfg.Tenant)
	}
	if cfg.Store == nil {
		cfg.Store = w.store
	}
	fence := l.Fence()
	cfg.Fence = func() *Fence { return fence }
	if cfg.Clock == nil {
		cfg.Clock = w.now
	}
	if cfg.Logger == nil {
		cfg.Logger = w.log
	}
	e, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return w.opts.Pass(ctx, e)
}

// keep renews l every RenewEvery until stop is closed. A refused renewal, or
// no successful renewal before the lease's TTL has gone by on this worker's
// timer, cancels the pass with a cause wrapping ErrFenced.
func (w *Worker) keep(ctx context.Context, g granted, stop <-chan struct{}, cancel context.CancelCauseFunc) {
	l, ttl := g.Lease, w.opts.LeaseTTL
	// The lease cannot outlive the time it was asked for plus its TTL; a tenth
	// of the TTL is kept as a margin for clock drift between the processes.
	guard := ttl - ttl/10
	deadline := time.NewTimer(guard - time.Since(g.asked))
	defer deadline.Stop()
	tick := time.NewTicker(w.opts.RenewEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-deadline.C:
			cancel(errLeaseRanOut)
			return
		case <-tick.C:
		}
		began := time.Now()
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), w.opts.RenewEvery)
		nl, err := w.leaser.RenewLease(rctx, l, ttl)
		rcancel()
		switch {
		case errors.Is(err, ErrFenced):
			cancel(fmt.Errorf("syncer: worker: renew lease of %s (generation %d): %w", l.Tenant, l.Generation, err))
			return
		case err != nil:
			w.log.Warn("syncer: worker: renew lease failed; retrying", "tenant", l.Tenant, "generation", l.Generation, "err", err)
		default:
			l = nl
			deadline.Reset(guard - time.Since(began))
		}
	}
}

// restUntil returns when the tenant's next pass may start, for a pass that
// ended with err: a poll interval from now, or HubSpot's daily-limit reset
// (DESIGN.md: "a daily limit ends the pass with a checkpoint to resume from").
// The worker records it as the time of the last pass minus the interval, so
// every worker sharing the store waits for the reset, not only this one.
func (w *Worker) restUntil(tenant string, err error) time.Time {
	now := w.now()
	var rl *hubspot.RateLimitError
	if errors.As(err, &rl) && rl.Daily() && rl.ResetAt.After(now.Add(w.opts.PollInterval)) {
		w.log.Warn("syncer: worker: HubSpot daily limit reached; the tenant rests until the reset", "tenant", tenant, "reset_at", rl.ResetAt)
		return rl.ResetAt
	}
	return now.Add(w.opts.PollInterval)
}

// recordPass commits the end of the pass under l's fence, dated so that the
// tenant is due again at next.
func (w *Worker) recordPass(l Lease, next time.Time) error {
	now := next.Add(-w.opts.PollInterval).UTC()
	ctx, cancel := context.WithTimeout(context.Background(), w.opts.RenewEvery)
	defer cancel()
	b := new(Batch).PutCursor(LastPassCursor, now.Format(time.RFC3339Nano))
	b.Fence = l.Fence()
	if err := w.store.Commit(ctx, l.Tenant, b); err != nil {
		return fmt.Errorf("syncer: worker: record the pass of %s: %w", l.Tenant, err)
	}
	w.remember(l.Tenant, now)
	return nil
}

package syncer

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Registry is the host application's list of tenants, handed to a [Worker]:
// which tenants exist, and how to build the engine configuration of one of
// them (its two sides with their clients and credentials, its mapping, its
// store). The worker calls Config before every pass, after it acquired the
// tenant's lease, so credentials and mappings may change between passes.
// Implementations must be safe for concurrent use.
type Registry interface {
	// Tenants lists the keys of the tenants to sync.
	Tenants(ctx context.Context) ([]string, error)
	// Config returns the engine configuration of tenant. The worker sets Fence
	// (the lease) and fills Store, Clock and Logger when they are unset. A
	// Store that is set must hold its leases where the worker's store does
	// (the same database); leave it unset to use the worker's.
	Config(ctx context.Context, tenant string) (Config, error)
}

// WorkerOptions configure a [Worker]. The zero value (or nil) is usable.
type WorkerOptions struct {
	// ID names the worker as the lease holder; it must be unique among the
	// workers sharing a store. Empty means hostname-pid-random.
	ID string
	// LeaseTTL is how long a lease lasts without renewal (default 1 minute). A
	// worker killed in a pass loses its tenants after at most this long.
	LeaseTTL time.Duration
	// RenewEvery is how often a lease is renewed during a pass (default
	// LeaseTTL/3, so two renewals may fail before the lease runs out).
	RenewEvery time.Duration
	// PollInterval is the rest between two passes of one tenant, measured from
	// the end of its last pass by any worker (default 1 minute).
	PollInterval time.Duration
	// ScanInterval is how often an idle worker looks for due tenants (default
	// PollInterval/4). A worker also looks at once whenever a pass ends.
	ScanInterval time.Duration
	// MaxTenants caps the tenants this worker runs at the same time (default 1).
	MaxTenants int
	// ShutdownGrace is how long a cancelled Run lets passes in flight finish
	// before abandoning them (default 0: abandon at once). An abandoned pass
	// is safe: everything is committed per batch, and cursors only move with
	// the batch that completes an object.
	ShutdownGrace time.Duration
	// Pass runs one pass of a tenant's engine; nil means [Engine.Run]. A host
	// may run [Engine.Backfill] first, or hints, here.
	Pass func(ctx context.Context, e *Engine) (*Report, error)
	// OnReport receives the outcome of every tenant pass. It is called from
	// the tenant's goroutine, so concurrently for different tenants.
	OnReport func(*PassReport)
	// Clock returns the current time (default time.Now); leases expire on the
	// store's clock.
	Clock func() time.Time
	// Logger receives the worker's events (default: discard).
	Logger *slog.Logger
}

// PassReport is the outcome of one tenant pass run by a [Worker].
type PassReport struct {
	// Tenant and Worker name the tenant and the worker (lease holder).
	Tenant string
	Worker string
	// Lease is the lease the pass ran under.
	Lease Lease
	// StartedAt and Duration time the pass, lease handling included.
	StartedAt time.Time
	Duration  time.Duration
	// Report is the engine's report; nil when no pass ran (Config failed).
	Report *Report
	// Err is the error that ended the pass early, if any.
	Err error
	// LeaseLost reports that the lease was taken over or expired during the
	// pass: the store refused a commit or a renewal with ErrFenced, or renewals
	// failed until the lease ran out. The worker dropped the tenant.
	LeaseLost bool
	// Abandoned reports that the worker's shutdown cancelled the pass.
	Abandoned bool
}

// LastPassCursor is the cursor under which a [Worker] records, under the
// lease's fence, when a tenant's last pass ended (RFC 3339). Every worker
// sharing the store reads it to decide which tenants are due, so the poll
// interval and the turn order hold across workers.
const LastPassCursor = "syncer.worker/last-pass"

// Worker runs passes for the tenants of a [Registry], each under a lease from
// a [Leaser] store, so several workers (in one process or many) can share the
// tenants of one store (such as syncer/pgstore) without two of them ever
// running a tenant at once.
//
// A worker looks for due tenants (those whose last pass, by any worker, ended
// at least PollInterval ago), least recently run first, and runs up to
// MaxTenants of them at a time. For each it acquires the lease, builds the
// engine from the registry's Config with the lease's fence (so a worker that
// lost its lease cannot commit: [ErrFenced]), renews the lease every
// RenewEvery while the pass runs, records the pass's end under the fence,
// releases the lease so other workers get their turn, and reports to
// OnReport. A pass whose lease is lost (a refused renewal, a fenced commit, or
// renewals failing until the lease's TTL has gone by) is cancelled and the
// tenant dropped; another worker takes it over from its last commit.
type Worker struct {
	store   StateStore
	leaser  Leaser
	reg     Registry
	opts    WorkerOptions
	id      string
	now     func() time.Time
	log     *slog.Logger
	running atomic.Bool

	mu   sync.Mutex
	last map[string]time.Time // last-pass times read or written (they only move forward)
}

// NewWorker returns a worker over store, which must implement [Leaser], for the
// tenants of reg. opts may be nil.
func NewWorker(store StateStore, reg Registry, opts *WorkerOptions) (*Worker, error) {
	if store == nil || reg == nil {
		return nil, errors.New("syncer: NewWorker: store and registry are required")
	}
	leaser, ok := store.(Leaser)
	if !ok {
		return nil, fmt.Errorf("syncer: NewWorker: store %T does not implement Leaser", store)
	}
	w := &Worker{store: store, leaser: leaser, reg: reg, last: map[string]time.Time{}}
	if opts != nil {
		w.opts = *opts
	}
	o := &w.opts
	if o.ID == "" {
		o.ID = defaultWorkerID()
	}
	if !ValidString(o.ID) {
		return nil, errors.New("syncer: NewWorker: worker ID is not valid UTF-8")
	}
	o.LeaseTTL = cmp.Or(max(o.LeaseTTL, 0), time.Minute)
	o.RenewEvery = cmp.Or(max(o.RenewEvery, 0), o.LeaseTTL/3)
	if o.RenewEvery >= o.LeaseTTL {
		return nil, fmt.Errorf("syncer: NewWorker: RenewEvery %s must be shorter than LeaseTTL %s", o.RenewEvery, o.LeaseTTL)
	}
	o.PollInterval = cmp.Or(max(o.PollInterval, 0), time.Minute)
	o.ScanInterval = cmp.Or(max(o.ScanInterval, 0), max(o.PollInterval/4, time.Millisecond))
	o.MaxTenants = cmp.Or(max(o.MaxTenants, 0), 1)
	if o.Pass == nil {
		o.Pass = func(ctx context.Context, e *Engine) (*Report, error) { return e.Run(ctx) }
	}
	w.id, w.now, w.log = o.ID, o.Clock, o.Logger
	if w.now == nil {
		w.now = time.Now
	}
	if w.log == nil {
		w.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	w.log = w.log.With("worker", w.id)
	return w, nil
}

func defaultWorkerID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", cmp.Or(host, "worker"), os.Getpid(), hex.EncodeToString(b[:]))
}

// ID returns the worker's lease-holder identity.
func (w *Worker) ID() string { return w.id }

type leaseKey struct{}

// LeaseFromContext returns the lease a [Worker] runs the pass of ctx under:
// the context handed to Registry-built sides through the engine carries it,
// so a host can tag its requests or traces with the tenant, worker and
// generation.
func LeaseFromContext(ctx context.Context) (Lease, bool) {
	l, ok := ctx.Value(leaseKey{}).(Lease)
	return l, ok
}

// Run runs passes until ctx is done, then stops taking tenants, lets passes in
// flight finish for up to ShutdownGrace, abandons the rest, releases every
// lease it holds and returns ctx.Err(). A worker runs at most one Run at a
// time.
func (w *Worker) Run(ctx context.Context) error {
	if !w.running.CompareAndSwap(false, true) {
		return errors.New("syncer: Worker.Run: already running")
	}
	defer w.running.Store(false)
	passCtx, abandon := context.WithCancel(context.WithoutCancel(ctx))
	defer abandon()
	var wg sync.WaitGroup
	done := make(chan string, w.opts.MaxTenants)
	active := map[string]bool{}
	timer := time.NewTimer(0)
	defer timer.Stop()
	w.log.Info("syncer: worker started", "max_tenants", w.opts.MaxTenants, "lease_ttl", w.opts.LeaseTTL,
		"poll_interval", w.opts.PollInterval)
	for {
		select {
		case <-ctx.Done():
			w.shutdown(&wg, abandon, done, active)
			return ctx.Err()
		case t := <-done:
			delete(active, t)
		case <-timer.C:
		}
		if len(active) < w.opts.MaxTenants && ctx.Err() == nil {
			for _, g := range w.acquire(ctx, active) {
				l := g.Lease
				active[l.Tenant] = true
				wg.Add(1)
				go func() {
					defer wg.Done()
					w.runTenant(passCtx, g)
					done <- l.Tenant
				}()
			}
		}
		timer.Reset(w.opts.ScanInterval)
	}
}

func (w *Worker) shutdown(wg *sync.WaitGroup, abandon context.CancelFunc, done <-chan string, active map[string]bool) {
	w.log.Info("syncer: worker stopping", "passes_in_flight", len(active), "grace", w.opts.ShutdownGrace)
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	grace := time.NewTimer(w.opts.ShutdownGrace)
	defer grace.Stop()
	for {
		select {
		case t := <-done:
			delete(active, t)
			continue
		case <-finished:
		case <-grace.C:
			abandon()
			for len(active) > 0 {
				delete(active, <-done)
			}
			<-finished
		}
		break
	}
	w.log.Info("syncer: worker stopped")
}

// granted is a lease with the time, on this process's monotonic clock, at
// which it was asked for: the lease cannot outlive asked + TTL.
type granted struct {
	Lease
	asked time.Time
}

// acquire returns leases on the due tenants, least recently run first, up to
// the free slots.
func (w *Worker) acquire(ctx context.Context, active map[string]bool) []granted {
	tenants, err := w.reg.Tenants(ctx)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Error("syncer: worker: list tenants", "err", err)
		}
		return nil
	}
	type cand struct {
		tenant string
		last   time.Time
	}
	var cands []cand
	now := w.now()
	// Shuffled first, so workers whose tenants tie (never run) contend less.
	mrand.Shuffle(len(tenants), func(i, j int) { tenants[i], tenants[j] = tenants[j], tenants[i] })
	for _, t := range tenants {
		if active[t] {
			continue
		}
		last, err := w.lastPass(ctx, t, now)
		if ctx.Err() != nil {
			return nil // shutting down
		}
		if err != nil {
			w.log.Warn("syncer: worker: read last pass", "tenant", t, "err", err)
			continue
		}
		if now.Sub(last) >= w.opts.PollInterval {
			cands = append(cands, cand{t, last})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return a.last.Compare(b.last) })
	var out []granted
	for _, c := range cands {
		if len(active)+len(out) >= w.opts.MaxTenants {
			break
		}
		asked := time.Now()
		l, err := w.leaser.AcquireLease(ctx, c.tenant, w.id, w.opts.LeaseTTL)
		switch {
		case ctx.Err() != nil:
			if err == nil {
				out = append(out, granted{l, asked})
			}
			for _, g := range out {
				w.release(g.Lease) // shutting down
			}
			return nil
		case errors.Is(err, ErrConflict):
			continue // another worker runs it
		case err != nil:
			w.log.Warn("syncer: worker: acquire lease", "tenant", c.tenant, "err", err)
			continue
		}
		// Another worker may have finished a pass between the read and the
		// acquisition: read again under the lease.
		w.forget(c.tenant)
		last, err := w.lastPass(ctx, c.tenant, w.now())
		if err != nil || w.now().Sub(last) < w.opts.PollInterval {
			w.release(l)
			continue
		}
		out = append(out, granted{l, asked})
	}
	return out
}

// lastPass returns when tenant's last pass ended, from the store unless the
// time known already says the tenant is not due yet.
func (w *Worker) lastPass(ctx context.Context, tenant string, now time.Time) (time.Time, error) {
	w.mu.Lock()
	known, ok := w.last[tenant]
	w.mu.Unlock()
	if ok && now.Sub(known) < w.opts.PollInterval {
		return known, nil
	}
	v, err := w.store.Cursor(ctx, tenant, LastPassCursor)
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("syncer: cursor %s of %s: %w", LastPassCursor, tenant, err)
	}
	w.remember(tenant, t)
	return t, nil
}

func (w *Worker) remember(tenant string, t time.Time) {
	w.mu.Lock()
	if t.After(w.last[tenant]) {
		w.last[tenant] = t
	}
	w.mu.Unlock()
}

func (w *Worker) forget(tenant string) {
	w.mu.Lock()
	delete(w.last, tenant)
	w.mu.Unlock()
}

// release releases l with a context of its own: it runs during shutdown too.
func (w *Worker) release(l Lease) {
	ctx, cancel := context.WithTimeout(context.Background(), w.opts.RenewEvery)
	defer cancel()
	if err := w.leaser.ReleaseLease(ctx, l); err != nil {
		w.log.Warn("syncer: worker: release lease", "tenant", l.Tenant, "generation", l.Generation, "err", err)
	}
}

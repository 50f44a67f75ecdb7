package syncer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// ErrDispatcherStopped is returned by the methods that queue hints once
// [Dispatcher.Run] has returned (or is stopping), and by [Dispatcher.Flush]
// when the dispatcher stopped before the pass it waited for.
var ErrDispatcherStopped = errors.New("syncer: dispatcher stopped")

// HintRunner runs targeted passes. [*Engine] implements it with
// [Engine.RunHints]; a wrapper may add instrumentation.
type HintRunner interface {
	RunHints(ctx context.Context, h Hints) (*Report, error)
}

// DispatcherOptions configure a [Dispatcher]. The zero value is usable.
type DispatcherOptions struct {
	// Window is the quiet time that ends a batch: a pass starts once no event
	// has arrived for Window (default 2 s). Bursts (a bulk edit, an import)
	// become one pass instead of one per event.
	Window time.Duration
	// MaxDelay caps how long the oldest queued event waits for a pass, however
	// busy the stream (default 10 s).
	MaxDelay time.Duration
	// MaxBatch caps the record IDs of one pass (default 500); a full batch
	// starts at once and what is left waits for the next pass.
	MaxBatch int

	// Objects limits the objects hinted (nil: Engine.Objects when the runner
	// is an [*Engine], else every enabled object of the mapping).
	Objects []string
	// HubSpotTypes and ConnectWiseTypes add routes from a webhook object type
	// ("contact", "0-1", "2-12345") or callback type ("company") to an object
	// name, on top of the ones derived from the mapping.
	HubSpotTypes, ConnectWiseTypes map[string]string

	// HubSpotSourceIDs are the event sourceId values of changes the engine
	// itself makes through its app (the app id; hubspot-api.md §10 and
	// prior-art.md §6: "changeSource (e.g. INTEGRATION) and sourceId (the app
	// id)"). The exact sourceId format of app writes is not documented, so it
	// is configured, not guessed; empty drops nothing.
	HubSpotSourceIDs []string
	// ConnectWiseMemberIDs are the member identifiers the engine writes as (the
	// API member of its keys); callbacks whose MemberId is one of them are
	// dropped. Registering callbacks with isSelfSuppressedFlag does the same at
	// the source (connectwise-api.md §9). Empty drops nothing.
	//
	// Both are an optimisation only, saving a pass: the real guard against
	// loops is the engine's comparison with the base snapshot of each link,
	// which turns an echo into a no-op whatever the hints say (DESIGN.md "No
	// loops").
	ConnectWiseMemberIDs []string

	// DeleteDelay is how long a HubSpot deletion event waits before its pass
	// (default 1 min; negative: no wait). HubSpot sends a deletion event for
	// each record a merge absorbs, beside the merge event, and possibly in
	// another delivery (hubspot-api.md §9 Merges); a merged-away record
	// reads as gone like a deleted one, but its link belongs to the survivor.
	// The wait lets the merge event arrive and cancel the deletion. The
	// default is our choice: HubSpot documents no delivery order. ConnectWise
	// deletions do not wait.
	DeleteDelay time.Duration

	// Retries is how many times the IDs of a pass that failed as a whole are
	// queued again (default 3; negative: never). Failures of single records are
	// the engine's business (dead letters), not the dispatcher's.
	Retries int
	// RetryDelay is the wait before a failed batch is tried again (default 30 s).
	RetryDelay time.Duration
	// StopGrace bounds how long, once Run's context is done, the pass in flight
	// and the final pass over what was pending may take (default 30 s); then
	// their context is cancelled.
	StopGrace time.Duration
	// DropOnStop skips the final pass over pending IDs when Run stops; they are
	// left to the next poll (see [Dispatcher.Pending]).
	DropOnStop bool

	// OnPass, when set, is called after every pass with its hints, report and
	// error (from the Run goroutine; keep it quick).
	OnPass func(Hints, *Report, error)
	// Logger receives one record per pass (default: discard).
	Logger *slog.Logger
}

// DispatcherStats are a dispatcher's counters since it was made.
type DispatcherStats struct {
	// Events counts HubSpot events and ConnectWise callbacks received.
	Events int64
	// Echoes counts events dropped as the engine's own writes.
	Echoes int64
	// Unrouted counts events of objects the engine does not sync.
	Unrouted int64
	// Queued counts record IDs queued; Duplicates those already pending.
	Queued, Duplicates int64
	// Passes counts targeted passes run; FailedPasses those that returned an error.
	Passes, FailedPasses int64
	// Requeued counts IDs queued again after a failed pass; Abandoned those
	// given up after Retries (the poll still finds them), or stopped by the
	// mass-delete guard.
	Requeued, Abandoned int64
	// Deletions counts deleted record IDs queued; MergedAway counts HubSpot
	// deletion events dropped because a merge named their record.
	Deletions, MergedAway int64
	// Pending is the number of IDs waiting for a pass.
	Pending int
	// Running reports that a pass is in flight.
	Running bool
	// LastPassAt and LastPassDuration time the last pass.
	LastPassAt       time.Time
	LastPassDuration time.Duration
}

// hintKey is one record of one object on one side, changed or deleted.
type hintKey struct {
	object  string
	side    Side
	hs      string
	cw      int64
	deleted bool
}

// mergedTTL is how long the dispatcher remembers records a HubSpot merge took
// away: the 24 hours over which HubSpot retries a delivery (hubspot-api.md
// §10), so a late deletion event of a merged record is still recognised.
const mergedTTL = 24 * time.Hour

type pendingHint struct {
	key      hintKey
	seq      uint64
	at       time.Time
	attempts int
}

// Dispatcher turns HubSpot webhook events and ConnectWise callbacks into
// targeted passes ([Engine.RunHints]) over just the records they name. It
// debounces (a pass starts after Window without new events, or when the
// oldest event has waited MaxDelay, or when MaxBatch IDs are queued),
// deduplicates IDs, and runs one pass at a time; events arriving during a
// pass are queued for the next one, never lost. Webhook object types and
// callback types are routed to object names through the mapping.
//
// Webhooks are hints, not the source of truth: deliveries can be late,
// repeated, out of order or missing (hubspot-api.md §10, prior-art.md §6), so
// run a poll beside the dispatcher as the safety net. Both take turns on the
// engine, and a record seen by both is merely re-read:
//
//	d, _ := syncer.NewDispatcher(eng, m, &syncer.DispatcherOptions{HubSpotSourceIDs: []string{appID}})
//	mux.Handle("/webhooks/hubspot", d.HubSpotHandler(&hubspot.WebhookVerifier{ClientSecret: secret}, nil))
//	mux.Handle("/callbacks/connectwise", d.ConnectWiseHandler(cwClient, nil))
//	go d.Run(ctx)
//	go eng.Poll(ctx, 15*time.Minute, nil)
//
// A Dispatcher is safe for concurrent use; Run is called once.
type Dispatcher struct {
	r      HintRunner
	opts   DispatcherOptions
	routes routes
	log    *slog.Logger
	kick   chan struct{}

	mu    sync.Mutex
	queue []pendingHint
	index map[hintKey]struct{}
	// held are HubSpot deletions waiting DeleteDelay (at: when they are due);
	// merged are the records merge events took away, with when they were seen.
	held    []pendingHint
	merged  map[hintKey]time.Time
	pruned  time.Time // when merged last lost its expired entries
	seq     uint64    // last sequence number handed out
	doneSeq uint64    // every ID up to this one has been through a pass
	flushTo uint64
	retryAt time.Time
	// lastEvent is when the last hint arrived, duplicates included: the
	// window runs from it.
	lastEvent time.Time
	state     int // 0 new, 1 running, 2 stopping, 3 stopped
	stats     DispatcherStats
	last      *Report
	lastErr   error
	changed   chan struct{} // closed and replaced after every pass
	finished  chan struct{}
}

const (
	dispatcherNew = iota
	dispatcherRunning
	dispatcherStopping
	dispatcherStopped
)

// NewDispatcher returns a dispatcher running passes through r (usually the
// *Engine built with m). m routes webhook and callback types to object names.
func NewDispatcher(r HintRunner, m *mapping.Mapping, opts *DispatcherOptions) (*Dispatcher, error) {
	if r == nil || m == nil {
		return nil, fmt.Errorf("syncer: NewDispatcher: runner and mapping are required: %w", ErrInvalid)
	}
	var o DispatcherOptions
	if opts != nil {
		o = *opts
	}
	if o.Window < 0 || o.MaxDelay < 0 || o.MaxBatch < 0 || o.RetryDelay < 0 || o.StopGrace < 0 {
		return nil, fmt.Errorf("syncer: NewDispatcher: negative window, delay, batch or grace: %w", ErrInvalid)
	}
	o.Window = cmp.Or(o.Window, 2*time.Second)
	o.MaxDelay = max(cmp.Or(o.MaxDelay, 10*time.Second), o.Window)
	o.MaxBatch = cmp.Or(o.MaxBatch, 500)
	o.RetryDelay = cmp.Or(o.RetryDelay, 30*time.Second)
	o.StopGrace = cmp.Or(o.StopGrace, 30*time.Second)
	o.DeleteDelay = cmp.Or(o.DeleteDelay, time.Minute)
	if o.Retries == 0 {
		o.Retries = 3
	}
	objects := o.Objects
	if objects == nil {
		if e, ok := r.(interface{ Objects() []string }); ok {
			objects = e.Objects()
		} else {
			for _, obj := range m.Objects() {
				if obj.Enabled() {
					objects = append(objects, obj.Name())
				}
			}
		}
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Dispatcher{r: r, opts: o, routes: newRoutes(m, objects, o.HubSpotTypes, o.ConnectWiseTypes), log: log,
		kick: make(chan struct{}, 1), index: map[hintKey]struct{}{}, merged: map[hintKey]time.Time{}, changed: make(chan struct{}),
		finished: make(chan struct{})}, nil
}

// Add queues hints from another source (a custom feed, a replay). Objects the
// dispatcher does not route are queued as given; HubSpot deletions wait
// DeleteDelay like those of webhooks.
func (d *Dispatcher) Add(h Hints) error {
	var keys []hintKey
	for obj, oh := range h {
		for i, ids := range [][]string{oh.HubSpot, oh.DeletedHubSpot} {
			for _, id := range ids {
				if id != "" {
					keys = append(keys, hintKey{object: obj, side: SideHubSpot, hs: id, deleted: i == 1})
				}
			}
		}
		for i, ids := range [][]int64{oh.ConnectWise, oh.DeletedConnectWise} {
			for _, id := range ids {
				if id > 0 {
					keys = append(keys, hintKey{object: obj, side: SideConnectWise, cw: id, deleted: i == 1})
				}
			}
		}
	}
	return d.enqueue(0, 0, 0, keys)
}

// hintsOf groups pending IDs into Hints.
func hintsOf(ps ...[]pendingHint) Hints {
	h := Hints{}
	for _, list := range ps {
		for _, p := range list {
			k := p.key
			oh := h[k.object]
			switch {
			case k.side == SideHubSpot && k.deleted:
				oh.DeletedHubSpot = append(oh.DeletedHubSpot, k.hs)
			case k.side == SideHubSpot:
				oh.HubSpot = append(oh.HubSpot, k.hs)
			case k.deleted:
				oh.DeletedConnectWise = append(oh.DeletedConnectWise, k.cw)
			default:
				oh.ConnectWise = append(oh.ConnectWise, k.cw)
			}
			h[k.object] = oh
		}
	}
	return h
}

// noteMerged remembers the records merges took away and drops their held
// deletions.
func (d *Dispatcher) noteMerged(keys []hintKey) {
	if len(keys) == 0 {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	if now.Sub(d.pruned) > time.Hour {
		d.pruned = now
		for k, at := range d.merged {
			if now.Sub(at) > mergedTTL {
				delete(d.merged, k)
			}
		}
	}
	for _, k := range keys {
		d.merged[k] = now
		if _, ok := d.index[k]; !ok {
			continue
		}
		if i := slices.IndexFunc(d.held, func(p pendingHint) bool { return p.key == k }); i >= 0 {
			d.held = slices.Delete(d.held, i, i+1)
			delete(d.index, k)
			d.stats.MergedAway++
		}
	}
}

// releaseLocked moves the held deletions due by now (all of them when all is
// set) to the queue.
func (d *Dispatcher) releaseLocked(now time.Time, all bool) {
	n := 0
	for _, p := range d.held {
		if !all && p.at.After(now) {
			d.held[n] = p
			n++
			continue
		}
		delete(d.index, p.key)
		d.pushLocked(p.key, now, p.attempts, false)
	}
	clear(d.held[n:])
	d.held = d.held[:n]
}

func (d *Dispatcher) enqueue(events, echoes, unrouted int64, keys []hintKey) error {
	d.mu.Lock()
	if d.state >= dispatcherStopping {
		d.mu.Unlock()
		return ErrDispatcherStopped
	}
	d.stats.Events += events
	d.stats.Echoes += echoes
	d.stats.Unrouted += unrouted
	now := time.Now()
	if len(keys) > 0 {
		d.lastEvent = now
	}
	for _, k := range keys {
		if d.pushLocked(k, now, 0, true) && k.deleted {
			d.stats.Deletions++
		}
	}
	d.mu.Unlock()
	if len(keys) > 0 {
		d.wake()
	}
	return nil
}

// pushLocked queues k, or holds it for DeleteDelay when hold is set and k is
// a HubSpot deletion. It reports whether k was new.
func (d *Dispatcher) pushLocked(k hintKey, now time.Time, attempts int, hold bool) bool {
	if _, ok := d.index[k]; ok {
		d.stats.Duplicates++
		return false
	}
	if k.deleted && k.side == SideHubSpot {
		if _, ok := d.merged[k]; ok {
			d.stats.MergedAway++
			return false
		}
		if hold && d.opts.DeleteDelay > 0 {
			d.index[k] = struct{}{}
			d.held = append(d.held, pendingHint{key: k, at: now.Add(d.opts.DeleteDelay), attempts: attempts})
			return true
		}
	}
	d.seq++
	d.index[k] = struct{}{}
	d.queue = append(d.queue, pendingHint{key: k, seq: d.seq, at: now, attempts: attempts})
	d.stats.Queued++
	return true
}

func (d *Dispatcher) wake() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// due reports whether a pass should start now, else how long to wait (0:
// until an event arrives).
func (d *Dispatcher) dueLocked(now time.Time) (time.Duration, bool) {
	d.releaseLocked(now, false)
	if len(d.queue) == 0 {
		if len(d.held) == 0 {
			return 0, false
		}
		next := slices.MinFunc(d.held, func(a, b pendingHint) int { return a.at.Compare(b.at) }).at
		return max(next.Sub(now), time.Millisecond), false
	}
	if len(d.queue) >= d.opts.MaxBatch || d.flushTo > d.doneSeq {
		return 0, true
	}
	deadline := min(d.lastEvent.Add(d.opts.Window).UnixNano(), d.queue[0].at.Add(d.opts.MaxDelay).UnixNano())
	if r := d.retryAt.UnixNano(); !d.retryAt.IsZero() && r > deadline {
		deadline = r
	}
	if wait := time.Duration(deadline - now.UnixNano()); wait > 0 {
		return wait, false
	}
	return 0, true
}

// Run dispatches until ctx is done. It then lets the pass in flight finish
// and, unless DropOnStop is set, runs a final pass over the IDs still
// pending, both within StopGrace; IDs left after that are reported by
// [Dispatcher.Pending] (the poll picks their records up). Events arriving
// after ctx is done are refused with [ErrDispatcherStopped], so their senders
// deliver them again later. Run returns ctx.Err().
func (d *Dispatcher) Run(ctx context.Context) error {
	d.mu.Lock()
	if d.state != dispatcherNew {
		d.mu.Unlock()
		return errors.New("syncer: Dispatcher.Run called twice")
	}
	d.state = dispatcherRunning
	d.mu.Unlock()
	defer close(d.finished)

	passCtx, cancelPass := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelPass()
	var grace *time.Timer
	stopAfter := context.AfterFunc(ctx, func() {
		d.mu.Lock()
		d.state = dispatcherStopping
		grace = time.AfterFunc(d.opts.StopGrace, cancelPass)
		d.mu.Unlock()
	})
	defer func() {
		stopAfter()
		d.mu.Lock()
		if grace != nil {
			grace.Stop()
		}
		d.mu.Unlock()
	}()

	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for ctx.Err() == nil {
		d.mu.Lock()
		wait, ready := d.dueLocked(time.Now())
		d.mu.Unlock()
		if ready {
			d.pass(passCtx)
			continue
		}
		var tc <-chan time.Time
		if wait > 0 {
			timer.Reset(wait)
			tc = timer.C
		}
		select {
		case <-ctx.Done():
		case <-d.kick:
		case <-tc:
		}
		timer.Stop()
	}

	d.mu.Lock()
	d.state = dispatcherStopping
	d.retryAt = time.Time{}
	if !d.opts.DropOnStop {
		d.releaseLocked(time.Now(), true)
	}
	pending := len(d.queue)
	d.mu.Unlock()
	if pending > 0 && !d.opts.DropOnStop {
		d.log.Info("syncer: dispatcher stopping; final pass over pending hints", "pending", pending)
		for passCtx.Err() == nil && d.Pending() > 0 {
			d.pass(passCtx)
		}
	}
	d.mu.Lock()
	d.state = dispatcherStopped
	if n := len(d.queue); n > 0 {
		d.log.Warn("syncer: dispatcher stopped with hints pending; the poll will find their records", "pending", n)
	}
	close(d.changed)
	d.changed = make(chan struct{})
	d.mu.Unlock()
	return ctx.Err()
}

// pass takes up to MaxBatch pending IDs and runs one targeted pass over them.
func (d *Dispatcher) pass(ctx context.Context) {
	d.mu.Lock()
	n := min(len(d.queue), d.opts.MaxBatch)
	batch := slices.Clone(d.queue[:n])
	d.queue = slices.Delete(d.queue, 0, n)
	for _, p := range batch {
		delete(d.index, p.key)
	}
	upTo := d.seq
	if len(d.queue) > 0 {
		upTo = batch[len(batch)-1].seq
	}
	d.retryAt = time.Time{}
	d.stats.Running = true
	d.mu.Unlock()

	h := hintsOf(batch)
	start := time.Now()
	rep, err := d.r.RunHints(ctx, h)
	took := time.Since(start)

	d.mu.Lock()
	d.stats.Running = false
	d.stats.Passes++
	d.stats.LastPassAt, d.stats.LastPassDuration = start, took
	d.last, d.lastErr = rep, err
	if err != nil {
		d.stats.FailedPasses++
		now := time.Now()
		massDelete := errors.Is(err, ErrMassDelete)
		for _, p := range batch {
			// Deletions the guard stopped would be stopped again: they wait
			// for a person (Engine.HandleDeleted, SweepDeletes).
			if d.opts.Retries < 0 || p.attempts >= d.opts.Retries || d.state >= dispatcherStopped || massDelete && p.key.deleted {
				d.stats.Abandoned++
				continue
			}
			if d.pushLocked(p.key, now, p.attempts+1, false) {
				d.stats.Requeued++
			}
		}
		if d.state == dispatcherRunning {
			d.retryAt = now.Add(d.opts.RetryDelay)
		}
	}
	d.doneSeq = max(d.doneSeq, upTo)
	close(d.changed)
	d.changed = make(chan struct{})
	d.mu.Unlock()

	if err != nil {
		d.log.Warn("syncer: targeted pass failed; its IDs are queued again", "ids", len(batch), "error", err)
	} else {
		d.log.Info("syncer: targeted pass", "ids", len(batch), "writes", rep.Writes(), "duration", took)
	}
	if d.opts.OnPass != nil {
		d.opts.OnPass(h, rep, err)
	}
}

// Flush starts a pass over everything queued so far without waiting for the
// window, waits for it, and returns its report and error (the last pass's
// when nothing was pending). HubSpot deletions still waiting DeleteDelay are
// not part of it. It needs Run to be running; it returns
// ctx.Err() when ctx ends first, and [ErrDispatcherStopped] when Run stopped
// before the pass.
func (d *Dispatcher) Flush(ctx context.Context) (*Report, error) {
	d.mu.Lock()
	target := d.seq
	if d.doneSeq >= target {
		rep, err := d.last, d.lastErr
		d.mu.Unlock()
		return rep, err
	}
	d.flushTo = max(d.flushTo, target)
	ch := d.changed
	d.mu.Unlock()
	d.wake()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-ch:
		}
		d.mu.Lock()
		if d.doneSeq >= target {
			rep, err := d.last, d.lastErr
			d.mu.Unlock()
			return rep, err
		}
		if d.state == dispatcherStopped {
			d.mu.Unlock()
			return nil, ErrDispatcherStopped
		}
		ch = d.changed
		d.mu.Unlock()
	}
}

// Done is closed when Run has returned.
func (d *Dispatcher) Done() <-chan struct{} { return d.finished }

// LastReport returns the report and error of the last targeted pass (nil, nil
// before the first).
func (d *Dispatcher) LastReport() (*Report, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.last, d.lastErr
}

// Stats returns the dispatcher's counters.
func (d *Dispatcher) Stats() DispatcherStats {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.stats
	s.Pending = len(d.queue) + len(d.held)
	return s
}

// Pending returns the number of record IDs waiting for a pass, HubSpot
// deletions waiting DeleteDelay included.
func (d *Dispatcher) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.queue) + len(d.held)
}

// PendingHints returns the IDs waiting for a pass, for a host that wants to
// persist or log them when the dispatcher stops.
func (d *Dispatcher) PendingHints() Hints {
	d.mu.Lock()
	defer d.mu.Unlock()
	return hintsOf(d.queue, d.held)
}

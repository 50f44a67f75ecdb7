package storetest

import (
	"context"
	"errors"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

// OpenFunc returns a new, empty store whose clock is clock. It registers any
// cleanup (closing, removing files) with tb.Cleanup.
type OpenFunc func(tb testing.TB, clock func() time.Time) syncer.StateStore

// Options configure [Run]. The zero value (or nil) runs every section that needs
// no hook.
type Options struct {
	// Reopen, for durable drivers, closes s and returns a store opened again over
	// the same data with clock. When nil the persistence tests are skipped.
	Reopen func(tb testing.TB, s syncer.StateStore, clock func() time.Time) syncer.StateStore
}

// Run runs the conformance suite against the driver that open creates. Every
// subtest opens its own store. opts may be nil.
func Run(t *testing.T, open OpenFunc, opts *Options) {
	if opts == nil {
		opts = &Options{}
	}
	h := &harness{open: open, opts: *opts}
	t.Run("Links", h.testLinks)
	t.Run("Cursors", h.testCursors)
	t.Run("Intents", h.testIntents)
	t.Run("DeadLetters", h.testDeadLetters)
	t.Run("Conflicts", h.testConflicts)
	t.Run("Batch", h.testBatch)
	t.Run("Concurrency", h.testConcurrency)
	t.Run("Context", h.testContext)
	t.Run("TenantIsolation", h.testTenantIsolation)
	t.Run("Persistence", h.testPersistence)
	t.Run("Leaser", h.testLeaser)
}

type harness struct {
	open OpenFunc
	opts Options
}

// env is one subtest's store and clock.
type env struct {
	t     *testing.T
	s     syncer.StateStore
	clock *Clock
	ctx   context.Context
}

func (h *harness) env(t *testing.T) *env {
	t.Helper()
	c := NewClock(t0)
	s := h.open(t, c.Now)
	require.NotNil(t, s, "open returned nil")
	return &env{t: t, s: s, clock: c, ctx: context.Background()}
}

// t0 is the suite's starting time: deliberately not in UTC and with nanoseconds,
// to check the store's time normalisation.
var t0 = time.Date(2026, 11, 27, 13, 4, 5, 123456789, time.FixedZone("CET", 3600))

// Clock is a manual clock safe for concurrent use, handed to drivers under test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// norm is the contract's time rule.
func norm(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func (e *env) commit(tenant string, b *syncer.Batch) {
	e.t.Helper()
	require.NoError(e.t, e.s.Commit(e.ctx, tenant, b))
}

// commitErr commits b, requires an error matching target, and returns it.
func (e *env) commitErr(tenant string, b *syncer.Batch, target error) error {
	e.t.Helper()
	err := e.s.Commit(e.ctx, tenant, b)
	require.Error(e.t, err)
	require.ErrorIs(e.t, err, target, "error: %v", err)
	return err
}

func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	out := []T{}
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// seqErr returns the first error seq yields and how many values came before it.
func seqErr[T any](seq iter.Seq2[T, error]) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

func canonLink(l syncer.Link) syncer.Link {
	l.Base = nilIfEmpty(l.Base)
	return l
}

func canonIntent(i syncer.Intent) syncer.Intent {
	i.Payload = nilIfEmpty(i.Payload)
	return i
}

func canonConflict(c syncer.Conflict) syncer.Conflict {
	c.HubSpotValue = nilIfEmpty(c.HubSpotValue)
	c.ConnectWiseValue = nilIfEmpty(c.ConnectWiseValue)
	c.BaseValue = nilIfEmpty(c.BaseValue)
	return c
}

func (e *env) link(tenant, object, hs string) (syncer.Link, error) {
	l, err := e.s.LinkByHubSpotID(e.ctx, tenant, object, hs)
	return canonLink(l), err
}

func (e *env) linkCW(tenant, object string, cw int64) (syncer.Link, error) {
	l, err := e.s.LinkByConnectWiseID(e.ctx, tenant, object, cw)
	return canonLink(l), err
}

// requireNoLink asserts that neither hs nor cw is linked in object.
func (e *env) requireNoLink(tenant, object, hs string, cw int64) {
	e.t.Helper()
	_, err := e.s.LinkByHubSpotID(e.ctx, tenant, object, hs)
	assert.ErrorIs(e.t, err, syncer.ErrNotFound, "hubspot %s", hs)
	_, err = e.s.LinkByConnectWiseID(e.ctx, tenant, object, cw)
	assert.ErrorIs(e.t, err, syncer.ErrNotFound, "connectwise %d", cw)
}

func (e *env) intents(tenant, object string) []syncer.Intent {
	e.t.Helper()
	out := collect(e.t, e.s.ListIntents(e.ctx, tenant, object))
	for i := range out {
		out[i] = canonIntent(out[i])
	}
	return out
}

func (e *env) deadLetters(tenant string, opts *syncer.DeadLetterListOptions) []syncer.DeadLetter {
	e.t.Helper()
	return collect(e.t, e.s.ListDeadLetters(e.ctx, tenant, opts))
}

func (e *env) conflicts(tenant, object string) []syncer.Conflict {
	e.t.Helper()
	out := collect(e.t, e.s.ListConflicts(e.ctx, tenant, object))
	for i := range out {
		out[i] = canonConflict(out[i])
	}
	return out
}

func (e *env) links(tenant, object string, opts *syncer.LinkListOptions) []syncer.Link {
	e.t.Helper()
	out := collect(e.t, e.s.ListLinks(e.ctx, tenant, object, opts))
	for i := range out {
		out[i] = canonLink(out[i])
	}
	return out
}

func isOpError(t *testing.T, err error, index int) {
	t.Helper()
	var oe *syncer.OpError
	if assert.True(t, errors.As(err, &oe), "want *syncer.OpError, got %T: %v", err, err) {
		assert.Equal(t, index, oe.Index, "failing op index")
	}
}

// with returns e bound to a subtest, so assertions fail the right test.
func (e *env) with(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

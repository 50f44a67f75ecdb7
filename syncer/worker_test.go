package syncer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
)

// workerRegistry serves tenants on in-memory sides, one company each.
type workerRegistry struct {
	m       *mapping.Mapping
	tenants []string
	mu      sync.Mutex
	sides   map[string]*memSides
	configs atomic.Int64
	fail    error // when set, Config fails with it
}

type memSides struct {
	hs *memHS
	cw *memCW
}

func newWorkerRegistry(t testing.TB, n int) *workerRegistry {
	r := &workerRegistry{m: compile(t, spec("companies")), sides: map[string]*memSides{}}
	for i := range n {
		t := fmt.Sprintf("tenant-%02d", i)
		r.tenants = append(r.tenants, t)
		s := &memSides{hs: newMemHS(time.Now), cw: newMemCW(time.Now)}
		s.cw.put("company/companies", map[string]any{"name": "Acme " + t, "identifier": fmt.Sprintf("Acme%02d", i)})
		r.sides[t] = s
	}
	return r
}

func (r *workerRegistry) Tenants(context.Context) ([]string, error) {
	return append([]string(nil), r.tenants...), nil
}

func (r *workerRegistry) Config(_ context.Context, tenant string) (syncer.Config, error) {
	r.configs.Add(1)
	if r.fail != nil {
		return syncer.Config{}, r.fail
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.sides[tenant]
	return syncer.Config{HubSpot: s.hs, ConnectWise: s.cw, Mapping: r.m}, nil
}

// reports collects pass reports.
type reports struct {
	mu   sync.Mutex
	list []*syncer.PassReport
}

func (r *reports) add(p *syncer.PassReport) {
	r.mu.Lock()
	r.list = append(r.list, p)
	r.mu.Unlock()
}

func (r *reports) all() []*syncer.PassReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*syncer.PassReport(nil), r.list...)
}

// runWorker runs w until the returned stop function is called; stop returns
// Run's error.
func runWorker(w *syncer.Worker) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	return func() error {
		cancel()
		return <-done
	}
}

// Two workers with two slots each share five tenants for ten minutes: no
// tenant ever runs on both at once, every tenant gets its turns at the poll
// interval, and both workers work.
func TestWorkersNeverShareTenant(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reg := newWorkerRegistry(t, 5)
		store := memstore.New(nil)
		var mu sync.Mutex
		running := map[string]string{}
		var overlaps []string
		passes := map[string][]*syncer.PassReport{}
		byWorker := map[string]int{}
		pass := func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
			l, ok := syncer.LeaseFromContext(ctx)
			require.True(t, ok)
			mu.Lock()
			if other := running[e.Tenant()]; other != "" {
				overlaps = append(overlaps, e.Tenant()+": "+other+" and "+l.Holder)
			}
			running[e.Tenant()] = l.Holder
			mu.Unlock()
			time.Sleep(3 * time.Second) // API latency
			rep, err := e.Run(ctx)
			mu.Lock()
			running[e.Tenant()] = ""
			mu.Unlock()
			return rep, err
		}
		onReport := func(p *syncer.PassReport) {
			mu.Lock()
			passes[p.Tenant] = append(passes[p.Tenant], p)
			byWorker[p.Worker]++
			mu.Unlock()
		}
		var stops []func() error
		for _, id := range []string{"w1", "w2"} {
			w, err := syncer.NewWorker(store, reg, &syncer.WorkerOptions{ID: id, MaxTenants: 2, LeaseTTL: 30 * time.Second,
				PollInterval: 20 * time.Second, ScanInterval: time.Second, Pass: pass, OnReport: onReport})
			require.NoError(t, err)
			stops = append(stops, runWorker(w))
		}
		time.Sleep(10 * time.Minute)
		for _, stop := range stops {
			assert.ErrorIs(t, stop(), context.Canceled)
		}
		assert.Empty(t, overlaps)
		assert.Positive(t, byWorker["w1"])
		assert.Positive(t, byWorker["w2"])
		for _, tenant := range reg.tenants {
			ps := passes[tenant]
			// 10 minutes, a pass of 3 s, then 20 s of rest: 27 passes at most.
			assert.GreaterOrEqual(t, len(ps), 20, tenant)
			ps = slices.DeleteFunc(ps, func(p *syncer.PassReport) bool { return p.Abandoned }) // the shutdown's
			assert.LessOrEqual(t, len(ps), 27, tenant)
			for i, p := range ps {
				assert.NoError(t, p.Err, tenant)
				assert.NotNil(t, p.Report)
				if i > 0 {
					prevEnd := ps[i-1].StartedAt.Add(ps[i-1].Duration)
					assert.GreaterOrEqual(t, p.StartedAt.Sub(prevEnd), 20*time.Second, "%s pass %d came before its poll interval", tenant, i)
					assert.Greater(t, p.Lease.Generation, ps[i-1].Lease.Generation)
				}
			}
			// The one company was created once.
			assert.Len(t, reg.sides[tenant].hs.sorted("companies"), 1)
		}
	})
}

// One worker with one slot takes the tenants in turn, least recently run
// first.
func TestWorkerTurnTaking(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reg := newWorkerRegistry(t, 4)
		var rs reports
		w, err := syncer.NewWorker(memstore.New(nil), reg, &syncer.WorkerOptions{ID: "w1", PollInterval: 10 * time.Second,
			ScanInterval: time.Second, OnReport: rs.add, Pass: func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
				time.Sleep(time.Second)
				return e.Run(ctx)
			}})
		require.NoError(t, err)
		stop := runWorker(w)
		time.Sleep(time.Minute)
		require.ErrorIs(t, stop(), context.Canceled)
		got := rs.all()
		require.GreaterOrEqual(t, len(got), 12)
		for i := 4; i < len(got); i++ {
			assert.Equal(t, got[i-4].Tenant, got[i].Tenant, "turn %d", i)
		}
	})
}

// A worker paused past its lease's expiry (the store's clock jumps; the
// worker's own timers see nothing, as with SIGSTOP or a long GC pause) while
// another holder took the tenant over cannot commit: ErrFenced ends the pass,
// nothing of it is stored, and the worker drops the tenant and says so.
func TestWorkerPausedIsFenced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var skew atomic.Int64
		store := memstore.New(&memstore.Options{Clock: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }})
		reg := newWorkerRegistry(t, 1)
		tenant := reg.tenants[0]
		started, resume := make(chan struct{}), make(chan struct{})
		var logs bytes.Buffer
		var rs reports
		w, err := syncer.NewWorker(store, reg, &syncer.WorkerOptions{ID: "w1", LeaseTTL: 30 * time.Second,
			PollInterval: time.Hour, OnReport: rs.add, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
			Pass: func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
				close(started)
				<-resume
				return e.Run(ctx)
			}})
		require.NoError(t, err)
		stop := runWorker(w)
		<-started
		skew.Store(int64(time.Minute))
		other, err := store.AcquireLease(context.Background(), tenant, "w2", 30*time.Second)
		require.NoError(t, err)
		assert.EqualValues(t, 2, other.Generation)
		close(resume)
		synctest.Wait()

		got := rs.all()
		require.Len(t, got, 1)
		assert.True(t, got[0].LeaseLost)
		assert.ErrorIs(t, got[0].Err, syncer.ErrFenced)
		assert.EqualValues(t, 1, got[0].Lease.Generation)
		_, err = store.Cursor(context.Background(), tenant, "companies/connectwise")
		assert.ErrorIs(t, err, syncer.ErrNotFound, "the stale pass committed nothing")
		_, err = store.Cursor(context.Background(), tenant, syncer.LastPassCursor)
		assert.ErrorIs(t, err, syncer.ErrNotFound)
		assert.Contains(t, logs.String(), "worker lost the lease")
		assert.Contains(t, logs.String(), "tenant="+tenant)
		// The new holder's lease was left alone.
		_, err = store.RenewLease(context.Background(), other, 30*time.Second)
		assert.NoError(t, err)
		require.ErrorIs(t, stop(), context.Canceled)
	})
}

// A renewal refused with ErrFenced cancels the pass at once.
func TestWorkerRenewalRefusedCancelsPass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var skew atomic.Int64
		store := memstore.New(&memstore.Options{Clock: func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }})
		reg := newWorkerRegistry(t, 1)
		started := make(chan struct{})
		var rs reports
		w, err := syncer.NewWorker(store, reg, &syncer.WorkerOptions{ID: "w1", LeaseTTL: 30 * time.Second,
			PollInterval: time.Hour, OnReport: rs.add,
			Pass: func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
				close(started)
				<-ctx.Done()
				return nil, ctx.Err()
			}})
		require.NoError(t, err)
		stop := runWorker(w)
		<-started
		skew.Store(int64(time.Minute))
		_, err = store.AcquireLease(context.Background(), reg.tenants[0], "w2", time.Hour)
		require.NoError(t, err)
		time.Sleep(10*time.Second + time.Millisecond) // the first renewal
		synctest.Wait()
		got := rs.all()
		require.Len(t, got, 1)
		assert.True(t, got[0].LeaseLost)
		assert.ErrorIs(t, got[0].Err, syncer.ErrFenced)
		require.ErrorIs(t, stop(), context.Canceled)
	})
}

// Renewals that keep failing (the database is unreachable) end the pass
// before the lease runs out in the store.
func TestWorkerLeaseRunsOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := &flakyLeaser{Store: memstore.New(nil)}
		reg := newWorkerRegistry(t, 1)
		var rs reports
		var ended time.Duration
		w, err := syncer.NewWorker(store, reg, &syncer.WorkerOptions{ID: "w1", LeaseTTL: 30 * time.Second,
			PollInterval: time.Hour, OnReport: rs.add,
			Pass: func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
				start := time.Now()
				store.failRenew.Store(true)
				<-ctx.Done()
				ended = time.Since(start)
				return nil, ctx.Err()
			}})
		require.NoError(t, err)
		stop := runWorker(w)
		time.Sleep(time.Minute)
		got := rs.all()
		require.Len(t, got, 1)
		assert.True(t, got[0].LeaseLost)
		assert.ErrorIs(t, got[0].Err, syncer.ErrFenced)
		assert.Less(t, ended, 30*time.Second)
		require.ErrorIs(t, stop(), context.Canceled)
	})
}

type flakyLeaser struct {
	*memstore.Store
	failRenew atomic.Bool
}

func (f *flakyLeaser) RenewLease(ctx context.Context, l syncer.Lease, ttl time.Duration) (syncer.Lease, error) {
	if f.failRenew.Load() {
		return syncer.Lease{}, fmt.Errorf("flaky: %w", syncer.ErrUnavailable)
	}
	return f.Store.RenewLease(ctx, l, ttl)
}

// Cancelling Run abandons the passes in flight and releases their leases, so
// another worker can take the tenants at once.
func TestWorkerShutdownReleasesLeases(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := memstore.New(nil)
		reg := newWorkerRegistry(t, 3)
		var inFlight sync.WaitGroup
		inFlight.Add(3)
		var rs reports
		w, err := syncer.NewWorker(store, reg, &syncer.WorkerOptions{ID: "w1", MaxTenants: 3, OnReport: rs.add,
			Pass: func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
				inFlight.Done()
				<-ctx.Done()
				return nil, ctx.Err()
			}})
		require.NoError(t, err)
		stop := runWorker(w)
		inFlight.Wait()
		require.ErrorIs(t, stop(), context.Canceled)
		got := rs.all()
		require.Len(t, got, 3)
		for _, p := range got {
			assert.True(t, p.Abandoned, p.Tenant)
			assert.False(t, p.LeaseLost, p.Tenant)
		}
		for _, tenant := range reg.tenants {
			l, err := store.AcquireLease(context.Background(), tenant, "w2", time.Minute)
			require.NoError(t, err, tenant)
			assert.EqualValues(t, 2, l.Generation)
			// An abandoned pass does not count as a turn: the tenant is due.
			_, err = store.Cursor(context.Background(), tenant, syncer.LastPassCursor)
			assert.ErrorIs(t, err, syncer.ErrNotFound)
		}
	})
}

// With a shutdown grace, a pass in flight finishes, is recorded and its
// lease released.
func TestWorkerShutdownGraceFinishesPass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := memstore.New(nil)
		reg := newWorkerRegistry(t, 1)
		started := make(chan struct{})
		var rs reports
		w, err := syncer.NewWorker(store, reg, &syncer.WorkerOptions{ID: "w1", ShutdownGrace: 10 * time.Second, OnReport: rs.add,
			Pass: func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
				close(started)
				time.Sleep(2 * time.Second)
				return e.Run(ctx)
			}})
		require.NoError(t, err)
		stop := runWorker(w)
		<-started
		require.ErrorIs(t, stop(), context.Canceled)
		got := rs.all()
		require.Len(t, got, 1)
		assert.False(t, got[0].Abandoned)
		assert.NoError(t, got[0].Err)
		assert.Equal(t, 1, got[0].Report.Count("companies", syncer.OutcomeCreated))
		_, err = store.Cursor(context.Background(), reg.tenants[0], syncer.LastPassCursor)
		assert.NoError(t, err)
		_, err = store.AcquireLease(context.Background(), reg.tenants[0], "w2", time.Minute)
		assert.NoError(t, err)
	})
}

// A tenant whose config fails is reported and rests for the poll interval
// like any other: no hot loop.
func TestWorkerConfigErrorRests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		reg := newWorkerRegistry(t, 1)
		reg.fail = errors.New("credentials revoked")
		var rs reports
		w, err := syncer.NewWorker(memstore.New(nil), reg, &syncer.WorkerOptions{PollInterval: 10 * time.Second, OnReport: rs.add})
		require.NoError(t, err)
		stop := runWorker(w)
		time.Sleep(time.Minute - time.Millisecond)
		require.ErrorIs(t, stop(), context.Canceled)
		assert.EqualValues(t, 6, reg.configs.Load())
		for _, p := range rs.all() {
			assert.ErrorContains(t, p.Err, "credentials revoked")
			assert.Nil(t, p.Report)
		}
	})
}

func TestNewWorkerChecks(t *testing.T) {
	reg := newWorkerRegistry(t, 1)
	_, err := syncer.NewWorker(struct{ syncer.StateStore }{memstore.New(nil)}, reg, nil)
	assert.ErrorContains(t, err, "does not implement Leaser")
	_, err = syncer.NewWorker(memstore.New(nil), nil, nil)
	assert.Error(t, err)
	_, err = syncer.NewWorker(memstore.New(nil), reg, &syncer.WorkerOptions{LeaseTTL: time.Second, RenewEvery: time.Second})
	assert.ErrorContains(t, err, "RenewEvery")
	w, err := syncer.NewWorker(memstore.New(nil), reg, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, w.ID())
	w2, err := syncer.NewWorker(memstore.New(nil), reg, nil)
	require.NoError(t, err)
	assert.NotEqual(t, w.ID(), w2.ID())
}

// HubSpot's daily limit makes the tenant rest until the reset, for every
// worker sharing the store.
func TestWorkerDailyLimitRestsUntilReset(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := memstore.New(nil)
		reg := newWorkerRegistry(t, 1)
		reset := time.Now().Add(time.Hour)
		var passes atomic.Int64
		daily := func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
			if passes.Add(1) == 1 {
				return nil, &hubspot.RateLimitError{APIError: &hubspot.APIError{StatusCode: 429, Message: "daily"},
					Policy: "DAILY", ResetAt: reset}
			}
			return e.Run(ctx)
		}
		var stops []func() error
		for _, id := range []string{"w1", "w2"} {
			w, err := syncer.NewWorker(store, reg, &syncer.WorkerOptions{ID: id, PollInterval: 10 * time.Second, Pass: daily})
			require.NoError(t, err)
			stops = append(stops, runWorker(w))
		}
		time.Sleep(59 * time.Minute)
		assert.EqualValues(t, 1, passes.Load(), "no pass before the reset")
		time.Sleep(time.Minute + 5*time.Second)
		assert.EqualValues(t, 2, passes.Load(), "one pass at the reset")
		for _, stop := range stops {
			require.ErrorIs(t, stop(), context.Canceled)
		}
	})
}

package syncer_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/syncer"
)

// fakeRunner records the hints of every pass; block, when set, holds a pass
// until a value is sent; fail makes passes fail.
type fakeRunner struct {
	mu     sync.Mutex
	passes []syncer.Hints
	block  chan struct{}
	fail   int
}

func (f *fakeRunner) RunHints(ctx context.Context, h syncer.Hints) (*syncer.Report, error) {
	f.mu.Lock()
	f.passes = append(f.passes, h)
	block := f.block
	fail := f.fail > 0
	if fail {
		f.fail--
	}
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if fail {
		return &syncer.Report{}, errors.New("boom")
	}
	return &syncer.Report{Tenant: "t"}, nil
}

func (f *fakeRunner) all() []syncer.Hints {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.passes)
}

func newDispatcher(t *testing.T, r syncer.HintRunner, o *syncer.DispatcherOptions) *syncer.Dispatcher {
	t.Helper()
	d, err := syncer.NewDispatcher(r, compile(t, spec("companies", "contacts", "deals")), o)
	require.NoError(t, err)
	return d
}

func hsEvent(typ string, id int64) hubspot.Event {
	return hubspot.Event{SubscriptionType: typ, ObjectID: id, ChangeSource: "CRM_UI", SourceID: "userId:1"}
}

// start runs d until the test's bubble ends and returns a stop function that
// cancels it and waits.
func start(d *syncer.Dispatcher) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	return func() error { cancel(); return <-errc }
}

func TestDispatcherDebouncesBurst(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: 2 * time.Second, MaxDelay: 10 * time.Second})
		stop := start(d)
		ctx := context.Background()
		// 50 events over one second, several naming the same records.
		for i := range 50 {
			require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{hsEvent("contact.propertyChange", int64(100+i%40))}))
			time.Sleep(20 * time.Millisecond)
		}
		synctest.Wait()
		assert.Empty(t, r.all(), "no pass before the window")
		time.Sleep(2 * time.Second)
		synctest.Wait()
		passes := r.all()
		require.Len(t, passes, 1)
		assert.Len(t, passes[0]["contacts"].HubSpot, 40, "deduplicated")
		st := d.Stats()
		assert.EqualValues(t, 50, st.Events)
		assert.EqualValues(t, 40, st.Queued)
		assert.EqualValues(t, 10, st.Duplicates)
		assert.EqualValues(t, 1, st.Passes)
		assert.ErrorIs(t, stop(), context.Canceled)
	})
}

func TestDispatcherMaxDelayAndBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second, MaxDelay: 2900 * time.Millisecond, MaxBatch: 10})
		stop := start(d)
		ctx := context.Background()
		// A steady stream never leaves a quiet second: MaxDelay starts a pass.
		t0 := time.Now()
		for i := range 7 {
			require.NoError(t, d.ConnectWiseCallback(ctx, &connectwise.CallbackEvent{Action: "updated", Type: "company", ID: i + 1}))
			time.Sleep(500 * time.Millisecond)
		}
		synctest.Wait()
		passes := r.all()
		require.Len(t, passes, 1)
		assert.Equal(t, []int64{1, 2, 3, 4, 5, 6}, passes[0]["companies"].ConnectWise, "the pass at 2.9 s")
		time.Sleep(time.Second)
		synctest.Wait()
		passes = r.all()
		require.Len(t, passes, 2)
		assert.Equal(t, []int64{7}, passes[1]["companies"].ConnectWise)
		assert.Equal(t, 4500*time.Millisecond, time.Since(t0))

		// 25 IDs at once: full batches of 10 start at once, the rest after the window.
		hints := syncer.Hints{"deals": {}}
		for i := range 25 {
			oh := hints["deals"]
			oh.ConnectWise = append(oh.ConnectWise, int64(100+i))
			hints["deals"] = oh
		}
		require.NoError(t, d.Add(hints))
		synctest.Wait()
		require.Len(t, r.all(), 4)
		time.Sleep(time.Second)
		synctest.Wait()
		passes = r.all()
		require.Len(t, passes, 5)
		for i, n := range []int{10, 10, 5} {
			assert.Len(t, passes[i+2]["deals"].ConnectWise, n)
		}
		assert.ErrorIs(t, stop(), context.Canceled)
	})
}

// Events arriving while a pass runs go into the next pass.
func TestDispatcherEventsDuringPass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{block: make(chan struct{})}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second})
		stop := start(d)
		ctx := context.Background()
		require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{hsEvent("company.creation", 1)}))
		time.Sleep(time.Second)
		synctest.Wait()
		require.Len(t, r.all(), 1)
		assert.True(t, d.Stats().Running)
		// During the pass: the same record again and a new one.
		require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{hsEvent("company.propertyChange", 1), hsEvent("company.propertyChange", 2)}))
		time.Sleep(5 * time.Second)
		synctest.Wait()
		require.Len(t, r.all(), 1, "one pass at a time")
		r.block <- struct{}{}
		synctest.Wait()
		close(r.block)
		time.Sleep(time.Second)
		synctest.Wait()
		passes := r.all()
		require.Len(t, passes, 2)
		assert.Equal(t, []string{"1", "2"}, passes[1]["companies"].HubSpot)
		assert.ErrorIs(t, stop(), context.Canceled)
	})
}

func TestDispatcherRetriesFailedPass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{fail: 1}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second, RetryDelay: 10 * time.Second})
		stop := start(d)
		require.NoError(t, d.Add(syncer.Hints{"contacts": {HubSpot: []string{"7"}}}))
		time.Sleep(time.Second)
		synctest.Wait()
		require.Len(t, r.all(), 1)
		_, err := d.LastReport()
		require.Error(t, err)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		require.Len(t, r.all(), 1, "waits RetryDelay")
		time.Sleep(5 * time.Second)
		synctest.Wait()
		require.Len(t, r.all(), 2)
		_, err = d.LastReport()
		require.NoError(t, err)
		st := d.Stats()
		assert.EqualValues(t, 1, st.FailedPasses)
		assert.EqualValues(t, 1, st.Requeued)
		assert.Zero(t, st.Pending)
		assert.ErrorIs(t, stop(), context.Canceled)
	})
}

// On stop, the pass in flight finishes and what was pending gets a final
// pass; afterwards events are refused so their senders retry.
func TestDispatcherStopFlushes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{block: make(chan struct{})}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second})
		stop := start(d)
		ctx := context.Background()
		require.NoError(t, d.Add(syncer.Hints{"companies": {ConnectWise: []int64{1}}}))
		time.Sleep(time.Second)
		synctest.Wait()
		require.NoError(t, d.Add(syncer.Hints{"companies": {ConnectWise: []int64{2}}}))
		errc := make(chan error, 1)
		go func() { errc <- stop() }()
		synctest.Wait()
		assert.ErrorIs(t, d.Add(syncer.Hints{"companies": {ConnectWise: []int64{3}}}), syncer.ErrDispatcherStopped)
		assert.ErrorIs(t, d.ConnectWiseCallback(ctx, &connectwise.CallbackEvent{Type: "company", ID: 3}), syncer.ErrDispatcherStopped)
		close(r.block) // the pass in flight finishes
		assert.ErrorIs(t, <-errc, context.Canceled)
		passes := r.all()
		require.Len(t, passes, 2)
		assert.Equal(t, []int64{2}, passes[1]["companies"].ConnectWise)
		assert.Zero(t, d.Pending())
		<-d.Done()
	})
}

func TestDispatcherStopGraceAndDrop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{block: make(chan struct{})}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second, StopGrace: 5 * time.Second, DropOnStop: true})
		stop := start(d)
		require.NoError(t, d.Add(syncer.Hints{"companies": {ConnectWise: []int64{1}}}))
		time.Sleep(time.Second)
		synctest.Wait()
		require.NoError(t, d.Add(syncer.Hints{"companies": {ConnectWise: []int64{2}}}))
		t0 := time.Now()
		assert.ErrorIs(t, stop(), context.Canceled)
		assert.Equal(t, 5*time.Second, time.Since(t0), "a hung pass is cancelled after StopGrace")
		require.Len(t, r.all(), 1)
		// The cancelled pass's ID is pending again, after the one never run.
		assert.Equal(t, syncer.Hints{"companies": {ConnectWise: []int64{2, 1}}}, d.PendingHints())
	})
}

func TestDispatcherFlush(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Hour})
		stop := start(d)
		ctx := context.Background()
		rep, err := d.Flush(ctx)
		require.NoError(t, err)
		assert.Nil(t, rep, "nothing pending, no pass yet")
		require.NoError(t, d.Add(syncer.Hints{"contacts": {HubSpot: []string{"1"}}}))
		rep, err = d.Flush(ctx)
		require.NoError(t, err)
		require.NotNil(t, rep)
		require.Len(t, r.all(), 1)
		assert.ErrorIs(t, stop(), context.Canceled)
		_, err = d.Flush(ctx)
		require.NoError(t, err)
	})
}

// Echoes of the engine's own writes and events of objects not synced are
// counted and dropped.
func TestDispatcherDropsEchoes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second,
			HubSpotSourceIDs: []string{"1160452"}, ConnectWiseMemberIDs: []string{"HubwiseAPI"}})
		stop := start(d)
		ctx := context.Background()
		own := hsEvent("contact.propertyChange", 5)
		own.ChangeSource, own.SourceID = "INTEGRATION", "1160452"
		require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{own, hsEvent("ticket.creation", 9), hsEvent("conversation.creation", 9)}))
		require.NoError(t, d.ConnectWiseCallback(ctx, &connectwise.CallbackEvent{Type: "contact", ID: 4, MemberID: "hubwiseapi"}))
		require.NoError(t, d.ConnectWiseCallback(ctx, &connectwise.CallbackEvent{Type: "ticket", ID: 4, MemberID: "jsmith"}))
		time.Sleep(time.Minute)
		synctest.Wait()
		assert.Empty(t, r.all())
		st := d.Stats()
		assert.EqualValues(t, 5, st.Events)
		assert.EqualValues(t, 2, st.Echoes)
		assert.EqualValues(t, 3, st.Unrouted)
		assert.Zero(t, st.Queued)
		assert.ErrorIs(t, stop(), context.Canceled)
	})
}

// Every subscription kind of the synced objects routes to the right object and
// IDs; ConnectWise callback types route by resource.
func TestDispatcherRoutes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second, HubSpotTypes: map[string]string{"2-999": "deals"}})
		stop := start(d)
		ctx := context.Background()
		merge := hsEvent("company.merge", 11)
		merge.PrimaryObjectID, merge.NewObjectID, merge.MergedObjectIDs = 11, 12, []int64{13, 14}
		assoc := hubspot.Event{SubscriptionType: "contact.associationChange", FromObjectID: 21, ToObjectID: 22,
			FromObjectTypeID: "0-1", ToObjectTypeID: "0-2"}
		custom := hubspot.Event{SubscriptionType: "object.propertyChange", ObjectTypeID: "2-999", ObjectID: 31}
		require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{hsEvent("contact.creation", 1), hsEvent("contact.deletion", 2),
			hsEvent("contact.restore", 3), hsEvent("deal.propertyChange", 4), merge, assoc, custom}))
		for _, typ := range []string{"company", "Contact", "opportunity"} {
			require.NoError(t, d.ConnectWiseCallback(ctx, &connectwise.CallbackEvent{Action: "updated", Type: typ, ID: 40}))
		}
		require.NoError(t, d.ConnectWiseCallback(ctx, &connectwise.CallbackEvent{Action: "deleted", Type: "company", ID: 41}))
		time.Sleep(time.Second)
		synctest.Wait()
		passes := r.all()
		require.Len(t, passes, 1)
		h := passes[0]
		assert.Equal(t, []string{"1", "3", "21"}, h["contacts"].HubSpot)
		assert.Equal(t, []string{"11", "12", "13", "14", "22"}, h["companies"].HubSpot)
		assert.Equal(t, []string{"4", "31"}, h["deals"].HubSpot)
		for _, obj := range []string{"companies", "contacts", "deals"} {
			assert.Equal(t, []int64{40}, h[obj].ConnectWise, obj)
		}
		assert.Equal(t, []int64{41}, h["companies"].DeletedConnectWise, "ConnectWise deletions do not wait")
		assert.Empty(t, h["contacts"].DeletedHubSpot, "HubSpot deletions wait DeleteDelay")
		assert.Equal(t, syncer.Hints{"contacts": {DeletedHubSpot: []string{"2"}}}, d.PendingHints())

		time.Sleep(time.Minute) // the default DeleteDelay
		synctest.Wait()
		passes = r.all()
		require.Len(t, passes, 2)
		assert.Equal(t, syncer.Hints{"contacts": {DeletedHubSpot: []string{"2"}}}, passes[1])
		assert.EqualValues(t, 2, d.Stats().Deletions)
		assert.ErrorIs(t, stop(), context.Canceled)
	})
}

func TestNewDispatcherInvalid(t *testing.T) {
	_, err := syncer.NewDispatcher(nil, nil, nil)
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = syncer.NewDispatcher(&fakeRunner{}, compile(t, spec("companies")), &syncer.DispatcherOptions{Window: -1})
	assert.ErrorIs(t, err, syncer.ErrInvalid)
}

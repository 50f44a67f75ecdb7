package syncer_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/syncer"
)

// runnerFunc is a HintRunner made of a function that records its hints.
type runnerFunc struct {
	mu     sync.Mutex
	passes []syncer.Hints
	fn     func(syncer.Hints) (*syncer.Report, error)
}

func (r *runnerFunc) RunHints(_ context.Context, h syncer.Hints) (*syncer.Report, error) {
	r.mu.Lock()
	r.passes = append(r.passes, h)
	r.mu.Unlock()
	return r.fn(h)
}

func (r *runnerFunc) all() []syncer.Hints {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]syncer.Hints(nil), r.passes...)
}

// HubSpot deletes a record it merges away and says so in two events that may
// come in different deliveries: the deletion waits DeleteDelay, and the merge
// event cancels it, whichever comes first; the engine's own merge counts too.
func TestDispatcherMergeCancelsDeletion(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second, DeleteDelay: 30 * time.Second,
			HubSpotSourceIDs: []string{"1160452"}})
		stop := start(d)
		ctx := context.Background()

		// The deletion of the merged record comes first, alone.
		require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{hsEvent("company.deletion", 13)}))
		time.Sleep(10 * time.Second)
		synctest.Wait()
		assert.Empty(t, r.all(), "a HubSpot deletion waits DeleteDelay")
		assert.Equal(t, 1, d.Pending())

		// The merge event, in a later delivery: the survivor got a new ID, so
		// the primary is gone too; its deletion event, after the merge, is dropped.
		merge := hsEvent("company.merge", 12)
		merge.PrimaryObjectID, merge.NewObjectID, merge.MergedObjectIDs = 11, 12, []int64{13}
		require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{merge, hsEvent("company.deletion", 11)}))
		// A merge the engine made (an echo) still marks its records merged away.
		own := hsEvent("contact.merge", 52)
		own.PrimaryObjectID, own.NewObjectID, own.MergedObjectIDs = 51, 52, []int64{53}
		own.SourceID = "1160452"
		require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{own}))
		require.NoError(t, d.HubSpotEvents(ctx, []hubspot.Event{hsEvent("contact.deletion", 53), hsEvent("contact.deletion", 54)}))

		time.Sleep(time.Minute)
		synctest.Wait()
		passes := r.all()
		require.Len(t, passes, 2, "%v", passes)
		assert.Equal(t, syncer.Hints{"companies": {HubSpot: []string{"12", "11", "13"}}}, passes[0], "the merge re-reads its records")
		assert.Equal(t, syncer.Hints{"contacts": {DeletedHubSpot: []string{"54"}}}, passes[1], "a plain deletion goes through")
		st := d.Stats()
		assert.EqualValues(t, 3, st.MergedAway)
		assert.EqualValues(t, 1, st.Echoes)
		assert.ErrorIs(t, stop(), context.Canceled)
	})
}

// A negative DeleteDelay passes HubSpot deletions at once; a dispatcher that
// stops passes the deletions it still holds rather than dropping them.
func TestDispatcherDeleteDelayAndStop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &fakeRunner{}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second, DeleteDelay: -1})
		stop := start(d)
		require.NoError(t, d.Add(syncer.Hints{"contacts": {DeletedHubSpot: []string{"7"}}}))
		time.Sleep(2 * time.Second)
		synctest.Wait()
		require.Len(t, r.all(), 1)
		assert.Equal(t, []string{"7"}, r.all()[0]["contacts"].DeletedHubSpot)
		assert.ErrorIs(t, stop(), context.Canceled)

		r = &fakeRunner{}
		d = newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second})
		stop = start(d)
		require.NoError(t, d.Add(syncer.Hints{"contacts": {DeletedHubSpot: []string{"8"}}}))
		time.Sleep(2 * time.Second)
		synctest.Wait()
		assert.Empty(t, r.all())
		assert.ErrorIs(t, stop(), context.Canceled)
		require.Len(t, r.all(), 1, "the final pass takes the held deletion")
		assert.Equal(t, []string{"8"}, r.all()[0]["contacts"].DeletedHubSpot)
	})
}

// Deletions stopped by the mass-delete guard are not retried (they would be
// stopped again); the changed records of the same pass are.
func TestDispatcherMassDeleteNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := &runnerFunc{fn: func(syncer.Hints) (*syncer.Report, error) {
			return &syncer.Report{}, fmt.Errorf("companies: 3 of 4: %w", syncer.ErrMassDelete)
		}}
		d := newDispatcher(t, r, &syncer.DispatcherOptions{Window: time.Second, RetryDelay: time.Second, Retries: 1})
		stop := start(d)
		require.NoError(t, d.Add(syncer.Hints{"companies": {ConnectWise: []int64{1}, DeletedConnectWise: []int64{2, 3, 4}}}))
		time.Sleep(10 * time.Second)
		synctest.Wait()
		passes := r.all()
		require.Len(t, passes, 2)
		assert.Equal(t, syncer.Hints{"companies": {ConnectWise: []int64{1}}}, passes[1])
		st := d.Stats()
		assert.EqualValues(t, 4, st.Abandoned, "3 deletions at once, the change after its retry")
		assert.EqualValues(t, 1, st.Requeued)
		assert.ErrorIs(t, stop(), context.Canceled)
	})
}

// deleteHookEnv links n companies made in ConnectWise and wires a dispatcher
// to the fakes' signed webhooks and callbacks.
func deleteHookEnv(t *testing.T, n int, policy syncer.DeletePolicy, tweak func(*syncer.Config)) (*hookEnv, []int) {
	e := newEnv(t, spec("companies"), func(c *syncer.Config) {
		c.Deletes = map[string]syncer.DeletePolicy{"companies": policy}
		if tweak != nil {
			tweak(c)
		}
	})
	var ids []int
	for i := range n {
		ids = append(ids, e.cwCompany("Company "+strconv.Itoa(i), "Co"+strconv.Itoa(i)))
	}
	require.Empty(t, e.run().Errors())
	h := newHookEnv(t, e, nil, syncer.DispatcherOptions{Window: 10 * time.Millisecond, DeleteDelay: 20 * time.Millisecond,
		HubSpotSourceIDs: []string{fakeAppID}, ConnectWiseMemberIDs: []string{e.cwSrv.Options().MemberIdentifier}})
	_, _, err := e.cwc.Callbacks.Ensure(e.ctx, &connectwise.CallbackEntry{URL: h.srv.URL + "/callbacks/connectwise?recordId=",
		Type: "company", Level: "owner"})
	require.NoError(t, err)
	e.hsSrv.TakeEvents() // the initial pass's own writes
	return h, ids
}

// Deletions delivered as signed HubSpot webhooks and ConnectWise callbacks
// follow the object's delete policy: ignore keeps the link, unlink removes
// it, propagate deletes the partner too.
func TestWebhookDeletesPerPolicy(t *testing.T) {
	for _, tc := range []struct {
		policy     syncer.DeletePolicy
		unlinked   bool
		propagated bool
	}{
		{syncer.DeleteIgnore, false, false},
		{syncer.DeleteUnlink, true, false},
		{syncer.DeletePropagate, true, true},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			h, ids := deleteHookEnv(t, 12, tc.policy, nil)
			e := h.env

			// Deleted in ConnectWise -> callback -> targeted pass.
			gone := ids[3]
			hs := e.link("companies", gone).HubSpotID
			require.NoError(t, e.cwSrv.Delete(connectwisetest.Companies, gone))
			e.cwSrv.WaitCallbacks()
			rep := h.nextPass()
			require.Len(t, rep.Deletes, 1, rep.String())
			assert.Equal(t, []string{"connectwise:" + strconv.Itoa(gone)}, rep.Deletes[0].Gone)
			assert.Equal(t, tc.policy, rep.Deletes[0].Policy)
			assert.Equal(t, !tc.unlinked, e.linked(gone))
			r, ok := e.hsSrv.Record("companies", hs)
			require.True(t, ok)
			assert.Equal(t, tc.propagated, r.Archived)
			assert.Contains(t, rep.String(), "deletes: companies: 1 of 12 linked records gone from connectwise (policy "+string(tc.policy)+")")

			// Deleted (archived) in HubSpot -> signed webhook -> after DeleteDelay.
			gone = ids[7]
			hs = e.link("companies", gone).HubSpotID
			require.NoError(t, e.hsSrv.ArchiveRecord("companies", hs))
			h.deliverHubSpot()
			rep = h.nextPass()
			require.Len(t, rep.Deletes, 1, rep.String())
			assert.Equal(t, []string{"hubspot:" + hs}, rep.Deletes[0].Gone)
			assert.Equal(t, !tc.unlinked, e.linked(gone))
			cw, ok := e.cwSrv.Get(connectwisetest.Companies, gone)
			require.True(t, ok)
			assert.Equal(t, tc.propagated, cw["deletedFlag"] == true)

			// The engine's own archive or delete comes back as an echo: no pass.
			passes := h.d.Stats().Passes
			e.cwSrv.WaitCallbacks()
			h.deliverHubSpot()
			h.quiet(passes)
			wantActive := 12 - 1
			if tc.propagated {
				wantActive = 12 - 2
			}
			assert.Equal(t, wantActive, e.cwActive())
		})
	}
}

// A HubSpot merge delivered as webhooks (a merge event and deletion events
// for the absorbed records) relinks to the survivor and deletes nothing in
// ConnectWise, even under the propagate policy.
func TestWebhookMergeIsNotADeletion(t *testing.T) {
	h, ids := deleteHookEnv(t, 3, syncer.DeletePropagate, nil)
	e := h.env
	merged := e.link("companies", ids[0]).HubSpotID
	dup := e.hsCreate("companies", map[string]string{"name": "Company 0 Inc."})
	e.hsSrv.TakeEvents()
	survivor, err := e.hsSrv.MergeRecords("companies", dup, merged)
	require.NoError(t, err)
	h.deliverHubSpot()
	rep := h.nextPass()
	require.Empty(t, rep.Errors(), rep.String())
	assert.Empty(t, rep.Deletes)
	assert.Equal(t, survivor, e.link("companies", ids[0]).HubSpotID)
	time.Sleep(50 * time.Millisecond) // longer than DeleteDelay: nothing was held
	assert.Zero(t, h.d.Pending())
	assert.EqualValues(t, 1, h.d.Stats().MergedAway, "the deletion event of the merged record")
	assert.Equal(t, 3, e.cwActive())
}

// Several deletions in one pass are stopped by the mass-delete guard, which
// says so in the report and the error; nothing is deleted or unlinked.
func TestWebhookMassDeleteGuard(t *testing.T) {
	e, ids := deleteEnv(t, 4, func(c *syncer.Config) {
		c.Deletes = map[string]syncer.DeletePolicy{"companies": syncer.DeletePropagate}
		c.MaxDeleteShare = 0.5
	})
	var errs []error
	var mu sync.Mutex
	d, err := syncer.NewDispatcher(e.eng, e.cfg.Mapping, &syncer.DispatcherOptions{Window: 10 * time.Millisecond,
		OnPass: func(_ syncer.Hints, _ *syncer.Report, err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() }})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	defer func() { cancel(); <-done }()

	var cb []int64
	for _, id := range ids[:3] {
		require.NoError(t, e.cwSrv.Delete(connectwisetest.Companies, id))
		cb = append(cb, int64(id))
	}
	require.NoError(t, d.Add(syncer.Hints{"companies": {DeletedConnectWise: cb}}))
	rep, err := d.Flush(e.ctx)
	require.ErrorIs(t, err, syncer.ErrMassDelete)
	require.Len(t, rep.Deletes, 1)
	assert.True(t, rep.Deletes[0].Stopped)
	assert.Contains(t, rep.String(), "3 of 4 links would be deleted or unlinked, more than the share 50% allowed")
	for _, id := range ids {
		assert.True(t, e.linked(id))
	}
	assert.Zero(t, e.hsSrv.ArchivedCount("companies"))
	assert.EqualValues(t, 3, d.Stats().Abandoned, "not retried")
	assert.Zero(t, d.Pending())
}

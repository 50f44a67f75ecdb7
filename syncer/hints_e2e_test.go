package syncer_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/syncer"
)

// fakeAppID is the app id hubspottest stamps on events of API writes (its
// WebhookOptions default): the engine's writes come back with it as sourceId.
const fakeAppID = "1160452"

// hookEnv is an env with a dispatcher behind an httptest server that receives
// the fakes' signed HubSpot webhooks and ConnectWise callbacks.
type hookEnv struct {
	*env
	d      *syncer.Dispatcher
	srv    *httptest.Server
	passes chan *syncer.Report
}

func newHookEnv(t *testing.T, e *env, r syncer.HintRunner, o syncer.DispatcherOptions) *hookEnv {
	if r == nil {
		r = e.eng
	}
	h := &hookEnv{env: e, passes: make(chan *syncer.Report, 100)}
	o.OnPass = func(_ syncer.Hints, rep *syncer.Report, err error) {
		assert.NoError(t, err)
		h.passes <- rep
	}
	var err error
	h.d, err = syncer.NewDispatcher(r, e.cfg.Mapping, &o)
	require.NoError(t, err)
	mux := http.NewServeMux()
	// The fake signs with its own clock; the verifier reads the same one.
	mux.Handle("/webhooks/hubspot", h.d.HubSpotHandler(&hubspot.WebhookVerifier{ClientSecret: e.hsSrv.ClientSecret(), Now: e.clk.Now}, nil))
	mux.Handle("/callbacks/connectwise", h.d.ConnectWiseHandler(e.cwc, &connectwise.CallbackHandlerOptions{
		Verifier: &connectwise.VerifierOptions{AllowHTTP: true}}))
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return h
}

// deliverHubSpot sends the HubSpot fake's journal as signed webhooks.
func (h *hookEnv) deliverHubSpot() {
	h.t.Helper()
	require.NoError(h.t, h.hsSrv.DeliverJournal(h.ctx, h.srv.URL+"/webhooks/hubspot"))
}

// registerCallbacks registers the dispatcher's URL for ConnectWise company
// callbacks; selfSuppressed stops deliveries of the engine's own writes at
// the source.
func (h *hookEnv) registerCallbacks(selfSuppressed bool) {
	h.t.Helper()
	_, _, err := h.cwc.Callbacks.Ensure(h.ctx, &connectwise.CallbackEntry{URL: h.srv.URL + "/callbacks/connectwise?recordId=",
		Type: "company", Level: "owner", IsSelfSuppressedFlag: &selfSuppressed})
	require.NoError(h.t, err)
}

func (h *hookEnv) nextPass() *syncer.Report {
	h.t.Helper()
	select {
	case rep := <-h.passes:
		return rep
	case <-time.After(10 * time.Second):
		h.t.Fatal("no pass within 10 s")
		return nil
	}
}

// quiet asserts that no pass started: it flushes (a pass would start at once)
// and checks the pass counter.
func (h *hookEnv) quiet(passesBefore int64) {
	h.t.Helper()
	_, err := h.d.Flush(h.ctx)
	require.NoError(h.t, err)
	assert.Equal(h.t, passesBefore, h.d.Stats().Passes, "a pass ran")
}

func cwCity(t *testing.T, e *env, id int) any {
	t.Helper()
	rec, ok := e.cwSrv.Get(connectwisetest.Companies, id)
	require.True(t, ok)
	return rec["city"]
}

// A HubSpot edit delivered as a signed webhook reaches ConnectWise through a
// targeted pass; a ConnectWise callback reaches HubSpot; the engine's own
// writes coming back as events start no pass.
func TestWebhookDrivenPasses(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	h := newHookEnv(t, e, nil, syncer.DispatcherOptions{Window: 10 * time.Millisecond,
		HubSpotSourceIDs: []string{fakeAppID}, ConnectWiseMemberIDs: []string{e.cwSrv.Options().MemberIdentifier}})
	h.registerCallbacks(false)
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	e.cwSrv.WaitCallbacks() // the seed's callback
	require.Equal(t, 1, h.nextPass().Count("companies", syncer.OutcomeCreated), "the callback created the HubSpot company")
	hsID := e.linkHS0(acme)

	// The engine's upsert is journaled as an INTEGRATION event by the app: dropped.
	before := h.d.Stats()
	h.deliverHubSpot()
	h.quiet(before.Passes)
	assert.Greater(t, h.d.Stats().Echoes, before.Echoes)

	// A HubSpot UI edit -> signed webhook -> targeted pass -> ConnectWise.
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	echoes := h.d.Stats().Echoes
	require.NoError(t, e.hsSrv.UpdateRecord("companies", hsID, map[string]string{"city": "Capital City"}))
	h.deliverHubSpot()
	rep := h.nextPass()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeUpdated))
	assert.Equal(t, "Capital City", cwCity(t, e, acme))
	// Targeted: no change-feed search, one batch read.
	assert.Zero(t, e.hsSrv.CountOp("objects.search"))

	// The engine's PATCH fires a callback by the API member: dropped.
	passes := h.d.Stats().Passes
	e.cwSrv.WaitCallbacks()
	h.quiet(passes)
	assert.Equal(t, echoes+1, h.d.Stats().Echoes)

	// A ConnectWise UI edit -> signed callback -> targeted pass -> HubSpot.
	_, err := e.cwSrv.Update(connectwisetest.Companies, acme, map[string]any{"name": "Acme Corporation"})
	require.NoError(t, err)
	e.cwSrv.WaitCallbacks()
	rep = h.nextPass()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeUpdated))
	rec, ok := e.hsSrv.Record("companies", hsID)
	require.True(t, ok)
	assert.Equal(t, "Acme Corporation", rec.Properties["name"])

	// Echo events let through (no filter configured) cost a pass that writes
	// nothing: the base snapshot is the real guard.
	unfiltered := newHookEnv(t, e, nil, syncer.DispatcherOptions{Window: 10 * time.Millisecond})
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	unfiltered.deliverHubSpot()
	rep = unfiltered.nextPass()
	require.Empty(t, rep.Errors())
	assert.Zero(t, rep.Writes())
	assert.Zero(t, e.writes(), "an echo wrote")
}

// A burst of 50 edits becomes one or two passes, and edits made while a pass
// runs are synced by the next one.
func TestWebhookBurstAndEditsDuringPass(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	var ids []int
	for i := range 5 {
		ids = append(ids, e.cwCompany("Co "+string(rune('A'+i)), "Co"+string(rune('A'+i))))
	}
	e.run()
	gate := &gatedRunner{eng: e.eng}
	h := newHookEnv(t, e, gate, syncer.DispatcherOptions{Window: 200 * time.Millisecond, MaxDelay: 5 * time.Second,
		HubSpotSourceIDs: []string{fakeAppID}})
	e.hsSrv.TakeEvents()
	for i := range 50 {
		require.NoError(t, e.hsSrv.UpdateRecord("companies", e.linkHS0(ids[i%5]), map[string]string{"city": "City " + string(rune('a'+i%26))}))
	}
	h.deliverHubSpot()
	rep := h.nextPass()
	require.Empty(t, rep.Errors())
	passes := h.d.Stats().Passes
	assert.LessOrEqual(t, passes, int64(2))
	assert.EqualValues(t, 50, h.d.Stats().Events)
	for i, id := range ids {
		assert.Equal(t, "City "+string(rune('a'+45+i-26)), cwCity(t, e, id))
	}

	// Hold the next pass once it started; edit while it runs.
	started, release := gate.arm()
	require.NoError(t, e.hsSrv.UpdateRecord("companies", e.linkHS0(ids[0]), map[string]string{"city": "First"}))
	h.deliverHubSpot()
	<-started
	require.NoError(t, e.hsSrv.UpdateRecord("companies", e.linkHS0(ids[1]), map[string]string{"city": "Second"}))
	h.deliverHubSpot()
	close(release)
	require.Empty(t, h.nextPass().Errors())
	assert.Equal(t, "First", cwCity(t, e, ids[0]))
	rep = h.nextPass()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeUpdated))
	assert.Equal(t, "Second", cwCity(t, e, ids[1]))
}

// gatedRunner runs passes through the engine; once armed, it holds the next
// pass after signalling started until release is closed.
type gatedRunner struct {
	eng     *syncer.Engine
	mu      sync.Mutex
	started chan struct{}
	release chan struct{}
}

func (g *gatedRunner) arm() (started, release chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.started, g.release = make(chan struct{}), make(chan struct{})
	return g.started, g.release
}

func (g *gatedRunner) RunHints(ctx context.Context, h syncer.Hints) (*syncer.Report, error) {
	g.mu.Lock()
	started, release := g.started, g.release
	g.started, g.release = nil, nil
	g.mu.Unlock()
	if started != nil {
		close(started)
		<-release
	}
	return g.eng.RunHints(ctx, h)
}

// linkHS0 returns the HubSpot partner of a ConnectWise company.
func (e *env) linkHS0(cwID int) string {
	e.t.Helper()
	l, err := e.store.LinkByConnectWiseID(e.ctx, e.cfg.Tenant, "companies", int64(cwID))
	require.NoError(e.t, err)
	return l.HubSpotID
}

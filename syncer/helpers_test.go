package syncer_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
)

// testClock is a manual clock shared by the fakes, the store and the engine.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock { return &testClock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// env is a tenant wired to both fakes and a memstore.
type env struct {
	t     testing.TB
	ctx   context.Context
	clk   *testClock
	hsSrv *hubspottest.Server
	cwSrv *connectwisetest.Server
	hsc   *hubspot.Client
	cwc   *connectwise.Client
	hs    *syncer.HubSpotAdapter
	cw    *syncer.ConnectWiseAdapter
	store syncer.StateStore
	cfg   syncer.Config
	eng   *syncer.Engine
}

// objects keeps only the named objects of the default spec.
func spec(objects ...string) *mapping.Spec {
	s := mapping.Default()
	s.Objects = slices.DeleteFunc(s.Objects, func(o mapping.ObjectMapping) bool { return !slices.Contains(objects, o.Name) })
	for i := range s.Objects {
		s.Objects[i].Associations = slices.DeleteFunc(s.Objects[i].Associations, func(a mapping.Association) bool { return !slices.Contains(objects, a.To) })
	}
	return s
}

func compile(t testing.TB, s *mapping.Spec) *mapping.Mapping {
	m, err := mapping.Compile(s, nil)
	require.NoError(t, err)
	return m
}

func newEnv(t testing.TB, s *mapping.Spec, tweak func(*syncer.Config)) *env {
	return newEnvWith(t, s, hubspottest.Options{}, tweak)
}

// newEnvWith is newEnv with HubSpot fake options (a search index lag, say).
func newEnvWith(t testing.TB, s *mapping.Spec, hsOpts hubspottest.Options, tweak func(*syncer.Config)) *env {
	e := &env{t: t, ctx: context.Background(), clk: newClock()}
	hsOpts.Now = e.clk.Now
	e.hsSrv = hubspottest.NewServer(t, hsOpts)
	e.cwSrv = connectwisetest.NewServer(t, connectwisetest.Options{Now: e.clk.Now})
	var err error
	e.hsc, err = hubspot.NewClient(hubspot.WithBaseURL(e.hsSrv.URL()), hubspot.WithAccessToken(e.hsSrv.Token()),
		hubspot.WithoutRateLimit(), hubspot.WithSleep(noSleep), hubspot.WithRetryMax(1))
	require.NoError(t, err)
	cr := e.cwSrv.Credentials()
	e.cwc, err = connectwise.NewClient(connectwise.Credentials{CompanyID: cr.CompanyID, Site: cr.Site, PublicKey: cr.PublicKey,
		PrivateKey: cr.PrivateKey, ClientID: cr.ClientID}, connectwise.WithBaseURL(e.cwSrv.URL()),
		connectwise.WithRateLimit(rate.Inf, 1), connectwise.WithSleep(noSleep), connectwise.WithRetry(1, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	e.hs, e.cw = syncer.NewHubSpot(e.hsc), syncer.NewConnectWise(e.cwc)
	e.store = memstore.New(&memstore.Options{Clock: e.clk.Now})
	e.cfg = syncer.Config{Tenant: "acme", HubSpot: e.hs, ConnectWise: e.cw, Mapping: compile(t, s), Store: e.store, Clock: e.clk.Now}
	if tweak != nil {
		tweak(&e.cfg)
	}
	e.rebuild()
	_, err = e.eng.EnsureSchema(e.ctx)
	require.NoError(t, err)
	return e
}

func (e *env) rebuild() {
	var err error
	e.eng, err = syncer.New(e.cfg)
	require.NoError(e.t, err)
}

// run runs one pass a minute after the previous one and requires it to end.
func (e *env) run() *syncer.Report {
	e.t.Helper()
	e.clk.Add(time.Minute)
	rep, err := e.eng.Run(e.ctx)
	require.NoError(e.t, err)
	return rep
}

// writes counts the write calls both fakes received.
func (e *env) writes() int {
	n := 0
	for _, op := range []string{hubspottest.OpCreate, hubspottest.OpUpdate, hubspottest.OpBatchCreate, hubspottest.OpBatchUpdate,
		hubspottest.OpBatchUpsert, hubspottest.OpAssocCreate, hubspottest.OpAssocDefault, hubspottest.OpAssocArchive} {
		n += e.hsSrv.CountOp(op)
	}
	for _, c := range e.cwSrv.Calls() {
		if c.Method != "GET" {
			n++
		}
	}
	return n
}

func (e *env) cwCompany(name, identifier string) int {
	rec, err := e.cwSrv.Create(connectwisetest.Companies, map[string]any{"name": name, "identifier": identifier,
		"addressLine1": "1 Main St", "city": "Springfield", "website": "https://" + identifier + ".example.com"})
	require.NoError(e.t, err)
	return int(rec["id"].(float64))
}

func (e *env) cwContact(first, last, email string, company int) int {
	body := map[string]any{"firstName": first, "lastName": last}
	if company > 0 {
		body["company"] = map[string]any{"id": company}
	}
	if email != "" {
		body["communicationItems"] = []any{map[string]any{"type": map[string]any{"id": 1}, "communicationType": "Email", "value": email, "defaultFlag": true}}
	}
	rec, err := e.cwSrv.Create(connectwisetest.Contacts, body)
	require.NoError(e.t, err)
	return int(rec["id"].(float64))
}

// hsAll returns every record of a HubSpot object type with properties.
func (e *env) hsAll(objectType string, props ...string) []*hubspot.Object {
	var out []*hubspot.Object
	for o, err := range e.hsc.Objects(objectType).ListIter(e.ctx, &hubspot.ListOptions{Properties: props}) {
		require.NoError(e.t, err)
		out = append(out, o)
	}
	return out
}

package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
)

type memEnv struct {
	clk   *testClock
	hs    *memHS
	cw    *memCW
	store syncer.StateStore
	eng   *syncer.Engine
}

func newMemEnv(t testing.TB, s *mapping.Spec, now func() time.Time) *memEnv {
	e := &memEnv{clk: newClock()}
	if now == nil {
		now = e.clk.Now
	}
	e.hs, e.cw = newMemHS(now), newMemCW(now)
	e.store = memstore.New(&memstore.Options{Clock: now})
	var err error
	e.eng, err = syncer.New(syncer.Config{Tenant: "t1", HubSpot: e.hs, ConnectWise: e.cw, Mapping: compile(t, s), Store: e.store, Clock: now})
	require.NoError(t, err)
	return e
}

func TestNewRejectsBadConfig(t *testing.T) {
	m := compile(t, spec("companies"))
	hs, cw := newMemHS(time.Now), newMemCW(time.Now)
	st := memstore.New(nil)
	ok := syncer.Config{Tenant: "t", HubSpot: hs, ConnectWise: cw, Mapping: m, Store: st}
	for name, mut := range map[string]func(*syncer.Config){
		"tenant":  func(c *syncer.Config) { c.Tenant = "" },
		"sides":   func(c *syncer.Config) { c.HubSpot = nil },
		"mapping": func(c *syncer.Config) { c.Mapping = nil },
		"store":   func(c *syncer.Config) { c.Store = nil },
		"object":  func(c *syncer.Config) { c.Objects = []string{"tickets"} },
		"assoc":   func(c *syncer.Config) { c.Associations = []syncer.Association{{From: "contacts", To: "companies"}} },
	} {
		c := ok
		mut(&c)
		_, err := syncer.New(c)
		assert.Error(t, err, name)
	}
	// Without a ConnectWise-ID property, creates toward HubSpot could duplicate.
	s := spec("companies")
	s.Objects[0].Fields = s.Objects[0].Fields[1:]
	s.Objects[0].Match = []mapping.MatchKey{{HubSpot: mapping.PropCWCompanyIdentifier}}
	c := ok
	c.Mapping = compile(t, s)
	_, err := syncer.New(c)
	assert.ErrorContains(t, err, "ConnectWise-ID property")
	e, err := syncer.New(ok)
	require.NoError(t, err)
	assert.Equal(t, []string{"companies"}, e.Objects())
	assert.Equal(t, "t", e.Tenant())
}

// A field changed on both sides is settled by the conflict preference, or
// parked for review while the other fields flow.
func TestConflictPreferences(t *testing.T) {
	for _, tc := range []struct {
		pref mapping.Conflict
		want string // the name both sides end with; "" = parked
	}{
		{mapping.PreferConnectWise, "CW Name"},
		{mapping.PreferHubSpot, "HS Name"},
		{mapping.MostRecent, "HS Name"},
		{mapping.Review, ""},
	} {
		t.Run(string(tc.pref), func(t *testing.T) {
			s := spec("companies")
			s.Objects[0].Conflict = tc.pref
			e := newMemEnv(t, s, nil)
			ctx := context.Background()
			id := e.cw.put("company/companies", map[string]any{"name": "Base", "identifier": "Acme", "city": "Springfield"})
			_, err := e.eng.Run(ctx)
			require.NoError(t, err)
			l, err := e.store.LinkByConnectWiseID(ctx, "t1", "companies", id)
			require.NoError(t, err)

			e.clk.Add(time.Minute)
			rec := e.cw.get("company/companies", id)
			rec["name"], rec["city"] = "CW Name", "Shelbyville"
			e.cw.put("company/companies", rec)
			e.clk.Add(time.Minute)
			e.hs.mu.Lock()
			e.hs.putLocked("companies", l.HubSpotID, map[string]string{"name": "HS Name"})
			e.hs.mu.Unlock()
			e.clk.Add(time.Minute)
			rep, err := e.eng.Run(ctx)
			require.NoError(t, err)

			hsName := e.hs.recs["companies"][l.HubSpotID].Properties["name"]
			cwName := e.cw.get("company/companies", id)["name"]
			assert.Equal(t, "Shelbyville", e.hs.recs["companies"][l.HubSpotID].Properties["city"], "the other field flows")
			if tc.want == "" {
				assert.Equal(t, "HS Name", hsName)
				assert.Equal(t, "CW Name", cwName)
				var n int
				for c, err := range e.store.ListConflicts(ctx, "t1", "companies") {
					require.NoError(t, err)
					assert.Equal(t, "name", c.Field)
					assert.Equal(t, "Base", string(c.BaseValue))
					n++
				}
				assert.Equal(t, 1, n)
				return
			}
			assert.Equal(t, tc.want, hsName, rep.String())
			assert.Equal(t, tc.want, cwName)
		})
	}
}

// Objects sync in dependency order whatever the spec order.
func TestDependencyOrder(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	s.Objects[0], s.Objects[2] = s.Objects[2], s.Objects[0]
	e := newMemEnv(t, s, nil)
	assert.Equal(t, []string{"companies", "contacts", "deals"}, e.eng.Objects())
}

// With a fence, a worker that lost its lease cannot commit.
func TestFence(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	ctx := context.Background()
	st := e.store.(*memstore.Store)
	lease, err := st.AcquireLease(ctx, "t1", "worker-1", time.Hour)
	require.NoError(t, err)
	fence := lease.Fence()
	eng, err := syncer.New(syncer.Config{Tenant: "t1", HubSpot: e.hs, ConnectWise: e.cw, Mapping: compile(t, spec("companies")),
		Store: st, Clock: e.clk.Now, Fence: func() *syncer.Fence { return fence }})
	require.NoError(t, err)
	e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
	_, err = eng.Run(ctx)
	require.NoError(t, err)

	require.NoError(t, st.ReleaseLease(ctx, lease))
	_, err = st.AcquireLease(ctx, "t1", "worker-2", time.Hour)
	require.NoError(t, err)
	e.clk.Add(time.Minute)
	_, err = eng.Run(ctx)
	assert.ErrorIs(t, err, syncer.ErrFenced)
}

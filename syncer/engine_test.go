package syncer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
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

// Plan writes nothing and shows field-level changes; Apply carries it out.
func TestPlanIsADryRun(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	ctx := context.Background()
	id := e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme", "city": "Springfield"})
	p, err := e.eng.Plan(ctx)
	require.NoError(t, err)
	require.Len(t, p.Objects, 1)
	require.Len(t, p.Objects[0].Operations, 1)
	op := p.Objects[0].Operations[0]
	assert.Equal(t, syncer.OpCreate, op.Kind)
	assert.Equal(t, syncer.SideHubSpot, op.Target)
	assert.Contains(t, op.Changes, syncer.FieldChange{Field: "name", Target: syncer.SideHubSpot, After: "Acme"})
	assert.Zero(t, e.hs.writes+e.cw.writes)
	_, err = e.store.LinkByConnectWiseID(ctx, "t1", "companies", id)
	assert.ErrorIs(t, err, syncer.ErrNotFound)

	rep, err := e.eng.Apply(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	_, err = e.store.LinkByConnectWiseID(ctx, "t1", "companies", id)
	require.NoError(t, err)

	e.clk.Add(time.Minute)
	e.cw.mu.Lock()
	e.cw.recs["company/companies"][id]["name"] = "Acme Two"
	e.cw.putLocked("company/companies", e.cw.recs["company/companies"][id])
	e.cw.mu.Unlock()
	e.clk.Add(time.Minute)
	p, err = e.eng.Plan(ctx)
	require.NoError(t, err)
	op = p.Objects[0].Operations[0]
	assert.Equal(t, syncer.OpUpdate, op.Kind)
	assert.Equal(t, []syncer.FieldChange{{Field: "name", Target: syncer.SideHubSpot, Before: "Acme", After: "Acme Two"}}, op.Changes)

	_, err = e.eng.Apply(ctx, &syncer.Plan{Tenant: "other"})
	assert.Error(t, err)
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

// Poll runs passes at its interval and returns the context's error once it is
// cancelled.
func TestPollStopsOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newMemEnv(t, spec("companies"), time.Now)
		e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
		ctx, cancel := context.WithCancel(context.Background())
		var passes int
		done := make(chan error)
		go func() {
			done <- e.eng.Poll(ctx, time.Minute, func(r *syncer.Report, err error) {
				if err == nil {
					passes++
				}
			})
		}()
		time.Sleep(3*time.Minute + time.Second)
		cancel()
		err := <-done
		assert.True(t, errors.Is(err, context.Canceled))
		assert.Equal(t, 4, passes)
		assert.Error(t, e.eng.Poll(ctx, 0, nil))
	})
}

// The cursor stays behind the pass start by the safety lag, and does not move
// when a pass stops before its writes went through.
func TestCursorRules(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	ctx := context.Background()
	e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
	start := e.clk.Now()
	_, err := e.eng.Run(ctx)
	require.NoError(t, err)
	cur, err := e.store.Cursor(ctx, "t1", "companies/connectwise")
	require.NoError(t, err)
	assert.Equal(t, start.Add(-time.Minute).Format(time.RFC3339Nano), cur)

	e.clk.Add(10 * time.Minute)
	e.cw.put("company/companies", map[string]any{"name": "Globex", "identifier": "Globex"})
	e.hs.fail = errors.New("daily limit")
	e.clk.Add(10 * time.Minute)
	rep, err := e.eng.Run(ctx)
	require.Error(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeSkipped), "not sent, not failed")
	again, err := e.store.Cursor(ctx, "t1", "companies/connectwise")
	require.NoError(t, err)
	assert.Equal(t, cur, again, "the cursor did not pass the unsent change")
	dls, err := e.eng.DeadLetters(ctx, "")
	require.NoError(t, err)
	assert.Empty(t, dls, "an unsent write is not the record's failure")

	e.hs.fail = nil
	rep, err = e.eng.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
}

// Objects sync in dependency order whatever the spec order.
func TestDependencyOrder(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	s.Objects[0], s.Objects[2] = s.Objects[2], s.Objects[0]
	e := newMemEnv(t, s, nil)
	assert.Equal(t, []string{"companies", "contacts", "deals"}, e.eng.Objects())
}

// The plan renders for people, and Observe sees every record.
func TestPlanStringAndObserve(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	var seen []syncer.RecordResult
	var err error
	e.eng, err = syncer.New(syncer.Config{Tenant: "t1", HubSpot: e.hs, ConnectWise: e.cw, Mapping: compile(t, spec("companies")),
		Store: e.store, Clock: e.clk.Now, Observe: func(r syncer.RecordResult) { seen = append(seen, r) }})
	require.NoError(t, err)
	e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
	p, err := e.eng.Plan(context.Background())
	require.NoError(t, err)
	assert.Contains(t, p.String(), `hubspot.name: "" -> "Acme"`)
	assert.Contains(t, p.String(), "1 to create")
	_, err = e.eng.Apply(context.Background(), p)
	require.NoError(t, err)
	require.Len(t, seen, 1)
	assert.Equal(t, syncer.OutcomeCreated, seen[0].Outcome)
}

// A targeted pass handles the hinted records only and leaves the cursors.
func TestRunHints(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	ctx := context.Background()
	a := e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
	e.cw.put("company/companies", map[string]any{"name": "Globex", "identifier": "Globex"})
	rep, err := e.eng.RunHints(ctx, syncer.Hints{"companies": {ConnectWise: []int64{a}}, "tickets": {}})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	_, err = e.store.Cursor(ctx, "t1", "companies/connectwise")
	assert.ErrorIs(t, err, syncer.ErrNotFound)
	rep, err = e.eng.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated), "the poll catches the rest")
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

// A report renders as JSON with its errors as text.
func TestReportJSON(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme", "numberOfEmployees": "many"})
	rep, err := e.eng.Run(context.Background())
	require.NoError(t, err)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"Outcome":"failed"`)
	assert.Contains(t, string(b), `numberofemployees`)
}

// A large pass goes a chunk at a time; the cursor is stored once all went
// through, and not when a chunk stopped early.
func TestRunInChunks(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	ctx := context.Background()
	for i := range 2500 {
		e.cw.put("company/companies", map[string]any{"name": fmt.Sprint("Co ", i), "identifier": fmt.Sprint("Co", i)})
	}
	calls := e.hs.Calls()
	rep, err := e.eng.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2500, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, int64(1+3*3), e.hs.Calls()-calls, "the feed, then three chunks of two reads and one upsert")
	_, err = e.store.Cursor(ctx, "t1", "companies/connectwise")
	require.NoError(t, err)

	e2 := newMemEnv(t, spec("companies"), nil)
	for i := range 1500 {
		e2.cw.put("company/companies", map[string]any{"name": fmt.Sprint("Co ", i), "identifier": fmt.Sprint("Co", i)})
	}
	upserts := 0
	e2.hs.failAfter = func() error {
		if upserts++; upserts > 1 {
			return errors.New("daily limit")
		}
		return nil
	}
	rep, err = e2.eng.Run(ctx)
	require.Error(t, err)
	assert.Equal(t, 1000, rep.Count("companies", syncer.OutcomeCreated), "the first chunk went through")
	_, err = e2.store.Cursor(ctx, "t1", "companies/connectwise")
	assert.ErrorIs(t, err, syncer.ErrNotFound)
}

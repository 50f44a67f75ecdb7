package syncer_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

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

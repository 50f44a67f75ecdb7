package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

// hsWrites and cwWrites count the write calls each fake received since the
// last reset.
func (e *env) hsWrites() int {
	n := 0
	for _, op := range []string{hubspottest.OpCreate, hubspottest.OpUpdate, hubspottest.OpBatchCreate, hubspottest.OpBatchUpdate,
		hubspottest.OpBatchUpsert, hubspottest.OpAssocCreate, hubspottest.OpAssocDefault, hubspottest.OpAssocArchive} {
		n += e.hsSrv.CountOp(op)
	}
	return n
}

func (e *env) cwWrites() int {
	n := 0
	for _, c := range e.cwSrv.Calls() {
		if c.Method != "GET" {
			n++
		}
	}
	return n
}

func (e *env) resetCalls() {
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
}

// Echo suppression against both fakes: after a sync, 100 passes without edits
// write nothing; one edit on either side makes exactly one write on the other
// side and none after (the engine's own write coming back is equal to the
// base and a no-op, whatever the hints say).
func TestEchoSuppression(t *testing.T) {
	e := newEnv(t, spec("companies", "contacts"), nil)
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	ann := e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	hsBob := e.hsCreate("contacts", map[string]string{"email": "bob@acme.example", "firstname": "Bob", "lastname": "Ray"})
	rep := e.run()
	require.Empty(t, rep.Errors())
	rep = e.run() // the creates' own echoes
	require.Empty(t, rep.Errors())

	e.resetCalls()
	for i := range 100 {
		rep := e.run()
		require.Empty(t, rep.Errors())
		require.Zero(t, e.writes(), "pass %d wrote:\n%s", i, rep)
	}

	// One edit in HubSpot: one write to ConnectWise, none to HubSpot, none after.
	require.NoError(t, e.hsSrv.UpdateRecord("contacts", hsBob, map[string]string{"jobtitle": "CFO"}))
	e.resetCalls()
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, e.cwWrites(), rep.String())
	assert.Zero(t, e.hsWrites(), rep.String())
	e.resetCalls()
	for range 10 {
		e.run()
	}
	assert.Zero(t, e.writes())

	// One edit in ConnectWise: one write to HubSpot, none to ConnectWise, none after.
	_, err := e.cwSrv.Update(connectwisetest.Contacts, ann, map[string]any{"title": "CTO"})
	require.NoError(t, err)
	e.resetCalls()
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, e.hsWrites(), rep.String())
	assert.Zero(t, e.cwWrites(), rep.String())
	e.resetCalls()
	for range 10 {
		e.run()
	}
	assert.Zero(t, e.writes())
}

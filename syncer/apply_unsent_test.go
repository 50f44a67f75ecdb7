package syncer_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

// unsentEnv links two companies, edits the city of the first in HubSpot
// (a write toward ConnectWise) and the city of the second in ConnectWise (a
// write toward HubSpot); with cwName, also the name of the first in
// ConnectWise.
func unsentEnv(t *testing.T, cwName bool) (e *env, acme int, hsAcme string) {
	e = newEnv(t, spec("companies"), nil)
	acme = e.cwCompany("Acme", "Acme")
	globex := e.cwCompany("Globex", "Globex")
	require.Empty(t, e.run().Errors())
	hsAcme = e.link("companies", acme).HubSpotID
	require.NoError(t, e.hsSrv.UpdateRecord("companies", hsAcme, map[string]string{"city": "Ogdenville"}))
	if cwName {
		_, err := e.cwSrv.Update(connectwisetest.Companies, acme, map[string]any{"name": "Acme Corp"})
		require.NoError(t, err)
	}
	_, err := e.cwSrv.Update(connectwisetest.Companies, globex, map[string]any{"city": "Shelbyville"})
	require.NoError(t, err)
	return e, acme, hsAcme
}

// settledBoth requires both edits of Acme on both sides after passes without
// faults, and a quiet pass that writes nothing.
func settledBoth(t *testing.T, e *env, acme int, hsAcme, name string) {
	t.Helper()
	_, err := e.eng.RetryNow(e.ctx, "")
	require.NoError(t, err)
	for range 2 {
		rep := e.run()
		require.Empty(t, rep.Errors(), rep.String())
	}
	cw, _ := e.cwSrv.Get(connectwisetest.Companies, acme)
	hs, _ := e.hsSrv.Record("companies", hsAcme)
	assert.Equal(t, "Ogdenville", cw["city"], "the HubSpot edit reached ConnectWise")
	assert.Equal(t, "Ogdenville", hs.Properties["city"], "the HubSpot edit was not overwritten")
	assert.Equal(t, name, hs.Properties["name"])
	e.resetCalls()
	rep := e.run()
	assert.Zero(t, e.writes(), rep.String())
}

// A pass stopped by a HubSpot batch update that fails as a whole (for
// another record) never sends the ConnectWise patches: the records keep their
// stored base, so the next
// pass sends the HubSpot edit to ConnectWise instead of taking ConnectWise's
// old value for a change and copying it over the edit.
func TestStoppedPassKeepsUnsentWrites(t *testing.T) {
	e, acme, hsAcme := unsentEnv(t, false)
	e.hsSrv.InjectOp(hubspottest.OpBatchUpdate, 2, hubspottest.Fault{Status: http.StatusBadGateway}) // the client retries once
	e.clk.Add(60e9)
	rep, err := e.eng.Run(e.ctx)
	require.Error(t, err)
	assert.Zero(t, rep.Count("companies", "updated"), rep.String())
	cw, _ := e.cwSrv.Get(connectwisetest.Companies, acme)
	require.Equal(t, "Springfield", cw["city"], "the patch was not sent")
	settledBoth(t, e, acme, hsAcme, "Acme")
}

// HubSpot refuses one record's update (one input of the batch fails in a
// 207); the same record's ConnectWise patch is not sent, and its base keeps
// the value ConnectWise holds for the patched field.
func TestRefusedHubSpotWriteKeepsConnectWiseBase(t *testing.T) {
	for name, fault := range map[string]hubspottest.InputFault{"transient": {}, "refused": {Category: hubspot.CategoryValidation}} {
		t.Run(name, func(t *testing.T) {
			e, acme, hsAcme := unsentEnv(t, true)
			inj := e.hsSrv.FailInputs(hubspottest.OpBatchUpdate, 1, func(in hubspottest.BatchInput) *hubspottest.InputFault {
				if in.ID == hsAcme {
					return &fault
				}
				return nil
			})
			rep := e.run()
			require.Equal(t, 1, inj.Hits())
			require.Len(t, rep.Errors(), 1, rep.String())
			settledBoth(t, e, acme, hsAcme, "Acme Corp")
		})
	}
}

// A batch update stopped in its first chunk of 100 leaves the records of the
// later chunks unsent: they are reported as stopped and written by the next
// pass (the HubSpot side returns no record and no error for them).
func TestStoppedUpdateLaterChunksUnsent(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	var ids []int
	for i := range 101 {
		ids = append(ids, e.cwCompany("Company", "Co"+strconv.Itoa(i)))
	}
	require.Empty(t, e.run().Errors())
	for _, id := range ids {
		_, err := e.cwSrv.Update(connectwisetest.Companies, id, map[string]any{"city": "Shelbyville"})
		require.NoError(t, err)
	}
	e.hsSrv.InjectOp(hubspottest.OpBatchUpdate, 2, hubspottest.Fault{Status: http.StatusBadGateway})
	e.clk.Add(60e9)
	rep, err := e.eng.Run(e.ctx)
	require.Error(t, err)
	assert.Zero(t, rep.Count("companies", "updated"), rep.String())
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 101, rep.Count("companies", "updated"))
	for _, o := range e.hsAll("companies", "city") {
		assert.Equal(t, "Shelbyville", o.Properties["city"])
	}
}

package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/syncer"
)

// A HubSpot merge whose survivor has no link moves the merged record's link to
// the survivor (from hs_merged_object_ids): no duplicate on either side, and
// edits keep flowing to the survivor.
func TestHubSpotMergeRelinks(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	cw := e.cwCompany("Acme Corp", "AcmeCorp")
	e.run()
	merged := e.link("companies", cw).HubSpotID
	// A duplicate typed into HubSpot by hand, merged before the next pass.
	dup := e.hsCreate("companies", map[string]string{"name": "ACME Corporation"})
	survivor, err := e.hsSrv.MergeRecords("companies", dup, merged)
	require.NoError(t, err)

	rep := e.run()
	require.Empty(t, rep.Errors(), rep.String())
	assert.Equal(t, survivor, e.link("companies", cw).HubSpotID, rep.String())
	assert.Equal(t, 1, e.cwActive(), "no ConnectWise duplicate")
	assert.Equal(t, 1, e.hsSrv.RecordCount("companies"))
	_, err = e.store.LinkByHubSpotID(e.ctx, "acme", "companies", merged)
	assert.ErrorIs(t, err, syncer.ErrNotFound)

	_, err = e.cwSrv.Update(connectwisetest.Companies, cw, map[string]any{"name": "Acme Inc"})
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors())
	r, ok := e.hsSrv.Record("companies", survivor)
	require.True(t, ok)
	assert.Equal(t, "Acme Inc", r.Properties["name"])
	e.resetCalls()
	for range 5 {
		e.run()
	}
	assert.Zero(t, e.writes())
}

// Two linked HubSpot records merged: the survivor keeps its link, the merged
// record's link is removed, nothing is created.
func TestHubSpotMergeBothLinked(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	x := e.cwCompany("Acme Corp", "AcmeCorp")
	y := e.cwCompany("Acme Holdings", "AcmeHold")
	e.run()
	hx, hy := e.link("companies", x).HubSpotID, e.link("companies", y).HubSpotID
	survivor, err := e.hsSrv.MergeRecords("companies", hy, hx)
	require.NoError(t, err)
	rep := e.run()
	require.Empty(t, rep.Errors(), rep.String())
	assert.Equal(t, survivor, e.link("companies", y).HubSpotID)
	assert.False(t, e.linked(x))
	assert.Equal(t, 1, e.hsSrv.RecordCount("companies"))
	assert.Equal(t, 2, e.cwActive())
}

// A merge webhook's hint (survivor and merged IDs) brings the survivor into a
// targeted pass, which relinks it.
func TestHubSpotMergeFromHints(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	cw := e.cwCompany("Acme Corp", "AcmeCorp")
	e.run()
	merged := e.link("companies", cw).HubSpotID
	dup := e.hsCreate("companies", map[string]string{"name": "ACME Corporation"})
	survivor, err := e.hsSrv.MergeRecords("companies", dup, merged)
	require.NoError(t, err)
	rep, err := e.eng.RunHints(e.ctx, syncer.Hints{"companies": {HubSpot: []string{survivor, merged}}})
	require.NoError(t, err)
	require.Empty(t, rep.Errors())
	assert.Equal(t, survivor, e.link("companies", cw).HubSpotID, rep.String())
	assert.Equal(t, 1, e.cwActive())
	assert.Equal(t, 1, e.hsSrv.RecordCount("companies"))
}

package syncer_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/syncer"
)

// Linked HubSpot records found in the recycle bin follow the object's delete
// policy; a poll alone never sees them.
func TestSweepArchivedPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy     syncer.DeletePolicy
		unlinked   bool
		propagated bool
	}{
		{"", false, false},
		{syncer.DeleteUnlink, true, false},
		{syncer.DeletePropagate, true, true},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			e, ids := deleteEnv(t, 12, func(c *syncer.Config) {
				if tc.policy != "" {
					c.Deletes = map[string]syncer.DeletePolicy{"companies": tc.policy}
				}
			})
			gone := ids[4]
			hs := e.link("companies", gone).HubSpotID
			require.NoError(t, e.hsSrv.ArchiveRecord("companies", hs))
			// An archived record nobody linked is not the sweep's business.
			require.NoError(t, e.hsSrv.ArchiveRecord("companies", e.hsCreate("companies", map[string]string{"name": "Stray"})))
			require.Empty(t, e.run().Errors())
			assert.True(t, e.linked(gone), "polling never sees a delete")

			dr, err := e.eng.SweepArchived(e.ctx, "companies")
			require.NoError(t, err)
			assert.Equal(t, []string{"hubspot:" + hs}, dr.Gone, dr.String())
			assert.Equal(t, 12, dr.Links)
			assert.Equal(t, !tc.unlinked, e.linked(gone))
			rec, ok := e.cwSrv.Get(connectwisetest.Companies, gone)
			require.True(t, ok)
			assert.Equal(t, tc.propagated, rec["deletedFlag"] == true)
			assert.Equal(t, 12-btoi(tc.propagated), e.cwActive())

			// A second sweep finds nothing new once the link is gone.
			dr, err = e.eng.SweepArchived(e.ctx, "companies")
			require.NoError(t, err)
			assert.Len(t, dr.Gone, btoi(!tc.unlinked))
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// The sweep pages through an archive larger than a page (100) and stays under
// the mass-delete guard; a merged-away record is not in the archive and its
// link moves to the survivor instead.
func TestSweepArchivedPagesGuardAndMerge(t *testing.T) {
	e, ids := deleteEnv(t, 130, func(c *syncer.Config) {
		c.Deletes = map[string]syncer.DeletePolicy{"companies": syncer.DeletePropagate}
	})
	var archived []string
	for _, id := range ids[:110] {
		hs := e.link("companies", id).HubSpotID
		require.NoError(t, e.hsSrv.ArchiveRecord("companies", hs))
		archived = append(archived, "hubspot:"+hs)
	}
	e.hsSrv.ResetCalls()
	dr, err := e.eng.SweepArchived(e.ctx, "companies")
	require.ErrorIs(t, err, syncer.ErrMassDelete)
	assert.True(t, dr.Stopped)
	assert.ElementsMatch(t, archived, dr.Gone)
	assert.Equal(t, 2, e.hsSrv.CountOp(hubspottest.OpList), "two pages of 100")
	assert.Equal(t, 130, e.cwActive(), "nothing deleted")

	// Lift the guard: every archived record's partner goes.
	e.cfg.MaxDeleteShare = -1
	e.rebuild()
	mergedAway := e.link("companies", ids[120]).HubSpotID
	dup := e.hsCreate("companies", map[string]string{"name": "Survivor Inc."})
	survivor, err := e.hsSrv.MergeRecords("companies", dup, mergedAway)
	require.NoError(t, err)
	require.Empty(t, e.run().Errors())
	dr, err = e.eng.SweepArchived(e.ctx, "companies")
	require.NoError(t, err)
	assert.Len(t, dr.Gone, 110)
	assert.Equal(t, 110, dr.Propagated)
	assert.Equal(t, 20, e.cwActive())
	assert.True(t, e.linked(ids[120]))
	assert.Equal(t, survivor, e.link("companies", ids[120]).HubSpotID, "the poll moved the link to the survivor")
	assert.False(t, slices.Contains(dr.Gone, "hubspot:"+mergedAway))
}

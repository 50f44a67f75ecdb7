package syncer_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// A link removed by a delete policy takes its parked conflicts and its
// records' dead letters with it: nothing is left to retry or review for a
// record that is gone (found by TestRandomAllObjectsWithFaults).
func TestDeleteClearsConflictsAndDeadLetters(t *testing.T) {
	e, cw, _ := conflictEnv(t, mapping.Review, func(c *syncer.Config) {
		c.Deletes = map[string]syncer.DeletePolicy{"companies": syncer.DeleteUnlink}
		c.MaxDeleteShare = -1
	}, false)
	require.Empty(t, e.run().Errors())
	parked, err := e.eng.Conflicts(e.ctx, "companies")
	require.NoError(t, err)
	require.Len(t, parked, 1)

	// A second company whose HubSpot edit ConnectWise refuses: dead-lettered.
	other := e.cwCompany("Other", "Other")
	require.Empty(t, e.run().Errors())
	otherHS := e.link("companies", other).HubSpotID
	require.NoError(t, e.hsSrv.UpdateRecord("companies", otherHS, map[string]string{"city": "Ogdenville"}))
	e.cwSrv.Inject(connectwisetest.Route(http.MethodPatch, "company/companies/{id}"), 1, connectwisetest.Fault{Status: http.StatusBadRequest})
	require.NotEmpty(t, e.run().Errors())
	dead, err := e.eng.DeadLetters(e.ctx, "companies")
	require.NoError(t, err)
	require.Len(t, dead, 1)

	require.NoError(t, e.cwSrv.Delete(connectwisetest.Companies, cw))
	require.NoError(t, e.hsSrv.ArchiveRecord("companies", otherHS))
	dr, err := e.eng.SweepDeletes(e.ctx, "companies")
	require.NoError(t, err)
	assert.Equal(t, 1, dr.Unlinked, dr.String())
	dr, err = e.eng.HandleDeleted(e.ctx, "companies", syncer.SideHubSpot, []string{otherHS})
	require.NoError(t, err)
	assert.Equal(t, 1, dr.Unlinked, dr.String())

	parked, err = e.eng.Conflicts(e.ctx, "companies")
	require.NoError(t, err)
	assert.Empty(t, parked)
	dead, err = e.eng.DeadLetters(e.ctx, "companies")
	require.NoError(t, err)
	assert.Empty(t, dead)
}

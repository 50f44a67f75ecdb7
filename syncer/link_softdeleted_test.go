package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/syncer"
)

// A HubSpot company never links to a soft-deleted ConnectWise company that
// shares its identifier (ConnectWise lists deleted companies, flagged; found
// by TestRandomAllObjectsWithFaults).
func TestHubSpotNeverLinksToSoftDeleted(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	gone := e.cwCompany("Zed Old", "Zed")
	require.NoError(t, e.cwSrv.Delete(connectwisetest.Companies, gone))
	hs := e.hsCreate("companies", map[string]string{"name": "Zed", "cw_company_identifier": "Zed", "address": "1 Main St", "city": "Springfield"})
	rep := e.run()
	assert.False(t, e.linked(gone), "no link to the deleted company")
	// The deleted company keeps its identifier (the fake, like ConnectWise's
	// validation of identifiers, counts it): the create is refused with an
	// error naming the record and the field, and nothing is linked.
	require.Len(t, rep.Errors(), 1, rep.String())
	var re *syncer.RecordError
	require.ErrorAs(t, rep.Errors()[0], &re)
	assert.Equal(t, hs, re.HubSpotID)
	assert.Equal(t, "identifier", re.Field)
	assert.Zero(t, e.cwActive())
}

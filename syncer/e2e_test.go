package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

func TestToHubSpotInitialEditNoop(t *testing.T) {
	s := spec("companies", "contacts")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToHubSpot
	}
	e := newEnv(t, s, nil)
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	e.cwContact("Bob", "Ray", "bob@acme.example", acme)

	rep := e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 2, rep.Count("contacts", syncer.OutcomeCreated))
	cos := e.hsAll("companies", "name", "cw_company_id", "cw_company_identifier")
	require.Len(t, cos, 1)
	assert.Equal(t, "Acme Corp", cos[0].Properties["name"])
	contacts := e.hsAll("contacts", "email", "firstname", "cw_contact_id")
	require.Len(t, contacts, 2)

	// A pass without edits writes nothing.
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Zero(t, e.writes(), "no-op pass wrote")
	assert.Zero(t, rep.Writes())

	// An edit in ConnectWise reaches HubSpot, once.
	_, err := e.cwSrv.Update(connectwisetest.Companies, acme, map[string]any{"name": "Acme Corporation"})
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeUpdated))
	cos = e.hsAll("companies", "name")
	assert.Equal(t, "Acme Corporation", cos[0].Properties["name"])
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	e.run()
	assert.Zero(t, e.writes())
}

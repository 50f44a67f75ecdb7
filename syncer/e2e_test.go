package syncer_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
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

func (e *env) assocIDs(from, to, id string) []string {
	e.t.Helper()
	got, _, err := e.hsc.Associations.ReadBatch(e.ctx, from, to, []string{id})
	require.NoError(e.t, err)
	var out []string
	for _, a := range got[id] {
		out = append(out, a.ID)
	}
	return out
}

func TestToConnectWise(t *testing.T) {
	s := spec("companies", "contacts")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToConnectWise
	}
	// The ConnectWise rec ID flows toward HubSpot only, so it cannot be a key here.
	s.Objects[0].Match = []mapping.MatchKey{{HubSpot: mapping.PropCWCompanyIdentifier}}
	e := newEnv(t, s, nil)
	co, _, err := e.hsc.Companies.Create(e.ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{
		"name": "Globex", "cw_company_identifier": "Globex", "address": "2 Side St", "city": "Shelbyville"}})
	require.NoError(t, err)
	hank, _, err := e.hsc.Contacts.Create(e.ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{
		"firstname": "Hank", "lastname": "Scorpio", "email": "Hank@Globex.example"}})
	require.NoError(t, err)
	_, _, err = e.hsc.Associations.CreateDefaultBatch(e.ctx, "contacts", "companies", []hubspot.AssociationPair{{FromID: hank.ID, ToID: co.ID}})
	require.NoError(t, err)

	rep := e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeCreated))
	cos := e.cwSrv.Records(connectwisetest.Companies)
	var found bool
	for _, c := range cos {
		if c["identifier"] == "Globex" {
			found = true
			assert.Equal(t, "Globex", c["name"])
		}
	}
	assert.True(t, found)
	assert.Equal(t, 1, countEmail(e.cwSrv.Records(connectwisetest.Contacts), "hank@globex.example"))
	// The HubSpot association became the contact's company reference.
	cwHank, _ := e.cwSrv.Get(connectwisetest.Contacts, int(e.linkHS("contacts", hank.ID).ConnectWiseID))
	assert.EqualValues(t, e.linkHS("companies", co.ID).ConnectWiseID, cwHank["company"].(map[string]any)["id"])

	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	e.run()
	assert.Zero(t, e.writes(), "no-op pass wrote")

	_, _, err = e.hsc.Companies.Update(e.ctx, co.ID, map[string]string{"city": "Capital City"}, nil)
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeUpdated))
	for _, c := range e.cwSrv.Records(connectwisetest.Companies) {
		if c["identifier"] == "Globex" {
			assert.Equal(t, "Capital City", c["city"])
		}
	}
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	e.run()
	assert.Zero(t, e.writes())
}

func countEmail(recs []connectwisetest.Record, email string) int {
	n := 0
	for _, r := range recs {
		items, _ := r["communicationItems"].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if s, _ := m["value"].(string); strings.EqualFold(s, email) {
				n++
			}
		}
	}
	return n
}

func (e *env) linkHS(object, id string) syncer.Link {
	e.t.Helper()
	l, err := e.store.LinkByHubSpotID(e.ctx, "acme", object, id)
	require.NoError(e.t, err)
	return l
}

// A HubSpot contact whose company is not in ConnectWise yet waits (deferred),
// then is created with its company reference once the company is synced.
func TestToConnectWiseCreateWaitsForCompany(t *testing.T) {
	s := spec("companies", "contacts")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToConnectWise
	}
	s.Objects[0].Match = []mapping.MatchKey{{HubSpot: mapping.PropCWCompanyIdentifier}}
	s.Objects[0].Filters.ToConnectWise = &mapping.Filter{Path: "city", Op: mapping.Ne, Value: "Later"}
	e := newEnv(t, s, nil)
	co := e.hsCreate("companies", map[string]string{"name": "Initech", "cw_company_identifier": "Initech", "address": "1 Way", "city": "Later"})
	peter := e.hsCreate("contacts", map[string]string{"firstname": "Peter", "lastname": "Gibbons", "email": "peter@initech.example"})
	_, _, err := e.hsc.Associations.CreateDefaultBatch(e.ctx, "contacts", "companies", []hubspot.AssociationPair{{FromID: peter, ToID: co}})
	require.NoError(t, err)

	rep := e.run()
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeDeferred), rep.String())
	assert.Zero(t, countEmail(e.cwSrv.Records(connectwisetest.Contacts), "peter@initech.example"))

	_, _, err = e.hsc.Companies.Update(e.ctx, co, map[string]string{"city": "Austin"}, nil)
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors(), rep.String())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeCreated))
	l := e.linkHS("contacts", peter)
	rec, _ := e.cwSrv.Get(connectwisetest.Contacts, int(l.ConnectWiseID))
	assert.EqualValues(t, e.linkHS("companies", co).ConnectWiseID, rec["company"].(map[string]any)["id"])
	dls, err := e.eng.DeadLetters(e.ctx, "")
	require.NoError(t, err)
	assert.Empty(t, dls)
}

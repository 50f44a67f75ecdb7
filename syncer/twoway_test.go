package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

func (e *env) hsCreate(objectType string, props map[string]string) string {
	e.t.Helper()
	o, _, err := e.hsc.Objects(objectType).Create(e.ctx, &hubspot.ObjectCreateRequest{Properties: props})
	require.NoError(e.t, err)
	return o.ID
}

func (e *env) link(object string, cwID int) syncer.Link {
	e.t.Helper()
	l, err := e.store.LinkByConnectWiseID(e.ctx, "acme", object, int64(cwID))
	require.NoError(e.t, err)
	return l
}

// Both directions with the default mapping: existing records on both sides are
// matched (never duplicated), associations follow the links, edits flow each
// way exactly once and quiet passes write nothing.
func TestBothWaysMatchEditAssociate(t *testing.T) {
	e := newEnv(t, spec("companies", "contacts"), nil)
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	ann := e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	// HubSpot already holds Ann (by email) and the company (by identifier).
	hsAnn := e.hsCreate("contacts", map[string]string{"email": "ANN@acme.example", "firstname": "Ann", "jobtitle": "CTO"})
	hsAcme := e.hsCreate("companies", map[string]string{"name": "Acme", "cw_company_identifier": "AcmeCorp"})
	// HubSpot-only contact goes to ConnectWise.
	hsCarl := e.hsCreate("contacts", map[string]string{"email": "carl@acme.example", "firstname": "Carl", "lastname": "Jones"})

	rep := e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeLinked))
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeLinked))
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeCreated))
	assert.Len(t, e.hsAll("companies"), 1)
	assert.Len(t, e.hsAll("contacts"), 2)
	assert.Equal(t, hsAcme, e.link("companies", acme).HubSpotID)
	assert.Equal(t, hsAnn, e.link("contacts", ann).HubSpotID)
	assert.Equal(t, []string{hsAcme}, e.assocIDs("contacts", "companies", hsAnn))
	assert.Equal(t, 1, countEmail(e.cwSrv.Records(connectwisetest.Contacts), "carl@acme.example"))
	// Initial link: ConnectWise's name wins (default preference), HubSpot's job
	// title fills ConnectWise's empty one.
	co, _ := e.cwSrv.Get(connectwisetest.Contacts, ann)
	assert.Equal(t, "CTO", co["title"])
	hsCos := e.hsAll("companies", "name", "cw_company_id")
	assert.Equal(t, "Acme Corp", hsCos[0].Properties["name"])

	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Zero(t, e.writes(), "quiet pass wrote:\n%s", rep)

	// Edit in HubSpot reaches ConnectWise.
	_, _, err := e.hsc.Contacts.Update(e.ctx, hsCarl, map[string]string{"jobtitle": "CEO"}, nil)
	require.NoError(t, err)
	// Edit in ConnectWise reaches HubSpot.
	_, err = e.cwSrv.Update(connectwisetest.Contacts, ann, map[string]any{"lastName": "Lee-Smith"})
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 2, rep.Count("contacts", syncer.OutcomeUpdated), rep.String())
	for _, c := range e.hsAll("contacts", "lastname") {
		if c.ID == hsAnn {
			assert.Equal(t, "Lee-Smith", c.Properties["lastname"])
		}
	}
	var carlTitle any
	for _, r := range e.cwSrv.Records(connectwisetest.Contacts) {
		if r["firstName"] == "Carl" {
			carlTitle = r["title"]
		}
	}
	assert.Equal(t, "CEO", carlTitle)

	for range 3 {
		e.hsSrv.ResetCalls()
		e.cwSrv.ResetCalls()
		rep = e.run()
		require.Empty(t, rep.Errors())
		assert.Zero(t, e.writes(), "echo pass wrote:\n%s", rep)
	}
}

// A filtered record is reported and not synced.
func TestFilter(t *testing.T) {
	s := spec("companies")
	s.Objects[0].Filters.ToHubSpot = &mapping.Filter{And: []mapping.Filter{*s.Objects[0].Filters.ToHubSpot, mapping.Where("city", mapping.Ne, "Nowhere")}}
	e := newEnv(t, s, nil)
	e.cwCompany("Live Co", "LiveCo")
	_, err := e.cwSrv.Create(connectwisetest.Companies, map[string]any{"name": "Hidden Co", "identifier": "HiddenCo", "addressLine1": "x", "city": "Nowhere"})
	require.NoError(t, err)
	rep := e.run()
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeSkipped))
	var reason syncer.Reason
	for _, r := range rep.Records {
		if r.Outcome == syncer.OutcomeSkipped {
			reason = r.Reason
		}
	}
	assert.Equal(t, syncer.ReasonFiltered, reason)
	assert.Len(t, e.hsAll("companies"), 1)
}

// A HubSpot record outside the toConnectWise filter stays in HubSpot.
func TestFilterTowardConnectWise(t *testing.T) {
	s := spec("companies")
	s.Objects[0].Direction = mapping.ToConnectWise
	s.Objects[0].Match = []mapping.MatchKey{{HubSpot: mapping.PropCWCompanyIdentifier}}
	s.Objects[0].Filters.ToConnectWise = &mapping.Filter{Path: "city", Op: mapping.Ne, Value: "Internal"}
	e := newEnv(t, s, nil)
	before := e.cwSrv.Len(connectwisetest.Companies)
	e.hsCreate("companies", map[string]string{"name": "Keep", "cw_company_identifier": "Keep", "city": "Springfield"})
	e.hsCreate("companies", map[string]string{"name": "Ours", "cw_company_identifier": "Ours", "city": "internal"})
	rep := e.run()
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeSkipped))
	assert.Equal(t, before+1, e.cwSrv.Len(connectwisetest.Companies))
}

package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
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

// Duplicate emails in ConnectWise are reported as ambiguous, never guessed.
func TestAmbiguousMatches(t *testing.T) {
	e := newEnv(t, spec("contacts"), nil)
	e.cwContact("Dee", "One", "dup@example.com", 0)
	e.cwContact("Dee", "Two", "dup@example.com", 0)
	e.cwContact("Eve", "One", "eve@example.com", 0)
	e.cwContact("Eve", "Two", "eve@example.com", 0)
	e.hsCreate("contacts", map[string]string{"email": "eve@example.com", "firstname": "Eve"})

	rep := e.run()
	t.Log("\n" + rep.String())
	assert.Equal(t, 5, rep.Count("contacts", syncer.OutcomeAmbiguous), "4 in ConnectWise, 1 in HubSpot")
	assert.Len(t, e.hsAll("contacts"), 1, "nothing created for ambiguous records")
	for _, r := range rep.Records {
		if r.Outcome == syncer.OutcomeAmbiguous {
			assert.Contains(t, r.Detail, "@example.com")
		}
	}
	assert.Equal(t, 1, countEmail(e.cwSrv.Records(connectwisetest.Contacts), "eve@example.com")-1)
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

// A record ConnectWise refuses is dead-lettered with an error naming it, the
// others go through, and it syncs once the cause is fixed.
func TestDeadLetterRetriedAfterFix(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	bad := e.hsCreate("companies", map[string]string{"name": "No Identifier Inc", "city": "Ogdenville"})
	e.hsCreate("companies", map[string]string{"name": "Good Inc", "cw_company_identifier": "GoodInc", "city": "Ogdenville"})
	rep := e.run()
	t.Log("\n" + rep.String())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeFailed))
	require.Len(t, rep.Errors(), 1)
	assert.Contains(t, rep.Errors()[0].Error(), "hubspot="+bad)
	var re *syncer.RecordError
	require.ErrorAs(t, rep.Errors()[0], &re)
	assert.True(t, syncer.IsTerminal(re))
	dls, err := e.eng.DeadLetters(e.ctx, "companies")
	require.NoError(t, err)
	require.Len(t, dls, 1)
	assert.Equal(t, bad, dls[0].SourceID)

	// Not retried in a hot loop.
	e.cwSrv.ResetCalls()
	e.run()
	assert.Equal(t, 0, e.cwSrv.Count(connectwisetest.Route("POST", "company/companies")))

	// The user fixes the record in HubSpot: the change retries it at once.
	_, _, err = e.hsc.Companies.Update(e.ctx, bad, map[string]string{"cw_company_identifier": "NoIdent"}, nil)
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors(), rep.String())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	dls, err = e.eng.DeadLetters(e.ctx, "companies")
	require.NoError(t, err)
	assert.Empty(t, dls)
	assert.Equal(t, 2, e.cwSrv.Len(connectwisetest.Companies)-baseCompanies(e))
}

// baseCompanies is the number of companies the fake starts with.
func baseCompanies(e *env) int {
	n := 0
	for _, r := range e.cwSrv.Records(connectwisetest.Companies) {
		if r["identifier"] != "GoodInc" && r["identifier"] != "NoIdent" {
			n++
		}
	}
	return n
}

// A transient failure is dead-lettered, skipped until its backoff ends, then
// retried and cleared.
func TestTransientFailureBackoff(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	e.run()
	hsID := e.link("companies", acme).HubSpotID
	_, _, err := e.hsc.Companies.Update(e.ctx, hsID, map[string]string{"city": "Capital City"}, nil)
	require.NoError(t, err)
	e.cwSrv.Inject(connectwisetest.Route("PATCH", "company/companies/{id}"), 2, connectwisetest.Fault{Status: 503})
	rep := e.run()
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeFailed), rep.String())
	require.Len(t, rep.Errors(), 1)
	assert.False(t, syncer.IsTerminal(rep.Errors()[0]))

	e.clk.Add(-30 * time.Second) // the next pass comes 30 s later: not due yet
	rep = e.run()
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeSkipped), rep.String())
	assert.Equal(t, syncer.ReasonDeadLettered, rep.Records[0].Reason)

	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeUpdated), rep.String())
	co, _ := e.cwSrv.Get(connectwisetest.Companies, acme)
	assert.Equal(t, "Capital City", co["city"])
	dls, err := e.eng.DeadLetters(e.ctx, "")
	require.NoError(t, err)
	assert.Empty(t, dls)
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

// A record that failed toward HubSpot because of missing reference data is
// retried with RetryNow once the data is fixed.
func TestRetryNowAfterFix(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToHubSpot
	}
	stages, owners := map[string]string{}, map[string]string{}
	e := newEnv(t, s, func(c *syncer.Config) {
		c.Lookups = func(context.Context) (*mapping.Lookups, error) {
			lk := mapping.NewLookups()
			lk.SetTable(mapping.TableOwners, owners)
			lk.SetTable(mapping.TableDealStages, stages)
			return lk, nil
		}
	})
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	ann := e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	opp := e.cwOpportunity("Managed services", acme, ann, 0)
	rep := e.run()
	require.Equal(t, 1, rep.Count("deals", syncer.OutcomeFailed), rep.String())
	var re *syncer.RecordError
	require.ErrorAs(t, rep.Errors()[0], &re)
	assert.Equal(t, "dealstage", re.Field)
	assert.ErrorIs(t, re, mapping.ErrUnmapped)

	stages["1"] = "appointmentscheduled" // the user fills the tables
	owners["244"] = e.hsSrv.AddOwner(hubspottest.Owner{Email: "jsmith@example.com"})
	n, err := e.eng.RetryNow(e.ctx, "deals")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	rep = e.run()
	require.Empty(t, rep.Errors(), rep.String())
	assert.Equal(t, 1, rep.Count("deals", syncer.OutcomeCreated))
	e.link("deals", opp)
}

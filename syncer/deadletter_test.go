package syncer_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

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

// A record that failed toward HubSpot because of missing reference data is
// retried with RetryNow once the data is fixed.
func TestRetryNowAfterFix(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToHubSpot
	}
	stages, owners := map[string]string{}, map[string]string{}
	e := newEnv(t, s, func(c *syncer.Config) {
		c.Lookups = tableLookups(owners, stages)
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

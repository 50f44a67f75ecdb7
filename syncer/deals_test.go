package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// Opportunities become deals with the forecast amount, the stage and owner
// through lookup tables, and associations to their company and contact; an
// opportunity whose company is not synced yet is deferred, not dropped.
func TestDealsWithForecastLookupsAndAssociations(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToHubSpot
	}
	// Companies in city "Later" stay out until the filter is lifted.
	s.Objects[0].Filters.ToHubSpot = &mapping.Filter{And: []mapping.Filter{*s.Objects[0].Filters.ToHubSpot, mapping.Where("city", mapping.Ne, "Later")}}
	var e *env
	e = newEnv(t, s, func(c *syncer.Config) {
		c.Lookups = dealLookups(&e, map[string]string{"1": "appointmentscheduled", "2": "qualifiedtobuy"})
	})
	owner := e.hsSrv.AddOwner(hubspottest.Owner{Email: "JSmith@example.com", FirstName: "John", LastName: "Smith"})
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	ann := e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	later, err := e.cwSrv.Create(connectwisetest.Companies, map[string]any{"name": "Later Inc", "identifier": "LaterInc", "addressLine1": "x", "city": "Later"})
	require.NoError(t, err)
	opp := e.cwOpportunity("Managed services", acme, ann, 1500)
	leo := e.cwContact("Leo", "Late", "leo@later.example", int(later["id"].(float64)))
	opp2 := e.cwOpportunity("Firewall refresh", int(later["id"].(float64)), leo, 0)

	rep := e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	assert.Equal(t, 2, rep.Count("deals", syncer.OutcomeCreated))
	deal := e.link("deals", opp).HubSpotID
	got := map[string]map[string]string{}
	for _, d := range e.hsAll("deals", "dealname", "amount", "dealstage", "hubspot_owner_id", "cw_opportunity_id", "pipeline") {
		got[d.ID] = d.Properties
	}
	assert.Equal(t, "Managed services", got[deal]["dealname"])
	assert.Equal(t, "1500", got[deal]["amount"])
	assert.Equal(t, "appointmentscheduled", got[deal]["dealstage"])
	assert.Equal(t, owner, got[deal]["hubspot_owner_id"])
	assert.Equal(t, []string{e.link("companies", acme).HubSpotID}, e.assocIDs("deals", "companies", deal))
	assert.Equal(t, []string{e.link("contacts", ann).HubSpotID}, e.assocIDs("deals", "contacts", deal))
	dls, err := e.eng.DeadLetters(e.ctx, "deals")
	require.NoError(t, err)
	require.Len(t, dls, 1, "the deal of the filtered company waits")
	assert.Contains(t, dls[0].Err, "deferred")

	// The company enters the filter; the waiting association is written.
	_, err = e.cwSrv.Update(connectwisetest.Companies, int(later["id"].(float64)), map[string]any{"city": "Springfield"})
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors())
	deal2 := e.link("deals", opp2).HubSpotID
	assert.Equal(t, []string{e.link("companies", int(later["id"].(float64))).HubSpotID}, e.assocIDs("deals", "companies", deal2))
	assert.Equal(t, []string{e.link("companies", int(later["id"].(float64))).HubSpotID}, e.assocIDs("contacts", "companies", e.link("contacts", leo).HubSpotID))
	dls, err = e.eng.DeadLetters(e.ctx, "")
	require.NoError(t, err)
	assert.Empty(t, dls)

	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Zero(t, e.writes(), rep.String())
}

func (e *env) cwOpportunity(name string, company, contact int, revenue float64) int {
	e.t.Helper()
	body := map[string]any{"name": name, "company": map[string]any{"id": company}, "primarySalesRep": map[string]any{"id": 244},
		"stage": map[string]any{"id": 1}, "expectedCloseDate": "2026-12-15T00:00:00Z"}
	if contact > 0 {
		body["contact"] = map[string]any{"id": contact}
	}
	rec, err := e.cwSrv.Create(connectwisetest.Opportunities, body)
	require.NoError(e.t, err)
	id := int(rec["id"].(float64))
	if revenue > 0 {
		_, _, err = e.cwc.Opportunities.CreateForecastItem(e.ctx, id, &connectwise.ForecastItem{Status: connectwise.Ref(1),
			ForecastType: connectwise.Ptr("Service"), Revenue: connectwise.Ptr(revenue), IncludeFlag: connectwise.Ptr(true)})
		require.NoError(e.t, err)
	}
	return id
}

// A record HubSpot refuses fails alone, with an error naming the record and
// the field; no token or key appears in the report or the dead letters.
func TestRecordErrorNamesFieldAndHidesSecrets(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToHubSpot
	}
	e := newEnv(t, s, func(c *syncer.Config) {
		c.Lookups = tableLookups(map[string]string{"244": "999"}, map[string]string{"1": "appointmentscheduled"}) // not an owner
	})
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	ann := e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	opp := e.cwOpportunity("Managed services", acme, ann, 0)
	rep := e.run()
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeCreated))
	require.Equal(t, 1, rep.Count("deals", syncer.OutcomeFailed))
	var re *syncer.RecordError
	require.ErrorAs(t, rep.Errors()[0], &re)
	assert.Equal(t, "hubspot_owner_id", re.Field)
	assert.EqualValues(t, opp, re.ConnectWiseID)
	assert.Contains(t, re.Error(), "field hubspot_owner_id")
	assert.True(t, syncer.IsTerminal(re))

	dls, err := e.eng.DeadLetters(e.ctx, "")
	require.NoError(t, err)
	require.Len(t, dls, 1)
	cr := e.cwSrv.Credentials()
	for _, secret := range []string{e.hsSrv.Token(), cr.PrivateKey, cr.PublicKey} {
		assert.NotContains(t, rep.String(), secret)
		assert.NotContains(t, dls[0].Err, secret)
	}
}

// Deals both ways: edits flow each way once, quiet passes write nothing.
func TestDealsBothWays(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	var e *env
	e = newEnv(t, s, func(c *syncer.Config) {
		c.Lookups = dealLookups(&e, map[string]string{"1": "appointmentscheduled", "2": "qualifiedtobuy"})
	})
	e.hsSrv.AddOwner(hubspottest.Owner{Email: "JSmith@example.com", FirstName: "John", LastName: "Smith"})
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	ann := e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	opp := e.cwOpportunity("Managed services", acme, ann, 1500)
	rep := e.run()
	require.Empty(t, rep.Errors())
	deal := e.link("deals", opp).HubSpotID
	quiet := func() {
		t.Helper()
		for range 2 {
			e.hsSrv.ResetCalls()
			e.cwSrv.ResetCalls()
			rep := e.run()
			require.Empty(t, rep.Errors())
			assert.Zero(t, e.writes(), rep.String())
		}
	}
	quiet()
	_, _, err := e.hsc.Deals.Update(e.ctx, deal, map[string]string{"dealname": "Managed services 2027", "dealstage": "qualifiedtobuy"}, nil)
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors())
	o, _ := e.cwSrv.Get(connectwisetest.Opportunities, opp)
	assert.Equal(t, "Managed services 2027", o["name"])
	assert.EqualValues(t, 2, o["stage"].(map[string]any)["id"])
	quiet()
	_, err = e.cwSrv.Update(connectwisetest.Opportunities, opp, map[string]any{"notes": "Renewal due"})
	require.NoError(t, err)
	rep = e.run()
	require.Empty(t, rep.Errors())
	for _, d := range e.hsAll("deals", "description") {
		assert.Equal(t, "Renewal due", d.Properties["description"])
	}
	quiet()
}

// An opportunity whose forecast cannot be read fails alone.
func TestForecastFailureFailsOneDeal(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToHubSpot
	}
	owners := map[string]string{}
	e := newEnv(t, s, func(c *syncer.Config) {
		c.Lookups = tableLookups(owners, map[string]string{"1": "appointmentscheduled"})
	})
	owners["244"] = e.hsSrv.AddOwner(hubspottest.Owner{Email: "jsmith@example.com"})
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	ann := e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	first := e.cwOpportunity("One", acme, ann, 0)
	second := e.cwOpportunity("Two", acme, ann, 0)
	e.cwSrv.Inject(connectwisetest.Route("GET", "sales/opportunities/{id}/forecast"), 1, connectwisetest.Fault{Status: 404,
		Body: []byte(`{"code":"NotFound","message":"Opportunity not found"}`)})
	rep := e.run()
	assert.Equal(t, 1, rep.Count("deals", syncer.OutcomeCreated), rep.String())
	require.Equal(t, 1, rep.Count("deals", syncer.OutcomeFailed))
	assert.Contains(t, rep.Errors()[0].Error(), "forecast")
	e.link("deals", second)
	// The dead letter is retried after its backoff and succeeds.
	e.clk.Add(2 * time.Minute)
	rep = e.run()
	require.Empty(t, rep.Errors(), rep.String())
	e.link("deals", first)
}

// dealLookups is the Config.Lookups of the deal tests: the owner table read
// through the clients of *e (set once newEnv returns) and a stage table.
func dealLookups(e **env, stages map[string]string) func(context.Context) (*mapping.Lookups, error) {
	return func(ctx context.Context) (*mapping.Lookups, error) {
		owners, err := syncer.OwnerTable(ctx, (*e).hsc, (*e).cwc)
		if err != nil {
			return nil, err
		}
		lk := mapping.NewLookups()
		lk.SetTable(mapping.TableOwners, owners)
		lk.SetTable(mapping.TableDealStages, stages)
		return lk, nil
	}
}

// tableLookups is a Config.Lookups of fixed owner and stage tables (read at
// every pass: a test may fill owners later).
func tableLookups(owners, stages map[string]string) func(context.Context) (*mapping.Lookups, error) {
	return func(context.Context) (*mapping.Lookups, error) {
		lk := mapping.NewLookups()
		lk.SetTable(mapping.TableOwners, owners)
		lk.SetTable(mapping.TableDealStages, stages)
		return lk, nil
	}
}

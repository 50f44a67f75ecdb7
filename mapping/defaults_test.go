package mapping_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/mapping/mappingtest"
)

// defaultLookups is what the engine would supply for the fixtures.
func defaultLookups() *mapping.Lookups {
	lk := mapping.NewLookups()
	lk.SetTable(mapping.TableOwners, map[string]string{"176": "41629779", "180": "41629780"})
	lk.SetTable(mapping.TableDealStages, map[string]string{
		"1": "appointmentscheduled", "2": "qualifiedtobuy", "3": "presentationscheduled",
		"4": "decisionmakerboughtin", "5": "contractsent", "6": "closedwon", "7": "closedlost",
	})
	return lk
}

func compileDefault(t testing.TB) *mapping.Mapping {
	t.Helper()
	m, err := mapping.Compile(mapping.Default(), nil)
	require.NoError(t, err)
	return m
}

func fixture(t testing.TB, parts ...string) []byte {
	return mappingtest.ReadFile(t, filepath.Join(append([]string{"testdata"}, parts...)...))
}

func golden(parts ...string) string {
	return filepath.Join(append([]string{"testdata", "golden"}, parts...)...)
}

func TestDefaultGolden(t *testing.T) {
	m := compileDefault(t)
	lk := defaultLookups()
	cases := []struct {
		object, cw, hs string
	}{
		{mapping.ObjectCompanies, "company.json", "company.json"},
		{mapping.ObjectContacts, "contact.json", "contact.json"},
		{mapping.ObjectContacts, "contact-minimal.json", ""},
		{mapping.ObjectDeals, "opportunity.json", "deal.json"},
	}
	for _, c := range cases {
		t.Run(c.object+"/"+c.cw, func(t *testing.T) {
			obj := m.Object(c.object)
			require.NotNil(t, obj)
			cw := fixture(t, "connectwise", c.cw)
			base := c.cw[:len(c.cw)-len(".json")]
			mappingtest.Golden(t, golden(base+".to-hubspot.json"), mappingtest.ToHubSpot(t, obj, cw, lk))
			mappingtest.RoundTrip(t, obj, cw, lk)
			if c.hs == "" {
				return
			}
			props := mappingtest.HubSpot(t, fixture(t, "hubspot", c.hs))
			v, err := obj.FromHubSpot(props, lk)
			require.NoError(t, err)
			mappingtest.Golden(t, golden(base+".from-hubspot.json"), v)
			body, err := obj.CreateBody(v, lk)
			require.NoError(t, err)
			mappingtest.Golden(t, golden(base+".create-body.json"), body)
			ops, err := obj.Patch(v, mappingtest.ConnectWise(t, cw), lk, nil)
			require.NoError(t, err)
			if ops == nil {
				ops = []mapping.PatchOp{}
			}
			mappingtest.Golden(t, golden(base+".patch.json"), ops)
		})
	}
}

func TestDefaultIdentityProperties(t *testing.T) {
	plan := mapping.PlanProperties(mapping.Default(), nil)
	unique := map[string]string{}
	for _, p := range plan.Properties {
		assert.Equal(t, mapping.GroupConnectWise, p.Property.GroupName, p.Property.Name)
		if p.Property.HasUniqueValue {
			unique[p.Property.Name] = p.Object
		}
	}
	assert.Equal(t, map[string]string{
		mapping.PropCWCompanyID: "companies", mapping.PropCWCompanyIdentifier: "companies",
		mapping.PropCWContactID: "contacts", mapping.PropCWOpportunityID: "deals",
	}, unique)
	require.Len(t, plan.Groups, 3)
	mappingtest.Golden(t, golden("default-property-plan.json"), plan)

	m := compileDefault(t)
	assert.Equal(t, []string{mapping.PropCWCompanyID, mapping.PropCWCompanyIdentifier}, m.Object(mapping.ObjectCompanies).MatchKeys())
	assert.Equal(t, []string{"email"}, m.Object(mapping.ObjectContacts).MatchKeys())
	assert.Equal(t, []string{mapping.PropCWOpportunityID}, m.Object(mapping.ObjectDeals).MatchKeys())
}

func TestDefaultFilterSkipsDeletedCompanies(t *testing.T) {
	obj := compileDefault(t).Object(mapping.ObjectCompanies)
	rec := mappingtest.ConnectWise(t, fixture(t, "connectwise", "company.json"))
	ok, err := obj.SelectConnectWise(rec, nil)
	require.NoError(t, err)
	assert.True(t, ok)
	rec["deletedFlag"] = true
	ok, err = obj.SelectConnectWise(rec, nil)
	require.NoError(t, err)
	assert.False(t, ok)
}

// A compiled Mapping and a Lookups are shared by concurrent projections
// (run under -race).
func TestConcurrentProjections(t *testing.T) {
	m := compileDefault(t)
	lk := defaultLookups()
	obj := m.Object(mapping.ObjectDeals)
	rec := mappingtest.ConnectWise(t, fixture(t, "connectwise", "opportunity.json"))
	props := mappingtest.HubSpot(t, fixture(t, "hubspot", "deal.json"))
	want, err := obj.FromConnectWise(rec, lk)
	require.NoError(t, err)
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 200 {
				v, err := obj.FromConnectWise(rec, lk)
				assert.NoError(t, err)
				assert.Equal(t, want, v)
				hv, err := obj.FromHubSpot(props, lk)
				assert.NoError(t, err)
				_, err = obj.Patch(hv, rec, lk, nil)
				assert.NoError(t, err)
			}
		}()
	}
	for range 4 {
		<-done
	}
}

func TestDefaultAgainstLiveSchema(t *testing.T) {
	str := func(names ...string) []mapping.HubSpotProperty {
		var out []mapping.HubSpotProperty
		for _, n := range names {
			out = append(out, mapping.HubSpotProperty{Name: n, Type: "string", FieldType: "text"})
		}
		return out
	}
	num := func(n string) mapping.HubSpotProperty {
		return mapping.HubSpotProperty{Name: n, Type: "number", FieldType: "number"}
	}
	enum := func(n string) mapping.HubSpotProperty {
		return mapping.HubSpotProperty{Name: n, Type: "enumeration", FieldType: "select"}
	}
	sc := &mapping.Schema{HubSpot: map[string][]mapping.HubSpotProperty{
		"companies": append(str("name", "website", "domain", "phone", "address", "address2", "city", "state", "zip", "country"),
			num("numberofemployees"), num("annualrevenue")),
		"contacts": str("email", "firstname", "lastname", "jobtitle", "phone", "fax", "address", "city", "state", "zip", "company"),
		"deals": append(str("dealname", "description"), num("amount"), enum("dealstage"), enum("pipeline"), enum("hubspot_owner_id"),
			mapping.HubSpotProperty{Name: "closedate", Type: "datetime", FieldType: "date"}),
	}}
	var created []string
	for _, i := range mapping.Check(mapping.Default(), &mapping.Options{Schema: sc}) {
		require.Equal(t, mapping.SeverityInfo, i.Severity, i.String())
		created = append(created, i.Object+"."+i.Field)
	}
	assert.ElementsMatch(t, []string{
		"companies.cw_company_id", "companies.cw_company_identifier", "companies.cw_company_status", "companies.cw_company_type",
		"contacts.cw_contact_id", "deals.cw_opportunity_id", "deals.cw_opportunity_status",
	}, created)

	spec := mapping.Default()
	spec.Object(mapping.ObjectDeals).Field("amount").Direction = mapping.Off
	require.Nil(t, spec.Object("nope"))
	require.Nil(t, spec.Object(mapping.ObjectDeals).Field("nope"))
	m, err := mapping.Compile(spec, nil)
	require.NoError(t, err)
	_, ok := m.Object(mapping.ObjectDeals).Field("amount")
	assert.False(t, ok)
	assert.Equal(t, []string{"id", "name", "expectedCloseDate", "stage", "primarySalesRep", "notes", "status"},
		m.Object(mapping.ObjectDeals).ConnectWiseFields())
}

func TestDefaultRefusesOverlongIdentifier(t *testing.T) {
	obj := compileDefault(t).Object(mapping.ObjectCompanies)
	v := mapping.Values{"hs_object_id": "19876543210", "name": "Acme", mapping.PropCWCompanyIdentifier: "AcmeHoldingsInternationalGroupLLC"}
	body, err := obj.CreateBody(v, nil)
	var fe *mapping.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "19876543210", fe.RecordID)
	assert.Equal(t, mapping.PropCWCompanyIdentifier, fe.Field)
	assert.ErrorIs(t, err, mapping.ErrInvalidValue)
	assert.Equal(t, "Acme", body["name"])
	assert.NotContains(t, body, "identifier")

	_, err = obj.CreateBody(mapping.Values{"hs_object_id": "7"}, nil)
	var re mapping.RecordErrors
	require.ErrorAs(t, err, &re)
	require.Len(t, re, 2, "identifier and name are required")
	assert.ErrorIs(t, err, mapping.ErrRequired)
	assert.Contains(t, err.Error(), "mapping: companies record 7 field cw_company_identifier (identifier): required field has no value")
}

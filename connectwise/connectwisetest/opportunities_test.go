package connectwisetest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func oppSetup(t *testing.T, opts ...Options) (*Server, *raw, map[string]any) {
	s, c := setup(t, opts...)
	co, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	ct, err := s.Create(Contacts, map[string]any{"firstName": "Ann", "lastName": "Lee", "company": map[string]any{"id": co["id"]}})
	require.NoError(t, err)
	body := map[string]any{"name": "Renewal", "company": map[string]any{"id": co["id"]}, "contact": map[string]any{"id": ct["id"]},
		"primarySalesRep": map[string]any{"identifier": "amiller"}, "stage": map[string]any{"name": "Qualified"}, "probability": 60}
	return s, c, body
}

func TestOpportunityCreate(t *testing.T) {
	_, c, body := oppSetup(t)
	r := c.do("POST", "sales/opportunities", map[string]any{"name": strings.Repeat("n", 101), "source": strings.Repeat("s", 51), "customerPO": strings.Repeat("p", 26)})
	require.Equal(t, 400, r.status)
	m := r.obj(t)
	assert.Equal(t, "opportunity object is invalid", m["message"])
	fields := map[string]string{}
	for _, e := range m["errors"].([]any) {
		em := e.(map[string]any)
		fields[em["field"].(string)] = em["code"].(string)
	}
	assert.Equal(t, map[string]string{"company": "MissingRequiredField", "contact": "MissingRequiredField",
		"primarySalesRep": "MissingRequiredField", "name": "MaxLengthField", "source": "MaxLengthField", "customerPO": "MaxLengthField"}, fields)

	r = c.do("POST", "sales/opportunities", body)
	require.Equal(t, 201, r.status, string(r.body))
	m = r.obj(t)
	assert.Equal(t, map[string]any{"id": 245.0, "identifier": "amiller", "name": "Anna Miller",
		"_info": map[string]any{"member_href": m["primarySalesRep"].(map[string]any)["_info"].(map[string]any)["member_href"]}}, m["primarySalesRep"])
	assert.Equal(t, "Open", m["status"].(map[string]any)["name"], "default status")
	assert.Equal(t, 2, num(m["stage"].(map[string]any)["id"]))
	assert.Equal(t, "Ann Lee", m["contact"].(map[string]any)["name"])
	assert.NotContains(t, m, "amount", "no amount on opportunities")

	r = c.do("PATCH", "sales/opportunities/1000", cf(map[string]any{"op": "replace", "path": "status", "value": map[string]any{"id": 2}}))
	require.Equal(t, 200, r.status)
	m = r.obj(t)
	assert.NotEmpty(t, m["closedDate"])
	assert.Equal(t, "HubwiseAPI", m["closedBy"].(map[string]any)["identifier"])

	assert.Regexp(t, `T00:00:00Z$`, m["expectedCloseDate"])
	// A PUT that leaves out the update-required fields fails; PATCH keeps them.
	r = c.do("PUT", "sales/opportunities/1000", body)
	require.Equal(t, 400, r.status)
	for _, f := range []string{"expectedCloseDate", "locationId", "businessUnitId"} {
		assert.Contains(t, string(r.body), "The "+f+" field is required.")
	}
	put := map[string]any{"expectedCloseDate": "2026-12-01T00:00:00Z", "locationId": 2, "businessUnitId": 3}
	for k, v := range body {
		put[k] = v
	}
	r = c.do("PUT", "sales/opportunities/1000", put)
	require.Equal(t, 200, r.status, string(r.body))

	body["primarySalesRep"] = map[string]any{"id": 1}
	r = c.do("POST", "sales/opportunities", body)
	assert.Contains(t, string(r.body), `"field":"primarySalesRep/id"`)
	assert.Contains(t, string(r.body), `member 1 not found`)
}

func TestForecast(t *testing.T) {
	_, c, body := oppSetup(t)
	require.Equal(t, 201, c.do("POST", "sales/opportunities", body).status)
	f := "sales/opportunities/1000/forecast"

	r := c.do("GET", f, nil)
	require.Equal(t, 200, r.status, string(r.body))
	m := r.obj(t)
	assert.Empty(t, m["forecastItems"])
	assert.Equal(t, map[string]any{"revenue": 0.0, "cost": 0.0, "margin": 0.0, "percentage": 0.0}, m["productRevenue"])

	r = c.do("POST", f, map[string]any{"forecastType": "Gadget", "forecastDescription": strings.Repeat("d", 51)})
	require.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "The status field is required.")
	assert.Contains(t, string(r.body), "forecastType must be one of")
	assert.Contains(t, string(r.body), "maximum length of 50")

	r = c.do("POST", f, map[string]any{"forecastType": "Product", "status": map[string]any{"id": 1}, "revenue": 1000, "cost": 600})
	require.Equal(t, 201, r.status, string(r.body))
	item := r.obj(t)
	assert.Equal(t, 400.0, item["margin"])
	assert.Equal(t, 40.0, item["percentage"])
	assert.Equal(t, "Renewal", item["opportunity"].(map[string]any)["name"])
	r = c.do("POST", f, map[string]any{"forecastType": "service", "status": map[string]any{"id": 2}, "revenue": 500, "cost": 100})
	require.Equal(t, 201, r.status)

	m = c.do("GET", f, nil).obj(t)
	assert.Len(t, m["forecastItems"], 2)
	assert.Equal(t, 1000.0, m["productRevenue"].(map[string]any)["revenue"])
	assert.Equal(t, 500.0, m["serviceRevenue"].(map[string]any)["revenue"])
	assert.Equal(t, 1500.0, m["forecastRevenueTotals"].(map[string]any)["revenue"])
	assert.Equal(t, 500.0, m["wonRevenue"].(map[string]any)["revenue"])
	assert.Equal(t, 1000.0, m["openRevenue"].(map[string]any)["revenue"])
	assert.Equal(t, 60.0, m["expectedProbability"])

	assert.JSONEq(t, `{"count":2}`, string(c.do("GET", f+"/count", nil).body))
	id := jsonNum(item["id"])
	r = c.do("PATCH", f+"/"+id, []any{map[string]any{"op": "replace", "path": "revenue", "value": 2000}})
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, 1400.0, r.obj(t)["margin"])
	r = c.do("PUT", f+"/"+id, map[string]any{"forecastType": "Agreement", "status": map[string]any{"id": 1}, "revenue": 10})
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, "Agreement", r.obj(t)["forecastType"])
	assert.Equal(t, 200, c.do("GET", f+"/"+id, nil).status)
	assert.Equal(t, 204, c.do("DELETE", f+"/"+id, nil).status)
	r = c.do("GET", f+"/"+id, nil)
	assert.Equal(t, 404, r.status)
	assert.Contains(t, string(r.body), "Forecast Item "+id+" not found")
	r = c.do("GET", "sales/opportunities/4242/forecast", nil)
	assert.JSONEq(t, `{"code":"NotFound","message":"Opportunity 4242 not found"}`, string(r.body))
	assert.Equal(t, 404, c.do("GET", "sales/opportunities/1000/bogus", nil).status)

	assert.Equal(t, 204, c.do("DELETE", "sales/opportunities/1000", nil).status)
	assert.Equal(t, 404, c.do("GET", f, nil).status)
}

func TestForecastAsArray(t *testing.T) {
	_, c, body := oppSetup(t, Options{ForecastAsArray: true})
	require.Equal(t, 201, c.do("POST", "sales/opportunities", body).status)
	r := c.do("GET", "sales/opportunities/1000/forecast", nil)
	l := r.list(t)
	require.Len(t, l, 1)
	assert.Contains(t, l[0], "forecastItems")
}

func TestTicketsAndBoards(t *testing.T) {
	s, c := setup(t)
	co, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	r := c.do("POST", "service/tickets", map[string]any{"summary": strings.Repeat("x", 101)})
	require.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), `"message":"The field summary must be a string with a maximum length of 100."`)
	assert.Contains(t, string(r.body), `"message":"The company field is required."`)
	assert.Contains(t, string(r.body), `"message":"ticket object is invalid"`)

	r = c.do("POST", "service/tickets", map[string]any{"summary": "Printer", "company": map[string]any{"identifier": "acme"},
		"board": map[string]any{"name": "Help Desk"}, "status": map[string]any{"id": 1}})
	require.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), `{"code":"NotFound","message":"Service Status 1 not found for Service Board 2","resource":"ticket","field":"status/id"}`)

	r = c.do("POST", "service/tickets", map[string]any{"summary": "Printer", "company": map[string]any{"id": co["id"]}, "board": map[string]any{"id": 2}})
	require.Equal(t, 201, r.status, string(r.body))
	m := r.obj(t)
	assert.Equal(t, "New", m["status"].(map[string]any)["name"], "board default status")
	r = c.do("PATCH", "service/tickets/"+jsonNum(m["id"]), cf(map[string]any{"op": "replace", "path": "/status", "value": map[string]any{"name": "Resolved"}}))
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, true, r.obj(t)["closedFlag"])

	assert.Len(t, c.do("GET", "service/boards", nil).list(t), 2)
	assert.Len(t, c.do("GET", "service/boards/1/statuses", nil).list(t), 3)
	assert.JSONEq(t, `{"count":2}`, string(c.do("GET", "service/boards/2/statuses/count", nil).body))
	assert.Equal(t, 200, c.do("GET", "service/boards/2/statuses/12", nil).status)
	assert.Equal(t, 404, c.do("GET", "service/boards/2/statuses/1", nil).status)
	assert.Equal(t, 404, c.do("GET", "service/boards/9/statuses", nil).status)
	assert.Len(t, c.do("GET", "service/boards/1/statuses?conditions=closedStatus%3Dtrue", nil).list(t), 1)
	assert.Len(t, c.do("GET", "service/priorities", nil).list(t), 3)
}

func TestCatalog(t *testing.T) {
	_, c := setup(t)
	r := c.do("POST", "procurement/catalog", map[string]any{"identifier": "SKU-1"})
	require.Equal(t, 400, r.status)
	for _, f := range []string{"description", "subcategory", "type", "customerDescription"} {
		assert.Contains(t, string(r.body), "The "+f+" field is required.")
	}
	item := map[string]any{"identifier": "SKU-1", "description": "Widget", "customerDescription": "A widget",
		"subcategory": map[string]any{"id": 1}, "type": map[string]any{"id": 1}, "price": 9.5}
	require.Equal(t, 201, c.do("POST", "procurement/catalog", item).status)
	r = c.do("POST", "procurement/catalog", item)
	assert.Contains(t, string(r.body), "ObjectExists")
	r = c.do("GET", "procurement/catalog?conditions="+urlq(`identifier = "SKU-1" and price > 9`), nil)
	assert.Len(t, r.list(t), 1)
}

func TestLookups(t *testing.T) {
	_, c := setup(t)
	for path, n := range map[string]int{
		"company/companies/statuses": 3, "company/companies/types": 3, "company/communicationTypes": 6,
		"company/contacts/types": 3, "sales/stages": 4, "sales/opportunities/statuses": 4, "system/members": 3,
		"system/userDefinedFields": 5, "system/callbacks": 0,
	} {
		r := c.do("GET", path, nil)
		require.Equal(t, 200, r.status, path)
		assert.Len(t, r.list(t), n, path)
		assert.JSONEq(t, `{"count":`+jsonNum(n)+`}`, string(c.do("GET", path+"/count", nil).body), path)
	}
	r := c.do("GET", "company/communicationTypes?conditions=defaultFlag%3Dtrue", nil)
	assert.Len(t, r.list(t), 3)
	r = c.do("GET", "system/userDefinedFields?conditions="+urlq(`screenId = "ct300"`), nil)
	assert.Len(t, r.list(t), 2)
	r = c.do("POST", "system/userDefinedFields", map[string]any{"podId": 4, "caption": "hubspot_id_with_long_caption", "sequenceNumber": 600, "fieldTypeIdentifier": "Button"})
	require.Equal(t, 400, r.status)
	for _, s := range []string{"maximum length of 25", "must be between 1 and 500", "The buttonUrl field is required."} {
		assert.Contains(t, string(r.body), s)
	}
	r = c.do("POST", "system/userDefinedFields", map[string]any{"podId": 4, "podDescription": "Contact Overview", "screenId": "ct300", "caption": "hubspot_owner", "sequenceNumber": 3, "fieldTypeIdentifier": "Text"})
	require.Equal(t, 201, r.status, string(r.body))
	// New contacts carry the new field.
	r = c.do("POST", "company/contacts", map[string]any{"firstName": "Z"})
	assert.Len(t, r.obj(t)["customFields"], 3)
	assert.Equal(t, 405, c.do("POST", "system/members", map[string]any{"identifier": "x"}).status, "members are read-only here")
	r = c.do("POST", "sales/stages", map[string]any{"name": "Closing"})
	assert.Equal(t, 201, r.status)
}

// Date fields take ISO 8601 date-times (or a bare date, midnight UTC) and come
// back in the API's "yyyy-MM-ddTHH:mm:ssZ" form (connectwise-api.md §10).
func TestOpportunityDates(t *testing.T) {
	_, c, body := oppSetup(t)
	body["expectedCloseDate"] = "2026-01-31"
	r := c.do("POST", "sales/opportunities", body)
	require.Equal(t, 201, r.status, string(r.body))
	assert.Equal(t, "2026-01-31T00:00:00Z", r.obj(t)["expectedCloseDate"])
	r = c.do("PATCH", "sales/opportunities/1000", cf(map[string]any{"op": "replace", "path": "expectedCloseDate", "value": "2026-02-01T10:00:00+02:00"}))
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, "2026-02-01T08:00:00Z", r.obj(t)["expectedCloseDate"])
	for _, bad := range []any{"next week", 20260131, true} {
		r = c.do("PATCH", "sales/opportunities/1000", cf(map[string]any{"op": "replace", "path": "expectedCloseDate", "value": bad}))
		assert.Equal(t, 400, r.status, "%v", bad)
		assert.Contains(t, string(r.body), `"field":"expectedCloseDate"`)
	}
}

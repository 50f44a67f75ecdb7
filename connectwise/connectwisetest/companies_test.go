package connectwisetest

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestCompanyCreateAndInfo(t *testing.T) {
	clk := &clock{t: time.Date(2026, 6, 9, 21, 59, 47, 900_000_000, time.UTC)}
	_, c := setup(t, Options{Now: clk.Now})
	body := company("Acme", "Acme Inc")
	body["id"] = 5
	body["_info"] = map[string]any{"updatedBy": "forged"}
	body["noSuchField"] = "dropped"
	body["phoneNumber"] = 5550100
	body["types"] = []any{map[string]any{"id": 1}, map[string]any{"name": "Vendor"}}
	r := c.do("POST", "company/companies", body)
	require.Equal(t, 201, r.status, string(r.body))
	co := r.obj(t)
	id := num(co["id"])
	assert.Equal(t, 250, id, "ids are assigned, not taken from the body")
	assert.NotContains(t, co, "noSuchField")
	assert.Equal(t, "5550100", co["phoneNumber"], "numbers are taken for string fields")
	in := co["_info"].(map[string]any)
	assert.Equal(t, "2026-06-09T21:59:47Z", in["lastUpdated"])
	assert.Equal(t, "HubwiseAPI", in["updatedBy"])
	assert.Equal(t, "2026-06-09T21:59:47Z", in["dateEntered"])
	assert.Equal(t, "HubwiseAPI", in["enteredBy"])
	assert.Equal(t, "Active", co["status"].(map[string]any)["name"])
	assert.Contains(t, co["status"].(map[string]any)["_info"].(map[string]any)["status_href"], "/v2025_1//apis/3.0/company/companies/statuses/1")
	types := co["types"].([]any)
	require.Len(t, types, 2)
	assert.Equal(t, "Client", types[0].(map[string]any)["name"])
	assert.Equal(t, 3, num(types[1].(map[string]any)["id"]))

	clk.Add(90 * time.Second)
	r = c.do("PATCH", "company/companies/250", cf(map[string]any{"op": "replace", "path": "/name", "value": "Acme Corp"}))
	require.Equal(t, 200, r.status, string(r.body))
	in = r.obj(t)["_info"].(map[string]any)
	assert.Equal(t, "2026-06-09T22:01:17Z", in["lastUpdated"])
	assert.Equal(t, "2026-06-09T21:59:47Z", in["dateEntered"])

	r = c.do("GET", "company/companies/250", nil)
	assert.Equal(t, "Acme Corp", r.obj(t)["name"])
	r = c.do("GET", "company/companies/999", nil)
	assert.Equal(t, 404, r.status)
	assert.JSONEq(t, `{"code":"NotFound","message":"company 999 not found"}`, string(r.body))
}

func TestCompanyValidation(t *testing.T) {
	s, c := setup(t)
	_, err := s.Create(Companies, company("Taken", "Taken Inc"))
	require.NoError(t, err)
	cases := []struct {
		name  string
		body  map[string]any
		codes []string // errors[].code
		field []string // errors[].field
		msg   []string
	}{
		{"empty", map[string]any{}, []string{"MissingRequiredField", "MissingRequiredField", "MissingRequiredField"},
			[]string{"identifier", "name", "addressLine1"}, []string{"The identifier field is required.", "The name field is required.", "At least one address field is required"}},
		{"no address", map[string]any{"identifier": "A", "name": "A"}, []string{"MissingRequiredField"}, []string{"addressLine1"}, nil},
		{"country is an address", map[string]any{"identifier": "A", "name": "A", "country": map[string]any{"id": 1}}, nil, nil, nil},
		{"too long", map[string]any{"identifier": strings.Repeat("x", 31), "name": strings.Repeat("é", 51), "zip": "1234567890123", "city": "X"},
			[]string{"MaxLengthField", "MaxLengthField", "MaxLengthField"}, []string{"identifier", "name", "zip"},
			[]string{"The field identifier must be a string with a maximum length of 30.", "The field name must be a string with a maximum length of 50.", "maximum length of 12."}},
		{"duplicate identifier", company("taken", "Other"), []string{"ObjectExists"}, []string{"identifier"}, nil},
		{"unknown status", map[string]any{"identifier": "B", "name": "B", "city": "X", "status": map[string]any{"id": 77}},
			[]string{"NotFound"}, []string{"status/id"}, []string{"company status 77 not found"}},
		{"unknown parent by identifier", map[string]any{"identifier": "B", "name": "B", "city": "X", "parentCompany": map[string]any{"identifier": "ghost"}},
			[]string{"NotFound"}, []string{"parentCompany/identifier"}, []string{"company ghost not found"}},
		{"unknown type", map[string]any{"identifier": "B", "name": "B", "city": "X", "types": []any{map[string]any{"id": 9}}},
			[]string{"NotFound"}, []string{"types/0/id"}, nil},
		{"year out of range", map[string]any{"identifier": "B", "name": "B", "city": "X", "yearEstablished": 1066},
			[]string{"OutOfRange"}, []string{"yearEstablished"}, []string{"The field yearEstablished must be between 1900 and 9999."}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do("POST", "company/companies", tc.body)
			if tc.codes == nil {
				assert.Equal(t, 201, r.status, string(r.body))
				return
			}
			require.Equal(t, 400, r.status, string(r.body))
			m := r.obj(t)
			assert.Equal(t, "InvalidObject", m["code"])
			assert.Equal(t, "company object is invalid", m["message"])
			errs := m["errors"].([]any)
			require.Len(t, errs, len(tc.codes), string(r.body))
			got := map[string]map[string]any{}
			for _, e := range errs {
				em := e.(map[string]any)
				got[em["field"].(string)] = em
				assert.Equal(t, "company", em["resource"])
			}
			for i, f := range tc.field {
				require.Contains(t, got, f, string(r.body))
				assert.Equal(t, tc.codes[i], got[f]["code"])
				if tc.msg != nil {
					assert.Contains(t, got[f]["message"], tc.msg[i])
				}
			}
		})
	}
	assert.Equal(t, 2, s.Len(Companies), "nothing stored by refused creates")
}

func TestCompanyPatchPutDelete(t *testing.T) {
	s, c := setup(t)
	co, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	id := num(co["id"])
	path := "company/companies/250"

	ops := []any{
		map[string]any{"op": "replace", "path": "name", "value": "No Slash"},
		map[string]any{"op": "replace", "path": "/website", "value": "https://acme.example"},
		map[string]any{"op": "add", "path": "/phoneNumber", "value": "555-0100"},
		map[string]any{"op": "replace", "path": "status/id", "value": 2},
		map[string]any{"op": "replace", "path": "/customFields", "value": []any{}},
	}
	r := c.do("PATCH", path, ops)
	require.Equal(t, 200, r.status, string(r.body))
	m := r.obj(t)
	assert.Equal(t, "No Slash", m["name"])
	assert.Equal(t, "https://acme.example", m["website"])
	assert.Equal(t, "555-0100", m["phoneNumber"])
	assert.Equal(t, "Inactive", m["status"].(map[string]any)["name"], "status re-resolved from the patched id")

	r = c.do("PATCH", path, cf(map[string]any{"op": "remove", "path": "/website"}))
	require.Equal(t, 200, r.status)
	assert.NotContains(t, r.obj(t), "website")

	// Removing a required field fails validation of the whole record.
	r = c.do("PATCH", path, cf(map[string]any{"op": "remove", "path": "/name"}))
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "The name field is required.")
	// Unknown fields, bad ops, bad bodies.
	r = c.do("PATCH", path, cf(map[string]any{"op": "replace", "path": "/bogus", "value": 1}))
	assert.Equal(t, 400, r.status)
	r = c.do("PATCH", path, cf(map[string]any{"op": "move", "path": "/name", "value": 1}))
	assert.Equal(t, 400, r.status)
	r = c.do("PATCH", path, map[string]any{"op": "replace"})
	assert.Equal(t, 400, r.status, "PATCH needs a bare array")
	r = c.do("PATCH", "company/companies/4242", []any{})
	assert.Equal(t, 404, r.status)

	// types only on create.
	r = c.do("PATCH", path, cf(map[string]any{"op": "replace", "path": "/types", "value": []any{map[string]any{"id": 3}}}))
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "typeAssociations")
	// ... but through typeAssociations.
	r = c.do("POST", path+"/typeAssociations", map[string]any{"type": map[string]any{"id": 3}})
	require.Equal(t, 201, r.status, string(r.body))
	r = c.do("GET", path+"/typeAssociations", nil)
	assert.Len(t, r.list(t), 1)
	got, _ := s.Get(Companies, id)
	assert.Equal(t, 3, num(got["types"].([]any)[0].(map[string]any)["id"]))
	assert.Equal(t, 204, c.do("DELETE", path+"/typeAssociations/3", nil).status)
	assert.Equal(t, 404, c.do("DELETE", path+"/typeAssociations/3", nil).status)
	assert.Equal(t, 404, c.do("GET", path+"/nonsense", nil).status)

	// PUT replaces the fields; custom fields not sent are kept.
	_, err = s.Update(Companies, id, map[string]any{"customFields": []any{map[string]any{"id": 21, "value": "Partner A"}}})
	require.NoError(t, err)
	r = c.do("PUT", path, map[string]any{"identifier": "Acme", "name": "Put Name", "zip": "75024"})
	require.Equal(t, 200, r.status, string(r.body))
	m = r.obj(t)
	assert.Equal(t, "Put Name", m["name"])
	assert.NotContains(t, m, "phoneNumber", "PUT replaces all fields")
	assert.Equal(t, "Partner A", customValue(m, 21))
	assert.Equal(t, "jsmith", m["_info"].(map[string]any)["enteredBy"], "entered by the UI user")

	// A legacy record the API would refuse: an unrelated PATCH fails on it.
	legacy, err := s.Seed(Companies, map[string]any{"identifier": "Old", "name": "Old", "city": "X", "yearEstablished": 0})
	require.NoError(t, err)
	r = c.do("PATCH", "company/companies/"+strconv.Itoa(num(legacy["id"])), []any{
		map[string]any{"op": "replace", "path": "/customFields", "value": []any{map[string]any{"id": 20, "value": 7}}}})
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), `"code":"OutOfRange"`)

	n := len(c.do("GET", "company/companies", nil).list(t))
	assert.Equal(t, 204, c.do("DELETE", path, nil).status)
	r = c.do("DELETE", path, nil)
	assert.Equal(t, 404, r.status)
	assert.JSONEq(t, `{"code":"NotFound","message":"company 250 not found"}`, string(r.body))
	// Soft delete: still returned by id (company-get.json) and by lists, flagged.
	m = c.do("GET", path, nil).obj(t)
	assert.Equal(t, true, m["deletedFlag"])
	assert.Equal(t, "HubwiseAPI", m["deletedBy"])
	assert.NotEmpty(t, m["dateDeleted"])
	assert.Len(t, c.do("GET", "company/companies", nil).list(t), n)
	assert.Len(t, c.do("GET", "company/companies?conditions=deletedFlag%3Dtrue", nil).list(t), 1)
	for _, rec := range c.do("GET", "company/companies?conditions=deletedFlag%3Dfalse", nil).list(t) {
		assert.NotEqual(t, 250.0, rec.(map[string]any)["id"])
	}
	assert.JSONEq(t, `{"count":1}`, string(c.do("GET", "company/companies/count?conditions=deletedFlag%3Dtrue", nil).body))
}

func TestHideDeletedCompanies(t *testing.T) {
	s, c := setup(t, Options{HideDeletedCompanies: true})
	for _, id := range []string{"A", "B"} {
		_, err := s.Create(Companies, company(id, id))
		require.NoError(t, err)
	}
	assert.Equal(t, 204, c.do("DELETE", "company/companies/250", nil).status)
	assert.Len(t, c.do("GET", "company/companies", nil).list(t), 1)
	assert.JSONEq(t, `{"count":1}`, string(c.do("GET", "company/companies/count", nil).body))
	assert.Len(t, c.do("GET", "company/companies?conditions=deletedFlag%3Dtrue", nil).list(t), 1)
}

func customValue(rec map[string]any, id int) any {
	for _, f := range rec["customFields"].([]any) {
		m := f.(map[string]any)
		if num(m["id"]) == id {
			return m["value"]
		}
	}
	return "missing"
}

func TestCompanyHardDelete(t *testing.T) {
	s, c := setup(t, Options{HardDeleteCompanies: true})
	_, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	assert.Equal(t, 204, c.do("DELETE", "company/companies/250", nil).status)
	assert.Equal(t, 404, c.do("GET", "company/companies/250", nil).status)
	assert.Zero(t, s.Len(Companies))
}

// Flags are booleans: "true"/"false" strings and numbers are read as Json.NET
// reads them, other text is refused.
func TestCompanyFlags(t *testing.T) {
	s, c := setup(t)
	_, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	r := c.do("PATCH", "company/companies/250", cf(map[string]any{"op": "replace", "path": "leadFlag", "value": "TRUE"}))
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, true, r.obj(t)["leadFlag"])
	r = c.do("PATCH", "company/companies/250", cf(map[string]any{"op": "replace", "path": "leadFlag", "value": 0}))
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, false, r.obj(t)["leadFlag"])
	r = c.do("PATCH", "company/companies/250", cf(map[string]any{"op": "replace", "path": "leadFlag", "value": "yes"}))
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), `"field":"leadFlag"`)
}

func TestIgnoreTypesOnUpdate(t *testing.T) {
	s, c := setup(t, Options{IgnoreTypesOnUpdate: true})
	_, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	before, _ := s.Get(Companies, 250)
	r := c.do("PATCH", "company/companies/250", cf(map[string]any{"op": "replace", "path": "/types", "value": []any{map[string]any{"id": 3}}}))
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, before["types"], r.obj(t)["types"], "kept as stored")
	_, err = s.Create(Contacts, map[string]any{"firstName": "Ann", "typeIds": []any{1}})
	require.NoError(t, err)
	r = c.do("PATCH", "company/contacts/58000", cf(map[string]any{"op": "replace", "path": "/typeIds", "value": []any{2}}))
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, 1.0, r.obj(t)["types"].([]any)[0].(map[string]any)["id"])
	assert.NotContains(t, r.obj(t), "typeIds")
}

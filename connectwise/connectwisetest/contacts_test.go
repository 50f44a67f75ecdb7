package connectwisetest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fixture(t testing.TB, name string) any {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	return v
}

func items(rec map[string]any) []map[string]any {
	var out []map[string]any
	for _, it := range rec["communicationItems"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}

func TestContactCreateEcho(t *testing.T) {
	s, c := setup(t, Options{EchoContactCommunicationItems: true})
	_, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	r := c.do("POST", "company/contacts", fixture(t, "contact-create-request.json"))
	require.Equal(t, 201, r.status, string(r.body))
	assert.Len(t, items(r.obj(t)), 3)
	assert.Equal(t, "+15550001000", r.obj(t)["defaultPhoneNbr"])
}

func TestContactCreate(t *testing.T) {
	s, c := setup(t)
	_, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)

	r := c.do("POST", "company/contacts", map[string]any{"lastName": "NoFirst"})
	require.Equal(t, 400, r.status)
	// Byte-for-byte the recorded error (error-400-invalidobject-missingrequiredfield.json).
	assert.JSONEq(t, `{"code":"InvalidObject","message":"contact object is invalid","errors":[{"code":"MissingRequiredField","message":"The firstName field is required.","resource":"contact","field":"firstName"}]}`, string(r.body))

	r = c.do("POST", "company/contacts", fixture(t, "contact-create-request.json"))
	require.Equal(t, 201, r.status, string(r.body))
	m := r.obj(t)
	assert.Equal(t, "Acme", m["company"].(map[string]any)["identifier"])
	// The 201 leaves the communication items out, as the recorded answer does
	// (payload contact-create-response.json); they are stored all the same.
	for _, k := range []string{"communicationItems", "defaultPhoneNbr", "defaultPhoneType"} {
		assert.NotContains(t, m, k)
	}
	m = c.do("GET", "company/contacts/"+fmt.Sprint(num(m["id"])), nil).obj(t)
	its := items(m)
	require.Len(t, its, 3)
	for _, it := range its {
		assert.Equal(t, true, it["defaultFlag"], "one default per communicationType")
		assert.NotZero(t, num(it["id"]))
	}
	assert.Equal(t, "Email", its[0]["communicationType"])
	assert.Equal(t, "@example.org", its[0]["domain"])
	assert.NotContains(t, its[1], "domain", "only Email items carry domain")
	assert.Equal(t, "Email - Business", its[0]["type"].(map[string]any)["name"])
	assert.Equal(t, "+15550001000", m["defaultPhoneNbr"])
	assert.Equal(t, "Phone - Work", m["defaultPhoneType"])
	assert.Equal(t, 901.0, customValue(m, 15), "Number UDF coerced to a number")
	assert.Equal(t, "false", customValue(m, 16), "List UDF default applied")
	assert.Equal(t, "Decision Maker", m["types"].([]any)[0].(map[string]any)["name"])
	assert.NotContains(t, m, "typeIds")

	bad := map[string]any{"firstName": "X", "communicationItems": []any{map[string]any{"type": map[string]any{"id": 99}, "value": "x"}}}
	r = c.do("POST", "company/contacts", bad)
	require.Equal(t, 400, r.status)
	e := r.obj(t)["errors"].([]any)[0].(map[string]any)
	assert.Equal(t, "NotFound", e["code"])
	assert.Equal(t, "communicationItems/0/type/id", e["field"])
	assert.Equal(t, "communication type 99 not found", e["message"])

	r = c.do("POST", "company/contacts", map[string]any{"firstName": "X", "company": map[string]any{"id": 19299}})
	assert.JSONEq(t, `{"code":"InvalidObject","message":"contact object is invalid","errors":[{"code":"NotFound","message":"company 19299 not found","resource":"contact","field":"company/id"}]}`, string(r.body))
}

func TestContactPatchCommunicationItems(t *testing.T) {
	s, c := setup(t)
	_, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	r := c.do("POST", "company/contacts", fixture(t, "contact-create-request.json"))
	require.Equal(t, 201, r.status)
	before := items(c.do("GET", "company/contacts/58000", nil).obj(t))

	ops := append(fixture(t, "contact-patch-communicationitems.json").([]any), cf()...)
	r = c.do("PATCH", "company/contacts/58000", ops)
	require.Equal(t, 200, r.status, string(r.body))
	its := items(r.obj(t))
	require.Len(t, its, 5)
	assert.Equal(t, "+15550002000", its[1]["value"])
	// add appends whatever index is given.
	assert.Equal(t, "+15550002001", its[3]["value"])
	assert.Equal(t, "maya@home.example", its[4]["value"])
	// The new Fax default turned the old one off (contact-communicationitems-after.json).
	assert.Equal(t, false, its[2]["defaultFlag"])
	assert.Equal(t, true, its[3]["defaultFlag"])
	assert.Equal(t, before[2]["id"], its[2]["id"], "existing items keep their ids")
	assert.Greater(t, num(its[3]["id"]), num(its[2]["id"]))
	assert.Equal(t, true, its[0]["defaultFlag"], "the Email default stays")
	assert.Equal(t, false, its[4]["defaultFlag"])

	r = c.do("PATCH", "company/contacts/58000", cf(map[string]any{"op": "remove", "path": "/communicationItems/4"}))
	require.Equal(t, 200, r.status)
	assert.Len(t, items(r.obj(t)), 4)
	r = c.do("PATCH", "company/contacts/58000", cf(map[string]any{"op": "replace", "path": "/communicationItems/9/value", "value": "x"}))
	assert.Equal(t, 400, r.status)

	r = c.do("PATCH", "company/contacts/58000", cf(map[string]any{"op": "replace", "path": "/typeIds", "value": []any{2}}))
	assert.Equal(t, 400, r.status, "typeIds only on create")
}

func TestContactCustomFieldsPatch(t *testing.T) {
	s, c := setup(t)
	ct, err := s.Create(Contacts, map[string]any{"firstName": "Ann"})
	require.NoError(t, err)
	path := "company/contacts/" + url.PathEscape(jsonNum(ct["id"]))
	patch := func(v any) resp {
		return c.do("PATCH", path, []any{map[string]any{"op": "replace", "path": "/customFields", "value": v}})
	}
	r := patch([]any{map[string]any{"id": 15, "value": 42}})
	require.Equal(t, 200, r.status, string(r.body))
	r = patch([]any{map[string]any{"id": 16, "value": "true"}})
	m := r.obj(t)
	assert.Equal(t, 42.0, customValue(m, 15), "an entry not sent keeps its value")
	assert.Equal(t, "true", customValue(m, 16))
	r = patch([]any{})
	assert.Equal(t, 42.0, customValue(r.obj(t), 15), "an empty array clears nothing")
	r = patch([]any{map[string]any{"id": 15, "value": nil}})
	assert.Nil(t, customValue(r.obj(t), 15), "null clears one field")
	r = patch([]any{map[string]any{"id": 15, "value": "not a number"}})
	assert.Equal(t, 400, r.status)
	r = patch([]any{map[string]any{"id": 999, "value": 1}})
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "customField 999 not found")
	r = c.do("PATCH", path, cf(map[string]any{"op": "replace", "path": "customFields/0/value", "value": "77"}))
	require.Equal(t, 200, r.status)
	assert.Equal(t, 77.0, customValue(r.obj(t), 15))
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestContactSearch(t *testing.T) {
	s, c := setup(t)
	co, err := s.Create(Companies, company("Acme", "Acme"))
	require.NoError(t, err)
	mk := func(first, email string, udf any) {
		_, err := s.Create(Contacts, map[string]any{"firstName": first, "company": map[string]any{"id": co["id"]},
			"communicationItems": []any{map[string]any{"type": map[string]any{"id": 1}, "value": email, "defaultFlag": true},
				map[string]any{"type": map[string]any{"id": 3}, "value": "555-" + first, "defaultFlag": true}},
			"customFields": []any{map[string]any{"id": 15, "value": udf}}})
		require.NoError(t, err)
	}
	mk("Ann", "ann@acme.com", 1)
	mk("Bob", "bob@acme.com", nil)
	mk("Cy", "ANN@ACME.COM", nil)
	q := func(params string) []any {
		r := c.do("GET", "company/contacts?"+params, nil)
		require.Equal(t, 200, r.status, string(r.body))
		return r.list(t)
	}
	assert.Len(t, q("childConditions="+url.QueryEscape(`communicationItems/value="ann@acme.com"`)), 2, "case-insensitive, emails not unique")
	assert.Len(t, q("childConditions="+url.QueryEscape(`communicationItems/value="555-Bob" AND communicationItems/communicationType="Email"`)), 0)
	assert.Len(t, q("childConditions="+url.QueryEscape(`communicationItems/value like "%@acme.com" AND communicationItems/communicationType='Email'`)+
		"&conditions="+url.QueryEscape("firstName != 'Cy'")), 2)
	assert.Len(t, q("customFieldConditions="+url.QueryEscape(`caption='hubspot_contact_id' AND value != null`)), 1)
	assert.Len(t, q("conditions="+url.QueryEscape(`company/identifier = "acme" and lastUpdated >= [2020-01-01T00:00:00Z]`)), 3)
	r := c.do("GET", "company/contacts/count?childConditions="+url.QueryEscape(`communicationItems/value="bob@acme.com"`), nil)
	assert.JSONEq(t, `{"count":1}`, string(r.body))
	r = c.do("GET", "company/contacts?customFieldConditions="+url.QueryEscape(`caption = `), nil)
	assert.Equal(t, 400, r.status)
	r = c.do("GET", "company/contacts?pageSize=1&fields="+url.QueryEscape("id,communicationItems/value,communicationItems/communicationType"), nil)
	assert.JSONEq(t, `[{"id":58000,"communicationItems":[{"value":"ann@acme.com","communicationType":"Email"},{"value":"555-Ann","communicationType":"Phone"}]}]`, string(r.body))
	r = c.do("GET", "company/contacts?customFieldConditions="+url.QueryEscape(`label = "x"`), nil)
	assert.JSONEq(t, `{"code":"ApiFindCondition","message":"label is not a recognized name."}`, string(r.body))
}

func TestContactCommunications(t *testing.T) {
	s, c := setup(t)
	_, err := s.Create(Contacts, map[string]any{"firstName": "Ann", "communicationItems": []any{
		map[string]any{"type": map[string]any{"id": 1}, "value": "a@x.com", "defaultFlag": true}}})
	require.NoError(t, err)
	base := "company/contacts/58000/communications"
	assert.Len(t, c.do("GET", base, nil).list(t), 1)
	r := c.do("POST", base, map[string]any{"type": map[string]any{"id": 2}, "value": "b@x.com", "defaultFlag": true})
	require.Equal(t, 201, r.status, string(r.body))
	item := r.obj(t)
	assert.Equal(t, "b@x.com", item["value"])
	assert.Equal(t, "Email", item["communicationType"])
	list := c.do("GET", base, nil).list(t)
	require.Len(t, list, 2)
	assert.Equal(t, false, list[0].(map[string]any)["defaultFlag"], "the new default email replaced the old one")
	assert.JSONEq(t, `{"count":2}`, string(c.do("GET", base+"/count", nil).body))
	iid := jsonNum(item["id"])
	r = c.do("PUT", base+"/"+iid, map[string]any{"type": map[string]any{"id": 2}, "value": "c@x.com", "defaultFlag": true})
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, "c@x.com", c.do("GET", base+"/"+iid, nil).obj(t)["value"])
	assert.Equal(t, 204, c.do("DELETE", base+"/"+iid, nil).status)
	assert.Equal(t, 404, c.do("GET", base+"/"+iid, nil).status)
	assert.Equal(t, 404, c.do("GET", "company/contacts/1/communications", nil).status)
	assert.Equal(t, 404, c.do("GET", "company/contacts/58000/notes", nil).status)
	assert.Equal(t, 200, c.do("GET", "company/contacts/types/1", nil).status)
}

func TestRequireCustomFieldsOnPatch(t *testing.T) {
	s, c := setup(t)
	_, err := s.Create(Contacts, map[string]any{"firstName": "Ann"})
	require.NoError(t, err)
	r := c.do("PATCH", "company/contacts/58000", []any{map[string]any{"op": "replace", "path": "lastName", "value": "Lee"}})
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "/customFields")
	// A per-entry path is not the whole-array replace amp-labs sends.
	r = c.do("PATCH", "company/contacts/58000", []any{map[string]any{"op": "replace", "path": "/customFields/0/value", "value": 5}})
	assert.Equal(t, 400, r.status)
	// Records without custom fields (callbacks) need no such operation.
	r = c.do("POST", "system/callbacks", map[string]any{"url": "https://hooks.example.com/cw?recordId=", "objectId": 1, "type": "contact", "level": "owner"})
	require.Equal(t, 201, r.status, string(r.body))
	r = c.do("PATCH", "system/callbacks/"+fmt.Sprint(num(r.obj(t)["id"])), []any{map[string]any{"op": "replace", "path": "description", "value": "x"}})
	assert.Equal(t, 200, r.status, string(r.body))
	// Nor does the UI user's update.
	_, err = s.Update(Contacts, 58000, map[string]any{"title": "CEO"})
	require.NoError(t, err)
	_, c2 := setup(t, Options{AllowPatchWithoutCustomFields: true})
	_, err = c2.s.Create(Contacts, map[string]any{"firstName": "Ann"})
	require.NoError(t, err)
	r = c2.do("PATCH", "company/contacts/58000", []any{map[string]any{"op": "replace", "path": "lastName", "value": "Lee"}})
	assert.Equal(t, 200, r.status, string(r.body))
	r = c.do("PATCH", "company/contacts/58000", []any{map[string]any{"op": "replace", "path": "lastName", "value": "Lee"},
		map[string]any{"op": "replace", "path": "/customFields", "value": []any{}}})
	assert.Equal(t, 200, r.status)
	// PUT keeps server-maintained fields.
	before, _ := s.Get(Contacts, 58000)
	r = c.do("PUT", "company/contacts/58000", map[string]any{"firstName": "Ann"})
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, before["mobileGuid"], r.obj(t)["mobileGuid"])
}

// TestContactShape checks a created contact against the keys of the recorded
// 201 body (testdata/contact-create-response-keys.json lists them).
func TestContactShape(t *testing.T) {
	_, c := setup(t)
	r := c.do("POST", "company/contacts", map[string]any{"firstName": "Estella", "lastName": "Mcdowell"})
	require.Equal(t, 201, r.status)
	m := r.obj(t)
	for _, k := range fixture(t, "contact-create-response-keys.json").([]any) {
		assert.Contains(t, m, k)
	}
	assert.NotContains(t, m, "company", "absent, not null, without a company")
	assert.Contains(t, m["_info"], "communications_href")
}

func TestContactDuplicateCheck(t *testing.T) {
	_, c := setup(t, Options{ContactDuplicateCheck: true})
	body := map[string]any{"firstName": "Ann", "lastName": "Lee"}
	require.Equal(t, 201, c.do("POST", "company/contacts", body).status)
	r := c.do("POST", "company/contacts", map[string]any{"firstName": "ann", "lastName": "LEE"})
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), `"code":"ObjectExists"`)
	body["ignoreDuplicates"] = true
	assert.Equal(t, 201, c.do("POST", "company/contacts", body).status)
}

// Contact types change after creation through typeAssociations (S10).
func TestContactTypeAssociations(t *testing.T) {
	s, c := setup(t)
	_, err := s.Create(Contacts, map[string]any{"firstName": "Ann", "lastName": "Lee", "typeIds": []any{1}})
	require.NoError(t, err)
	base := "company/contacts/58000/typeAssociations"
	as := c.do("GET", base, nil).list(t)
	require.Len(t, as, 1)
	a := as[0].(map[string]any)
	assert.Equal(t, "Decision Maker", a["type"].(map[string]any)["name"])
	assert.Equal(t, "Ann Lee", a["contact"].(map[string]any)["name"])

	r := c.do("POST", base, map[string]any{"type": map[string]any{"id": 3}, "contact": map[string]any{"id": 58000}})
	require.Equal(t, 201, r.status, string(r.body))
	assert.Equal(t, 3.0, r.obj(t)["type"].(map[string]any)["id"])
	r = c.do("POST", base, map[string]any{"type": map[string]any{"id": 99}})
	assert.Equal(t, 400, r.status)
	r = c.do("POST", base, map[string]any{})
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "MissingRequiredField")

	assert.Equal(t, 204, c.do("DELETE", base+"/1", nil).status)
	assert.Equal(t, 404, c.do("DELETE", base+"/1", nil).status)
	rec, _ := s.Get(Contacts, 58000)
	require.Len(t, rec["types"], 1)
	assert.Equal(t, 3.0, rec["types"].([]any)[0].(map[string]any)["id"])
	assert.Equal(t, 404, c.do("GET", "company/contacts/4242/typeAssociations", nil).status)
}

func TestChildConditionsElementSemantics(t *testing.T) {
	seed := func(s *Server) {
		_, err := s.Create(Contacts, map[string]any{"firstName": "Ann", "communicationItems": []any{
			map[string]any{"type": map[string]any{"id": 1}, "value": "ann@acme.com", "defaultFlag": true},
			map[string]any{"type": map[string]any{"id": 3}, "value": "x@y.com", "defaultFlag": true},
		}})
		require.NoError(t, err)
	}
	q := "company/contacts?childConditions=" + url.QueryEscape(`communicationItems/value = "x@y.com" AND communicationItems/communicationType = "Email"`)
	s, c := setup(t)
	seed(s)
	assert.Empty(t, c.do("GET", q, nil).list(t), "no single Email item holds x@y.com")
	s2, c2 := setup(t, Options{ChildConditionsAnyElement: true})
	seed(s2)
	assert.Len(t, c2.do("GET", q, nil).list(t), 1)
}

func TestContactUserDefinedFieldLength(t *testing.T) {
	_, c := setup(t)
	r := c.do("POST", "company/contacts", map[string]any{"firstName": "Ann", "userDefinedField3": strings.Repeat("x", 51)})
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), `"code":"MaxLengthField"`)
	assert.Equal(t, 201, c.do("POST", "company/contacts", map[string]any{"firstName": "Ann", "userDefinedField3": strings.Repeat("x", 50)}).status)
}

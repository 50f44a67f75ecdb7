package hubspottest

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Batch read takes archived as a query parameter, not in the body (spec:
// contacts 2026-09 POST …/batch/read "archived" in query; the body schema
// BatchReadInputSimplePublicObjectId has no archived field).
func TestBatchReadArchivedIsAQueryParameter(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "POST", "/crm/v3/objects/companies", map[string]any{"properties": map[string]any{"name": "Gone"}})
	require.Equal(t, http.StatusCreated, r.Status)
	id := r.JSON["id"].(string)
	require.Equal(t, http.StatusNoContent, call(t, s, "DELETE", "/crm/v3/objects/companies/"+id, nil).Status)

	body := map[string]any{"inputs": []map[string]any{{"id": id}}, "properties": []string{"name"}, "archived": true}
	r = call(t, s, "POST", "/crm/objects/2026-09/companies/batch/read", body)
	assert.Empty(t, r.list("results"), "archived in the body is not a parameter of batch read")
	assert.Equal(t, float64(1), r.JSON["numErrors"])

	r = call(t, s, "POST", "/crm/objects/2026-09/companies/batch/read?archived=true", body)
	res := r.list("results")
	require.Len(t, res, 1)
	assert.Equal(t, true, res[0]["archived"])
}

// propertiesWithHistory lowers the list page size (spec: "will reduce the maximum
// number of contacts that can be read by a single request"); the figure is an
// option.
func TestListWithHistoryReturnsSmallerPages(t *testing.T) {
	s := NewServer(t, Options{HistoryPageLimit: 3})
	for i := range 5 {
		r := call(t, s, "POST", "/crm/v3/objects/companies", map[string]any{"properties": map[string]any{"name": string(rune('a' + i))}})
		require.Equal(t, http.StatusCreated, r.Status)
	}
	r := call(t, s, "GET", "/crm/objects/2026-09/companies?limit=100", nil)
	assert.Len(t, r.list("results"), 5)
	r = call(t, s, "GET", "/crm/objects/2026-09/companies?limit=100&propertiesWithHistory=name", nil)
	assert.Len(t, r.list("results"), 3)
	require.NotNil(t, r.JSON["paging"], "the rest is behind a cursor")
	after := r.JSON["paging"].(map[string]any)["next"].(map[string]any)["after"].(string)
	r = call(t, s, "GET", "/crm/objects/2026-09/companies?limit=100&propertiesWithHistory=name&after="+after, nil)
	assert.Len(t, r.list("results"), 2)
}

// lifecyclestage only moves forward unless cleared first (hubspot-api.md §8,
// doc†: contacts guide).
func TestLifecycleStageOnlyMovesForward(t *testing.T) {
	for _, mode := range []LifecycleBackward{LifecycleBackwardIgnored, LifecycleBackwardRejected} {
		s := NewServer(t, Options{LifecycleBackward: mode})
		r := call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]any{"email": "a@x.io", "lifecyclestage": "customer"}})
		require.Equal(t, http.StatusCreated, r.Status)
		id := r.JSON["id"].(string)
		path := "/crm/objects/2026-09/contacts/" + id
		r = call(t, s, "PATCH", path, map[string]any{"properties": map[string]any{"lifecyclestage": "lead", "firstname": "Ann"}})
		if mode == LifecycleBackwardRejected {
			assert.Equal(t, http.StatusBadRequest, r.Status)
		} else {
			assert.Equal(t, http.StatusOK, r.Status)
		}
		rec, _ := s.Record("contacts", id)
		assert.Equal(t, "customer", rec.Properties["lifecyclestage"], "a backward move does not land")

		require.Equal(t, http.StatusOK, call(t, s, "PATCH", path, map[string]any{"properties": map[string]any{"lifecyclestage": ""}}).Status)
		require.Equal(t, http.StatusOK, call(t, s, "PATCH", path, map[string]any{"properties": map[string]any{"lifecyclestage": "lead"}}).Status)
		rec, _ = s.Record("contacts", id)
		assert.Equal(t, "lead", rec.Properties["lifecyclestage"], "cleared first, it can move back")
		require.Equal(t, http.StatusOK, call(t, s, "PATCH", path, map[string]any{"properties": map[string]any{"lifecyclestage": "opportunity"}}).Status)
		rec, _ = s.Record("contacts", id)
		assert.Equal(t, "opportunity", rec.Properties["lifecyclestage"])
	}
}

// The associations API has its own budget (hubspot-api.md §2, doc†: associations
// guide, 100 per 10 s) even though its batch endpoints are exempt from the
// ten-secondly window; the labels endpoint does not draw from it.
func TestAssociationsHaveTheirOwnBudget(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now, RateLimits: RateLimits{Enforce: true, Max: 1000, AssociationsMax: 2, AssociationsInterval: time.Second}})
	read := map[string]any{"inputs": []map[string]any{{"id": "1"}}}
	for i := range 2 {
		r := call(t, s, "POST", "/crm/associations/2026-09/contacts/companies/batch/read", read)
		require.Equal(t, http.StatusMultiStatus, r.Status, i) // record 1 has no associations: a 207
	}
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/associations/2026-09/contacts/companies/labels", nil).Status)
	r := call(t, s, "POST", "/crm/associations/2026-09/contacts/companies/batch/read", read)
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	assert.Equal(t, "TEN_SECONDLY_ROLLING", r.JSON["policyName"])
	r = call(t, s, "GET", "/crm/objects/2026-09/contacts/1/associations/companies", nil)
	assert.Equal(t, http.StatusTooManyRequests, r.Status, "record-level association calls share the budget")
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/v3/objects/contacts", nil).Status, "other calls are not affected")
	clk.Add(time.Second)
	assert.Equal(t, http.StatusMultiStatus, call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/read", read).Status)
}

// Property names follow a pattern the reference could not source, so it is an
// option (hubspot-api.md §6 "Naming rules").
func TestPropertyNamePatternIsAnOption(t *testing.T) {
	def := map[string]any{"name": "CW-ID", "label": "CW id", "type": "string", "fieldType": "text", "groupName": "contactinformation"}
	s := NewServer(t, Options{})
	r := call(t, s, "POST", "/crm/properties/2026-09/contacts", def)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON["message"], "^[a-z][a-z0-9_]*$")
	s = NewServer(t, Options{PropertyNames: regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)})
	assert.Equal(t, http.StatusCreated, call(t, s, "POST", "/crm/properties/2026-09/contacts", def).Status)
}

// A contact create without email, firstname or lastname is refused only when
// asked: the guide says a create "should" include one (hubspot-api.md §4 Create).
func TestContactIdentityOption(t *testing.T) {
	body := map[string]any{"properties": map[string]any{"phone": "555"}}
	s := NewServer(t, Options{})
	assert.Equal(t, http.StatusCreated, call(t, s, "POST", "/crm/v3/objects/contacts", body).Status)
	s = NewServer(t, Options{RequireContactIdentity: true})
	r := call(t, s, "POST", "/crm/v3/objects/contacts", body)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "VALIDATION_ERROR", r.JSON["category"])
	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/create", map[string]any{"inputs": []map[string]any{
		{"objectWriteTraceId": "a", "properties": map[string]any{"phone": "1"}},
		{"objectWriteTraceId": "b", "properties": map[string]any{"lastname": "Doe"}},
	}})
	assert.Equal(t, http.StatusMultiStatus, r.Status)
	assert.Len(t, r.list("results"), 1)
	assert.Equal(t, http.StatusCreated, call(t, s, "POST", "/crm/v3/objects/companies", body).Status, "other types are not affected")
}

// GET with archived=true finds only archived records (spec: "Whether to return
// only results that have been archived").
func TestGetArchivedTrueFindsOnlyArchived(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "POST", "/crm/v3/objects/companies", map[string]any{"properties": map[string]any{"name": "Live"}})
	id := r.JSON["id"].(string)
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/objects/2026-09/companies/"+id, nil).Status)
	assert.Equal(t, http.StatusNotFound, call(t, s, "GET", "/crm/objects/2026-09/companies/"+id+"?archived=true", nil).Status)
}

// Over-long URLs get 414 when a length is configured (hubspot-api.md §3).
func TestMaxURLLength(t *testing.T) {
	s := NewServer(t, Options{MaxURLLength: 100})
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/v3/objects/contacts?properties=email", nil).Status)
	long := "/crm/v3/objects/contacts?properties=" + strings.Repeat("firstname,", 20)
	r := call(t, s, "GET", long, nil)
	assert.Equal(t, http.StatusRequestURITooLong, r.Status)
	assert.Equal(t, "URI Too Long", r.JSON["message"])
	assert.Equal(t, http.StatusOK, call(t, NewServer(t, Options{}), "GET", long, nil).Status, "off by default")
}

// Writes keyed on idProperty=hs_object_id fail as non-unique (hubspot-api.md §4
// Batch update; 3p hubspot-api-nodejs#548).
func TestWritesRefuseHsObjectIDAsIDProperty(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]any{"email": "a@x.io"}})
	id := r.JSON["id"].(string)
	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/update", map[string]any{"inputs": []map[string]any{
		{"id": id, "idProperty": "hs_object_id", "properties": map[string]any{"firstname": "A"}}}})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Contains(t, r.JSON["message"], "non-unique 0-1 property")
	r = call(t, s, "PATCH", "/crm/v3/objects/contacts/"+id+"?idProperty=hs_object_id", map[string]any{"properties": map[string]any{"firstname": "A"}})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/upsert", map[string]any{"inputs": []map[string]any{
		{"id": id, "idProperty": "hs_object_id", "properties": map[string]any{"firstname": "A"}}}})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/v3/objects/contacts/"+id+"?idProperty=hs_object_id", nil).Status, "reads accept it")
}

// A list limit above 100 is refused by default and clamped on request; HubSpot's
// answer is not documented (hubspot-api.md §4 List).
func TestListLimitAbove100(t *testing.T) {
	s := NewServer(t, Options{})
	assert.Equal(t, http.StatusBadRequest, call(t, s, "GET", "/crm/v3/objects/contacts?limit=101", nil).Status)
	s = NewServer(t, Options{ClampListLimit: true})
	for range 101 {
		_, err := s.CreateRecord("contacts", map[string]string{"firstname": "x"})
		require.NoError(t, err)
	}
	r := call(t, s, "GET", "/crm/v3/objects/contacts?limit=500", nil)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Len(t, r.list("results"), 100)
	assert.NotNil(t, r.JSON["paging"])
}

// Associations whose other record is archived are not listed by default (the
// reference is silent; Options.ArchivedAssociationsVisible keeps them).
func TestAssociationsToArchivedRecordsAreHidden(t *testing.T) {
	for _, visible := range []bool{false, true} {
		s := NewServer(t, Options{ArchivedAssociationsVisible: visible})
		c, _ := s.CreateRecord("contacts", map[string]string{"email": "a@x.io"})
		co, _ := s.CreateRecord("companies", map[string]string{"name": "A"})
		require.Equal(t, http.StatusOK, call(t, s, "PUT", "/crm/v4/objects/contacts/"+c+"/associations/default/companies/"+co, nil).Status)
		require.Equal(t, http.StatusNoContent, call(t, s, "DELETE", "/crm/v3/objects/companies/"+co, nil).Status)

		r := call(t, s, "GET", "/crm/objects/2026-09/contacts/"+c+"/associations/companies", nil)
		r2 := call(t, s, "POST", "/crm/associations/2026-09/contacts/companies/batch/read", map[string]any{"inputs": []map[string]any{{"id": c}}})
		r3 := call(t, s, "GET", "/crm/objects/2026-09/contacts/"+c+"?associations=companies", nil)
		if visible {
			assert.Len(t, r.list("results"), 1)
			assert.Equal(t, http.StatusOK, r2.Status)
			assert.NotNil(t, r3.JSON["associations"])
			continue
		}
		assert.Empty(t, r.list("results"))
		assert.Equal(t, http.StatusMultiStatus, r2.Status, "no associations left: NO_ASSOCIATIONS_FOUND")
		assert.Nil(t, r3.JSON["associations"])
	}
}

// hs_additional_emails are unique identifiers (hubspot-api.md §9 Identity); a merge
// keeps the merged contact's email there.
func TestAdditionalEmailsAreUniqueIdentifiers(t *testing.T) {
	s := NewServer(t, Options{})
	a, _ := s.CreateRecord("contacts", map[string]string{"email": "ann@acme.example"})
	b, _ := s.CreateRecord("contacts", map[string]string{"email": "ann.b@old.example", "firstname": "Ann"})
	r := call(t, s, "POST", "/crm/objects/2026-09/contacts/merge", map[string]any{"primaryObjectId": a, "objectIdToMerge": b})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	rec, _ := s.Record("contacts", a)
	assert.Equal(t, "ann.b@old.example", rec.Properties["hs_additional_emails"])
	assert.Equal(t, "Ann", rec.Properties["firstname"])

	r = call(t, s, "POST", "/crm/objects/2026-09/contacts", map[string]any{"properties": map[string]any{"email": "ANN.B@old.example"}})
	assert.Equal(t, http.StatusConflict, r.Status)
	assert.Equal(t, "Contact already exists. Existing ID: "+a, r.JSON["message"])

	r = call(t, s, "GET", "/crm/objects/2026-09/contacts/ann.b@old.example?idProperty=email", nil)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, a, r.JSON["id"])

	r = call(t, s, "POST", "/crm/objects/2026-09/contacts/batch/upsert", map[string]any{"inputs": []map[string]any{
		{"id": "ann.b@old.example", "idProperty": "email", "properties": map[string]any{"lastname": "B"}}}})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	assert.Equal(t, false, r.list("results")[0]["new"])
	assert.Equal(t, a, r.list("results")[0]["id"])
	assert.Equal(t, 1, s.RecordCount("contacts"))
}

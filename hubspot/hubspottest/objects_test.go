package hubspottest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestObjectTypesAndPrefixes(t *testing.T) {
	s := NewServer(t, Options{CustomObjects: []CustomObjectType{{ID: "2-12345", Name: "machines", Singular: "machine", Label: "Machine",
		Properties: []Property{{Name: "serial", Label: "Serial", Type: "string", FieldType: "text", HasUniqueValue: true}}}}})
	tests := []struct{ typ, prop, value string }{
		{"contacts", "email", "a@example.com"}, {"0-1", "firstname", "Ann"},
		{"companies", "name", "Acme"}, {"0-2", "domain", "acme.example"},
		{"deals", "dealname", "Big"}, {"0-3", "amount", "10.5"},
		{"tickets", "subject", "Broken"}, {"0-5", "subject", "Broken too"},
		{"products", "name", "Widget"}, {"0-7", "price", "3"},
		{"line_items", "quantity", "2"}, {"0-8", "name", "Line"},
		{"machines", "serial", "SN-1"}, {"2-12345", "serial", "SN-2"}, {"machine", "serial", "SN-3"},
	}
	for i, tt := range tests {
		prefix := objectPrefixes[i%len(objectPrefixes)]
		t.Run(prefix+"/"+tt.typ, func(t *testing.T) {
			r := call(t, s, "POST", prefix+"/"+tt.typ, map[string]any{"properties": map[string]string{tt.prop: tt.value}})
			require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
			id := r.JSON["id"].(string)
			assert.Equal(t, tt.value, props(r.JSON)[tt.prop])
			assert.Equal(t, id, props(r.JSON)["hs_object_id"])
			assert.Contains(t, r.JSON["url"], "/record/")
			got := call(t, s, "GET", prefix+"/"+tt.typ+"/"+id+"?properties="+tt.prop, nil)
			require.Equal(t, http.StatusOK, got.Status)
			assert.Equal(t, tt.value, props(got.JSON)[tt.prop])
		})
	}
}

func TestUnknownObjectTypeAndVersion(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "GET", "/crm/v3/objects/butterflies", nil)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	// error-400-invalid-object-type.json: no category at all.
	assert.Equal(t, "Unable to infer object type from: butterflies", r.JSON["message"])
	assert.Equal(t, "error", r.JSON["status"])
	assert.NotContains(t, r.JSON, "category")
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, r.JSON["correlationId"])
	r = call(t, s, "GET", "/crm/objects/2025-01/contacts", nil)
	assert.Equal(t, http.StatusNotFound, r.Status)
}

func TestGetByIDPropertyAndNotFound(t *testing.T) {
	s := NewServer(t, Options{})
	id := mustCreate(t, s, "contacts", map[string]string{"email": "Jo@Example.com", "firstname": "Jo"})
	r := call(t, s, "GET", "/crm/objects/2026-09/contacts/jo@example.com?idProperty=email&properties=firstname,phone", nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	assert.Equal(t, id, r.JSON["id"])
	p := props(r.JSON)
	assert.Equal(t, "Jo", p["firstname"])
	assert.Contains(t, p, "phone")
	assert.Nil(t, p["phone"], "requested but empty properties are null")
	assert.Contains(t, p, "hs_object_id")
	assert.Contains(t, p, "lastmodifieddate")

	r = call(t, s, "GET", "/crm/v3/objects/contacts/999", nil)
	assert.Equal(t, http.StatusNotFound, r.Status)
	assert.Empty(t, r.Raw)
	r = call(t, s, "GET", "/crm/v3/objects/contacts/Jo?idProperty=firstname", nil)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "Unable to perform update/upsert by non-unique 0-1 property", r.JSON["message"])
	r = call(t, s, "PATCH", "/crm/v3/objects/contacts/999", map[string]any{"properties": map[string]string{"firstname": "x"}})
	assert.Equal(t, http.StatusNotFound, r.Status)
	assert.Equal(t, "OBJECT_NOT_FOUND", r.JSON["category"])
}

func TestUpdateArchiveAndListArchived(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now})
	id := mustCreate(t, s, "companies", map[string]string{"name": "Acme"})
	before, _ := s.Record("companies", id)
	clk.Add(1500 * time.Millisecond)
	r := call(t, s, "PATCH", "/crm/objects/2026-09/companies/"+id, map[string]any{"properties": map[string]any{"domain": "acme.example", "name": nil}})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	after, _ := s.Record("companies", id)
	assert.Equal(t, "acme.example", after.Properties["domain"])
	assert.NotContains(t, after.Properties, "name", "null clears a value")
	assert.True(t, after.UpdatedAt.After(before.UpdatedAt))
	assert.Equal(t, isoTime(after.UpdatedAt), after.Properties["hs_lastmodifieddate"])

	// An update that changes nothing leaves the modification date alone.
	clk.Add(1500 * time.Millisecond)
	call(t, s, "PATCH", "/crm/objects/2026-09/companies/"+id, map[string]any{"properties": map[string]any{"domain": "acme.example"}})
	same, _ := s.Record("companies", id)
	assert.Equal(t, after.UpdatedAt, same.UpdatedAt)

	r = call(t, s, "DELETE", "/crm/v3/objects/companies/"+id, nil)
	assert.Equal(t, http.StatusNoContent, r.Status)
	r = call(t, s, "DELETE", "/crm/v3/objects/companies/"+id, nil)
	assert.Equal(t, http.StatusNoContent, r.Status, "archiving is idempotent")
	assert.Equal(t, 0, s.RecordCount("companies"))
	assert.Equal(t, 1, s.ArchivedCount("companies"))

	r = call(t, s, "GET", "/crm/v3/objects/companies", nil)
	assert.Empty(t, r.list("results"))
	r = call(t, s, "GET", "/crm/v3/objects/companies?archived=true", nil)
	res := r.list("results")
	require.Len(t, res, 1, "archived=true returns only archived records")
	assert.Equal(t, true, res[0]["archived"])
	assert.NotEmpty(t, res[0]["archivedAt"])
	assert.Equal(t, http.StatusNotFound, call(t, s, "GET", "/crm/v3/objects/companies/"+id, nil).Status)
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/v3/objects/companies/"+id+"?archived=true", nil).Status)
}

func TestListPaging(t *testing.T) {
	s := NewServer(t, Options{})
	var ids []string
	for i := range 25 {
		ids = append(ids, mustCreate(t, s, "contacts", map[string]string{"email": fmt.Sprintf("c%02d@example.com", i)}))
	}
	var got []string
	path := "/crm/objects/2026-09/contacts?limit=10&properties=email"
	pages := 0
	for path != "" {
		r := call(t, s, "GET", path, nil)
		require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
		for _, rec := range r.list("results") {
			got = append(got, rec["id"].(string))
			assert.NotContains(t, rec, "url", "list items carry no url")
		}
		path = ""
		if p, ok := r.JSON["paging"].(map[string]any); ok {
			next := p["next"].(map[string]any)
			link := next["link"].(string)
			require.True(t, strings.HasPrefix(link, s.URL()))
			path = strings.TrimPrefix(link, s.URL())
			assert.Contains(t, path, "after="+next["after"].(string))
		}
		pages++
	}
	assert.Equal(t, ids, got)
	assert.Equal(t, 3, pages)

	for _, q := range []string{"limit=101", "limit=0", "limit=x", "after=abc"} {
		assert.Equal(t, http.StatusBadRequest, call(t, s, "GET", "/crm/v3/objects/contacts?"+q, nil).Status, q)
	}
}

func TestCreateConflictAndInlineAssociations(t *testing.T) {
	s := NewServer(t, Options{})
	company := mustCreate(t, s, "companies", map[string]string{"name": "Acme"})
	id := mustCreate(t, s, "contacts", map[string]string{"email": "dup@example.com"})
	r := call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]string{"email": "DUP@example.com"}})
	assert.Equal(t, http.StatusConflict, r.Status)
	assert.Equal(t, "CONFLICT", r.JSON["category"])
	assert.Equal(t, "Contact already exists. Existing ID: "+id, r.JSON["message"])

	r = call(t, s, "POST", "/crm/objects/2026-09/contacts", map[string]any{
		"properties":   map[string]string{"email": "new@example.com"},
		"associations": []any{map[string]any{"to": map[string]string{"id": company}, "types": []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}}}},
	})
	require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
	contact := r.JSON["id"].(string)
	assert.Equal(t, []string{company}, s.AssociatedIDs("contacts", contact, "companies"))
	assert.Equal(t, []string{contact}, s.AssociatedIDs("companies", company, "contacts"), "the inverse is stored")

	r = call(t, s, "POST", "/crm/objects/2026-09/contacts", map[string]any{
		"properties":   map[string]string{"email": "other@example.com"},
		"associations": []any{map[string]any{"to": map[string]string{"id": "424242"}, "types": []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 279}}}},
	})
	assert.Equal(t, http.StatusBadRequest, r.Status, "inline associations target existing records only")
	assert.Equal(t, 2, s.RecordCount("contacts"))
}

func TestMerge(t *testing.T) {
	for _, newID := range []bool{false, true} {
		t.Run(fmt.Sprintf("newID=%v", newID), func(t *testing.T) {
			s := NewServer(t, Options{MergeAssignsNewID: newID})
			company := mustCreate(t, s, "companies", map[string]string{"name": "Acme"})
			primary := mustCreate(t, s, "contacts", map[string]string{"email": "p@example.com", "firstname": "P"})
			merged := mustCreate(t, s, "contacts", map[string]string{"email": "m@example.com", "lastname": "M"})
			require.NoError(t, s.Associate("contacts", merged, "companies", company, 0))
			s.TakeEvents()
			r := call(t, s, "POST", "/crm/objects/2026-09/contacts/merge", map[string]string{"primaryObjectId": primary, "objectIdToMerge": merged})
			require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
			survivor := r.JSON["id"].(string)
			if newID {
				assert.NotEqual(t, primary, survivor)
			} else {
				assert.Equal(t, primary, survivor)
			}
			rec, ok := s.Record("contacts", survivor)
			require.True(t, ok)
			assert.Contains(t, rec.Properties["hs_merged_object_ids"], merged)
			assert.Equal(t, "P", rec.Properties["firstname"])
			assert.Equal(t, "M", rec.Properties["lastname"], "empty values are filled from the merged record")
			assert.Equal(t, "p@example.com", rec.Properties["email"])
			_, ok = s.Record("contacts", merged)
			assert.False(t, ok, "the merged record is gone")
			assert.Equal(t, http.StatusNotFound, call(t, s, "GET", "/crm/v3/objects/contacts/"+merged, nil).Status)
			assert.Equal(t, []string{company}, s.AssociatedIDs("contacts", survivor, "companies"))
			assert.Equal(t, 1, s.RecordCount("contacts"))
			evs := s.Events()
			require.NotEmpty(t, evs)
			assert.Equal(t, "contact.merge", evs[0].SubscriptionType)
			assert.Equal(t, []int64{mustInt(t, merged)}, evs[0].MergedObjectIDs)
			assert.Equal(t, "contact.deletion", evs[1].SubscriptionType)
		})
	}
	s := NewServer(t, Options{})
	a := mustCreate(t, s, "contacts", map[string]string{"firstname": "A"})
	assert.Equal(t, http.StatusBadRequest, call(t, s, "POST", "/crm/v3/objects/contacts/merge", map[string]string{"primaryObjectId": a, "objectIdToMerge": a}).Status)
	assert.Equal(t, http.StatusNotFound, call(t, s, "POST", "/crm/v3/objects/contacts/merge", map[string]string{"primaryObjectId": a, "objectIdToMerge": "1"}).Status)
}

func TestGDPRDelete(t *testing.T) {
	s := NewServer(t, Options{})
	mustCreate(t, s, "contacts", map[string]string{"email": "gone@example.com"})
	r := call(t, s, "POST", "/crm/v3/objects/contacts/gdpr-delete", map[string]string{"objectId": "gone@example.com", "idProperty": "email"})
	assert.Equal(t, http.StatusNoContent, r.Status)
	assert.Equal(t, 0, s.RecordCount("contacts")+s.ArchivedCount("contacts"))
	assert.Equal(t, http.StatusCreated, call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]string{"email": "gone@example.com"}}).Status)
}

func mustInt(t testing.TB, s string) int64 {
	t.Helper()
	var n int64
	_, err := fmt.Sscan(s, &n)
	require.NoError(t, err)
	return n
}

func TestHistoryAndAssociationsParams(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now, CustomObjects: []CustomObjectType{{ID: "2-77", Name: "sites", Singular: "site"}}})
	company := mustCreate(t, s, "companies", map[string]string{"name": "Acme"})
	id := mustCreate(t, s, "contacts", map[string]string{"email": "h@example.com", "firstname": "One"})
	require.NoError(t, s.Associate("contacts", id, "companies", company, 1))
	clk.Add(time.Minute)
	call(t, s, "PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": map[string]string{"firstname": "Two"}})

	r := call(t, s, "GET", "/crm/v3/objects/contacts/"+id+"?propertiesWithHistory=firstname&associations=companies", nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	hist := r.JSON["propertiesWithHistory"].(map[string]any)["firstname"].([]any)
	require.Len(t, hist, 2)
	assert.Equal(t, "Two", hist[0].(map[string]any)["value"], "newest first")
	assert.Equal(t, "INTEGRATION", hist[0].(map[string]any)["sourceType"])
	assert.Equal(t, "One", hist[1].(map[string]any)["value"])
	assert.Equal(t, "CRM_UI", hist[1].(map[string]any)["sourceType"])
	refs := r.JSON["associations"].(map[string]any)["companies"].(map[string]any)["results"].([]any)
	assert.Equal(t, []any{
		map[string]any{"id": company, "type": "contact_to_company"},
		map[string]any{"id": company, "type": "contact_to_company_unlabeled"},
	}, refs)

	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/read", map[string]any{"propertiesWithHistory": []string{"firstname"}, "inputs": []any{map[string]string{"id": id}}})
	assert.Contains(t, r.list("results")[0], "propertiesWithHistory")
	assert.Equal(t, http.StatusCreated, call(t, s, "POST", "/crm/v3/objects/p62515_sites", map[string]any{"properties": map[string]string{}}).Status)
}

func TestReset(t *testing.T) {
	s := NewServer(t, Options{})
	id := mustCreate(t, s, "contacts", map[string]string{"email": "r@example.com"})
	require.NoError(t, s.CreateProperty("contacts", Property{Name: "x1", Label: "X", Type: "string", FieldType: "text"}))
	s.Inject(AnyRoute, 0, Fault{Status: 500})
	require.NoError(t, s.Reset())
	assert.Equal(t, 0, s.RecordCount("contacts"))
	_, ok := s.Property("contacts", "x1")
	assert.False(t, ok)
	assert.Len(t, s.Owners(), 3)
	assert.Empty(t, s.Events())
	r := call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]string{"email": "r@example.com"}})
	require.Equal(t, http.StatusCreated, r.Status, "faults are cleared")
	assert.Equal(t, id, r.JSON["id"], "ids restart")
	assert.Equal(t, 1, s.Count())
}

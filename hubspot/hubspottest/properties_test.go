package hubspottest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPropertiesAPI(t *testing.T) {
	s := NewServer(t, Options{})
	for _, prefix := range []string{"/crm/v3/properties/contacts", "/crm/properties/2026-09/contacts", "/crm/properties/2026-03/0-1"} {
		r := call(t, s, "GET", prefix, nil)
		require.Equal(t, http.StatusOK, r.Status, prefix)
		names := map[string]bool{}
		for _, p := range r.list("results") {
			names[p["name"].(string)] = true
			assert.NotContains(t, p, "archived", "list items omit archived")
		}
		for _, n := range []string{"email", "firstname", "lastname", "lifecyclestage", "hubspot_owner_id", "hs_object_id", "createdate", "lastmodifieddate"} {
			assert.True(t, names[n], n)
		}
	}
	for typ, want := range map[string][]string{
		"companies": {"name", "domain", "hs_lastmodifieddate"}, "deals": {"dealname", "dealstage", "pipeline", "amount", "closedate"},
		"tickets": {"subject", "hs_pipeline", "hs_pipeline_stage"}, "products": {"name", "price"}, "line_items": {"quantity", "hs_product_id"},
	} {
		for _, n := range want {
			_, ok := s.Property(typ, n)
			assert.True(t, ok, typ+"."+n)
		}
	}

	create := map[string]any{"name": "cw_contact_id", "label": "CW id", "type": "string", "fieldType": "text", "groupName": "contactinformation", "hasUniqueValue": true}
	r := call(t, s, "POST", "/crm/v3/properties/contacts", create)
	require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
	assert.Equal(t, false, r.JSON["archived"])
	assert.Equal(t, true, r.JSON["hasUniqueValue"])
	assert.NotEmpty(t, r.JSON["createdAt"])
	r = call(t, s, "POST", "/crm/properties/2026-09/contacts", create)
	assert.Equal(t, http.StatusConflict, r.Status)
	assert.Equal(t, "OBJECT_ALREADY_EXISTS", r.JSON["category"])
	assert.Equal(t, "Properties.PROPERTY_WITH_NAME_EXISTS", r.JSON["subCategory"])
	assert.Equal(t, "A property named 'cw_contact_id' already exists.", r.JSON["message"])

	r = call(t, s, "PATCH", "/crm/v3/properties/contacts/cw_contact_id", map[string]any{"hasUniqueValue": false})
	assert.Equal(t, http.StatusBadRequest, r.Status, "hasUniqueValue is immutable")
	r = call(t, s, "PATCH", "/crm/v3/properties/contacts/cw_contact_id", map[string]any{"label": "ConnectWise id"})
	require.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, "ConnectWise id", r.JSON["label"])
	assert.Equal(t, http.StatusBadRequest, call(t, s, "PATCH", "/crm/v3/properties/contacts/email", map[string]any{"label": "x"}).Status)
	assert.Equal(t, http.StatusNotFound, call(t, s, "GET", "/crm/v3/properties/contacts/nope", nil).Status)

	bad := []map[string]any{
		{"name": "x1", "label": "X", "type": "string", "fieldType": "select", "groupName": "contactinformation"},
		{"name": "x2", "label": "X", "type": "enumeration", "fieldType": "select", "groupName": "contactinformation"},
		{"name": "X3", "label": "X", "type": "string", "fieldType": "text", "groupName": "contactinformation"},
		{"name": "x4", "label": "X", "type": "string", "fieldType": "text", "groupName": "nogroup"},
		{"name": "x5", "type": "string", "fieldType": "text", "groupName": "contactinformation"},
		{"name": "x6", "label": "X", "type": "money", "fieldType": "text", "groupName": "contactinformation"},
	}
	for _, b := range bad {
		r := call(t, s, "POST", "/crm/v3/properties/contacts", b)
		assert.Equal(t, http.StatusBadRequest, r.Status, b["name"])
	}

	// Options: replace on PATCH; options without displayOrder go after the others.
	r = call(t, s, "POST", "/crm/v3/properties/contacts", map[string]any{"name": "interests", "label": "I", "type": "enumeration", "fieldType": "select",
		"groupName": "contactinformation", "options": []any{map[string]any{"label": "art", "value": "art"}, map[string]any{"label": "t", "value": "travel", "displayOrder": 1}}})
	require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
	opts := r.list("options")
	assert.EqualValues(t, 2, opts[0]["displayOrder"])
	assert.Equal(t, false, opts[0]["hidden"])
	r = call(t, s, "PATCH", "/crm/v3/properties/contacts/interests", map[string]any{"options": []any{map[string]any{"label": "Golf", "value": "golf"}}})
	assert.Len(t, r.list("options"), 1)

	// Archive, then POSTing the name restores it.
	assert.Equal(t, http.StatusNoContent, call(t, s, "DELETE", "/crm/v3/properties/contacts/interests", nil).Status)
	assert.Equal(t, http.StatusBadRequest, call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]string{"interests": "golf"}}).Status)
	r = call(t, s, "GET", "/crm/v3/properties/contacts?archived=true", nil)
	require.Len(t, r.list("results"), 1)
	assert.Equal(t, http.StatusBadRequest, call(t, s, "DELETE", "/crm/v3/properties/contacts/email", nil).Status)
	assert.Equal(t, http.StatusCreated, call(t, s, "POST", "/crm/v3/properties/contacts", map[string]any{"name": "interests", "label": "I", "type": "string", "fieldType": "text", "groupName": "contactinformation"}).Status)
}

func TestPropertyBatchAndGroups(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "POST", "/crm/v3/properties/contacts/groups", map[string]any{"name": "integrationcreatedproperties", "label": "Integration Created Properties"})
	require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
	assert.Equal(t, false, r.JSON["archived"])
	assert.Contains(t, r.JSON, "displayOrder")
	assert.Equal(t, http.StatusConflict, call(t, s, "POST", "/crm/v3/properties/contacts/groups", map[string]any{"name": "integrationcreatedproperties", "label": "x"}).Status)
	r = call(t, s, "PATCH", "/crm/properties/2026-09/contacts/groups/integrationcreatedproperties", map[string]any{"label": "ICP", "displayOrder": 3})
	assert.Equal(t, "ICP", r.JSON["label"])
	assert.Len(t, call(t, s, "GET", "/crm/v3/properties/contacts/groups", nil).list("results"), 2)

	r = call(t, s, "POST", "/crm/v3/properties/contacts/batch/create", map[string]any{"inputs": []any{
		map[string]any{"name": "age__c", "label": "Age", "type": "number", "fieldType": "number", "groupName": "integrationcreatedproperties"},
		map[string]any{"name": "email", "label": "Email", "type": "string", "fieldType": "text", "groupName": "contactinformation"},
	}})
	require.Equal(t, http.StatusMultiStatus, r.Status, string(r.Raw))
	assert.Equal(t, "COMPLETE", r.JSON["status"])
	res := r.list("results")
	require.Len(t, res, 1)
	assert.NotContains(t, res[0], "createdAt", "batch create results lack timestamps")
	assert.NotContains(t, res[0], "archived")
	assert.EqualValues(t, -1, res[0]["displayOrder"])
	e := r.list("errors")[0]
	assert.Equal(t, "OBJECT_ALREADY_EXISTS", e["category"])
	assert.Equal(t, map[string]any{"name": []any{"email"}}, e["context"])

	r = call(t, s, "POST", "/crm/v3/properties/contacts/batch/read", map[string]any{"inputs": []any{map[string]string{"name": "age__c"}, map[string]string{"name": "email"}}})
	assert.Len(t, r.list("results"), 2)

	r = call(t, s, "DELETE", "/crm/v3/properties/contacts/groups/integrationcreatedproperties", nil)
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES", r.JSON["subCategory"])
	assert.Equal(t, http.StatusNoContent, call(t, s, "POST", "/crm/v3/properties/contacts/batch/archive", map[string]any{"inputs": []any{map[string]string{"name": "age__c"}, map[string]string{"name": "zzz"}}}).Status)
	assert.Equal(t, http.StatusNoContent, call(t, s, "DELETE", "/crm/v3/properties/contacts/groups/integrationcreatedproperties", nil).Status)
	assert.Equal(t, http.StatusNotFound, call(t, s, "GET", "/crm/v3/properties/contacts/groups/integrationcreatedproperties", nil).Status)
}

func TestUniquePropertyLimitAndConflict(t *testing.T) {
	s := NewServer(t, Options{})
	for i := range 10 {
		require.NoError(t, s.CreateProperty("deals", Property{Name: "u" + string(rune('a'+i)), Label: "U", Type: "string", FieldType: "text", HasUniqueValue: true}))
	}
	assert.Error(t, s.CreateProperty("deals", Property{Name: "uz", Label: "U", Type: "string", FieldType: "text", HasUniqueValue: true}), "at most ten unique properties")
	id := mustCreate(t, s, "deals", map[string]string{"dealname": "A", "ua": "K-1"})
	r := call(t, s, "POST", "/crm/v3/objects/deals", map[string]any{"properties": map[string]string{"dealname": "B", "ua": "K-1"}})
	assert.Equal(t, http.StatusConflict, r.Status)
	assert.Contains(t, r.JSON["message"], "Existing ID: "+id)
	r = call(t, s, "GET", "/crm/v3/objects/deals/K-1?idProperty=ua", nil)
	assert.Equal(t, id, r.JSON["id"])
}

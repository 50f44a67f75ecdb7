package hubspottest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPropertyValueValidation(t *testing.T) {
	s := NewServer(t, Options{})
	require.NoError(t, s.CreateProperty("contacts", Property{Name: "renewal_date", Label: "Renewal", Type: "date", FieldType: "date"}))
	require.NoError(t, s.CreateProperty("contacts", Property{Name: "vip", Label: "VIP", Type: "bool", FieldType: "booleancheckbox"}))
	require.NoError(t, s.CreateProperty("contacts", Property{Name: "tags", Label: "Tags", Type: "enumeration", FieldType: "checkbox",
		Options: []PropertyOption{{Label: "A", Value: "a"}, {Label: "B", Value: "b", DisplayOrder: 1}}}))
	owner := s.Owners()[0].ID
	tests := []struct {
		name, typ, prop, value string
		wantCode               string // "" means accepted
		wantStored             string
	}{
		{"unknown property", "contacts", "nope", "x", "PROPERTY_DOESNT_EXIST", ""},
		{"read-only hs_object_id", "contacts", "hs_object_id", "5", "READ_ONLY_VALUE", ""},
		{"read-only lastmodifieddate", "contacts", "lastmodifieddate", "2024-01-01T00:00:00Z", "READ_ONLY_VALUE", ""},
		{"calculated deal flag", "deals", "hs_is_closed", "true", "READ_ONLY_VALUE", ""},
		{"enumeration option", "contacts", "lifecyclestage", "lead", "", "lead"},
		{"enumeration label is not a value", "contacts", "lifecyclestage", "Lead", "INVALID_OPTION", ""},
		{"multi-select", "contacts", "tags", "a;b", "", "a;b"},
		{"multi-select bad", "contacts", "tags", "a;c", "INVALID_OPTION", ""},
		{"owner id", "contacts", "hubspot_owner_id", owner, "", owner},
		{"unknown owner", "contacts", "hubspot_owner_id", "1", "INVALID_OPTION", ""},
		{"number", "deals", "amount", "1000.50", "", "1000.50"},
		{"number thousands separator", "deals", "amount", "1,000.50", "INVALID_DECIMAL", ""},
		{"number two periods", "deals", "amount", "1.000.50", "INVALID_DECIMAL", ""},
		{"date midnight ms", "contacts", "renewal_date", "1572480000000", "", "2019-10-31"},
		{"date YYYY-MM-DD", "contacts", "renewal_date", "2026-03-01", "", "2026-03-01"},
		{"date not midnight", "contacts", "renewal_date", "1572480000001", "INVALID_DATE", ""},
		{"datetime ms", "deals", "closedate", "1572480000123", "", "2019-10-31T00:00:00.123Z"},
		{"datetime ISO with offset", "deals", "closedate", "2024-09-19T04:30:45-08:00", "", "2024-09-19T12:30:45.000Z"},
		{"datetime garbage", "deals", "closedate", "tomorrow", "INVALID_LONG", ""},
		{"bool", "contacts", "vip", "TRUE", "", "true"},
		{"bool garbage", "contacts", "vip", "yes", "INVALID_BOOLEAN", ""},
		{"email", "contacts", "email", "not-an-email", "INVALID_EMAIL", ""},
		{"deal stage of the pipeline", "deals", "dealstage", "closedwon", "", "closedwon"},
		{"deal stage unknown", "deals", "dealstage", "won", "INVALID_OPTION", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, s, "POST", "/crm/objects/2026-09/"+tt.typ, map[string]any{"properties": map[string]string{tt.prop: tt.value}})
			if tt.wantCode == "" {
				require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
				assert.Equal(t, tt.wantStored, props(r.JSON)[tt.prop])
				return
			}
			require.Equal(t, http.StatusBadRequest, r.Status, string(r.Raw))
			assert.Equal(t, "VALIDATION_ERROR", r.JSON["category"])
			errs := r.list("errors")
			require.Len(t, errs, 1)
			assert.Equal(t, tt.wantCode, errs[0]["code"])
			assert.Equal(t, map[string]any{"propertyName": []any{tt.prop}}, errs[0]["context"])
		})
	}
	r := call(t, s, "POST", "/crm/objects/2026-09/contacts", map[string]any{"properties": map[string]string{"renewal_date": "1572480000001"}})
	assert.Contains(t, r.JSON["message"], "1572480000001 is at 0:0:0.1 UTC, not midnight!")
}

func TestDealClosedFlagsAndDefaults(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "POST", "/crm/v3/objects/deals", map[string]any{"properties": map[string]string{"dealname": "D", "dealstage": "closedwon", "amount": "5"}})
	require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
	p := props(r.JSON)
	assert.Equal(t, "default", p["pipeline"], "without pipeline the default one is used")
	assert.Equal(t, "true", p["hs_is_closed"])
	assert.Equal(t, "true", p["hs_is_closed_won"])
	assert.Equal(t, "false", p["hs_is_closed_lost"])
	assert.Equal(t, p["createdate"], p["hs_lastmodifieddate"])
	assert.Equal(t, r.JSON["createdAt"], p["createdate"])
}

func TestRequiredPropertiesOn202609(t *testing.T) {
	s := NewServer(t, Options{RequiredProperties: map[string][]string{"contacts": {"lastname"}}})
	r := call(t, s, "POST", "/crm/objects/2026-09/contacts", map[string]any{"properties": map[string]string{"email": "q@example.com"}})
	require.Equal(t, http.StatusBadRequest, r.Status, string(r.Raw))
	assert.Equal(t, "MISSING_REQUIRED_PROPERTY", r.list("errors")[0]["code"])
	assert.Equal(t, http.StatusCreated, call(t, s, "POST", "/crm/objects/2026-03/contacts", map[string]any{"properties": map[string]string{"email": "q@example.com"}}).Status, "older versions are not checked")
	assert.Equal(t, http.StatusCreated, call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]string{"email": "q2@example.com"}}).Status)
	r = call(t, s, "POST", "/crm/objects/2026-09/contacts/batch/upsert", map[string]any{"inputs": []any{
		map[string]any{"id": "q3@example.com", "idProperty": "email", "properties": map[string]string{"lastname": "Q"}},
		map[string]any{"id": "q4@example.com", "idProperty": "email", "properties": map[string]string{}},
	}})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	id := mustCreate(t, s, "contacts", map[string]string{"email": "q5@example.com", "lastname": "L"})
	assert.Equal(t, http.StatusOK, call(t, s, "PATCH", "/crm/objects/2026-09/contacts/"+id, map[string]any{"properties": map[string]string{"firstname": "F"}}).Status)
	assert.Equal(t, http.StatusBadRequest, call(t, s, "PATCH", "/crm/objects/2026-09/contacts/"+id, map[string]any{"properties": map[string]any{"lastname": nil}}).Status)
	_, err := startErr(Options{RequiredProperties: map[string][]string{"nope": {"x"}}})
	assert.Error(t, err)
}

// startErr starts and stops a server with Start, returning its option error.
func startErr(o Options) (*Server, error) {
	s, err := Start(o)
	if err == nil {
		_ = s.Close()
	}
	return s, err
}

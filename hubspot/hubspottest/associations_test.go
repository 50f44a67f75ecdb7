package hubspottest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func assocInput(from, to string, typeIDs ...int) map[string]any {
	types := []any{}
	for _, id := range typeIDs {
		types = append(types, map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": id})
	}
	return map[string]any{"from": map[string]string{"id": from}, "to": map[string]string{"id": to}, "types": types}
}

func TestAssociationsBatch(t *testing.T) {
	s := NewServer(t, Options{})
	c1 := mustCreate(t, s, "contacts", map[string]string{"email": "a@example.com"})
	c2 := mustCreate(t, s, "contacts", map[string]string{"email": "b@example.com"})
	co1 := mustCreate(t, s, "companies", map[string]string{"name": "One"})
	co2 := mustCreate(t, s, "companies", map[string]string{"name": "Two"})

	for _, prefix := range []string{"/crm/v4/associations", "/crm/associations/2026-09", "/crm/associations/2026-03"} {
		r := call(t, s, "POST", prefix+"/contacts/companies/batch/create", map[string]any{"inputs": []any{assocInput(c1, co1, 1)}})
		require.Equal(t, http.StatusOK, r.Status, prefix+string(r.Raw))
		res := r.list("results")[0]
		assert.Equal(t, "0-1", res["fromObjectTypeId"])
		assert.Equal(t, float64(mustInt(t, c1)), res["fromObjectId"], "object ids are numbers here")
		assert.Equal(t, "0-2", res["toObjectTypeId"])
		assert.Equal(t, []any{"Primary"}, res["labels"])
	}

	r := call(t, s, "POST", "/crm/v4/associations/contact/company/batch/create", map[string]any{"inputs": []any{
		assocInput("unknown_id_123456798", co1, 279), assocInput(c1, c1, 279), assocInput(c2, co2, 9999),
	}})
	require.Equal(t, http.StatusMultiStatus, r.Status, string(r.Raw))
	assert.Empty(t, r.list("results"))
	errs := r.list("errors")
	require.Len(t, errs, 3)
	assert.Equal(t, "crm.associations.INVALID_IDENTIFIER", errs[0]["subCategory"])
	assert.Equal(t, map[string]any{"id": []any{"unknown_id_123456798"}}, errs[0]["context"])
	assert.Equal(t, "unknown_id_123456798 is not a valid ID", errs[0]["message"])

	self := call(t, s, "POST", "/crm/v4/associations/contacts/contacts/batch/create", map[string]any{"inputs": []any{
		map[string]any{"from": map[string]string{"id": c1}, "to": map[string]string{"id": c1}, "types": []any{}},
	}})
	require.Equal(t, http.StatusMultiStatus, self.Status, string(self.Raw))
	assert.Equal(t, fmt.Sprintf("Object %s cannot be associated to itself (%s)", c1, c1), self.list("errors")[0]["message"])

	r = call(t, s, "POST", "/crm/associations/2026-09/contacts/companies/batch/associate/default", map[string]any{"inputs": []any{
		map[string]any{"from": map[string]string{"id": c2}, "to": map[string]string{"id": co2}},
	}})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	assert.Equal(t, []any{}, r.list("results")[0]["labels"])

	// Read: primary carries the unlabeled default too; no associations is an error.
	c3 := mustCreate(t, s, "contacts", map[string]string{"email": "c@example.com"})
	r = call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/read", map[string]any{"inputs": []any{map[string]string{"id": c1}, map[string]string{"id": c3}}})
	require.Equal(t, http.StatusMultiStatus, r.Status, string(r.Raw))
	res := r.list("results")
	require.Len(t, res, 1)
	assert.Equal(t, map[string]any{"id": c1}, res[0]["from"])
	to := res[0]["to"].([]any)[0].(map[string]any)
	assert.Equal(t, float64(mustInt(t, co1)), to["toObjectId"])
	assert.Equal(t, []any{
		map[string]any{"category": "HUBSPOT_DEFINED", "typeId": float64(1), "label": "Primary"},
		map[string]any{"category": "HUBSPOT_DEFINED", "typeId": float64(279), "label": nil},
	}, to["associationTypes"])
	e := r.list("errors")[0]
	assert.Equal(t, "crm.associations.NO_ASSOCIATIONS_FOUND", e["subCategory"])
	assert.Equal(t, fmt.Sprintf("No company is associated with contact %s.", c3), e["message"])

	// The inverse direction exists with the inverse type ids.
	r = call(t, s, "POST", "/crm/v4/associations/companies/contacts/batch/read", map[string]any{"inputs": []any{map[string]string{"id": co1}}})
	types := r.list("results")[0]["to"].([]any)[0].(map[string]any)["associationTypes"].([]any)
	assert.Len(t, types, 2)
	assert.EqualValues(t, 2, types[0].(map[string]any)["typeId"])
	assert.EqualValues(t, 280, types[1].(map[string]any)["typeId"])

	// Primary moves: a new primary company replaces the old one.
	call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/create", map[string]any{"inputs": []any{assocInput(c1, co2, 1)}})
	r = call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/read", map[string]any{"inputs": []any{map[string]string{"id": c1}}})
	tos := r.list("results")[0]["to"].([]any)
	require.Len(t, tos, 2)
	assert.Len(t, tos[0].(map[string]any)["associationTypes"], 1, "the old company keeps only the unlabeled type")

	// Label archive removes one type; archive removes the pair.
	assert.Equal(t, http.StatusNoContent, call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/labels/archive", map[string]any{"inputs": []any{assocInput(c1, co2, 1)}}).Status)
	assert.Equal(t, []string{co1, co2}, s.AssociatedIDs("contacts", c1, "companies"))
	assert.Equal(t, http.StatusNoContent, call(t, s, "POST", "/crm/associations/2026-09/contacts/companies/batch/archive", map[string]any{"inputs": []any{
		map[string]any{"from": map[string]string{"id": c1}, "to": []any{map[string]string{"id": co1}, map[string]string{"id": co2}}},
	}}).Status)
	assert.Empty(t, s.AssociatedIDs("contacts", c1, "companies"))
	assert.Empty(t, s.AssociatedIDs("companies", co1, "contacts"))

	inputs := make([]any, 1001)
	for i := range inputs {
		inputs[i] = map[string]string{"id": c1}
	}
	assert.Equal(t, http.StatusBadRequest, call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/read", map[string]any{"inputs": inputs}).Status)
	assert.NotEqual(t, http.StatusBadRequest, call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/read", map[string]any{"inputs": inputs[:1000]}).Status)
}

func TestAssociationLabelsAndRecordList(t *testing.T) {
	s := NewServer(t, Options{})
	deal := mustCreate(t, s, "deals", map[string]string{"dealname": "D"})
	var contacts []string
	for i := range 3 {
		contacts = append(contacts, mustCreate(t, s, "contacts", map[string]string{"email": fmt.Sprintf("x%d@example.com", i)}))
		require.NoError(t, s.Associate("deals", deal, "contacts", contacts[i], 3))
	}
	label, err := s.AddAssociationLabel("deals", "contacts", "Decision maker")
	require.NoError(t, err)
	require.NoError(t, s.Associate("deals", deal, "contacts", contacts[0], label))

	for _, p := range []string{"/crm/v4/associations/deals/contacts/labels", "/crm/associations/v4/deals/contacts/labels", "/crm/associations/2026-09/deal/contact/labels"} {
		r := call(t, s, "GET", p, nil)
		require.Equal(t, http.StatusOK, r.Status, p)
		res := r.list("results")
		require.Len(t, res, 2, p)
		assert.Equal(t, map[string]any{"category": "HUBSPOT_DEFINED", "typeId": float64(3), "label": nil}, res[0])
		assert.Equal(t, "USER_DEFINED", res[1]["category"])
		assert.Equal(t, "Decision maker", res[1]["label"])
	}

	r := call(t, s, "GET", "/crm/v4/objects/deals/"+deal+"/associations/contacts?limit=2", nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	assert.Len(t, r.list("results"), 2)
	next := r.JSON["paging"].(map[string]any)["next"].(map[string]any)["after"].(string)
	r = call(t, s, "GET", "/crm/objects/2026-09/deals/"+deal+"/associations/contacts?limit=2&after="+next, nil)
	require.Len(t, r.list("results"), 1)
	assert.Equal(t, float64(mustInt(t, contacts[2])), r.list("results")[0]["toObjectId"])
	assert.NotContains(t, r.JSON, "paging")
}

func TestAssociationRecordLevelWrites(t *testing.T) {
	s := NewServer(t, Options{})
	contact := mustCreate(t, s, "contacts", map[string]string{"email": "r@example.com"})
	company := mustCreate(t, s, "companies", map[string]string{"name": "R"})
	r := call(t, s, "PUT", "/crm/v4/objects/contacts/"+contact+"/associations/default/companies/"+company, nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	res := r.list("results")[0]
	assert.Equal(t, map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": float64(279)}, res["associationSpec"])
	r = call(t, s, "PUT", "/crm/objects/2026-09/contacts/"+contact+"/associations/companies/"+company,
		[]any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	assert.Equal(t, []any{"Primary"}, r.JSON["labels"])
	assert.Equal(t, http.StatusBadRequest, call(t, s, "PUT", "/crm/v4/objects/contacts/"+contact+"/associations/companies/"+company,
		[]any{map[string]any{"associationCategory": "USER_DEFINED", "associationTypeId": 1}}).Status)
	assert.Equal(t, http.StatusNotFound, call(t, s, "PUT", "/crm/v4/objects/contacts/"+contact+"/associations/default/companies/1", nil).Status)
	assert.Equal(t, http.StatusNoContent, call(t, s, "DELETE", "/crm/v4/objects/contacts/"+contact+"/associations/companies/"+company, nil).Status)
	assert.Empty(t, s.AssociatedIDs("companies", company, "contacts"))
}

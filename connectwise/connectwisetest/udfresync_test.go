package connectwisetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A custom field defined after records exist appears on them (every record
// carries every defined field of its screen, connectwise-api.md §7), can be
// set at once, keeps its value when the definition changes, and disappears
// with its definition.
func TestCustomFieldDefinedAfterRecords(t *testing.T) {
	s, c := setup(t)
	co, err := s.Create(Companies, company("Z", "Z"))
	require.NoError(t, err)
	ct, err := s.Create(Contacts, map[string]any{"firstName": "Q"})
	require.NoError(t, err)
	opp, err := s.Create(Opportunities, map[string]any{"name": "Managed services", "company": map[string]any{"id": co["id"]},
		"contact": map[string]any{"id": ct["id"]}, "primarySalesRep": map[string]any{"id": 244}})
	require.NoError(t, err)
	id := int(opp["id"].(float64))
	r := c.do("POST", "system/userDefinedFields", map[string]any{"podId": 30, "podDescription": "Opportunity Details",
		"caption": "HubSpot Deal ID", "sequenceNumber": 9, "screenId": "op100", "fieldTypeIdentifier": "Text",
		"entryTypeIdentifier": "EntryField"})
	require.Equal(t, 201, r.status, string(r.body))
	udf := int(r.obj(t)["id"].(float64))

	got, ok := s.Get(Opportunities, id)
	require.True(t, ok)
	f := findCustomField(asSlice(got["customFields"]), map[string]any{"id": float64(udf)})
	require.NotNil(t, f, "the new field is on the existing record")
	assert.Nil(t, f["value"])
	assert.Equal(t, "HubSpot Deal ID", f["caption"])

	r = c.do("PATCH", "sales/opportunities/"+jsonNum(opp["id"]), []any{map[string]any{"op": "replace", "path": "/customFields",
		"value": []any{map[string]any{"id": udf, "value": "19876543210"}}}})
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, "19876543210", customValue(r.obj(t), udf))

	r = c.do("PATCH", "system/userDefinedFields/"+jsonNum(float64(udf)), []any{map[string]any{"op": "replace", "path": "caption", "value": "HubSpot ID"}})
	require.Equal(t, 200, r.status, string(r.body))
	got, _ = s.Get(Opportunities, id)
	f = findCustomField(asSlice(got["customFields"]), map[string]any{"id": float64(udf)})
	require.NotNil(t, f)
	assert.Equal(t, "HubSpot ID", f["caption"])
	assert.Equal(t, "19876543210", f["value"], "a changed definition keeps the stored value")

	require.NoError(t, s.Delete(UserDefinedFields, udf))
	got, _ = s.Get(Opportunities, id)
	assert.Nil(t, findCustomField(asSlice(got["customFields"]), map[string]any{"id": float64(udf)}))
}

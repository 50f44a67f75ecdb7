package mapping

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultAssociations(t *testing.T) {
	m, err := Compile(Default(), nil)
	require.NoError(t, err)
	deals := m.Object(ObjectDeals)
	assert.Equal(t, []Association{
		{To: ObjectCompanies, ConnectWise: "company/id", HubSpotTypeID: 341},
		{To: ObjectContacts, ConnectWise: "contact/id", HubSpotTypeID: 3},
	}, deals.Associations())
	assert.Empty(t, m.Object(ObjectCompanies).Associations())

	for _, useNumber := range []bool{false, true} {
		rec := decode(t, `{"id": 4107, "company": {"id": 312, "name": "Northwind"}, "contact": null}`, useNumber)
		assert.Equal(t, map[string]string{ObjectCompanies: "312"}, deals.AssociatedIDs(rec))
	}

	body := map[string]any{"name": "Renewal"}
	require.NoError(t, deals.SetAssociated(body, ObjectCompanies, "312"))
	require.NoError(t, deals.SetAssociated(body, ObjectContacts, "58231"))
	assert.Error(t, deals.SetAssociated(body, "tickets", "1"))
	b, _ := json.Marshal(body)
	assert.JSONEq(t, `{"name":"Renewal","company":{"id":312},"contact":{"id":58231}}`, string(b))

	cur := decode(t, `{"company": {"id": 312, "name": "Northwind"}}`, true)
	_, ok, err := deals.AssociationPatch(ObjectCompanies, "312", cur)
	require.NoError(t, err)
	assert.False(t, ok, "already references it")
	op, ok, err := deals.AssociationPatch(ObjectCompanies, "400", cur)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, PatchOp{Op: "replace", Path: "/company", Value: map[string]any{"id": literal("400")}}, op)
	_, _, err = deals.AssociationPatch("tickets", "1", cur)
	assert.Error(t, err)
}

func TestTopLevelAssociation(t *testing.T) {
	s := oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a"})
	s.Objects[0].Associations = []Association{{To: "contacts", ConnectWise: "parentId", HubSpotTypeID: 449}}
	o := compileOne(t, s)
	op, ok, err := o.AssociationPatch("contacts", "ABC", nil)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, PatchOp{Op: "replace", Path: "/parentId", Value: "ABC"}, op)
}

func TestAssociationValidation(t *testing.T) {
	s := &Spec{Objects: []ObjectMapping{{
		Name: "deals", HubSpot: "deals", ConnectWise: "sales/opportunities",
		Associations: []Association{
			{To: "companies", ConnectWise: "company/id", HubSpotTypeID: 341},
			{To: "deals", ConnectWise: "company/id"},
			{To: "deals", ConnectWise: "a["},
			{To: "deals", ConnectWise: "contacts[0]/id", HubSpotTypeID: 3},
		},
	}}}
	var ve *ValidationError
	require.ErrorAs(t, Validate(s, nil), &ve)
	type at struct{ code, loc string }
	var got []at
	for _, i := range ve.Issues {
		got = append(got, at{i.Code, i.Location})
	}
	assert.ElementsMatch(t, []at{
		{CodeSpec, "objects[0].associations[0].to"},
		{CodeSpec, "objects[0].associations[1].hubspotTypeId"},
		{CodeDuplicateTarget, "objects[0].associations[2]"},
		{CodeSpec, "objects[0].associations[2].hubspotTypeId"},
		{CodeBadPath, "objects[0].associations[2].connectwise"},
		{CodeDuplicateTarget, "objects[0].associations[3]"},
		{CodeNotWritable, "objects[0].associations[3].connectwise"},
	}, got)
}

package mapping

import (
	"errors"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func codes(is []Issue) []string {
	var out []string
	for _, i := range is {
		out = append(out, i.Code)
	}
	return out
}

func oneObject(fields ...FieldMapping) *Spec {
	return &Spec{Objects: []ObjectMapping{{Name: "contacts", HubSpot: "contacts", ConnectWise: "company/contacts", Fields: fields}}}
}

func TestValidateEachError(t *testing.T) {
	enum := &PropertyDef{Label: "Tier", Type: "enumeration", FieldType: "select"}
	tests := []struct {
		name string
		spec *Spec
		code string
		loc  string
	}{
		{"unknown transform", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Transform: []Step{S("frobnicate")}}), CodeUnknownTransform, "objects[0].fields[0].transform[0]"},
		{"bad transform args", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Transform: []Step{S("date", "zone", "Nowhere/City")}}), CodeBadTransform, "objects[0].fields[0].transform[0]"},
		{"lossy bidirectional", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Transform: []Step{S("split")}}), CodeLossy, "objects[0].fields[0].transform"},
		{"lossy map", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Transform: []Step{{Name: "map", Values: map[string]string{"x": "1", "y": "1"}}}}), CodeLossy, "objects[0].fields[0].transform"},
		{"one-way toward HubSpot", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Direction: ToHubSpot, Transform: []Step{S("join", "properties", "b")}}), CodeOneWay, "objects[0].fields[0].transform"},
		{"one-way toward ConnectWise", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Direction: ToConnectWise, Transform: []Step{S("domain")}}), CodeOneWay, "objects[0].fields[0].transform"},
		{"duplicate property", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a"}, FieldMapping{HubSpot: "a", ConnectWise: "b"}), CodeDuplicateTarget, "objects[0].fields[1]"},
		{"duplicate ConnectWise path", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "x/y"}, FieldMapping{HubSpot: "b", ConnectWise: "/x/y"}), CodeDuplicateTarget, "objects[0].fields[1]"},
		{"bad path", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a["}), CodeBadPath, "objects[0].fields[0].connectwise"},
		{"not writable", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a/b[x=1]/c"}), CodeNotWritable, "objects[0].fields[0].connectwise"},
		{"no path toward ConnectWise", oneObject(FieldMapping{HubSpot: "a", Transform: []Step{S("const", "value", "x")}}), CodeNotWritable, "objects[0].fields[0]"},
		{"nothing to project", oneObject(FieldMapping{HubSpot: "a", Direction: ToHubSpot}), CodeSpec, "objects[0].fields[0]"},
		{"bad direction", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Direction: "sideways"}), CodeDirection, "objects[0].fields[0].direction"},
		{"bad conflict", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Conflict: "coin"}), CodeConflict, "objects[0].fields[0].conflict"},
		{"property name", oneObject(FieldMapping{HubSpot: "Bad-Name", ConnectWise: "a", Property: &PropertyDef{Label: "x", Type: "string", FieldType: "text"}}), CodePropertyName, "objects[0].fields[0].property"},
		{"property name differs", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: &PropertyDef{Name: "b", Label: "x", Type: "string", FieldType: "text"}}), CodePropertyName, "objects[0].fields[0].property"},
		{"type/fieldType pair", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: &PropertyDef{Label: "x", Type: "string", FieldType: "select"}}), CodePropertyType, "objects[0].fields[0].property.fieldType"},
		{"unknown type", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: &PropertyDef{Label: "x", Type: "money", FieldType: "number"}}), CodePropertyType, "objects[0].fields[0].property.type"},
		{"unique bool", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Transform: []Step{S("bool")}, Property: &PropertyDef{Label: "x", Type: "bool", FieldType: "booleancheckbox", HasUniqueValue: true}}), CodePropertyType, "objects[0].fields[0].property"},
		{"enumeration without options", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: enum}), CodePropertyOptions, "objects[0].fields[0].property.options"},
		{"options on string", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: &PropertyDef{Label: "x", Type: "string", FieldType: "text", Options: []PropertyOption{{Label: "a", Value: "a"}}}}), CodePropertyOptions, "objects[0].fields[0].property.options"},
		{"duplicate option", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: &PropertyDef{Label: "x", Type: "enumeration", FieldType: "radio", Options: []PropertyOption{{Label: "a", Value: "a"}, {Label: "b", Value: "a"}}}}), CodePropertyOptions, "objects[0].fields[0].property.options[1]"},
		{"empty option", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: &PropertyDef{Label: "x", Type: "enumeration", FieldType: "radio", Options: []PropertyOption{{Label: "a"}}}}), CodePropertyOptions, "objects[0].fields[0].property.options[0]"},
		{"no label", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: &PropertyDef{Type: "string", FieldType: "text"}}), CodeSpec, "objects[0].fields[0].property"},
		{"type mismatch", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Transform: []Step{S("datetime")}, Property: &PropertyDef{Label: "x", Type: "date", FieldType: "date"}}), CodeTypeMismatch, "objects[0].fields[0].transform"},
		{"untyped number", oneObject(FieldMapping{HubSpot: "a", ConnectWise: "a", Property: &PropertyDef{Label: "x", Type: "number", FieldType: "number"}}), CodeTypeMismatch, "objects[0].fields[0].transform"},
		{"bad filter", &Spec{Objects: []ObjectMapping{{Name: "c", HubSpot: "contacts", ConnectWise: "company/contacts", Filters: Filters{ToHubSpot: &Filter{InList: "1"}}}}}, CodeBadFilter, "objects[0].filters.toHubSpot"},
		{"bad filter toward ConnectWise", &Spec{Objects: []ObjectMapping{{Name: "c", HubSpot: "contacts", ConnectWise: "company/contacts", Filters: Filters{ToConnectWise: &Filter{Path: "x", Op: "near"}}}}}, CodeBadFilter, "objects[0].filters.toConnectWise"},
		{"match key not mapped", &Spec{Objects: []ObjectMapping{{Name: "c", HubSpot: "contacts", ConnectWise: "company/contacts", Match: []MatchKey{{HubSpot: "email"}}}}}, CodeMatchKey, "objects[0].match[0]"},
		{"no object name", &Spec{Objects: []ObjectMapping{{HubSpot: "contacts", ConnectWise: "company/contacts"}}}, CodeSpec, "objects[0]"},
		{"no object types", &Spec{Objects: []ObjectMapping{{Name: "c"}}}, CodeSpec, "objects[0]"},
		{"object direction", &Spec{Objects: []ObjectMapping{{Name: "c", HubSpot: "h", ConnectWise: "c", Direction: "up"}}}, CodeDirection, "objects[0].direction"},
		{"object conflict", &Spec{Objects: []ObjectMapping{{Name: "c", HubSpot: "h", ConnectWise: "c", Conflict: "dice"}}}, CodeConflict, "objects[0].conflict"},
		{"duplicate object", &Spec{Objects: []ObjectMapping{{Name: "c", HubSpot: "h", ConnectWise: "c"}, {Name: "c", HubSpot: "h", ConnectWise: "c"}}}, CodeSpec, "objects[1]"},
		{"field without property", oneObject(FieldMapping{ConnectWise: "a"}), CodeSpec, "objects[0].fields[0]"},
		{"bad group", &Spec{Groups: []PropertyGroup{{Object: "contacts", Name: "Bad Group", Label: "x"}}}, CodePropertyName, "groups[0]"},
		{"incomplete group", &Spec{Groups: []PropertyGroup{{Name: "g"}}}, CodeSpec, "groups[0]"},
		{"duplicate group", &Spec{Groups: []PropertyGroup{{Object: "contacts", Name: "g", Label: "G"}, {Object: "contacts", Name: "g", Label: "G"}}}, CodeSpec, "groups[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.spec, nil)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "want a ValidationError, got %v", err)
			found := false
			for _, i := range ve.Issues {
				if i.Code == tt.code && i.Location == tt.loc {
					found = true
				}
			}
			assert.True(t, found, "want %s at %s, got %v", tt.code, tt.loc, ve.Issues)
			_, err = Compile(tt.spec, nil)
			assert.Error(t, err)
		})
	}
}

func TestValidateFindsEverythingAtOnce(t *testing.T) {
	s := oneObject(
		FieldMapping{HubSpot: "a", ConnectWise: "a", Transform: []Step{S("nope")}},
		FieldMapping{HubSpot: "b", ConnectWise: "b[", Direction: "x"},
		FieldMapping{HubSpot: "c", ConnectWise: "c", Property: &PropertyDef{Label: "C", Type: "enumeration", FieldType: "select"}},
	)
	err := Validate(s, nil)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.ElementsMatch(t, []string{CodeUnknownTransform, CodeDirection, CodeBadPath, CodePropertyOptions}, codes(ve.Issues))
	assert.Contains(t, err.Error(), "4 issue(s)")
	assert.Contains(t, err.Error(), `contacts.a: unknown transform "nope" [unknown_transform at objects[0].fields[0].transform[0]]`)
}

func TestPropertyNameRuleOverridable(t *testing.T) {
	s := oneObject(FieldMapping{HubSpot: "Legacy_Field", ConnectWise: "a", Property: &PropertyDef{Label: "x", Type: "string", FieldType: "text"}})
	require.Error(t, Validate(s, nil))
	require.NoError(t, Validate(s, &Options{PropertyName: regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)}))
}

func TestUniqueLimit(t *testing.T) {
	var fields []FieldMapping
	for i := 0; i < 11; i++ {
		name := string(rune('a'+i)) + "_id"
		fields = append(fields, FieldMapping{HubSpot: name, ConnectWise: name, Direction: ToHubSpot, Property: idProp(name)})
	}
	err := Validate(oneObject(fields...), nil)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{CodePropertyType}, codes(ve.Issues))
	assert.Equal(t, "objects[0].fields[10].property", ve.Issues[0].Location)
}

func liveSchema() *Schema {
	return &Schema{
		HubSpot: map[string][]HubSpotProperty{
			"contacts": {
				{Name: "email", Type: "string", FieldType: "text"},
				{Name: "firstname", Type: "string", FieldType: "text"},
				{Name: "hs_object_id", Type: "number", FieldType: "number", ReadOnlyValue: true},
				{Name: "num_employees", Type: "number", FieldType: "number"},
			},
		},
		HubSpotGroups: map[string][]string{"contacts": {"contactinformation"}},
		ConnectWise: map[string][]CustomField{
			"company/contacts": {{ID: 15, Caption: "hubspot_contact_id", Type: "Number"}, {ID: 16, Caption: "is_synced", Type: "Text"}},
		},
	}
}

func TestCheckAgainstLiveSchema(t *testing.T) {
	s := oneObject(
		FieldMapping{HubSpot: "email", ConnectWise: "communicationItems[communicationType=Email,defaultFlag=true]/value", Transform: []Step{S("email")}},
		FieldMapping{HubSpot: "firstname", ConnectWise: "firstName"},
		FieldMapping{HubSpot: "hs_object_id", ConnectWise: "customFields[caption=hubspot_contact_id]/value", Direction: ToHubSpot, Transform: []Step{S("number")}},
		FieldMapping{HubSpot: "num_employees", ConnectWise: "size"},
		FieldMapping{HubSpot: "cw_synced", ConnectWise: "customFields[id=16]/value", Property: &PropertyDef{Label: "Synced", Type: "string", FieldType: "text"}},
		FieldMapping{HubSpot: "cw_tier", ConnectWise: "customFields[caption=Tier]/value", Property: &PropertyDef{Label: "Tier", Type: "string", FieldType: "text", GroupName: "sales"}},
		FieldMapping{HubSpot: "nowhere", ConnectWise: "x"},
		FieldMapping{HubSpot: "cw_contact_hs", ConnectWise: "customFields[id=15]/value", Direction: ToConnectWise, Property: &PropertyDef{Label: "X", Type: "string", FieldType: "text"}},
	)
	is := Check(s, &Options{Schema: liveSchema()})
	type key struct{ code, field string }
	var got []key
	for _, i := range is {
		got = append(got, key{i.Code, i.Field})
	}
	assert.ElementsMatch(t, []key{
		{CodeReadOnly, "hs_object_id"},
		{CodeTypeMismatch, "num_employees"}, // untyped value into a number property
		{CodeWillCreate, "cw_synced"},
		{CodeWillCreate, "cw_tier"},
		{CodePropertyGroup, "cw_tier"}, // "sales" group neither declared nor live
		{CodeUnknownCustom, "cw_tier"},
		{CodeUnknownProperty, "nowhere"},
		{CodeWillCreate, "cw_contact_hs"},
		{CodeTypeMismatch, "cw_contact_hs"}, // writes untyped text into a Number custom field
	}, got)
	for _, i := range is {
		if i.Code == CodeWillCreate {
			assert.Equal(t, SeverityInfo, i.Severity)
		}
	}

	plan := PlanProperties(s, liveSchema())
	require.Len(t, plan.Properties, 3)
	assert.Equal(t, "cw_synced", plan.Properties[0].Property.Name)
	assert.Equal(t, GroupConnectWise, plan.Properties[0].Property.GroupName)
	assert.False(t, plan.Properties[0].Exists)
	require.Len(t, plan.Groups, 1)
	assert.Equal(t, PropertyGroup{Object: "contacts", Name: GroupConnectWise, Label: "ConnectWise"}, plan.Groups[0].Group)
	assert.Len(t, plan.Missing().Properties, 3)

	live := liveSchema()
	live.HubSpot["contacts"] = append(live.HubSpot["contacts"], HubSpotProperty{Name: "cw_synced", Type: "string"})
	live.HubSpotGroups["contacts"] = append(live.HubSpotGroups["contacts"], GroupConnectWise)
	plan = PlanProperties(s, live)
	assert.True(t, plan.Properties[0].Exists)
	assert.True(t, plan.Groups[0].Exists)
	missing := plan.Missing()
	assert.Len(t, missing.Properties, 2)
	assert.Empty(t, missing.Groups)
}

func TestKindFits(t *testing.T) {
	assert.True(t, kindFits(KindNumber, "string"))
	assert.True(t, kindFits(KindBool, "enumeration"))
	assert.False(t, kindFits(KindDate, "datetime"))
	assert.True(t, kindFits("custom", "date"))
	assert.True(t, kindFitsCustom(KindNumber, "Currency", true))
	assert.True(t, kindFitsCustom("", "Checkbox", false))
	assert.False(t, kindFitsCustom(KindString, "Date", true))
	assert.False(t, kindFitsCustom(KindDate, "Text", true))
	assert.True(t, kindFitsCustom(KindDate, "Text", false))
}

func TestCompiledPlanAndLookups(t *testing.T) {
	m, err := Compile(Default(), &Options{Schema: &Schema{}})
	require.NoError(t, err)
	assert.NotEmpty(t, m.PropertyPlan().Properties)
	assert.Nil(t, m.Object("nope"))

	lk := NewLookups()
	_, _, err = lk.Lookup("x", "1")
	assert.ErrorIs(t, err, ErrNoTable)
	_, _, err = lk.ReverseLookup("x", "1")
	assert.ErrorIs(t, err, ErrNoTable)
	var nilLk *Lookups
	assert.False(t, nilLk.InList("1", "2"))
	_, ok := nilLk.customFieldID("o", "c")
	assert.False(t, ok)
}

func TestEnumerationMapOptions(t *testing.T) {
	def := &PropertyDef{Label: "Tier", Type: "enumeration", FieldType: "select", Options: []PropertyOption{{Label: "Gold", Value: "gold"}}}
	s := oneObject(FieldMapping{HubSpot: "tier", ConnectWise: "tier", Direction: ToHubSpot, Property: def,
		Transform: []Step{S("trim"), {Name: "map", Values: map[string]string{"Gold": "gold", "Silver": "silver"}, Args: map[string]string{"default": "bronze"}}}})
	var ve *ValidationError
	require.ErrorAs(t, Validate(s, nil), &ve)
	require.Len(t, ve.Issues, 2)
	assert.Equal(t, "objects[0].fields[0].transform[1]", ve.Issues[0].Location)
	assert.Contains(t, ve.Issues[0].Message, `"silver"`)
	assert.Contains(t, ve.Issues[1].Message, `"bronze"`)
}

func TestObjectField(t *testing.T) {
	m, err := Compile(Default(), nil)
	require.NoError(t, err)
	f, ok := m.Object(ObjectDeals).Field("closedate")
	require.True(t, ok)
	assert.Equal(t, FieldInfo{HubSpot: "closedate", ConnectWise: "expectedCloseDate", Direction: Both, Kind: KindDatetime, Projected: true}, f)
	_, ok = m.Object(ObjectDeals).Field("nope")
	assert.False(t, ok)
}

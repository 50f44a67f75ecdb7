package mapping

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func contactSpec() *Spec {
	return &Spec{Objects: []ObjectMapping{{
		Name: "contacts", HubSpot: "contacts", ConnectWise: "company/contacts",
		Fields: []FieldMapping{
			{HubSpot: "cw_contact_id", ConnectWise: "id", Direction: ToHubSpot},
			{HubSpot: "firstname", ConnectWise: "firstName", Transform: []Step{S("trim")}},
			{HubSpot: "email", ConnectWise: "communicationItems[communicationType=Email,defaultFlag=true]/value", Transform: []Step{S("email")}},
			{HubSpot: "industry", ConnectWise: "customFields[caption=Industry]/value"},
			{HubSpot: "seats", ConnectWise: "customFields[id=17]/value", Transform: []Step{S("number")}},
			{HubSpot: "status", ConnectWise: "status/name"},
			{HubSpot: "status_id", ConnectWise: "status/id", Direction: ToHubSpot},
			{HubSpot: "renewal", ConnectWise: "renewalDate", Transform: []Step{S("date")}},
			{HubSpot: "vip", ConnectWise: "vipFlag", Transform: []Step{S("bool")}},
		},
	}}}
}

func compileOne(t *testing.T, s *Spec) *Object {
	t.Helper()
	m, err := Compile(s, nil)
	require.NoError(t, err)
	return m.Objects()[0]
}

const contactRecord = `{
  "id": 58118, "firstName": " Emma ", "vipFlag": true, "renewalDate": "2026-06-09T00:00:00Z",
  "status": {"id": 1, "name": "Active"},
  "communicationItems": [
    {"id": 1, "value": "+1661", "defaultFlag": true, "communicationType": "Phone"},
    {"id": 3, "value": "Emma@Test.com", "defaultFlag": true, "communicationType": "Email"}
  ],
  "customFields": [
    {"id": 15, "caption": "Industry", "type": "Text", "value": "Legal"},
    {"id": 17, "caption": "Seats", "type": "Number", "value": 12}
  ]
}`

func TestFromConnectWiseNumberForms(t *testing.T) {
	o := compileOne(t, contactSpec())
	want := Values{
		"cw_contact_id": "58118", "firstname": "Emma", "email": "emma@test.com", "industry": "Legal",
		"seats": "12", "status": "Active", "status_id": "1", "renewal": "1780963200000", "vip": "true",
	}
	for _, useNumber := range []bool{false, true} {
		v, err := o.FromConnectWise(decode(t, contactRecord, useNumber), nil)
		require.NoError(t, err)
		assert.Equal(t, want, v)
	}
}

func TestFromConnectWiseCollectsFieldErrors(t *testing.T) {
	o := compileOne(t, contactSpec())
	rec := decode(t, contactRecord, true)
	rec["renewalDate"] = "next " + strings.Repeat("week ", 40)
	rec["vipFlag"] = "perhaps"
	v, err := o.FromConnectWise(rec, nil)
	require.Error(t, err)
	var re RecordErrors
	require.True(t, errors.As(err, &re))
	require.Len(t, re, 2)
	assert.Equal(t, "Emma", v["firstname"], "good fields still map")
	assert.NotContains(t, v, "renewal")

	var fe *FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "contacts", fe.Object)
	assert.Equal(t, "58118", fe.RecordID)
	assert.Equal(t, "renewal", fe.Field)
	assert.Equal(t, "renewalDate", fe.Path)
	assert.LessOrEqual(t, len(fe.Value), maxErrValue+len("…"))
	assert.True(t, errors.Is(err, ErrInvalidValue))
	assert.Contains(t, err.Error(), `mapping: contacts record 58118 field renewal (renewalDate) value "next week week week week week we…": invalid value`)
	assert.Contains(t, err.Error(), "field vip (vipFlag)")

	// Non-scalar at the end of the chain.
	rec = decode(t, `{"status": {"name": {"nested": true}}}`, true)
	_, err = o.FromConnectWise(rec, nil)
	assert.ErrorContains(t, err, "not a scalar")
}

func TestFromHubSpotNormalises(t *testing.T) {
	o := compileOne(t, contactSpec())
	v, err := o.FromHubSpot(map[string]string{
		"hs_object_id": "901", "email": " Emma@Test.COM", "seats": "12.0", "renewal": "2026-06-09",
		"vip": "TRUE", "firstname": "", "unmapped": "x",
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, Values{"email": "emma@test.com", "seats": "12", "renewal": "1780963200000", "vip": "true"}, v)

	_, err = o.FromHubSpot(map[string]string{"hs_object_id": "901", "seats": "1,000", "renewal": "1780963200001"}, nil)
	var re RecordErrors
	require.ErrorAs(t, err, &re)
	require.Len(t, re, 2)
	assert.Equal(t, "901", re[0].RecordID)
}

func TestCreateBody(t *testing.T) {
	o := compileOne(t, contactSpec())
	lk := NewLookups()
	lk.SetCustomFields("company/contacts", map[string]int{"Industry": 15})
	v := Values{"hs_object_id": "901", "cw_contact_id": "1", "firstname": "Ann", "email": "Ann@B.com", "industry": "Retail",
		"seats": "7", "status": "Active", "status_id": "9", "renewal": "1780963200000", "vip": "false"}
	body, err := o.CreateBody(v, lk)
	require.NoError(t, err)
	b, _ := json.Marshal(body)
	assert.JSONEq(t, `{
	  "firstName": "Ann",
	  "communicationItems": [{"communicationType": "Email", "defaultFlag": true, "value": "ann@b.com"}],
	  "customFields": [{"id": 15, "value": "Retail"}, {"id": 17, "value": 7}],
	  "status": {"name": "Active"},
	  "renewalDate": "2026-06-09T00:00:00Z",
	  "vipFlag": false
	}`, string(b))

	// Without the caption's id the custom field fails, the rest still builds.
	body, err = o.CreateBody(v, nil)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "industry", fe.Field)
	assert.Equal(t, "901", fe.RecordID)
	assert.ErrorIs(t, err, ErrNotWritable)
	assert.Equal(t, "Ann", body["firstName"])
}

func TestPatch(t *testing.T) {
	o := compileOne(t, contactSpec())
	cur := decode(t, contactRecord, true)

	// Same values as the record: no operations at all (no echo writes).
	same, err := o.FromConnectWise(cur, nil)
	require.NoError(t, err)
	ops, err := o.Patch(same, cur, nil, nil)
	require.NoError(t, err)
	assert.Empty(t, ops)

	v := cloneValues(same)
	v["firstname"] = "Emma-Lou"
	v["email"] = "emma@new.com"
	v["industry"] = "Finance"
	v["seats"] = "12.00" // canonical equal: no op
	v["status"] = "Inactive"
	delete(v, "vip")
	ops, err = o.Patch(v, cur, nil, nil)
	require.NoError(t, err)
	b, _ := json.Marshal(ops)
	assert.JSONEq(t, `[
	  {"op":"replace","path":"/firstName","value":"Emma-Lou"},
	  {"op":"replace","path":"/communicationItems/1/value","value":"emma@new.com"},
	  {"op":"replace","path":"/status","value":{"name":"Inactive"}},
	  {"op":"replace","path":"/vipFlag","value":null},
	  {"op":"replace","path":"/customFields","value":[{"id":15,"value":"Finance"}]}
	]`, string(b))

	// Only the named fields.
	ops, err = o.Patch(v, cur, nil, []string{"firstname"})
	require.NoError(t, err)
	b, _ = json.Marshal(ops)
	assert.JSONEq(t, `[{"op":"replace","path":"/firstName","value":"Emma-Lou"},{"op":"replace","path":"/customFields","value":[]}]`, string(b))

	// Clearing the email removes the element; clearing the status nulls the reference.
	v = cloneValues(same)
	delete(v, "email")
	delete(v, "status")
	ops, err = o.Patch(v, cur, nil, nil)
	require.NoError(t, err)
	b, _ = json.Marshal(ops)
	assert.JSONEq(t, `[
	  {"op":"replace","path":"/status","value":null},
	  {"op":"remove","path":"/communicationItems/1"},
	  {"op":"replace","path":"/customFields","value":[]}
	]`, string(b))
}

func TestPatchAddsMissingElementAndBareCustomFields(t *testing.T) {
	s := contactSpec()
	s.Objects[0].BareCustomFieldsPatch = true
	s.Objects[0].Fields = append(s.Objects[0].Fields, FieldMapping{
		HubSpot: "email_ext", ConnectWise: "communicationItems[communicationType=Email,defaultFlag=true]/extension",
	})
	o := compileOne(t, s)
	cur := decode(t, `{"id": 7, "communicationItems": [{"id": 1, "value": "+1", "defaultFlag": true, "communicationType": "Phone"}], "customFields": [{"id": 15, "caption": "Industry"}]}`, true)
	ops, err := o.Patch(Values{"email": "a@b.co", "email_ext": "12"}, cur, nil, nil)
	require.NoError(t, err)
	b, _ := json.Marshal(ops)
	assert.JSONEq(t, `[{"op":"add","path":"/communicationItems/1","value":{"communicationType":"Email","defaultFlag":true,"value":"a@b.co","extension":"12"}}]`, string(b))

	// Custom field by caption resolved from the current record.
	ops, err = o.Patch(Values{"industry": "Legal"}, cur, nil, []string{"industry"})
	require.NoError(t, err)
	b, _ = json.Marshal(ops)
	assert.JSONEq(t, `[{"op":"replace","path":"/customFields","value":[{"id":15,"value":"Legal"}]}]`, string(b))

	// Unknown caption and no lookups: a field error, not a panic.
	_, err = o.Patch(Values{"industry": "Legal"}, map[string]any{"id": 8}, nil, nil)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "8", fe.RecordID)
}

func TestPatchWithoutForwardProjection(t *testing.T) {
	s := &Spec{Objects: []ObjectMapping{{
		Name: "contacts", HubSpot: "contacts", ConnectWise: "company/contacts",
		Fields: []FieldMapping{
			{HubSpot: "firstname", ConnectWise: "nickName", Direction: ToConnectWise, Transform: []Step{S("join", "properties", "lastname")}},
			{HubSpot: "lastname", ConnectWise: "lastName"},
			{HubSpot: "tags", ConnectWise: "types[0]", Direction: ToConnectWise},
		},
	}}}
	o := compileOne(t, s)
	v := Values{"firstname": "Ann", "lastname": "Lee", "tags": "x"}
	ops, err := o.Patch(v, map[string]any{"nickName": "Ann Lee", "lastName": "Lee", "types": []any{"y"}}, nil, nil)
	require.NoError(t, err)
	b, _ := json.Marshal(ops)
	assert.JSONEq(t, `[{"op":"replace","path":"/types/0","value":"x"}]`, string(b))
	got, err := o.FromConnectWise(map[string]any{"nickName": "Ann Lee", "lastName": "Lee"}, nil)
	require.NoError(t, err)
	assert.Equal(t, Values{"lastname": "Lee"}, got, "a field without forward projection is left out")
}

func TestDirectionsAndEnabled(t *testing.T) {
	s := contactSpec()
	s.Objects[0].Direction = ToHubSpot
	no := false
	s.Objects[0].Enabled = &no
	s.Objects[0].Fields[1].Direction = Off
	o := compileOne(t, s)
	assert.False(t, o.Enabled())
	assert.Equal(t, ToHubSpot, o.Direction())
	body, err := o.CreateBody(Values{"email": "a@b.co"}, nil)
	require.NoError(t, err)
	assert.Empty(t, body, "object direction toHubSpot overrides field directions")
	for _, f := range o.Fields() {
		assert.Equal(t, ToHubSpot, f.Direction, f.HubSpot)
		assert.NotEqual(t, "firstname", f.HubSpot)
	}
	assert.NotContains(t, o.Properties(), "firstname")
	assert.Equal(t, "contacts", o.HubSpotObject())
	assert.Equal(t, "company/contacts", o.ConnectWiseObject())

	for _, c := range []struct{ obj, field, want Direction }{
		{Both, "", Both}, {"", ToConnectWise, ToConnectWise}, {ToConnectWise, ToHubSpot, Off},
		{ToConnectWise, Both, ToConnectWise}, {Off, Both, Off}, {Both, Off, Off},
	} {
		assert.Equal(t, c.want, effective(c.obj, c.field), "%s/%s", c.obj, c.field)
	}
}

func TestPatchOpJSON(t *testing.T) {
	b, err := json.Marshal([]PatchOp{{Op: "remove", Path: "/a/1", Value: "ignored"}, {Op: "replace", Path: "/b"}})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"op":"remove","path":"/a/1"},{"op":"replace","path":"/b","value":null}]`, string(b))
}

func cloneValues(v Values) Values {
	out := make(Values, len(v))
	for k, s := range v {
		out[k] = s
	}
	return out
}

func TestPatchEscapesPointerTokens(t *testing.T) {
	o := compileOne(t, oneObject(
		FieldMapping{HubSpot: "a", ConnectWise: "odd~key"},
		FieldMapping{HubSpot: "b", ConnectWise: "items[kind=x]/sub~field"},
	))
	ops, err := o.Patch(Values{"a": "1", "b": "2"}, map[string]any{"items": []any{map[string]any{"kind": "x"}}}, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, []PatchOp{{Op: "replace", Path: "/odd~0key", Value: "1"}, {Op: "replace", Path: "/items/0/sub~0field", Value: "2"}}, ops)
}

func TestConnectWiseFieldsIncludesConcatPaths(t *testing.T) {
	o := compileOne(t, oneObject(
		FieldMapping{HubSpot: "full", ConnectWise: "firstName", Direction: ToHubSpot, Transform: []Step{S("concat", "paths", "lastName, company/name")}},
		FieldMapping{HubSpot: "off", ConnectWise: "ignored", Direction: Off},
	))
	assert.Equal(t, []string{"id", "firstName", "lastName", "company"}, o.ConnectWiseFields())
}

func TestHubSpotChanges(t *testing.T) {
	o := compileOne(t, contactSpec())
	v := Values{"cw_contact_id": "5", "firstname": "Ann", "email": "ann@b.co"}
	assert.Equal(t, map[string]string{"cw_contact_id": "5", "firstname": "Ann", "email": "ann@b.co"}, o.HubSpotChanges(v, nil, nil))
	cur := Values{"cw_contact_id": "5", "firstname": "Anne", "status": "Active"}
	assert.Equal(t, map[string]string{"firstname": "Ann", "email": "ann@b.co", "status": ""}, o.HubSpotChanges(v, cur, nil))
	assert.Equal(t, map[string]string{"email": "ann@b.co"}, o.HubSpotChanges(v, cur, []string{"email", "nope"}))
	assert.Empty(t, o.HubSpotChanges(cur, cur, nil))
}

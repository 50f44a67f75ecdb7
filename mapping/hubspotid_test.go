package mapping_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/mapping"
)

// dealsWithHubSpotID is Default with the HubSpot ID stored on opportunities.
func dealsWithHubSpotID(t *testing.T, caption string) (*mapping.Spec, *mapping.Object) {
	t.Helper()
	s := mapping.Default()
	require.NoError(t, s.StoreHubSpotID(mapping.ObjectDeals, caption))
	m, err := mapping.Compile(s, nil)
	require.NoError(t, err)
	return s, m.Object(mapping.ObjectDeals)
}

// liveDeals is a live schema where deals carry HubSpot's hs_object_id (a
// read-only number, payloads schema-deals-trimmed.json) and opportunities the
// given custom fields.
func liveDeals(cfs ...mapping.CustomField) *mapping.Schema {
	s := mapping.Default()
	var props []mapping.HubSpotProperty
	for _, f := range s.Object(mapping.ObjectDeals).Fields {
		p := mapping.HubSpotProperty{Name: f.HubSpot, Type: "string", GroupName: "dealinformation"}
		if f.Property != nil {
			p.Type = f.Property.Type
		}
		switch f.HubSpot {
		case "closedate":
			p.Type = "datetime"
		case "amount":
			p.Type = "number"
		case "dealstage", "pipeline", "hubspot_owner_id":
			p.Type = "enumeration"
		}
		props = append(props, p)
	}
	props = append(props, mapping.HubSpotProperty{Name: "hs_object_id", Type: "number", FieldType: "number", ReadOnlyValue: true})
	return &mapping.Schema{
		HubSpot:       map[string][]mapping.HubSpotProperty{"deals": props},
		HubSpotGroups: map[string][]string{"deals": {"dealinformation", mapping.GroupConnectWise}},
		ConnectWise:   map[string][]mapping.CustomField{"sales/opportunities": cfs},
	}
}

func TestStoreHubSpotIDValidates(t *testing.T) {
	s, deals := dealsWithHubSpotID(t, "HubSpot Deal ID")
	require.NoError(t, mapping.Validate(s, nil))
	f, ok := deals.Field(mapping.PropHubSpotID)
	require.True(t, ok)
	assert.Equal(t, mapping.FieldInfo{HubSpot: "hs_object_id", ConnectWise: "customFields[caption=HubSpot Deal ID]/value",
		Direction: mapping.ToConnectWise, Kind: mapping.KindNumber, Projected: true}, f)
	assert.Contains(t, deals.Properties(), "hs_object_id")
	for _, p := range mapping.PlanProperties(s, nil).Properties {
		assert.NotEqual(t, "hs_object_id", p.Property.Name, "HubSpot's own property: nothing to create")
	}

	for _, tc := range []struct {
		name string
		cf   []mapping.CustomField
		want []string
	}{
		{"text field", []mapping.CustomField{{ID: 31, Caption: "HubSpot Deal ID", Type: "Text"}}, nil},
		{"number field", []mapping.CustomField{{ID: 31, Caption: "HubSpot Deal ID", Type: "Number"}}, nil},
		{"missing field", []mapping.CustomField{{ID: 30, Caption: "hubspot_deal_id", Type: "Number"}}, []string{mapping.CodeUnknownCustom}},
		{"date field", []mapping.CustomField{{ID: 31, Caption: "HubSpot Deal ID", Type: "Date"}}, []string{mapping.CodeTypeMismatch}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, is := range mapping.Check(s, &mapping.Options{Schema: liveDeals(tc.cf...)}) {
				if is.Field == "hs_object_id" {
					got = append(got, is.Code)
				}
			}
			assert.Equal(t, tc.want, got, "hs_object_id is read-only in HubSpot, but this field never writes it")
		})
	}
}

func TestStoreHubSpotIDReplacesAndRefuses(t *testing.T) {
	s := mapping.Default()
	require.NoError(t, s.StoreHubSpotID(mapping.ObjectDeals, "Old caption"))
	n := len(s.Object(mapping.ObjectDeals).Fields)
	require.NoError(t, s.StoreHubSpotID(mapping.ObjectDeals, "hubspot_deal_id"))
	assert.Len(t, s.Object(mapping.ObjectDeals).Fields, n, "a second call moves the field, it does not add one")
	assert.Equal(t, "customFields[caption=hubspot_deal_id]/value", s.Object(mapping.ObjectDeals).Field("hs_object_id").ConnectWise)

	err := s.StoreHubSpotID("tickets", "HubSpot ID")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `no object mapping "tickets"`)

	for _, caption := range []string{"", " HubSpot ID", "HubSpot ID ", "A caption longer than 25 chars",
		"a]b", "a,b", "a=b", "O'Brien", `say "id"`, "a[b"} {
		err := s.StoreHubSpotID(mapping.ObjectDeals, caption)
		require.ErrorIs(t, err, mapping.ErrCaption, "%q", caption)
		assert.Contains(t, err.Error(), "store HubSpot ID on deals")
	}
	assert.NoError(t, mapping.CheckCaption("Ünïcödé captions are fine"), "25 runes, more bytes")
	assert.Equal(t, "customFields[caption=hubspot_deal_id]/value", s.Object(mapping.ObjectDeals).Field("hs_object_id").ConnectWise,
		"a refused call changes nothing")
}

func TestHubSpotIDFieldWrites(t *testing.T) {
	_, deals := dealsWithHubSpotID(t, "HubSpot Deal ID")
	lk := mapping.NewLookups()
	lk.SetCustomFields("sales/opportunities", map[string]int{"HubSpot Deal ID": 31})
	v := mapping.Values{"hs_object_id": "18200391", "dealname": "Firewall refresh"}

	body, err := deals.CreateBody(v, lk)
	require.NoError(t, err)
	assert.Equal(t, []any{map[string]any{"id": 31, "value": "18200391"}}, body["customFields"])

	// Without the custom field's id the create fails by name, not silently.
	_, err = deals.CreateBody(v, nil)
	var fe *mapping.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "hs_object_id", fe.Field)
	assert.ErrorIs(t, err, mapping.ErrNotWritable)

	// The record as ConnectWise returns it: the field defined but empty.
	cur := map[string]any{"id": json.Number("1000"), "name": "Firewall refresh", "customFields": []any{
		map[string]any{"id": json.Number("31"), "caption": "HubSpot Deal ID", "type": "Text", "value": nil}}}
	ops, err := deals.Patch(v, cur, lk, nil)
	require.NoError(t, err)
	require.Len(t, ops, 1)
	assert.Equal(t, `{"op":"replace","path":"/customFields","value":[{"id":31,"value":"18200391"}]}`, jsonOf(t, ops[0]))

	// Filled (as text or as a number): nothing to write, in either direction.
	for _, stored := range []any{"18200391", float64(18200391), json.Number("18200391")} {
		cur["customFields"].([]any)[0].(map[string]any)["value"] = stored
		ops, err = deals.Patch(v, cur, lk, nil)
		require.NoError(t, err)
		assert.Empty(t, ops, "%T", stored)
		got, err := deals.FromConnectWise(cur, nil)
		require.NoError(t, err)
		assert.Equal(t, "18200391", got["hs_object_id"], "%T", stored)
	}
	assert.NotContains(t, deals.HubSpotChanges(mapping.Values{"hs_object_id": "1"}, mapping.Values{}, nil), "hs_object_id",
		"toward ConnectWise only: HubSpot's read-only ID is never written")
}

// A Number custom field gets a JSON number when the transform says so.
func TestHubSpotIDFieldNumber(t *testing.T) {
	f := mapping.HubSpotIDField("hubspot_deal_id")
	f.Transform = []mapping.Step{mapping.S("number")}
	s := &mapping.Spec{Objects: []mapping.ObjectMapping{{Name: "deals", HubSpot: "deals", ConnectWise: "sales/opportunities",
		Fields: []mapping.FieldMapping{f}}}}
	m, err := mapping.Compile(s, nil)
	require.NoError(t, err)
	lk := mapping.NewLookups()
	lk.SetCustomFields("sales/opportunities", map[string]int{"hubspot_deal_id": 30})
	body, err := m.Object("deals").CreateBody(mapping.Values{"hs_object_id": "18200391"}, lk)
	require.NoError(t, err)
	assert.Equal(t, `{"customFields":[{"id":30,"value":18200391}]}`, jsonOf(t, body))
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// Store the HubSpot ID of deals in a ConnectWise custom field, so that the
// engine can create HubSpot-born deals in ConnectWise and find them again
// after a crash. The custom field "HubSpot Deal ID" (Text, on the
// Opportunity screen) must exist in the tenant; the engine reads its id.
func ExampleSpec_StoreHubSpotID() {
	spec := mapping.Default()
	if err := spec.StoreHubSpotID(mapping.ObjectDeals, "HubSpot Deal ID"); err != nil {
		panic(err)
	}
	m, err := mapping.Compile(spec, nil)
	if err != nil {
		panic(err)
	}
	deals := m.Object(mapping.ObjectDeals)
	f, _ := deals.Field(mapping.PropHubSpotID)
	fmt.Println(f.ConnectWise, f.Direction)

	lk := mapping.NewLookups()
	lk.SetCustomFields("sales/opportunities", map[string]int{"HubSpot Deal ID": 31})
	body, err := deals.CreateBody(mapping.Values{"hs_object_id": "18200391", "dealname": "Firewall refresh"}, lk)
	if err != nil {
		panic(err)
	}
	printJSON(body)
	// Output:
	// customFields[caption=HubSpot Deal ID]/value toConnectWise
	// {"customFields":[{"id":31,"value":"18200391"}],"name":"Firewall refresh"}
}

// The YAML form in the package documentation loads as HubSpotIDField.
func TestHubSpotIDFieldYAML(t *testing.T) {
	s, err := mapping.LoadYAML("deals.yaml", []byte(`
objects:
  - name: deals
    hubspot: deals
    connectwise: sales/opportunities
    fields:
      - hubspot: hs_object_id
        connectwise: customFields[caption=HubSpot Deal ID]/value
        direction: toConnectWise
        transform: [{name: number, args: {cw: string}}]
`))
	require.NoError(t, err)
	assert.Equal(t, mapping.HubSpotIDField("HubSpot Deal ID"), s.Objects[0].Fields[0])
}

package mapping_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hubwise/hubwise/mapping"
)

func mustDecode(s string) map[string]any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		panic(err)
	}
	return m
}

func printJSON(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

// The default contact mapping projects a ConnectWise contact into HubSpot
// properties.
func ExampleDefault() {
	m, err := mapping.Compile(mapping.Default(), nil)
	if err != nil {
		panic(err)
	}
	contacts := m.Object(mapping.ObjectContacts)
	rec := mustDecode(`{"id": 58118, "firstName": "Emma ", "lastName": "Diaz",
	  "communicationItems": [
	    {"value": "+1 661 555 55", "defaultFlag": true, "communicationType": "Phone"},
	    {"value": "Emma@Test.com", "defaultFlag": true, "communicationType": "Email"}]}`)
	v, err := contacts.FromConnectWise(rec, nil)
	if err != nil {
		panic(err)
	}
	printJSON(v)
	// Output:
	// {"cw_contact_id":"58118","email":"emma@test.com","firstname":"Emma","lastname":"Diaz","phone":"+166155555"}
}

// A spec built in Go: a picklist mapped both ways and a date read in the
// ConnectWise server's time zone.
func ExampleCompile() {
	spec := &mapping.Spec{Objects: []mapping.ObjectMapping{{
		Name: "companies", HubSpot: "companies", ConnectWise: "company/companies",
		Fields: []mapping.FieldMapping{
			{HubSpot: "cw_status", ConnectWise: "status/name", Transform: []mapping.Step{{
				Name: "map", Values: map[string]string{"Active": "active", "Not-Approved": "on_hold"},
			}}},
			{HubSpot: "cw_acquired", ConnectWise: "dateAcquired", Transform: []mapping.Step{
				mapping.S("date", "zone", "America/New_York"),
			}},
		},
	}}}
	m, err := mapping.Compile(spec, nil)
	if err != nil {
		panic(err)
	}
	companies := m.Object("companies")
	v, _ := companies.FromConnectWise(mustDecode(`{"status": {"name": "Active"}, "dateAcquired": "2006-06-21T04:00:00Z"}`), nil)
	printJSON(v)
	body, _ := companies.CreateBody(mapping.Values{"cw_status": "on_hold", "cw_acquired": "1150848000000"}, nil)
	printJSON(body)
	// Output:
	// {"cw_acquired":"1150848000000","cw_status":"active"}
	// {"dateAcquired":"2006-06-21T04:00:00Z","status":{"name":"Not-Approved"}}
}

// Patch emits operations only for fields whose values differ, with custom
// fields in one "/customFields" operation.
func ExampleObject_Patch() {
	spec := &mapping.Spec{Objects: []mapping.ObjectMapping{{
		Name: "contacts", HubSpot: "contacts", ConnectWise: "company/contacts",
		Fields: []mapping.FieldMapping{
			{HubSpot: "firstname", ConnectWise: "firstName"},
			{HubSpot: "email", ConnectWise: "communicationItems[communicationType=Email,defaultFlag=true]/value", Transform: []mapping.Step{mapping.S("email")}},
			{HubSpot: "industry", ConnectWise: "customFields[caption=Industry]/value"},
		},
	}}}
	m, _ := mapping.Compile(spec, nil)
	current := mustDecode(`{"id": 7, "firstName": "Ann",
	  "communicationItems": [{"id": 1, "value": "ann@old.com", "defaultFlag": true, "communicationType": "Email"}],
	  "customFields": [{"id": 15, "caption": "Industry", "value": "Legal"}]}`)
	ops, _ := m.Object("contacts").Patch(mapping.Values{"firstname": "Ann", "email": "Ann@New.com", "industry": "Retail"}, current, nil, nil)
	printJSON(ops)
	// Output:
	// [{"op":"replace","path":"/communicationItems/0/value","value":"ann@new.com"},{"op":"replace","path":"/customFields","value":[{"id":15,"value":"Retail"}]}]
}

// Reference lookups come from tables the engine supplies at run time.
func ExampleLookups() {
	m, _ := mapping.Compile(mapping.Default(), nil)
	deals := m.Object(mapping.ObjectDeals)
	lk := mapping.NewLookups()
	lk.SetTable(mapping.TableOwners, map[string]string{"176": "41629779"})
	lk.SetTable(mapping.TableDealStages, map[string]string{"4": "contractsent"})
	v, _ := deals.FromConnectWise(mustDecode(`{"id": 4107, "name": "Renewal", "stage": {"id": 4},
	  "primarySalesRep": {"id": 176}, "forecast": {"forecastRevenueTotals": {"revenue": 41250.50}}}`), lk)
	printJSON(v)
	// Output:
	// {"amount":"41250.5","cw_opportunity_id":"4107","dealname":"Renewal","dealstage":"contractsent","hubspot_owner_id":"41629779","pipeline":"default"}
}

// Errors name the record and the field; one bad field does not hide others.
func ExampleFieldError() {
	m, _ := mapping.Compile(mapping.Default(), nil)
	contacts := m.Object(mapping.ObjectContacts)
	v, err := contacts.FromConnectWise(mustDecode(`{"id": 9, "firstName": "Bo",
	  "communicationItems": [{"value": "not-an-email", "defaultFlag": true, "communicationType": "Email"}]}`), nil)
	fmt.Println(v["firstname"])
	var fe *mapping.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.RecordID, fe.Field, errors.Is(err, mapping.ErrInvalidValue))
	}
	fmt.Println(err)
	// Output:
	// Bo
	// 9 email true
	// mapping: contacts record 9 field email (communicationItems[communicationType=Email,defaultFlag=true]/value) value "not-an-email": invalid value: not an email address
}

// Specs load from YAML (or JSON); validation issues carry file and line.
func ExampleLoad() {
	src := []byte(`objects:
  - name: contacts
    hubspot: contacts
    connectwise: company/contacts
    fields:
      - hubspot: firstname
        connectwise: firstName
        transform: [trim, shout]
`)
	spec, err := mapping.Load("contacts.yaml", src)
	if err != nil {
		panic(err)
	}
	err = mapping.Validate(spec, nil)
	var ve *mapping.ValidationError
	if errors.As(err, &ve) {
		for _, i := range ve.Issues {
			fmt.Println(i)
		}
	}
	// Output:
	// contacts.yaml:8: contacts.firstname: unknown transform "shout" [unknown_transform at objects[0].fields[0].transform[1]]
}

// Filters select records per direction; list membership comes as data.
func ExampleFilter() {
	spec := &mapping.Spec{Objects: []mapping.ObjectMapping{{
		Name: "deals", HubSpot: "deals", ConnectWise: "sales/opportunities",
		Fields: []mapping.FieldMapping{{HubSpot: "dealname", ConnectWise: "name"}},
		Filters: mapping.Filters{
			ToHubSpot:     &mapping.Filter{Path: "status/name", Op: mapping.Ne, Value: "Lost"},
			ToConnectWise: &mapping.Filter{Or: []mapping.Filter{{InList: "42"}, mapping.Where("dealstage", mapping.In, "contractsent", "closedwon")}},
		},
	}}}
	m, _ := mapping.Compile(spec, nil)
	deals := m.Object("deals")
	lk := mapping.NewLookups()
	lk.SetListMembers("42", []string{"901"})
	lost, _ := deals.SelectConnectWise(mustDecode(`{"status": {"name": "Lost"}}`), lk)
	inList, _ := deals.SelectHubSpot(map[string]string{"hs_object_id": "901"}, lk)
	early, _ := deals.SelectHubSpot(map[string]string{"hs_object_id": "902", "dealstage": "qualifiedtobuy"}, lk)
	fmt.Println(lost, inList, early)
	// Output:
	// false true false
}

// User transforms are registered by name.
func ExampleRegistry_Register() {
	reg := mapping.NewRegistry()
	_ = reg.Register("sku", func(st mapping.Step) (*mapping.Transform, error) {
		prefix := st.Args["prefix"]
		return &mapping.Transform{
			ToHubSpot: func(v any, _ *mapping.Env) (any, error) {
				s, _ := v.(string)
				return prefix + s, nil
			},
			ToConnectWise: func(v any, _ *mapping.Env) (any, error) {
				s, _ := v.(string)
				return strings.TrimPrefix(s, prefix), nil
			},
			Reversible: true,
		}, nil
	})
	spec := &mapping.Spec{Objects: []mapping.ObjectMapping{{
		Name: "products", HubSpot: "products", ConnectWise: "procurement/catalog",
		Fields: []mapping.FieldMapping{{HubSpot: "hs_sku", ConnectWise: "identifier", Transform: []mapping.Step{mapping.S("sku", "prefix", "CW-")}}},
	}}}
	m, err := mapping.Compile(spec, &mapping.Options{Registry: reg})
	if err != nil {
		panic(err)
	}
	v, _ := m.Object("products").FromConnectWise(map[string]any{"identifier": "ABC"}, nil)
	fmt.Println(v["hs_sku"])
	// Output:
	// CW-ABC
}

// The property plan lists the HubSpot groups and properties a spec needs;
// against a live schema, Missing keeps what must still be created.
func ExamplePlanProperties() {
	live := &mapping.Schema{
		HubSpot:       map[string][]mapping.HubSpotProperty{"contacts": {{Name: mapping.PropCWContactID, Type: "string"}}},
		HubSpotGroups: map[string][]string{"contacts": {mapping.GroupConnectWise}},
	}
	plan := mapping.PlanProperties(mapping.Default(), live).Missing()
	for _, g := range plan.Groups {
		fmt.Println("group", g.Group.Object, g.Group.Name)
	}
	for _, p := range plan.Properties {
		fmt.Println("property", p.Object, p.Property.Name, p.Property.HasUniqueValue)
	}
	// Output:
	// group companies connectwise
	// group deals connectwise
	// property companies cw_company_id true
	// property companies cw_company_identifier true
	// property companies cw_company_status false
	// property companies cw_company_type false
	// property deals cw_opportunity_id true
	// property deals cw_opportunity_status false
}

// HubSpotChanges gives the properties to write toward HubSpot; "" clears.
func ExampleObject_HubSpotChanges() {
	m, _ := mapping.Compile(mapping.Default(), nil)
	contacts := m.Object(mapping.ObjectContacts)
	fromCW, _ := contacts.FromConnectWise(mustDecode(`{"id": 5, "firstName": "Ann", "title": "CTO"}`), nil)
	fromHS, _ := contacts.FromHubSpot(map[string]string{"cw_contact_id": "5", "firstname": "Ann", "jobtitle": "CEO", "city": "Oslo"}, nil)
	printJSON(contacts.HubSpotChanges(fromCW, fromHS, nil))
	// Output:
	// {"city":"","jobtitle":"CTO"}
}

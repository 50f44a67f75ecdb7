package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

// A sync job keys HubSpot companies on a unique property holding the ConnectWise id,
// so that writing them again can never create duplicates.
func ExamplePropertiesService_EnsureProperty() {
	fake := hubspottest.New(hubspottest.Options{})
	defer fake.Close()
	hs := fake.Client()
	ctx := context.Background()

	want := &hubspot.PropertyCreate{
		Name: "cw_company_id", Label: "ConnectWise company ID", GroupName: "companyinformation",
		Type: hubspot.PropertyTypeString, FieldType: hubspot.FieldTypeText, HasUniqueValue: true,
	}
	_, outcome, err := hs.Properties.EnsureProperty(ctx, hubspot.ObjectCompanies, want)
	fmt.Println(outcome, err)
	_, outcome, err = hs.Properties.EnsureProperty(ctx, hubspot.ObjectCompanies, want)
	fmt.Println(outcome, err)

	changed := *want
	changed.Label = "CW id"
	_, outcome, err = hs.Properties.EnsureProperty(ctx, hubspot.ObjectCompanies, &changed)
	fmt.Println(outcome, errors.Is(err, hubspot.ErrDrift))
	// Output:
	// created <nil>
	// unchanged <nil>
	// drift true
}

// BatchUpsert takes any number of inputs, sends them 100 per request and reports
// which records were created and which updated.
func ExampleObjectsService_BatchUpsert() {
	fake := hubspottest.New(hubspottest.Options{})
	defer fake.Close()
	hs := fake.Client()
	ctx := context.Background()
	_, _, err := hs.Properties.EnsureProperty(ctx, hubspot.ObjectCompanies, &hubspot.PropertyCreate{
		Name: "cw_company_id", Label: "ConnectWise company ID", GroupName: "companyinformation",
		Type: hubspot.PropertyTypeString, FieldType: hubspot.FieldTypeText, HasUniqueValue: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	inputs := make([]hubspot.BatchUpsertInput, 250)
	for i := range inputs {
		inputs[i] = hubspot.BatchUpsertInput{
			ID: strconv.Itoa(1000 + i), IDProperty: "cw_company_id",
			Properties: map[string]string{"name": fmt.Sprintf("Company %d", i)},
		}
	}
	results, _, err := hs.Companies.BatchUpsert(ctx, inputs)
	created := 0
	for _, r := range results {
		if r.New {
			created++
		}
	}
	fmt.Println(len(results), created, err)

	// Again: every record exists now, so all are updates.
	results, _, _ = hs.Companies.BatchUpsert(ctx, inputs[:3])
	for _, r := range results {
		fmt.Println(r.Get("cw_company_id"), r.New)
	}
	// Output:
	// 250 250 <nil>
	// 1000 false
	// 1001 false
	// 1002 false
}

// A failed input of a batch is reported by its index while the others land.
func ExampleBatchError() {
	fake := hubspottest.New(hubspottest.Options{})
	defer fake.Close()
	hs := fake.Client()
	ctx := context.Background()

	_, _, _ = hs.Contacts.Create(ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "taken@example.com"}})
	created, _, err := hs.Contacts.BatchCreate(ctx, []hubspot.BatchCreateInput{
		{Properties: map[string]string{"email": "new@example.com"}},
		{Properties: map[string]string{"email": "taken@example.com"}},
	})
	fmt.Println(len(created), "created")
	var be *hubspot.BatchError
	if errors.As(err, &be) {
		for _, f := range be.Failures {
			var ae *hubspot.APIError
			errors.As(f.Err, &ae)
			fmt.Println("input", f.Index, ae.Category, errors.Is(f.Err, hubspot.ErrConflict))
		}
	}
	// Output:
	// 1 created
	// input 1 CONFLICT true
}

// SearchIter yields every match in hs_object_id order, past the 10,000-result cap.
func ExampleObjectsService_SearchIter() {
	fake := hubspottest.New(hubspottest.Options{})
	defer fake.Close()
	hs := fake.Client()
	ctx := context.Background()
	for _, e := range []string{"a@acme.example", "b@other.example", "c@acme.example"} {
		_, _, _ = hs.Contacts.Create(ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": e}})
	}
	req := &hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{hubspot.And(hubspot.ContainsToken("email", "*@acme.example"))},
		Properties:   []string{"email"},
	}
	for c, err := range hs.Contacts.SearchIter(ctx, req) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(c.Get("email"))
	}
	// Output:
	// a@acme.example
	// c@acme.example
}

// A 404 unwraps to ErrNotFound.
func ExampleObjectsService_Get() {
	fake := hubspottest.New(hubspottest.Options{})
	defer fake.Close()
	hs := fake.Client()
	ctx := context.Background()
	_, _, _ = hs.Contacts.Create(ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "jane@example.com", "firstname": "Jane"}})

	c, _, err := hs.Contacts.Get(ctx, "jane@example.com", &hubspot.GetOptions{IDProperty: "email", Properties: []string{"firstname"}})
	fmt.Println(c.Get("firstname"), err)
	_, _, err = hs.Contacts.Get(ctx, "nobody@example.com", &hubspot.GetOptions{IDProperty: "email"})
	fmt.Println(errors.Is(err, hubspot.ErrNotFound))
	// Output:
	// Jane <nil>
	// true
}

// A webhook endpoint verifies HubSpot's v3 signature, drops redeliveries and queues
// the events.
func ExampleNewWebhookHandler() {
	secret := "app-client-secret"
	verifier := &hubspot.WebhookVerifier{ClientSecret: secret, PublicURL: "https://hooks.example.com"}
	h := hubspot.NewWebhookHandler(verifier, func(ctx context.Context, events []hubspot.Event) error {
		for _, e := range events {
			fmt.Println(e.Kind(), e.RecordID(), e.PropertyName, e.PropertyValue)
		}
		return nil
	}, nil)

	body := `[{"eventId":1,"subscriptionType":"contact.propertyChange","objectId":51,"propertyName":"email","propertyValue":"a@b.example","occurredAt":1759392000000}]`
	for range 2 { // HubSpot delivers at least once
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		r := httptest.NewRequest(http.MethodPost, "/hubspot/events", strings.NewReader(body))
		r.Header.Set(hubspot.HeaderRequestTimestamp, ts)
		r.Header.Set(hubspot.HeaderSignatureV3, hubspot.SignV3(secret, http.MethodPost, "https://hooks.example.com/hubspot/events", []byte(body), ts))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code)
	}
	// Output:
	// propertyChange 51 email a@b.example
	// 204
	// 204
}

// Values are strings on the wire; the helpers convert them.
func ExampleFormatDate() {
	s, err := hubspot.FormatDate(time.Date(2026, 9, 8, 0, 0, 0, 0, time.UTC))
	fmt.Println(s, err)
	d, _ := hubspot.ParseDate("2026-09-08")
	fmt.Println(d.Format(time.DateOnly))
	_, err = hubspot.FormatDate(time.Date(2026, 9, 8, 9, 30, 0, 0, time.UTC))
	fmt.Println(errors.Is(err, hubspot.ErrNotMidnightUTC))
	// Output:
	// 1788825600000 <nil>
	// 2026-09-08
	// true
}

// A contact's companies, read one record at a time with the types linking them
// (the Primary label comes with the unlabelled default).
func ExampleAssociationsService_ListIter() {
	fake := hubspottest.New(hubspottest.Options{})
	defer fake.Close()
	hs := fake.Client()
	ctx := context.Background()
	contact, _ := fake.CreateRecord("contacts", map[string]string{"email": "ann@acme.example"})
	company, _ := fake.CreateRecord("companies", map[string]string{"name": "Acme"})

	_, _, err := hs.Associations.Create(ctx, hubspot.ObjectContacts, contact, hubspot.ObjectCompanies, company,
		[]hubspot.AssociationSpec{hubspot.DefinedType(hubspot.ContactToCompanyPrimary)})
	if err != nil {
		fmt.Println(err)
		return
	}
	for a, err := range hs.Associations.ListIter(ctx, hubspot.ObjectContacts, contact, hubspot.ObjectCompanies, nil) {
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, t := range a.Types {
			fmt.Println(a.ID == company, t.TypeID, t.Label)
		}
	}
	// Output:
	// true 1 Primary
	// true 279
}

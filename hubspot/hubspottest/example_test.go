package hubspottest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

// A fake with a seeded contact, read back through the real client.
func Example() {
	s := hubspottest.New(hubspottest.Options{})
	defer s.Close()
	id, err := s.CreateRecord("contacts", map[string]string{"email": "ada@example.com", "firstname": "Ada"})
	if err != nil {
		panic(err)
	}
	c := s.Client()
	contact, _, err := c.Contacts.Get(context.Background(), id, &hubspot.GetOptions{Properties: []string{"firstname", "email"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(contact.ID, contact.Properties["firstname"], contact.Properties["email"])
	fmt.Println("calls:", s.CountOp(hubspottest.OpGet))
	// Output:
	// 100000000001 Ada ada@example.com
	// calls: 1
}

// Raw HTTP works too: the fake serves the date-based and the legacy paths.
func ExampleServer_URL() {
	s := hubspottest.New(hubspottest.Options{Token: "pat-na1-example"})
	defer s.Close()
	body := `{"inputs":[{"id":"grace@example.com","idProperty":"email","properties":{"firstname":"Grace"}}]}`
	for _, path := range []string{"/crm/objects/2026-09/contacts/batch/upsert", "/crm/v3/objects/contacts/batch/upsert"} {
		req, _ := http.NewRequest("POST", s.URL()+path, bytes.NewBufferString(body))
		req.Header.Set("Authorization", "Bearer pat-na1-example")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		_ = res.Body.Close()
		fmt.Println(res.StatusCode, path)
	}
	fmt.Println("contacts:", s.RecordCount("contacts"), "upserts:", s.CountOp(hubspottest.OpBatchUpsert))
	// Output:
	// 200 /crm/objects/2026-09/contacts/batch/upsert
	// 200 /crm/v3/objects/contacts/batch/upsert
	// contacts: 1 upserts: 2
}

// Faults are injected per operation for the next N calls.
func ExampleServer_InjectOp() {
	s := hubspottest.New(hubspottest.Options{})
	defer s.Close()
	s.InjectOp(hubspottest.OpList, 1, hubspottest.Fault{Status: 503})
	for range 2 {
		req, _ := http.NewRequest("GET", s.URL()+"/crm/v3/objects/deals", nil)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		_ = res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	// Output:
	// 503
	// 200
}

// Webhook events are delivered with valid v3 and v1 signatures.
func ExampleServer_Deliver() {
	s := hubspottest.New(hubspottest.Options{OAuth: hubspottest.OAuthOptions{ClientSecret: "app-secret"}})
	defer s.Close()
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		uri := "http://" + r.Host + r.URL.RequestURI()
		ts := r.Header.Get("X-HubSpot-Request-Timestamp")
		ok := r.Header.Get("X-HubSpot-Signature-v3") == hubspottest.SignatureV3("app-secret", r.Method, uri, body, ts)
		fmt.Println("signature valid:", ok)
	}))
	defer hook.Close()
	id, _ := s.CreateRecord("deals", map[string]string{"dealname": "Renewal"})
	events := s.TakeEvents()
	fmt.Println(events[0].SubscriptionType, events[0].ObjectID == 100000000001, id)
	if err := s.Deliver(context.Background(), hook.URL+"/hubspot/webhooks", events); err != nil {
		panic(err)
	}
	// Output:
	// deal.creation true 100000000001
	// signature valid: true
}

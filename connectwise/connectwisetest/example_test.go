package connectwisetest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
)

// A fake tenant with one company, read through the real client.
func ExampleServer_Client() {
	s := connectwisetest.New(connectwisetest.Options{})
	defer s.Close()
	if _, err := s.Create(connectwisetest.Companies, map[string]any{
		"identifier": "Acme", "name": "Acme Inc", "city": "Plano", "status": map[string]any{"name": "Active"},
	}); err != nil {
		panic(err)
	}

	cw := s.Client()
	ctx := context.Background()
	cos, _, err := cw.Companies.List(ctx, &connectwise.ListOptions{Conditions: connectwise.Eq("identifier", "acme")})
	if err != nil {
		panic(err)
	}
	for _, co := range cos {
		fmt.Println(co.ID, *co.Name, *co.Status.Name)
	}
	// Output: 250 Acme Inc Active
}

// Validation errors come back as the API sends them.
func ExampleServer_Create() {
	s := connectwisetest.New(connectwisetest.Options{})
	defer s.Close()
	_, err := s.Create(connectwisetest.Contacts, map[string]any{"lastName": "Lee"})
	fmt.Println(err)
	// Output: InvalidObject: contact object is invalid (firstName: MissingRequiredField: The firstName field is required.)
}

// ParseConditions reads the condition language; Eval applies it to a record.
func ExampleParseConditions() {
	e, err := connectwisetest.ParseConditions(`name LIKE 'O''Brien%' AND (status/id = 1 OR lastUpdated > [2026-01-01T00:00:00Z])`)
	if err != nil {
		panic(err)
	}
	fmt.Println(e)
	rec := map[string]any{"name": "O'Brien & Sons", "status": map[string]any{"id": 1.0}}
	fmt.Println(connectwisetest.Eval(e, rec))

	_, err = connectwisetest.ParseConditions(`name = Acme`)
	fmt.Println(err)
	// Output:
	// (name like "O'Brien%" and (status/id = 1 or lastUpdated > [2026-01-01T00:00:00Z]))
	// true
	// ApiFindCondition: Acme is not a recognized name.
}

// Quote writes a string literal with the escaping rule the fake implements.
func ExampleQuote() {
	fmt.Println(connectwisetest.Quote(`say "hi" \o/`))
	// Output: "say \"hi\" \\o/"
}

// Throttling: the next call gets 429 with Retry-After, as the cloud edge sends it.
func ExampleServer_ThrottleNext() {
	s := connectwisetest.New(connectwisetest.Options{})
	defer s.Close()
	s.ThrottleNext(connectwisetest.Route("GET", "system/info"), 1, 5, true)

	cr := s.Credentials()
	req, _ := http.NewRequest("GET", s.BaseURL()+"/system/info", nil)
	req.SetBasicAuth(cr.CompanyID+"+"+cr.PublicKey, cr.PrivateKey)
	req.Header.Set("clientId", cr.ClientID)
	for range 2 {
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		fmt.Println(res.StatusCode, res.Header.Get("Retry-After"))
	}
	// Output:
	// 429 5
	// 200
}

// Callbacks registered on the fake are delivered, signed, for every write.
func ExampleServer_Deliveries() {
	s := connectwisetest.New(connectwisetest.Options{})
	defer s.Close()
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var env struct{ Action, Type string }
		_ = json.Unmarshal(b, &env)
		fmt.Println(env.Action, env.Type, r.URL.RawQuery, r.Header.Get("x-content-signature") == s.Sign(b))
	}))
	defer hook.Close()

	if _, err := s.Create(connectwisetest.Callbacks, map[string]any{"url": hook.URL + "/cw?recordId=", "type": "company", "level": "owner"}); err != nil {
		panic(err)
	}
	if _, err := s.Create(connectwisetest.Companies, map[string]any{"identifier": "Acme", "name": "Acme", "zip": "75024"}); err != nil {
		panic(err)
	}
	s.WaitCallbacks()
	fmt.Println(len(s.Deliveries()))
	// Output:
	// added company recordId=250 true
	// 1
}

// A create that happens on the server while its answer is lost: how a sync
// proves it looks the record up again instead of creating a duplicate.
func ExampleServer_Inject() {
	s := connectwisetest.New(connectwisetest.Options{})
	defer s.Close()
	s.Inject(connectwisetest.Route("POST", "company/companies"), 1, connectwisetest.Fault{Status: 502, AfterHandler: true})

	cw := s.Client(connectwise.WithRetry(0, 0, 0))
	_, _, err := cw.Companies.Create(context.Background(), &connectwise.Company{
		Identifier: connectwise.Ptr("Acme"), Name: connectwise.Ptr("Acme"), City: connectwise.Ptr("Plano"),
	})
	fmt.Println(err != nil, s.Len(connectwisetest.Companies))
	fmt.Println(s.Count(connectwisetest.Route("POST", "company/companies")))
	// Output:
	// true 1
	// 1
}

package connectwise_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
)

// newExampleClient starts the fake and returns a real client for it.
func newExampleClient() (*connectwisetest.Server, *connectwise.Client) {
	srv := connectwisetest.New(connectwisetest.Options{})
	return srv, srv.Client()
}

func ExampleNormalizeSite() {
	for _, typed := range []string{"na.myconnectwise.net", "https://www.example.com/", "API-EU.myconnectwise.net", "cw.example.com:8443", "cw.example.com/v4_6_release/apis/3.0"} {
		host, err := connectwise.NormalizeSite(typed)
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(host)
	}
	// Output:
	// api-na.myconnectwise.net
	// example.com
	// api-eu.myconnectwise.net
	// cw.example.com:8443
	// error: connectwise: invalid site "cw.example.com/v4_6_release/apis/3.0": must not contain a path ("/v4_6_release/apis/3.0"); type only the host, and pin a codebase with WithCodebase if needed
}

func ExampleNewClient() {
	srv, cw := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	// Verify discovers the codebase and checks keys, clientId and role.
	if _, err := cw.Verify(ctx); err != nil {
		log.Fatal(err)
	}
	codebase, _ := cw.Codebase(ctx)
	fmt.Println("codebase:", codebase)
	// Output:
	// codebase: v2025_1
}

func ExampleAnd() {
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cond := connectwise.And(
		connectwise.Ge("lastUpdated", since),
		connectwise.Or(connectwise.Eq("status/name", "Active"), connectwise.In("type/id", 1, 2)),
		connectwise.Not(connectwise.Contains("name", `O'Brien [old]`)),
	)
	s, err := cond.Build()
	fmt.Println(s, err)

	_, err = connectwise.Eq("name", `both ' and " quotes`).Build()
	fmt.Println(err != nil)
	// Output:
	// lastUpdated >= [2026-01-01T00:00:00Z] AND (status/name = "Active" OR type/id in (1, 2)) AND name not contains "O'Brien [old]" <nil>
	// true
}

func ExampleLookupService_ListIter() {
	srv, cw := newExampleClient()
	defer srv.Close()
	ctx := context.Background()
	for i := range 1500 {
		_, _ = srv.Seed(connectwisetest.Companies, map[string]any{"identifier": fmt.Sprintf("EX%04d", i), "name": fmt.Sprintf("Example %d", i), "addressLine1": "1 Road"})
	}
	n := 0
	for _, err := range cw.Companies.ListIter(ctx, &connectwise.ListOptions{Conditions: connectwise.Like("identifier", "EX%")}) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println("companies:", n)
	// Output:
	// companies: 1500
}

func ExampleContactsService_SetDefaultEmail() {
	srv, cw := newExampleClient()
	defer srv.Close()
	ctx := context.Background()

	c, _, err := cw.Contacts.Create(ctx, &connectwise.Contact{FirstName: connectwise.Ptr("Ada"), LastName: connectwise.Ptr("Okafor")})
	if err != nil {
		log.Fatal(err)
	}
	// Resolves the tenant's email communication type and appends a default item.
	if _, _, err := cw.Contacts.SetDefaultEmail(ctx, c.ID, "ada@example.com"); err != nil {
		log.Fatal(err)
	}
	for found, err := range cw.Contacts.FindByEmail(ctx, "ada@example.com", nil) {
		if err != nil {
			log.Fatal(err)
		}
		email, _ := found.DefaultEmail()
		fmt.Println(*found.FirstName, email)
	}
	// Output:
	// Ada ada@example.com
}

func ExampleSetCustomFields() {
	op := connectwise.SetCustomFields(connectwise.CustomFieldValue{ID: 15, Value: 18200391}, connectwise.CustomFieldValue{ID: 16, Value: "true"})
	fmt.Printf("%s %s %v\n", op.Op, op.Path, op.Value)
	// Output:
	// replace /customFields [{15 18200391} {16 true}]
}

func ExampleCallbackVerifier_Verify() {
	srv, cw := newExampleClient()
	defer srv.Close()

	// A delivery as the fake (and ConnectWise) sends it, signed with the key served at
	// its key URL. AllowHTTP is for the local fake only.
	body := []byte(`{"Action":"updated","Type":"company","ID":250,"CompanyId":"hubwise","MessageId":"m-1","Entity":"{\"id\":250,\"name\":\"Acme\"}","Metadata":{"key_url":"` + srv.KeyURL() + `"}}`)
	v := cw.NewCallbackVerifier(&connectwise.VerifierOptions{AllowHTTP: true})
	ev, err := v.Verify(context.Background(), body, srv.Sign(body))
	if err != nil {
		log.Fatal(err)
	}
	var co connectwise.Company
	_ = ev.DecodeEntity(&co)
	fmt.Println(ev.Action, ev.Type, ev.ID, *co.Name)

	// The same body pointing at an attacker's key server is refused before any fetch.
	forged := []byte(`{"Action":"updated","Type":"company","ID":250,"CompanyId":"hubwise","Metadata":{"key_url":"https://evil.example/v2025_1//system/callbackkey/index.rails?companyName=hubwise&id=1"}}`)
	_, err = v.Verify(context.Background(), forged, connectwise.SignCallback("attacker-key", forged))
	fmt.Println(err)
	// Output:
	// updated company 250 Acme
	// connectwise: callback rejected: untrusted key URL: host "evil.example" is neither the tenant's host nor allow-listed
}

func ExampleClient_Verify() {
	srv := connectwisetest.New(connectwisetest.Options{})
	defer srv.Close()
	cr := srv.Credentials()
	// A private key pasted wrong.
	cw, err := connectwise.NewClient(connectwise.Credentials{
		CompanyID: cr.CompanyID, PublicKey: cr.PublicKey, PrivateKey: "not-the-key", ClientID: cr.ClientID,
	}, connectwise.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	_, err = cw.Verify(context.Background())
	var ve *connectwise.VerifyError
	if errors.As(err, &ve) {
		fmt.Println(ve.Problem)
		fmt.Println(ve.Message)
	}
	// Output:
	// bad-keys
	// ConnectWise refused company id "hubwise" with these API keys: check the public and private key of the API member (System > Members > API Members)
}

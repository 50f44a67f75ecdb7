package syncer_test

import (
	"context"
	"fmt"
	"log"
	"slices"

	"golang.org/x/time/rate"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
)

// exampleEngine wires an engine to both fakes with the default mapping's
// companies and contacts.
func exampleEngine() (*syncer.Engine, *connectwisetest.Server, func()) {
	hsSrv := hubspottest.New(hubspottest.Options{})
	cwSrv := connectwisetest.New(connectwisetest.Options{})
	hs, err := hubspot.NewClient(hubspot.WithBaseURL(hsSrv.URL()), hubspot.WithAccessToken(hsSrv.Token()), hubspot.WithoutRateLimit())
	if err != nil {
		log.Fatal(err)
	}
	cr := cwSrv.Credentials()
	cw, err := connectwise.NewClient(connectwise.Credentials{CompanyID: cr.CompanyID, Site: cr.Site, PublicKey: cr.PublicKey,
		PrivateKey: cr.PrivateKey, ClientID: cr.ClientID}, connectwise.WithBaseURL(cwSrv.URL()), connectwise.WithRateLimit(rate.Inf, 1))
	if err != nil {
		log.Fatal(err)
	}
	spec := mapping.Default()
	spec.Objects = slices.DeleteFunc(spec.Objects, func(o mapping.ObjectMapping) bool { return o.Name == mapping.ObjectDeals })
	m, err := mapping.Compile(spec, nil)
	if err != nil {
		log.Fatal(err)
	}
	eng, err := syncer.New(syncer.Config{
		Tenant:      "acme",
		HubSpot:     syncer.NewHubSpot(hs),
		ConnectWise: syncer.NewConnectWise(cw),
		Mapping:     m,
		Store:       memstore.New(nil),
	})
	if err != nil {
		log.Fatal(err)
	}
	return eng, cwSrv, func() { _ = hsSrv.Close(); cwSrv.Close() }
}

// One pass: the schema is ensured, a ConnectWise company and its contact reach
// HubSpot, and a second pass finds nothing to do.
func Example() {
	eng, cwSrv, stop := exampleEngine()
	defer stop()
	ctx := context.Background()

	schema, err := eng.EnsureSchema(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("properties created:", schema.Count(syncer.SchemaCreated) > 0)

	co, _ := cwSrv.Create(connectwisetest.Companies, map[string]any{"name": "Acme Corp", "identifier": "AcmeCorp", "addressLine1": "1 Main St"})
	_, _ = cwSrv.Create(connectwisetest.Contacts, map[string]any{"firstName": "Ann", "lastName": "Lee", "company": map[string]any{"id": co["id"]}})

	rep, err := eng.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, object := range eng.Objects() {
		fmt.Printf("%s: %d created\n", object, rep.Count(object, syncer.OutcomeCreated))
	}
	rep, err = eng.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("writes on the second pass:", rep.Writes())
	// Output:
	// properties created: true
	// companies: 1 created
	// contacts: 1 created
	// writes on the second pass: 0
}

// Plan is a dry run: it shows every field a pass would write.
func ExampleEngine_Plan() {
	eng, cwSrv, stop := exampleEngine()
	defer stop()
	ctx := context.Background()
	if _, err := eng.EnsureSchema(ctx); err != nil {
		log.Fatal(err)
	}
	_, _ = cwSrv.Create(connectwisetest.Companies, map[string]any{"name": "Acme Corp", "identifier": "AcmeCorp", "addressLine1": "1 Main St"})

	plan, err := eng.Plan(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, op := range plan.Objects[0].Operations {
		fmt.Println(op.Kind, "in", op.Target)
		for _, ch := range op.Changes {
			if ch.Field == "name" || ch.Field == "cw_company_identifier" {
				fmt.Printf("  %s: %q -> %q\n", ch.Field, ch.Before, ch.After)
			}
		}
	}
	// Output:
	// create in hubspot
	//   cw_company_identifier: "" -> "AcmeCorp"
	//   name: "" -> "Acme Corp"
}

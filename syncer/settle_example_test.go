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

// A company name edited on both sides is parked for review (the city, edited
// in ConnectWise only, still flows); settling it with a value of its own
// writes that value to both sides on the next pass.
func ExampleEngine_Settle() {
	hsSrv := hubspottest.New(hubspottest.Options{})
	defer func() { _ = hsSrv.Close() }()
	cwSrv := connectwisetest.New(connectwisetest.Options{})
	defer cwSrv.Close()
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
	sp := mapping.Default()
	sp.Objects = slices.DeleteFunc(sp.Objects, func(o mapping.ObjectMapping) bool { return o.Name != mapping.ObjectCompanies })
	m, err := mapping.Compile(sp, nil)
	if err != nil {
		log.Fatal(err)
	}
	eng, err := syncer.New(syncer.Config{Tenant: "acme", HubSpot: syncer.NewHubSpot(hs), ConnectWise: syncer.NewConnectWise(cw),
		Mapping: m, Store: memstore.New(nil),
		FieldResolvers: map[syncer.FieldKey]syncer.Resolver{{Object: "companies", Field: "name"}: syncer.Review}})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := eng.EnsureSchema(ctx); err != nil {
		log.Fatal(err)
	}
	co, _ := cwSrv.Create(connectwisetest.Companies, map[string]any{"name": "Acme", "identifier": "Acme", "addressLine1": "1 Main St"})
	id := int(co["id"].(float64))
	if _, err := eng.Run(ctx); err != nil {
		log.Fatal(err)
	}
	hsID := hsSrv.FindRecords("companies", "name", "Acme")[0].ID

	_ = hsSrv.UpdateRecord("companies", hsID, map[string]string{"name": "Acme Inc"})
	_, _ = cwSrv.Update(connectwisetest.Companies, id, map[string]any{"name": "Acme Corp", "city": "Springfield"})
	rep, err := eng.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("conflicts:", rep.Count("companies", syncer.OutcomeConflict))
	parked, _ := eng.Conflicts(ctx, "companies")
	c := parked[0]
	fmt.Printf("parked %s: hubspot %q, connectwise %q, base %q\n", c.Field, c.HubSpotValue, c.ConnectWiseValue, c.BaseValue)
	r, _ := hsSrv.Record("companies", hsID)
	fmt.Println("city in HubSpot:", r.Properties["city"])

	if err := eng.Settle(ctx, c, syncer.Settlement{Value: "Acme Corporation"}); err != nil {
		log.Fatal(err)
	}
	if _, err := eng.Run(ctx); err != nil {
		log.Fatal(err)
	}
	r, _ = hsSrv.Record("companies", hsID)
	rec, _ := cwSrv.Get(connectwisetest.Companies, id)
	parked, _ = eng.Conflicts(ctx, "companies")
	fmt.Println("settled:", r.Properties["name"], "/", rec["name"], "; parked:", len(parked))
	// Output:
	// conflicts: 1
	// parked name: hubspot "Acme Inc", connectwise "Acme Corp", base "Acme"
	// city in HubSpot: Springfield
	// settled: Acme Corporation / Acme Corporation ; parked: 0
}

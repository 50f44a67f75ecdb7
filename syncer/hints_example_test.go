package syncer_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"golang.org/x/time/rate"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
)

// A dispatcher behind an HTTP server: a company created in ConnectWise is
// delivered as a signed callback and reaches HubSpot through a targeted pass;
// the engine's own HubSpot write comes back as a webhook and is dropped.
func ExampleDispatcher() {
	hsSrv := hubspottest.New(hubspottest.Options{})
	defer hsSrv.Close()
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
	spec := mapping.Default()
	spec.Objects = slices.DeleteFunc(spec.Objects, func(o mapping.ObjectMapping) bool { return o.Name != "companies" })
	m, err := mapping.Compile(spec, nil)
	if err != nil {
		log.Fatal(err)
	}
	eng, err := syncer.New(syncer.Config{Tenant: "acme", HubSpot: syncer.NewHubSpot(hs), ConnectWise: syncer.NewConnectWise(cw),
		Mapping: m, Store: memstore.New(nil)})
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := eng.EnsureSchema(ctx); err != nil {
		log.Fatal(err)
	}

	d, err := syncer.NewDispatcher(eng, m, &syncer.DispatcherOptions{
		Window:               50 * time.Millisecond,
		HubSpotSourceIDs:     []string{"1160452"}, // the app id the fake stamps on API writes
		ConnectWiseMemberIDs: []string{cwSrv.Options().MemberIdentifier},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/hubspot", d.HubSpotHandler(&hubspot.WebhookVerifier{ClientSecret: hsSrv.ClientSecret()}, nil))
	mux.Handle("/callbacks/connectwise", d.ConnectWiseHandler(cw, &connectwise.CallbackHandlerOptions{
		Verifier: &connectwise.VerifierOptions{AllowHTTP: true}})) // the fake serves its key over http
	srv := httptest.NewServer(mux)
	defer srv.Close()
	stopped := make(chan struct{})
	go func() { _ = d.Run(ctx); close(stopped) }()

	// Register the callback, then create a company as a ConnectWise user.
	if _, _, err := cw.Callbacks.Ensure(ctx, &connectwise.CallbackEntry{URL: srv.URL + "/callbacks/connectwise?recordId=",
		Type: "company", Level: "owner"}); err != nil {
		log.Fatal(err)
	}
	if _, err := cwSrv.Create(connectwisetest.Companies, map[string]any{"name": "Acme Corp", "identifier": "AcmeCorp", "city": "Springfield"}); err != nil {
		log.Fatal(err)
	}
	cwSrv.WaitCallbacks()
	rep, err := d.Flush(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created in HubSpot:", rep.Count("companies", syncer.OutcomeCreated))

	// HubSpot journals the engine's upsert as an event of our app: dropped.
	if err := hsSrv.DeliverJournal(ctx, srv.URL+"/webhooks/hubspot"); err != nil {
		log.Fatal(err)
	}
	st := d.Stats()
	fmt.Println("passes:", st.Passes, "echoes dropped:", st.Echoes, "pending:", st.Pending)
	cancel()
	<-stopped
	// Output:
	// created in HubSpot: 1
	// passes: 1 echoes dropped: 1 pending: 0
}

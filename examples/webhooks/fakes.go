package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/internal/dataset"
)

// demoAppID is the HubSpot app id the fake stamps on events of API writes.
const demoAppID = 1160452

// fakes are the two in-process fakes of the demo.
type fakes struct {
	hs *hubspottest.Server
	cw *connectwisetest.Server
}

// Close stops both fakes (pending callback deliveries first).
func (f *fakes) Close() {
	f.cw.Close()
	_ = f.hs.Close()
}

// startFakes starts both fakes, seeds them lightly and returns clients for
// them with the webhook settings the service needs.
func startFakes(ctx context.Context, o *options, out io.Writer) (*fakes, accounts, error) {
	f := &fakes{hs: hubspottest.New(hubspottest.Options{Webhooks: hubspottest.WebhookOptions{AppID: demoAppID}}),
		cw: connectwisetest.New(connectwisetest.Options{})}
	d := dataset.Generate(dataset.Options{Seed: o.seed, Companies: max(o.companies, 1), ContactsPerCompany: 2,
		Opportunities: -1, DuplicateEmailShare: -1})
	cst, err := dataset.SeedConnectWise(ctx, f.cw, d)
	if err == nil {
		_, err = dataset.SeedHubSpot(f.hs, d)
	}
	if err != nil {
		f.Close()
		return nil, accounts{}, fmt.Errorf("seed the fakes: %w", err)
	}
	fmt.Fprintf(out, "fakes seeded: %d ConnectWise companies, %d contacts\n", cst.Companies, cst.Contacts)
	hsc, err := hubspot.NewClient(hubspot.WithBaseURL(f.hs.URL()), hubspot.WithAccessToken(f.hs.Token()), hubspot.WithoutRateLimit())
	if err != nil {
		f.Close()
		return nil, accounts{}, err
	}
	cr := f.cw.Credentials()
	cwc, err := connectwise.NewClient(connectwise.Credentials{CompanyID: cr.CompanyID, Site: cr.Site, PublicKey: cr.PublicKey,
		PrivateKey: cr.PrivateKey, ClientID: cr.ClientID}, connectwise.WithBaseURL(f.cw.URL()), connectwise.WithRateLimit(rate.Inf, 1))
	if err != nil {
		f.Close()
		return nil, accounts{}, err
	}
	return f, accounts{hsc: hsc, cwc: cwc, clientSecret: f.hs.ClientSecret(), appID: strconv.Itoa(demoAppID),
		member: f.cw.Options().MemberIdentifier}, nil
}

// relay delivers the HubSpot fake's webhook journal to target every
// interval, signed as HubSpot signs (v3 and v1), standing in for HubSpot's
// push to the app's target URL.
func (f *fakes) relay(ctx context.Context, target string, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := f.hs.DeliverJournal(ctx, target); err != nil && ctx.Err() == nil {
			log.Warn("relay HubSpot webhooks", "error", err)
		}
	}
}

package syncer_test

import (
	"context"
	"fmt"
	"log"
	"sync"

	"golang.org/x/time/rate"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
)

// fakeTenants is a Registry of tenants served by fakes: the host
// application's list of customers, with their credentials, in real life.
type fakeTenants struct {
	m    *mapping.Mapping
	hs   map[string]*hubspot.Client
	cw   map[string]*connectwise.Client
	keys []string
}

func (r *fakeTenants) Tenants(context.Context) ([]string, error) { return r.keys, nil }

func (r *fakeTenants) Config(_ context.Context, tenant string) (syncer.Config, error) {
	return syncer.Config{HubSpot: syncer.NewHubSpot(r.hs[tenant]), ConnectWise: syncer.NewConnectWise(r.cw[tenant]), Mapping: r.m}, nil
}

// A worker runs the passes of two tenants, each under a lease; with a
// PostgreSQL store (syncer/pgstore) any number of workers in any number of
// processes share the tenants the same way.
func ExampleWorker() {
	spec := mapping.Default()
	spec.Objects = spec.Objects[:1] // companies
	m, err := mapping.Compile(spec, nil)
	if err != nil {
		log.Fatal(err)
	}
	reg := &fakeTenants{m: m, hs: map[string]*hubspot.Client{}, cw: map[string]*connectwise.Client{}}
	for _, tenant := range []string{"acme", "globex"} {
		hsSrv := hubspottest.New(hubspottest.Options{})
		defer hsSrv.Close()
		cwSrv := connectwisetest.New(connectwisetest.Options{})
		defer cwSrv.Close()
		if _, err := cwSrv.Create(connectwisetest.Companies, map[string]any{"name": tenant + " customer", "identifier": tenant + "Customer", "city": "Springfield"}); err != nil {
			log.Fatal(err)
		}
		reg.hs[tenant] = hsSrv.Client(hubspot.WithoutRateLimit())
		reg.cw[tenant] = cwSrv.Client(connectwise.WithRateLimit(rate.Inf, 1))
		reg.keys = append(reg.keys, tenant)
	}

	ctx, stop := context.WithCancel(context.Background())
	var mu sync.Mutex
	done := map[string]int{}
	w, err := syncer.NewWorker(memstore.New(nil), reg, &syncer.WorkerOptions{
		ID: "worker-1",
		// The tenant's schema and historical migration first (Backfill skips
		// finished objects), then an incremental pass.
		Pass: func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
			if _, err := e.EnsureSchema(ctx); err != nil {
				return nil, err
			}
			if rep, err := e.Backfill(ctx, nil); err != nil || len(rep.Objects) > 0 {
				return rep, err
			}
			return e.Run(ctx)
		},
		OnReport: func(p *syncer.PassReport) {
			mu.Lock()
			defer mu.Unlock()
			done[p.Tenant] = p.Report.Count("companies", syncer.OutcomeCreated)
			if len(done) == len(reg.keys) {
				stop()
			}
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(w.Run(ctx))
	fmt.Println("acme:", done["acme"], "created; globex:", done["globex"], "created")
	// Output:
	// context canceled
	// acme: 1 created; globex: 1 created
}

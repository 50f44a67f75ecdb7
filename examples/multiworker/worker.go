package main

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"golang.org/x/time/rate"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/pgstore"
)

// passLine is the JSON line a worker prints per tenant pass.
type passLine struct {
	Tenant     string         `json:"tenant"`
	Worker     string         `json:"worker"`
	Generation int64          `json:"generation"`
	Start      time.Time      `json:"start"`
	Millis     float64        `json:"ms"`
	Err        string         `json:"err,omitempty"`
	LeaseLost  bool           `json:"leaseLost,omitempty"`
	Abandoned  bool           `json:"abandoned,omitempty"`
	Writes     int            `json:"writes"`
	Records    int            `json:"records"`
	Counts     map[string]int `json:"counts,omitempty"`
	HSCalls    int64          `json:"hubspotCalls"`
	CWCalls    int64          `json:"connectwiseCalls"`
}

func newPassLine(p *syncer.PassReport) passLine {
	l := passLine{Tenant: p.Tenant, Worker: p.Worker, Generation: p.Lease.Generation, Start: p.StartedAt,
		Millis: float64(p.Duration.Microseconds()) / 1000, LeaseLost: p.LeaseLost, Abandoned: p.Abandoned}
	if p.Err != nil {
		l.Err = p.Err.Error()
	}
	if r := p.Report; r != nil {
		l.Writes = r.Writes()
		l.Counts = map[string]int{}
		for _, o := range r.Objects {
			for k, n := range o.Counts {
				l.Counts[string(k)] += n
				l.Records += n
			}
		}
		l.HSCalls, l.CWCalls = r.Calls[syncer.SideHubSpot], r.Calls[syncer.SideConnectWise]
	}
	return l
}

// runWorker is -worker: one syncer.Worker over the shared store, printing a
// JSON line per tenant pass to out and its log to logw.
func runWorker(ctx context.Context, o *options, out, logw io.Writer) error {
	infos, err := readTenantsFile(o.tenantsFile)
	if err != nil {
		return err
	}
	db, err := sql.Open("pgx", o.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(2 * o.maxTenants)
	store, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: o.schema})
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelWarn})).With("process", o.id)
	var st syncer.StateStore = store
	if o.stallAfter > 0 {
		st = &staller{Store: store, after: int64(o.stallAfter), pause: 2 * o.leaseTTL, log: log, stalled: map[string]chan struct{}{}}
	}
	m, err := mapping.Compile(mapping.Default(), nil)
	if err != nil {
		return err
	}
	reg := &registry{id: o.id, m: m, tenants: infos, clients: map[string]*tenantClients{}}
	var outMu sync.Mutex
	enc := json.NewEncoder(out)
	schemaDone := sync.Map{}
	w, err := syncer.NewWorker(st, reg, &syncer.WorkerOptions{ID: o.id, LeaseTTL: o.leaseTTL, PollInterval: o.poll,
		ScanInterval: max(o.poll/4, 10*time.Millisecond), MaxTenants: o.maxTenants, Logger: log,
		Pass: func(ctx context.Context, e *syncer.Engine) (*syncer.Report, error) {
			// The HubSpot properties the mapping writes, once per tenant and process.
			if _, done := schemaDone.Load(e.Tenant()); !done {
				if _, err := e.EnsureSchema(ctx); err != nil {
					return nil, err
				}
				schemaDone.Store(e.Tenant(), true)
			}
			return e.Run(ctx)
		},
		OnReport: func(p *syncer.PassReport) {
			outMu.Lock()
			defer outMu.Unlock()
			_ = enc.Encode(newPassLine(p))
		}})
	if err != nil {
		return err
	}
	if err := w.Run(ctx); !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// registry is the worker's syncer.Registry: the tenants of the tenants file,
// with clients that tag every request with the worker and its lease.
type registry struct {
	id      string
	m       *mapping.Mapping
	tenants []tenantInfo
	mu      sync.Mutex
	clients map[string]*tenantClients
}

type tenantClients struct {
	hs *hubspot.Client
	cw *connectwise.Client
}

// Tenants implements syncer.Registry.
func (r *registry) Tenants(context.Context) ([]string, error) {
	keys := make([]string, len(r.tenants))
	for i, t := range r.tenants {
		keys[i] = t.Key
	}
	return keys, nil
}

// Config implements syncer.Registry.
func (r *registry) Config(_ context.Context, tenant string) (syncer.Config, error) {
	c, err := r.clientsOf(tenant)
	if err != nil {
		return syncer.Config{}, err
	}
	return syncer.Config{HubSpot: syncer.NewHubSpot(c.hs), ConnectWise: syncer.NewConnectWise(c.cw), Mapping: r.m,
		Lookups: func(ctx context.Context) (*mapping.Lookups, error) { return lookups(ctx, c.hs, c.cw) }}, nil
}

func (r *registry) clientsOf(tenant string) (*tenantClients, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := r.clients[tenant]; c != nil {
		return c, nil
	}
	i := slices.IndexFunc(r.tenants, func(t tenantInfo) bool { return t.Key == tenant })
	if i < 0 {
		return nil, fmt.Errorf("unknown tenant %s", tenant)
	}
	t := r.tenants[i]
	hc := &http.Client{Transport: identity{http.DefaultTransport}, Timeout: 30 * time.Second}
	ua := "hubwise-multiworker/" + r.id
	hs, err := hubspot.NewClient(hubspot.WithBaseURL(t.HubSpotURL), hubspot.WithAccessToken(t.HubSpotToken),
		hubspot.WithoutRateLimit(), hubspot.WithHTTPClient(hc), hubspot.WithUserAgent(ua))
	if err != nil {
		return nil, err
	}
	cw, err := connectwise.NewClient(connectwise.Credentials{CompanyID: t.CWCompanyID, Site: t.CWSite,
		PublicKey: t.CWPublicKey, PrivateKey: t.CWPrivateKey, ClientID: t.CWClientID},
		connectwise.WithBaseURL(t.CWURL), connectwise.WithRateLimit(rate.Inf, 1), connectwise.WithHTTPClient(hc),
		connectwise.WithUserAgent(ua))
	if err != nil {
		return nil, err
	}
	c := &tenantClients{hs: hs, cw: cw}
	r.clients[tenant] = c
	return c, nil
}

// identity adds the worker and the lease generation of the pass
// (syncer.LeaseFromContext) to every request.
type identity struct{ next http.RoundTripper }

func (t identity) RoundTrip(req *http.Request) (*http.Response, error) {
	if l, ok := syncer.LeaseFromContext(req.Context()); ok {
		req = req.Clone(req.Context())
		req.Header.Set(workerHeader, l.Holder+"/"+strconv.FormatInt(l.Generation, 10))
	}
	return t.next.RoundTrip(req)
}

// lookups builds the owner and deal-stage tables mapping.Default needs:
// members to owners by email (syncer.OwnerTable), and ConnectWise stages to
// the open stages of HubSpot's default pipeline in order (as
// examples/quickstart does; review them for a real account).
func lookups(ctx context.Context, hs *hubspot.Client, cw *connectwise.Client) (*mapping.Lookups, error) {
	owners, err := syncer.OwnerTable(ctx, hs, cw)
	if err != nil {
		return nil, err
	}
	cwStages, err := cw.SalesStages.All(ctx, nil)
	if err != nil {
		return nil, err
	}
	pipes, _, err := hs.Pipelines.List(ctx, "deals")
	if err != nil {
		return nil, err
	}
	var open []hubspot.PipelineStage
	for _, p := range pipes {
		for _, st := range p.Stages {
			if p.ID == "default" && !st.Archived && st.Metadata["isClosed"] != "true" {
				open = append(open, st)
			}
		}
	}
	slices.SortFunc(open, func(a, b hubspot.PipelineStage) int { return cmp.Compare(a.DisplayOrder, b.DisplayOrder) })
	slices.SortFunc(cwStages, func(a, b *connectwise.SalesStage) int {
		return cmp.Compare(cmp.Or(ptrInt(a.SequenceNumber), a.ID), cmp.Or(ptrInt(b.SequenceNumber), b.ID))
	})
	stages := map[string]string{}
	for i, st := range cwStages {
		if len(open) > 0 {
			stages[strconv.Itoa(st.ID)] = open[min(i, len(open)-1)].ID
		}
	}
	lk := mapping.NewLookups()
	lk.SetTable(mapping.TableOwners, owners)
	lk.SetTable(mapping.TableDealStages, stages)
	return lk, nil
}

func ptrInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// staller freezes the worker at its Nth fenced commit for pause, renewals of
// that tenant included, as a long GC pause or a network partition would. The
// commit then reaches the store late (it was in flight before the pause), and
// the store refuses it with syncer.ErrFenced.
type staller struct {
	*pgstore.Store
	after   int64
	pause   time.Duration
	log     *slog.Logger
	n       atomic.Int64
	mu      sync.Mutex
	stalled map[string]chan struct{}
}

// Commit implements syncer.StateStore.
func (s *staller) Commit(ctx context.Context, tenant string, b *syncer.Batch) error {
	if b.Fence != nil && s.n.Add(1) == s.after {
		done := make(chan struct{})
		s.mu.Lock()
		s.stalled[tenant] = done
		s.mu.Unlock()
		s.log.Warn("multiworker: stalling at a commit, as a paused process would", "tenant", tenant,
			"generation", b.Fence.Generation, "pause", s.pause)
		time.Sleep(s.pause)
		close(done)
		ctx = context.WithoutCancel(ctx)
	}
	return s.Store.Commit(ctx, tenant, b)
}

// RenewLease implements syncer.Leaser; renewals wait while the tenant is stalled.
func (s *staller) RenewLease(ctx context.Context, l syncer.Lease, ttl time.Duration) (syncer.Lease, error) {
	s.mu.Lock()
	done := s.stalled[l.Tenant]
	s.mu.Unlock()
	if done != nil {
		<-done
	}
	return s.Store.RenewLease(ctx, l, ttl)
}

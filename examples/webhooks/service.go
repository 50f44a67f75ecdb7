package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/boltstore"
)

// service is the running program: clients, state, engine, dispatcher and the
// HTTP server.
type service struct {
	o      *options
	out    io.Writer
	log    *slog.Logger
	ln     net.Listener
	url    string // base URL of the service
	hsc    *hubspot.Client
	cwc    *connectwise.Client
	store  *boltstore.Store
	tmpDir string
	eng    *syncer.Engine
	disp   *syncer.Dispatcher
	http   *http.Server
	demo   *fakes // nil with real accounts
	health health
}

// accounts are the two clients and the webhook settings of one tenant.
type accounts struct {
	hsc          *hubspot.Client
	cwc          *connectwise.Client
	clientSecret string // HubSpot app client secret
	appID        string // HubSpot app id (sourceId of our writes)
	member       string // ConnectWise API member identifier
	publicURL    string // where the vendors reach us ("" means the listen address)
}

// webhookSpec is mapping.Default limited to companies and contacts, both
// ways: deals need owner and stage tables that a demo cannot guess.
func webhookSpec() *mapping.Spec {
	s := mapping.Default()
	s.Objects = slices.DeleteFunc(s.Objects, func(o mapping.ObjectMapping) bool { return o.Name == "deals" })
	for i := range s.Objects {
		s.Objects[i].Associations = slices.DeleteFunc(s.Objects[i].Associations, func(a mapping.Association) bool { return a.To == "deals" })
	}
	return s
}

// newService connects everything and listens, without serving yet.
func newService(ctx context.Context, o *options, env func(string) (string, bool), out io.Writer) (_ *service, err error) {
	s := &service{o: o, out: out, log: slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	creds, live, err := credentialsFrom(env)
	if err != nil {
		return nil, err
	}
	s.ln, err = net.Listen("tcp", o.addr)
	if err != nil {
		return nil, err
	}
	s.url = "http://" + s.ln.Addr().String()
	var acc accounts
	if live {
		acc, err = creds.accounts()
	} else {
		s.demo, acc, err = startFakes(ctx, o, out)
	}
	if err != nil {
		return nil, err
	}
	if acc.publicURL != "" {
		s.url = acc.publicURL
	}
	s.hsc, s.cwc = acc.hsc, acc.cwc
	path := o.state
	if path == "" && live {
		path = "hubwise-state.db"
	} else if path == "" {
		if s.tmpDir, err = os.MkdirTemp("", "hubwise-webhooks-"); err != nil {
			return nil, err
		}
		path = filepath.Join(s.tmpDir, "state.db")
	}
	if s.store, err = boltstore.Open(path, nil); err != nil {
		return nil, fmt.Errorf("open state %s: %w", path, err)
	}
	m, err := mapping.Compile(webhookSpec(), nil)
	if err != nil {
		return nil, err
	}
	deletes := map[string]syncer.DeletePolicy{}
	for _, obj := range m.Objects() {
		deletes[obj.Name()] = syncer.DeletePolicy(o.deletes)
	}
	s.eng, err = syncer.New(syncer.Config{Tenant: "default", HubSpot: syncer.NewHubSpot(s.hsc),
		ConnectWise: syncer.NewConnectWise(s.cwc), Mapping: m, Store: s.store, Logger: s.log, Deletes: deletes})
	if err != nil {
		return nil, err
	}
	if _, err := s.eng.EnsureSchema(ctx); err != nil {
		return nil, fmt.Errorf("HubSpot schema: %w", err)
	}
	dopts := &syncer.DispatcherOptions{Window: o.window, MaxDelay: o.maxDelay, StopGrace: o.grace, Logger: s.log, DeleteDelay: o.delDelay,
		OnPass: func(_ syncer.Hints, rep *syncer.Report, err error) { s.health.record("webhook", rep, err) }}
	if acc.appID != "" {
		dopts.HubSpotSourceIDs = []string{acc.appID}
	}
	if acc.member != "" {
		dopts.ConnectWiseMemberIDs = []string{acc.member}
	}
	if s.disp, err = syncer.NewDispatcher(s.eng, m, dopts); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/hubspot", s.disp.HubSpotHandler(&hubspot.WebhookVerifier{ClientSecret: acc.clientSecret, PublicURL: acc.publicURL},
		&hubspot.WebhookHandlerOptions{Logger: s.log}))
	mux.Handle("POST /callbacks/connectwise", s.disp.ConnectWiseHandler(s.cwc, &connectwise.CallbackHandlerOptions{
		Verifier: &connectwise.VerifierOptions{AllowHTTP: !live}}))
	mux.Handle("GET /healthz", &s.health)
	s.health.disp = s.disp
	s.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := s.registerCallbacks(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// registerCallbacks registers the ConnectWise callbacks of the synced types
// at level owner (every record), self-suppressed so the service's own writes
// are not delivered back (connectwise-api.md §9).
func (s *service) registerCallbacks(ctx context.Context) error {
	for _, typ := range []string{"company", "contact"} {
		desc := "hubwise webhooks example"
		_, _, err := s.cwc.Callbacks.Ensure(ctx, &connectwise.CallbackEntry{URL: s.url + "/callbacks/connectwise?recordId=",
			Type: typ, Level: "owner", Description: &desc, IsSelfSuppressedFlag: connectwise.Ptr(true)})
		if err != nil {
			return fmt.Errorf("register ConnectWise %s callback: %w", typ, err)
		}
	}
	return nil
}

// serve runs the HTTP server, the dispatcher, the poll and (demo) the
// HubSpot relay until ctx is done, then shuts down gracefully.
func (s *service) serve(ctx context.Context) error {
	defer s.close()
	fmt.Fprintf(s.out, "listening on %s (POST /webhooks/hubspot, POST /callbacks/connectwise, GET /healthz)\n", s.url)
	if s.demo != nil {
		fmt.Fprintf(s.out, "HubSpot fake %s, ConnectWise fake %s\n", s.demo.hs.URL(), s.demo.cw.URL())
	}
	srvErr := make(chan error, 1)
	go func() { srvErr <- s.http.Serve(s.ln) }()

	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	var wg sync.WaitGroup
	wg.Go(func() { _ = s.disp.Run(workCtx) })
	wg.Go(func() { s.poll(workCtx) })
	if s.demo != nil {
		wg.Go(func() { s.demo.relay(workCtx, s.url+"/webhooks/hubspot", s.o.relay, s.log) })
	}

	var err error
	select {
	case <-ctx.Done():
	case err = <-srvErr:
	}
	fmt.Fprintln(s.out, "shutting down: draining requests, finishing the pass in flight")
	shCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.o.grace)
	defer cancel()
	if e := s.http.Shutdown(shCtx); e != nil && err == nil {
		err = e
	}
	stopWork()
	wg.Wait()
	st := s.disp.Stats()
	fmt.Fprintf(s.out, "stopped: %d targeted passes, %d polls, %d events (%d echoes dropped), %d hints left for the next poll\n",
		st.Passes, s.health.polls(), st.Events, st.Echoes, st.Pending)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// poll runs a full pass at once and then every interval: the safety net.
// After a poll, once every -sweep interval, it sweeps each object's
// ConnectWise IDs for deletions that no callback announced. A pass in flight
// when ctx ends finishes (bounded by the grace period).
func (s *service) poll(ctx context.Context) {
	var swept time.Time
	for {
		passCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		stop := context.AfterFunc(ctx, func() { time.AfterFunc(s.o.grace, cancel) })
		rep, err := s.eng.Run(passCtx)
		stop()
		cancel()
		s.health.record("poll", rep, err)
		if err != nil {
			s.log.Warn("poll failed; the next one retries", "error", err)
		}
		if s.o.sweep > 0 && time.Since(swept) >= s.o.sweep && ctx.Err() == nil {
			swept = time.Now()
			s.sweep(ctx)
		}
		t := time.NewTimer(s.o.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// sweep runs Engine.SweepDeletes (ConnectWise IDs) and Engine.SweepArchived
// (HubSpot's recycle bin) over every synced object, for the deletions no
// delivery announced; /healthz shows the reports.
func (s *service) sweep(ctx context.Context) {
	var reps []*syncer.DeleteReport
	for _, obj := range s.eng.Objects() {
		for _, sweep := range []func(context.Context, string) (*syncer.DeleteReport, error){s.eng.SweepDeletes, s.eng.SweepArchived} {
			rep, err := sweep(ctx, obj)
			if err != nil {
				s.log.Warn("sweep failed; the next one retries", "object", obj, "error", err)
			}
			if rep != nil {
				reps = append(reps, rep)
			}
		}
	}
	s.health.recordSweep(reps)
}

// close releases what newService acquired, in reverse order.
func (s *service) close() {
	if s.ln != nil {
		_ = s.ln.Close()
	}
	if s.store != nil {
		_ = s.store.Close()
	}
	if s.demo != nil {
		s.demo.Close()
	}
	if s.tmpDir != "" {
		_ = os.RemoveAll(s.tmpDir)
	}
}

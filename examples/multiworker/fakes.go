package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/internal/dataset"
)

// workerHeader carries "workerID/generation" on every request a worker makes,
// so the fakes' logs show who ran which tenant under which lease.
const workerHeader = "X-Hubwise-Worker"

// tenantInfo is one tenant's entry in the tenants file: where its fakes are
// and the (fake) credentials they accept.
type tenantInfo struct {
	Key          string `json:"key"`
	HubSpotURL   string `json:"hubspotURL"`
	HubSpotToken string `json:"hubspotToken"`
	CWURL        string `json:"connectwiseURL"`
	CWCompanyID  string `json:"connectwiseCompanyID"`
	CWSite       string `json:"connectwiseSite"`
	CWPublicKey  string `json:"connectwisePublicKey"`
	CWPrivateKey string `json:"connectwisePrivateKey"`
	CWClientID   string `json:"connectwiseClientID"`
}

// call is one request the fakes served.
type call struct {
	Tenant     string
	Side       string
	Worker     string
	Generation int64
	Method     string
	Path       string
	Write      bool
	Start, End time.Time
}

// tenantFakes are one tenant's two fakes and what was seeded into them.
type tenantFakes struct {
	info      tenantInfo
	hs        *hubspottest.Server
	cw        *connectwisetest.Server
	hsSrv     *httptest.Server
	cwSrv     *httptest.Server
	seededCW  map[connectwisetest.Resource]int
	seedStats dataset.SeedStats
}

// fakeSet serves the fakes of every tenant on loopback, behind a recorder
// that adds latency, logs every request with the worker's identity and can
// kill a worker at its Nth write.
type fakeSet struct {
	tenants []*tenantFakes
	latency time.Duration

	mu      sync.Mutex
	calls   []call
	writes  map[string]int
	onWrite func(worker string, n int) (kill func())
}

// startFakes starts and seeds the fakes of n tenants; tenant i's dataset uses
// seed+i.
func startFakes(ctx context.Context, o *options) (*fakeSet, error) {
	f := &fakeSet{latency: o.latency, writes: map[string]int{}}
	for i := range o.tenants {
		key := fmt.Sprintf("tenant-%03d", i+1)
		t, err := f.startTenant(ctx, key, dataset.Options{Seed: o.seed + uint64(i), Companies: o.companies,
			ContactsPerCompany: 4, Opportunities: max(o.companies/2, 1), Members: 3})
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("fakes of %s: %w", key, err)
		}
		f.tenants = append(f.tenants, t)
	}
	return f, nil
}

func (f *fakeSet) startTenant(ctx context.Context, key string, do dataset.Options) (*tenantFakes, error) {
	t := &tenantFakes{hs: hubspottest.New(hubspottest.Options{}), cw: connectwisetest.New(connectwisetest.Options{})}
	d := dataset.Generate(do)
	cst, err := dataset.SeedConnectWise(ctx, t.cw, d)
	if err != nil {
		t.close()
		return nil, err
	}
	hst, err := dataset.SeedHubSpot(t.hs, d)
	if err != nil {
		t.close()
		return nil, err
	}
	// Two default properties every real portal has and mapping.Default
	// writes, which the fake does not define (as in examples/quickstart).
	for _, p := range []struct{ object, name, label, fieldType string }{
		{"companies", "address2", "Street Address 2", "text"},
		{"contacts", "fax", "Fax Number", "phonenumber"},
	} {
		if _, ok := t.hs.Property(p.object, p.name); !ok {
			if err := t.hs.CreateProperty(p.object, hubspottest.Property{Name: p.name, Label: p.label, Type: "string", FieldType: p.fieldType}); err != nil {
				t.close()
				return nil, err
			}
		}
	}
	t.seedStats = cst
	t.seedStats.HubSpotCompanies, t.seedStats.HubSpotContacts, t.seedStats.HubSpotDeals = hst.HubSpotCompanies, hst.HubSpotContacts, hst.HubSpotDeals
	t.seededCW = map[connectwisetest.Resource]int{}
	for _, r := range []connectwisetest.Resource{connectwisetest.Companies, connectwisetest.Contacts, connectwisetest.Opportunities} {
		t.seededCW[r] = t.cw.Len(r)
	}
	// The workers reach the fakes through recording servers on 127.0.0.1.
	t.hsSrv = httptest.NewServer(f.record(key, "hubspot", t.hs.Handler()))
	t.cwSrv = httptest.NewServer(f.record(key, "connectwise", t.cw.Handler()))
	cr := t.cw.Credentials()
	t.info = tenantInfo{Key: key, HubSpotURL: t.hsSrv.URL, HubSpotToken: t.hs.Token(), CWURL: t.cwSrv.URL,
		CWCompanyID: cr.CompanyID, CWSite: cr.Site, CWPublicKey: cr.PublicKey, CWPrivateKey: cr.PrivateKey, CWClientID: cr.ClientID}
	return t, nil
}

func (t *tenantFakes) close() {
	if t.hsSrv != nil {
		t.hsSrv.Close()
		t.cwSrv.Close()
	}
	t.cw.Close()
	_ = t.hs.Close()
}

// Close stops every fake.
func (f *fakeSet) Close() {
	for _, t := range f.tenants {
		t.close()
	}
}

// writeTenantsFile writes the tenants file the workers read (mode 0600: it
// holds the fakes' credentials).
func (f *fakeSet) writeTenantsFile(path string) error {
	infos := make([]tenantInfo, len(f.tenants))
	for i, t := range f.tenants {
		infos[i] = t.info
	}
	b, err := json.MarshalIndent(infos, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

func readTenantsFile(path string) ([]tenantInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var infos []tenantInfo
	if err := json.Unmarshal(b, &infos); err != nil {
		return nil, fmt.Errorf("tenants file %s: %w", path, err)
	}
	return infos, nil
}

// isWrite reports whether r changes data: searches and batch reads are POSTs
// that only read.
func isWrite(r *http.Request) bool {
	switch r.Method {
	case http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	case http.MethodPost:
		p := r.URL.Path
		return !strings.HasSuffix(p, "/search") && !strings.HasSuffix(p, "/batch/read")
	}
	return false
}

func parseWorker(v string) (string, int64) {
	id, gen, ok := strings.Cut(v, "/")
	if !ok {
		return v, 0
	}
	g, _ := strconv.ParseInt(gen, 10, 64)
	return id, g
}

func (f *fakeSet) record(tenant, side string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := call{Tenant: tenant, Side: side, Method: r.Method, Path: r.URL.Path, Write: isWrite(r), Start: time.Now()}
		c.Worker, c.Generation = parseWorker(r.Header.Get(workerHeader))
		if f.latency > 0 {
			select {
			case <-time.After(f.latency):
			case <-r.Context().Done():
			}
		}
		var kill func()
		if c.Write && c.Worker != "" {
			f.mu.Lock()
			f.writes[c.Worker]++
			n, hook := f.writes[c.Worker], f.onWrite
			f.mu.Unlock()
			if hook != nil {
				kill = hook(c.Worker, n)
			}
		}
		if kill != nil {
			// The write lands, the worker dies before it hears so.
			next.ServeHTTP(httptest.NewRecorder(), r)
			kill()
			f.log(c)
			panic(http.ErrAbortHandler)
		}
		next.ServeHTTP(w, r)
		f.log(c)
	})
}

func (f *fakeSet) log(c call) {
	c.End = time.Now()
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.mu.Unlock()
}

// callLog returns a copy of the calls served so far.
func (f *fakeSet) callLog() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// serveFakes is -serve-fakes: the fakes of every tenant, until interrupted.
func serveFakes(ctx context.Context, o *options, out io.Writer) error {
	f, err := startFakes(ctx, o)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.writeTenantsFile(o.tenantsFile); err != nil {
		return err
	}
	fmt.Fprintf(out, "serving the fakes of %d tenants on 127.0.0.1; tenants file %s\n", len(f.tenants), o.tenantsFile)
	fmt.Fprintf(out, "start workers with: multiworker -worker -id w1 -tenants-file %s -schema hubwise_multiworker -dsn $HUBWISE_PG_DSN\n", o.tenantsFile)
	<-ctx.Done()
	return nil
}

package connectwisetest

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubwise/hubwise/internal/fakehttp"
)

// Options configures a [Server]. The zero value is ready to use: every empty
// field takes the default named in its comment.
type Options struct {
	// CompanyID is the company ID the fake accepts in companyinfo and in Basic
	// auth ("hubwise").
	CompanyID string
	// CompanyName is returned by companyinfo ("Hubwise Test Company").
	CompanyName string
	// PublicKey and PrivateKey are the accepted API member keys
	// ("pubkey-hubwise-test", "privkey-hubwise-test").
	PublicKey, PrivateKey string
	// ClientID is the registered clientId the fake accepts
	// ("00000000-0000-4000-8000-00000000c1d0").
	ClientID string
	// Codebase is the tenant's codebase as companyinfo reports it, WITH the
	// trailing slash real tenants send ("v2025_1/", connectwise-api.md §1).
	// The API is served under it and under "v4_6_release".
	Codebase string
	// VersionCode, VersionNumber describe the server in companyinfo
	// ("v2025.1", "v4.6.2025.1").
	VersionCode, VersionNumber string
	// APIVersion is sent in the api-current-version header and by system/info
	// ("2025.1").
	APIVersion string
	// OnPremise makes companyinfo report IsCloud false.
	OnPremise bool
	// MemberIdentifier is the API member the keys belong to; every API write
	// stores it in _info.updatedBy / enteredBy ("HubwiseAPI").
	MemberIdentifier string
	// UserIdentifier is the member that [Server.Create], [Server.Update] and
	// [Server.Delete] act as, standing for a person using the ConnectWise UI
	// ("jsmith").
	UserIdentifier string
	// Now is the clock for _info timestamps; nil means time.Now.
	Now func() time.Time
	// RateLimit, when > 0, allows that many API calls per RateLimitWindow
	// (default one minute); further calls get 429 with Retry-After seconds.
	// No numeric ConnectWise limit is documented (connectwise-api.md §8), so
	// the fake throttles only when asked.
	RateLimit       int
	RateLimitWindow time.Duration
	// RateLimitJSON sends a JSON body with throttled calls instead of the
	// Cloudflare HTML page the cloud edge serves (connectwise-api.md §8).
	RateLimitJSON bool
	// RateLimitOmitRetryAfter sends throttled calls without a Retry-After
	// header. The API documents one on every 429 (connectwise-api.md §8, S5);
	// whether the Cloudflare edge always sends it is not recorded.
	RateLimitOmitRetryAfter bool
	// ForecastAsArray makes GET /sales/opportunities/{id}/forecast answer a JSON
	// array holding the Forecast object, as the OpenAPI spec declares, instead
	// of the Forecast object itself (the model shape). Which one live tenants
	// send is not known (connectwise-api.md §11b).
	ForecastAsArray bool
	// MaxURLLength, when > 0, refuses API calls whose URL (path and query) is
	// longer, with 414. amp-labs keeps ConnectWise URLs under about 2000
	// characters when batching "id in (...)" (connectwise-api.md §3, S11); the
	// server's actual limit and answer are not recorded, so this is off by
	// default. 2000 reproduces what amp-labs guards against.
	MaxURLLength int
	// ContactDuplicateCheck refuses a contact create with the first name, last
	// name and company of an existing contact (400 ObjectExists) unless the
	// body sets ignoreDuplicates. Contacts carry an ignoreDuplicates flag (S9,
	// S10, connectwise-api.md §5) but what the API counts as a duplicate is not
	// recorded, so the check is off by default.
	ContactDuplicateCheck bool
	// AllowPatchWithoutCustomFields accepts a PATCH of a record with custom
	// fields (companies, contacts, opportunities, tickets, catalog items) that
	// has no {"op":"replace","path":"/customFields",...} operation. By
	// default such a PATCH is refused with 400 InvalidObject: amp-labs found
	// "ConnectWise requires that PATCH requests for such objects include a
	// /customFields replace operation; otherwise the API may return 400 Bad
	// Request, even if custom fields are not being modified", and sends one
	// (empty when nothing changes) on every PATCH (connectwise-api.md §5, S11
	// write.go). "May" is all the source says, and the real error text is not
	// recorded, so the strict default can be turned off here.
	AllowPatchWithoutCustomFields bool
	// EchoContactCommunicationItems makes the 201 answer of POST
	// /company/contacts carry communicationItems (and the defaultPhoneType /
	// defaultPhoneNbr copied from them). By default they are left out, as in
	// the one recorded create answer (payload contact-create-response.json:
	// no communicationItems, company, site or defaultPhone* keys; SOURCES.md
	// warns that it may not answer exactly contact-create-request.json, so
	// whether the API ever echoes them is unsure). The items are stored
	// either way: GET the contact to read them.
	EchoContactCommunicationItems bool
	// ChildConditionsAnyElement lets each comparison of childConditions hold
	// on a different element of the array, so
	// communicationItems/value="a@b.com" AND communicationItems/communicationType="Email"
	// also matches a contact whose Email item is another address and whose
	// phone item has that value. By default one element must satisfy the
	// whole expression, the meaning of the documented example (S24,
	// connectwise-api.md §4); how the API evaluates it is not recorded.
	ChildConditionsAnyElement bool
	// IgnoreTypesOnUpdate makes a PUT or PATCH that changes a company's
	// types (or a contact's types/typeIds) keep the stored types silently.
	// By default it is refused with 400 InvalidField on types: the spec says
	// types "can be passed in only during new company creation (post)" and
	// that typeIds are for POST only (connectwise-api.md §5, S10), but whether
	// the API refuses or ignores them later is not recorded.
	IgnoreTypesOnUpdate bool
	// AllowArrayConditions lets conditions name array fields
	// (conditions=communicationItems/value="x", types/id=1), matching when
	// any element matches. By default they get 400 ApiFindCondition: arrays
	// are searched through childConditions (and customFields through
	// customFieldConditions), the parameters documented for them
	// (connectwise-api.md §4, S24) and the form every public client uses;
	// what the API answers to an array path in conditions is not recorded.
	AllowArrayConditions bool
	// HardDeleteCompanies makes DELETE /company/companies/{id} remove the
	// record. By default companies are soft-deleted as ConnectWise does: the
	// record keeps deletedFlag true, dateDeleted and deletedBy, and is still
	// returned by id (payload company-get.json) and in lists.
	HardDeleteCompanies bool
	// HideDeletedCompanies leaves soft-deleted companies out of lists and
	// counts unless the conditions name deletedFlag. By default lists return
	// them, flagged: the recorded GET by id returns a deleted company
	// (payload company-get.json), public integrations filter lists with
	// conditions=deletedFlag=false themselves, and nothing in the reference
	// says lists hide them; a sync must filter on deletedFlag.
	HideDeletedCompanies bool
	// Empty starts the fake without the default lookup records (statuses,
	// types, communication types, stages, members, boards, ...).
	Empty bool
	// CallbackClient delivers callbacks; nil means a client with a 10 s timeout.
	CallbackClient *http.Client
	// SigningKey is the callback signing key served at the key URL; empty means
	// a random one.
	SigningKey string
}

// Server is a stateful in-process fake of the ConnectWise PSA REST API 3.0.
// It is safe for concurrent use.
type Server struct {
	opts Options
	mux  *fakehttp.Mux
	hs   atomic.Pointer[fakehttp.Server]
	lim  *fakehttp.Limiter

	mu          sync.Mutex
	colls       map[string]*collection
	defs        []*resourceDef
	denied      map[string]bool
	forecast    map[int]*collection // opportunity id -> forecast items
	forecastDef *resourceDef
	cb          *callbackState
}

// New starts a fake on a random local port. Call Close when done.
func New(opts Options) *Server {
	s := newServer(opts)
	s.hs.Store(fakehttp.StartTest(s.Handler()))
	return s
}

// NewServer starts a fake for one test and closes it through t.Cleanup.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	t.Cleanup(s.Close)
	return s
}

// Listen starts a fake as a standalone server on addr (e.g. "127.0.0.1:8091"),
// for programs such as examples/fakeserver.
func Listen(addr string, opts Options) (*Server, error) {
	s := newServer(opts)
	hs, err := fakehttp.Start(addr, s.Handler())
	if err != nil {
		return nil, err
	}
	s.hs.Store(hs)
	return s, nil
}

func newServer(opts Options) *Server {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&opts.CompanyID, "hubwise")
	def(&opts.CompanyName, "Hubwise Test Company")
	def(&opts.PublicKey, "pubkey-hubwise-test")
	def(&opts.PrivateKey, "privkey-hubwise-test")
	def(&opts.ClientID, "00000000-0000-4000-8000-00000000c1d0")
	def(&opts.Codebase, "v2025_1/")
	if !strings.HasSuffix(opts.Codebase, "/") {
		opts.Codebase += "/"
	}
	def(&opts.VersionCode, "v2025.1")
	def(&opts.VersionNumber, "v4.6.2025.1")
	def(&opts.APIVersion, "2025.1")
	def(&opts.MemberIdentifier, "HubwiseAPI")
	def(&opts.UserIdentifier, "jsmith")
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.RateLimitWindow <= 0 {
		opts.RateLimitWindow = time.Minute
	}
	if opts.CallbackClient == nil {
		opts.CallbackClient = &http.Client{Timeout: 10 * time.Second}
	}
	s := &Server{
		opts:     opts,
		mux:      fakehttp.NewMux(nil),
		colls:    map[string]*collection{},
		denied:   map[string]bool{},
		forecast: map[int]*collection{},
	}
	if opts.RateLimit > 0 {
		s.lim = fakehttp.NewLimiter(opts.RateLimit, opts.RateLimitWindow, fakehttp.Sliding, opts.Now)
	}
	s.cb = newCallbackState(opts.SigningKey)
	s.forecastDef = forecastItemsDef().init()
	for _, d := range allResources() {
		s.defs = append(s.defs, d)
		s.colls[d.path] = newCollection(d)
	}
	s.routes()
	if !opts.Empty {
		s.seedDefaults()
	}
	return s
}

// Close stops the server and waits for pending callback deliveries. It is
// safe to call more than once.
func (s *Server) Close() {
	if hs := s.hs.Load(); hs != nil {
		_ = hs.Close()
	}
	s.cb.wait()
}

// URL returns the server origin, e.g. "http://127.0.0.1:41234" (no path).
func (s *Server) URL() string {
	hs := s.hs.Load()
	if hs == nil {
		return ""
	}
	return hs.URL()
}

// Site returns the host:port of the server, what a user would type as the site.
func (s *Server) Site() string {
	u, err := url.Parse(s.URL())
	if err != nil {
		return ""
	}
	return u.Host
}

// BaseURL returns the API base under the tenant codebase, e.g.
// "http://127.0.0.1:41234/v2025_1/apis/3.0".
func (s *Server) BaseURL() string {
	return s.URL() + "/" + s.opts.Codebase + "apis/3.0"
}

// Credentials are the values the fake accepts, as plain fields (they fill
// connectwise.Credentials).
type Credentials struct {
	CompanyID  string
	Site       string
	PublicKey  string
	PrivateKey string
	ClientID   string
}

// Credentials returns the accepted company ID, site, keys and clientId.
func (s *Server) Credentials() Credentials {
	return Credentials{
		CompanyID: s.opts.CompanyID, Site: s.Site(),
		PublicKey: s.opts.PublicKey, PrivateKey: s.opts.PrivateKey, ClientID: s.opts.ClientID,
	}
}

// Options returns the effective options (defaults filled in).
func (s *Server) Options() Options { return s.opts }

// Handler returns the fake's http.Handler, for mounting it elsewhere.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// serveHTTP collapses repeated slashes (record hrefs and key URLs carry
// "v2025_1//apis", connectwise-api.md §1) and a trailing slash after the
// resource (the Link form "company/contacts/?..." in SOURCES.md) before routing.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if len(p) > 1 && strings.HasSuffix(p, "/") {
		p = strings.TrimSuffix(p, "/")
	}
	if p != r.URL.Path {
		r2 := r.Clone(r.Context())
		r2.URL.Path, r2.URL.RawPath = p, ""
		r = r2
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) now() time.Time { return s.opts.Now().UTC().Truncate(time.Second) }

// stamp formats t like the API: second precision, UTC, "Z" (connectwise-api.md §10).
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

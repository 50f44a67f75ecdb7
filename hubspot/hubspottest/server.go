package hubspottest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubwise/hubwise/internal/fakehttp"
)

// Options configures a [Server]. The zero value is a usable fake with seeded
// defaults, unenforced rate limits and a random access token.
type Options struct {
	// Addr, when set, makes [New] listen on this address ("127.0.0.1:8081",
	// ":0") with a standalone http.Server instead of an httptest server.
	Addr string
	// Token is the static bearer token the fake accepts (a legacy private app
	// token or service key). Empty means a random "pat-na1-…" token.
	Token string
	// Scopes granted to Token; nil grants every scope. A call whose scopes the
	// token lacks gets 403 MISSING_SCOPES.
	Scopes []string
	// PortalID is the account (hub) id; 0 means 62515.
	PortalID int64
	// FirstID is the first record id handed out; 0 means 100000000001, so ids
	// exceed 32 bits like real ones (hubspot payloads: 12-digit ids).
	FirstID int64
	// Now is the fake's clock; nil means time.Now.
	Now func() time.Time
	// NoSeed skips the default owners, pipelines and lists (default property
	// definitions are always present: they are part of every portal).
	NoSeed bool
	// CustomObjects registers custom object types (ids like "2-12345").
	CustomObjects []CustomObjectType
	// RateLimits configures the rate-limit headers and, when Enforce is set, 429s.
	RateLimits RateLimits
	// Search configures the search caps.
	Search SearchLimits
	// OAuth configures the OAuth token endpoints.
	OAuth OAuthOptions
	// Webhooks configures event signing and delivery.
	Webhooks WebhookOptions
	// RequiredProperties are admin-configured required properties per object
	// type ("contacts" or "0-1"). Since 2026-09 such validation rules are enforced
	// on API writes: a create (or an update clearing one) on the 2026-09 paths
	// without them gets 400 VALIDATION_ERROR with MISSING_REQUIRED_PROPERTY
	// (hubspot-api.md §0, cl: crm-api-write-validation-enforcement). Older
	// versions and legacy paths are not checked.
	RequiredProperties map[string][]string
	// MergeAssignsNewID gives the survivor of a merge a new id, as portals
	// outside the "Primary ID Preservation" beta do (hubspot-api.md §4 Merge).
	// The default keeps the primary id.
	MergeAssignsNewID bool
	// RequireContactIdentity refuses to create a contact without any of email,
	// firstname and lastname (400 VALIDATION_ERROR, MISSING_REQUIRED_PROPERTY).
	// The contacts guide says a create "should include at least one" of them
	// (hubspot-api.md §4 Create, doc†); whether HubSpot refuses one without them
	// is not recorded, so the default accepts it.
	RequireContactIdentity bool
	// LifecycleBackward selects the answer to a write that moves lifecyclestage
	// back to an earlier stage without clearing it first, which HubSpot does not
	// allow ("can only move forward unless cleared", hubspot-api.md §8, doc†:
	// contacts guide). The guide does not say whether such a write fails or is
	// dropped; the default keeps the stage and answers success.
	LifecycleBackward LifecycleBackward
	// PropertyNames is the pattern new property names must match. HubSpot's
	// naming rules for internal names were not found in an official source
	// (hubspot-api.md §6 "Naming rules"); nil means ^[a-z][a-z0-9_]*$, the shape
	// of every HubSpot-defined name and the pattern a third-party mock uses.
	// Loosen it when a portal is known to accept other names.
	PropertyNames *regexp.Regexp
	// MaxURLLength, when > 0, answers 414 to calls whose URL (path and query)
	// is longer. HubSpot lists 414 "URI too long" among its statuses
	// (hubspot-api.md §3, doc: error-handling) but documents neither the length
	// nor the body, so this is off by default; a long properties= list on GET
	// is where a client meets it.
	MaxURLLength int
	// ClampListLimit answers a list call whose limit exceeds 100 with 100
	// records instead of a 400. "You can retrieve up to 100 … in one request"
	// (hubspot-api.md §4 List) does not say which HubSpot does; refusing is the
	// default so that a client that relies on more fails in tests.
	ClampListLimit bool
	// ArchivedAssociationsVisible keeps listing associations whose other record
	// is archived. How HubSpot's association reads treat a record in the recycle
	// bin is not in the reference; the default hides them, as HubSpot's record
	// pages do, so a job never acts on a link to a deleted record. Restoring is
	// not modelled, so hidden associations stay stored either way.
	ArchivedAssociationsVisible bool
	// HistoryPageLimit is the largest list page when propertiesWithHistory is
	// requested: the spec says its use "will reduce the maximum number of
	// contacts that can be read by a single request" without giving the figure
	// (hubspot-api.md §4 List). 0 means 50, an assumption; the fake returns at
	// most this many records and a next cursor, so clients must follow paging
	// rather than count on the limit they asked for.
	HistoryPageLimit int
	// MaxCallLog bounds the call log (counts are unaffected); 0 means 100,000.
	MaxCallLog int
}

// LifecycleBackward is how the fake answers a backward lifecyclestage move.
type LifecycleBackward int

const (
	// LifecycleBackwardIgnored answers success and keeps the current stage.
	LifecycleBackwardIgnored LifecycleBackward = iota
	// LifecycleBackwardRejected refuses the write with 400 VALIDATION_ERROR
	// (code INVALID_OPTION).
	LifecycleBackwardRejected
)

// Server is a stateful fake of the HubSpot CRM API. It is safe for concurrent
// use; every exported method may be called while requests are served.
type Server struct {
	opts  Options
	token string
	now   func() time.Time
	mux   *fakehttp.Mux
	srv   *fakehttp.Server
	ops   map[string][]string // operation name -> registered patterns

	limits atomic.Pointer[limiters]

	mu      sync.Mutex
	nextID  int64
	types   map[string]*objectType // by every accepted name and id
	stores  map[string]*store      // by objectType.id
	owners  []*Owner
	pipes   map[string][]*Pipeline // by object type id
	lists   map[string]*objectList
	listSeq int64
	assocs  *assocStore
	labels  map[string][]AssociationLabel // "fromID/toID" -> labels
	require map[string][]string           // object type id -> required properties (2026-09)
	oauth   *oauthState
	events  []Event
	eventID atomic.Int64

	inputFaults []*InputInjection // armed by FailInputs
}

// New starts a fake. Call [Server.Close] when done; in tests prefer [NewServer].
func New(opts Options) *Server {
	s, err := start(opts)
	if err != nil {
		panic(fmt.Sprintf("hubspottest: %v", err))
	}
	return s
}

// Start is [New] returning the listen error instead of panicking, for
// standalone programs binding a fixed address.
func Start(opts Options) (*Server, error) { return start(opts) }

// NewServer starts a fake served under httptest and closes it through
// t.Cleanup.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	opts.Addr = ""
	s := New(opts)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func start(opts Options) (*Server, error) {
	s := &Server{opts: opts, token: opts.Token, now: opts.Now, ops: map[string][]string{}}
	if s.token == "" {
		s.token = "pat-na1-" + randomHex(16)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.opts.PortalID == 0 {
		s.opts.PortalID = 62515
	}
	if s.opts.PropertyNames == nil {
		s.opts.PropertyNames = propertyNameRE
	}
	if s.opts.HistoryPageLimit == 0 {
		s.opts.HistoryPageLimit = 50
	}
	s.nextID = opts.FirstID
	if s.nextID == 0 {
		s.nextID = 100_000_000_001
	}
	s.opts.Search = opts.Search.withDefaults()
	s.opts.RateLimits = opts.RateLimits.withDefaults()
	s.opts.OAuth = opts.OAuth.withDefaults()
	s.opts.Webhooks = opts.Webhooks.withDefaults()
	s.limits.Store(newLimiters(s.opts.RateLimits, s.now))
	s.mux = fakehttp.NewMux(&fakehttp.Options{MaxLog: opts.MaxCallLog, Now: s.now})
	if err := s.initState(); err != nil {
		return nil, err
	}
	s.routes()
	if opts.Addr != "" {
		srv, err := fakehttp.Start(opts.Addr, s.mux)
		if err != nil {
			return nil, err
		}
		s.srv = srv
	} else {
		s.srv = fakehttp.StartTest(s.mux)
	}
	return s, nil
}

// URL returns the base URL to give a client, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.srv.URL() }

// Token returns the bearer token the fake accepts.
func (s *Server) Token() string { return s.token }

// PortalID returns the account (hub) id.
func (s *Server) PortalID() int64 { return s.opts.PortalID }

// Handler returns the fake's HTTP handler, for mounting it elsewhere.
func (s *Server) Handler() http.Handler { return s.mux }

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Done yields the serve error once a standalone server (Options.Addr) stops;
// it is nil for httptest servers.
func (s *Server) Done() <-chan error { return s.srv.Done() }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newUUID returns a random RFC 4122 version 4 UUID, the shape of correlationId.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// isoTime formats t like HubSpot's createdAt/updatedAt: UTC with milliseconds.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

package hubspot

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "pat-na1-canary-7f3e9c1d-token"

// sleeper records the waits the retry loop asks for instead of sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// setup starts an httptest server and returns a client pointed at it (static
// canary token, no client-side rate limit, recorded sleeps) and the mux to register
// handlers on. Extra options are applied last.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *sleeper) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	sl := &sleeper{}
	all := append([]Option{WithBaseURL(srv.URL), WithAccessToken(testToken), WithoutRateLimit(), WithSleep(sl.sleep)}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	return c, mux, sl
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method, "method")
}

func testQuery(t *testing.T, r *http.Request, want url.Values) {
	t.Helper()
	assert.Equal(t, want, r.URL.Query(), "query")
}

func testHeader(t *testing.T, r *http.Request, name, want string) {
	t.Helper()
	assert.Equal(t, want, r.Header.Get(name), "header %s", name)
}

// testJSONBody asserts that the request body is JSON equal to want (a JSON text).
func testJSONBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.JSONEq(t, want, string(b), "body")
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func TestNewClientDefaults(t *testing.T) {
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL().String())
	assert.Equal(t, Version202609, c.APIVersion())
	for _, s := range []*ObjectsService{c.Contacts, c.Companies, c.Deals, c.Tickets, c.Products, c.LineItems} {
		assert.NotNil(t, s)
	}
	assert.Equal(t, "line_items", c.LineItems.ObjectType())
	assert.Equal(t, "2-123", c.Objects("2-123").ObjectType())
	assert.NotNil(t, c.Logger())
}

func TestNewClientOptionErrors(t *testing.T) {
	for name, opt := range map[string]Option{
		"empty token":     WithAccessToken(" "),
		"relative base":   WithBaseURL("/x"),
		"nil http":        WithHTTPClient(nil),
		"nil logger":      WithLogger(nil),
		"bad version":     WithAPIVersion("v9"),
		"negative retry":  WithRetryMax(-1),
		"bad backoff":     WithBackoff(2*time.Second, time.Second),
		"zero max wait":   WithMaxWait(0),
		"nil sleep":       WithSleep(nil),
		"nil clock":       WithClock(nil),
		"nil zone":        WithDailyResetZone(nil),
		"empty UA":        WithUserAgent(""),
		"zero budget":     WithRateLimit(RateLimitBudget{}),
		"zero search":     WithSearchRateLimit(0),
		"neg search caps": WithSearchLimits(SearchLimits{MaxGroups: -1}),
		"oauth missing":   WithOAuth(OAuthConfig{ClientID: "x"}),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewClient(opt)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "hubspot: "), err.Error())
		})
	}
	_, err := NewClient(WithAccessToken("tok-1234"), WithOAuth(OAuthConfig{ClientID: "a", ClientSecret: "b", RefreshToken: "c"}))
	require.Error(t, err, "static token and OAuth are exclusive")
}

func TestPathsPerVersion(t *testing.T) {
	for _, tc := range []struct {
		v                                APIVersion
		obj, prop, assoc, owners, labels string
	}{
		{Version202609, "/crm/objects/2026-09/contacts/1", "/crm/properties/2026-09/deals", "/crm/associations/2026-09/contacts/companies/batch/read", "/crm/owners/2026-09", "/crm/associations/2026-09/contacts/companies/labels"},
		{Version202603, "/crm/objects/2026-03/contacts/1", "/crm/properties/2026-03/deals", "/crm/associations/2026-03/contacts/companies/batch/read", "/crm/owners/2026-03", "/crm/associations/2026-03/contacts/companies/labels"},
		{VersionLegacy, "/crm/v3/objects/contacts/1", "/crm/v3/properties/deals", "/crm/v4/associations/contacts/companies/batch/read", "/crm/v3/owners", "/crm/associations/v4/contacts/companies/labels"},
	} {
		p := paths{version: tc.v}
		assert.Equal(t, tc.obj, p.objects("contacts", "1"))
		assert.Equal(t, tc.prop, p.properties("deals"))
		assert.Equal(t, tc.assoc, p.associations("contacts", "companies", "batch", "read"))
		assert.Equal(t, tc.owners, p.owners())
	}
}

func TestRequestHeadersAndEscaping(t *testing.T) {
	c, mux, _ := setup(t, WithUserAgent("acme-sync/1.0"))
	mux.HandleFunc("/crm/objects/2026-09/contacts/{id}", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "User-Agent", "acme-sync/1.0")
		testHeader(t, r, "Accept", "application/json")
		assert.Equal(t, "a b/c@d.e", r.PathValue("id"))
		assert.Contains(t, r.RequestURI, "a%20b%2Fc@d.e")
		writeJSON(w, 200, `{"id":"7","properties":{}}`)
	})
	_, _, err := c.Contacts.Get(context.Background(), "a b/c@d.e", &GetOptions{IDProperty: "email"})
	require.NoError(t, err)
}

func TestDefaultUserAgentNamesHubwise(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /crm/owners/2026-09", func(w http.ResponseWriter, r *http.Request) {
		assert.Contains(t, r.Header.Get("User-Agent"), "hubwise/")
		writeJSON(w, 200, `{"results":[]}`)
	})
	_, _, err := c.Owners.List(context.Background(), nil)
	require.NoError(t, err)
}

func newTestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

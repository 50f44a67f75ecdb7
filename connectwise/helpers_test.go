package connectwise

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

const (
	testCompany    = "acme"
	testPublicKey  = "PUBKEYpub123456"
	testPrivateKey = "PRIVkeyCANARY-9f8e7d6c"
	testClientID   = "11111111-2222-3333-4444-555555555555"
	apiPrefix      = "/v4_6_release/apis/3.0/"
)

func testCreds() Credentials {
	return Credentials{CompanyID: testCompany, PublicKey: testPublicKey, PrivateKey: testPrivateKey, ClientID: testClientID}
}

// sleeper records the waits the retry loop asked for, without sleeping.
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

func (s *sleeper) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

type testEnv struct {
	client *Client
	mux    *http.ServeMux
	server *httptest.Server
	sleep  *sleeper
}

// setup starts an httptest server and returns a client pinned to codebase
// v4_6_release on it, with no rate limit and a fake sleeper. Routes are registered on
// mux with paths relative to apis/3.0 through handle.
func setup(t testing.TB, opts ...Option) *testEnv {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	sl := &sleeper{}
	all := append([]Option{WithBaseURL(srv.URL), WithCodebase("v4_6_release"), WithRateLimit(rate.Inf, 0), WithSleep(sl.sleep)}, opts...)
	c, err := NewClient(testCreds(), all...)
	require.NoError(t, err)
	return &testEnv{client: c, mux: mux, server: srv, sleep: sl}
}

// handle registers h for "METHOD path" below apis/3.0 and checks the common headers.
func (e *testEnv) handle(t *testing.T, pattern string, h http.HandlerFunc) {
	t.Helper()
	method, path, ok := cutPattern(pattern)
	require.True(t, ok, pattern)
	e.mux.HandleFunc(method+" "+apiPrefix+path, func(w http.ResponseWriter, r *http.Request) {
		testAPIHeaders(t, r)
		h(w, r)
	})
}

func cutPattern(p string) (string, string, bool) {
	for i := 0; i < len(p); i++ {
		if p[i] == ' ' {
			return p[:i], p[i+1:], true
		}
	}
	return "", "", false
}

func testAPIHeaders(t *testing.T, r *http.Request) {
	t.Helper()
	user, pass, ok := r.BasicAuth()
	assert.True(t, ok, "basic auth")
	assert.Equal(t, testCompany+"+"+testPublicKey, user)
	assert.Equal(t, testPrivateKey, pass)
	assert.Equal(t, testClientID, r.Header.Get("clientId"))
	assert.Equal(t, "application/vnd.connectwise.com+json; version="+DefaultAPIVersion, r.Header.Get("Accept"))
	assert.Contains(t, r.Header.Get("User-Agent"), "hubwise/")
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method)
}

// testQuery asserts the decoded query parameters equal want exactly.
func testQuery(t *testing.T, r *http.Request, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for k, v := range r.URL.Query() {
		got[k] = v[0]
	}
	assert.Equal(t, want, got)
}

// testJSONBody asserts the request body equals the JSON text want.
func testJSONBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.JSONEq(t, want, string(b))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	switch b := v.(type) {
	case string:
		_, _ = io.WriteString(w, b)
	case []byte:
		_, _ = w.Write(b)
	default:
		_ = json.NewEncoder(w).Encode(v)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return ts
}

package connectwise

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memTransport answers every request in memory (no network), so tests can run in a
// synctest bubble where time is simulated.
type memTransport struct {
	calls atomic.Int32
	fn    func(n int32, r *http.Request) *http.Response
}

func (m *memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	n := m.calls.Add(1)
	return m.fn(n, r), nil
}

func memResp(status int, body string, h http.Header) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
}

// TestRateBudgetEveryAttempt shows that each attempt, retries included, waits for a
// token of the request budget (simulated time).
func TestRateBudgetEveryAttempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := &memTransport{fn: func(n int32, r *http.Request) *http.Response {
			if n == 2 {
				return memResp(503, "", nil) // one retried attempt
			}
			return memResp(200, `{"count":1}`, nil)
		}}
		c, err := NewClient(testCreds(), WithBaseURL("https://cw.example.com"), WithCodebase("v4_6_release"),
			WithHTTPClient(&http.Client{Transport: mt}), WithRateLimit(2, 1), WithRetry(1, time.Nanosecond, time.Nanosecond))
		require.NoError(t, err)
		start := time.Now()
		for range 4 {
			_, _, err := c.Companies.Count(context.Background(), nil)
			require.NoError(t, err)
		}
		// 5 attempts at 2 per second with a burst of 1: the first is free, then 4 x 0.5s.
		assert.Equal(t, int32(5), mt.calls.Load())
		assert.Equal(t, 2*time.Second, time.Since(start).Round(100*time.Millisecond))
	})
}

// TestDefaultBudget shows the default budget: 5 requests a second after a burst of 10.
func TestDefaultBudget(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := &memTransport{fn: func(int32, *http.Request) *http.Response { return memResp(200, `[]`, nil) }}
		c, err := NewClient(testCreds(), WithBaseURL("https://cw.example.com"), WithCodebase("v4_6_release"), WithHTTPClient(&http.Client{Transport: mt}))
		require.NoError(t, err)
		start := time.Now()
		for range 20 {
			_, _, err := c.SalesStages.List(context.Background(), nil)
			require.NoError(t, err)
		}
		assert.Equal(t, 2*time.Second, time.Since(start).Round(100*time.Millisecond))
	})
}

// TestRetryAfterRealTimer waits out a Retry-After with the real (simulated) timer.
func TestRetryAfterRealTimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := &memTransport{fn: func(n int32, r *http.Request) *http.Response {
			if n == 1 {
				return memResp(429, "<html>slow down</html>", http.Header{"Retry-After": {"30"}})
			}
			return memResp(200, `{"id":1}`, nil)
		}}
		c, err := NewClient(testCreds(), WithBaseURL("https://cw.example.com"), WithCodebase("v4_6_release"), WithHTTPClient(&http.Client{Transport: mt}))
		require.NoError(t, err)
		start := time.Now()
		_, _, err = c.Companies.Get(context.Background(), 1)
		require.NoError(t, err)
		assert.Equal(t, 30*time.Second, time.Since(start).Round(time.Second))
	})
}

func TestNewResourceRaw(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET project/projects/5", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":5,"name":"Rollout","newField":{"a":1}}`)
	})
	projects := NewResource[RawRecord](env.client, "project/projects")
	p, _, err := projects.Get(context.Background(), 5)
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":1}`, string((*p)["newField"]))
	assert.Equal(t, "project/projects", NewResource[RawRecord](env.client, "/project/projects/").Path())
}

func TestClientAccessorsAndLogValue(t *testing.T) {
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	env := setup(t, WithLogger(l))
	assert.Equal(t, testCompany, env.client.CompanyID())
	assert.NotNil(t, env.client.Logger())
	env.client.Logger().Info("creds", "c", testCreds())
	var rec map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec))
	assert.Equal(t, testCompany, rec["c"].(map[string]any)["companyId"])
	assert.NotContains(t, buf.String(), testPrivateKey)
}

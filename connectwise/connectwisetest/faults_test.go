package connectwisetest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultsPerRoute(t *testing.T) {
	s, c := setup(t)
	inj := s.Inject(Route("GET", "company/companies"), 2, Fault{Status: 503, Body: []byte(`{"code":"ConnectWiseApi","message":"down"}`)})
	assert.Equal(t, 503, c.do("GET", "company/companies", nil).status)
	assert.Equal(t, 200, c.do("GET", "company/contacts", nil).status, "other routes untouched")
	assert.Equal(t, 503, c.do("GET", "/v4_6_release/apis/3.0/company/companies", nil).status, "any codebase")
	assert.Equal(t, 200, c.do("GET", "company/companies", nil).status, "armed for two calls")
	assert.Equal(t, 2, inj.Hits())

	s.Inject(Route("GET", "sales/opportunities/{id}/forecast"), 1, Fault{Status: 502})
	assert.Equal(t, 502, c.do("GET", "sales/opportunities/1/forecast", nil).status)
	s.Inject(Route("PATCH", "company/contacts/{id}"), 1, Fault{Status: 500})
	assert.Equal(t, 500, c.do("PATCH", "company/contacts/7", []any{}).status)
	s.Inject(Route("GET", "service/boards/{id}/statuses/{subid}"), 1, Fault{Status: 504})
	assert.Equal(t, 504, c.do("GET", "service/boards/1/statuses/1", nil).status)

	s.FailHTML(Route("GET", "system/info"), 1, 502)
	r := c.do("GET", "system/info", nil)
	assert.Equal(t, 502, r.status)
	assert.Contains(t, r.header.Get("Content-Type"), "text/html")
	assert.Contains(t, string(r.body), "cf-error-code")

	// The write happens, the answer is lost.
	s.Inject(Route("POST", "company/companies"), 1, Fault{Status: 500, AfterHandler: true})
	assert.Equal(t, 500, c.do("POST", "company/companies", company("Lost", "Lost")).status)
	assert.Equal(t, 1, s.Len(Companies))

	assert.Equal(t, 3, s.Count(Route("GET", "company/companies")), "calls counted per route, faults included")
	assert.NotEmpty(t, s.Calls(AnyRoute))
	s.ResetCalls()
	assert.Zero(t, s.Count())
}

func TestFaultDropAndLatency(t *testing.T) {
	s, c := setup(t)
	s.Inject(Route("GET", "company/companies/{id}"), 1, Fault{Drop: true})
	req, err := http.NewRequest("GET", s.BaseURL()+"/company/companies/1", nil)
	require.NoError(t, err)
	req.Header = c.hdr.Clone()
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err, "dropped connection")

	s.Inject(Route("GET", "company/companies"), 1, Fault{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err = http.NewRequestWithContext(ctx, "GET", s.BaseURL()+"/company/companies", nil)
	require.NoError(t, err)
	req.Header = c.hdr.Clone()
	_, err = http.DefaultClient.Do(req)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	s.ClearFaults()
	assert.Equal(t, 200, c.do("GET", "company/companies", nil).status)
}

func TestThrottle(t *testing.T) {
	s, c := setup(t)
	s.ThrottleNext(Route("GET", "company/companies"), 1, 7, false)
	r := c.do("GET", "company/companies", nil)
	assert.Equal(t, 429, r.status)
	assert.Equal(t, "7", r.header.Get("Retry-After"))
	assert.Contains(t, string(r.body), "<html")
	s.ThrottleNext(AnyRoute, 1, 3, true)
	r = c.do("GET", "company/contacts", nil)
	assert.Equal(t, 429, r.status)
	assert.Equal(t, "TooManyRequests", r.obj(t)["code"])
	assert.Equal(t, 200, c.do("GET", "company/companies", nil).status)
	s.ThrottleNext(AnyRoute, 1, -1, false)
	r = c.do("GET", "company/contacts", nil)
	assert.Equal(t, 429, r.status)
	assert.NotContains(t, r.header, "Retry-After")
}

func TestRateLimitOmitRetryAfter(t *testing.T) {
	_, c := setup(t, Options{RateLimit: 1, RateLimitOmitRetryAfter: true})
	assert.Equal(t, 200, c.do("GET", "company/companies", nil).status)
	r := c.do("GET", "company/companies", nil)
	assert.Equal(t, 429, r.status)
	assert.NotContains(t, r.header, "Retry-After")
}

func TestRateLimitWindow(t *testing.T) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, c := setup(t, Options{RateLimit: 2, RateLimitWindow: 10 * time.Second, Now: clk.Now})
	assert.Equal(t, 200, c.do("GET", "company/companies", nil).status)
	clk.Add(4 * time.Second)
	assert.Equal(t, 200, c.do("GET", "company/contacts", nil).status)
	r := c.do("GET", "company/companies", nil)
	assert.Equal(t, 429, r.status)
	assert.Equal(t, "6", r.header.Get("Retry-After"), "until the oldest call leaves the window")
	assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/html"))
	clk.Add(6 * time.Second)
	assert.Equal(t, 200, c.do("GET", "company/companies", nil).status)
	assert.Equal(t, 4, s.Count())
}

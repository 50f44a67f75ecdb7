package hubspottest

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRateLimitHeaders(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "GET", "/crm/v3/objects/contacts", nil)
	h := r.Header
	assert.Equal(t, "10000", h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"))
	assert.Equal(t, "190", h.Get("X-HubSpot-RateLimit-Max"))
	assert.Equal(t, "189", h.Get("X-HubSpot-RateLimit-Remaining"))
	assert.Equal(t, "1000000", h.Get("X-HubSpot-RateLimit-Daily"))
	assert.Equal(t, "999999", h.Get("X-HubSpot-RateLimit-Daily-Remaining"))
	assert.Equal(t, "19", h.Get("X-HubSpot-RateLimit-Secondly"))
	r = call(t, s, "GET", "/crm/v3/objects/contacts", nil)
	assert.Equal(t, "188", r.Header.Get("X-HubSpot-RateLimit-Remaining"))
	// Unenforced limits never refuse.
	for range 200 {
		call(t, s, "GET", "/crm/v3/owners", nil)
	}
	r = call(t, s, "GET", "/crm/v3/owners", nil)
	assert.Equal(t, http.StatusOK, r.Status)
	assert.Equal(t, "0", r.Header.Get("X-HubSpot-RateLimit-Remaining"))
}

func TestRateLimitEnforced(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now, RateLimits: RateLimits{Enforce: true, Max: 3, Interval: time.Second, Daily: 5, DailyWindow: time.Hour, SearchMax: 2, SearchInterval: 100 * time.Millisecond}})
	for i := range 3 {
		r := call(t, s, "GET", "/crm/v3/objects/contacts", nil)
		require.Equal(t, http.StatusOK, r.Status, i)
	}
	r := call(t, s, "GET", "/crm/v3/objects/contacts", nil)
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	assert.Equal(t, "TEN_SECONDLY_ROLLING", r.JSON["policyName"])
	assert.Equal(t, "RATE_LIMIT", r.JSON["errorType"])
	assert.Equal(t, "error", r.JSON["status"])
	assert.Equal(t, "You have reached your ten_secondly_rolling limit.", r.JSON["message"])
	assert.NotEmpty(t, r.JSON["correlationId"])
	assert.NotEmpty(t, r.JSON["requestId"])
	assert.Equal(t, "0", r.Header.Get("X-HubSpot-RateLimit-Remaining"))
	assert.Equal(t, "1000", r.Header.Get("X-HubSpot-RateLimit-Interval-Milliseconds"))
	assert.Empty(t, r.Header.Get("Retry-After"), "HubSpot documents no Retry-After")

	// Search has its own per-second window and is exempt from the burst window.
	body := map[string]any{}
	assert.Equal(t, http.StatusOK, call(t, s, "POST", "/crm/v3/objects/contacts/search", body).Status)
	assert.Equal(t, http.StatusOK, call(t, s, "POST", "/crm/v3/objects/contacts/search", body).Status)
	r = call(t, s, "POST", "/crm/v3/objects/contacts/search", body)
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	assert.Equal(t, "SECONDLY", r.JSON["policyName"])
	assert.Equal(t, "You have reached your secondly limit.", r.JSON["message"])
	assert.Empty(t, r.Header.Get("X-HubSpot-RateLimit-Max"))

	// The rolling window frees up; then the daily budget (5) runs out.
	clk.Add(time.Second)
	r = call(t, s, "GET", "/crm/v3/objects/contacts", nil)
	require.Equal(t, http.StatusTooManyRequests, r.Status, "3 burst + 2 search calls used the daily 5")
	assert.Equal(t, "DAILY", r.JSON["policyName"])
	assert.Equal(t, "You have reached your daily limit.", r.JSON["message"])
	assert.Equal(t, "0", r.Header.Get("X-HubSpot-RateLimit-Daily-Remaining"))
	clk.Add(time.Hour)
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/v3/objects/contacts", nil).Status)

	// OAuth token endpoints are not limited.
	assert.NotEqual(t, http.StatusTooManyRequests, call(t, s, "POST", "/oauth/v1/token", "").Status)
}

func TestRateLimitRetryAfterOption(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now, RateLimits: RateLimits{Enforce: true, Max: 1, Interval: 10 * time.Second, RetryAfter: true}})
	call(t, s, "GET", "/crm/v3/owners", nil)
	clk.Add(2500 * time.Millisecond)
	r := call(t, s, "GET", "/crm/v3/owners", nil)
	require.Equal(t, http.StatusTooManyRequests, r.Status)
	assert.Equal(t, "8", r.Header.Get("Retry-After"))
}

func TestRateLimitDailyResetsAtLocalMidnight(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata:", err)
	}
	clk := &clock{t: time.Date(2026, 9, 1, 23, 30, 0, 0, ny)}
	s := NewServer(t, Options{Now: clk.Now, RateLimits: RateLimits{Enforce: true, Daily: 1, DailyZone: ny}})
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/v3/owners", nil).Status)
	assert.Equal(t, http.StatusTooManyRequests, call(t, s, "GET", "/crm/v3/owners", nil).Status)
	clk.Add(20 * time.Minute) // 23:50 New York, already the next day in UTC
	assert.Equal(t, http.StatusTooManyRequests, call(t, s, "GET", "/crm/v3/owners", nil).Status)
	clk.Add(15 * time.Minute) // 00:05 New York
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/v3/owners", nil).Status)
}

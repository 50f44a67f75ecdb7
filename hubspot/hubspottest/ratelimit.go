package hubspottest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/hubwise/hubwise/internal/fakehttp"
)

// RateLimits configures HubSpot's limits (hubspot-api.md §2). Headers are sent
// on every non-search response either way; 429s are answered only when Enforce
// is set. Windows are configurable so tests stay fast.
type RateLimits struct {
	// Enforce answers 429 when a window is exhausted.
	Enforce bool
	// Max requests per Interval (the "ten-secondly" rolling window per app);
	// 0 means 190, the Professional/Enterprise private-app figure. Interval 0
	// means 10s.
	Max      int
	Interval time.Duration
	// Daily requests per DailyWindow (a fixed window, as HubSpot resets at
	// midnight); 0 means 1,000,000 (Enterprise) and 24h.
	Daily       int
	DailyWindow time.Duration
	// DailyZone is the account's time zone: "The daily limit resets at midnight
	// in the account's time-zone setting" (hubspot-api.md §2). nil means UTC.
	DailyZone *time.Location
	// SearchMax requests per SearchInterval for the CRM search endpoints, which
	// are exempt from the ten-secondly window and send no rate-limit headers;
	// 0 means 5 per 1s (doc†: search-the-crm).
	SearchMax      int
	SearchInterval time.Duration
	// AssociationsMax requests per AssociationsInterval for the associations
	// API (batch and record-level association endpoints, not labels), which has
	// its own budget: "Free and Starter accounts: 100 requests per 10 seconds"
	// (hubspot-api.md §2, doc†: associations guide). Association batch endpoints
	// stay exempt from the ten-secondly window (spec). 0 means 100 per 10s; the
	// figure for other tiers was not found. A refusal is a 429 with policy
	// TEN_SECONDLY_ROLLING (the body HubSpot sends here is not documented).
	AssociationsMax      int
	AssociationsInterval time.Duration
	// RetryAfter adds a Retry-After header (whole seconds) to 429s. HubSpot does
	// not document one (hubspot-api.md §2 "Retry-After"), so it is off by default.
	RetryAfter bool
}

func (o RateLimits) withDefaults() RateLimits {
	if o.Max == 0 {
		o.Max = 190
	}
	if o.Interval == 0 {
		o.Interval = 10 * time.Second
	}
	if o.Daily == 0 {
		o.Daily = 1_000_000
	}
	if o.DailyWindow == 0 {
		o.DailyWindow = 24 * time.Hour
	}
	if o.AssociationsMax == 0 {
		o.AssociationsMax = 100
	}
	if o.AssociationsInterval == 0 {
		o.AssociationsInterval = 10 * time.Second
	}
	if o.SearchMax == 0 {
		o.SearchMax = 5
	}
	if o.SearchInterval == 0 {
		o.SearchInterval = time.Second
	}
	return o
}

type limiters struct {
	opts   RateLimits
	burst  *fakehttp.Limiter
	daily  *fakehttp.Limiter
	search *fakehttp.Limiter
	assoc  *fakehttp.Limiter
}

func newLimiters(o RateLimits, now func() time.Time) *limiters {
	local := now
	if o.DailyZone != nil {
		// Fixed windows align to the epoch in UTC; shifting the clock by the zone's
		// offset aligns them to local midnight.
		local = func() time.Time {
			t := now()
			_, off := t.In(o.DailyZone).Zone()
			return t.Add(time.Duration(off) * time.Second)
		}
	}
	return &limiters{
		opts:   o,
		burst:  fakehttp.NewLimiter(o.Max, o.Interval, fakehttp.Sliding, now),
		daily:  fakehttp.NewLimiter(o.Daily, o.DailyWindow, fakehttp.Fixed, local),
		search: fakehttp.NewLimiter(o.SearchMax, o.SearchInterval, fakehttp.Sliding, now),
		assoc:  fakehttp.NewLimiter(o.AssociationsMax, o.AssociationsInterval, fakehttp.Sliding, now),
	}
}

// rateLimitBody is the 429 body, which uses a different key set from other
// errors (payload error-429-rate-limit.docs.json; hubspot-api.md §2 "429 body").
type rateLimitBody struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	ErrorType     string `json:"errorType"`
	CorrelationID string `json:"correlationId"`
	PolicyName    string `json:"policyName"`
	RequestID     string `json:"requestId"`
}

// Rate-limit policies and messages. DAILY's message is from the usage-details
// page; SECONDLY's is the one the Node SDK matches (hubspot-api.md §2, §11); the
// ten-secondly text follows the same pattern.
var policies = map[string]string{
	"DAILY":                "You have reached your daily limit.",
	"TEN_SECONDLY_ROLLING": "You have reached your ten_secondly_rolling limit.",
	"SECONDLY":             "You have reached your secondly limit.",
}

// admission describes one call to the limiters.
type admission struct {
	search bool // a CRM search: its own per-second window, no headers
	exempt bool // exempt from the ten-secondly window (association batch)
	assoc  bool // a call of the associations API, which has its own budget
	oauth  bool // authenticated with an OAuth access token: no daily headers
}

// admit applies the limits to one call and writes the headers. It returns
// false after answering 429.
func (l *limiters) admit(w http.ResponseWriter, c admission) bool {
	search, exempt := c.search, c.exempt
	if c.assoc {
		if d := l.assoc.Take(); !d.Allowed && l.opts.Enforce {
			l.refuse(w, "TEN_SECONDLY_ROLLING", d)
			return false
		}
	}
	var burst fakehttp.Decision
	switch {
	case search:
		if d := l.search.Take(); !d.Allowed && l.opts.Enforce {
			l.refuse(w, "SECONDLY", d)
			return false
		}
	case exempt:
	default:
		burst = l.burst.Take()
		if !burst.Allowed && l.opts.Enforce {
			l.headers(w, burst, l.peekDaily(), c.oauth)
			l.refuse(w, "TEN_SECONDLY_ROLLING", burst)
			return false
		}
	}
	daily := l.daily.Take()
	if !search && !exempt {
		l.headers(w, burst, daily, c.oauth)
	}
	if !daily.Allowed && l.opts.Enforce {
		l.refuse(w, "DAILY", daily)
		return false
	}
	return true
}

func (l *limiters) peekDaily() fakehttp.Decision {
	return fakehttp.Decision{Limit: l.opts.Daily, Remaining: -1}
}

// headers writes X-HubSpot-RateLimit-* (hubspot-api.md §2 "Response headers").
// The daily pair is "not sent on OAuth calls" (hubspot-api.md §2; cl:
// rate-limit-headers-will-now-appear-for-oauth-authenticated-calls).
func (l *limiters) headers(w http.ResponseWriter, burst, daily fakehttp.Decision, oauth bool) {
	h := w.Header()
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", strconv.FormatInt(l.opts.Interval.Milliseconds(), 10))
	h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(l.opts.Max))
	h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(max(burst.Remaining, 0)))
	// The secondly headers are "still included … no longer enforced … deprecated".
	secondly := max(1, l.opts.Max/int(max(1, l.opts.Interval/time.Second)))
	h.Set("X-HubSpot-RateLimit-Secondly", strconv.Itoa(secondly))
	h.Set("X-HubSpot-RateLimit-Secondly-Remaining", strconv.Itoa(min(secondly, max(burst.Remaining, 0))))
	if oauth {
		return
	}
	h.Set("X-HubSpot-RateLimit-Daily", strconv.Itoa(l.opts.Daily))
	if daily.Remaining >= 0 {
		h.Set("X-HubSpot-RateLimit-Daily-Remaining", strconv.Itoa(max(daily.Remaining, 0)))
	}
}

func (l *limiters) refuse(w http.ResponseWriter, policy string, d fakehttp.Decision) {
	if l.opts.RetryAfter {
		secs := int((d.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
	writeJSON(w, http.StatusTooManyRequests, rateLimitBody{
		Status: "error", Message: policies[policy], ErrorType: "RATE_LIMIT",
		CorrelationID: newUUID(), PolicyName: policy, RequestID: newUUID(),
	})
}

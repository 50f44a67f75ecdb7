package hubspot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/hubwise/hubwise/internal/httpx"
)

// Rate-limit policy names of 429 bodies (hubspot-api.md §2, doc: usage-details;
// 3p: mk-node-hubspot#89 for SECONDLY on search).
const (
	PolicyDaily              = "DAILY"
	PolicyTenSecondlyRolling = "TEN_SECONDLY_ROLLING"
	PolicySecondly           = "SECONDLY"
)

// RateLimitBudget is a burst budget: Requests calls per Interval. The client spends
// it with a token bucket refilled evenly and holding at most Requests tokens.
type RateLimitBudget struct {
	Requests int
	Interval time.Duration
}

// Documented burst budgets (hubspot-api.md §2, doc†: usage-guidelines 2026). The
// ten-second burst limit applies per app; the daily limit is per account and is
// not spent client-side (a DAILY 429 ends the work with a *RateLimitError). They are
// functions so that no package-level value can be changed under other clients.

// TierFreeStarter is the budget of privately distributed and legacy private apps
// on Free and Starter accounts: 100 requests per 10 s.
func TierFreeStarter() RateLimitBudget {
	return RateLimitBudget{Requests: 100, Interval: 10 * time.Second}
}

// TierProfessionalEnterprise is the budget on Professional and Enterprise
// accounts: 190 requests per 10 s.
func TierProfessionalEnterprise() RateLimitBudget {
	return RateLimitBudget{Requests: 190, Interval: 10 * time.Second}
}

// TierAPILimitIncrease is the budget with the API Limit Increase pack (packs do not
// stack): 250 requests per 10 s.
func TierAPILimitIncrease() RateLimitBudget {
	return RateLimitBudget{Requests: 250, Interval: 10 * time.Second}
}

// TierMarketplaceApp is the budget of public (marketplace) OAuth apps per installing
// account: 110 requests per 10 s, search excluded; the limit increase pack does not
// apply.
func TierMarketplaceApp() RateLimitBudget {
	return RateLimitBudget{Requests: 110, Interval: 10 * time.Second}
}

// SearchRequestsPerSecond is the CRM search limit per account: 5 requests per
// second (hubspot-api.md §2, doc†: search-the-crm; older docs said 4). Search is
// exempt from the ten-second bucket (spec: x-hubspot-rate-limit-exemptions).
const SearchRequestsPerSecond = 5

// WithRateLimit sets the burst budget all non-search requests share (default
// [TierFreeStarter], the smallest documented tier). Use the tier of the account,
// or a smaller share when several clients use one app.
func WithRateLimit(b RateLimitBudget) Option {
	return func(cfg *config) error {
		if b.Requests <= 0 || b.Interval <= 0 {
			return fmt.Errorf("hubspot: WithRateLimit: need positive requests and interval, got %d per %s", b.Requests, b.Interval)
		}
		cfg.budget = b
		return nil
	}
}

// WithSearchRateLimit sets the search budget in requests per second (default 5).
func WithSearchRateLimit(perSecond int) Option {
	return func(cfg *config) error {
		if perSecond <= 0 {
			return fmt.Errorf("hubspot: WithSearchRateLimit: need a positive rate, got %d", perSecond)
		}
		cfg.searchPerS = perSecond
		return nil
	}
}

// WithoutRateLimit disables client-side limiters; 429s are still honoured. Meant for
// fakes and for hosts that meter calls themselves.
func WithoutRateLimit() Option {
	return func(cfg *config) error {
		cfg.noLimits = true
		return nil
	}
}

// limiters holds the client's token buckets.
type limiters struct {
	general, search, associations *rate.Limiter
}

func newLimiters(cfg *config) *limiters {
	if cfg.noLimits {
		return nil
	}
	return &limiters{
		general: windowLimiter(cfg.budget.Requests, cfg.budget.Interval),
		search:  windowLimiter(int(cfg.searchPerS), time.Second),
		// The associations API has its own budget ("Free and Starter accounts: 100
		// requests per 10 seconds") and its batch endpoints are ten-secondly exempt
		// (hubspot-api.md §2, doc†: associations guide; spec). It gets a bucket of
		// the same size as the general one.
		associations: windowLimiter(cfg.budget.Requests, cfg.budget.Interval),
	}
}

// windowLimiter returns a token bucket that never lets more than n requests into any
// window of length per, as HubSpot's rolling windows require. A bucket holding b
// tokens and refilled at r per second admits up to b + r·per requests in a window,
// so the burst is a tenth of the budget and the refill rate the rest:
// 100 per 10 s becomes a burst of 10 and 9 per second.
func windowLimiter(n int, per time.Duration) *rate.Limiter {
	n = max(n, 1)
	burst := max(1, n/10)
	refill := float64(n-burst) / per.Seconds()
	if refill <= 0 {
		// n == 1: one request per window.
		return rate.NewLimiter(rate.Every(per), 1)
	}
	return rate.NewLimiter(rate.Limit(refill), burst)
}

// forRequest picks the buckets of a request: search, association batch, OAuth
// (none), record-level associations (general and associations), or the general one.
func (l *limiters) forRequest(req *http.Request) []*rate.Limiter {
	if l == nil {
		return nil
	}
	p := req.URL.Path
	switch {
	case isSearchPath(p):
		return []*rate.Limiter{l.search}
	case strings.Contains(p, "/oauth/"):
		return nil
	case strings.Contains(p, "/crm/associations/") || strings.Contains(p, "/crm/v4/associations/"):
		if strings.Contains(p, "/batch/") {
			return []*rate.Limiter{l.associations}
		}
	case (strings.HasPrefix(p, "/crm/objects/") || strings.HasPrefix(p, "/crm/v4/objects/")) && strings.Contains(p, "/associations"):
		// Record-level association calls belong to the associations API too, and
		// are not ten-secondly exempt: they take a token from both buckets.
		return []*rate.Limiter{l.general, l.associations}
	}
	return []*rate.Limiter{l.general}
}

func isSearchPath(p string) bool { return strings.HasSuffix(p, "/search") }

// rateBody is the part of a 429 body the policy needs.
type rateBody struct {
	Message    string `json:"message"`
	PolicyName string `json:"policyName"`
}

// searchRetryWait is the wait after a search 429 ("secondly limit"): about 1 s, as
// the official Node client does (hubspot-api.md §11, sdk: RetryDecorator.ts).
const searchRetryWait = time.Second

// tenSecondlyWait is the wait after a TEN_SECONDLY_ROLLING 429 when the interval
// header is absent (hubspot-api.md §2).
const tenSecondlyWait = 10 * time.Second

// rateLimitWait classifies a 429: its policy and how long to wait. daily is true for
// the DAILY policy, which is never retried.
func rateLimitWait(req *http.Request, h http.Header, b rateBody, now time.Time) (policy string, wait time.Duration, daily bool) {
	policy = b.PolicyName
	if policy == "" && strings.Contains(strings.ToLower(b.Message), "secondly limit") {
		policy = PolicySecondly
	}
	if policy == PolicyDaily || strings.Contains(strings.ToLower(b.Message), "daily limit") {
		return PolicyDaily, 0, true
	}
	if ra, ok := httpx.RetryAfter(h, now); ok {
		return policy, ra, false
	}
	if policy == PolicySecondly || (req != nil && isSearchPath(req.URL.Path)) {
		return policy, searchRetryWait, false
	}
	if ms, err := strconv.ParseInt(h.Get(headerIntervalMillis), 10, 64); err == nil && ms > 0 {
		return policy, time.Duration(ms) * time.Millisecond, false
	}
	return policy, tenSecondlyWait, false
}

// policy is HubSpot's retry policy (httpx.Policy). On top of httpx.DefaultPolicy:
// 429s wait the window of their policy and DAILY is final; 500, 521-526 (the error
// page's Cloudflare codes, 3p transcription) join 502/503/504 as retryable for
// repeatable requests; 423 Locked is retried after 2 s ("locks last for 2 seconds",
// 3p transcription of the error-handling page).
func (c *Client) policy(req *http.Request, resp *http.Response, err error) httpx.Decision {
	if err != nil || resp == nil {
		return httpx.DefaultPolicy(req, resp, err)
	}
	if req.Context().Err() != nil {
		return httpx.Decision{Reason: "context done"}
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		raw, _ := httpx.PeekBody(resp, 4096)
		var b rateBody
		_ = json.Unmarshal(raw, &b)
		policy, wait, daily := rateLimitWait(req, resp.Header, b, c.cfg.now())
		if daily {
			return httpx.Decision{Reason: "429 daily limit reached: not retried"}
		}
		return httpx.Decision{Retry: true, Wait: wait, Reason: fmt.Sprintf("429 %s: waiting %s", policyOr(policy), wait)}
	case code == http.StatusLocked:
		return httpx.Decision{Retry: true, Wait: 2 * time.Second, Reason: "423 locked"}
	case code == http.StatusInternalServerError || code >= 521 && code <= 526:
		if httpx.Idempotent(req) {
			return httpx.Decision{Retry: true, Reason: resp.Status + " on a repeatable request"}
		}
		return httpx.Decision{Reason: resp.Status + " on a request that may have been applied"}
	}
	return httpx.DefaultPolicy(req, resp, err)
}

func policyOr(p string) string {
	if p == "" {
		return "rate limit"
	}
	return p
}

// rateLimitError types a 429 answer.
func (c *Client) rateLimitError(apiErr *APIError, body rateBody, resp *http.Response) *RateLimitError {
	now := c.cfg.now()
	policy, wait, daily := rateLimitWait(resp.Request, resp.Header, body, now)
	e := &RateLimitError{APIError: apiErr, Policy: policy, Wait: wait}
	if daily {
		e.ResetAt = nextMidnight(now, c.cfg.dailyResetZone())
		e.Wait = e.ResetAt.Sub(now)
	}
	return e
}

// nextMidnight returns the first midnight after now in loc.
func nextMidnight(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

package connectwise

import (
	"bytes"
	"net/http"
	"net/url"
	"time"

	"github.com/hubwise/hubwise/internal/httpx"
	"golang.org/x/time/rate"
)

// newTransport builds the shared HTTP stack (internal/httpx): retries decided by
// retryPolicy, a rate limiter under the retry loop (every attempt takes a token), a
// redacting logger and redacted transport errors.
func newTransport(cfg *config, red *httpx.Redactor) *httpx.Client {
	lim := rate.NewLimiter(cfg.rateLimit, cfg.rateBurst)
	retryMax := cfg.retryMax
	if retryMax < 0 {
		retryMax = httpx.DefaultRetryMax
	}
	ua := httpx.UserAgent("connectwise")
	if cfg.userAgent != "" {
		ua += " " + cfg.userAgent
	}
	return httpx.New(httpx.Config{
		HTTPClient: cfg.httpClient,
		Logger:     cfg.logger,
		Redactor:   red,
		UserAgent:  ua,
		Limiters:   func(*http.Request) []*rate.Limiter { return []*rate.Limiter{lim} },
		Policy:     retryPolicy,
		RetryMax:   retryMax,
		BackoffMin: cfg.backoffMin,
		BackoffMax: cfg.backoffMax,
		MaxWait:    cfg.maxWait,
		Sleep:      cfg.sleep,
	})
}

// retryPolicy is the retry policy of the ConnectWise client, built on httpx.DefaultPolicy:
//
//   - 429 is always retried, after the Retry-After seconds the API promises
//     ("will include a Retry-After header with a numeric value that indicates the
//     number of seconds to wait", connectwise-api.md §8, S5). The body is not read: at
//     the Cloudflare edge it may be an HTML page (pyconnectwise PR #41).
//   - 502, 503, 504 and transport errors (timeouts, resets) are retried only for
//     requests that cannot duplicate a write: GET, PUT, DELETE, and PATCH requests
//     whose operations are all "replace" (the client marks those with
//     httpx.WithIdempotent: a replace sets a field to an absolute value, so applying it
//     twice leaves the record as applying it once; "add" appends to arrays and is not
//     marked). POST (create) is never retried on these, because the record may have
//     been created before the answer was lost.
//   - 500 whose body mentions a timeout is retried for the same repeatable requests:
//     ConnectWise reports database timeouts as 500 (pyconnectwise retries exactly
//     these, S10). Other 500s are final ("sometimes an undefined error", S5).
func retryPolicy(req *http.Request, resp *http.Response, err error) httpx.Decision {
	d := httpx.DefaultPolicy(req, resp, err)
	if d.Retry || err != nil || resp == nil || resp.StatusCode != http.StatusInternalServerError {
		return d
	}
	if !httpx.Idempotent(req) {
		return d
	}
	body, _ := httpx.PeekBody(resp, 4096)
	if bytes.Contains(bytes.ToLower(body), []byte("timeout")) || bytes.Contains(bytes.ToLower(body), []byte("timed out")) {
		return httpx.Decision{Retry: true, Reason: "500 reporting a server timeout on a repeatable request"}
	}
	return d
}

func (c *Client) redactString(s string) string { return c.redactor.String(s) }

func (c *Client) redactURL(u *url.URL) string { return c.redactor.URL(u) }

func (c *Client) redactErr(err error) error { return c.redactor.Error(err) }

func retryAfter(h http.Header, now time.Time) (time.Duration, bool) { return httpx.RetryAfter(h, now) }

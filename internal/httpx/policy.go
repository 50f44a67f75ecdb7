package httpx

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Decision is what a [Policy] decides about one attempt.
type Decision struct {
	// Retry reports whether the request is sent again.
	Retry bool
	// Wait is how long to wait before the next attempt. Zero means exponential
	// backoff between Config.BackoffMin and Config.BackoffMax.
	Wait time.Duration
	// Reason says why, in a few words; it is logged with the decision.
	Reason string
}

// Policy decides, after each attempt, whether to retry. Exactly one of resp and err
// is non-nil. A policy may read the response body with [PeekBody]; it must not
// consume it.
type Policy func(req *http.Request, resp *http.Response, err error) Decision

type idempotentKey struct{}

// WithIdempotent marks requests made with ctx as safe to repeat even though their
// method (POST, PATCH) is not: a search, a batch read, an upsert keyed on a unique
// property. [DefaultPolicy] then retries them after transport errors and 5xx too.
func WithIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

// Idempotent reports whether req can be repeated without risk of a duplicate write:
// its method is GET, HEAD, OPTIONS, PUT or DELETE, or its context was marked with
// [WithIdempotent].
func Idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	marked, _ := req.Context().Value(idempotentKey{}).(bool)
	return marked
}

// DefaultPolicy is the retry policy both vendors start from:
//   - a done context is never retried;
//   - a transport error (timeout, reset, dropped connection) is retried only when
//     the request is [Idempotent]: the server may have applied a write before the
//     connection died;
//   - 429 is always retried (the request was refused, not applied), after
//     Retry-After when present;
//   - 502, 503 and 504 are retried only when the request is [Idempotent];
//   - everything else is final.
func DefaultPolicy(req *http.Request, resp *http.Response, err error) Decision {
	if cerr := req.Context().Err(); cerr != nil {
		return Decision{Reason: "context done"}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return Decision{Reason: "context done"}
		}
		if Idempotent(req) {
			return Decision{Retry: true, Reason: "transport error on a repeatable request"}
		}
		return Decision{Reason: "transport error on a request that may have been applied"}
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		d := Decision{Retry: true, Reason: "429 rate limited"}
		if wait, ok := RetryAfter(resp.Header, time.Now()); ok {
			d.Wait = wait
			d.Reason = "429 rate limited, Retry-After " + wait.String()
		}
		return d
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if Idempotent(req) {
			return Decision{Retry: true, Reason: resp.Status + " on a repeatable request"}
		}
		return Decision{Reason: resp.Status + " on a request that may have been applied"}
	}
	return Decision{}
}

// RetryAfter parses a Retry-After header, in seconds or as an HTTP date, relative to
// now. It reports false when the header is absent or unreadable.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

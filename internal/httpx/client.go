package httpx

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// DefaultRetryMax is the number of retries after the first attempt when a vendor
// package does not choose its own.
const DefaultRetryMax = 4

// Default backoff bounds for attempts whose [Decision] names no wait.
const (
	DefaultBackoffMin = 250 * time.Millisecond
	DefaultBackoffMax = 30 * time.Second
)

// Config configures a [Client].
type Config struct {
	// HTTPClient sends the requests. Nil means a pooled client with a 60 s timeout.
	// Its Transport is wrapped with the limiters; the client itself is not modified.
	HTTPClient *http.Client
	// Logger receives request logs at Debug and retry decisions at Warn, always
	// through Redactor. Nil discards.
	Logger *slog.Logger
	// Redactor knows the secrets to hide. Nil means a new, empty one.
	Redactor *Redactor
	// UserAgent is sent on every request (see [UserAgent]).
	UserAgent string
	// Limiters returns the limiters an attempt must wait on; every attempt takes one
	// token of each. Nil means no client-side limit.
	Limiters func(*http.Request) []*rate.Limiter
	// Policy decides about retries. Nil means [DefaultPolicy].
	Policy Policy
	// RetryMax is the number of retries after the first attempt. Negative means none.
	RetryMax int
	// BackoffMin and BackoffMax bound the exponential backoff (with full jitter) used
	// when a Decision names no wait. Zero means the defaults.
	BackoffMin, BackoffMax time.Duration
	// MaxWait caps a single wait: a decision to wait longer is not retried and the
	// response is returned instead. Zero means no cap.
	MaxWait time.Duration
	// Sleep waits between attempts. Nil means a real timer that stops when ctx is done.
	// Tests inject a fake that records the waits.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client sends requests with retries, rate limits, a User-Agent and redaction.
// It is safe for concurrent use.
type Client struct {
	rc       *retryablehttp.Client
	cfg      Config
	logger   *slog.Logger
	redactor *Redactor
}

// attemptState travels in the request context so that CheckRetry, which is not told
// the attempt number, can count attempts of one request, and so that the transport
// can tell a retry from a first attempt for [Counter]s. CheckRetry and RoundTrip run
// in turn on the goroutine that called Do, never at once.
type attemptState struct {
	req      *http.Request
	attempts int // attempts checked by checkRetry so far
	retried  int // the last value of attempts for which a retry was counted
}

type attemptKey struct{}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	if cfg.Redactor == nil {
		cfg.Redactor = NewRedactor()
	}
	if cfg.Policy == nil {
		cfg.Policy = DefaultPolicy
	}
	if cfg.RetryMax < 0 {
		cfg.RetryMax = 0
	}
	if cfg.BackoffMin <= 0 {
		cfg.BackoffMin = DefaultBackoffMin
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = DefaultBackoffMax
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	c := &Client{cfg: cfg, redactor: cfg.Redactor, logger: NewLogger(cfg.Logger, cfg.Redactor)}

	base := cfg.HTTPClient
	if base == nil {
		base = defaultHTTPClient()
	}
	hc := *base
	rt := hc.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc.Transport = &limitTransport{base: rt, limiters: cfg.Limiters}

	rc := retryablehttp.NewClient()
	rc.HTTPClient = &hc
	rc.Logger = nil // we log ourselves, redacted and with reasons
	rc.RetryMax = cfg.RetryMax
	rc.CheckRetry = c.checkRetry
	// The wait happens inside checkRetry (through cfg.Sleep, so tests need no real
	// sleeps); retryablehttp's own timer then fires at once.
	rc.Backoff = func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 }
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	c.rc = rc
	return c
}

func defaultHTTPClient() *http.Client {
	return &http.Client{
		Timeout: 60 * time.Second,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			MaxIdleConnsPerHost:   16,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
	}
}

// Logger returns the client's redacting logger.
func (c *Client) Logger() *slog.Logger { return c.logger }

// Redactor returns the client's redactor.
func (c *Client) Redactor() *Redactor { return c.redactor }

// Do sends req, retrying as the policy decides. A request with a body must be
// replayable: created by http.NewRequest from a bytes, strings or bytes.Buffer
// reader, or with GetBody set. The last response is returned as it is, whatever its
// status, and the caller closes its body. On error (transport failure, context done
// while waiting) no response is returned and the error is redacted.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	if c.cfg.UserAgent != "" && req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	st := &attemptState{}
	ctx := context.WithValue(req.Context(), attemptKey{}, st)
	req = req.WithContext(ctx)
	st.req = req

	rreq, err := retryablehttp.FromRequest(req)
	if err != nil {
		return nil, c.redactor.Error(fmt.Errorf("httpx: prepare %s request: %w", req.Method, err))
	}
	c.logger.DebugContext(ctx, "hubwise: request", "method", req.Method, "url", req.URL)
	resp, err := c.rc.Do(rreq)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return nil, c.redactor.Error(err)
	}
	return resp, nil
}

func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	st, _ := ctx.Value(attemptKey{}).(*attemptState)
	if st == nil {
		// Not sent through Do: fall back to a plain default decision.
		return false, nil
	}
	st.attempts++
	req := st.req
	if resp != nil && resp.Request != nil {
		req = resp.Request
	}
	d := c.cfg.Policy(req, resp, err)
	if !d.Retry {
		return false, nil
	}
	if st.attempts > c.cfg.RetryMax {
		c.logger.WarnContext(ctx, "hubwise: giving up", "method", req.Method, "url", req.URL,
			"attempts", st.attempts, "reason", d.Reason)
		return false, nil
	}
	wait := d.Wait
	if wait <= 0 {
		wait = c.backoff(st.attempts)
	}
	if c.cfg.MaxWait > 0 && wait > c.cfg.MaxWait {
		c.logger.WarnContext(ctx, "hubwise: not retrying, wait exceeds the limit", "method", req.Method,
			"url", req.URL, "wait", wait, "max_wait", c.cfg.MaxWait, "reason", d.Reason)
		return false, nil
	}
	attrs := []any{"method", req.Method, "url", req.URL, "attempt", st.attempts, "wait", wait, "reason", d.Reason}
	if resp != nil {
		attrs = append(attrs, "status", resp.StatusCode)
	}
	if err != nil {
		attrs = append(attrs, "error", err)
	}
	c.logger.WarnContext(ctx, "hubwise: retrying", attrs...)
	if serr := c.cfg.Sleep(ctx, wait); serr != nil {
		return false, serr
	}
	return true, nil
}

// backoff is exponential with full jitter: a random wait in [min, min*2^(attempt-1)],
// capped at max.
func (c *Client) backoff(attempt int) time.Duration {
	ceil := c.cfg.BackoffMin << min(attempt-1, 20)
	if ceil > c.cfg.BackoffMax || ceil <= 0 {
		ceil = c.cfg.BackoffMax
	}
	span := ceil - c.cfg.BackoffMin
	if span <= 0 {
		return c.cfg.BackoffMin
	}
	return c.cfg.BackoffMin + rand.N(span+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// limitTransport waits on the request's limiters before every attempt, then
// counts it (see [Counter]).
type limitTransport struct {
	base     http.RoundTripper
	limiters func(*http.Request) []*rate.Limiter
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.limiters != nil {
		for _, l := range t.limiters(req) {
			if l == nil {
				continue
			}
			if err := l.Wait(req.Context()); err != nil {
				if req.Body != nil {
					_ = req.Body.Close()
				}
				return nil, fmt.Errorf("httpx: waiting for the rate limiter: %w", err)
			}
		}
	}
	ctx := req.Context()
	cs := countersIn(ctx)
	if cs == nil || ctx.Err() != nil {
		return t.base.RoundTrip(req)
	}
	// The first hop of an attempt that follows a checked one is a retry;
	// redirect hops of the same attempt are attempts, not retries.
	var retry int64
	if st, _ := ctx.Value(attemptKey{}).(*attemptState); st != nil && st.attempts > st.retried {
		st.retried = st.attempts
		retry = 1
	}
	cs.add(1, retry)
	// Every connection the transport takes for this request beyond the first is
	// a re-send the retry loop never sees. GotConn runs on this goroutine for
	// HTTP/1 and HTTP/2 alike; the atomic keeps custom transports honest too.
	var conns atomic.Int64
	traced := req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { conns.Add(1) },
	}))
	resp, err := t.base.RoundTrip(traced)
	if extra := conns.Load() - 1; extra > 0 {
		cs.add(extra, extra)
	}
	return resp, err
}

package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// fakeSleep records the waits instead of sleeping.
type fakeSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (f *fakeSleep) Sleep(ctx context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	return ctx.Err()
}

func (f *fakeSleep) Waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.waits...)
}

// sequence answers the i-th request with statuses[i] (the last one repeats).
func sequence(t *testing.T, statuses []int, header http.Header) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= len(statuses) {
			i = len(statuses) - 1
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.WriteHeader(statuses[i])
		_, _ = io.WriteString(w, `{"n":`+string(rune('0'+i))+`}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRetry429HonoursRetryAfter(t *testing.T) {
	srv, n := sequence(t, []int{429, 429, 200}, http.Header{"Retry-After": {"7"}})
	fs := &fakeSleep{}
	c := New(Config{RetryMax: 4, Sleep: fs.Sleep})
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"a":1}`))
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, 3, n.Load(), "a 429 is retried even for a POST: it was not applied")
	assert.Equal(t, []time.Duration{7 * time.Second, 7 * time.Second}, fs.Waits())
}

func TestRetryGivesUpAndPassesResponseThrough(t *testing.T) {
	srv, n := sequence(t, []int{503}, nil)
	fs := &fakeSleep{}
	c := New(Config{RetryMax: 2, Sleep: fs.Sleep})
	resp, err := c.Do(mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err, "the final 5xx comes back as a response for the vendor to type")
	defer resp.Body.Close()
	assert.Equal(t, 503, resp.StatusCode)
	assert.EqualValues(t, 3, n.Load())
	body, _ := io.ReadAll(resp.Body)
	assert.NotEmpty(t, body, "the body of the final response is intact")
	assert.Len(t, fs.Waits(), 2)
}

func TestPostNotRetriedOn5xxUnlessMarked(t *testing.T) {
	for _, marked := range []bool{false, true} {
		srv, n := sequence(t, []int{502, 200}, nil)
		c := New(Config{RetryMax: 3, Sleep: (&fakeSleep{}).Sleep})
		ctx := context.Background()
		if marked {
			ctx = WithIdempotent(ctx)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader("x"))
		resp, err := c.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		if marked {
			assert.Equal(t, 200, resp.StatusCode)
			assert.EqualValues(t, 2, n.Load())
		} else {
			assert.Equal(t, 502, resp.StatusCode)
			assert.EqualValues(t, 1, n.Load(), "a POST that may have been applied is not repeated")
		}
	}
}

func TestDroppedConnection(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			require.NoError(t, err)
			_ = conn.Close()
			return
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()

	c := New(Config{RetryMax: 2, Sleep: (&fakeSleep{}).Sleep})
	resp, err := c.Do(mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err)
	resp.Body.Close()
	assert.EqualValues(t, 2, n.Load(), "a GET survives a dropped connection")

	n.Store(0)
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("create"))
	_, err = c.Do(req)
	require.Error(t, err, "a POST whose connection dropped is not repeated")
	assert.EqualValues(t, 1, n.Load())
}

func TestMaxWaitAndRetryMax(t *testing.T) {
	srv, n := sequence(t, []int{429}, http.Header{"Retry-After": {"3600"}})
	c := New(Config{RetryMax: 5, MaxWait: time.Minute, Sleep: (&fakeSleep{}).Sleep})
	resp, err := c.Do(mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode)
	assert.EqualValues(t, 1, n.Load(), "an hour-long wait is not slept through")

	srv2, n2 := sequence(t, []int{429}, nil)
	c = New(Config{RetryMax: -1, Sleep: (&fakeSleep{}).Sleep})
	resp, err = c.Do(mustReq(t, http.MethodGet, srv2.URL))
	require.NoError(t, err)
	resp.Body.Close()
	assert.EqualValues(t, 1, n2.Load(), "negative RetryMax means no retries")
}

func TestContextCancelledWhileWaiting(t *testing.T) {
	srv, _ := sequence(t, []int{429}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	c := New(Config{RetryMax: 3, Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}})
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := c.Do(req)
	assert.Nil(t, resp)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestLimiterTakesATokenPerAttempt(t *testing.T) {
	srv, _ := sequence(t, []int{429, 503, 200}, nil)
	var calls atomic.Int32
	lim := rate.NewLimiter(rate.Inf, 1)
	c := New(Config{RetryMax: 3, Sleep: (&fakeSleep{}).Sleep, Limiters: func(*http.Request) []*rate.Limiter {
		calls.Add(1)
		return []*rate.Limiter{lim, nil}
	}})
	resp, err := c.Do(mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err)
	resp.Body.Close()
	assert.EqualValues(t, 3, calls.Load(), "every attempt, first or retried, waits on the limiters")
}

func TestUserAgent(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.UserAgent() }))
	defer srv.Close()
	c := New(Config{UserAgent: UserAgent("hubspot")})
	resp, err := c.Do(mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, strings.HasPrefix(got, "hubwise/"+Version+" (hubspot;"), got)
}

func TestSecretsNeverLogged(t *testing.T) {
	const canary = "pat-na1-CANARY-0123456789"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	red := NewRedactor(canary)

	// A server that drops every connection: the transport error names the URL.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.Close()
		}
	}()
	defer ln.Close()

	c := New(Config{Logger: logger, Redactor: red, RetryMax: 2, Sleep: (&fakeSleep{}).Sleep})
	u := "http://" + ln.Addr().String() + "/x?hapikey=" + canary + "&code=abc123secret&ok=1"
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+canary)
	_, err = c.Do(req)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), canary)
	assert.NotContains(t, err.Error(), "abc123secret")
	var ue *url.Error
	assert.True(t, errors.As(err, &ue), "the original error is still reachable")
	assert.Contains(t, logs.String(), "retrying")
	assert.NotContains(t, logs.String(), canary)
	assert.NotContains(t, logs.String(), "abc123secret")
}

func TestRedactor(t *testing.T) {
	r := NewRedactor("s3cr3t-token", "", "ab")
	assert.Equal(t, "Bearer [REDACTED]", r.String("Bearer s3cr3t-token"))
	assert.Equal(t, "ab", r.String("ab"), "too-short secrets are ignored")
	r.Add("with space/and+plus")
	assert.Equal(t, "q=[REDACTED]", r.String("q="+url.QueryEscape("with space/and+plus")))
	u, _ := url.Parse("https://user:pw@example.com/p?access_token=zzz&x=1")
	got := r.URL(u)
	assert.NotContains(t, got, "zzz")
	assert.NotContains(t, got, "pw")
	assert.Contains(t, got, "x=1")

	base := errors.New("boom s3cr3t-token")
	wrapped := r.Error(base)
	assert.Equal(t, "boom [REDACTED]", wrapped.Error())
	assert.ErrorIs(t, wrapped, base)
	plain := errors.New("nothing here")
	assert.Same(t, plain, r.Error(plain))
	assert.Nil(t, r.Error(nil))

	var buf bytes.Buffer
	l := NewLogger(slog.New(slog.NewJSONHandler(&buf, nil)), r).With("token", "s3cr3t-token")
	l.WithGroup("g").Info("msg s3cr3t-token", "err", base, "u", u, "b", []byte("s3cr3t-token"),
		slog.Group("inner", "v", "s3cr3t-token"))
	assert.NotContains(t, buf.String(), "s3cr3t-token")
	assert.NotContains(t, buf.String(), "zzz")

	NewLogger(nil, r).Info("discarded") // must not panic
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"5", 5 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"-1", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"soon", 0, false},
	}
	for _, tc := range cases {
		got, ok := RetryAfter(http.Header{"Retry-After": {tc.in}}, now)
		assert.Equal(t, tc.ok, ok, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestBodies(t *testing.T) {
	b, err := ReadBody(strings.NewReader("12345"), 5)
	require.NoError(t, err)
	assert.Equal(t, "12345", string(b))
	b, err = ReadBody(strings.NewReader("123456"), 5)
	assert.ErrorIs(t, err, ErrBodyTooLarge)
	assert.Equal(t, "12345", string(b))

	resp := &http.Response{Body: io.NopCloser(strings.NewReader(`{"policyName":"DAILY"} and more`))}
	peek, err := PeekBody(resp, 10)
	require.NoError(t, err)
	assert.Equal(t, `{"policyNa`, string(peek))
	all, _ := io.ReadAll(resp.Body)
	assert.Equal(t, `{"policyName":"DAILY"} and more`, string(all))
	require.NoError(t, resp.Body.Close())
	p, err := PeekBody(&http.Response{Body: http.NoBody}, 10)
	assert.NoError(t, err)
	assert.Nil(t, p)
}

func TestBackoffBounds(t *testing.T) {
	c := New(Config{BackoffMin: 100 * time.Millisecond, BackoffMax: time.Second})
	for attempt := 1; attempt < 40; attempt++ {
		d := c.backoff(attempt)
		assert.GreaterOrEqual(t, d, 100*time.Millisecond)
		assert.LessOrEqual(t, d, time.Second)
	}
}

func mustReq(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	require.NoError(t, err)
	return req
}

package httpx

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// countedDo sends req with a fresh counter in its context and returns it.
func countedDo(t *testing.T, c *Client, req *http.Request) (*Counter, *http.Response, error) {
	t.Helper()
	cnt := &Counter{}
	resp, err := c.Do(req.WithContext(WithCounter(req.Context(), cnt)))
	if resp != nil {
		resp.Body.Close()
	}
	return cnt, resp, err
}

func TestCounterThroughRetries(t *testing.T) {
	for _, tc := range []struct {
		name              string
		method            string
		statuses          []int
		retryMax          int
		attempts, retries int64
	}{
		{"429 twice then 200", http.MethodPost, []int{429, 429, 200}, 4, 3, 2},
		{"503 then 200 on a GET", http.MethodGet, []int{503, 200}, 4, 2, 1},
		{"504 on a POST is final", http.MethodPost, []int{504, 200}, 4, 1, 0},
		{"429 outlives its retries", http.MethodGet, []int{429}, 2, 3, 2},
		{"no retries allowed", http.MethodGet, []int{429}, -1, 1, 0},
		{"plain 200", http.MethodGet, []int{200}, 4, 1, 0},
		{"final 400", http.MethodGet, []int{400}, 4, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, n := sequence(t, tc.statuses, nil)
			c := New(Config{RetryMax: tc.retryMax, Sleep: (&fakeSleep{}).Sleep})
			req, err := http.NewRequest(tc.method, srv.URL, strings.NewReader(`{}`))
			require.NoError(t, err)
			cnt, _, err := countedDo(t, c, req)
			require.NoError(t, err)
			assert.Equal(t, tc.attempts, cnt.Attempts())
			assert.Equal(t, tc.retries, cnt.Retries())
			assert.EqualValues(t, n.Load(), cnt.Attempts(), "the counter agrees with the server")
		})
	}
}

// dropCall serves 200s, except that it closes the connection under call k
// (counting calls in n).
func dropCall(t *testing.T, n *atomic.Int32, k int32) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == k {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCounterDroppedConnection(t *testing.T) {
	var n atomic.Int32
	srv := dropCall(t, &n, 1)
	c := New(Config{RetryMax: 2, Sleep: (&fakeSleep{}).Sleep})

	cnt, _, err := countedDo(t, c, mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err)
	assert.EqualValues(t, 2, cnt.Attempts(), "the dropped attempt reached the server and counts")
	assert.EqualValues(t, 1, cnt.Retries())

	n.Store(0)
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("create"))
	cnt, _, err = countedDo(t, c, req)
	require.Error(t, err, "a POST whose connection dropped is not repeated")
	assert.EqualValues(t, 1, cnt.Attempts())
	assert.EqualValues(t, 0, cnt.Retries())
}

func TestCounterCancelledContext(t *testing.T) {
	t.Run("while waiting to retry", func(t *testing.T) {
		srv, n := sequence(t, []int{429}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c := New(Config{RetryMax: 3, Sleep: func(ctx context.Context, d time.Duration) error {
			cancel()
			return ctx.Err()
		}})
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		cnt, _, err := countedDo(t, c, req)
		assert.ErrorIs(t, err, context.Canceled)
		assert.EqualValues(t, 1, n.Load())
		assert.EqualValues(t, 1, cnt.Attempts(), "the retry that never left is not counted")
		assert.EqualValues(t, 0, cnt.Retries())
	})
	t.Run("before the first attempt", func(t *testing.T) {
		srv, n := sequence(t, []int{200}, nil)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		c := New(Config{RetryMax: 3, Sleep: (&fakeSleep{}).Sleep})
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		cnt, _, err := countedDo(t, c, req)
		assert.ErrorIs(t, err, context.Canceled)
		assert.EqualValues(t, 0, n.Load())
		assert.EqualValues(t, 0, cnt.Attempts())
	})
	t.Run("while waiting for the limiter", func(t *testing.T) {
		srv, n := sequence(t, []int{200}, nil)
		lim := rate.NewLimiter(rate.Every(time.Hour), 1)
		require.True(t, lim.Allow(), "drain the only token")
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		c := New(Config{RetryMax: 3, Sleep: (&fakeSleep{}).Sleep,
			Limiters: func(*http.Request) []*rate.Limiter { return []*rate.Limiter{lim} }})
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
		cnt, _, err := countedDo(t, c, req)
		require.Error(t, err)
		assert.EqualValues(t, 0, n.Load())
		assert.EqualValues(t, 0, cnt.Attempts(), "an attempt the limiter held back is not counted")
	})
}

func TestCounterRedirectHopsAreAttemptsNotRetries(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	c := New(Config{RetryMax: 2, Sleep: (&fakeSleep{}).Sleep})
	cnt, resp, err := countedDo(t, c, mustReq(t, http.MethodGet, srv.URL+"/old"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.EqualValues(t, 2, n.Load())
	assert.EqualValues(t, 2, cnt.Attempts())
	assert.EqualValues(t, 0, cnt.Retries())
}

func TestCounterNesting(t *testing.T) {
	srv, _ := sequence(t, []int{429, 200}, nil)
	c := New(Config{RetryMax: 2, Sleep: (&fakeSleep{}).Sleep})
	outer, inner := &Counter{}, &Counter{}
	ctx := WithCounter(context.Background(), outer)
	ctx = WithCounter(ctx, inner)
	assert.Equal(t, ctx, WithCounter(ctx, outer), "a counter already carried is not added again")
	assert.Equal(t, ctx, WithCounter(ctx, inner))
	assert.Equal(t, ctx, WithCounter(ctx, nil))

	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	for _, cnt := range []*Counter{outer, inner} {
		assert.EqualValues(t, 2, cnt.Attempts())
		assert.EqualValues(t, 1, cnt.Retries())
	}
}

func TestCounterConcurrent(t *testing.T) {
	srv, _ := sequence(t, []int{200}, nil)
	c := New(Config{RetryMax: 2, Sleep: (&fakeSleep{}).Sleep})
	cnt := &Counter{}
	ctx := WithCounter(context.Background(), cnt)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			resp, err := c.Do(req)
			if assert.NoError(t, err) {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 16, cnt.Attempts())
	assert.EqualValues(t, 0, cnt.Retries())
}

func TestCounterCostsNothingWithoutOne(t *testing.T) {
	bare := context.Background()
	assert.Zero(t, testing.AllocsPerRun(100, func() { countersIn(bare).add(1, 1) }), "no counter: no allocation")
	counted := WithCounter(bare, &Counter{})
	assert.Zero(t, testing.AllocsPerRun(100, func() { countersIn(counted).add(1, 1) }), "counting allocates nothing either")

	srv, n := sequence(t, []int{429, 200}, nil)
	c := New(Config{RetryMax: 2, Sleep: (&fakeSleep{}).Sleep})
	resp, err := c.Do(mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err, "requests without a counter work as before")
	resp.Body.Close()
	assert.EqualValues(t, 2, n.Load())
}

func BenchmarkCount(b *testing.B) {
	b.Run("none", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			countersIn(ctx).add(1, 0)
		}
	})
	b.Run("one", func(b *testing.B) {
		ctx := WithCounter(context.Background(), &Counter{})
		b.ReportAllocs()
		for b.Loop() {
			countersIn(ctx).add(1, 0)
		}
	})
}

func TestCounterTransportResendOnReusedConnection(t *testing.T) {
	var n atomic.Int32
	// Close the kept-alive connection under the second request: net/http
	// sends a replayable request again on a fresh connection by itself.
	srv := dropCall(t, &n, 2)
	c := New(Config{RetryMax: 2, Sleep: (&fakeSleep{}).Sleep})

	cnt, _, err := countedDo(t, c, mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err)
	assert.EqualValues(t, 1, cnt.Attempts())

	cnt, resp, err := countedDo(t, c, mustReq(t, http.MethodGet, srv.URL))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.EqualValues(t, 3, n.Load(), "the transport re-sent the request")
	assert.EqualValues(t, 2, cnt.Attempts(), "the re-send below the retry loop is counted")
	assert.EqualValues(t, 1, cnt.Retries())
}

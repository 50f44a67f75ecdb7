package hubspot

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

const tenSecondly429 = `{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c","policyName":"TEN_SECONDLY_ROLLING"}`

func TestTenSecondly429IsWaitedOutAndSucceeds(t *testing.T) {
	c, mux, sl := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/crm/objects/2026-09/contacts/1", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set(headerIntervalMillis, "10000")
			w.Header().Set(headerMax, "100")
			w.Header().Set(headerRemaining, "0")
			writeJSON(w, 429, tenSecondly429)
			return
		}
		w.Header().Set(headerIntervalMillis, "10000")
		w.Header().Set(headerMax, "100")
		w.Header().Set(headerRemaining, "99")
		w.Header().Set(headerDaily, "250000")
		w.Header().Set(headerDailyRemaining, "249000")
		writeJSON(w, 200, `{"id":"1","properties":{}}`)
	})
	obj, resp, err := c.Contacts.Get(context.Background(), "1", nil)
	require.NoError(t, err)
	assert.Equal(t, "1", obj.ID)
	assert.Equal(t, int32(2), calls.Load())
	assert.Equal(t, []time.Duration{10 * time.Second}, sl.got())
	assert.Equal(t, RateLimit{IntervalMillis: 10000, Max: 100, Remaining: 99, Daily: 250000, DailyRemaining: 249000}, resp.RateLimit)
}

func TestRateLimitWaitSources(t *testing.T) {
	for _, tc := range []struct {
		name    string
		path    string
		headers map[string]string
		body    string
		want    time.Duration
	}{
		{"interval header", "/crm/objects/2026-09/contacts/1", map[string]string{headerIntervalMillis: "2500"}, tenSecondly429, 2500 * time.Millisecond},
		{"no header: 10 s", "/crm/objects/2026-09/contacts/1", nil, tenSecondly429, 10 * time.Second},
		{"Retry-After wins", "/crm/objects/2026-09/contacts/1", map[string]string{"Retry-After": "3", headerIntervalMillis: "10000"}, tenSecondly429, 3 * time.Second},
		{"secondly message", "/crm/objects/2026-09/contacts/1", nil, `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT"}`, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, sl := setup(t)
			var calls atomic.Int32
			mux.HandleFunc(tc.path, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					for k, v := range tc.headers {
						w.Header().Set(k, v)
					}
					writeJSON(w, 429, tc.body)
					return
				}
				writeJSON(w, 200, `{"id":"1"}`)
			})
			_, _, err := c.Contacts.Get(context.Background(), "1", nil)
			require.NoError(t, err)
			assert.Equal(t, []time.Duration{tc.want}, sl.got())
		})
	}
}

func TestSearch429WaitsAboutOneSecond(t *testing.T) {
	c, mux, sl := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/search", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, 429, `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","policyName":"SECONDLY"}`)
			return
		}
		writeJSON(w, 200, `{"total":0,"results":[]}`)
	})
	_, _, err := c.Contacts.Search(context.Background(), &SearchRequest{})
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{time.Second}, sl.got())
}

func TestDailyLimitIsNotRetried(t *testing.T) {
	now := time.Date(2026, 11, 27, 21, 30, 0, 0, time.UTC)
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		opts []Option
		want time.Time
	}{
		{"UTC default", nil, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)},
		{"account zone", []Option{WithDailyResetZone(berlin)}, time.Date(2026, 11, 28, 0, 0, 0, 0, berlin)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, sl := setup(t, append(tc.opts, WithClock(func() time.Time { return now }))...)
			var calls atomic.Int32
			mux.HandleFunc("/crm/objects/2026-09/contacts/1", func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				writeJSON(w, 429, `{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c033cdaa","policyName":"DAILY","requestId":"3d3e"}`)
			})
			_, _, err := c.Contacts.Get(context.Background(), "1", nil)
			var rl *RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.ErrorIs(t, err, ErrRateLimited)
			assert.Equal(t, int32(1), calls.Load(), "DAILY must not be retried")
			assert.Empty(t, sl.got())
			assert.Equal(t, PolicyDaily, rl.Policy)
			assert.True(t, rl.ResetAt.Equal(tc.want), "reset %s, want %s", rl.ResetAt, tc.want)
			assert.Equal(t, tc.want.Sub(now), rl.Wait)
			assert.Equal(t, CategoryRateLimits, rl.Category)
		})
	}
}

func TestRetriesExhaustedReturnRateLimitError(t *testing.T) {
	c, mux, sl := setup(t, WithRetryMax(2))
	var calls atomic.Int32
	mux.HandleFunc("/crm/objects/2026-09/contacts/1", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeJSON(w, 429, tenSecondly429)
	})
	_, _, err := c.Contacts.Get(context.Background(), "1", nil)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, PolicyTenSecondlyRolling, rl.Policy)
	assert.Equal(t, 10*time.Second, rl.Wait)
	assert.Equal(t, int32(3), calls.Load())
	assert.Len(t, sl.got(), 2)
}

func TestLongRetryAfterBeyondMaxWaitIsReturned(t *testing.T) {
	c, mux, sl := setup(t, WithMaxWait(30*time.Second))
	mux.HandleFunc("/crm/objects/2026-09/contacts/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, 429, tenSecondly429)
	})
	_, _, err := c.Contacts.Get(context.Background(), "1", nil)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, time.Hour, rl.Wait)
	assert.Empty(t, sl.got())
}

func TestServerErrorsRetriedOnlyWhenRepeatable(t *testing.T) {
	t.Run("batch upsert is retried", func(t *testing.T) {
		c, mux, sl := setup(t)
		var calls atomic.Int32
		mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/upsert", func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) < 3 {
				writeJSON(w, 503, `{"status":"error","message":"unavailable"}`)
				return
			}
			writeJSON(w, 200, `{"status":"COMPLETE","results":[{"id":"1","new":true,"properties":{}}]}`)
		})
		res, _, err := c.Contacts.BatchUpsert(context.Background(), []BatchUpsertInput{{ID: "a@b.c", IDProperty: "email"}})
		require.NoError(t, err)
		assert.Len(t, res, 1)
		assert.Equal(t, int32(3), calls.Load())
		assert.Len(t, sl.got(), 2)
	})
	t.Run("batch create is not retried", func(t *testing.T) {
		c, mux, sl := setup(t)
		var calls atomic.Int32
		mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/create", func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			writeJSON(w, 503, `{"status":"error","message":"unavailable"}`)
		})
		_, _, err := c.Contacts.BatchCreate(context.Background(), []BatchCreateInput{{Properties: map[string]string{"email": "a@b.c"}}})
		var be *BatchError
		require.ErrorAs(t, err, &be)
		require.NotNil(t, be.Abort)
		assert.Equal(t, int32(1), calls.Load())
		assert.Empty(t, sl.got())
	})
	t.Run("500 on GET is retried", func(t *testing.T) {
		c, mux, _ := setup(t)
		var calls atomic.Int32
		mux.HandleFunc("/crm/objects/2026-09/contacts/1", func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				writeJSON(w, 500, `{}`)
				return
			}
			writeJSON(w, 200, `{"id":"1"}`)
		})
		_, _, err := c.Contacts.Get(context.Background(), "1", nil)
		require.NoError(t, err)
	})
}

func TestTransportErrorRetriedOnlyWhenRepeatable(t *testing.T) {
	c, mux, _ := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("/crm/objects/2026-09/contacts/1", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
			return
		}
		writeJSON(w, 200, `{"id":"1"}`)
	})
	_, _, err := c.Contacts.Get(context.Background(), "1", nil)
	require.NoError(t, err)
	assert.Equal(t, int32(2), calls.Load())

	var creates atomic.Int32
	mux.HandleFunc("POST /crm/objects/2026-09/contacts", func(w http.ResponseWriter, r *http.Request) {
		creates.Add(1)
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		_ = conn.Close()
	})
	_, _, err = c.Contacts.Create(context.Background(), &ObjectCreateRequest{Properties: map[string]string{"email": "x@y.z"}})
	require.Error(t, err)
	assert.Equal(t, int32(1), creates.Load(), "a create that may have been applied is not repeated")
	assert.Contains(t, err.Error(), "POST http://")
}

func TestLimiterSelection(t *testing.T) {
	c, err := NewClient()
	require.NoError(t, err)
	l := c.limits
	req := func(p string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "https://api.hubapi.com"+p, nil)
		return r
	}
	assert.Equal(t, l.search, l.forRequest(req("/crm/objects/2026-09/contacts/search"))[0])
	assert.Equal(t, l.general, l.forRequest(req("/crm/objects/2026-09/contacts/batch/upsert"))[0])
	assert.Equal(t, l.associations, l.forRequest(req("/crm/associations/2026-09/contacts/companies/batch/read"))[0])
	assert.Equal(t, l.associations, l.forRequest(req("/crm/v4/associations/contacts/companies/batch/create"))[0])
	assert.Equal(t, []*rate.Limiter{l.general, l.associations}, l.forRequest(req("/crm/objects/2026-09/contacts/1/associations/companies")))
	assert.Equal(t, []*rate.Limiter{l.general, l.associations}, l.forRequest(req("/crm/v4/objects/contacts/1/associations/default/companies/2")))
	assert.Equal(t, l.general, l.forRequest(req("/crm/associations/2026-09/contacts/companies/labels"))[0])
	assert.Nil(t, l.forRequest(req("/oauth/2026-03/token")))
	assert.InDelta(t, 9.0, float64(l.general.Limit()), 0.001, "100 per 10 s: 9/s after a burst of 10")
	assert.Equal(t, 10, l.general.Burst())
	assert.InDelta(t, 4.0, float64(l.search.Limit()), 0.001)

	c2, err := NewClient(WithRateLimit(TierProfessionalEnterprise()), WithSearchRateLimit(4))
	require.NoError(t, err)
	assert.InDelta(t, 17.1, float64(c2.limits.general.Limit()), 0.001)
	assert.Equal(t, 19, c2.limits.general.Burst())
	c3, err := NewClient(WithoutRateLimit())
	require.NoError(t, err)
	assert.Nil(t, c3.limits.forRequest(req("/crm/objects/2026-09/contacts/search")))
	assert.Equal(t, 110, TierMarketplaceApp().Requests)
	assert.Equal(t, 250, TierAPILimitIncrease().Requests)
}

func TestContextCancelledWhileWaiting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c, mux, _ := setup(t, WithSleep(func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }))
	mux.HandleFunc("/crm/objects/2026-09/contacts/1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 429, tenSecondly429)
	})
	_, _, err := c.Contacts.Get(ctx, "1", nil)
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
}

// TestWindowLimiterNeverExceedsTheWindow drives the limiters with a simulated clock:
// however requests arrive, no rolling window sees more than the budget.
func TestWindowLimiterNeverExceedsTheWindow(t *testing.T) {
	for _, b := range []RateLimitBudget{TierFreeStarter(), TierProfessionalEnterprise(), TierAPILimitIncrease(), TierMarketplaceApp(), {Requests: 5, Interval: time.Second}, {Requests: 1, Interval: time.Second}} {
		l := windowLimiter(b.Requests, b.Interval)
		start := time.Unix(0, 0)
		var admitted []time.Time
		for step := time.Duration(0); step < 6*b.Interval; step += b.Interval / 1000 {
			now := start.Add(step)
			for l.AllowN(now, 1) {
				admitted = append(admitted, now)
			}
		}
		for i := range admitted {
			n := 0
			for j := i; j < len(admitted) && admitted[j].Sub(admitted[i]) < b.Interval; j++ {
				n++
			}
			require.LessOrEqual(t, n, b.Requests, "%d per %s: window starting at %s", b.Requests, b.Interval, admitted[i].Sub(start))
		}
		assert.Greater(t, len(admitted), 5*b.Requests*8/10, "%d per %s: the budget is mostly used", b.Requests, b.Interval)
	}
}

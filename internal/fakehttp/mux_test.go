package fakehttp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const upsertPattern = "POST /crm/objects/{version}/{objectType}/batch/upsert"

// newTestMux returns a Mux with two routes, served under httptest, and a counter
// of how many times the real upsert handler ran.
func newTestMux(t *testing.T) (*Mux, *Server, *atomic.Int64) {
	t.Helper()
	handled := new(atomic.Int64)
	m := NewMux(nil)
	m.HandleFunc(upsertPattern, func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"status":"COMPLETE","objectType":"`+r.PathValue("objectType")+`"}`)
	})
	m.HandleFunc("GET /ping", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "pong")
	})
	s := StartTB(t, m)
	return m, s, handled
}

func post(t *testing.T, url string) (*http.Response, []byte, error) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(`{}`))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestMuxRecordsAndCounts(t *testing.T) {
	m, s, _ := newTestMux(t)
	for range 3 {
		_, body, err := post(t, s.URL()+"/crm/objects/2026-09/contacts/batch/upsert")
		require.NoError(t, err)
		assert.JSONEq(t, `{"status":"COMPLETE","objectType":"contacts"}`, string(body))
	}
	_, _, err := post(t, s.URL()+"/crm/objects/2026-03/companies/batch/upsert")
	require.NoError(t, err)
	resp, err := http.Get(s.URL() + "/ping?x=1")
	require.NoError(t, err)
	resp.Body.Close()
	resp, err = http.Get(s.URL() + "/nowhere")
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, 6, m.Count())
	assert.Equal(t, 4, m.Count(ByPattern(upsertPattern)))
	assert.Equal(t, 3, m.Count(ByPath("POST", "/crm/objects/2026-09/contacts/batch/upsert")))
	assert.Equal(t, 0, m.Count(ByPath("GET", "/crm/objects/2026-09/contacts/batch/upsert")))
	assert.Equal(t, 1, m.Count(ByPath("", "/ping")))
	assert.Equal(t, 5, m.Count(ByPatterns(upsertPattern, "GET /ping")))
	assert.Equal(t, 1, m.Count(ByPatterns("GET /ping"), ByPath("GET", "")))

	calls := m.Calls(ByPath("GET", "/ping"))
	require.Len(t, calls, 1)
	assert.Equal(t, "GET /ping", calls[0].Pattern)
	assert.Equal(t, "x=1", calls[0].Query)
	assert.Equal(t, http.StatusOK, calls[0].Status)
	assert.False(t, calls[0].Time.IsZero())
	nf := m.Calls(ByPath("GET", "/nowhere"))
	require.Len(t, nf, 1)
	assert.Equal(t, http.StatusNotFound, nf[0].Status)
	assert.Empty(t, nf[0].Pattern, "an unrouted call has no pattern")

	m.ResetCalls()
	assert.Zero(t, m.Count())
	assert.Empty(t, m.Calls())
}

func TestMuxMaxLogKeepsCounts(t *testing.T) {
	m := NewMux(&Options{MaxLog: 3})
	m.HandleFunc("GET /x", func(http.ResponseWriter, *http.Request) {})
	s := StartTB(t, m)
	for range 5 {
		resp, err := http.Get(s.URL() + "/x")
		require.NoError(t, err)
		resp.Body.Close()
	}
	assert.Len(t, m.Calls(), 3)
	assert.Equal(t, 5, m.Count())
}

func TestMuxConcurrentUse(t *testing.T) {
	m, s, handled := newTestMux(t)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, _, err := post(t, s.URL()+"/crm/objects/2026-09/deals/batch/upsert")
			assert.NoError(t, err)
			_ = m.Calls(ByPattern(upsertPattern))
		})
	}
	wg.Wait()
	assert.Equal(t, 20, m.Count(ByPattern(upsertPattern)))
	assert.EqualValues(t, 20, handled.Load())
}

func TestFaults(t *testing.T) {
	const path = "/crm/objects/2026-09/contacts/batch/upsert"
	tests := []struct {
		name        string
		match       Match
		fault       Fault
		wantErr     bool
		wantStatus  int
		wantBody    string
		wantHeader  string
		wantHandled int64
		badJSON     bool
	}{
		{
			name:       "status with body and header",
			match:      ByPattern(upsertPattern),
			fault:      Fault{Status: 429, Body: []byte(`{"policyName":"TEN_SECONDLY_ROLLING"}`), Header: http.Header{"X-Test": {"1"}}},
			wantStatus: 429, wantBody: `{"policyName":"TEN_SECONDLY_ROLLING"}`, wantHeader: "1",
		},
		{
			name:        "status after handler keeps the effect",
			match:       ByPath("POST", path),
			fault:       Fault{Status: 502, AfterHandler: true},
			wantStatus:  502,
			wantHandled: 1,
		},
		{
			name:    "dropped connection",
			match:   ByPattern(upsertPattern),
			fault:   Fault{Drop: true},
			wantErr: true,
		},
		{
			name:        "dropped after handler",
			match:       ByPattern(upsertPattern),
			fault:       Fault{Drop: true, AfterHandler: true},
			wantErr:     true,
			wantHandled: 1,
		},
		{
			name:        "truncated body",
			match:       ByPattern(upsertPattern),
			fault:       Fault{Truncate: true},
			wantErr:     true,
			wantHandled: 1,
		},
		{
			name:        "malformed body",
			match:       ByPattern(upsertPattern),
			fault:       Fault{Malformed: true},
			wantStatus:  200,
			wantHandled: 1,
			badJSON:     true,
		},
		{
			name:        "latency only",
			match:       AnyRoute,
			fault:       Fault{Latency: 5 * time.Millisecond},
			wantStatus:  200,
			wantHandled: 1,
			wantBody:    `{"status":"COMPLETE","objectType":"contacts"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, s, handled := newTestMux(t)
			inj := m.Inject(tt.match, 1, tt.fault)
			resp, body, err := post(t, s.URL()+path)
			if tt.wantErr {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tt.wantStatus, resp.StatusCode)
				if tt.wantBody != "" {
					assert.JSONEq(t, tt.wantBody, string(body))
				}
				if tt.wantHeader != "" {
					assert.Equal(t, tt.wantHeader, resp.Header.Get("X-Test"))
				}
				if tt.badJSON {
					var v any
					assert.Error(t, json.Unmarshal(body, &v))
				}
			}
			assert.Equal(t, tt.wantHandled, handled.Load())
			assert.Equal(t, 1, inj.Hits())
			assert.Equal(t, 0, inj.Remaining())
			calls := m.Calls()
			require.Len(t, calls, 1)
			assert.True(t, calls[0].Fault)

			// The fault was for one call only: the next one is served normally.
			resp, body, err = post(t, s.URL()+path)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			assert.JSONEq(t, `{"status":"COMPLETE","objectType":"contacts"}`, string(body))
		})
	}
}

func TestFaultCountsAndOrder(t *testing.T) {
	m, s, _ := newTestMux(t)
	first := m.Inject(ByPattern(upsertPattern), 2, Fault{Status: 503})
	forever := m.Inject(ByPattern(upsertPattern), 0, Fault{Status: 500})
	other := m.Inject(ByPath("GET", "/ping"), 1, Fault{Status: 418})
	var got []int
	for range 4 {
		resp, _, err := post(t, s.URL()+"/crm/objects/2026-09/contacts/batch/upsert")
		require.NoError(t, err)
		got = append(got, resp.StatusCode)
	}
	assert.Equal(t, []int{503, 503, 500, 500}, got)
	assert.Equal(t, 2, first.Hits())
	assert.Equal(t, -1, forever.Remaining())
	assert.Equal(t, 0, other.Hits())
	forever.Remove()
	resp, _, err := post(t, s.URL()+"/crm/objects/2026-09/contacts/batch/upsert")
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	m.ClearFaults()
	resp, err = http.Get(s.URL() + "/ping")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
}

func TestFaultLatencyHonoursClientCancel(t *testing.T) {
	m, s, handled := newTestMux(t)
	m.Inject(AnyRoute, 1, Fault{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", s.URL()+"/crm/objects/2026-09/contacts/batch/upsert", nil)
	require.NoError(t, err)
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	require.Eventually(t, func() bool { return m.Count() == 1 }, time.Second, time.Millisecond)
	assert.Zero(t, handled.Load())
	assert.Equal(t, 0, m.Calls()[0].Status)
}

func TestStartStandalone(t *testing.T) {
	m := NewMux(nil)
	m.HandleFunc("GET /ping", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "pong") })
	s, err := Start("127.0.0.1:0", m)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(s.URL(), "http://127.0.0.1:"))
	resp, err := http.Get(s.URL() + "/ping")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "pong", string(b))
	require.NoError(t, s.Shutdown(context.Background()))
	require.NoError(t, <-s.Done())
	require.NoError(t, s.Close(), "second close is a no-op")
	_, err = http.Get(s.URL() + "/ping")
	assert.Error(t, err)
}

package hubspottest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func upsertBody(email string) map[string]any {
	return map[string]any{"inputs": []any{map[string]any{"id": email, "idProperty": "email", "properties": map[string]string{"firstname": "F"}}}}
}

func TestFaultHooks(t *testing.T) {
	const path = "/crm/objects/2026-09/contacts/batch/upsert"
	s := NewServer(t, Options{})

	t.Run("status with body for the next N calls", func(t *testing.T) {
		body := []byte(`{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`)
		inj := s.InjectOp(OpBatchUpsert, 2, Fault{Status: 429, Body: body, Header: http.Header{"X-HubSpot-RateLimit-Remaining": {"0"}}})
		for range 2 {
			r := call(t, s, "POST", path, upsertBody("f1@example.com"))
			assert.Equal(t, http.StatusTooManyRequests, r.Status)
			assert.Equal(t, "TEN_SECONDLY_ROLLING", r.JSON["policyName"])
			assert.Equal(t, "0", r.Header.Get("X-HubSpot-RateLimit-Remaining"))
		}
		assert.Equal(t, 0, s.RecordCount("contacts"), "the write did not happen")
		assert.Equal(t, http.StatusOK, call(t, s, "POST", path, upsertBody("f1@example.com")).Status)
		assert.Equal(t, 2, inj.Hits())
	})
	t.Run("5xx after the handler: the write happened, the answer was lost", func(t *testing.T) {
		s.InjectOp(OpBatchUpsert, 1, Fault{Status: 502, AfterHandler: true})
		assert.Equal(t, http.StatusBadGateway, call(t, s, "POST", "/crm/v3/objects/contacts/batch/upsert", upsertBody("f2@example.com")).Status)
		assert.Len(t, s.FindRecords("contacts", "email", "f2@example.com"), 1)
		r := call(t, s, "POST", path, upsertBody("f2@example.com"))
		assert.Equal(t, false, r.list("results")[0]["new"], "a replayed upsert updates, never duplicates")
	})
	t.Run("dropped connection", func(t *testing.T) {
		s.Inject(Path("POST", path), 1, Fault{Drop: true})
		req, _ := http.NewRequest("POST", s.URL()+path, strings.NewReader(`{"inputs":[]}`))
		req.Header.Set("Authorization", "Bearer "+s.Token())
		_, err := http.DefaultClient.Do(req)
		assert.Error(t, err)
	})
	t.Run("malformed body", func(t *testing.T) {
		s.Inject(Route("GET /crm/v3/owners"), 1, Fault{Malformed: true})
		r := callRaw(t, s, "GET", "/crm/v3/owners")
		var v any
		assert.Error(t, json.Unmarshal(r, &v))
	})
	t.Run("truncated body", func(t *testing.T) {
		s.Inject(Route("GET /crm/v3/owners"), 1, Fault{Truncate: true})
		req, _ := http.NewRequest("GET", s.URL()+"/crm/v3/owners", nil)
		req.Header.Set("Authorization", "Bearer "+s.Token())
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
		assert.Error(t, err)
	})
	t.Run("latency", func(t *testing.T) {
		s.Inject(AnyRoute, 1, Fault{Latency: 30 * time.Millisecond})
		c := &http.Client{Timeout: 5 * time.Millisecond}
		req, _ := http.NewRequest("GET", s.URL()+"/crm/v3/owners", nil)
		_, err := c.Do(req)
		assert.Error(t, err)
	})
	calls := s.Calls(s.Op(OpBatchUpsert))
	require.NotEmpty(t, calls)
	assert.Equal(t, http.StatusTooManyRequests, calls[0].Status)
	assert.True(t, calls[0].Fault)
	assert.Equal(t, []string{"POST /crm/v3/objects/{objectType}/batch/upsert", "POST /crm/objects/{version}/{objectType}/batch/upsert"}, s.Patterns(OpBatchUpsert))
	s.ResetCalls()
	assert.Zero(t, s.Count())
	s.ClearFaults()
}

func callRaw(t *testing.T, s *Server, method, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL()+path, nil)
	req.Header.Set("Authorization", "Bearer "+s.Token())
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return b
}

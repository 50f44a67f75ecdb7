package hubspottest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// resp is a decoded response.
type resp struct {
	Status int
	Header http.Header
	Raw    []byte
	JSON   map[string]any
}

// call sends a request with the server's token; body may be nil, a string
// (sent as is) or a value (JSON-encoded).
func call(t testing.TB, s *Server, method, path string, body any) resp {
	t.Helper()
	return callAuth(t, s, "Bearer "+s.Token(), method, path, body)
}

func callAuth(t testing.TB, s *Server, auth, method, path string, body any) resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		buf, err := json.Marshal(b)
		require.NoError(t, err)
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	out := resp{Status: res.StatusCode, Header: res.Header, Raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		require.NoError(t, json.Unmarshal(raw, &out.JSON), string(raw))
	}
	return out
}

// list returns out.JSON[key] as a slice of objects.
func (r resp) list(key string) []map[string]any {
	items, _ := r.JSON[key].([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i], _ = it.(map[string]any)
	}
	return out
}

func props(m map[string]any) map[string]any {
	p, _ := m["properties"].(map[string]any)
	return p
}

// both runs f for a legacy and a date-based prefix of an area.
var objectPrefixes = []string{"/crm/v3/objects", "/crm/objects/2026-09", "/crm/objects/2026-03"}

// clock is a manual clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// mustCreate seeds a record and returns its id.
func mustCreate(t testing.TB, s *Server, typ string, p map[string]string) string {
	t.Helper()
	id, err := s.CreateRecord(typ, p)
	require.NoError(t, err)
	return id
}

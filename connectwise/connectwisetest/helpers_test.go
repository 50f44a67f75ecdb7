package connectwisetest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// raw is a bare HTTP client for the fake, with valid credentials by default.
type raw struct {
	t   testing.TB
	s   *Server
	hdr http.Header
}

func setup(t testing.TB, opts ...Options) (*Server, *raw) {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	s := NewServer(t, o)
	c := s.Credentials()
	h := http.Header{}
	h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(c.CompanyID+"+"+c.PublicKey+":"+c.PrivateKey)))
	h.Set("clientId", c.ClientID)
	h.Set("Accept", "application/vnd.connectwise.com+json; version=2025.1")
	h.Set("Content-Type", "application/json")
	return s, &raw{t: t, s: s, hdr: h}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(r.body, &v), string(r.body))
	return v
}

func (r resp) obj(t testing.TB) map[string]any {
	t.Helper()
	m, ok := r.json(t).(map[string]any)
	require.True(t, ok, string(r.body))
	return m
}

func (r resp) list(t testing.TB) []any {
	t.Helper()
	l, ok := r.json(t).([]any)
	require.True(t, ok, string(r.body))
	return l
}

// do sends method to path; a path without a leading "/" is relative to the API
// base under the tenant codebase.
func (c *raw) do(method, path string, body any, hdr ...string) resp {
	c.t.Helper()
	u := path
	if !strings.HasPrefix(path, "/") && !strings.HasPrefix(path, "http") {
		u = c.s.BaseURL() + "/" + path
	} else if strings.HasPrefix(path, "/") {
		u = c.s.URL() + path
	}
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(c.t, err)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(c.t, err)
	req.Header = c.hdr.Clone()
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(c.t, err)
	return resp{res.StatusCode, res.Header, b}
}

// company is a valid company create body.
func company(ident, name string) map[string]any {
	return map[string]any{"identifier": ident, "name": name, "city": "Plano", "status": map[string]any{"id": 1}}
}

func num(v any) int {
	n, _ := intOf(v)
	return n
}

func urlq(s string) string { return url.QueryEscape(s) }

// cf returns the PATCH body ops followed by the empty /customFields replace
// that records with custom fields need (Options.AllowPatchWithoutCustomFields).
func cf(ops ...map[string]any) []any {
	out := make([]any, 0, len(ops)+1)
	for _, op := range ops {
		out = append(out, op)
	}
	return append(out, map[string]any{"op": "replace", "path": "/customFields", "value": []any{}})
}

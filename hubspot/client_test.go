package hubspot

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "pat-na1-canary-7f3e9c1d-token"

// setup starts an httptest server and returns a client pointed at it and the mux
// to register handlers on. The client uses the date-based paths of the default version.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	all := append([]Option{WithBaseURL(srv.URL), WithAccessToken(testToken)}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	return c, mux
}

func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	assert.Equal(t, want, r.Method, "method")
}

func testQuery(t *testing.T, r *http.Request, want url.Values) {
	t.Helper()
	assert.Equal(t, want, r.URL.Query(), "query")
}

func testHeader(t *testing.T, r *http.Request, name, want string) {
	t.Helper()
	assert.Equal(t, want, r.Header.Get(name), "header %s", name)
}

// testJSONBody asserts that the request body is JSON equal to want (a JSON text).
func testJSONBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.JSONEq(t, want, string(b), "body")
}

func writeJSON(t *testing.T, w http.ResponseWriter, status int, body string) {
	t.Helper()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func TestNewClientDefaults(t *testing.T) {
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, DefaultBaseURL, c.BaseURL().String())
	assert.Equal(t, Version202609, c.APIVersion())
	assert.NotNil(t, c.Contacts)
	assert.Equal(t, "2-123", c.Objects("2-123").ObjectType())
}

func TestNewClientOptionErrors(t *testing.T) {
	for name, opt := range map[string]Option{
		"empty token":   WithAccessToken(" "),
		"relative base": WithBaseURL("/x"),
		"nil http":      WithHTTPClient(nil),
		"nil logger":    WithLogger(nil),
		"bad version":   WithAPIVersion("v9"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewClient(opt)
			require.Error(t, err)
		})
	}
}

func TestGetSendsTokenAndDecodes(t *testing.T) {
	c, mux := setup(t)
	mux.HandleFunc("/crm/objects/2026-09/contacts/42", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testQuery(t, r, url.Values{"properties": {"email,firstname"}})
		writeJSON(t, w, 200, `{"id":"42","properties":{"email":"a@b.c","firstname":null},"createdAt":"2025-11-03T23:36:13.632Z","updatedAt":"2025-11-03T23:36:13.632Z","archived":false}`)
	})
	obj, resp, err := c.Contacts.Get(context.Background(), "42", &GetOptions{Properties: []string{"email", "firstname"}})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "a@b.c", obj.Get("email"))
	assert.Equal(t, "", obj.Get("firstname"))
	b, _ := json.Marshal(obj)
	assert.Contains(t, string(b), `"id":"42"`)
}

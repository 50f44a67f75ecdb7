package hubspottest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	s := NewServer(t, Options{Token: "pat-na1-canary-0000"})
	assert.Equal(t, "pat-na1-canary-0000", s.Token())
	for _, auth := range []string{"", "Bearer ", "Bearer wrong", "Basic cGF0", "pat-na1-canary-0000"} {
		r := callAuth(t, s, auth, "GET", "/crm/v3/objects/contacts", nil)
		assert.Equal(t, http.StatusUnauthorized, r.Status, auth)
		assert.Equal(t, "INVALID_AUTHENTICATION", r.JSON["category"])
		assert.Contains(t, r.JSON["message"], "Authentication credentials not found")
		assert.NotContains(t, string(r.Raw), "canary")
		assert.NotContains(t, string(r.Raw), "wrong")
	}
	assert.Equal(t, 5, s.CountOp(OpList), "rejected calls are counted too")
	assert.NotEqual(t, NewServer(t, Options{}).Token(), NewServer(t, Options{}).Token(), "default tokens are random")
}

func postForm(t *testing.T, s *Server, path string, form url.Values, inQuery bool) (int, map[string]any) {
	t.Helper()
	target, body := s.URL()+path, form.Encode()
	if inQuery {
		target, body = target+"?"+body, ""
	}
	res, err := http.Post(target, "application/x-www-form-urlencoded", strings.NewReader(body))
	require.NoError(t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return res.StatusCode, out
}

func TestOAuthTokenEndpoints(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now, OAuth: OAuthOptions{ClientID: "cid", ClientSecret: "csecret", RotateRefreshTokens: true}})
	for _, version := range []string{"v1", "v3", "2026-03"} {
		t.Run(version, func(t *testing.T) {
			path := "/oauth/" + version + "/token"
			code := s.IssueAuthCode("https://app.example/callback")
			form := url.Values{"grant_type": {"authorization_code"}, "client_id": {"cid"}, "client_secret": {"csecret"},
				"redirect_uri": {"https://app.example/callback"}, "code": {code}}
			status, tok := postForm(t, s, path, form, false)
			require.Equal(t, http.StatusOK, status, tok)
			assert.EqualValues(t, 1800, tok["expires_in"])
			assert.EqualValues(t, s.PortalID(), tok["hub_id"])
			assert.Equal(t, "bearer", tok["token_type"])
			access, refresh := tok["access_token"].(string), tok["refresh_token"].(string)
			r := callAuth(t, s, "Bearer "+access, "GET", "/crm/v3/owners", nil)
			assert.Equal(t, http.StatusOK, r.Status)

			status, again := postForm(t, s, path, form, false)
			assert.Equal(t, http.StatusBadRequest, status, "codes are single use")
			assert.Equal(t, "BAD_AUTH_CODE", again["status"])

			refreshForm := url.Values{"grant_type": {"refresh_token"}, "client_id": {"cid"}, "client_secret": {"csecret"}, "refresh_token": {refresh}}
			status, tok2 := postForm(t, s, path, refreshForm, false)
			require.Equal(t, http.StatusOK, status, tok2)
			assert.NotEqual(t, refresh, tok2["refresh_token"], "rotation is on")
			status, bad := postForm(t, s, path, refreshForm, false)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, "BAD_REFRESH_TOKEN", bad["status"])
			assert.Equal(t, "missing or unknown refresh token", bad["message"])

			clk.Add(31 * time.Minute)
			r = callAuth(t, s, "Bearer "+access, "GET", "/crm/v3/owners", nil)
			assert.Equal(t, http.StatusUnauthorized, r.Status)
			assert.Equal(t, "EXPIRED_AUTHENTICATION", r.JSON["category"])
			assert.NotContains(t, string(r.Raw), access)
		})
	}
	rt := s.IssueRefreshToken()
	base := url.Values{"grant_type": {"refresh_token"}, "client_id": {"cid"}, "client_secret": {"csecret"}, "refresh_token": {rt}}
	status, _ := postForm(t, s, "/oauth/v1/token", base, true)
	assert.Equal(t, http.StatusOK, status, "v1 takes query parameters")
	status, out := postForm(t, s, "/oauth/v3/token", url.Values{"grant_type": {"refresh_token"}, "client_id": {"cid"}, "client_secret": {"csecret"}, "refresh_token": {"x"}}, true)
	assert.Equal(t, http.StatusBadRequest, status, "v3 reads the body only")
	assert.Equal(t, "BAD_CLIENT_ID", out["status"])
	for field, want := range map[string]string{"client_id": "BAD_CLIENT_ID", "client_secret": "BAD_CLIENT_SECRET", "grant_type": "BAD_GRANT_TYPE"} {
		f := url.Values{"grant_type": {"refresh_token"}, "client_id": {"cid"}, "client_secret": {"csecret"}}
		f.Set(field, "nope")
		_, out := postForm(t, s, "/oauth/2026-03/token", f, false)
		assert.Equal(t, want, out["status"], field)
		assert.NotContains(t, out["message"], "csecret")
	}
	code := s.IssueAuthCode("https://a/cb")
	_, out = postForm(t, s, "/oauth/v3/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {"cid"}, "client_secret": {"csecret"}, "code": {code}, "redirect_uri": {"https://b/cb"}}, false)
	assert.Equal(t, "BAD_REDIRECT_URI", out["status"])
}

func TestScopes(t *testing.T) {
	s := NewServer(t, Options{Scopes: []string{"crm.objects.contacts.read", "crm.schemas.companies.read"}})
	tests := []struct {
		method, path string
		body         any
		want         int
		required     []any
	}{
		{"GET", "/crm/v3/objects/contacts", nil, http.StatusOK, nil},
		{"POST", "/crm/v3/objects/contacts/search", map[string]any{}, http.StatusOK, nil},
		{"POST", "/crm/v3/objects/contacts/batch/read", map[string]any{"inputs": []any{}}, http.StatusOK, nil},
		{"POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]string{}}, http.StatusForbidden, []any{"crm.objects.contacts.write"}},
		{"GET", "/crm/v3/objects/deals", nil, http.StatusForbidden, []any{"crm.objects.deals.read"}},
		{"GET", "/crm/v3/objects/tickets", nil, http.StatusForbidden, []any{"tickets"}},
		{"GET", "/crm/v3/properties/contacts", nil, http.StatusOK, nil},
		{"GET", "/crm/v3/properties/companies", nil, http.StatusOK, nil},
		{"POST", "/crm/v3/properties/companies", map[string]any{}, http.StatusForbidden, []any{"crm.schemas.companies.write"}},
		{"GET", "/crm/v3/owners", nil, http.StatusForbidden, []any{"crm.objects.owners.read"}},
		{"GET", "/crm/v3/lists/1", nil, http.StatusForbidden, []any{"crm.lists.read"}},
	}
	for _, tt := range tests {
		r := call(t, s, tt.method, tt.path, tt.body)
		assert.Equal(t, tt.want, r.Status, tt.method+" "+tt.path)
		if tt.want == http.StatusForbidden {
			// error-403-missing-scopes.json
			assert.Equal(t, "MISSING_SCOPES", r.JSON["category"])
			assert.Equal(t, "One or more of the following scopes are required.", r.JSON["message"])
			ctx := r.JSON["context"].(map[string]any)
			assert.Equal(t, tt.required, ctx["requiredGranularScopes"])
			assert.Equal(t, []any{"https://developers.hubspot.com/scopes"}, ctx["links"])
			assert.Equal(t, r.Header.Get("X-HubSpot-Correlation-Id"), r.JSON["correlationId"])
		}
	}
}

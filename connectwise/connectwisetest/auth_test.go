package connectwisetest

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompanyInfo(t *testing.T) {
	s, c := setup(t)
	r := c.do("GET", "/login/companyinfo/HUBWISE", nil, "Authorization", "", "clientId", "")
	require.Equal(t, 200, r.status)
	m := r.obj(t)
	assert.Equal(t, "v2025_1/", m["Codebase"], "Codebase keeps its trailing slash")
	assert.Equal(t, true, m["IsCloud"])
	assert.Equal(t, "hubwise", m["CompanyID"])
	assert.Equal(t, s.Site(), m["SiteUrl"])
	for _, k := range []string{"CompanyName", "VersionCode", "VersionNumber"} {
		assert.NotEmpty(t, m[k], k)
	}

	r = c.do("GET", "/login/companyinfo/nobody", nil)
	assert.Equal(t, 200, r.status)
	assert.Equal(t, "null", string(r.body), "unknown company: literal null")

	_, c2 := setup(t, Options{OnPremise: true, Codebase: "v2024_2"})
	m = c2.do("GET", "/login/companyinfo/hubwise", nil).obj(t)
	assert.Equal(t, false, m["IsCloud"])
	assert.Equal(t, "v2024_2/", m["Codebase"])
}

func TestCodebases(t *testing.T) {
	s, c := setup(t)
	for _, p := range []string{
		"/v2025_1/apis/3.0/system/info",
		"/v4_6_release/apis/3.0/system/info",
		"/v2025_1//apis/3.0/system/info", // hrefs carry a double slash
		"/V4_6_RELEASE/apis/3.0/system/info",
	} {
		r := c.do("GET", p, nil)
		assert.Equal(t, 200, r.status, p)
		assert.Equal(t, "2025.1", r.header.Get("api-current-version"), p)
	}
	r := c.do("GET", "/v2019_1/apis/3.0/system/info", nil)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, cannotRoute, strings.TrimSpace(string(r.body)))
	assert.Contains(t, r.header.Get("Content-Type"), "text/plain")

	r = c.do("GET", "company/nothing/here", nil)
	assert.Equal(t, 404, r.status)
	assert.JSONEq(t, `{"code":"ConnectWiseApi","message":"The endpoint does not exist."}`, string(r.body))
	r = c.do("GET", "company/companies/abc", nil)
	assert.Equal(t, 404, r.status)
	r = c.do("DELETE", "system/members/244", nil)
	assert.Equal(t, 405, r.status)
	assert.JSONEq(t, `{"code":"ConnectWiseApi","message":"The requested resource does not support http method 'DELETE'."}`, string(r.body))
	assert.Equal(t, 405, c.do("PUT", "company/companies", nil).status)
	assert.Equal(t, 405, c.do("POST", "system/info", nil).status)
	assert.Contains(t, s.BaseURL(), "/v2025_1/apis/3.0")
}

func basic(user string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user))
}

func TestAuth(t *testing.T) {
	s, c := setup(t)
	cr := s.Credentials()
	cases := []struct {
		name   string
		hdr    []string
		status int
		body   string
	}{
		{"ok", nil, 200, ""},
		{"clientId any case", []string{"clientId", "", "CLIENTID", cr.ClientID}, 200, ""},
		{"company case-insensitive", []string{"Authorization", basic("HUBWISE+" + cr.PublicKey + ":" + cr.PrivateKey)}, 200, ""},
		{"no auth", []string{"Authorization", ""}, 401, `"code":"Unauthorized"`},
		{"wrong private key", []string{"Authorization", basic("hubwise+" + cr.PublicKey + ":nope")}, 401, "Incorrect public/private key"},
		{"wrong public key", []string{"Authorization", basic("hubwise+nope:" + cr.PrivateKey)}, 401, "Incorrect public/private key"},
		{"no plus", []string{"Authorization", basic(cr.PublicKey + ":" + cr.PrivateKey)}, 401, "Incorrect public/private key"},
		{"wrong company", []string{"Authorization", basic("other+" + cr.PublicKey + ":" + cr.PrivateKey)}, 400, cannotRoute},
		{"no clientId", []string{"clientId", ""}, 400, "clientId"},
		{"unregistered clientId", []string{"clientId", "11111111-2222-4333-8444-555555555555"}, 400, "clientId"},
		{"bad version", []string{"Accept", "application/vnd.connectwise.com+json; version=3.0.0"}, 400,
			`does not support the API version '0.0'.`},
		{"ancient version", []string{"Accept", "application/vnd.connectwise.com+json; version=3.0"}, 400, `'3.0'`},
		{"version with json", []string{"Accept", "application/vnd.connectwise.com+json; version=2021.2, application/json"}, 200, ""},
		{"plain json", []string{"Accept", "application/json"}, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do("GET", "company/companies", nil, tc.hdr...)
			assert.Equal(t, tc.status, r.status, string(r.body))
			assert.Contains(t, string(r.body), tc.body)
			assert.NotContains(t, string(r.body), cr.PrivateKey, "secrets never echoed")
		})
	}
	r := c.do("GET", "company/companies", nil, "Accept", "application/vnd.connectwise.com+json; version=3.0.0")
	assert.Contains(t, r.obj(t)["message"], "The HTTP resource that matches the request URI 'http://")
	assert.Equal(t, "ConnectWiseApi", r.obj(t)["code"])
}

func TestDeny(t *testing.T) {
	s, c := setup(t)
	s.Deny("company/companies")
	s.Deny("system/info")
	r := c.do("GET", "company/companies", nil)
	assert.Equal(t, 403, r.status)
	assert.JSONEq(t, `{"code":"Security","message":"You do not have security permission to perform this action."}`, string(r.body))
	assert.Equal(t, 403, c.do("GET", "company/companies/250/typeAssociations", nil).status)
	assert.Equal(t, 200, c.do("GET", "company/contacts", nil).status)
	r = c.do("GET", "system/info", nil)
	assert.Equal(t, 401, r.status)
	assert.JSONEq(t, `{"code":"ConnectWiseApi","message":"UserNotAuthenticated"}`, string(r.body))
	s.Allow("company/companies")
	assert.Equal(t, 200, c.do("GET", "company/companies", nil).status)
}

func TestSystemInfo(t *testing.T) {
	_, c := setup(t)
	m := c.do("GET", "system/info", nil).obj(t)
	for _, k := range []string{"version", "isCloud", "serverTimeZone", "licenseBits", "cloudRegion", "maxWorkFlowRecordsAllowed"} {
		assert.Contains(t, m, k)
	}
}

func TestListenStandalone(t *testing.T) {
	s, err := Listen("127.0.0.1:0", Options{})
	require.NoError(t, err)
	defer s.Close()
	_, c := setup(t)
	c.s = s
	r := c.do("GET", "system/members/jsmith", nil)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Equal(t, 244, num(r.obj(t)["id"]))
	r = c.do("GET", "system/members/nobody", nil)
	assert.JSONEq(t, `{"code":"NotFound","message":"Member nobody not found"}`, string(r.body))
	s.Close()
}

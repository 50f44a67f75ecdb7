package connectwise

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// verifyServer fakes a tenant for Verify: companyinfo answers info, and each API
// path answers through api (default: 200 with a count).
func verifyServer(t *testing.T, info string, api func(w http.ResponseWriter, r *http.Request) bool) *Client {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/companyinfo/{id}", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(info, "<") {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(info))
			return
		}
		writeJSON(w, 200, info)
	})
	mux.HandleFunc("/v2025_1/apis/3.0/", func(w http.ResponseWriter, r *http.Request) {
		if api != nil && api(w, r) {
			return
		}
		if strings.HasSuffix(r.URL.Path, "/system/info") {
			writeJSON(w, 200, `{"version":"v2025.1.10431","isCloud":true}`)
			return
		}
		writeJSON(w, 200, `{"count":3}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := NewClient(testCreds(), WithBaseURL(srv.URL), WithRetry(0, 0, 0), WithSleep((&sleeper{}).sleep), WithRateLimit(rate.Inf, 0))
	require.NoError(t, err)
	return c
}

const goodInfo = `{"CompanyName":"Acme","Codebase":"v2025_1/","CompanyID":"acme","IsCloud":true}`

func TestVerify(t *testing.T) {
	status := func(code int, body string, match string) func(w http.ResponseWriter, r *http.Request) bool {
		return func(w http.ResponseWriter, r *http.Request) bool {
			if match != "" && !strings.Contains(r.URL.Path, match) {
				return false
			}
			w.Header().Set("api-current-version", "2024.1")
			ct := "application/json"
			if strings.HasPrefix(body, "<") || !strings.HasPrefix(body, "{") {
				ct = "text/html"
			}
			w.Header().Set("Content-Type", ct)
			w.WriteHeader(code)
			_, _ = w.Write([]byte(body))
			return true
		}
	}
	cases := []struct {
		name    string
		info    string
		api     func(w http.ResponseWriter, r *http.Request) bool
		problem Problem
		words   string
	}{
		{"not connectwise", "<html><title>Welcome to nginx</title></html>", nil, ProblemNotConnectWise, "does not answer like a ConnectWise server"},
		{"unknown company", "null", nil, ProblemUnknownCompany, `company id "acme" is not known`},
		{"cannot route", goodInfo, status(404, "Cannot route. Codebase/company is invalid", ""), ProblemUnknownCompany, "cannot route"},
		{"ui host html", goodInfo, status(200, "<html><title>ConnectWise Manage</title></html>", ""), ProblemNotConnectWise, "api- host"},
		{"bad keys", goodInfo, status(401, `{"code":"Unauthorized","message":"Invalid credentials"}`, ""), ProblemBadKeys, "public and private key"},
		{"client id", goodInfo, status(401, `{"code":"Unauthorized","message":"clientId is required"}`, ""), ProblemClientID, "developer.connectwise.com/ClientID"},
		{"client id refused", goodInfo, status(403, `{"code":"Forbidden","message":"The provided ClientId is not valid for this environment"}`, ""), ProblemClientID, "Private"},
		{"api version", goodInfo, status(400, `{"code":"ConnectWiseApi","message":"The HTTP resource that matches the request URI does not support the API version '0.0'."}`, ""), ProblemAPIVersion, "(the server runs 2024.1): set another with WithAPIVersion"},
		{"role", goodInfo, func(w http.ResponseWriter, r *http.Request) bool {
			if strings.Contains(r.URL.Path, "sales/opportunities/count") || strings.Contains(r.URL.Path, "system/userDefinedFields") {
				return status(403, `{"code":"Forbidden","message":"You do not have permission"}`, "")(w, r)
			}
			if strings.HasSuffix(r.URL.Path, "system/info") {
				return status(400, `{"code":"ConnectWiseApi","message":"UserNotAuthenticated"}`, "")(w, r)
			}
			return false
		}, ProblemPermissions, "Sales > Opportunity (Inquire, Add, Edit) for sales/opportunities; System > Table Setup: General / Custom Fields (Inquire) for system/userDefinedFields"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := verifyServer(t, tc.info, tc.api)
			_, err := c.Verify(context.Background())
			require.Error(t, err)
			var ve *VerifyError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.problem, ve.Problem, err.Error())
			assert.Contains(t, err.Error(), tc.words)
			if tc.problem == ProblemPermissions {
				assert.Len(t, ve.Missing, 2)
				assert.ErrorIs(t, err, ErrForbidden)
			}
		})
	}
}

func TestVerifyOK(t *testing.T) {
	c := verifyServer(t, goodInfo, nil)
	info, err := c.Verify(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v2025.1.10431", info.Version)
	cb, err := c.Codebase(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v2025_1", cb)
}

func TestVerifyUnreachable(t *testing.T) {
	c, err := NewClient(testCreds(), WithBaseURL("http://127.0.0.1:1"), WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, err = c.Verify(context.Background())
	var ve *VerifyError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, ProblemUnreachable, ve.Problem)
}

func TestVerifyPinnedCodebaseWithoutCompanyInfo(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/v4_6_release/apis/3.0/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"count":1,"version":"v2024.1"}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := NewClient(testCreds(), WithBaseURL(srv.URL), WithCodebase("v4_6_release"), WithRetry(0, time.Millisecond, time.Millisecond), WithRateLimit(rate.Inf, 0))
	require.NoError(t, err)
	_, err = c.Verify(context.Background())
	require.NoError(t, err)
}

package connectwise

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestNewClientRequiresCredentials(t *testing.T) {
	full := Credentials{CompanyID: "acme", Site: "na.myconnectwise.net", PublicKey: "pub", PrivateKey: "priv", ClientID: "cid"}
	cases := map[string]func(*Credentials){
		"ClientID":   func(c *Credentials) { c.ClientID = " " },
		"CompanyID":  func(c *Credentials) { c.CompanyID = "" },
		"PublicKey":  func(c *Credentials) { c.PublicKey = "" },
		"PrivateKey": func(c *Credentials) { c.PrivateKey = "" },
		"Site":       func(c *Credentials) { c.Site = "" },
	}
	for field, mutate := range cases {
		t.Run(field, func(t *testing.T) {
			cr := full
			mutate(&cr)
			_, err := NewClient(cr)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), field)
		})
	}
	c, err := NewClient(full)
	require.NoError(t, err)
	assert.Equal(t, "api-na.myconnectwise.net", c.Host())
	assert.Equal(t, DefaultAPIVersion, c.APIVersion())

	_, err = NewClient(Credentials{CompanyID: "a+b", Site: "x.example.com", PublicKey: "p", PrivateKey: "k", ClientID: "c"})
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = NewClient(Credentials{CompanyID: "a", Site: "x.example.com", PublicKey: "p", PrivateKey: "k", ClientID: "c\r\nX-Evil: 1"})
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = NewClient(Credentials{CompanyID: "a", Site: "http://x.example.com", PublicKey: "p", PrivateKey: "k", ClientID: "c"})
	assert.ErrorIs(t, err, ErrInvalidSite)
}

func TestOptionsValidate(t *testing.T) {
	cr := testCreds()
	for name, o := range map[string]Option{
		"base url path":   WithBaseURL("http://127.0.0.1:1/v4_6_release"),
		"base url scheme": WithBaseURL("ftp://127.0.0.1"),
		"base url creds":  WithBaseURL("http://u:p@127.0.0.1"),
		"base url query":  WithBaseURL("http://127.0.0.1/?a=b"),
		"codebase":        WithCodebase("v4/../x"),
		"api version":     WithAPIVersion("3.0.0"),
		"http client":     WithHTTPClient(nil),
		"logger":          WithLogger(nil),
		"rate":            WithRateLimit(0, 1),
		"retry":           WithRetry(-1, 0, 0),
		"sleep":           WithSleep(nil),
		"user agent":      WithUserAgent("a\nb"),
		"alias":           WithHostAlias("x y", "z"),
		"max wait":        WithMaxRetryWait(0),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := NewClient(cr, o)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalidConfig) || errors.Is(err, ErrInvalidSite), err)
		})
	}
	c, err := NewClient(cr, WithBaseURL("http://127.0.0.1:1/"), WithCodebase("/v2025_1/"), WithAPIVersion("v2024.1"))
	require.NoError(t, err)
	assert.Equal(t, "2024.1", c.APIVersion())
	cb, err := c.Codebase(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v2025_1", cb)
}

func TestCredentialsNeverPrinted(t *testing.T) {
	cr := testCreds()
	for _, s := range []string{fmt.Sprint(cr), fmt.Sprintf("%v %+v %#v %s", cr, cr, cr, cr)} {
		assert.NotContains(t, s, testPrivateKey)
		assert.NotContains(t, s, testPublicKey)
	}
}

func TestHeadersOnEveryCall(t *testing.T) {
	env := setup(t, WithAPIVersion("2025.16"), WithUserAgent("myapp/1.0"))
	env.handle(t, "GET system/info", func(w http.ResponseWriter, r *http.Request) {
		assert.Contains(t, r.Header.Get("User-Agent"), "myapp/1.0")
		w.Header().Set("api-current-version", "2025.16")
		writeJSON(w, 200, `{"version":"v2025.1.10431","isCloud":true,"serverTimeZone":"Eastern Standard Time","licenseBits":[],"cloudRegion":"NA"}`)
	})
	info, resp, err := env.client.System.Info(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v2025.1.10431", info.Version)
	assert.True(t, info.IsCloud)
	assert.Equal(t, "2025.16", resp.CurrentAPIVersion)
}

func TestDiscovery(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		body     string
		ctype    string
		wantCB   string
		wantErr  error
		fallback bool
	}{
		{"trailing slash", 200, `{"CompanyName":"Acme","Codebase":"v2025_1/","VersionCode":"v2025.1","VersionNumber":"v4.6.10431","CompanyID":"acme","IsCloud":true,"SiteUrl":"api-na.myconnectwise.net","AllowedOrigins":["*"]}`, "application/json", "v2025_1", nil, false},
		{"null body", 200, `null`, "application/json", "", ErrCompanyNotFound, false},
		{"empty body", 200, ``, "application/json", "", ErrCompanyNotFound, false},
		{"no codebase", 200, `{"CompanyName":null}`, "application/json", "", ErrCompanyNotFound, false},
		{"cannot route", 200, `Cannot route. Codebase/company is invalid`, "text/plain", "", ErrCannotRoute, false},
		{"html", 200, `<html><head><title>Login</title></head></html>`, "text/html", "v4_6_release", nil, true},
		{"404", 404, `not here`, "text/plain", "v4_6_release", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("GET /login/companyinfo/{id}", func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, testCompany, r.PathValue("id"))
				assert.Empty(t, r.Header.Get("Authorization"), "companyinfo is unauthenticated")
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			calls := 0
			mux.HandleFunc("GET /{cb}/apis/3.0/system/info", func(w http.ResponseWriter, r *http.Request) {
				calls++
				assert.Equal(t, tc.wantCB, r.PathValue("cb"))
				writeJSON(w, 200, `{"version":"v2025.1"}`)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			c, err := NewClient(testCreds(), WithBaseURL(srv.URL), WithRetry(0, 0, 0))
			require.NoError(t, err)
			_, _, err = c.System.Info(context.Background())
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				var de *DiscoveryError
				require.ErrorAs(t, err, &de)
				assert.Equal(t, 0, calls)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, 1, calls)
			cb, err := c.Codebase(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tc.wantCB, cb)
		})
	}
}

func TestDiscoveryPinnedSkipsCompanyInfo(t *testing.T) {
	env := setup(t)
	env.mux.HandleFunc("/login/companyinfo/", func(w http.ResponseWriter, r *http.Request) {
		t.Error("discovery must not run with a pinned codebase")
	})
	env.handle(t, "GET system/info", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{}`) })
	_, _, err := env.client.System.Info(context.Background())
	require.NoError(t, err)
}

func TestDiscoveryOnceUnderConcurrency(t *testing.T) {
	mux := http.NewServeMux()
	var infoCalls atomic.Int32
	mux.HandleFunc("GET /login/companyinfo/{id}", func(w http.ResponseWriter, r *http.Request) {
		infoCalls.Add(1)
		writeJSON(w, 200, `{"CompanyName":"Acme","Codebase":"v2025_1/","CompanyID":"acme","IsCloud":false,"SiteUrl":"cw.example.com"}`)
	})
	mux.HandleFunc("GET /v2025_1/apis/3.0/sales/stages", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `[]`) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, err := NewClient(testCreds(), WithBaseURL(srv.URL), WithRateLimit(rate.Inf, 0))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, _, err := c.SalesStages.List(context.Background(), nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), infoCalls.Load())
	info, err := c.Discover(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Acme", info.CompanyName)
	assert.False(t, info.IsCloud)
	assert.Equal(t, int32(2), infoCalls.Load())
}

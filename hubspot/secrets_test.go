package hubspot

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestCanarySecretsNeverLeak runs requests that succeed, are retried, fail with 401
// (the server echoing the token), fail in transport, and fail an OAuth refresh,
// and checks that no canary secret reaches a log line or an error text.
func TestCanarySecretsNeverLeak(t *testing.T) {
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []string
	record := func(err error) {
		if err != nil {
			errs = append(errs, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	ctx := context.Background()

	// Static token.
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	calls := 0
	mux.HandleFunc("/crm/objects/2026-09/contacts/{id}", func(w http.ResponseWriter, r *http.Request) {
		calls++
		switch r.PathValue("id") {
		case "retry":
			if calls%2 == 1 {
				writeJSON(w, 429, tenSecondly429)
				return
			}
			writeJSON(w, 200, `{"id":"1"}`)
		case "401":
			writeJSON(w, 401, `{"status":"error","message":"The OAuth token used to make this call expired: `+r.Header.Get("Authorization")+`","category":"EXPIRED_AUTHENTICATION"}`)
		default:
			writeJSON(w, 200, `{"id":"1"}`)
		}
	})
	c, err := NewClient(WithBaseURL(srv.URL), WithAccessToken(testToken), WithLogger(logger), WithoutRateLimit(), WithSleep((&sleeper{}).sleep))
	require.NoError(t, err)
	for _, id := range []string{"ok", "retry", "401"} {
		_, _, err := c.Contacts.Get(ctx, id, nil)
		record(err)
	}
	require.NotEmpty(t, errs, "the 401 must fail")
	c.Logger().Info("token in a message "+testToken, "attr", testToken)
	srv.Close()
	_, _, err = c.Contacts.Get(ctx, "closed", nil)
	require.Error(t, err, "transport error")
	record(err)

	// OAuth: refresh fails with the server echoing the refresh token and secret.
	omux := http.NewServeMux()
	osrv := httptest.NewServer(omux)
	defer osrv.Close()
	omux.HandleFunc("POST /oauth/2026-03/token", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		writeJSON(w, 400, `{"status":"BAD_REFRESH_TOKEN","message":"unknown refresh token `+r.PostForm.Get("refresh_token")+` for secret `+r.PostForm.Get("client_secret")+`"}`)
	})
	oc, err := NewClient(WithBaseURL(osrv.URL), WithOAuth(OAuthConfig{ClientID: "cid", ClientSecret: canarySecret, RefreshToken: canaryRefresh}),
		WithLogger(logger), WithoutRateLimit())
	require.NoError(t, err)
	_, _, err = oc.Deals.Get(ctx, "1", nil)
	require.ErrorIs(t, err, ErrUnauthorized)
	record(err)

	// Code exchange failure.
	_, err = oc.ExchangeCode(ctx, &OAuthApp{ClientID: "cid", ClientSecret: canarySecret, RedirectURI: "https://x/cb"}, "canary-code-7777")
	record(err)

	// Webhook handler logs a rejected signature.
	h := NewWebhookHandler(&WebhookVerifier{ClientSecret: canarySecret}, func(context.Context, []Event) error { return nil }, &WebhookHandlerOptions{Logger: logger})
	wr := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader("[]"))
	req.Header.Set(HeaderSignatureV3, "x")
	req.Header.Set(HeaderRequestTimestamp, fmt.Sprint(time.Now().UnixMilli()))
	h.ServeHTTP(wr, req)
	assert.Equal(t, 401, wr.Code)

	out := logs.String()
	require.Contains(t, out, "hubspot: response", "logs were captured")
	require.Contains(t, out, "retrying")
	all := out + strings.Join(errs, "\n")
	for _, canary := range []string{testToken, canarySecret, canaryRefresh, "canary-code-7777"} {
		assert.NotContains(t, all, canary)
	}
}

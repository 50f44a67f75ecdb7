package connectwise

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSecretsNeverLeak is the canary test: the private key, the public key and the
// Basic auth value must not appear in any log line or error, even when the server
// echoes them back or the transport fails.
func TestSecretsNeverLeak(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	env := setup(t, WithLogger(logger), WithRetry(1, time.Millisecond, time.Millisecond))
	basic := base64.StdEncoding.EncodeToString([]byte(testCompany + "+" + testPublicKey + ":" + testPrivateKey))
	env.handle(t, "GET company/companies/1", func(w http.ResponseWriter, r *http.Request) {
		// A misbehaving proxy echoing the request headers in its error page.
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"code":"Unauthorized","message":"bad auth %s for %s / %s","errors":[{"message":"%s"}]}`, r.Header.Get("Authorization"), testPrivateKey, testPublicKey, testPrivateKey)
	})
	env.handle(t, "GET company/companies/2", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "<html><title>proxy saw %s</title></html>", testPrivateKey)
	})
	env.handle(t, "GET company/companies/3", func(w http.ResponseWriter, r *http.Request) {
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		_ = conn.Close()
	})
	var errs []error
	for id := 1; id <= 3; id++ {
		_, _, err := env.client.Companies.Get(context.Background(), id)
		require.Error(t, err)
		errs = append(errs, err)
	}
	// A transport error whose URL carries the key (a host that cannot be reached).
	bad, err := NewClient(testCreds(), WithBaseURL("http://127.0.0.1:1"), WithCodebase("v4_6_release"), WithLogger(logger), WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, _, err = bad.Companies.List(context.Background(), &ListOptions{Conditions: Eq("name", testPrivateKey)})
	require.Error(t, err)
	errs = append(errs, err)
	_, err = bad.Verify(context.Background())
	require.Error(t, err)
	errs = append(errs, err)

	require.NotEmpty(t, logs.String())
	for _, secret := range []string{testPrivateKey, testPublicKey, basic, "Basic " + basic} {
		assert.NotContains(t, logs.String(), secret, "log")
		for _, e := range errs {
			assert.NotContains(t, e.Error(), secret, "error")
			assert.NotContains(t, fmt.Sprintf("%+v %#v", e, e), secret, "formatted error")
		}
	}
	assert.True(t, strings.Contains(errs[0].Error(), "[REDACTED]"), errs[0].Error())
}

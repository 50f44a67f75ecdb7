package connectwise

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallbacksRegisterListDelete(t *testing.T) {
	env := setup(t)
	ctx := context.Background()
	var created atomic.Bool
	env.handle(t, "GET system/callbacks", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, `type = "company" AND level = "owner"`, r.URL.Query().Get("conditions"))
		if created.Load() {
			writeJSON(w, 200, "["+string(fixture(t, "callback-entry.json"))+"]")
			return
		}
		writeJSON(w, 200, `[{"id":5,"url":"https://other.example/cb","objectId":1,"type":"company","level":"owner"}]`)
	})
	env.handle(t, "POST system/callbacks", func(w http.ResponseWriter, r *http.Request) {
		if created.Load() {
			writeJSON(w, 400, `{"code":"InvalidObject","message":"callbackEntry object is invalid","errors":[{"code":"ObjectExists","message":"A matching callback entry already exists","resource":"callbackEntry","field":"objectId"}]}`)
			return
		}
		testJSONBody(t, r, `{"url":"https://hooks.example.com/cw?recordId=","objectId":1,"type":"company","level":"owner","payloadVersion":"3.0.0","isSelfSuppressedFlag":true,"description":"hubwise"}`)
		created.Store(true)
		writeJSON(w, 201, fixture(t, "callback-entry.json"))
	})
	env.handle(t, "DELETE system/callbacks/812", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })

	entry := &CallbackEntry{URL: "https://hooks.example.com/cw?recordId=", ObjectID: 1, Type: "company", Level: "owner",
		PayloadVersion: Ptr("3.0.0"), IsSelfSuppressedFlag: Ptr(true), Description: Ptr("hubwise")}
	cb, made, err := env.client.Callbacks.Ensure(ctx, entry)
	require.NoError(t, err)
	assert.True(t, made)
	assert.Equal(t, 812, cb.ID)
	cb, made, err = env.client.Callbacks.Ensure(ctx, entry)
	require.NoError(t, err)
	assert.False(t, made, "found, not created twice")
	assert.Equal(t, 812, cb.ID)

	_, _, err = env.client.Callbacks.Create(ctx, entry)
	assert.ErrorIs(t, err, ErrConflict)

	_, err = env.client.Callbacks.Delete(ctx, 812)
	require.NoError(t, err)
}

// A registration made between Ensure's look-up and its POST (ObjectExists) is found
// and returned instead of failing.
func TestCallbacksEnsureRace(t *testing.T) {
	env := setup(t)
	var lists atomic.Int32
	env.handle(t, "GET system/callbacks", func(w http.ResponseWriter, r *http.Request) {
		if lists.Add(1) == 1 {
			writeJSON(w, 200, `[]`)
			return
		}
		writeJSON(w, 200, "["+string(fixture(t, "callback-entry.json"))+"]")
	})
	env.handle(t, "POST system/callbacks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"code":"InvalidObject","message":"callbackEntry object is invalid","errors":[{"code":"ObjectExists","message":"A matching callback entry already exists","resource":"callbackEntry","field":"objectId"}]}`)
	})
	cb, made, err := env.client.Callbacks.Ensure(context.Background(), &CallbackEntry{URL: "https://hooks.example.com/cw?recordId=", Type: "company", Level: "owner"})
	require.NoError(t, err)
	assert.False(t, made)
	assert.Equal(t, 812, cb.ID)
	assert.Equal(t, int32(2), lists.Load())
}

// keyServer serves signing keys like ConnectWise's callbackkey endpoint.
func keyServer(t *testing.T, key string, hits *atomic.Int32) *httptest.Server {
	// stop releases slow handlers. They do not wait on the request context: a
	// context ended for any other reason would let the handler answer an empty 200
	// before the client's timeout, and the test would see "no signing_key".
	stop := make(chan struct{})
	// A plain handler, not a ServeMux: the real key path has a double slash, which a
	// ServeMux would redirect.
	mux := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2025_1//system/callbackkey/index.rails":
			hits.Add(1)
			assert.Empty(t, r.Header.Get("Authorization"), "credentials never go to the key URL")
			assert.Empty(t, r.Header.Get("clientId"))
			writeJSON(w, 200, `{"signing_key":"`+key+`"}`)
		case "/big/system/callbackkey/x":
			writeJSON(w, 200, `{"signing_key":"`+strings.Repeat("k", 20000)+`"}`)
		case "/slow/system/callbackkey/x":
			select {
			case <-stop:
			case <-time.After(10 * time.Second):
			}
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) }) // runs first, so Close does not wait on slow handlers
	return srv
}

// callbackBody returns a delivery whose key URL points at keyURL.
func callbackBody(keyURL, company string) []byte {
	return []byte(`{"Action":"updated","CallbackObjectRecId":812,"CompanyId":"` + company + `","Entity":"{\"id\":310,\"name\":\"Northwind\"}","FromUrl":"api-na.myconnectwise.net","ID":310,"MemberId":"jdoe","MessageId":"m-1","Metadata":{"key_url":"` + keyURL + `"},"Type":"company"}`)
}

func TestCallbackVerifier(t *testing.T) {
	const signingKey = "s3cret-signing-key-xyz"
	var hits atomic.Int32
	ks := keyServer(t, signingKey, &hits)
	ksHost := strings.TrimPrefix(ks.URL, "https://")
	env := setup(t)
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	v := env.client.NewCallbackVerifier(&VerifierOptions{AllowedHosts: []string{ksHost}, HTTPClient: ks.Client(), Now: func() time.Time { return now }})
	ctx := context.Background()
	good := ks.URL + "/v2025_1//system/callbackkey/index.rails?companyName=ACME&id=abc"

	body := callbackBody(good, "acme")
	ev, err := v.Verify(ctx, body, SignCallback(signingKey, body))
	require.NoError(t, err)
	assert.Equal(t, 310, ev.ID)
	var c Company
	require.NoError(t, ev.DecodeEntity(&c))
	assert.Equal(t, "Northwind", *c.Name)

	// Cached: a second delivery does not fetch the key again, until the TTL passes.
	_, err = v.Verify(ctx, body, SignCallback(signingKey, body))
	require.NoError(t, err)
	assert.Equal(t, int32(1), hits.Load())
	now = now.Add(6 * time.Minute)
	_, err = v.Verify(ctx, body, SignCallback(signingKey, body))
	require.NoError(t, err)
	assert.Equal(t, int32(2), hits.Load())

	rejected := []struct {
		name string
		body []byte
		sig  string
		why  string
	}{
		{"tampered body", body, SignCallback(signingKey, append(bytes.Clone(body[:len(body)-1]), ' ', '}')), "signature does not match"},
		{"wrong key", body, SignCallback("other", body), "signature does not match"},
		{"no signature", body, "", "malformed"},
		{"forged key host", callbackBody("https://evil.example.net/v2025_1//system/callbackkey/index.rails?companyName=acme&id=1", "acme"), "", "untrusted key URL: host"},
		{"look-alike host", callbackBody("https://api-na.myconnectwise.net.evil.example/system/callbackkey/x", "acme"), "", "untrusted key URL"},
		{"http key url", callbackBody(strings.Replace(good, "https://", "http://", 1), "acme"), "", "scheme"},
		{"credentials in key url", callbackBody(strings.Replace(good, "https://", "https://u:p@", 1), "acme"), "", "credentials"},
		{"other path", callbackBody(ks.URL+"/anything", "acme"), "", "callback key path"},
		{"other company key", callbackBody(strings.Replace(good, "ACME", "evilco", 1), "acme"), "", "company"},
		{"other company delivery", callbackBody(good, "evilco"), "", "not this tenant"},
		{"missing key url", callbackBody("", "acme"), "", "missing"},
		{"garbage", []byte("{"), "", "unreadable"},
	}
	for _, tc := range rejected {
		t.Run(tc.name, func(t *testing.T) {
			before := hits.Load()
			sig := tc.sig
			if sig == "" && !strings.Contains(tc.why, "malformed") {
				sig = SignCallback(signingKey, tc.body) // a forger can sign with their own key
			}
			_, err := v.Verify(ctx, tc.body, sig)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidCallback)
			assert.Contains(t, err.Error(), tc.why)
			assert.NotContains(t, err.Error(), signingKey)
			if strings.Contains(tc.why, "untrusted") || strings.Contains(tc.why, "scheme") {
				assert.Equal(t, before, hits.Load(), "an untrusted key URL is never fetched")
			}
		})
	}
}

func TestCallbackVerifierTenantHosts(t *testing.T) {
	c, err := NewClient(Credentials{CompanyID: "Cobalt", Site: "na.myconnectwise.net", PublicKey: "p", PrivateKey: "k", ClientID: "c"})
	require.NoError(t, err)
	v := c.NewCallbackVerifier(nil)
	for _, ok := range []string{
		"https://api-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=Cobalt&id=1",
		"https://na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=Cobalt&id=1",
		"https://NA.myconnectwise.net:443/v2025_1//system/callbackkey/index.rails?companyName=cobalt&id=1",
	} {
		_, err := v.checkKeyURL(ok)
		assert.NoError(t, err, ok)
	}
	_, err = v.checkKeyURL("https://sandbox-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=Cobalt&id=1")
	assert.ErrorContains(t, err, "neither the tenant's host nor allow-listed")
	_, err = v.checkKeyURL("https://na.myconnectwise.net:8443/v2025_1//system/callbackkey/index.rails?companyName=Cobalt&id=1")
	assert.ErrorContains(t, err, "neither the tenant's host nor allow-listed")

	v = c.NewCallbackVerifier(&VerifierOptions{AllowedHosts: []string{"Sandbox-NA.myconnectwise.net"}})
	_, err = v.checkKeyURL("https://sandbox-na.myconnectwise.net/v2025_1//system/callbackkey/index.rails?companyName=Cobalt&id=1")
	assert.NoError(t, err)
}

func TestCallbackVerifierKeyLimits(t *testing.T) {
	var hits atomic.Int32
	ks := keyServer(t, "k", &hits)
	env := setup(t)
	host := strings.TrimPrefix(ks.URL, "https://")
	v := env.client.NewCallbackVerifier(&VerifierOptions{AllowedHosts: []string{host}, HTTPClient: ks.Client(), Timeout: 50 * time.Millisecond})
	body := callbackBody(ks.URL+"/big/system/callbackkey/x", "acme")
	_, err := v.Verify(context.Background(), body, SignCallback("k", body))
	assert.ErrorContains(t, err, "reading the signing key")

	body = callbackBody(ks.URL+"/slow/system/callbackkey/x", "acme")
	_, err = v.Verify(context.Background(), body, SignCallback("k", body))
	assert.ErrorContains(t, err, "fetching the signing key")
}

func TestCallbackHandler(t *testing.T) {
	const signingKey = "handler-key-123"
	var hits atomic.Int32
	ks := keyServer(t, signingKey, &hits)
	env := setup(t)
	host := strings.TrimPrefix(ks.URL, "https://")
	var got []int
	fail := false
	h := env.client.CallbackHandler(func(ctx context.Context, ev *CallbackEvent) error {
		if fail {
			return errors.New("store down")
		}
		got = append(got, ev.ID)
		return nil
	}, &CallbackHandlerOptions{Verifier: &VerifierOptions{AllowedHosts: []string{host}, HTTPClient: ks.Client()}, MaxBody: 4096})

	post := func(body []byte, sig string) int {
		req := httptest.NewRequest(http.MethodPost, "/cw?recordId=310", bytes.NewReader(body))
		req.Header.Set(SignatureHeader, sig)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	body := callbackBody(ks.URL+"/v2025_1//system/callbackkey/index.rails?companyName=acme&id=1", "acme")
	fail = true
	assert.Equal(t, 500, post(body, SignCallback(signingKey, body)))
	fail = false
	assert.Equal(t, 200, post(body, SignCallback(signingKey, body)), "a failed message is handled on redelivery")
	assert.Equal(t, 200, post(body, SignCallback(signingKey, body)), "duplicate acknowledged")
	assert.Equal(t, []int{310}, got, "duplicate MessageId handled once")

	forged := callbackBody("https://evil.example/v2025_1//system/callbackkey/index.rails?companyName=acme&id=1", "acme")
	assert.Equal(t, 401, post(forged, SignCallback("evil", forged)))
	assert.Equal(t, 400, post([]byte("not json"), "x"))
	assert.Equal(t, 413, post(bytes.Repeat([]byte("x"), 5000), "x"))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/cw", nil))
	assert.Equal(t, 405, rec.Code)
	assert.Equal(t, []int{310}, got)
}

func TestCallbackHandlerNotConfigured(t *testing.T) {
	rec := httptest.NewRecorder()
	NewCallbackHandler(nil, nil, nil).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
	assert.Equal(t, 500, rec.Code)
}

func TestMemoryDeduper(t *testing.T) {
	d := NewMemoryDeduper(2, time.Hour)
	now := time.Unix(0, 0)
	d.now = func() time.Time { return now }
	ctx := context.Background()
	for _, id := range []string{"a", "b", "c"} {
		require.NoError(t, d.Mark(ctx, id))
	}
	seen, _ := d.Seen(ctx, "a")
	assert.False(t, seen, "evicted beyond capacity")
	seen, _ = d.Seen(ctx, "c")
	assert.True(t, seen)
	now = now.Add(2 * time.Hour)
	seen, _ = d.Seen(ctx, "c")
	assert.False(t, seen, "expired")
}

func TestParseCallbackRequiresFields(t *testing.T) {
	_, err := ParseCallback([]byte(`{"Action":"updated","Type":"contact"}`))
	assert.ErrorContains(t, err, "required")
	ev, err := ParseCallback([]byte(`{"Action":"Added","Type":"Contact","ID":"42","Entity":{"id":42}}`))
	require.NoError(t, err)
	assert.Equal(t, ActionAdded, ev.Action)
	assert.Equal(t, "contact", ev.Type)
	assert.Equal(t, 42, ev.ID)
	assert.Equal(t, `{"id":42}`, ev.Entity)
}

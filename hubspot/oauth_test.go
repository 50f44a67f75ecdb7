package hubspot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	canarySecret  = "canary-client-secret-4b1d"
	canaryRefresh = "canary-refresh-token-93ac"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// tokenEndpoint serves /oauth/2026-03/token, issuing access-N tokens that live 30
// minutes and rotating the refresh token when rotate is set.
type tokenEndpoint struct {
	mu       sync.Mutex
	issued   int
	rotate   bool
	forms    []url.Values
	fail     bool
	hold     chan struct{}
	inflight atomic.Int32
	maxConc  atomic.Int32
}

func (e *tokenEndpoint) handle(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := e.inflight.Add(1)
		defer e.inflight.Add(-1)
		for {
			m := e.maxConc.Load()
			if n <= m || e.maxConc.CompareAndSwap(m, n) {
				break
			}
		}
		if e.hold != nil {
			<-e.hold
		}
		testHeader(t, r, "Content-Type", "application/x-www-form-urlencoded")
		require.NoError(t, r.ParseForm())
		e.mu.Lock()
		defer e.mu.Unlock()
		e.forms = append(e.forms, r.PostForm)
		if e.fail {
			writeJSON(w, 400, `{"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token `+r.PostForm.Get("refresh_token")+`","correlationId":"x"}`)
			return
		}
		e.issued++
		refresh := r.PostForm.Get("refresh_token")
		if e.rotate || refresh == "" {
			refresh = fmt.Sprintf("refresh-%d-rotated", e.issued)
		}
		writeJSON(w, 200, fmt.Sprintf(`{"access_token":"access-%d-abcdef","refresh_token":%q,"expires_in":1800,"token_type":"bearer","hub_id":62515,"user_id":7,"scopes":["oauth","crm.objects.contacts.read"]}`, e.issued, refresh))
	}
}

func oauthSetup(t *testing.T, ep *tokenEndpoint, cfg OAuthConfig, clk *clock) (*Client, *http.ServeMux) {
	t.Helper()
	if cfg.ClientID == "" {
		cfg.ClientID = "client-id"
		cfg.ClientSecret = canarySecret
		cfg.RefreshToken = canaryRefresh
	}
	mux := http.NewServeMux()
	srv := newTestServer(t, mux)
	c, err := NewClient(WithBaseURL(srv), WithOAuth(cfg), WithoutRateLimit(), WithClock(clk.now), WithSleep((&sleeper{}).sleep))
	require.NoError(t, err)
	mux.HandleFunc("POST /oauth/2026-03/token", ep.handle(t))
	return c, mux
}

func TestOAuthRefreshesAheadOfExpiry(t *testing.T) {
	clk := &clock{t: time.Date(2026, 11, 27, 21, 0, 0, 0, time.UTC)}
	ep := &tokenEndpoint{rotate: true}
	var persisted []string
	c, mux := oauthSetup(t, ep, OAuthConfig{ClientID: "cid", ClientSecret: canarySecret, RefreshToken: canaryRefresh,
		OnRefresh: func(ctx context.Context, tok *Token) error {
			persisted = append(persisted, tok.RefreshToken)
			return nil
		}}, clk)
	var auths []string
	mux.HandleFunc("GET /crm/objects/2026-09/contacts/1", func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Header.Get("Authorization"))
		writeJSON(w, 200, `{"id":"1"}`)
	})
	get := func() {
		_, _, err := c.Contacts.Get(context.Background(), "1", nil)
		require.NoError(t, err)
	}
	get()
	clk.add(20 * time.Minute)
	get() // still valid: 30 min life, refreshed 5 min ahead
	clk.add(6 * time.Minute)
	get() // 26 min: inside the 5-minute window, refreshed
	assert.Equal(t, []string{"Bearer access-1-abcdef", "Bearer access-1-abcdef", "Bearer access-2-abcdef"}, auths)
	require.Len(t, ep.forms, 2)
	f := ep.forms[0]
	assert.Equal(t, "refresh_token", f.Get("grant_type"))
	assert.Equal(t, "cid", f.Get("client_id"))
	assert.Equal(t, canarySecret, f.Get("client_secret"))
	assert.Equal(t, canaryRefresh, f.Get("refresh_token"))
	assert.Equal(t, "refresh-1-rotated", ep.forms[1].Get("refresh_token"), "the rotated refresh token is used next")
	assert.Equal(t, []string{"refresh-1-rotated", "refresh-2-rotated"}, persisted)
}

func TestOAuthOneRefreshAtATime(t *testing.T) {
	clk := &clock{t: time.Now()}
	ep := &tokenEndpoint{hold: make(chan struct{})}
	c, mux := oauthSetup(t, ep, OAuthConfig{}, clk)
	mux.HandleFunc("GET /crm/objects/2026-09/deals/1", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer access-1-abcdef", r.Header.Get("Authorization"))
		writeJSON(w, 200, `{"id":"1"}`)
	})
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := c.Deals.Get(context.Background(), "1", nil)
			assert.NoError(t, err)
		}()
	}
	time.Sleep(20 * time.Millisecond) // let the goroutines queue on the refresh
	close(ep.hold)
	wg.Wait()
	assert.Equal(t, 1, ep.issued)
	assert.Equal(t, int32(1), ep.maxConc.Load())
}

func TestOAuthSeededTokenAndWaiterContext(t *testing.T) {
	clk := &clock{t: time.Now()}
	ep := &tokenEndpoint{}
	c, mux := oauthSetup(t, ep, OAuthConfig{ClientID: "c", ClientSecret: canarySecret, RefreshToken: canaryRefresh,
		AccessToken: "seeded-access-0001", Expiry: clk.now().Add(30 * time.Minute)}, clk)
	mux.HandleFunc("GET /crm/objects/2026-09/deals/1", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer seeded-access-0001", r.Header.Get("Authorization"))
		writeJSON(w, 200, `{"id":"1"}`)
	})
	_, _, err := c.Deals.Get(context.Background(), "1", nil)
	require.NoError(t, err)
	assert.Equal(t, 0, ep.issued)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = c.Deals.Get(ctx, "1", nil)
	require.ErrorIs(t, err, context.Canceled)
}

func TestOAuthRefreshFailureAndCallbackError(t *testing.T) {
	clk := &clock{t: time.Now()}
	ep := &tokenEndpoint{fail: true}
	c, _ := oauthSetup(t, ep, OAuthConfig{}, clk)
	_, _, err := c.Deals.Get(context.Background(), "1", nil)
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.NotContains(t, err.Error(), canaryRefresh)
	assert.NotContains(t, err.Error(), canarySecret)
	assert.Contains(t, err.Error(), "refresh OAuth access token")

	ep2 := &tokenEndpoint{}
	c2, _ := oauthSetup(t, ep2, OAuthConfig{ClientID: "c", ClientSecret: canarySecret, RefreshToken: canaryRefresh,
		OnRefresh: func(ctx context.Context, tok *Token) error { return errors.New("store down for " + tok.RefreshToken) }}, clk)
	_, _, err = c2.Deals.Get(context.Background(), "1", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "OnRefresh")
	assert.NotContains(t, err.Error(), canaryRefresh)
}

func TestTokenHidesSecrets(t *testing.T) {
	tok := &Token{AccessToken: "acc-secret-1", RefreshToken: "ref-secret-2", HubID: 62515, Expiry: time.Unix(0, 0).UTC()}
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%+v", tok), fmt.Sprintf("%#v", tok), tok.LogValue().String()} {
		assert.NotContains(t, s, "secret", s)
		assert.Contains(t, s, "62515")
	}
}

func TestAuthorizeURLAndState(t *testing.T) {
	app := &OAuthApp{ClientID: "cid", RedirectURI: "https://app.example.com/hubspot/callback",
		Scopes: []string{"oauth", "crm.objects.contacts.read"}, OptionalScopes: []string{"crm.objects.deals.read"}}
	signer := &StateSigner{Key: []byte("0123456789abcdef0123456789abcdef"), TTL: time.Minute}
	state, err := signer.Sign("tenant-42")
	require.NoError(t, err)
	raw, err := app.AuthorizeURL(state)
	require.NoError(t, err)
	u, err := url.Parse(raw)
	require.NoError(t, err)
	assert.Equal(t, "app.hubspot.com", u.Host)
	assert.Equal(t, "/oauth/authorize", u.Path)
	q := u.Query()
	assert.Equal(t, "cid", q.Get("client_id"))
	assert.Equal(t, "https://app.example.com/hubspot/callback", q.Get("redirect_uri"))
	assert.Equal(t, "oauth crm.objects.contacts.read", q.Get("scope"))
	assert.Equal(t, "crm.objects.deals.read", q.Get("optional_scope"))
	data, err := signer.Verify(q.Get("state"))
	require.NoError(t, err)
	assert.Equal(t, "tenant-42", data)

	_, err = (&OAuthApp{ClientID: "x"}).AuthorizeURL("")
	require.Error(t, err)

	tampered := state[:len(state)-2] + "AA"
	_, err = signer.Verify(tampered)
	require.ErrorIs(t, err, ErrInvalidState)
	_, err = (&StateSigner{Key: []byte("another-key-of-32-bytes-xxxxxxxx")}).Verify(state)
	require.ErrorIs(t, err, ErrInvalidState)
	later := &StateSigner{Key: signer.Key, Now: func() time.Time { return time.Now().Add(2 * time.Minute) }}
	_, err = later.Verify(state)
	require.ErrorIs(t, err, ErrInvalidState)
	assert.Contains(t, err.Error(), "expired")
	_, err = (&StateSigner{Key: []byte("short")}).Sign("x")
	require.Error(t, err)
	_, err = signer.Verify("garbage")
	require.ErrorIs(t, err, ErrInvalidState)
}

func TestExchangeCode(t *testing.T) {
	mux := http.NewServeMux()
	srv := newTestServer(t, mux)
	mux.HandleFunc("POST /oauth/2026-03/token", func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		assert.Equal(t, url.Values{"grant_type": {"authorization_code"}, "client_id": {"cid"}, "client_secret": {canarySecret},
			"redirect_uri": {"https://app.example.com/cb"}, "code": {"code-abc-123"}}, r.PostForm)
		writeJSON(w, 200, `{"access_token":"acc-1234","refresh_token":"ref-5678","expires_in":1800,"token_type":"bearer","hub_id":62515}`)
	})
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c, err := NewClient(WithBaseURL(srv), WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	app := &OAuthApp{ClientID: "cid", ClientSecret: canarySecret, RedirectURI: "https://app.example.com/cb"}
	tok, err := c.ExchangeCode(context.Background(), app, "code-abc-123")
	require.NoError(t, err)
	assert.Equal(t, int64(62515), tok.HubID)
	assert.Equal(t, "ref-5678", tok.RefreshToken)
	assert.Equal(t, now.Add(30*time.Minute), tok.Expiry)

	_, err = c.ExchangeCode(context.Background(), app, "")
	require.Error(t, err)
	_, err = c.ExchangeCode(context.Background(), &OAuthApp{}, "x")
	require.Error(t, err)
}

func TestLegacyTokenPath(t *testing.T) {
	assert.Equal(t, "/oauth/v3/token", paths{version: VersionLegacy}.tokenPath())
	assert.True(t, strings.HasPrefix(paths{version: Version202609}.tokenPath(), "/oauth/2026-03/"))
}

func TestOAuthExpiredAuthenticationRefreshesOnce(t *testing.T) {
	clk := &clock{t: time.Now()}
	ep := &tokenEndpoint{}
	c, mux := oauthSetup(t, ep, OAuthConfig{}, clk)
	var auths []string
	mux.HandleFunc("PATCH /crm/objects/2026-09/deals/1", func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.Header.Get("Authorization"))
		testJSONBody(t, r, `{"properties":{"amount":"10"}}`)
		if len(auths) == 1 {
			writeJSON(w, 401, `{"status":"error","message":"The OAuth token used to make this call expired 2 minute(s) ago.","category":"EXPIRED_AUTHENTICATION"}`)
			return
		}
		writeJSON(w, 200, `{"id":"1"}`)
	})
	_, _, err := c.Deals.Update(context.Background(), "1", map[string]string{"amount": "10"}, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"Bearer access-1-abcdef", "Bearer access-2-abcdef"}, auths)

	// A second rejection is returned, not looped on.
	mux.HandleFunc("GET /crm/objects/2026-09/deals/2", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"status":"error","message":"expired","category":"EXPIRED_AUTHENTICATION"}`)
	})
	_, _, err = c.Deals.Get(context.Background(), "2", nil)
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 3, ep.issued, "one refresh per rejected call, no loop")
}

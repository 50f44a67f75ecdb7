package hubspot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// OAuthConfig authenticates a client with OAuth 2: the app's client id and secret
// and the refresh token of one installing account (one per hub id, hubspot-api.md §1).
type OAuthConfig struct {
	ClientID     string
	ClientSecret string
	RefreshToken string
	// RedirectURI is sent with refresh requests when set (the legacy v1 endpoint
	// required it).
	RedirectURI string
	// AccessToken and Expiry seed the client with a token already held, so no
	// refresh is needed until it is about to expire. Both are optional.
	AccessToken string
	Expiry      time.Time
	// RefreshAhead is how long before expiry a token is refreshed (default 5
	// minutes, and at most half the token's lifetime). HubSpot access tokens live 30
	// minutes and a 401 is not a reliable sign of expiry, so the client refreshes
	// from expires_in (hubspot-api.md §1, doc: usage-details).
	RefreshAhead time.Duration
	// OnRefresh, when set, is called after every successful refresh, before the new
	// token is used, so the host can persist a rotated refresh token. An error from
	// it fails the request that triggered the refresh.
	OnRefresh func(ctx context.Context, tok *Token) error
}

// DefaultRefreshAhead is the default OAuthConfig.RefreshAhead.
const DefaultRefreshAhead = 5 * time.Minute

// WithOAuth authenticates with OAuth 2 access tokens obtained from cfg.RefreshToken
// and refreshed ahead of their expiry, one refresh at a time however many
// goroutines use the client. The secret, refresh token and every access token are
// redacted from logs and errors.
func WithOAuth(cfg OAuthConfig) Option {
	return func(c *config) error {
		if cfg.ClientID == "" || cfg.ClientSecret == "" || cfg.RefreshToken == "" {
			return errors.New("hubspot: WithOAuth: client id, client secret and refresh token are required")
		}
		if c.token != "" {
			return errors.New("hubspot: WithOAuth: WithAccessToken is already set")
		}
		if cfg.RefreshAhead < 0 {
			return fmt.Errorf("hubspot: WithOAuth: negative RefreshAhead %s", cfg.RefreshAhead)
		}
		if cfg.RefreshAhead == 0 {
			cfg.RefreshAhead = DefaultRefreshAhead
		}
		c.redactor.Add(cfg.ClientSecret, cfg.RefreshToken, cfg.AccessToken)
		c.oauth = &cfg
		return nil
	}
}

// Token is the answer of HubSpot's token endpoint (spec: auth-oauth_v3
// AccessTokenResponse). Its String and LogValue methods hide the secrets.
type Token struct {
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token"`
	TokenType    string    `json:"token_type"`
	ExpiresIn    int64     `json:"expires_in"`
	Expiry       time.Time `json:"expiry"`
	HubID        int64     `json:"hub_id"`
	UserID       int64     `json:"user_id,omitempty"`
	Scopes       []string  `json:"scopes,omitempty"`
	IDToken      string    `json:"id_token,omitempty"`
}

// String describes the token without its secrets.
func (t *Token) String() string {
	return fmt.Sprintf("hubspot.Token{hub %d, expires %s}", t.HubID, t.Expiry.Format(time.RFC3339))
}

// GoString is String, so %#v prints no secret either.
func (t *Token) GoString() string { return t.String() }

// LogValue keeps the secrets out of slog records.
func (t *Token) LogValue() slog.Value {
	return slog.GroupValue(slog.Int64("hub_id", t.HubID), slog.Time("expiry", t.Expiry))
}

// tokenPath is the token endpoint: /oauth/2026-03/token for date-based versions
// (the only OAuth version so far) and /oauth/v3/token for legacy paths; both take
// every parameter in the form body (hubspot-api.md §1, doc: auth-oauth-v3/guide).
func (p paths) tokenPath() string {
	if p.version == VersionLegacy {
		return "/oauth/v3/token"
	}
	return "/oauth/2026-03/token"
}

// requestToken posts a form to the token endpoint and returns the token.
func (c *Client) requestToken(ctx context.Context, form url.Values) (*Token, error) {
	u := *c.baseURL
	u.Path = c.baseURL.Path + c.paths.tokenPath()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	var raw struct {
		Token
		HubIDAlt int64 `json:"hubId"`
	}
	start := c.cfg.now()
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, c.transportError(req, err)
	}
	if _, err := c.finish(req, resp, start, &raw); err != nil {
		return nil, err
	}
	tok := raw.Token
	if tok.HubID == 0 {
		tok.HubID = raw.HubIDAlt
	}
	if tok.AccessToken == "" {
		return nil, fmt.Errorf("hubspot: %s %s: token response without access_token", req.Method, c.redactURL(req.URL))
	}
	c.cfg.redactor.Add(tok.AccessToken, tok.RefreshToken, tok.IDToken)
	if tok.ExpiresIn > 0 {
		tok.Expiry = start.Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	return &tok, nil
}

// oauthSource hands out access tokens, refreshing them ahead of expiry. sem (a
// one-slot channel) admits one refresh at a time and lets waiters give up with
// their context.
type oauthSource struct {
	c   *Client
	cfg OAuthConfig
	sem chan struct{}

	access   string
	expiry   time.Time
	lifetime time.Duration
	refresh  string
}

func newOAuthSource(c *Client, cfg *OAuthConfig) *oauthSource {
	return &oauthSource{c: c, cfg: *cfg, sem: make(chan struct{}, 1),
		access: cfg.AccessToken, expiry: cfg.Expiry, refresh: cfg.RefreshToken}
}

func (s *oauthSource) Token(ctx context.Context) (string, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-s.sem }()
	if s.valid(s.c.cfg.now()) {
		return s.access, nil
	}
	form := url.Values{
		"grant_type":    {"refresh_token"},
		"client_id":     {s.cfg.ClientID},
		"client_secret": {s.cfg.ClientSecret},
		"refresh_token": {s.refresh},
	}
	if s.cfg.RedirectURI != "" {
		form.Set("redirect_uri", s.cfg.RedirectURI)
	}
	tok, err := s.c.requestToken(ctx, form)
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		return "", fmt.Errorf("hubspot: refresh OAuth access token: %w", errors.Join(ErrUnauthorized, err))
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = s.refresh
	}
	if s.cfg.OnRefresh != nil {
		if err := s.cfg.OnRefresh(ctx, tok); err != nil {
			return "", fmt.Errorf("hubspot: OAuth OnRefresh callback: %w", s.c.cfg.redactor.Error(err))
		}
	}
	s.access, s.expiry, s.refresh = tok.AccessToken, tok.Expiry, tok.RefreshToken
	s.lifetime = time.Duration(tok.ExpiresIn) * time.Second
	s.c.logger.DebugContext(ctx, "hubspot: refreshed OAuth access token", "hub_id", tok.HubID, "expiry", tok.Expiry)
	return s.access, nil
}

// expire drops the current access token if it is still tok, so the next Token call
// refreshes it.
func (s *oauthSource) expire(tok string) {
	s.sem <- struct{}{}
	defer func() { <-s.sem }()
	if s.access == tok {
		s.access = ""
	}
}

// valid reports whether the current token is still good: it is refreshed
// RefreshAhead before expiry, or half-way through its life for short-lived tokens.
// A seeded token without an expiry is refreshed before first use.
func (s *oauthSource) valid(now time.Time) bool {
	if s.access == "" || s.expiry.IsZero() {
		return false
	}
	ahead := s.cfg.RefreshAhead
	if s.lifetime > 0 && ahead > s.lifetime/2 {
		ahead = s.lifetime / 2
	}
	return now.Before(s.expiry.Add(-ahead))
}

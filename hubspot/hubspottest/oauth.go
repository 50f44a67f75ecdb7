package hubspottest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// OAuthOptions configures the OAuth token endpoints /oauth/v1/token,
// /oauth/v3/token and /oauth/2026-03/token (hubspot-api.md §1 "OAuth 2").
type OAuthOptions struct {
	// ClientID and ClientSecret of the app; empty means "hubspottest-client"
	// and a random secret. The secret also signs webhook deliveries.
	ClientID, ClientSecret string
	// AccessTokenTTL is expires_in; 0 means 30 minutes (hubspot-api.md §1).
	AccessTokenTTL time.Duration
	// RotateRefreshTokens returns a new refresh token on every refresh and
	// invalidates the old one. HubSpot keeps refresh tokens stable; the option
	// exists to test the client's rotation callback.
	RotateRefreshTokens bool
	// Scopes granted to issued tokens; nil means every scope the fake checks.
	Scopes []string
	// UserID is the installing user's id; 0 means 9586504.
	UserID int64
}

func (o OAuthOptions) withDefaults() OAuthOptions {
	if o.ClientID == "" {
		o.ClientID = "hubspottest-client"
	}
	if o.ClientSecret == "" {
		o.ClientSecret = randomHex(16)
	}
	if o.AccessTokenTTL == 0 {
		o.AccessTokenTTL = 30 * time.Minute
	}
	if o.Scopes == nil {
		o.Scopes = slices.Clone(allScopes)
	}
	if o.UserID == 0 {
		o.UserID = 9586504
	}
	return o
}

type oauthState struct {
	codes   map[string]string    // authorization code -> redirect URI
	refresh map[string]bool      // valid refresh tokens
	access  map[string]time.Time // access token -> expiry
}

func newOAuthState() *oauthState {
	return &oauthState{codes: map[string]string{}, refresh: map[string]bool{}, access: map[string]time.Time{}}
}

// IssueAuthCode returns a one-time authorization code for redirectURI, as if a
// user had approved the app at the authorize URL.
func (s *Server) IssueAuthCode(redirectURI string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := newUUID()
	s.oauth.codes[code] = redirectURI
	return code
}

// IssueRefreshToken returns a valid refresh token, as if an install had completed.
func (s *Server) IssueRefreshToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := "na1-" + newUUID()
	s.oauth.refresh[t] = true
	return t
}

// ClientID returns the OAuth client id the token endpoints accept.
func (s *Server) ClientID() string { return s.opts.OAuth.ClientID }

// ClientSecret returns the app's client secret (token endpoints and webhook signatures).
func (s *Server) ClientSecret() string { return s.opts.OAuth.ClientSecret }

// tokenResponse is the v3 AccessTokenResponse (spec auth-oauth_v3); the v1
// endpoint returns the same fields.
type tokenResponse struct {
	TokenType    string   `json:"token_type"`
	RefreshToken string   `json:"refresh_token"`
	AccessToken  string   `json:"access_token"`
	ExpiresIn    int      `json:"expires_in"`
	TokenUse     string   `json:"token_use,omitempty"`
	HubID        int64    `json:"hub_id"`
	UserID       int64    `json:"user_id"`
	Scopes       []string `json:"scopes"`
}

// oauthError is the token endpoints' error body, e.g.
// {"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token",…}.
type oauthError struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
}

func oauthFail(w http.ResponseWriter, status, msg string) {
	writeJSON(w, http.StatusBadRequest, oauthError{Status: status, Message: msg, CorrelationID: newUUID()})
}

// handleToken serves authorization_code and refresh_token grants. v1 takes
// parameters in the query or the form body; v3 and 2026-03 only in the body.
func (s *Server) handleToken(version string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			oauthFail(w, "BAD_REQUEST", "unable to parse form body")
			return
		}
		form := r.PostForm
		if version == "v1" {
			form = r.Form
		}
		o := s.opts.OAuth
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case form.Get("client_id") != o.ClientID:
			oauthFail(w, "BAD_CLIENT_ID", "missing or unknown client id")
			return
		case form.Get("client_secret") != o.ClientSecret:
			oauthFail(w, "BAD_CLIENT_SECRET", "missing or invalid client secret")
			return
		}
		refresh := ""
		switch form.Get("grant_type") {
		case "authorization_code":
			redirect, ok := s.oauth.codes[form.Get("code")]
			if !ok {
				oauthFail(w, "BAD_AUTH_CODE", "missing or unknown auth code")
				return
			}
			if redirect != form.Get("redirect_uri") {
				oauthFail(w, "BAD_REDIRECT_URI", "redirect_uri does not match the one used to get the auth code")
				return
			}
			delete(s.oauth.codes, form.Get("code")) // codes are single use
			refresh = "na1-" + newUUID()
			s.oauth.refresh[refresh] = true
		case "refresh_token":
			refresh = form.Get("refresh_token")
			if !s.oauth.refresh[refresh] {
				oauthFail(w, "BAD_REFRESH_TOKEN", "missing or unknown refresh token")
				return
			}
			if o.RotateRefreshTokens {
				delete(s.oauth.refresh, refresh)
				refresh = "na1-" + newUUID()
				s.oauth.refresh[refresh] = true
			}
		default:
			oauthFail(w, "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token")
			return
		}
		access := "CN" + strings.ToUpper(randomHex(12)) + randomHex(40)
		s.oauth.access[access] = s.now().Add(o.AccessTokenTTL)
		resp := tokenResponse{TokenType: "bearer", RefreshToken: refresh, AccessToken: access,
			ExpiresIn: int(o.AccessTokenTTL / time.Second), HubID: s.opts.PortalID, UserID: o.UserID, Scopes: slices.Clone(o.Scopes)}
		if version != "v1" {
			resp.TokenUse = "access_token"
		}
		writeJSON(w, http.StatusOK, resp)
	}
}

// handleAccessTokenInfo is GET /oauth/v1/access-tokens/{token}: the hub id and
// scopes behind an access token.
func (s *Server) handleAccessTokenInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := r.PathValue("token")
	exp, ok := s.oauth.access[tok]
	if !ok || !s.now().Before(exp) {
		writeError(w, http.StatusNotFound, apiError{Message: "The access token is invalid or expired", Category: catNotFound})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token": tok, "hub_id": s.opts.PortalID, "app_id": s.opts.Webhooks.AppID, "user_id": s.opts.OAuth.UserID,
		"scopes": s.opts.OAuth.Scopes, "token_type": "access", "expires_in": int(exp.Sub(s.now()) / time.Second),
		"hub_domain": "hubspottest.example.com",
	})
}

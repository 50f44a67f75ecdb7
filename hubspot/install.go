package hubspot

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// DefaultAuthorizeURL is HubSpot's OAuth authorization page (hubspot-api.md §1,
// spec: securitySchemes.oauth2). EU accounts are seen on app-eu1.hubspot.com (3p).
const DefaultAuthorizeURL = "https://app.hubspot.com/oauth/authorize"

// OAuthApp describes an OAuth app for the install flow: send the user to
// AuthorizeURL, then trade the code HubSpot redirects back with for tokens with
// Client.ExchangeCode.
type OAuthApp struct {
	ClientID     string
	ClientSecret string
	RedirectURI  string
	// Scopes are required; the install fails if the account cannot grant them.
	Scopes []string
	// OptionalScopes are granted when the account's tier allows them.
	OptionalScopes []string
	// AuthorizeBaseURL replaces DefaultAuthorizeURL when set.
	AuthorizeBaseURL string
}

// AuthorizeURL returns the page to send the installing user to. state is echoed back
// on the redirect; make it with a StateSigner so the callback can verify it.
func (a *OAuthApp) AuthorizeURL(state string) (string, error) {
	if a.ClientID == "" || a.RedirectURI == "" || len(a.Scopes) == 0 {
		return "", errors.New("hubspot: authorize URL: client id, redirect URI and at least one scope are required")
	}
	base := a.AuthorizeBaseURL
	if base == "" {
		base = DefaultAuthorizeURL
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("hubspot: authorize URL: %w", err)
	}
	q := u.Query()
	q.Set("client_id", a.ClientID)
	q.Set("redirect_uri", a.RedirectURI)
	q.Set("scope", strings.Join(a.Scopes, " "))
	if len(a.OptionalScopes) > 0 {
		q.Set("optional_scope", strings.Join(a.OptionalScopes, " "))
	}
	if state != "" {
		q.Set("state", state)
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ExchangeCode trades the authorization code of an install redirect for tokens
// (grant_type=authorization_code). The Token names the installing account (HubID);
// store its RefreshToken per hub id and build the account's client with WithOAuth.
// The client that exchanges needs no credentials of its own.
func (c *Client) ExchangeCode(ctx context.Context, app *OAuthApp, code string) (*Token, error) {
	if app == nil || app.ClientID == "" || app.ClientSecret == "" || app.RedirectURI == "" {
		return nil, errors.New("hubspot: exchange code: client id, client secret and redirect URI are required")
	}
	if code == "" {
		return nil, errors.New("hubspot: exchange code: empty code")
	}
	c.cfg.redactor.Add(app.ClientSecret, code)
	tok, err := c.requestToken(ctx, url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {app.ClientID},
		"client_secret": {app.ClientSecret},
		"redirect_uri":  {app.RedirectURI},
		"code":          {code},
	})
	if err != nil {
		return nil, fmt.Errorf("hubspot: exchange code: %w", err)
	}
	return tok, nil
}

// ErrInvalidState is returned by StateSigner.Verify for a state that was not signed
// with its key, was altered, or has expired.
var ErrInvalidState = errors.New("hubspot: invalid OAuth state")

// StateSigner makes and checks the OAuth state parameter: data chosen by the host
// (a tenant id, a return path), an expiry and a random nonce, signed with
// HMAC-SHA256. Verify accepts only states signed with Key and not yet expired.
type StateSigner struct {
	// Key signs states; use at least 32 random bytes and keep it secret.
	Key []byte
	// TTL is how long a state stays valid (default 10 minutes).
	TTL time.Duration
	// Now replaces time.Now in tests.
	Now func() time.Time
}

func (s *StateSigner) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Sign returns a URL-safe state carrying data.
func (s *StateSigner) Sign(data string) (string, error) {
	if len(s.Key) < 16 {
		return "", errors.New("hubspot: state signer: key shorter than 16 bytes")
	}
	ttl := s.TTL
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	payload := make([]byte, 16, 16+len(data))
	binary.BigEndian.PutUint64(payload, uint64(s.now().Add(ttl).Unix()))
	if _, err := rand.Read(payload[8:16]); err != nil {
		return "", fmt.Errorf("hubspot: state signer: %w", err)
	}
	payload = append(payload, data...)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(s.mac(payload)), nil
}

// Verify checks state and returns the data it carries.
func (s *StateSigner) Verify(state string) (string, error) {
	enc := base64.RawURLEncoding
	p, m, ok := strings.Cut(state, ".")
	if !ok || len(s.Key) < 16 {
		return "", ErrInvalidState
	}
	payload, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(m)
	if err1 != nil || err2 != nil || len(payload) < 16 || !hmac.Equal(mac, s.mac(payload)) {
		return "", ErrInvalidState
	}
	exp := time.Unix(int64(binary.BigEndian.Uint64(payload)), 0)
	if !s.now().Before(exp) {
		return "", fmt.Errorf("%w: expired at %s", ErrInvalidState, exp.UTC().Format(time.RFC3339))
	}
	return string(payload[16:]), nil
}

func (s *StateSigner) mac(payload []byte) []byte {
	h := hmac.New(sha256.New, s.Key)
	h.Write(payload)
	return h.Sum(nil)
}

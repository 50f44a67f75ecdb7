package connectwise

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hubwise/hubwise/internal/httpx"
)

// SignatureHeader carries a callback's signature.
const SignatureHeader = "x-content-signature"

// ErrInvalidCallback is wrapped by every *CallbackError.
var ErrInvalidCallback = errors.New("connectwise: callback rejected")

// CallbackError says why a delivery was rejected; its text never contains the
// signing key.
type CallbackError struct {
	Reason string
	Err    error
}

// Error describes the failure in one line.
func (e *CallbackError) Error() string {
	if e.Err != nil {
		return "connectwise: callback rejected: " + e.Reason + ": " + e.Err.Error()
	}
	return "connectwise: callback rejected: " + e.Reason
}

// Unwrap returns [ErrInvalidCallback] and the cause.
func (e *CallbackError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalidCallback, e.Err}
	}
	return []error{ErrInvalidCallback}
}

// VerifierOptions configure a [CallbackVerifier]. The zero value is the safe default.
type VerifierOptions struct {
	// AllowedHosts are extra hosts (host or host:port) a key URL may point at, on top
	// of the tenant's own API host and its UI host.
	AllowedHosts []string
	// AllowHTTP accepts http:// key URLs. For tests against a local fake only.
	AllowHTTP bool
	// HTTPClient fetches signing keys. Nil means a client with Timeout that follows no
	// redirects. The API credentials are never sent to the key URL.
	HTTPClient *http.Client
	// Timeout bounds one key fetch (default 10s; our choice, ConnectWise documents
	// none).
	Timeout time.Duration
	// MaxKeyBody bounds the key response (default 8 KiB; the real answer is a
	// one-field JSON object, {"signing_key": "..."}, connectwise-api.md §9).
	MaxKeyBody int64
	// CacheTTL is how long a fetched key is reused (default 5 minutes; keys rotate,
	// "these URLs change", connectwise-api.md §9, S14).
	CacheTTL time.Duration
	// Now is the clock for the cache (default time.Now).
	Now func() time.Time
}

// CallbackVerifier checks deliveries: the key URL first (https, a host of the
// tenant or the allow-list, the callback key path, the tenant's company), then the
// signature x-content-signature = base64(HMAC-SHA256(key = SHA256(signing_key),
// raw body)) (connectwise-api.md §9, S12/S14). The key URL comes from the
// unauthenticated body, so it is checked before anything is fetched: otherwise an
// attacker could serve their own key and sign anything. Safe for concurrent use.
type CallbackVerifier struct {
	c       *Client
	allowed map[string]bool
	opts    VerifierOptions
	hc      *http.Client

	mu    sync.Mutex
	cache map[string]cachedKey
}

type cachedKey struct {
	key     []byte // SHA256(signing_key)
	expires time.Time
}

// NewCallbackVerifier returns a verifier for deliveries to this client's tenant.
// opts may be nil.
func (c *Client) NewCallbackVerifier(opts *VerifierOptions) *CallbackVerifier {
	var o VerifierOptions
	if opts != nil {
		o = *opts
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxKeyBody <= 0 {
		o.MaxKeyBody = 8 << 10
	}
	if o.CacheTTL <= 0 {
		o.CacheTTL = 5 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{
			Timeout:       o.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	v := &CallbackVerifier{c: c, opts: o, hc: hc, allowed: map[string]bool{}, cache: map[string]cachedKey{}}
	host := strings.ToLower(c.origin.Host)
	v.allowed[host] = true
	if c.uiHost != "" {
		v.allowed[c.uiHost] = true
	}
	if ui := uiHostFor(host, c.cfg.hostAliases); ui != "" {
		v.allowed[ui] = true
	}
	for _, h := range o.AllowedHosts {
		v.allowed[strings.ToLower(strings.TrimSpace(h))] = true
	}
	return v
}

// Verify checks body against signature (the x-content-signature header value) and
// returns the parsed event. Every failure is a *CallbackError.
func (v *CallbackVerifier) Verify(ctx context.Context, body []byte, signature string) (*CallbackEvent, error) {
	ev, err := ParseCallback(body)
	if err != nil {
		return nil, &CallbackError{Reason: "unreadable body", Err: err}
	}
	if ev.CompanyID != "" && !strings.EqualFold(ev.CompanyID, v.c.creds.CompanyID) {
		return nil, &CallbackError{Reason: fmt.Sprintf("delivery for company %q, not this tenant", ev.CompanyID)}
	}
	keyURL, err := v.checkKeyURL(ev.Metadata.KeyURL)
	if err != nil {
		return nil, err
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(signature))
	if err != nil || len(sig) != sha256.Size {
		return nil, &CallbackError{Reason: "missing or malformed " + SignatureHeader}
	}
	key, err := v.signingKey(ctx, keyURL)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil), sig) {
		return nil, &CallbackError{Reason: "signature does not match"}
	}
	return ev, nil
}

// checkKeyURL enforces the key URL rules before any fetch.
func (v *CallbackVerifier) checkKeyURL(raw string) (*url.URL, error) {
	bad := func(reason string) (*url.URL, error) {
		return nil, &CallbackError{Reason: "untrusted key URL: " + reason}
	}
	if raw == "" {
		return bad("missing Metadata.key_url")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return bad("not a URL")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && v.opts.AllowHTTP:
	default:
		return bad(fmt.Sprintf("scheme %q (https required)", u.Scheme))
	}
	if u.User != nil {
		return bad("contains credentials")
	}
	host := strings.ToLower(u.Host)
	if (u.Scheme == "https" && strings.HasSuffix(host, ":443")) || (u.Scheme == "http" && strings.HasSuffix(host, ":80")) {
		host = host[:strings.LastIndex(host, ":")] // the default port, written out
	}
	if !v.allowed[host] {
		return bad(fmt.Sprintf("host %q is neither the tenant's host nor allow-listed", u.Host))
	}
	if !strings.Contains(strings.ToLower(u.Path), "/system/callbackkey/") {
		return bad("path is not a callback key path")
	}
	if cn := u.Query().Get("companyName"); cn != "" && !strings.EqualFold(cn, v.c.creds.CompanyID) {
		return bad(fmt.Sprintf("key of company %q, not this tenant", cn))
	}
	return u, nil
}

// signingKey fetches (or reuses) the key at u and returns SHA256(signing_key).
func (v *CallbackVerifier) signingKey(ctx context.Context, u *url.URL) ([]byte, error) {
	k := u.String()
	now := v.opts.Now()
	v.mu.Lock()
	if ck, ok := v.cache[k]; ok && now.Before(ck.expires) {
		v.mu.Unlock()
		return ck.key, nil
	}
	v.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, v.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, k, nil)
	if err != nil {
		return nil, &CallbackError{Reason: "key URL", Err: err}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", httpx.UserAgent("connectwise"))
	resp, err := v.hc.Do(req)
	if err != nil {
		return nil, &CallbackError{Reason: "fetching the signing key", Err: v.c.redactErr(err)}
	}
	defer resp.Body.Close()
	body, err := httpx.ReadBody(resp.Body, v.opts.MaxKeyBody)
	if err != nil {
		return nil, &CallbackError{Reason: "reading the signing key", Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &CallbackError{Reason: fmt.Sprintf("key URL answered HTTP %d", resp.StatusCode)}
	}
	var kb struct {
		SigningKey string `json:"signing_key"`
	}
	if json.Unmarshal(body, &kb) != nil || kb.SigningKey == "" {
		return nil, &CallbackError{Reason: "key URL answered no signing_key"}
	}
	v.c.redactor.Add(kb.SigningKey)
	sum := sha256.Sum256([]byte(kb.SigningKey))
	v.mu.Lock()
	for ck, e := range v.cache { // keep the cache small
		if !now.Before(e.expires) {
			delete(v.cache, ck)
		}
	}
	v.cache[k] = cachedKey{key: sum[:], expires: now.Add(v.opts.CacheTTL)}
	v.mu.Unlock()
	return sum[:], nil
}

// SignCallback returns the x-content-signature of body for signingKey, as
// ConnectWise computes it. For tests and fakes.
func SignCallback(signingKey string, body []byte) string {
	sum := sha256.Sum256([]byte(signingKey))
	mac := hmac.New(sha256.New, sum[:])
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

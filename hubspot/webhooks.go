package hubspot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook signature headers (hubspot-api.md §10, doc: request-validation).
const (
	HeaderSignatureV3      = "X-HubSpot-Signature-v3"
	HeaderRequestTimestamp = "X-HubSpot-Request-Timestamp"
	HeaderSignature        = "X-HubSpot-Signature"
	HeaderSignatureVersion = "X-HubSpot-Signature-Version"
)

// DefaultWebhookMaxAge is how old a v3 request may be: "Reject the request if the
// timestamp is older than 5 minutes" (hubspot-api.md §10; the official Node SDK uses
// MAX_ALLOWED_TIMESTAMP = 300000).
const DefaultWebhookMaxAge = 5 * time.Minute

// ErrInvalidSignature is unwrapped by every webhook verification failure.
var ErrInvalidSignature = errors.New("hubspot: invalid webhook signature")

// SignV3 returns the v3 signature of a request: base64 of HMAC-SHA256, keyed with
// the app's client secret, over method + uri + body + timestamp, where uri is the
// full URL HubSpot called with the listed URL-encoded characters decoded. Fakes use
// it to sign deliveries.
func SignV3(clientSecret, method, uri string, body []byte, timestamp string) string {
	h := hmac.New(sha256.New, []byte(clientSecret))
	h.Write([]byte(method))
	h.Write([]byte(decodeV3URI(uri)))
	h.Write(body)
	h.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// SignV1 returns the v1 signature: hex SHA-256 of clientSecret + body. HubSpot sends
// it with webhooks-API CRM events (doc: faq/v1-request-validation).
func SignV1(clientSecret string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(clientSecret))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// SignV2 returns the v2 signature: hex SHA-256 of clientSecret + method + uri + body,
// used by workflow webhooks and CRM cards (doc: faq/v2-request-validation).
func SignV2(clientSecret, method, uri string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(clientSecret))
	h.Write([]byte(method))
	h.Write([]byte(uri))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// v3Decoded are the URL-encoded characters HubSpot's v3 validation decodes in the
// request URI before signing (doc: request-validation, table of characters).
var v3Decoded = strings.NewReplacer(
	"%3A", ":", "%3a", ":", "%2F", "/", "%2f", "/", "%3F", "?", "%3f", "?",
	"%40", "@", "%21", "!", "%24", "$", "%27", "'", "%28", "(", "%29", ")",
	"%2A", "*", "%2a", "*", "%2C", ",", "%2c", ",", "%3B", ";", "%3b", ";",
)

func decodeV3URI(uri string) string { return v3Decoded.Replace(uri) }

// WebhookVerifier checks that requests come from HubSpot.
type WebhookVerifier struct {
	// ClientSecret is the app's client secret, the signing key.
	ClientSecret string
	// PublicURL is the scheme and host HubSpot calls (e.g. "https://hooks.example.com")
	// when the service runs behind a proxy; the signature covers the public URL.
	// Empty means the request's own scheme and Host.
	PublicURL string
	// MaxAge bounds the age of v3 timestamps (default DefaultWebhookMaxAge).
	MaxAge time.Duration
	// AllowLegacy accepts v1/v2 signatures when a request has no v3 signature. They
	// carry no timestamp, so a captured request can be replayed; HubSpot sends v3
	// alongside them.
	AllowLegacy bool
	// Now replaces time.Now in tests.
	Now func() time.Time
}

func (v *WebhookVerifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// RequestURI returns the full URI HubSpot signed for r: scheme, host, path and query
// as received (PublicURL replaces scheme and host).
func (v *WebhookVerifier) RequestURI(r *http.Request) string {
	target := r.RequestURI
	if target == "" && r.URL != nil {
		target = r.URL.RequestURI()
	}
	if v.PublicURL != "" {
		return strings.TrimSuffix(v.PublicURL, "/") + target
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + target
}

// Verify checks r's signature against its raw body. It uses the v3 signature when
// present (HMAC-SHA256, timestamp within MaxAge, constant-time compare), else v1/v2
// if AllowLegacy is set. Every failure unwraps to ErrInvalidSignature.
func (v *WebhookVerifier) Verify(r *http.Request, body []byte) error {
	if v.ClientSecret == "" {
		return fmt.Errorf("%w: verifier has no client secret", ErrInvalidSignature)
	}
	if sig := r.Header.Get(HeaderSignatureV3); sig != "" {
		ts := r.Header.Get(HeaderRequestTimestamp)
		ms, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			return fmt.Errorf("%w: bad or missing %s", ErrInvalidSignature, HeaderRequestTimestamp)
		}
		maxAge := v.MaxAge
		if maxAge <= 0 {
			maxAge = DefaultWebhookMaxAge
		}
		age := v.now().Sub(time.UnixMilli(ms))
		if age > maxAge || age < -maxAge {
			return fmt.Errorf("%w: timestamp outside the %s window", ErrInvalidSignature, maxAge)
		}
		want := SignV3(v.ClientSecret, r.Method, v.RequestURI(r), body, ts)
		if !hmac.Equal([]byte(sig), []byte(want)) {
			return fmt.Errorf("%w: v3 signature mismatch", ErrInvalidSignature)
		}
		return nil
	}
	sig := r.Header.Get(HeaderSignature)
	if sig == "" {
		return fmt.Errorf("%w: no signature header", ErrInvalidSignature)
	}
	if !v.AllowLegacy {
		return fmt.Errorf("%w: only a v1/v2 signature, and AllowLegacy is off", ErrInvalidSignature)
	}
	var want string
	switch r.Header.Get(HeaderSignatureVersion) {
	case "v1", "":
		want = SignV1(v.ClientSecret, body)
	case "v2":
		want = SignV2(v.ClientSecret, r.Method, v.RequestURI(r), body)
	default:
		return fmt.Errorf("%w: unknown signature version", ErrInvalidSignature)
	}
	if !hmac.Equal([]byte(strings.ToLower(sig)), []byte(want)) {
		return fmt.Errorf("%w: %s signature mismatch", ErrInvalidSignature, r.Header.Get(HeaderSignatureVersion))
	}
	return nil
}

package connectwise

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Sentinel errors. Typed errors unwrap to them, so callers write
// errors.Is(err, connectwise.ErrNotFound).
var (
	// ErrNotFound: the record does not exist (a JSON 404 such as code "NotFound").
	// A 404 for an unknown endpoint (code "ConnectWiseApi") or with a non-JSON body
	// is ErrUnknownEndpoint instead.
	ErrNotFound = errors.New("connectwise: not found")
	// ErrUnknownEndpoint: 404 "The endpoint does not exist." (wrong path or module),
	// or a 404 that is not ConnectWise JSON.
	ErrUnknownEndpoint = errors.New("connectwise: endpoint does not exist")
	// ErrConflict: a duplicate (400 with errors[].code "ObjectExists") or a 409.
	ErrConflict = errors.New("connectwise: conflict")
	// ErrUnauthorized: 401, wrong company id or keys.
	ErrUnauthorized = errors.New("connectwise: unauthorized")
	// ErrForbidden: 403, the member's security role lacks a permission.
	ErrForbidden = errors.New("connectwise: forbidden")
	// ErrRateLimited: 429 after the retries allowed.
	ErrRateLimited = errors.New("connectwise: rate limited")
	// ErrValidation: 400 (invalid object, field or conditions).
	ErrValidation = errors.New("connectwise: validation failed")
	// ErrServer: 5xx after the retries allowed.
	ErrServer = errors.New("connectwise: server error")
	// ErrCannotRoute: the plain-text "Cannot route. Codebase/company is invalid"
	// answer (connectwise-api.md §8, S21): wrong company id or codebase.
	ErrCannotRoute = errors.New("connectwise: cannot route (codebase or company is invalid)")
	// ErrCompanyNotFound: login/companyinfo knows no such company id.
	ErrCompanyNotFound = errors.New("connectwise: company not found")
	// ErrNotConnectWise: the site did not answer like a ConnectWise server.
	ErrNotConnectWise = errors.New("connectwise: not a ConnectWise host")
	// ErrInvalidSite: the site as typed cannot be used (see [NormalizeSite]).
	ErrInvalidSite = errors.New("connectwise: invalid site")
	// ErrInvalidConfig: a client option or credential is unusable.
	ErrInvalidConfig = errors.New("connectwise: invalid configuration")
)

// ConfigError reports an unusable credential or option.
type ConfigError struct {
	Field  string
	Reason string
}

// Error describes the failure in one line.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("connectwise: %s: %s", e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidConfig].
func (e *ConfigError) Unwrap() error { return ErrInvalidConfig }

// SiteError reports a site that cannot be normalised to an API host.
type SiteError struct {
	Input  string
	Reason string
}

// Error describes the failure in one line.
func (e *SiteError) Error() string {
	return fmt.Sprintf("connectwise: invalid site %q: %s", e.Input, e.Reason)
}

// Unwrap returns [ErrInvalidSite].
func (e *SiteError) Unwrap() error { return ErrInvalidSite }

// TransportError is a request that got no HTTP response (connection refused, timeout,
// TLS failure) after the retries allowed. Its message is redacted.
type TransportError struct {
	Method string
	URL    string // redacted
	Err    error
}

// Error describes the failure in one line.
func (e *TransportError) Error() string {
	return fmt.Sprintf("connectwise: %s %s: %v", e.Method, truncate(e.URL, maxURLInError), e.Err)
}

// Unwrap returns the underlying (redacted) error.
func (e *TransportError) Unwrap() error { return e.Err }

// FieldError is one entry of an error body's errors array.
type FieldError struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Resource string `json:"resource"`
	Field    string `json:"field"`
}

// APIError is a non-2xx answer. The body {code, message, errors[]} is decoded when it
// is JSON; otherwise Message holds a one-line summary of the text or HTML body.
type APIError struct {
	Method     string
	URL        string // redacted
	StatusCode int
	// Code is the body's code ("NotFound", "InvalidObject", "ApiFindCondition",
	// "ConnectWiseApi", "Unauthorized", ...); empty for non-JSON bodies.
	Code    string
	Message string
	Errors  []FieldError
	// Header is the response header.
	Header http.Header
	// JSON reports whether the body was a ConnectWise JSON error.
	JSON bool
}

// Error describes the failure in one line.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "connectwise: %s %s: %d", e.Method, truncate(e.URL, maxURLInError), e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for i, fe := range e.Errors {
		if i == 3 {
			fmt.Fprintf(&b, " (+%d more)", len(e.Errors)-3)
			break
		}
		sep := "; "
		if i == 0 {
			sep = " ("
		}
		b.WriteString(sep)
		if fe.Field != "" {
			b.WriteString(fe.Field + ": ")
		}
		b.WriteString(fe.Message)
		if fe.Code != "" {
			b.WriteString(" [" + fe.Code + "]")
		}
		if i == len(e.Errors)-1 || i == 2 {
			b.WriteString(")")
		}
	}
	return oneLine(b.String())
}

// Unwrap returns the sentinels matching the status and codes.
func (e *APIError) Unwrap() []error {
	var out []error
	switch {
	case e.StatusCode == http.StatusNotFound && e.JSON && e.Code != "ConnectWiseApi":
		// Only a ConnectWise JSON 404 says the record is gone: a sync must not treat
		// a wrong path or a proxy's page as a deletion (SOURCES.md
		// error-404-endpoint-does-not-exist.json).
		out = append(out, ErrNotFound)
	case e.StatusCode == http.StatusNotFound:
		out = append(out, ErrUnknownEndpoint)
		if strings.HasPrefix(e.Message, "HTML page") {
			out = append(out, ErrNotConnectWise)
		}
	case e.StatusCode == http.StatusUnauthorized:
		out = append(out, ErrUnauthorized)
	case e.StatusCode == http.StatusForbidden:
		out = append(out, ErrForbidden)
	case e.StatusCode == http.StatusConflict:
		out = append(out, ErrConflict)
	case e.StatusCode == http.StatusTooManyRequests:
		out = append(out, ErrRateLimited)
	case e.StatusCode >= 500:
		out = append(out, ErrServer)
	case e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity:
		out = append(out, ErrValidation)
	}
	if e.HasCode("ObjectExists") && e.StatusCode != http.StatusConflict {
		out = append(out, ErrConflict)
	}
	if e.StatusCode >= 200 && e.StatusCode < 300 {
		out = append(out, ErrNotConnectWise)
	}
	if !e.JSON && strings.Contains(strings.ToLower(e.Message), "cannot route") {
		out = append(out, ErrCannotRoute)
	}
	// "UserNotAuthenticated" arrives with code ConnectWiseApi (christaylorcodes#18).
	if e.StatusCode != http.StatusUnauthorized && strings.EqualFold(e.Message, "UserNotAuthenticated") {
		out = append(out, ErrUnauthorized)
	}
	return out
}

// HasCode reports whether the top-level code or any errors[].code equals code.
func (e *APIError) HasCode(code string) bool {
	if e.Code == code {
		return true
	}
	for _, fe := range e.Errors {
		if fe.Code == code {
			return true
		}
	}
	return false
}

// RateLimitError is a 429 that outlived the retries (or asked for a longer wait than
// allowed). RetryAfter is the server's Retry-After, zero when absent.
type RateLimitError struct {
	APIError
	RetryAfter time.Duration
}

// Error describes the failure in one line.
func (e *RateLimitError) Error() string {
	s := e.APIError.Error()
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Unwrap returns [ErrRateLimited] and the embedded *APIError.
func (e *RateLimitError) Unwrap() []error { return []error{ErrRateLimited, &e.APIError} }

var (
	titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	tagRE   = regexp.MustCompile(`(?s)<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// decodeErrorBody fills e from a body of at most httpx.MaxErrorBody bytes.
func (e *APIError) decodeErrorBody(body []byte) {
	var eb struct {
		Code    string       `json:"code"`
		Message string       `json:"message"`
		Errors  []FieldError `json:"errors"`
	}
	trimmed := strings.TrimSpace(string(body))
	if strings.HasPrefix(trimmed, "{") && json.Unmarshal(body, &eb) == nil && (eb.Code != "" || eb.Message != "") {
		e.JSON = true
		e.Code, e.Message, e.Errors = eb.Code, oneLine(eb.Message), eb.Errors
		return
	}
	e.Message = summarizeText(trimmed)
}

// summarizeText reduces a text or HTML body to one short line.
func summarizeText(s string) string {
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, "<") {
		if m := titleRE.FindStringSubmatch(s); m != nil && strings.TrimSpace(m[1]) != "" {
			return "HTML page: " + truncate(oneLine(tagRE.ReplaceAllString(m[1], "")), 120)
		}
		return "HTML page: " + truncate(oneLine(tagRE.ReplaceAllString(s, " ")), 120)
	}
	return truncate(oneLine(s), 200)
}

// maxURLInError bounds the URL shown in an error line (long "id in (...)"
// conditions); the full URL stays in the URL field.
const maxURLInError = 400

func oneLine(s string) string { return strings.TrimSpace(spaceRE.ReplaceAllString(s, " ")) }

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// NotFoundError reports that a lookup by a key other than the id found nothing.
type NotFoundError struct {
	Resource string
	Key      string
	Value    string
}

// Error describes the failure in one line.
func (e *NotFoundError) Error() string {
	return fmt.Sprintf("connectwise: no %s with %s %q", e.Resource, e.Key, e.Value)
}

// Unwrap returns [ErrNotFound].
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

package hubspot

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Sentinel errors. Every typed error of this package unwraps to the matching one, so
// callers write errors.Is(err, hubspot.ErrNotFound).
var (
	ErrNotFound     = errors.New("hubspot: not found")
	ErrConflict     = errors.New("hubspot: conflict")
	ErrUnauthorized = errors.New("hubspot: unauthorized")
	ErrForbidden    = errors.New("hubspot: forbidden")
	ErrRateLimited  = errors.New("hubspot: rate limited")
	ErrValidation   = errors.New("hubspot: validation failed")
)

// Error categories HubSpot sends (hubspot-api.md §3; 3p: hubspot-api-python#51, #117).
const (
	CategoryValidation          = "VALIDATION_ERROR"
	CategoryConflict            = "CONFLICT"
	CategoryObjectNotFound      = "OBJECT_NOT_FOUND"
	CategoryObjectAlreadyExists = "OBJECT_ALREADY_EXISTS"
	CategoryMissingScopes       = "MISSING_SCOPES"
	CategoryInvalidAuth         = "INVALID_AUTHENTICATION"
	CategoryExpiredAuth         = "EXPIRED_AUTHENTICATION"
	CategoryRateLimits          = "RATE_LIMITS"
)

// APIError is a non-2xx answer of the HubSpot API, or one failed input of a 207
// batch answer. Every field of HubSpot's error body is optional (hubspot-api.md §3,
// doc: faq/api-error-responses), so any of them may be empty.
type APIError struct {
	// Method and URL identify the request; URL is redacted.
	Method string
	URL    string
	// StatusCode is the HTTP status of the response (207 for a batch input failure).
	StatusCode int
	// Category is HubSpot's error category, e.g. "VALIDATION_ERROR", "CONFLICT".
	Category string
	// SubCategory refines it, e.g. "Properties.PROPERTY_WITH_NAME_EXISTS".
	SubCategory string
	// Message is HubSpot's message.
	Message string
	// CorrelationID identifies the request to HubSpot support.
	CorrelationID string
	// Context carries structured details, e.g. {"existingId": ["123"]}.
	Context map[string][]string
	// Details lists the individual problems of a validation error.
	Details []ErrorDetail
	// Links are documentation links HubSpot attached.
	Links map[string]string
}

// ErrorDetail is one entry of an error's "errors" list.
type ErrorDetail struct {
	Message     string              `json:"message"`
	Code        string              `json:"code,omitempty"`
	In          string              `json:"in,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}

// Error returns one line: method, redacted URL, status, category and message.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("hubspot: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.URL)
		b.WriteString(": ")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "%d ", e.StatusCode)
	}
	if e.Category != "" {
		b.WriteString(e.Category)
		b.WriteString(": ")
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	b.WriteString(oneLine(msg))
	return b.String()
}

// Unwrap returns the sentinel matching the status code, or the category when the
// status says nothing more specific (a 207 batch input failure).
func (e *APIError) Unwrap() error {
	switch e.StatusCode {
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusConflict:
		return ErrConflict
	case http.StatusUnauthorized:
		return ErrUnauthorized
	case http.StatusForbidden:
		return ErrForbidden
	case http.StatusTooManyRequests:
		return ErrRateLimited
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return ErrValidation
	}
	switch e.Category {
	case CategoryObjectNotFound:
		return ErrNotFound
	case CategoryConflict, CategoryObjectAlreadyExists:
		return ErrConflict
	case CategoryValidation:
		return ErrValidation
	case CategoryMissingScopes:
		return ErrForbidden
	case CategoryInvalidAuth, CategoryExpiredAuth:
		return ErrUnauthorized
	case CategoryRateLimits:
		return ErrRateLimited
	}
	return nil
}

var existingIDRe = regexp.MustCompile(`Existing ID: ?(\d+)`)

// ExistingID returns the id of the record a conflict collided with: from
// context.existingId when present (207 answers), else parsed from a message
// "… Existing ID: N" (hubspot-api.md §9; 3p: hubspot-api-python#51). A whole-batch
// 409 may name no id at all (payload contacts-batch-create-409-conflict), and then
// ExistingID returns "".
func (e *APIError) ExistingID() string {
	if ids := e.Context["existingId"]; len(ids) > 0 && ids[0] != "" {
		return ids[0]
	}
	if m := existingIDRe.FindStringSubmatch(e.Message); m != nil {
		return m[1]
	}
	return ""
}

// RateLimitError is a 429 answer. For the ten-secondly and per-second policies it
// is returned only once the client's retries are exhausted; a DAILY limit is never
// retried and returned at once with the time it resets.
type RateLimitError struct {
	*APIError
	// Policy is HubSpot's policyName: "DAILY", "TEN_SECONDLY_ROLLING", "SECONDLY", or
	// "" when the body named none.
	Policy string
	// Wait is how long HubSpot asks the caller to wait before the next call.
	Wait time.Duration
	// ResetAt is, for the DAILY policy, the next midnight in the zone configured with
	// WithDailyResetZone (UTC by default). HubSpot resets the daily limit at midnight
	// in the account's time-zone setting, which the API does not tell us
	// (hubspot-api.md §2, doc: usage-details).
	ResetAt time.Time
}

// Error returns one line with the policy and when to try again.
func (e *RateLimitError) Error() string {
	s := e.APIError.Error()
	switch {
	case !e.ResetAt.IsZero():
		s += fmt.Sprintf(" (policy %s, resets %s)", e.Policy, e.ResetAt.Format(time.RFC3339))
	case e.Policy != "":
		s += fmt.Sprintf(" (policy %s, wait %s)", e.Policy, e.Wait)
	}
	return s
}

// Unwrap returns ErrRateLimited and the underlying *APIError.
func (e *RateLimitError) Unwrap() []error { return []error{ErrRateLimited, e.APIError} }

// Daily reports whether the daily limit of the account was reached.
func (e *RateLimitError) Daily() bool { return e.Policy == PolicyDaily }

// errorBody is HubSpot's error schema (spec: components.schemas.Error) plus the keys
// of 429 bodies (errorType, policyName; hubspot-api.md §2). Decoding is lenient:
// the spec-generated docs show subCategory as an object and context as a string.
type errorBody struct {
	Status        string        `json:"status"`
	Category      looseString   `json:"category"`
	SubCategory   looseString   `json:"subCategory"`
	Message       string        `json:"message"`
	CorrelationID string        `json:"correlationId"`
	Context       looseContext  `json:"context"`
	Errors        []errorDetail `json:"errors"`
	Links         looseLinks    `json:"links"`
	ErrorType     string        `json:"errorType"`
	PolicyName    string        `json:"policyName"`
	ID            string        `json:"id"`
}

type errorDetail struct {
	Message     string       `json:"message"`
	Code        looseString  `json:"code"`
	In          looseString  `json:"in"`
	SubCategory looseString  `json:"subCategory"`
	Context     looseContext `json:"context"`
}

func (b *errorBody) apiError(method, url string, status int) *APIError {
	e := &APIError{
		Method:        method,
		URL:           url,
		StatusCode:    status,
		Category:      string(b.Category),
		SubCategory:   string(b.SubCategory),
		Message:       b.Message,
		CorrelationID: b.CorrelationID,
		Context:       map[string][]string(b.Context),
		Links:         map[string]string(b.Links),
	}
	if e.Category == "" && b.ErrorType == "RATE_LIMIT" {
		e.Category = CategoryRateLimits
	}
	for _, d := range b.Errors {
		e.Details = append(e.Details, ErrorDetail{
			Message: d.Message, Code: string(d.Code), In: string(d.In),
			SubCategory: string(d.SubCategory), Context: map[string][]string(d.Context),
		})
	}
	return e
}

// looseString decodes a JSON string; any other JSON value decodes to "".
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	var v string
	if json.Unmarshal(b, &v) == nil {
		*s = looseString(v)
	}
	return nil
}

// looseContext decodes HubSpot's context map of string arrays; a single string value
// becomes a one-element list, and values of other shapes are skipped.
type looseContext map[string][]string

func (c *looseContext) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	m := make(map[string][]string, len(raw))
	for k, v := range raw {
		var list []string
		if json.Unmarshal(v, &list) == nil {
			m[k] = list
			continue
		}
		var one string
		if json.Unmarshal(v, &one) == nil {
			m[k] = []string{one}
		}
	}
	if len(m) > 0 {
		*c = m
	}
	return nil
}

// looseLinks decodes a map of strings, skipping anything else.
type looseLinks map[string]string

func (l *looseLinks) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil
	}
	m := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) == nil {
			m[k] = s
		}
	}
	if len(m) > 0 {
		*l = m
	}
	return nil
}

// oneLine folds a message onto one line so Error() never spans several.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

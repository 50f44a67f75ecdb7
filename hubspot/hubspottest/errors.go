package hubspottest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is HubSpot's error body (hubspot-api.md §3; spec components.schemas.Error;
// payloads contacts-batch-create-400-validation.json, error-403-missing-scopes.json).
// Fields that the recorded bodies omit are omitempty: error-400-invalid-object-type.json
// has no category at all.
type apiError struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Context       map[string][]string `json:"context,omitempty"`
	Errors        []errorDetail       `json:"errors,omitempty"`
	Category      string              `json:"category,omitempty"`
	SubCategory   string              `json:"subCategory,omitempty"`
}

// errorDetail is one entry of errors[] (spec ErrorDetail).
type errorDetail struct {
	Message     string              `json:"message"`
	Code        string              `json:"code,omitempty"`
	In          string              `json:"in,omitempty"`
	SubCategory string              `json:"subCategory,omitempty"`
	Context     map[string][]string `json:"context,omitempty"`
}

// standardError is one failed input inside a 207 batch body (spec StandardError;
// payloads contacts-batch-create-207-conflict.json, associations-v4-batch-create-errors.json).
type standardError struct {
	Status      string              `json:"status"`
	Category    string              `json:"category"`
	SubCategory string              `json:"subCategory,omitempty"`
	Message     string              `json:"message"`
	Context     map[string][]string `json:"context,omitempty"`
	Errors      []errorDetail       `json:"errors,omitempty"`
}

// Error categories (hubspot-api.md §3 "Categories observed").
const (
	catValidation    = "VALIDATION_ERROR"
	catConflict      = "CONFLICT"
	catNotFound      = "OBJECT_NOT_FOUND"
	catAlreadyExists = "OBJECT_ALREADY_EXISTS"
	catInvalidAuth   = "INVALID_AUTHENTICATION"
	catExpiredAuth   = "EXPIRED_AUTHENTICATION"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, e apiError) {
	e.Status = "error"
	if e.CorrelationID == "" {
		e.CorrelationID = w.Header().Get("X-HubSpot-Correlation-Id")
	}
	if e.CorrelationID == "" {
		e.CorrelationID = newUUID()
	}
	writeJSON(w, status, e)
}

func validationError(w http.ResponseWriter, format string, args ...any) {
	writeError(w, http.StatusBadRequest, apiError{Message: fmt.Sprintf(format, args...), Category: catValidation})
}

// badJSON answers a body that does not decode. HubSpot's exact text for this
// case was not recorded; the shape is the common error body.
func badJSON(w http.ResponseWriter, err error) {
	validationError(w, "Invalid input JSON on line 1: %v", err)
}

// decodeBody decodes a JSON request body into v, answering 400 on failure.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 32<<20)).Decode(v); err != nil {
		badJSON(w, err)
		return false
	}
	return true
}

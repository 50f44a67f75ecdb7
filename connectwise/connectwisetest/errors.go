package connectwisetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// APIError is the JSON error body of the ConnectWise API:
// {"code": ..., "message": ..., "errors": [{code, message, resource, field}]}
// (connectwise-api.md §8; payloads error-400-*.json, error-404-*.json).
type APIError struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Errors  []FieldError `json:"errors,omitempty"`
}

// FieldError is one entry of [APIError.Errors]. Field is a slash path such as
// "company/id" (payload error-400-invalidobject-reference-notfound.json).
type FieldError struct {
	Code     string `json:"code"`
	Message  string `json:"message"`
	Resource string `json:"resource"`
	Field    string `json:"field"`
}

// Error implements error.
func (e *APIError) Error() string {
	if len(e.Errors) == 0 {
		return e.Code + ": " + e.Message
	}
	parts := make([]string, 0, len(e.Errors))
	for _, fe := range e.Errors {
		parts = append(parts, fe.Field+": "+fe.Code+": "+fe.Message)
	}
	return e.Code + ": " + e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// httpError pairs an APIError with the status it is sent with.
type httpError struct {
	status int
	body   *APIError
}

func (e *httpError) Error() string { return fmt.Sprintf("%d %s", e.status, e.body.Error()) }

// invalidObject is the 400 InvalidObject envelope of validation failures, e.g.
// {"code":"InvalidObject","message":"contact object is invalid","errors":[...]}
// (payload error-400-invalidobject-missingrequiredfield.json).
func invalidObject(object string, errs []FieldError) *httpError {
	for i := range errs {
		if errs[i].Resource == "" {
			errs[i].Resource = object
		}
	}
	return &httpError{http.StatusBadRequest, &APIError{
		Code: "InvalidObject", Message: object + " object is invalid", Errors: errs,
	}}
}

// notFound is the 404 of a record that does not exist:
// {"code":"NotFound","message":"Contact 57919 not found"} (payload error-404-notfound-contact.json).
func notFound(label string, id any) *httpError {
	return &httpError{http.StatusNotFound, &APIError{
		Code: "NotFound", Message: fmt.Sprintf("%s %v not found", label, id),
	}}
}

// endpointNotFound is the 404 of an unknown path (payload error-404-endpoint-does-not-exist.json).
func endpointNotFound() *httpError {
	return &httpError{http.StatusNotFound, &APIError{
		Code: "ConnectWiseApi", Message: "The endpoint does not exist.",
	}}
}

// badRequest is a 400 without field errors.
func badRequest(code, msg string) *httpError {
	return &httpError{http.StatusBadRequest, &APIError{Code: code, Message: msg}}
}

// missingField is the MissingRequiredField entry: "The firstName field is required."
// (payload error-400-invalidobject-missingrequiredfield.json).
func missingField(field string) FieldError {
	return FieldError{Code: "MissingRequiredField", Message: "The " + field + " field is required.", Field: field}
}

// tooLong is the MaxLengthField entry: "The field summary must be a string with a
// maximum length of 100." (docs.xyte.io kb-5017, a captured ConnectWise ticket error).
func tooLong(field string, max int) FieldError {
	return FieldError{
		Code:    "MaxLengthField",
		Message: fmt.Sprintf("The field %s must be a string with a maximum length of %d.", field, max),
		Field:   field,
	}
}

// outOfRange is the OutOfRange entry: "The field yearEstablished must be between
// 1900 and 9999." (connectwise-api.md §8, S20).
func outOfRange(field string, lo, hi int) FieldError {
	return FieldError{
		Code:    "OutOfRange",
		Message: fmt.Sprintf("The field %s must be between %d and %d.", field, lo, hi),
		Field:   field,
	}
}

// refNotFound is the nested NotFound of a reference to an unknown record:
// {"code":"NotFound","message":"company 19299 not found","field":"company/id"}
// (payload error-400-invalidobject-reference-notfound.json).
func refNotFound(field, label string, key any) FieldError {
	sub := "id"
	if _, ok := key.(string); ok {
		sub = "identifier"
	}
	return FieldError{
		Code:    "NotFound",
		Message: fmt.Sprintf("%s %v not found", strings.ToLower(label), key),
		Field:   field + "/" + sub,
	}
}

// invalidField is an InvalidField entry, as in the callback "Invalid URL" error
// (payload callback-create-error-400-invalid-url-level.json).
func invalidField(field, msg string) FieldError {
	return FieldError{Code: "InvalidField", Message: msg, Field: field}
}

// marshal encodes v without HTML escaping: the API (Json.NET) sends "&" and
// "<" as they are, e.g. "companyName=Cobalt&id=..." in key URLs (payload
// callback-payload-contact-updated.json).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// writeJSON sends v with the API's JSON content type.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeError sends err: an *httpError as its JSON body, anything else as a 500
// ConnectWiseApi error.
func writeError(w http.ResponseWriter, err error) {
	if he, ok := err.(*httpError); ok {
		writeJSON(w, he.status, he.body)
		return
	}
	writeJSON(w, http.StatusInternalServerError, &APIError{Code: "ConnectWiseApi", Message: err.Error()})
}

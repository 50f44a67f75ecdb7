package hubspot

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckResponseTypesErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		body     string
		sentinel error
		category string
	}{
		{"not found", 404, `{"status":"error","message":"Object not found.  objectId are usually numeric.","correlationId":"c1","category":"OBJECT_NOT_FOUND"}`, ErrNotFound, CategoryObjectNotFound},
		{"conflict", 409, `{"status":"error","message":"Contact already exists. Existing ID: 5150","correlationId":"c2","category":"CONFLICT"}`, ErrConflict, CategoryConflict},
		{"unauthorized", 401, `{"status":"error","message":"Authentication credentials not found.","correlationId":"c3","category":"INVALID_AUTHENTICATION"}`, ErrUnauthorized, CategoryInvalidAuth},
		{"missing scopes", 403, `{"status":"error","message":"One or more of the following scopes are required.","correlationId":"c4","context":{"requiredGranularScopes":["crm.objects.deals.read"]},"category":"MISSING_SCOPES"}`, ErrForbidden, CategoryMissingScopes},
		{"validation without category", 400, `{"status":"error","message":"Unable to infer object type from: widgets","correlationId":"c5"}`, ErrValidation, ""},
		{"validation details", 400, `{"status":"error","message":"Property values were not valid","correlationId":"c6","category":"VALIDATION_ERROR","errors":[{"message":"Property \"x\" does not exist","code":"PROPERTY_DOESNT_EXIST","context":{"propertyName":["x"]}}]}`, ErrValidation, CategoryValidation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("/crm/objects/2026-09/deals/9", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tc.status, tc.body)
			})
			_, resp, err := c.Deals.Get(context.Background(), "9", nil)
			require.Error(t, err)
			require.NotNil(t, resp)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.ErrorIs(t, err, tc.sentinel)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.Equal(t, tc.category, ae.Category)
			assert.Equal(t, http.MethodGet, ae.Method)
			assert.NotContains(t, err.Error(), "\n")
			assert.Contains(t, err.Error(), "GET http://")
			assert.Contains(t, err.Error(), "/crm/objects/2026-09/deals/9")
		})
	}
}

func TestAPIErrorFields(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/crm/objects/2026-09/contacts", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"status":"error","message":"bad","correlationId":"abc","category":"VALIDATION_ERROR","subCategory":"X.Y","context":{"ids":["1","2"],"note":"one"},"links":{"docs":"https://d"},"errors":[{"message":"m","code":"C","in":"email","subCategory":"S","context":{"k":["v"]}}]}`)
	})
	_, _, err := c.Contacts.Create(context.Background(), &ObjectCreateRequest{})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "X.Y", ae.SubCategory)
	assert.Equal(t, "abc", ae.CorrelationID)
	assert.Equal(t, []string{"1", "2"}, ae.Context["ids"])
	assert.Equal(t, []string{"one"}, ae.Context["note"])
	assert.Equal(t, "https://d", ae.Links["docs"])
	require.Len(t, ae.Details, 1)
	assert.Equal(t, ErrorDetail{Message: "m", Code: "C", In: "email", SubCategory: "S", Context: map[string][]string{"k": {"v"}}}, ae.Details[0])
}

func TestCorrelationIDFromHeader(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/crm/objects/2026-09/deals/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-HubSpot-Correlation-Id", "hdr-123")
		writeJSON(w, 404, `{"status":"error","message":"gone"}`)
	})
	_, _, err := c.Deals.Get(context.Background(), "1", nil)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "hdr-123", ae.CorrelationID)
}

func TestExistingID(t *testing.T) {
	assert.Equal(t, "171591000198", (&APIError{Message: "Contact already exists. Existing ID: 171591000198"}).ExistingID())
	assert.Equal(t, "42", (&APIError{Context: map[string][]string{"existingId": {"42"}}, Message: "Existing ID: 7"}).ExistingID())
	assert.Equal(t, "", (&APIError{Message: "Contact already exists"}).ExistingID(), "the whole-batch 409 names no id")
}

func TestNonJSONErrorBodyIsExcerptedAndRedacted(t *testing.T) {
	c, mux, _ := setup(t, WithRetryMax(0))
	mux.HandleFunc("/crm/objects/2026-09/deals/1", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>\n<body>upstream said " + testToken + strings.Repeat(" pad", 100) + "</body></html>"))
	})
	_, _, err := c.Deals.Get(context.Background(), "1", nil)
	require.Error(t, err)
	msg := err.Error()
	assert.NotContains(t, msg, testToken)
	assert.NotContains(t, msg, "\n")
	assert.Contains(t, msg, "502")
	assert.Less(t, len(msg), 400)
}

func TestOversizedErrorBodyIsBounded(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/crm/objects/2026-09/deals/1", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"message":"` + strings.Repeat("x", 2<<20) + `"}`))
	})
	_, _, err := c.Deals.Get(context.Background(), "1", nil)
	require.ErrorIs(t, err, ErrValidation)
	assert.Less(t, len(err.Error()), 1000)
}

func TestDecodeErrorIsReported(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/crm/objects/2026-09/deals/1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id": 5`)
	})
	_, _, err := c.Deals.Get(context.Background(), "1", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "decode response")
}

func TestRateLimitErrorText(t *testing.T) {
	e := &RateLimitError{APIError: &APIError{Method: "GET", URL: "u", StatusCode: 429, Message: "You have reached your daily limit."}, Policy: PolicyDaily, ResetAt: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	assert.Equal(t, "hubspot: GET u: 429 You have reached your daily limit. (policy DAILY, resets 2026-11-28T00:00:00Z)", e.Error())
	assert.True(t, errors.Is(e, ErrRateLimited))
	assert.True(t, e.Daily())
	var ae *APIError
	assert.True(t, errors.As(e, &ae))
}

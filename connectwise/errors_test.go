package connectwise

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorDecoding(t *testing.T) {
	cases := []struct {
		name     string
		status   int
		ctype    string
		body     string
		is       []error
		isNot    []error
		contains []string
	}{
		{"404 record", 404, "application/json", `{"code":"NotFound","message":"Contact 57919 not found"}`,
			[]error{ErrNotFound}, []error{ErrUnknownEndpoint}, []string{"404 NotFound: Contact 57919 not found"}},
		{"404 endpoint", 404, "application/json", `{"code":"ConnectWiseApi","message":"The endpoint does not exist."}`,
			[]error{ErrUnknownEndpoint}, []error{ErrNotFound}, []string{"The endpoint does not exist."}},
		{"400 missing field", 400, "application/json", `{"code":"InvalidObject","message":"contact object is invalid","errors":[{"code":"MissingRequiredField","message":"The firstName field is required.","resource":"contact","field":"firstName"}]}`,
			[]error{ErrValidation}, []error{ErrConflict}, []string{"400 InvalidObject: contact object is invalid (firstName: The firstName field is required. [MissingRequiredField])"}},
		{"400 object exists", 400, "application/json", `{"code":"InvalidObject","message":"callbackEntry object is invalid","errors":[{"code":"ObjectExists","message":"A matching callback entry already exists","resource":"callbackEntry","field":"objectId"}]}`,
			[]error{ErrValidation, ErrConflict}, nil, []string{"ObjectExists"}},
		{"400 reference not found", 400, "application/json", `{"code":"InvalidObject","message":"ticket object is invalid","errors":[{"code":"NotFound","message":"company 19299 not found","resource":"ticket","field":"company/id"}]}`,
			[]error{ErrValidation}, []error{ErrNotFound}, []string{"company/id: company 19299 not found"}},
		{"400 conditions", 400, "application/json", `{"code":"ApiFindCondition","message":"ticket is not a recognized name."}`,
			[]error{ErrValidation}, nil, []string{"ApiFindCondition"}},
		{"401", 401, "application/json", `{"code":"Unauthorized","message":"Invalid credentials"}`,
			[]error{ErrUnauthorized}, nil, nil},
		{"user not authenticated", 400, "application/json", `{"code":"ConnectWiseApi","message":"UserNotAuthenticated"}`,
			[]error{ErrUnauthorized}, nil, nil},
		{"403", 403, "application/json", `{"code":"Forbidden","message":"You do not have access"}`,
			[]error{ErrForbidden}, nil, nil},
		{"409", 409, "application/json", `{"code":"Conflict","message":"Record possibly in use"}`,
			[]error{ErrConflict}, nil, nil},
		{"cannot route", 404, "text/plain", "Cannot route. Codebase/company is invalid",
			[]error{ErrCannotRoute}, []error{ErrNotFound}, []string{"Cannot route. Codebase/company is invalid"}},
		{"html 404", 404, "text/html", "<html><title>404 Not Found</title></html>",
			[]error{ErrUnknownEndpoint, ErrNotConnectWise}, []error{ErrNotFound}, []string{"404: HTML page: 404 Not Found"}},
		{"html 500", 500, "text/html", "<!DOCTYPE html>\n<html><head>\n<title>Runtime\n Error</title></head><body>stack\ntrace</body></html>",
			[]error{ErrServer}, nil, []string{"500: HTML page: Runtime Error"}},
		{"empty 502", 502, "text/plain", "", []error{ErrServer}, nil, []string{": 502"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := setup(t, WithRetry(0, 0, 0))
			env.handle(t, "GET company/contacts/57919", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			_, _, err := env.client.Contacts.Get(context.Background(), 57919)
			require.Error(t, err)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.status, ae.StatusCode)
			for _, s := range tc.is {
				assert.ErrorIs(t, err, s)
			}
			for _, s := range tc.isNot {
				assert.NotErrorIs(t, err, s)
			}
			msg := err.Error()
			assert.NotContains(t, msg, "\n")
			assert.True(t, strings.HasPrefix(msg, "connectwise: GET http://"), msg)
			assert.Contains(t, msg, "/v4_6_release/apis/3.0/company/contacts/57919")
			for _, s := range tc.contains {
				assert.Contains(t, msg, s)
			}
		})
	}
}

func TestErrorManyFieldErrorsStaysOneLine(t *testing.T) {
	e := &APIError{Method: "POST", URL: "https://h/x", StatusCode: 400, Code: "InvalidObject", Message: "bad",
		Errors: []FieldError{{Field: "a", Message: "1"}, {Field: "b", Message: "2"}, {Field: "c", Message: "3"}, {Field: "d", Message: "4"}, {Field: "e", Message: "5"}}}
	assert.Equal(t, "connectwise: POST https://h/x: 400 InvalidObject: bad (a: 1; b: 2; c: 3) (+2 more)", e.Error())
	long := &APIError{Method: "GET", URL: "https://h/x?conditions=" + strings.Repeat("1,", 500), StatusCode: 400}
	assert.Less(t, len(long.Error()), 460)
	assert.Contains(t, long.Error(), "…: 400")
	assert.True(t, e.HasCode("InvalidObject"))
	assert.False(t, e.HasCode("ObjectExists"))
}

func TestRateLimitRetryAfterWaitedOut(t *testing.T) {
	env := setup(t)
	calls := 0
	env.handle(t, "GET company/companies/1", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls <= 2 {
			// Cloudflare's edge answers with an HTML page, not JSON.
			w.Header().Set("Retry-After", "3")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte("<html><title>Error 1015: You are being rate limited</title></html>"))
			return
		}
		writeJSON(w, 200, `{"id":1,"name":"Acme"}`)
	})
	c, _, err := env.client.Companies.Get(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, "Acme", *c.Name)
	assert.Equal(t, 3, calls)
	assert.Equal(t, []time.Duration{3 * time.Second, 3 * time.Second}, env.sleep.all())
}

func TestRateLimitExhausted(t *testing.T) {
	env := setup(t, WithRetry(1, time.Millisecond, time.Millisecond))
	env.handle(t, "GET company/companies/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("<html><title>rate limited</title></html>"))
	})
	_, _, err := env.client.Companies.Get(context.Background(), 1)
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 7*time.Second, rl.RetryAfter)
	assert.Contains(t, err.Error(), "retry after 7s")
	assert.Equal(t, []time.Duration{7 * time.Second}, env.sleep.all())
}

func TestRateLimitLongerThanMaxWait(t *testing.T) {
	env := setup(t, WithMaxRetryWait(time.Minute))
	env.handle(t, "GET company/companies/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	_, _, err := env.client.Companies.Get(context.Background(), 1)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Empty(t, env.sleep.all())
}

func TestRetryOnlyWhenWriteCannotDuplicate(t *testing.T) {
	cases := []struct {
		name   string
		method string
		call   func(c *Client) error
		status int
		body   string
		want   int // attempts
	}{
		{"GET 503 retried", "GET", func(c *Client) error { _, _, err := c.Companies.Get(context.Background(), 1); return err }, 503, "", 3},
		{"GET 502 retried", "GET", func(c *Client) error { _, _, err := c.Companies.Get(context.Background(), 1); return err }, 502, "", 3},
		{"PUT 504 retried", "PUT", func(c *Client) error {
			_, _, err := c.Companies.Update(context.Background(), 1, &Company{})
			return err
		}, 504, "", 3},
		{"DELETE 503 retried", "DELETE", func(c *Client) error { _, err := c.Companies.Delete(context.Background(), 1); return err }, 503, "", 3},
		{"PATCH replace 503 retried", "PATCH", func(c *Client) error {
			_, _, err := c.Companies.Patch(context.Background(), 1, Replace("name", "x"))
			return err
		}, 503, "", 3},
		{"PATCH add 503 not retried", "PATCH", func(c *Client) error {
			_, _, err := c.Companies.Patch(context.Background(), 1, Replace("name", "x"), Add("types/0", Ref(1)))
			return err
		}, 503, "", 1},
		{"POST 503 not retried", "POST", func(c *Client) error { _, _, err := c.Companies.Create(context.Background(), &Company{}); return err }, 503, "", 1},
		{"POST 429 retried", "POST", func(c *Client) error { _, _, err := c.Companies.Create(context.Background(), &Company{}); return err }, 429, "", 3},
		{"GET 500 timeout retried", "GET", func(c *Client) error { _, _, err := c.Companies.Get(context.Background(), 1); return err }, 500, `{"code":"","message":"Execution Timeout Expired"}`, 3},
		{"GET 500 other final", "GET", func(c *Client) error { _, _, err := c.Companies.Get(context.Background(), 1); return err }, 500, `{"code":"","message":"boom"}`, 1},
		{"GET 400 final", "GET", func(c *Client) error { _, _, err := c.Companies.Get(context.Background(), 1); return err }, 400, `{"code":"InvalidObject","message":"x"}`, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := setup(t, WithRetry(2, time.Millisecond, time.Millisecond))
			attempts := 0
			h := func(w http.ResponseWriter, r *http.Request) {
				attempts++
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}
			if tc.method == "POST" {
				env.handle(t, "POST company/companies", h)
			} else {
				env.handle(t, tc.method+" company/companies/1", h)
			}
			err := tc.call(env.client)
			require.Error(t, err)
			assert.Equal(t, tc.want, attempts)
			var ae *APIError
			assert.True(t, errors.As(err, &ae))
		})
	}
}

func TestTransportErrorRetriedForGetOnly(t *testing.T) {
	env := setup(t, WithRetry(2, time.Millisecond, time.Millisecond))
	attempts := map[string]int{}
	drop := func(w http.ResponseWriter, r *http.Request) {
		attempts[r.Method]++
		hj, ok := w.(http.Hijacker)
		require.True(t, ok)
		conn, _, err := hj.Hijack()
		require.NoError(t, err)
		_ = conn.Close()
	}
	env.handle(t, "GET company/companies/1", drop)
	env.handle(t, "POST company/companies", drop)
	_, _, err := env.client.Companies.Get(context.Background(), 1)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	_, _, err = env.client.Companies.Create(context.Background(), &Company{Name: Ptr("x")})
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 3, attempts["GET"])
	assert.Equal(t, 1, attempts["POST"])
}

func TestContextCancelled(t *testing.T) {
	env := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := env.client.Companies.Get(ctx, 1)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestHTMLWithStatus200(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET company/companies/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("\n  <!DOCTYPE html><html><head><title>ConnectWise Manage Login</title></head></html>"))
	})
	_, _, err := env.client.Companies.Get(context.Background(), 1)
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrNotConnectWise)
	assert.Contains(t, err.Error(), "HTML page: ConnectWise Manage Login (expected JSON: is this the API host?)")
}

func TestTransportErrorUnwraps(t *testing.T) {
	c, err := NewClient(testCreds(), WithBaseURL("http://127.0.0.1:1"), WithCodebase("v4_6_release"), WithRetry(0, 0, 0))
	require.NoError(t, err)
	_, _, err = c.Companies.Get(context.Background(), 1)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "GET", te.Method)
	assert.ErrorIs(t, err, syscall.ECONNREFUSED, "the cause survives redaction")
	assert.True(t, strings.HasPrefix(err.Error(), "connectwise: GET http://127.0.0.1:1/v4_6_release/apis/3.0/company/companies/1: "), err.Error())
}

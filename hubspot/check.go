package hubspot

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hubwise/hubwise/internal/httpx"
)

// CheckResponse returns nil for a 2xx response (207 included: batch methods read its
// per-input errors themselves) and a typed error otherwise: *RateLimitError for 429,
// *APIError for everything else. It reads at most 1 MiB of the body and does not
// close it.
func (c *Client) CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	method, u := "", ""
	if resp.Request != nil {
		method, u = resp.Request.Method, c.redactURL(resp.Request.URL)
	}
	raw, readErr := httpx.ReadBody(resp.Body, httpx.MaxErrorBody)
	var body errorBody
	if len(raw) > 0 && json.Unmarshal(raw, &body) != nil {
		// Not HubSpot's JSON (a proxy's HTML page, say): keep a short, redacted excerpt.
		body = errorBody{Message: excerpt(c.redactString(string(raw)))}
	}
	if body.Message == "" && readErr != nil {
		body.Message = "reading error body: " + c.redactString(readErr.Error())
	}
	body.Message = c.redactString(body.Message)
	apiErr := body.apiError(method, u, resp.StatusCode)
	if apiErr.CorrelationID == "" {
		// HubSpot also sends the id as a header; bodies of proxies and some errors
		// lack it (not in the reference; the hubspottest fake sends both).
		apiErr.CorrelationID = resp.Header.Get("X-HubSpot-Correlation-Id")
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return c.rateLimitError(apiErr, rateBody{Message: body.Message, PolicyName: body.PolicyName}, resp)
	}
	return apiErr
}

func (c *Client) checkResponse(resp *http.Response) error { return c.CheckResponse(resp) }

// excerpt shortens a non-JSON error body to one line of at most 200 bytes.
func excerpt(s string) string {
	s = oneLine(strings.TrimSpace(s))
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// transportError wraps an error of the HTTP round trip with the method and the
// redacted URL; the error text itself is redacted too.
func (c *Client) transportError(req *http.Request, err error) error {
	return &transportErr{msg: fmt.Sprintf("hubspot: %s %s: %s", req.Method, c.redactURL(req.URL), c.redactString(err.Error())), err: err}
}

type transportErr struct {
	msg string
	err error
}

func (e *transportErr) Error() string { return e.msg }
func (e *transportErr) Unwrap() error { return e.err }

// redactURL renders u without secrets: known secrets and sensitive query values.
func (c *Client) redactURL(u *url.URL) string { return c.cfg.redactor.URL(u) }

// redactString replaces every secret the client knows.
func (c *Client) redactString(s string) string { return c.cfg.redactor.String(s) }

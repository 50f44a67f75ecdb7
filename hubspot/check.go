package hubspot

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxErrorBody is the most of an error body that is read (1 MiB, STYLE.md).
const maxErrorBody = 1 << 20

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
	raw, readErr := readLimited(resp.Body, maxErrorBody)
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
	if resp.StatusCode == http.StatusTooManyRequests {
		return c.rateLimitError(apiErr, body.PolicyName, resp)
	}
	return apiErr
}

func (c *Client) checkResponse(resp *http.Response) error { return c.CheckResponse(resp) }

// excerpt shortens a non-JSON error body to one line of at most 200 bytes.
func excerpt(s string) string {
	s = oneLine(strings.TrimSpace(s))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func readLimited(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > max {
		return b[:max], fmt.Errorf("body exceeds %d bytes", max)
	}
	return b, nil
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
func (c *Client) redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	v := *u
	v.User = nil
	if v.RawQuery != "" {
		q := v.Query()
		for k := range q {
			if sensitiveParam(k) {
				q[k] = []string{"REDACTED"}
			}
		}
		v.RawQuery = q.Encode()
	}
	return c.redactString(v.String())
}

func sensitiveParam(k string) bool {
	switch strings.ToLower(k) {
	case "access_token", "refresh_token", "code", "client_secret", "hapikey", "developer_hapikey", "token", "state":
		return true
	}
	return false
}

// redactString replaces every secret the client knows.
func (c *Client) redactString(s string) string {
	for _, sec := range c.cfg.secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	return s
}

package connectwisetest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/hubwise/hubwise/internal/fakehttp"
)

// Fault describes how to spoil calls; see [fakehttp.Fault] (status with body
// and headers, latency, dropped connection, truncated or malformed body, and
// AfterHandler to let the write happen but lose the answer).
type Fault = fakehttp.Fault

// Match selects calls for faults and for the call log; see [fakehttp.Match].
type Match = fakehttp.Match

// Injection is an armed fault; see [fakehttp.Injection].
type Injection = fakehttp.Injection

// Call is one recorded request; see [fakehttp.Call].
type Call = fakehttp.Call

// AnyRoute matches every call.
var AnyRoute = fakehttp.AnyRoute

// apiPrefix is the pattern prefix of every API route. Path values: codebase.
const apiPrefix = "/{codebase}/apis/3.0/"

// Route selects the calls of one API route, whatever codebase they use.
// route is the path under apis/3.0 with {id} for record ids, e.g.
// Route("GET", "company/companies"), Route("PATCH", "company/contacts/{id}"),
// Route("GET", "sales/opportunities/{id}/forecast"). An empty method matches
// nothing: give the method.
//
// Sub-resources of companies and opportunities share one registered pattern
// per depth ("sales/opportunities/{id}/{sub}"), because ServeMux cannot hold
// both "sales/opportunities/statuses/{id}" and "sales/opportunities/{id}/forecast";
// Route maps them, so a fault armed for forecast also hits the other
// sub-resources of the same depth (contacts, notes, typeAssociations).
func Route(method, route string) Match {
	route = strings.Trim(route, "/")
	segs := strings.Split(route, "/")
	if len(segs) >= 4 && segs[2] == "{id}" && hasSubRoutes(segs[0]+"/"+segs[1]) {
		segs[3] = "{sub}"
		if len(segs) == 5 {
			segs[4] = "{subid}"
		}
	}
	return Match{Pattern: strings.ToUpper(method) + " " + apiPrefix + strings.Join(segs, "/")}
}

// Inject arms f for the next n calls matching m (n <= 0: until removed).
func (s *Server) Inject(m Match, n int, f Fault) *Injection { return s.mux.Inject(m, n, f) }

// ClearFaults disarms every fault.
func (s *Server) ClearFaults() { s.mux.ClearFaults() }

// Calls returns the recorded calls matching every m (all without m).
func (s *Server) Calls(m ...Match) []Call { return s.mux.Calls(m...) }

// Count returns how many calls matched every m (all without m).
func (s *Server) Count(m ...Match) int { return s.mux.Count(m...) }

// ResetCalls clears the call log and counters.
func (s *Server) ResetCalls() { s.mux.ResetCalls() }

// ThrottleNext answers the next n calls matching m with 429 and
// "Retry-After: retryAfterSeconds" (the documented 429 contract,
// connectwise-api.md §8), with the Cloudflare HTML page or, when json is true,
// a JSON body. A negative retryAfterSeconds sends no Retry-After at all: the
// API promises one (S5), but whether the Cloudflare edge that throttles cloud
// tenants always sends it is not recorded (§8), so clients must cope.
func (s *Server) ThrottleNext(m Match, n, retryAfterSeconds int, json bool) *Injection {
	body, ct := throttleBody(json)
	h := http.Header{}
	if retryAfterSeconds >= 0 {
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	}
	h.Set("Content-Type", ct)
	return s.mux.Inject(m, n, Fault{Status: http.StatusTooManyRequests, Body: body, Header: h})
}

// FailHTML answers the next n calls matching m with status and an HTML error
// page like the ones Cloudflare serves in front of ConnectWise cloud
// (connectwise-api.md §8: "A 429 / Cloudflare page may be HTML, not JSON").
func (s *Server) FailHTML(m Match, n, status int) *Injection {
	h := http.Header{}
	h.Set("Content-Type", "text/html; charset=UTF-8")
	return s.mux.Inject(m, n, Fault{Status: status, Body: CloudflareHTML(status), Header: h})
}

// CloudflareHTML returns an HTML error page in the style of Cloudflare's edge
// errors (error 1015 for 429, 52x for 5xx).
func CloudflareHTML(status int) []byte {
	code, title := "500", "Internal server error"
	switch {
	case status == http.StatusTooManyRequests:
		code, title = "1015", "You are being rate limited"
	case status == http.StatusBadGateway:
		code, title = "502", "Bad gateway"
	case status == http.StatusServiceUnavailable:
		code, title = "503", "Service unavailable"
	case status == http.StatusGatewayTimeout:
		code, title = "504", "Gateway time-out"
	case status >= 520:
		code, title = strconv.Itoa(status), "Web server is returning an unknown error"
	}
	return fmt.Appendf(nil, `<!DOCTYPE html>
<html lang="en-US">
<head><title>api-na.myconnectwise.net | %[1]s: %[2]s</title></head>
<body>
<div id="cf-wrapper"><div id="cf-error-details">
<h1><span class="cf-error-type">Error</span> <span class="cf-error-code">%[1]s</span></h1>
<h2 class="cf-subheadline">%[2]s</h2>
<p>Cloudflare Ray ID: <strong>8f1c2a3b4c5d6e7f</strong></p>
</div></div>
</body>
</html>
`, code, title)
}

func throttleBody(json bool) ([]byte, string) {
	if json {
		return []byte(`{"code":"TooManyRequests","message":"Request volume exceeds capacity limits. Retry after the number of seconds in the Retry-After header."}`),
			"application/json; charset=utf-8"
	}
	return CloudflareHTML(http.StatusTooManyRequests), "text/html; charset=UTF-8"
}

// writeThrottled sends the configured rate-limit answer.
func (s *Server) writeThrottled(w http.ResponseWriter, retryAfter int) {
	if retryAfter < 1 {
		retryAfter = 1
	}
	body, ct := throttleBody(s.opts.RateLimitJSON)
	if !s.opts.RateLimitOmitRetryAfter {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusTooManyRequests)
	_, _ = w.Write(body)
}

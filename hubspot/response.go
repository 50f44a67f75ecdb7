package hubspot

import (
	"net/http"
	"strconv"
)

// Response wraps the HTTP response of an API call. It carries the paging cursor of
// list calls and the rate-limit figures HubSpot sends in headers. The body has
// already been read and closed.
type Response struct {
	*http.Response

	// NextAfter is the cursor of the next page (paging.next.after), or "" on the
	// last page.
	NextAfter string

	// RateLimit holds the X-HubSpot-RateLimit-* headers of this response. Search
	// responses carry none (hubspot-api.md §2, doc†: usage-details).
	RateLimit RateLimit
}

// RateLimit holds the rate-limit headers of one response
// (hubspot-api.md §2, doc: usage-details). A field is -1 when its header was absent.
type RateLimit struct {
	// IntervalMillis is the length of the rolling window (X-HubSpot-RateLimit-Interval-Milliseconds, e.g. 10000).
	IntervalMillis int64
	// Max is the number of calls allowed per window (X-HubSpot-RateLimit-Max).
	Max int64
	// Remaining is the number of calls left in the window (X-HubSpot-RateLimit-Remaining).
	Remaining int64
	// Daily is the daily limit of the account (X-HubSpot-RateLimit-Daily); not sent on OAuth calls.
	Daily int64
	// DailyRemaining is what is left of it (X-HubSpot-RateLimit-Daily-Remaining).
	DailyRemaining int64
}

// Rate-limit header names (hubspot-api.md §2).
const (
	headerIntervalMillis = "X-HubSpot-RateLimit-Interval-Milliseconds"
	headerMax            = "X-HubSpot-RateLimit-Max"
	headerRemaining      = "X-HubSpot-RateLimit-Remaining"
	headerDaily          = "X-HubSpot-RateLimit-Daily"
	headerDailyRemaining = "X-HubSpot-RateLimit-Daily-Remaining"
)

func newResponse(resp *http.Response) *Response {
	r := &Response{Response: resp}
	if resp != nil {
		r.RateLimit = parseRateLimit(resp.Header)
	}
	return r
}

// parseRateLimit reads the rate-limit headers; absent or malformed ones are -1.
func parseRateLimit(h http.Header) RateLimit {
	return RateLimit{
		IntervalMillis: headerInt(h, headerIntervalMillis),
		Max:            headerInt(h, headerMax),
		Remaining:      headerInt(h, headerRemaining),
		Daily:          headerInt(h, headerDaily),
		DailyRemaining: headerInt(h, headerDailyRemaining),
	}
}

func headerInt(h http.Header, name string) int64 {
	v := h.Get(name)
	if v == "" {
		return -1
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

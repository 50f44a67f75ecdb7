package hubspot

import (
	"net/http"
	"time"
)

// Rate-limit policy names of 429 bodies (hubspot-api.md §2, doc: usage-details;
// 3p: mk-node-hubspot#89 for SECONDLY on search).
const (
	PolicyDaily              = "DAILY"
	PolicyTenSecondlyRolling = "TEN_SECONDLY_ROLLING"
	PolicySecondly           = "SECONDLY"
)

// rateLimitError types a 429 answer.
func (c *Client) rateLimitError(apiErr *APIError, policy string, resp *http.Response) *RateLimitError {
	e := &RateLimitError{APIError: apiErr, Policy: policy}
	if policy == PolicyDaily {
		e.ResetAt = nextMidnight(c.cfg.now(), c.cfg.dailyResetZone())
		e.Wait = e.ResetAt.Sub(c.cfg.now())
		return e
	}
	e.Wait = 10 * time.Second
	return e
}

// nextMidnight returns the first midnight after now in loc.
func nextMidnight(now time.Time, loc *time.Location) time.Time {
	t := now.In(loc)
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
}

package connectwise

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hubwise/hubwise/internal/httpx"
)

// Response wraps the HTTP response of a call with what ConnectWise reports in its
// headers: the paging links and the API version the server runs.
type Response struct {
	*http.Response

	// NextPage, PrevPage, FirstPage and LastPage are the page numbers of the Link
	// header's rel="next"/"prev"/"first"/"last" URLs; 0 when absent.
	NextPage, PrevPage, FirstPage, LastPage int
	// NextPageID is the pageId of the rel="next" URL under forward-only paging;
	// 0 when absent.
	NextPageID int
	// HasLink reports whether the response carried a Link header at all.
	HasLink bool
	// CurrentAPIVersion is the api-current-version header (connectwise-api.md §2, S13).
	CurrentAPIVersion string
}

func newResponse(r *http.Response) *Response {
	resp := &Response{Response: r, CurrentAPIVersion: r.Header.Get("api-current-version")}
	links := r.Header.Values("Link")
	resp.HasLink = len(links) > 0
	for _, l := range links {
		for rel, q := range parseLinks(l) {
			page, _ := strconv.Atoi(q.Get("page"))
			switch rel {
			case "next":
				resp.NextPage = page
				resp.NextPageID, _ = strconv.Atoi(q.Get("pageId"))
			case "prev", "previous":
				resp.PrevPage = page
			case "first":
				resp.FirstPage = page
			case "last":
				resp.LastPage = page
			}
		}
	}
	return resp
}

// parseLinks parses an RFC 8288 Link header value into the query of each rel. Only
// the query is kept: the client re-sends its own full query on its own host rather
// than following another host named in the header (the real header points at the
// tenant host with lower-case escapes and a trailing slash, SOURCES.md "Not found").
func parseLinks(h string) map[string]url.Values {
	out := map[string]url.Values{}
	for _, part := range splitLinks(h) {
		part = strings.TrimSpace(part)
		if !strings.HasPrefix(part, "<") {
			continue
		}
		end := strings.Index(part, ">")
		if end < 0 {
			continue
		}
		u, err := url.Parse(part[1:end])
		if err != nil {
			continue
		}
		for _, param := range strings.Split(part[end+1:], ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(param), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
				continue
			}
			for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
				out[strings.ToLower(rel)] = caseInsensitiveQuery(u.Query())
			}
		}
	}
	return out
}

// splitLinks splits on commas outside <...>.
func splitLinks(h string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range h {
		switch r {
		case '<':
			depth++
		case '>':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, h[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, h[start:])
}

// caseInsensitiveQuery lower-cases the known paging keys (pageId may arrive as pageid).
func caseInsensitiveQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		switch strings.ToLower(k) {
		case "page":
			out["page"] = v
		case "pageid":
			out["pageId"] = v
		case "pagesize":
			out["pageSize"] = v
		default:
			out[k] = v
		}
	}
	return out
}

// checkResponse turns a non-2xx response into *APIError or *RateLimitError, reading
// at most httpx.MaxErrorBody bytes of the body.
func (c *Client) checkResponse(req *http.Request, resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	body, _ := httpx.ReadBody(resp.Body, httpx.MaxErrorBody)
	e := APIError{
		Method:     req.Method,
		URL:        c.redactURL(req.URL),
		StatusCode: resp.StatusCode,
		Header:     resp.Header,
	}
	e.decodeErrorBody(body)
	e.Message = c.redactString(e.Message)
	for i := range e.Errors {
		e.Errors[i].Message = c.redactString(e.Errors[i].Message)
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		ra, _ := retryAfter(resp.Header, time.Now())
		return &RateLimitError{APIError: e, RetryAfter: ra}
	}
	return &e
}

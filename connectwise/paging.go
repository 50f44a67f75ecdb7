package connectwise

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// MaxPageSize is the largest pageSize the API accepts ("hard limit of 1,000 records
// for the protection of the Partner environments", connectwise-api.md §3, S6).
// ListIter uses it by default; the server's own default is 25.
const MaxPageSize = 1000

// ErrForwardOnlyUnsupported is returned when forward-only paging was asked for but the
// endpoint answered a full page without a Link header (christaylorcodes reports the
// same: "Endpoint doesn't support 'forward-only' pagination", connectwise-api.md §3).
var ErrForwardOnlyUnsupported = errors.New("connectwise: endpoint does not support forward-only paging")

// ListOptions are the query parameters every list endpoint accepts
// (connectwise-api.md §3, S9).
type ListOptions struct {
	// Conditions filters on the record's own fields: Eq("company/id", 250).
	Conditions Condition
	// ChildConditions filters on arrays of the record, such as a contact's
	// communicationItems: see [EmailCondition].
	ChildConditions Condition
	// CustomFieldConditions filters on custom fields: [CustomFieldCondition].
	CustomFieldConditions Condition
	// OrderBy is "field asc" or "field desc", e.g. "id asc" (stable paging).
	OrderBy string
	// Fields limits the returned fields ("id", "name", "status/id").
	Fields []string
	// Page is the 1-based page number (navigable paging). ListIter starts at Page.
	Page int
	// PageSize is 1..1000. List leaves the server default (25) when 0; ListIter uses
	// [MaxPageSize].
	PageSize int
	// ForwardOnly asks for forward-only paging (request header
	// "pagination-type: forward-only"): the server hands out a pageId for the next
	// page, which is stable under inserts, unlike page numbers. Not every endpoint
	// supports it.
	ForwardOnly bool
	// PageID continues forward-only paging after the record with this id.
	PageID int
}

// query encodes o; it fails when a condition cannot be built.
func (o *ListOptions) query() (url.Values, error) {
	q := url.Values{}
	if o == nil {
		return q, nil
	}
	for _, p := range []struct {
		name string
		c    Condition
	}{{"conditions", o.Conditions}, {"childConditions", o.ChildConditions}, {"customFieldConditions", o.CustomFieldConditions}} {
		s, err := p.c.Build()
		if err != nil {
			return nil, fmt.Errorf("connectwise: %s: %w", p.name, err)
		}
		if s != "" {
			q.Set(p.name, s)
		}
	}
	if o.OrderBy != "" {
		q.Set("orderBy", o.OrderBy)
	}
	if len(o.Fields) > 0 {
		q.Set("fields", strings.Join(o.Fields, ","))
	}
	if o.PageSize < 0 || o.PageSize > MaxPageSize {
		return nil, &ConfigError{Field: "PageSize", Reason: fmt.Sprintf("%d is outside 1..%d", o.PageSize, MaxPageSize)}
	}
	if o.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(o.PageSize))
	}
	if o.ForwardOnly {
		if o.PageID > 0 {
			q.Set("pageId", strconv.Itoa(o.PageID))
		}
	} else if o.Page > 0 {
		q.Set("page", strconv.Itoa(o.Page))
	}
	return q, nil
}

// listPage fetches one page of path into a slice.
func listPage[T any](ctx context.Context, c *Client, path string, opts *ListOptions) ([]*T, *Response, error) {
	q, err := opts.query()
	if err != nil {
		return nil, nil, err
	}
	req, err := c.newRequest(ctx, http.MethodGet, path, q, nil)
	if err != nil {
		return nil, nil, err
	}
	if opts != nil && opts.ForwardOnly {
		req.Header.Set("pagination-type", "forward-only")
	}
	var items []*T
	resp, err := c.do(req, &items)
	if err != nil {
		return nil, resp, err
	}
	return items, resp, nil
}

// listIter pages lazily through path. It re-sends the full query on every page and
// takes only the page number or pageId from the Link header's rel="next" URL (so the
// conditions can never be dropped, pyconnectwise#14, and credentials never follow a
// link to another host). Without a Link header it stops at the first short page.
func listIter[T any](ctx context.Context, c *Client, path string, opts *ListOptions) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var o ListOptions
		if opts != nil {
			o = *opts
			o.Fields = append([]string(nil), opts.Fields...)
		}
		if o.PageSize == 0 {
			o.PageSize = MaxPageSize
		}
		if !o.ForwardOnly && o.Page == 0 {
			o.Page = 1
		}
		for first := true; ; first = false {
			items, resp, err := listPage[T](ctx, c, path, &o)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if o.ForwardOnly {
				if resp.NextPageID == 0 {
					// Only a first full page without any Link header proves the
					// endpoint ignores forward-only paging; later, a missing Link is
					// the end.
					if first && !resp.HasLink && len(items) >= o.PageSize {
						yield(nil, fmt.Errorf("connectwise: list %s: %w", path, ErrForwardOnlyUnsupported))
					}
					return
				}
				if resp.NextPageID == o.PageID {
					yield(nil, fmt.Errorf("connectwise: list %s: next pageId %d repeats the current one", path, o.PageID))
					return
				}
				o.PageID = resp.NextPageID
				continue
			}
			switch {
			case resp.HasLink && resp.NextPage == 0:
				return
			case resp.HasLink && resp.NextPage <= o.Page:
				yield(nil, fmt.Errorf("connectwise: list %s: next page %d does not advance past %d", path, resp.NextPage, o.Page))
				return
			case resp.HasLink:
				o.Page = resp.NextPage
			case len(items) < o.PageSize:
				return
			default:
				o.Page++
			}
		}
	}
}

// count calls path/count with the same filters.
func count(ctx context.Context, c *Client, path string, opts *ListOptions) (int, *Response, error) {
	var o ListOptions
	if opts != nil {
		o = ListOptions{Conditions: opts.Conditions, ChildConditions: opts.ChildConditions, CustomFieldConditions: opts.CustomFieldConditions}
	}
	q, err := o.query()
	if err != nil {
		return 0, nil, err
	}
	var n Count
	resp, err := c.call(ctx, http.MethodGet, path+"/count", q, nil, &n)
	if err != nil {
		return 0, resp, err
	}
	return n.Count, resp, nil
}

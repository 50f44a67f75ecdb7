package hubspot

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// call sends one request built from its arguments and decodes the 2xx answer into a
// new T.
func call[T any](ctx context.Context, c *Client, method, path string, query url.Values, body any) (*T, *Response, error) {
	req, err := c.NewRequest(ctx, method, path, query, body)
	if err != nil {
		return nil, nil, err
	}
	v := new(T)
	resp, err := c.Do(req, v)
	if err != nil {
		return nil, resp, err
	}
	return v, resp, nil
}

// listPage GETs one page of a {results, paging} listing and sets
// Response.NextAfter from paging.next.after.
func listPage[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, *Response, error) {
	page, resp, err := call[struct {
		Results []T     `json:"results"`
		Paging  *Paging `json:"paging"`
	}](ctx, c, http.MethodGet, path, query, nil)
	if err != nil {
		return nil, resp, err
	}
	resp.NextAfter = page.Paging.after()
	return page.Results, resp, nil
}

// pages iterates lazily over the items of page after page, asking fetch for the page
// at each cursor from after on, until a page has no next cursor or repeats the one
// it was asked for. It yields an error once and stops; breaking out stops paging.
func pages[T any](after string, fetch func(after string) ([]T, *Response, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			page, resp, err := fetch(after)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, v := range page {
				if !yield(v, nil) {
					return
				}
			}
			if resp.NextAfter == "" || resp.NextAfter == after {
				return
			}
			after = resp.NextAfter
		}
	}
}

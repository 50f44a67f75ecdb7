package connectwise

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/hubwise/hubwise/internal/httpx"
)

// LookupService reads one collection of records: Get, List (one page), ListIter
// (every page, lazily), Count and All. The lookup tables a mapping needs (statuses,
// types, stages, members...) are LookupServices on the [Client].
type LookupService[T any] struct {
	c    *Client
	path string
}

func newLookup[T any](c *Client, path string) *LookupService[T] {
	return &LookupService[T]{c: c, path: path}
}

// Path returns the collection's path below apis/3.0, e.g. "company/companies".
func (s *LookupService[T]) Path() string { return s.path }

// Get fetches one record by id. A missing record is an error wrapping [ErrNotFound].
func (s *LookupService[T]) Get(ctx context.Context, id int) (*T, *Response, error) {
	v := new(T)
	resp, err := s.c.call(ctx, http.MethodGet, s.path+"/"+strconv.Itoa(id), nil, nil, v)
	if err != nil {
		return nil, resp, err
	}
	return v, resp, nil
}

// List fetches one page. The Response tells the next page (NextPage, or NextPageID
// under forward-only paging).
func (s *LookupService[T]) List(ctx context.Context, opts *ListOptions) ([]*T, *Response, error) {
	return listPage[T](ctx, s.c, s.path, opts)
}

// ListIter yields every record matching opts, fetching pages of opts.PageSize
// (default 1000) lazily as the loop advances. It copies opts, yields an error once
// and stops, and stops fetching when the loop breaks.
func (s *LookupService[T]) ListIter(ctx context.Context, opts *ListOptions) iter.Seq2[*T, error] {
	return listIter[T](ctx, s.c, s.path, opts)
}

// Count returns how many records match the filters of opts (paging fields ignored).
func (s *LookupService[T]) Count(ctx context.Context, opts *ListOptions) (int, *Response, error) {
	return count(ctx, s.c, s.path, opts)
}

// MaxIDsPerRequest is how many ids [LookupService.GetMany] puts in one
// "id in (...)" condition. amp-labs batches such conditions to keep URLs under about
// 2000 characters (connectwise-api.md §3, S11); 100 ids of up to 10 digits take
// about 1,400 characters once query-encoded, leaving room for other conditions.
const MaxIDsPerRequest = 100

// GetMany yields the records with the given ids, fetching them with
// "id in (...)" conditions of at most [MaxIDsPerRequest] ids (combined with
// opts.Conditions when set). Ids that do not exist are simply absent; duplicates are
// asked for once. Records come in the server's order within each batch.
func (s *LookupService[T]) GetMany(ctx context.Context, ids []int, opts *ListOptions) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		seen := make(map[int]bool, len(ids))
		uniq := make([]int, 0, len(ids))
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				uniq = append(uniq, id)
			}
		}
		var base ListOptions
		if opts != nil {
			base = *opts
		}
		for start := 0; start < len(uniq); start += MaxIDsPerRequest {
			chunk := uniq[start:min(start+MaxIDsPerRequest, len(uniq))]
			o := base
			o.Conditions = And(base.Conditions, In("id", chunk...))
			o.Page, o.PageSize, o.ForwardOnly, o.PageID = 0, 0, false, 0
			for v, err := range s.ListIter(ctx, &o) {
				if !yield(v, err) || err != nil {
					return
				}
			}
		}
	}
}

// All collects every record matching opts. Meant for lookup tables, which are
// small; use ListIter for large collections.
func (s *LookupService[T]) All(ctx context.Context, opts *ListOptions) ([]*T, error) {
	var out []*T
	for v, err := range s.ListIter(ctx, opts) {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Resource adds writes to a [LookupService]: Create (POST), Update (PUT), Patch
// (JSON Patch) and Delete.
type Resource[T any] struct {
	LookupService[T]
}

func newResource[T any](c *Client, path string) Resource[T] {
	return Resource[T]{LookupService[T]{c: c, path: path}}
}

// Create posts a new record and returns the record the server created (201). A
// create is never retried after a 5xx or a lost connection, since the record may
// exist already; look it up before trying again.
//
// The 201 answer of a contact create leaves communicationItems out (payload
// contact-create-response.json, SOURCES.md); when the request sent some, Create reads
// the contact back so the record returned holds them. If that read fails, the 201
// record is returned without error: the contact exists.
func (s *Resource[T]) Create(ctx context.Context, v *T) (*T, *Response, error) {
	var raw json.RawMessage
	resp, err := s.c.call(ctx, http.MethodPost, s.path, nil, v, &raw)
	if err != nil {
		return nil, resp, err
	}
	if s.path == contactsPath && sentButNotEchoed(v, raw, "communicationItems") {
		var created struct {
			ID int `json:"id"`
		}
		if json.Unmarshal(raw, &created) == nil && created.ID > 0 {
			if got, _, err := s.Get(ctx, created.ID); err == nil {
				return got, resp, nil
			}
		}
	}
	out := new(T)
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, resp, fmt.Errorf("connectwise: create %s: decode the answer: %w", s.path, err)
	}
	return out, resp, nil
}

// contactsPath is the contacts collection, whose create answer omits
// communicationItems.
const contactsPath = "company/contacts"

// sentButNotEchoed reports whether the request body v carried a non-empty key that
// the answer raw lacks.
func sentButNotEchoed(v any, raw json.RawMessage, key string) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	var sent, got map[string]json.RawMessage
	if json.Unmarshal(b, &sent) != nil || json.Unmarshal(raw, &got) != nil {
		return false
	}
	val, ok := sent[key]
	if !ok || string(val) == "null" || string(val) == "[]" {
		return false
	}
	_, echoed := got[key]
	return !echoed
}

// Update replaces the record with a PUT ("replace all fields", connectwise-api.md §5).
// Prefer [Resource.Patch]: a PUT of a partially read record clears what it omits,
// and for contacts it does not touch custom fields (S11).
func (s *Resource[T]) Update(ctx context.Context, id int, v *T) (*T, *Response, error) {
	out := new(T)
	resp, err := s.c.call(ctx, http.MethodPut, s.path+"/"+strconv.Itoa(id), nil, v, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Patch applies JSON Patch operations (a bare array, connectwise-api.md §5) and returns
// the updated record. When every operation is a replace, the request is marked
// repeatable and retried after 502/503/504 and timeouts (see the package documentation, "Rate limits and retries").
//
// On records that carry custom fields (companies, contacts, opportunities, tickets,
// catalog items, members, projects, time entries and the other objects amp-labs
// lists), a PATCH without a "/customFields" replace operation may be refused with 400
// even when no custom field changes (connectwise-api.md §5, S11 amp-labs write.go),
// so Patch appends
// {"op":"replace","path":"/customFields","value":[]} when ops have none; an empty
// array changes no value (S11).
func (s *Resource[T]) Patch(ctx context.Context, id int, ops ...PatchOp) (*T, *Response, error) {
	if err := validatePatch(ops); err != nil {
		return nil, nil, err
	}
	ops = withCustomFieldsOp(s.path, ops)
	if allReplace(ops) {
		ctx = httpx.WithIdempotent(ctx)
	}
	out := new(T)
	resp, err := s.c.call(ctx, http.MethodPatch, s.path+"/"+strconv.Itoa(id), nil, ops, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Delete deletes the record (204).
func (s *Resource[T]) Delete(ctx context.Context, id int) (*Response, error) {
	return s.c.call(ctx, http.MethodDelete, s.path+"/"+strconv.Itoa(id), nil, nil, nil)
}

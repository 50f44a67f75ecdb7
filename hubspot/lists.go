package hubspot

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ListMembership is one record in a HubSpot list: an entry of
// GET /crm/lists/{ver}/{listId}/memberships (spec: CRM/Lists 2026-09 lists.json,
// ApiCollectionResponseJoinTimeAndRecordId; v3: /crm/v3/lists/{listId}/memberships).
// Pages come in ascending record id order with an after cursor; the default page
// size is 100.
type ListMembership struct {
	RecordID            string    `json:"recordId"`
	MembershipTimestamp time.Time `json:"membershipTimestamp"`
}

// RecordListMembership is one list a record belongs to (spec: CRM/Lists 2026-09,
// ApiCollectionResponseRecordListMembership).
type RecordListMembership struct {
	ListID              string    `json:"listId"`
	ListVersion         int64     `json:"listVersion"`
	FirstAddedTimestamp time.Time `json:"firstAddedTimestamp"`
	LastAddedTimestamp  time.Time `json:"lastAddedTimestamp"`
	IsPublicList        bool      `json:"isPublicList"`
}

// ListsService reads list memberships (scope crm.lists.read).
type ListsService struct{ client *Client }

// MembershipListOptions pages memberships.
type MembershipListOptions struct {
	// Limit is the page size (HubSpot's default 100).
	Limit int
	// After is the paging cursor; memberships come in ascending record id order.
	After string
}

func (s *ListsService) path(rest ...string) string {
	p := s.client.paths.crm("lists", "v3")
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// Memberships returns one page of the records in list listID; Response.NextAfter is
// the next cursor.
func (s *ListsService) Memberships(ctx context.Context, listID string, opts *MembershipListOptions) ([]ListMembership, *Response, error) {
	if listID == "" {
		return nil, nil, errors.New("hubspot: list memberships: empty list id")
	}
	q := url.Values{}
	if opts != nil {
		if opts.Limit > 0 {
			q.Set("limit", strconv.Itoa(opts.Limit))
		}
		if opts.After != "" {
			q.Set("after", opts.After)
		}
	}
	return listPage[ListMembership](ctx, s.client, s.path(seg(listID), "memberships"), q)
}

// MembershipsIter yields every record id in list listID, lazily.
func (s *ListsService) MembershipsIter(ctx context.Context, listID string, opts *MembershipListOptions) iter.Seq2[ListMembership, error] {
	o := MembershipListOptions{}
	if opts != nil {
		o = *opts
	}
	return pages(o.After, func(after string) ([]ListMembership, *Response, error) {
		o.After = after
		return s.Memberships(ctx, listID, &o)
	})
}

// RecordMemberships returns the lists a record belongs to
// (GET /crm/lists/{ver}/records/{objectTypeId}/{recordId}/memberships).
func (s *ListsService) RecordMemberships(ctx context.Context, objectTypeID, recordID string) ([]RecordListMembership, *Response, error) {
	if objectTypeID == "" || recordID == "" {
		return nil, nil, errors.New("hubspot: record list memberships: empty object type or record id")
	}
	req, err := s.client.NewRequest(ctx, http.MethodGet, s.path("records", seg(objectTypeID), seg(recordID), "memberships"), nil, nil)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Results []RecordListMembership `json:"results"`
	}
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}
	return out.Results, resp, nil
}

// List is a list (segment) definition, without its filters (docs: api-reference
// crm/lists get-list, ListFetchResponse). ProcessingType is MANUAL, SNAPSHOT or
// DYNAMIC.
type List struct {
	ListID           string    `json:"listId"`
	ListVersion      int64     `json:"listVersion"`
	Name             string    `json:"name"`
	ObjectTypeID     string    `json:"objectTypeId"`
	ProcessingStatus string    `json:"processingStatus"`
	ProcessingType   string    `json:"processingType"`
	Size             int64     `json:"size,omitempty"`
	CreatedAt        time.Time `json:"createdAt"`
	UpdatedAt        time.Time `json:"updatedAt"`
}

// Get returns a list's definition by id; a missing list unwraps to ErrNotFound.
func (s *ListsService) Get(ctx context.Context, listID string) (*List, *Response, error) {
	if listID == "" {
		return nil, nil, errors.New("hubspot: get list: empty list id")
	}
	return s.fetch(ctx, s.path(seg(listID)))
}

// GetByName returns the list of an object type ("0-1" for contacts) with the given
// name (GET /crm/lists/{ver}/object-type-id/{objectTypeId}/name/{listName}), so a
// sync filter can be configured by list name.
func (s *ListsService) GetByName(ctx context.Context, objectTypeID, name string) (*List, *Response, error) {
	if objectTypeID == "" || name == "" {
		return nil, nil, errors.New("hubspot: get list by name: empty object type or name")
	}
	return s.fetch(ctx, s.path("object-type-id", seg(objectTypeID), "name", seg(name)))
}

func (s *ListsService) fetch(ctx context.Context, p string) (*List, *Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodGet, p, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		List *List `json:"list"`
	}
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}
	if out.List == nil {
		return nil, resp, errors.New("hubspot: list answer without a list")
	}
	return out.List, resp, nil
}

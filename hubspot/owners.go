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

// Owner is a HubSpot owner (spec: crm-owners PublicOwner). Its ID, not UserID, is
// the value of hubspot_owner_id (hubspot-api.md §8, doc†: properties guide).
type Owner struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	// UserID is null for archived owners; use UserIDIncludingInactive (payload
	// owners-list-archived).
	UserID                  *int64      `json:"userId"`
	UserIDIncludingInactive *int64      `json:"userIdIncludingInactive"`
	Type                    string      `json:"type"`
	Teams                   []OwnerTeam `json:"teams,omitempty"`
	CreatedAt               time.Time   `json:"createdAt"`
	UpdatedAt               time.Time   `json:"updatedAt"`
	Archived                bool        `json:"archived"`
}

// OwnerTeam is a team an owner belongs to.
type OwnerTeam struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

// OwnersService lists owners.
type OwnersService struct{ client *Client }

// OwnerListOptions filters owner listings.
type OwnerListOptions struct {
	// Email returns only the owner with this email.
	Email string
	// Archived lists archived owners only.
	Archived bool
	// Limit is the page size (HubSpot's default 100).
	Limit int
	// After is the paging cursor.
	After string
}

// List returns one page of owners; Response.NextAfter is the next cursor.
func (s *OwnersService) List(ctx context.Context, opts *OwnerListOptions) ([]*Owner, *Response, error) {
	q := url.Values{}
	if opts != nil {
		if opts.Email != "" {
			q.Set("email", opts.Email)
		}
		if opts.Archived {
			q.Set("archived", "true")
		}
		if opts.Limit > 0 {
			q.Set("limit", strconv.Itoa(opts.Limit))
		}
		if opts.After != "" {
			q.Set("after", opts.After)
		}
	}
	req, err := s.client.NewRequest(ctx, http.MethodGet, s.client.paths.owners(), q, nil)
	if err != nil {
		return nil, nil, err
	}
	var page struct {
		Results []*Owner `json:"results"`
		Paging  *Paging  `json:"paging"`
	}
	resp, err := s.client.Do(req, &page)
	if err != nil {
		return nil, resp, err
	}
	resp.NextAfter = page.Paging.after()
	return page.Results, resp, nil
}

// ListIter iterates over all owners lazily.
func (s *OwnersService) ListIter(ctx context.Context, opts *OwnerListOptions) iter.Seq2[*Owner, error] {
	o := OwnerListOptions{}
	if opts != nil {
		o = *opts
	}
	return func(yield func(*Owner, error) bool) {
		for {
			page, resp, err := s.List(ctx, &o)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, ow := range page {
				if !yield(ow, nil) {
					return
				}
			}
			if resp.NextAfter == "" || resp.NextAfter == o.After {
				return
			}
			o.After = resp.NextAfter
		}
	}
}

// Get returns one owner by id; a missing one unwraps to ErrNotFound.
func (s *OwnersService) Get(ctx context.Context, id string) (*Owner, *Response, error) {
	if id == "" {
		return nil, nil, errors.New("hubspot: get owner: empty id")
	}
	req, err := s.client.NewRequest(ctx, http.MethodGet, s.client.paths.owners(seg(id)), nil, nil)
	if err != nil {
		return nil, nil, err
	}
	o := new(Owner)
	resp, err := s.client.Do(req, o)
	if err != nil {
		return nil, resp, err
	}
	return o, resp, nil
}

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
	return listPage[*Owner](ctx, s.client, s.client.paths.owners(), q)
}

// ListIter iterates over all owners lazily.
func (s *OwnersService) ListIter(ctx context.Context, opts *OwnerListOptions) iter.Seq2[*Owner, error] {
	o := OwnerListOptions{}
	if opts != nil {
		o = *opts
	}
	return pages(o.After, func(after string) ([]*Owner, *Response, error) {
		o.After = after
		return s.List(ctx, &o)
	})
}

// Get returns one owner by id; a missing one unwraps to ErrNotFound.
func (s *OwnersService) Get(ctx context.Context, id string) (*Owner, *Response, error) {
	if id == "" {
		return nil, nil, errors.New("hubspot: get owner: empty id")
	}
	return call[Owner](ctx, s.client, http.MethodGet, s.client.paths.owners(seg(id)), nil, nil)
}

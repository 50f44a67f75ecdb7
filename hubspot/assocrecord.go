package hubspot

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Record-level association endpoints (hubspot-api.md §7 "Record level"; spec:
// crm-associations_v4 / _2026-03): list one record's associations to a type, write
// the default or labelled association between two records, remove every
// association between them. The 2026-09 spec file lacks the per-record GET while
// the 2026-09 docs still describe it (hubspot-api.md §12); List calls the same path
// on every version.

// AssociationListOptions selects a page of a record's associations.
type AssociationListOptions struct {
	// Limit is the page size; 0 leaves HubSpot's default.
	Limit int
	// After is the cursor from Response.NextAfter.
	After string
}

// List reads one page of the records of type to associated with record fromID of
// type from, with the types linking them (GET …/{from}/{fromID}/associations/{to}).
// Response.NextAfter is the cursor of the next page.
func (s *AssociationsService) List(ctx context.Context, from, fromID, to string, opts *AssociationListOptions) ([]AssociatedObject, *Response, error) {
	if from == "" || fromID == "" || to == "" {
		return nil, nil, errors.New("hubspot: list associations: empty object type or id")
	}
	q := url.Values{}
	if opts != nil {
		if opts.Limit < 0 {
			return nil, nil, errors.New("hubspot: list associations: negative limit")
		}
		if opts.Limit > 0 {
			q.Set("limit", strconv.Itoa(opts.Limit))
		}
		if opts.After != "" {
			q.Set("after", opts.After)
		}
	}
	// toObjectId is a number in v4 answers and a string in newer specs
	// (MultiAssociatedObjectWithLabel), so it decodes through flexID.
	type wire struct {
		ToObjectID       flexID            `json:"toObjectId"`
		AssociationTypes []AssociationType `json:"associationTypes"`
	}
	page, resp, err := listPage[wire](ctx, s.client, s.client.paths.assocRecord(from, fromID, seg(to)), q)
	if err != nil {
		return nil, resp, err
	}
	out := make([]AssociatedObject, len(page))
	for i, w := range page {
		out[i] = AssociatedObject{ID: string(w.ToObjectID), Types: w.AssociationTypes}
	}
	return out, resp, nil
}

// ListIter iterates lazily over every record of type to associated with record
// fromID, page by page. It yields an error once and stops; breaking out stops paging.
func (s *AssociationsService) ListIter(ctx context.Context, from, fromID, to string, opts *AssociationListOptions) iter.Seq2[AssociatedObject, error] {
	o := AssociationListOptions{}
	if opts != nil {
		o = *opts
	}
	return pages(o.After, func(after string) ([]AssociatedObject, *Response, error) {
		o.After = after
		return s.List(ctx, from, fromID, to, &o)
	})
}

// Create writes the given association types between record fromID of type from and
// record toID of type to (PUT …/associations/{to}/{toID} with a body of specs) and
// returns the labels now between them. Associations are sets, so repeating it is
// harmless and it is retried like every PUT.
func (s *AssociationsService) Create(ctx context.Context, from, fromID, to, toID string, types []AssociationSpec) (*AssociationResult, *Response, error) {
	if from == "" || fromID == "" || to == "" || toID == "" {
		return nil, nil, errors.New("hubspot: associate: empty object type or id")
	}
	if len(types) == 0 {
		return nil, nil, &InputError{ID: fromID, Field: "types", Reason: "at least one association type is required"}
	}
	r, resp, err := call[pairResult](ctx, s.client, http.MethodPut, s.client.paths.assocRecord(from, fromID, seg(to), seg(toID)), nil, types)
	if err != nil {
		return nil, resp, err
	}
	out := r.public()
	return &out, resp, nil
}

// CreateDefault writes the default (unlabelled) association between two records
// (PUT …/associations/default/{to}/{toID}).
func (s *AssociationsService) CreateDefault(ctx context.Context, from, fromID, to, toID string) (*Response, error) {
	if from == "" || fromID == "" || to == "" || toID == "" {
		return nil, errors.New("hubspot: associate (default): empty object type or id")
	}
	var ans batchAnswer[struct{}]
	req, err := s.client.NewRequest(ctx, http.MethodPut, s.client.paths.assocRecord(from, fromID, "default", seg(to), seg(toID)), nil, nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req, &ans)
	if err != nil {
		return resp, err
	}
	if len(ans.Errors) > 0 {
		e := ans.Errors[0].apiError(req.Method, s.client.redactURL(req.URL), resp.StatusCode)
		e.Message = s.client.redactString(e.Message)
		return resp, e
	}
	return resp, nil
}

// Delete removes every association between two records (DELETE
// …/associations/{to}/{toID}; hubspot-api.md §7). HubSpot answers 204.
func (s *AssociationsService) Delete(ctx context.Context, from, fromID, to, toID string) (*Response, error) {
	if from == "" || fromID == "" || to == "" || toID == "" {
		return nil, errors.New("hubspot: remove associations: empty object type or id")
	}
	req, err := s.client.NewRequest(ctx, http.MethodDelete, s.client.paths.assocRecord(from, fromID, seg(to), seg(toID)), nil, nil)
	if err != nil {
		return nil, err
	}
	return s.client.Do(req, nil)
}

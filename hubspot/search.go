package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
)

// Operator is a search filter operator (hubspot-api.md §5, spec enum).
type Operator string

// Search operators. Filters within a group are ANDed; groups are ORed.
const (
	OpEQ               Operator = "EQ"
	OpNEQ              Operator = "NEQ"
	OpLT               Operator = "LT"
	OpLTE              Operator = "LTE"
	OpGT               Operator = "GT"
	OpGTE              Operator = "GTE"
	OpBetween          Operator = "BETWEEN"
	OpIn               Operator = "IN"
	OpNotIn            Operator = "NOT_IN"
	OpHasProperty      Operator = "HAS_PROPERTY"
	OpNotHasProperty   Operator = "NOT_HAS_PROPERTY"
	OpContainsToken    Operator = "CONTAINS_TOKEN"
	OpNotContainsToken Operator = "NOT_CONTAINS_TOKEN"
)

// Filter is one search condition. Build it with Eq, Gt, Between, In, … rather than
// by hand: each operator takes a different set of value fields.
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     Operator `json:"operator"`
	Value        string   `json:"value,omitempty"`
	HighValue    string   `json:"highValue,omitempty"`
	Values       []string `json:"values,omitempty"`
}

// FilterGroup is a set of filters that must all hold.
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// And returns a filter group of filters (all must hold).
func And(filters ...Filter) FilterGroup { return FilterGroup{Filters: filters} }

// Eq matches records whose property equals value (case-insensitive for strings,
// hubspot-api.md §5).
func Eq(property, value string) Filter {
	return Filter{PropertyName: property, Operator: OpEQ, Value: value}
}

// Neq matches records whose property differs from value.
func Neq(property, value string) Filter {
	return Filter{PropertyName: property, Operator: OpNEQ, Value: value}
}

// Lt matches values less than value.
func Lt(property, value string) Filter {
	return Filter{PropertyName: property, Operator: OpLT, Value: value}
}

// Lte matches values less than or equal to value.
func Lte(property, value string) Filter {
	return Filter{PropertyName: property, Operator: OpLTE, Value: value}
}

// Gt matches values greater than value.
func Gt(property, value string) Filter {
	return Filter{PropertyName: property, Operator: OpGT, Value: value}
}

// Gte matches values greater than or equal to value.
func Gte(property, value string) Filter {
	return Filter{PropertyName: property, Operator: OpGTE, Value: value}
}

// Between matches values in [low, high].
func Between(property, low, high string) Filter {
	return Filter{PropertyName: property, Operator: OpBetween, Value: low, HighValue: high}
}

// In matches any of values. For string properties HubSpot needs lowercase values
// (hubspot-api.md §5, doc†).
func In(property string, values ...string) Filter {
	return Filter{PropertyName: property, Operator: OpIn, Values: values}
}

// NotIn matches none of values.
func NotIn(property string, values ...string) Filter {
	return Filter{PropertyName: property, Operator: OpNotIn, Values: values}
}

// HasProperty matches records with a value for property.
func HasProperty(property string) Filter {
	return Filter{PropertyName: property, Operator: OpHasProperty}
}

// NotHasProperty matches records without a value for property.
func NotHasProperty(property string) Filter {
	return Filter{PropertyName: property, Operator: OpNotHasProperty}
}

// ContainsToken matches values containing the token (wildcards with *).
func ContainsToken(property, token string) Filter {
	return Filter{PropertyName: property, Operator: OpContainsToken, Value: token}
}

// NotContainsToken matches values not containing the token.
func NotContainsToken(property, token string) Filter {
	return Filter{PropertyName: property, Operator: OpNotContainsToken, Value: token}
}

// SortDirection orders search results.
type SortDirection string

// Sort directions.
const (
	Ascending  SortDirection = "ASCENDING"
	Descending SortDirection = "DESCENDING"
)

// Sort is the one sort rule a search takes.
type Sort struct {
	PropertyName string        `json:"propertyName"`
	Direction    SortDirection `json:"direction"`
}

// SearchRequest is the body of POST …/search.
type SearchRequest struct {
	// FilterGroups are ORed; the filters of a group are ANDed.
	FilterGroups []FilterGroup `json:"filterGroups,omitempty"`
	// Sorts holds at most one rule ("only one sort parameter is supported",
	// hubspot-api.md §5, sdk: hubspot-api-nodejs README). Without it results come in
	// creation order.
	Sorts []Sort `json:"sorts,omitempty"`
	// Query is a free-text query over the object's default searchable properties.
	Query string `json:"query,omitempty"`
	// Properties to return; HubSpot's defaults when empty.
	Properties []string `json:"properties,omitempty"`
	// Limit is the page size, at most 200 (default 10; doc†: search-the-crm).
	Limit int `json:"limit,omitempty"`
	// After is the paging cursor from Response.NextAfter.
	After string `json:"after,omitempty"`
}

// SearchLimits are the caps a search is validated against before sending. The
// sources conflict (hubspot-api.md §5 and §12): a 2024 changelog says 5 groups of ≤10
// filters and ≤25 in total; the 2026 docs say five groups of up to six filters; the
// spec says up to 6 groups. The defaults take the strictest reading; set your own
// with WithSearchLimits.
type SearchLimits struct {
	MaxGroups          int
	MaxFiltersPerGroup int
	MaxFilters         int
	// MaxLimit is the largest page (200).
	MaxLimit int
	// MaxResults is how far paging may go (10,000: "Attempting to page beyond
	// 10,000 will result in a 400 error", doc†: search-the-crm).
	MaxResults int
	// MaxBodyBytes is the largest request body (3,000 characters, doc†); 0 disables
	// the check.
	MaxBodyBytes int
}

// DefaultSearchLimits returns the caps used unless WithSearchLimits says otherwise:
// 5 groups × 6 filters, 18 filters in total, pages of 200, 10,000 results,
// 3,000-byte bodies.
func DefaultSearchLimits() SearchLimits {
	return SearchLimits{MaxGroups: 5, MaxFiltersPerGroup: 6, MaxFilters: 18, MaxLimit: 200, MaxResults: 10000, MaxBodyBytes: 3000}
}

// WithSearchLimits replaces DefaultSearchLimits; zero fields keep their defaults.
func WithSearchLimits(l SearchLimits) Option {
	return func(cfg *config) error {
		d := DefaultSearchLimits()
		for _, p := range []struct {
			dst *int
			src int
		}{{&d.MaxGroups, l.MaxGroups}, {&d.MaxFiltersPerGroup, l.MaxFiltersPerGroup}, {&d.MaxFilters, l.MaxFilters}, {&d.MaxLimit, l.MaxLimit}, {&d.MaxResults, l.MaxResults}, {&d.MaxBodyBytes, l.MaxBodyBytes}} {
			if p.src < 0 {
				return errors.New("hubspot: WithSearchLimits: negative limit")
			}
			if p.src > 0 {
				*p.dst = p.src
			}
		}
		cfg.searchLimit = d
		return nil
	}
}

// SearchError is a search request rejected before sending.
type SearchError struct {
	Reason string
}

// Error says what is wrong with the request.
func (e *SearchError) Error() string { return "hubspot: invalid search: " + e.Reason }

// Unwrap returns ErrValidation.
func (e *SearchError) Unwrap() error { return ErrValidation }

// validate checks req against the caps; extra is the number of filters the
// iterator will add to every group.
func (l SearchLimits) validate(req *SearchRequest, extra int) error {
	bad := func(format string, args ...any) error { return &SearchError{Reason: fmt.Sprintf(format, args...)} }
	if len(req.FilterGroups) > l.MaxGroups {
		return bad("%d filter groups, at most %d", len(req.FilterGroups), l.MaxGroups)
	}
	total := 0
	for gi, g := range req.FilterGroups {
		n := len(g.Filters) + extra
		if len(g.Filters) == 0 {
			return bad("filter group %d is empty", gi)
		}
		if n > l.MaxFiltersPerGroup {
			return bad("filter group %d has %d filters, at most %d", gi, n, l.MaxFiltersPerGroup)
		}
		total += n
		for fi, f := range g.Filters {
			if err := f.validate(); err != nil {
				return bad("group %d filter %d (%s): %s", gi, fi, f.PropertyName, err.Error())
			}
		}
	}
	if total > l.MaxFilters {
		return bad("%d filters in total, at most %d", total, l.MaxFilters)
	}
	if len(req.Sorts) > 1 {
		return bad("%d sorts, HubSpot supports one", len(req.Sorts))
	}
	for _, s := range req.Sorts {
		if s.PropertyName == "" || (s.Direction != Ascending && s.Direction != Descending) {
			return bad("sort needs a property and ASCENDING or DESCENDING")
		}
	}
	if req.Limit < 0 || req.Limit > l.MaxLimit {
		return bad("limit %d, must be 0..%d", req.Limit, l.MaxLimit)
	}
	if a, err := strconv.Atoi(req.After); err == nil && a+max(req.Limit, 10) > l.MaxResults {
		return bad("paging to %d passes the %d-result cap; use SearchIter", a, l.MaxResults)
	}
	return nil
}

func (f Filter) validate() error {
	if f.PropertyName == "" {
		return errors.New("empty property name")
	}
	switch f.Operator {
	case OpEQ, OpNEQ, OpLT, OpLTE, OpGT, OpGTE, OpContainsToken, OpNotContainsToken:
		if len(f.Values) > 0 || f.HighValue != "" {
			return fmt.Errorf("%s takes one value", f.Operator)
		}
	case OpBetween:
		if f.Value == "" || f.HighValue == "" || len(f.Values) > 0 {
			return errors.New("BETWEEN takes value and highValue")
		}
	case OpIn, OpNotIn:
		if len(f.Values) == 0 || f.Value != "" || f.HighValue != "" {
			return fmt.Errorf("%s takes a non-empty values list", f.Operator)
		}
	case OpHasProperty, OpNotHasProperty:
		if f.Value != "" || f.HighValue != "" || len(f.Values) > 0 {
			return fmt.Errorf("%s takes no value", f.Operator)
		}
	default:
		return fmt.Errorf("unknown operator %q", string(f.Operator))
	}
	return nil
}

// SearchResult is one page of search results.
type SearchResult struct {
	// Total is the number of matching records (may exceed what paging can reach).
	Total   int       `json:"total"`
	Results []*Object `json:"results"`
	Paging  *Paging   `json:"paging,omitempty"`
}

// Search runs one search request after validating it against the client's
// SearchLimits. Response.NextAfter is the next page's cursor. Search has its own
// rate limit (5/s) and is retried on failure, since it changes nothing. Newly
// written records may take a few moments to appear (doc†: search-the-crm).
func (s *ObjectsService) Search(ctx context.Context, req *SearchRequest) (*SearchResult, *Response, error) {
	if req == nil {
		req = &SearchRequest{}
	}
	lim := s.client.cfg.searchLimit
	if err := lim.validate(req, 0); err != nil {
		return nil, nil, err
	}
	if lim.MaxBodyBytes > 0 {
		if b, err := json.Marshal(req); err == nil && len(b) > lim.MaxBodyBytes {
			return nil, nil, &SearchError{Reason: fmt.Sprintf("request body is %d bytes, at most %d", len(b), lim.MaxBodyBytes)}
		}
	}
	hreq, err := s.client.NewRequest(idempotent(ctx), http.MethodPost, s.client.paths.objects(s.objectType, "search"), nil, req)
	if err != nil {
		return nil, nil, err
	}
	res := new(SearchResult)
	resp, err := s.client.Do(hreq, res)
	if err != nil {
		return nil, resp, err
	}
	resp.NextAfter = res.Paging.after()
	return res, resp, nil
}

// SearchIter yields every record matching req, ordered by hs_object_id ascending,
// however many there are. It pages with the after cursor while that stays under
// the 10,000-result cap, then re-queries with an extra filter hs_object_id > last
// id seen (added to every group) instead of paging into HubSpot's 400
// (hubspot-api.md §5: practice of production connectors). req.Sorts must be empty
// or hs_object_id ascending; each group needs room for one more filter. The
// iterator yields an error once and stops; break stops it.
func (s *ObjectsService) SearchIter(ctx context.Context, req *SearchRequest) iter.Seq2[*Object, error] {
	base := SearchRequest{}
	if req != nil {
		base = *req
	}
	return func(yield func(*Object, error) bool) {
		for _, so := range base.Sorts {
			if so.PropertyName != "hs_object_id" || so.Direction != Ascending || len(base.Sorts) > 1 {
				yield(nil, &SearchError{Reason: "SearchIter orders by hs_object_id ascending; leave Sorts empty"})
				return
			}
		}
		lim := s.client.cfg.searchLimit
		if err := lim.validate(&base, 1); err != nil {
			yield(nil, err)
			return
		}
		if base.Limit == 0 {
			base.Limit = lim.MaxLimit
		}
		base.Sorts = []Sort{{PropertyName: "hs_object_id", Direction: Ascending}}
		cur := base
		cur.FilterGroups = withIDFloor(base.FilterGroups, "")
		lastID := ""
		for {
			res, resp, err := s.Search(ctx, &cur)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, obj := range res.Results {
				lastID = obj.ID
				if !yield(obj, nil) {
					return
				}
			}
			if resp.NextAfter == "" || len(res.Results) == 0 {
				return
			}
			next, err := strconv.Atoi(resp.NextAfter)
			if err == nil && next+cur.Limit <= lim.MaxResults {
				cur.After = resp.NextAfter
				continue
			}
			// Re-query from the last id: a fresh result set, well under the cap.
			cur.After = ""
			cur.FilterGroups = withIDFloor(base.FilterGroups, lastID)
		}
	}
}

// withIDFloor returns groups with hs_object_id > lastID added to each (or a single
// group holding only that filter). lastID "" returns groups unchanged.
func withIDFloor(groups []FilterGroup, lastID string) []FilterGroup {
	if lastID == "" {
		return groups
	}
	floor := Gt("hs_object_id", lastID)
	if len(groups) == 0 {
		return []FilterGroup{And(floor)}
	}
	out := make([]FilterGroup, len(groups))
	for i, g := range groups {
		fs := make([]Filter, 0, len(g.Filters)+1)
		fs = append(fs, g.Filters...)
		out[i] = FilterGroup{Filters: append(fs, floor)}
	}
	return out
}

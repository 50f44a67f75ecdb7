package hubspottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SearchLimits configures the CRM search caps (hubspot-api.md §5 "Limits"). The
// sources conflict on the filter caps (5×6=18 in the 2026 docs; 5×10/25 in a 2024
// changelog; "up to 6 groups" in the spec), so they are configurable; the defaults
// are the strictest documented figures.
type SearchLimits struct {
	MaxFilterGroups    int // 0 means 5
	MaxFiltersPerGroup int // 0 means 6
	MaxFilters         int // 0 means 18
	MaxLimit           int // page size cap; 0 means 200
	MaxResults         int // total reachable by paging; 0 means 10,000
	MaxBodyChars       int // request body cap; 0 means 3,000
	MaxSorts           int // 0 means 1 ("only one sort parameter is supported")
	// IndexDelay leaves records created or modified less than this long ago out
	// of search results, like HubSpot's eventually consistent index ("It may take
	// a few moments …"). 0 means immediately searchable.
	IndexDelay time.Duration
}

func (o SearchLimits) withDefaults() SearchLimits {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.MaxFilterGroups, 5)
	def(&o.MaxFiltersPerGroup, 6)
	def(&o.MaxFilters, 18)
	def(&o.MaxLimit, 200)
	def(&o.MaxResults, 10_000)
	def(&o.MaxBodyChars, 3000)
	def(&o.MaxSorts, 1)
	return o
}

// flexString decodes a JSON string, number or boolean into its text: clients
// send limit as "200" (contacts-search-request.json) and filter values as numbers.
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err == nil {
		*f = flexString(n.String())
		return nil
	}
	var v bool
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("expected a string, number or boolean, got %s", b)
	}
	*f = flexString(strconv.FormatBool(v))
	return nil
}

type searchFilter struct {
	PropertyName string       `json:"propertyName"`
	Operator     string       `json:"operator"`
	Value        *flexString  `json:"value"`
	HighValue    *flexString  `json:"highValue"`
	Values       []flexString `json:"values"`
}

type searchSort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

// UnmarshalJSON accepts the documented object and a bare property name (the
// spec types sorts as string[]).
func (s *searchSort) UnmarshalJSON(b []byte) error {
	var name string
	if json.Unmarshal(b, &name) == nil {
		s.PropertyName, s.Direction = name, "ASCENDING"
		return nil
	}
	type plain searchSort
	return json.Unmarshal(b, (*plain)(s))
}

type searchRequest struct {
	FilterGroups []struct {
		Filters []searchFilter `json:"filters"`
	} `json:"filterGroups"`
	Sorts      []searchSort `json:"sorts"`
	Query      string       `json:"query"`
	Properties []string     `json:"properties"`
	Limit      *flexString  `json:"limit"`
	After      *flexString  `json:"after"`
}

type searchResponse struct {
	Total   int          `json:"total"`
	Results []recordJSON `json:"results"`
	Paging  *paging      `json:"paging,omitempty"`
}

var operators = map[string]bool{"EQ": true, "NEQ": true, "LT": true, "LTE": true, "GT": true, "GTE": true,
	"BETWEEN": true, "IN": true, "NOT_IN": true, "HAS_PROPERTY": true, "NOT_HAS_PROPERTY": true,
	"CONTAINS_TOKEN": true, "NOT_CONTAINS_TOKEN": true}

// parseSearch reads and checks a search body against the caps.
func (s *Server) parseSearch(w http.ResponseWriter, r *http.Request) (*searchRequest, int, int, bool) {
	lim := s.opts.Search
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		badJSON(w, err)
		return nil, 0, 0, false
	}
	if n := utf8.RuneCount(body); n > lim.MaxBodyChars {
		validationError(w, "The request body is %d characters long; search requests are limited to %d characters.", n, lim.MaxBodyChars)
		return nil, 0, 0, false
	}
	var req searchRequest
	if err := json.Unmarshal(body, &req); err != nil {
		badJSON(w, err)
		return nil, 0, 0, false
	}
	total := 0
	for _, g := range req.FilterGroups {
		total += len(g.Filters)
		if len(g.Filters) > lim.MaxFiltersPerGroup {
			validationError(w, "Too many filters in a filter group: %d. The maximum is %d.", len(g.Filters), lim.MaxFiltersPerGroup)
			return nil, 0, 0, false
		}
		for _, f := range g.Filters {
			if !operators[f.Operator] {
				validationError(w, "Unknown filter operator %q.", f.Operator)
				return nil, 0, 0, false
			}
		}
	}
	switch {
	case len(req.FilterGroups) > lim.MaxFilterGroups:
		validationError(w, "Too many filter groups: %d. The maximum is %d.", len(req.FilterGroups), lim.MaxFilterGroups)
		return nil, 0, 0, false
	case total > lim.MaxFilters:
		validationError(w, "Too many filters: %d. The maximum across all filter groups is %d.", total, lim.MaxFilters)
		return nil, 0, 0, false
	case len(req.Sorts) > lim.MaxSorts:
		validationError(w, "Too many sorts: %d. The maximum is %d.", len(req.Sorts), lim.MaxSorts)
		return nil, 0, 0, false
	}
	limit, after := 10, 0
	if req.Limit != nil && *req.Limit != "" {
		n, err := strconv.Atoi(string(*req.Limit))
		if err != nil || n < 1 || n > lim.MaxLimit {
			validationError(w, "limit must be between 1 and %d, got %q", lim.MaxLimit, string(*req.Limit))
			return nil, 0, 0, false
		}
		limit = n
	}
	if req.After != nil && *req.After != "" {
		n, err := strconv.Atoi(string(*req.After))
		if err != nil || n < 0 {
			validationError(w, "Invalid paging cursor: %s", string(*req.After))
			return nil, 0, 0, false
		}
		after = n
	}
	// "Attempting to page beyond 10,000 will result in a 400 error." (hubspot-api.md §5)
	if after >= lim.MaxResults {
		validationError(w, "Paging beyond %d results is not supported for search; refine the query instead.", lim.MaxResults)
		return nil, 0, 0, false
	}
	return &req, limit, after, true
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	req, limit, after, ok := s.parseSearch(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return
	}
	for _, g := range req.FilterGroups {
		for _, f := range g.Filters {
			if msg := s.checkFilter(st, f); msg != "" {
				validationError(w, "%s", msg)
				return
			}
		}
	}
	for _, so := range req.Sorts {
		if _, ok := st.props[so.PropertyName]; !ok {
			validationError(w, "Property %q does not exist and cannot be sorted on.", so.PropertyName)
			return
		}
	}
	var hits []*record
	cutoff := s.now().Add(-s.opts.Search.IndexDelay)
	for _, id := range st.ids {
		rec := st.recs[id]
		// Archived records are not returned (hubspot-api.md §5, 3p).
		if rec.archived || (s.opts.Search.IndexDelay > 0 && rec.updated.After(cutoff)) {
			continue
		}
		if s.matchGroups(st, rec, req) {
			hits = append(hits, rec)
		}
	}
	if len(req.Sorts) == 1 {
		s.sortRecords(st, hits, req.Sorts[0])
	} // else creation order, oldest first (hubspot-api.md §5)
	sel := selection{names: req.Properties}
	if len(sel.names) == 0 {
		sel.names = nil
	}
	resp := searchResponse{Total: len(hits), Results: []recordJSON{}}
	end := min(after+limit, len(hits), s.opts.Search.MaxResults)
	for i := after; i < end; i++ {
		resp.Results = append(resp.Results, s.render(st, hits[i], sel, true))
	}
	if end < len(hits) {
		// Search paging has no link (contacts-search-response-page1.json) and the last
		// page has no paging key at all.
		resp.Paging = &paging{Next: &nextPage{After: strconv.Itoa(end)}}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) matchGroups(st *store, rec *record, req *searchRequest) bool {
	if q := strings.ToLower(strings.TrimSpace(req.Query)); q != "" && !s.matchQuery(st, rec, q) {
		return false
	}
	if len(req.FilterGroups) == 0 {
		return true
	}
	for _, g := range req.FilterGroups { // groups are ORed
		all := true
		for _, f := range g.Filters { // filters are ANDed
			if !s.matchFilter(st, rec, f) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// searchable are the properties the free-text query looks at.
var searchable = map[string][]string{
	"contacts":  {"firstname", "lastname", "email", "phone", "company"},
	"companies": {"name", "domain", "website", "phone"},
	"deals":     {"dealname"},
	"tickets":   {"subject", "content"},
}

func (s *Server) matchQuery(st *store, rec *record, q string) bool {
	props, ok := searchable[st.typ.name]
	if !ok {
		props = []string{"name"}
	}
	for _, p := range props {
		if strings.Contains(strings.ToLower(rec.props[p]), q) {
			return true
		}
	}
	return false
}

// sortRecords orders by one property; records without a value sort last
// ascending and first descending; ties keep creation order.
func (s *Server) sortRecords(st *store, recs []*record, so searchSort) {
	p := st.props[so.PropertyName]
	desc := so.Direction == "DESCENDING"
	sort.SliceStable(recs, func(i, j int) bool {
		a, aok := recs[i].props[so.PropertyName]
		b, bok := recs[j].props[so.PropertyName]
		switch {
		case !aok || !bok:
			if aok == bok {
				return false
			}
			return aok != desc
		}
		c := compareValues(p, a, b)
		if desc {
			return c > 0
		}
		return c < 0
	})
}

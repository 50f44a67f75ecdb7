package hubspot

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFilterBuilderJSON(t *testing.T) {
	req := &SearchRequest{
		FilterGroups: []FilterGroup{
			And(Gte("lastmodifieddate", "1579514400000"), Lte("lastmodifieddate", "1579600800000"), HasProperty("email")),
			And(Eq("email", "a@b.c"), Neq("firstname", "x"), Lt("num", "1"), Gt("num2", "2"), Between("amount", "10", "20"), In("lifecyclestage", "lead", "customer")),
			And(NotIn("hs_lead_status", "bad"), NotHasProperty("phone"), ContainsToken("company", "*acme*"), NotContainsToken("company", "test")),
		},
		Sorts:      []Sort{{PropertyName: "hs_object_id", Direction: Ascending}},
		Properties: []string{"email"},
		Limit:      200,
	}
	b, err := json.Marshal(req)
	require.NoError(t, err)
	assert.JSONEq(t, `{"filterGroups":[
		{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE","value":"1579514400000"},{"propertyName":"lastmodifieddate","operator":"LTE","value":"1579600800000"},{"propertyName":"email","operator":"HAS_PROPERTY"}]},
		{"filters":[{"propertyName":"email","operator":"EQ","value":"a@b.c"},{"propertyName":"firstname","operator":"NEQ","value":"x"},{"propertyName":"num","operator":"LT","value":"1"},{"propertyName":"num2","operator":"GT","value":"2"},{"propertyName":"amount","operator":"BETWEEN","value":"10","highValue":"20"},{"propertyName":"lifecyclestage","operator":"IN","values":["lead","customer"]}]},
		{"filters":[{"propertyName":"hs_lead_status","operator":"NOT_IN","values":["bad"]},{"propertyName":"phone","operator":"NOT_HAS_PROPERTY"},{"propertyName":"company","operator":"CONTAINS_TOKEN","value":"*acme*"},{"propertyName":"company","operator":"NOT_CONTAINS_TOKEN","value":"test"}]}],
		"sorts":[{"propertyName":"hs_object_id","direction":"ASCENDING"}],"properties":["email"],"limit":200}`, string(b))
	require.NoError(t, DefaultSearchLimits().validate(req, 0))
}

func TestSearchValidation(t *testing.T) {
	many := func(n int) []Filter {
		fs := make([]Filter, n)
		for i := range fs {
			fs[i] = Eq("p"+strconv.Itoa(i), "v")
		}
		return fs
	}
	for name, tc := range map[string]struct {
		req  SearchRequest
		want string
	}{
		"6 groups":          {SearchRequest{FilterGroups: []FilterGroup{And(Eq("a", "1")), And(Eq("a", "1")), And(Eq("a", "1")), And(Eq("a", "1")), And(Eq("a", "1")), And(Eq("a", "1"))}}, "6 filter groups, at most 5"},
		"7 in a group":      {SearchRequest{FilterGroups: []FilterGroup{And(many(7)...)}}, "has 7 filters, at most 6"},
		"19 in total":       {SearchRequest{FilterGroups: []FilterGroup{And(many(6)...), And(many(6)...), And(many(6)...), And(Eq("x", "1"))}}, "19 filters in total, at most 18"},
		"empty group":       {SearchRequest{FilterGroups: []FilterGroup{{}}}, "is empty"},
		"two sorts":         {SearchRequest{Sorts: []Sort{{"a", Ascending}, {"b", Descending}}}, "supports one"},
		"bad direction":     {SearchRequest{Sorts: []Sort{{"a", "UP"}}}, "ASCENDING or DESCENDING"},
		"limit 201":         {SearchRequest{Limit: 201}, "limit 201"},
		"past the cap":      {SearchRequest{Limit: 200, After: "9900"}, "10000-result cap"},
		"between one value": {SearchRequest{FilterGroups: []FilterGroup{And(Filter{PropertyName: "a", Operator: OpBetween, Value: "1"})}}, "BETWEEN takes value and highValue"},
		"in no values":      {SearchRequest{FilterGroups: []FilterGroup{And(In("a"))}}, "non-empty values"},
		"has with value":    {SearchRequest{FilterGroups: []FilterGroup{And(Filter{PropertyName: "a", Operator: OpHasProperty, Value: "x"})}}, "takes no value"},
		"eq with values":    {SearchRequest{FilterGroups: []FilterGroup{And(Filter{PropertyName: "a", Operator: OpEQ, Values: []string{"x"}})}}, "takes one value"},
		"unknown operator":  {SearchRequest{FilterGroups: []FilterGroup{And(Filter{PropertyName: "a", Operator: "LIKE"})}}, "unknown operator"},
		"no property":       {SearchRequest{FilterGroups: []FilterGroup{And(Eq("", "x"))}}, "empty property"},
	} {
		t.Run(name, func(t *testing.T) {
			c, _, _ := setup(t)
			_, _, err := c.Contacts.Search(context.Background(), &tc.req)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrValidation)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSearchLimitsConfigurable(t *testing.T) {
	c, mux, _ := setup(t, WithSearchLimits(SearchLimits{MaxFiltersPerGroup: 10, MaxFilters: 25}))
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/search", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"total":0,"results":[]}`)
	})
	fs := make([]Filter, 10)
	for i := range fs {
		fs[i] = HasProperty("p" + strconv.Itoa(i))
	}
	_, _, err := c.Contacts.Search(context.Background(), &SearchRequest{FilterGroups: []FilterGroup{And(fs...)}})
	require.NoError(t, err)
}

func TestSearchBodyTooLong(t *testing.T) {
	c, _, _ := setup(t)
	_, _, err := c.Contacts.Search(context.Background(), &SearchRequest{Query: strings.Repeat("x", 3001)})
	require.ErrorIs(t, err, ErrValidation)
	assert.Contains(t, err.Error(), "at most 3000")
}

func TestSearchPage(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/companies/search", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"filterGroups":[{"filters":[{"propertyName":"hs_lastmodifieddate","operator":"GTE","value":"1700000000000"}]}],"properties":["name"],"limit":2,"after":"2"}`)
		writeJSON(w, 200, `{"total":57,"results":[{"id":"501","properties":{"name":"A","phone":null}}],"paging":{"next":{"after":"4"}}}`)
	})
	res, resp, err := c.Companies.Search(context.Background(), &SearchRequest{
		FilterGroups: []FilterGroup{And(Gte("hs_lastmodifieddate", "1700000000000"))},
		Properties:   []string{"name"}, Limit: 2, After: "2",
	})
	require.NoError(t, err)
	assert.Equal(t, 57, res.Total)
	assert.Equal(t, "4", resp.NextAfter)
	assert.Equal(t, "A", res.Results[0].Get("name"))
}

// searchServer serves ids 1..n sorted ascending, honouring after (an offset),
// limit and an hs_object_id GT filter, and failing with HubSpot's 400 past cap.
type searchServer struct {
	n, cap   int
	requests []SearchRequest
}

func (s *searchServer) handle(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req SearchRequest
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		s.requests = append(s.requests, req)
		require.Equal(t, []Sort{{PropertyName: "hs_object_id", Direction: Ascending}}, req.Sorts)
		floor := 0
		for _, g := range req.FilterGroups {
			for _, f := range g.Filters {
				if f.PropertyName == "hs_object_id" && f.Operator == OpGT {
					floor, _ = strconv.Atoi(f.Value)
				}
			}
		}
		offset, _ := strconv.Atoi(req.After)
		if offset+req.Limit > s.cap {
			writeJSON(w, 400, `{"status":"error","message":"paging past the cap","category":"VALIDATION_ERROR"}`)
			return
		}
		var ids []string
		for id := floor + 1 + offset; id <= s.n && len(ids) < req.Limit; id++ {
			ids = append(ids, fmt.Sprintf(`{"id":"%d","properties":{"hs_object_id":"%d"}}`, id, id))
		}
		total := s.n - floor
		paging := ""
		if next := offset + len(ids); next < total {
			paging = fmt.Sprintf(`,"paging":{"next":{"after":"%d"}}`, next)
		}
		writeJSON(w, 200, fmt.Sprintf(`{"total":%d,"results":[%s]%s}`, total, strings.Join(ids, ","), paging))
	}
}

func TestSearchIterPassesTheCapByRequerying(t *testing.T) {
	c, mux, _ := setup(t, WithSearchLimits(SearchLimits{MaxResults: 50}))
	srv := &searchServer{n: 237, cap: 50}
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/search", srv.handle(t))
	var got []int
	for obj, err := range c.Contacts.SearchIter(context.Background(), &SearchRequest{
		FilterGroups: []FilterGroup{And(HasProperty("email"))}, Limit: 20,
	}) {
		require.NoError(t, err)
		id, _ := strconv.Atoi(obj.ID)
		got = append(got, id)
	}
	require.Len(t, got, 237)
	for i, id := range got {
		require.Equal(t, i+1, id)
	}
	requeries := 0
	for _, r := range srv.requests {
		assert.LessOrEqual(t, len(r.FilterGroups[0].Filters), 2)
		if r.After == "" && len(r.FilterGroups[0].Filters) == 2 {
			requeries++
		}
	}
	assert.Greater(t, requeries, 3, "re-queried on hs_object_id instead of paging past the cap")
}

func TestSearchIterNoFiltersAddsGroup(t *testing.T) {
	c, mux, _ := setup(t, WithSearchLimits(SearchLimits{MaxResults: 10}))
	srv := &searchServer{n: 25, cap: 10}
	mux.HandleFunc("POST /crm/objects/2026-09/deals/search", srv.handle(t))
	n := 0
	for _, err := range c.Deals.SearchIter(context.Background(), &SearchRequest{Limit: 10}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 25, n)
	assert.Empty(t, srv.requests[0].FilterGroups)
	assert.Equal(t, "hs_object_id", srv.requests[1].FilterGroups[0].Filters[0].PropertyName)
}

func TestSearchIterRejectsOtherSortsAndFullGroups(t *testing.T) {
	c, _, _ := setup(t)
	for _, req := range []*SearchRequest{
		{Sorts: []Sort{{PropertyName: "createdate", Direction: Descending}}},
		{FilterGroups: []FilterGroup{And(HasProperty("a"), HasProperty("b"), HasProperty("c"), HasProperty("d"), HasProperty("e"), HasProperty("f"))}},
	} {
		n := 0
		for _, err := range c.Contacts.SearchIter(context.Background(), req) {
			n++
			assert.ErrorIs(t, err, ErrValidation)
		}
		assert.Equal(t, 1, n)
	}
}

package hubspottest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func searchEmails(t *testing.T, s *Server, body map[string]any) []string {
	t.Helper()
	if _, ok := body["properties"]; !ok {
		body["properties"] = []string{"email"}
	}
	body["limit"] = 200
	r := call(t, s, "POST", "/crm/objects/2026-09/contacts/search", body)
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	var out []string
	for _, rec := range r.list("results") {
		out = append(out, props(rec)["email"].(string))
	}
	sort.Strings(out)
	return out
}

func filter(prop, op string, kv ...any) map[string]any {
	f := map[string]any{"propertyName": prop, "operator": op}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i].(string)] = kv[i+1]
	}
	return f
}

func groups(gs ...[]map[string]any) map[string]any {
	out := []any{}
	for _, g := range gs {
		out = append(out, map[string]any{"filters": g})
	}
	return map[string]any{"filterGroups": out}
}

func seedSearch(t *testing.T) *Server {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now})
	require.NoError(t, s.CreateProperty("contacts", Property{Name: "score", Label: "Score", Type: "number", FieldType: "number"}))
	rows := []map[string]string{
		{"email": "ann@acme.com", "firstname": "Ann", "lifecyclestage": "lead", "score": "10", "city": "Paris"},
		{"email": "bob@acme.com", "firstname": "Bob", "lifecyclestage": "customer", "score": "20", "city": "New York"},
		{"email": "cat@other.org", "firstname": "Cat", "lifecyclestage": "lead", "score": "30"},
		{"email": "dan@other.org", "firstname": "DAN", "score": "9"},
	}
	for _, p := range rows {
		mustCreate(t, s, "contacts", p)
		clk.Add(time.Hour)
	}
	return s
}

func TestSearchOperators(t *testing.T) {
	s := seedSearch(t)
	base := newClock().Now()
	tests := []struct {
		name string
		body map[string]any
		want string
	}{
		{"EQ case-insensitive on strings", groups([]map[string]any{filter("firstname", "EQ", "value", "dan")}), "dan@other.org"},
		{"EQ enumeration", groups([]map[string]any{filter("lifecyclestage", "EQ", "value", "lead")}), "ann@acme.com cat@other.org"},
		{"NEQ includes records without the value", groups([]map[string]any{filter("lifecyclestage", "NEQ", "value", "lead")}), "bob@acme.com dan@other.org"},
		{"LT numeric", groups([]map[string]any{filter("score", "LT", "value", "10")}), "dan@other.org"},
		{"LTE numeric (number value)", groups([]map[string]any{filter("score", "LTE", "value", 10)}), "ann@acme.com dan@other.org"},
		{"GT", groups([]map[string]any{filter("score", "GT", "value", "20")}), "cat@other.org"},
		{"GTE", groups([]map[string]any{filter("score", "GTE", "value", "20")}), "bob@acme.com cat@other.org"},
		{"BETWEEN inclusive", groups([]map[string]any{filter("score", "BETWEEN", "value", "10", "highValue", "20")}), "ann@acme.com bob@acme.com"},
		{"IN lowercase", groups([]map[string]any{filter("firstname", "IN", "values", []string{"ann", "dan"})}), "ann@acme.com dan@other.org"},
		{"IN needs lowercase values for strings", groups([]map[string]any{filter("firstname", "IN", "values", []string{"Ann"})}), ""},
		{"NOT_IN", groups([]map[string]any{filter("lifecyclestage", "NOT_IN", "values", []string{"lead"})}), "bob@acme.com dan@other.org"},
		{"HAS_PROPERTY", groups([]map[string]any{filter("city", "HAS_PROPERTY")}), "ann@acme.com bob@acme.com"},
		{"NOT_HAS_PROPERTY", groups([]map[string]any{filter("city", "NOT_HAS_PROPERTY")}), "cat@other.org dan@other.org"},
		{"CONTAINS_TOKEN word", groups([]map[string]any{filter("city", "CONTAINS_TOKEN", "value", "york")}), "bob@acme.com"},
		{"CONTAINS_TOKEN wildcard", groups([]map[string]any{filter("email", "CONTAINS_TOKEN", "value", "*@acme.com")}), "ann@acme.com bob@acme.com"},
		{"NOT_CONTAINS_TOKEN", groups([]map[string]any{filter("email", "NOT_CONTAINS_TOKEN", "value", "*@acme.com")}), "cat@other.org dan@other.org"},
		{"datetime GTE epoch ms", groups([]map[string]any{filter("createdate", "GTE", "value", fmt.Sprint(base.Add(2*time.Hour).UnixMilli()))}), "cat@other.org dan@other.org"},
		{"datetime LT ISO with offset", groups([]map[string]any{filter("lastmodifieddate", "LT", "value", base.Add(time.Hour).In(time.FixedZone("", -8*3600)).Format(time.RFC3339))}), "ann@acme.com"},
		{"filters ANDed", groups([]map[string]any{filter("lifecyclestage", "EQ", "value", "lead"), filter("score", "GT", "value", "10")}), "cat@other.org"},
		{"groups ORed", groups([]map[string]any{filter("firstname", "EQ", "value", "ann")}, []map[string]any{filter("firstname", "EQ", "value", "bob")}), "ann@acme.com bob@acme.com"},
		{"free-text query", map[string]any{"query": "other.org"}, "cat@other.org dan@other.org"},
		{"no filters returns everything", map[string]any{}, "ann@acme.com bob@acme.com cat@other.org dan@other.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(searchEmails(t, s, tt.body), " ")
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSearchPagingSortAndShape(t *testing.T) {
	s := seedSearch(t)
	r := call(t, s, "POST", "/crm/v3/objects/contacts/search", map[string]any{
		"sorts": []any{map[string]string{"propertyName": "score", "direction": "DESCENDING"}}, "limit": "2", "properties": []string{"email", "phone"},
	})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	assert.EqualValues(t, 4, r.JSON["total"])
	res := r.list("results")
	require.Len(t, res, 2)
	assert.Equal(t, "cat@other.org", props(res[0])["email"])
	assert.Nil(t, props(res[0])["phone"])
	assert.Contains(t, props(res[0]), "phone")
	assert.NotEmpty(t, res[0]["url"])
	next := r.JSON["paging"].(map[string]any)["next"].(map[string]any)
	assert.Equal(t, "2", next["after"])
	assert.NotContains(t, next, "link", "search paging has no link")
	for h := range r.Header {
		assert.NotContains(t, strings.ToLower(h), "ratelimit", "search responses carry no rate-limit headers")
	}
	r = call(t, s, "POST", "/crm/v3/objects/contacts/search", map[string]any{
		"sorts": []any{map[string]string{"propertyName": "score", "direction": "DESCENDING"}}, "limit": 2, "after": "2",
	})
	res = r.list("results")
	require.Len(t, res, 2)
	assert.Equal(t, "dan@other.org", props(res[1])["email"])
	assert.NotContains(t, r.JSON, "paging", "the last page has no paging key")

	// Default properties and creation order without sorts.
	r = call(t, s, "POST", "/crm/v3/objects/contacts/search", map[string]any{"limit": 1})
	p := props(r.list("results")[0])
	for _, k := range []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"} {
		assert.Contains(t, p, k)
	}
	assert.Equal(t, "ann@acme.com", p["email"])
}

func TestSearchLimits(t *testing.T) {
	s := NewServer(t, Options{Search: SearchLimits{MaxResults: 30}})
	for i := range 35 {
		mustCreate(t, s, "companies", map[string]string{"name": fmt.Sprint("c", i)})
	}
	many := func(n int) []map[string]any {
		out := make([]map[string]any, n)
		for i := range out {
			out[i] = filter("name", "HAS_PROPERTY")
		}
		return out
	}
	bad := []struct {
		name string
		body any
	}{
		{"six groups", groups(many(1), many(1), many(1), many(1), many(1), many(1))},
		{"seven filters in a group", groups(many(7))},
		{"nineteen filters", groups(many(6), many(6), many(6), many(1))},
		{"two sorts", map[string]any{"sorts": []any{map[string]string{"propertyName": "name"}, map[string]string{"propertyName": "domain"}}}},
		{"limit 201", map[string]any{"limit": 201}},
		{"unknown operator", groups([]map[string]any{filter("name", "LIKE", "value", "x")})},
		{"unknown property", groups([]map[string]any{filter("nope", "EQ", "value", "x")})},
		{"BETWEEN without highValue", groups([]map[string]any{filter("name", "BETWEEN", "value", "x")})},
		{"body over 3000 characters", map[string]any{"query": strings.Repeat("x", 3000)}},
		{"paging beyond the cap", map[string]any{"after": "30"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, s, "POST", "/crm/v3/objects/companies/search", tt.body)
			assert.Equal(t, http.StatusBadRequest, r.Status, string(r.Raw))
			assert.Equal(t, "VALIDATION_ERROR", r.JSON["category"])
		})
	}
	assert.Equal(t, http.StatusOK, call(t, s, "POST", "/crm/v3/objects/companies/search", groups(many(6), many(6), many(6))).Status)
	r := call(t, s, "POST", "/crm/v3/objects/companies/search", map[string]any{"limit": 20, "after": "20"})
	require.Equal(t, http.StatusOK, r.Status)
	assert.EqualValues(t, 35, r.JSON["total"], "total counts every match")
	assert.Len(t, r.list("results"), 10, "results stop at the cap")
	assert.Equal(t, "30", r.JSON["paging"].(map[string]any)["next"].(map[string]any)["after"])
}

func TestSearchIndexDelayAndAssociations(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now, Search: SearchLimits{IndexDelay: 2 * time.Second}})
	company := mustCreate(t, s, "companies", map[string]string{"name": "Acme"})
	a := mustCreate(t, s, "contacts", map[string]string{"email": "a@acme.com"})
	mustCreate(t, s, "contacts", map[string]string{"email": "b@acme.com"})
	require.NoError(t, s.Associate("contacts", a, "companies", company, 0))
	assert.Empty(t, searchEmails(t, s, map[string]any{}), "not indexed yet")
	clk.Add(3 * time.Second)
	assert.Len(t, searchEmails(t, s, map[string]any{}), 2)
	got := searchEmails(t, s, groups([]map[string]any{filter("associations.company", "EQ", "value", company)}))
	assert.Equal(t, []string{"a@acme.com"}, got)
}

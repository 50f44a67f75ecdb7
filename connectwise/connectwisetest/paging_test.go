package connectwisetest

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var linkRe = regexp.MustCompile(`<([^>]+)>; rel="(\w+)"`)

func links(h string) map[string]string {
	out := map[string]string{}
	for _, m := range linkRe.FindAllStringSubmatch(h, -1) {
		out[m[2]] = m[1]
	}
	return out
}

func seedCompanies(t testing.TB, s *Server, n int) {
	t.Helper()
	for i := range n {
		_, err := s.Seed(Companies, map[string]any{"identifier": fmt.Sprintf("C%04d", i), "name": fmt.Sprintf("Company %04d", i%100), "city": "Plano"})
		require.NoError(t, err)
	}
}

func TestPagingPast1000(t *testing.T) {
	s, c := setup(t)
	seedCompanies(t, s, 2500)

	r := c.do("GET", "company/companies/count", nil)
	assert.JSONEq(t, `{"count":2500}`, string(r.body))

	r = c.do("GET", "company/companies", nil)
	assert.Len(t, r.list(t), DefaultPageSize, "default page size")

	seen := map[int]bool{}
	next := s.BaseURL() + "/company/companies?conditions=" + url.QueryEscape("id > 0") + "&pageSize=1000"
	pages := 0
	for next != "" {
		r = c.do("GET", next, nil)
		require.Equal(t, 200, r.status, string(r.body))
		for _, rec := range r.list(t) {
			id := num(rec.(map[string]any)["id"])
			require.False(t, seen[id], "id %d seen twice", id)
			seen[id] = true
		}
		l := links(r.header.Get("Link"))
		pages++
		switch pages {
		case 1:
			assert.NotContains(t, l, "first")
			assert.NotContains(t, l, "prev")
			assert.Contains(t, l["last"], "page=3")
		case 2:
			assert.Contains(t, l["first"], "page=1")
			assert.Contains(t, l["prev"], "page=1")
			assert.Contains(t, l["next"], "page=3")
		case 3:
			assert.NotContains(t, l, "next")
			assert.NotContains(t, l, "last")
			assert.Contains(t, l["prev"], "page=2")
		}
		if n := l["next"]; n != "" {
			assert.Contains(t, n, "pageSize=1000")
			assert.Contains(t, n, "conditions=", "the query is kept")
		}
		next = l["next"]
	}
	assert.Equal(t, 3, pages)
	assert.Len(t, seen, 2500)

	r = c.do("GET", "company/companies?pageSize=1001", nil)
	assert.Equal(t, 400, r.status)
	assert.Contains(t, string(r.body), "1000")
	r = c.do("GET", "company/companies?page=abc", nil)
	assert.Equal(t, 400, r.status)
	r = c.do("GET", "company/companies?page=99&pageSize=1000", nil)
	assert.Equal(t, 200, r.status)
	assert.Empty(t, r.list(t))
	assert.Contains(t, links(r.header.Get("Link"))["prev"], "page=3")
	r = c.do("GET", "company/companies?PageSize=5&Page=2", nil)
	assert.Equal(t, 255, num(r.list(t)[0].(map[string]any)["id"]), "parameter names are case-insensitive")
}

func TestForwardOnly(t *testing.T) {
	s, c := setup(t)
	seedCompanies(t, s, 45)
	_, err := s.Seed(Companies, map[string]any{"id": 10000, "identifier": "late", "name": "Late", "city": "X"})
	require.NoError(t, err)
	var ids []int
	next := s.BaseURL() + "/company/companies?pageSize=20&orderBy=name%20desc"
	calls := 0
	for next != "" {
		r := c.do("GET", next, nil, "pagination-type", "forward-only")
		require.Equal(t, 200, r.status, string(r.body))
		for _, rec := range r.list(t) {
			ids = append(ids, num(rec.(map[string]any)["id"]))
		}
		l := links(r.header.Get("Link"))
		assert.NotContains(t, l, "last")
		assert.NotContains(t, l, "prev")
		if l["next"] != "" {
			assert.Regexp(t, `pageId=\d+$`, l["next"])
			assert.NotContains(t, l["next"], "page=")
		}
		next = l["next"]
		calls++
		if calls == 1 {
			// Inserted while paging: forward-only paging still sees it.
			_, err := s.Seed(Companies, map[string]any{"id": 20000, "identifier": "later", "name": "Later", "city": "X"})
			require.NoError(t, err)
		}
	}
	assert.Equal(t, 3, calls)
	assert.Len(t, ids, 47)
	assert.IsIncreasing(t, ids, "forward-only pages in id order")

	r := c.do("GET", "company/companies?pageSize=10&pageId=290", nil, "pagination-type", "forward-only")
	assert.Equal(t, 291, num(r.list(t)[0].(map[string]any)["id"]))

	// An endpoint without forward-only support answers without a Link header.
	r = c.do("GET", "sales/stages?pageSize=2", nil, "pagination-type", "forward-only")
	assert.Len(t, r.list(t), 2)
	assert.Empty(t, r.header.Get("Link"))
	r = c.do("GET", "sales/stages?pageSize=2", nil)
	assert.Contains(t, links(r.header.Get("Link"))["next"], "page=2")

	// A full last page still links on; the page after it is empty.
	r = c.do("GET", "company/companies?pageSize=7&pageId=10000", nil, "pagination-type", "forward-only")
	assert.Len(t, r.list(t), 1)
	assert.Empty(t, r.header.Get("Link"))
	r = c.do("GET", "company/companies?pageSize=1&pageId=10000", nil, "pagination-type", "forward-only")
	assert.Len(t, r.list(t), 1)
	next = links(r.header.Get("Link"))["next"]
	assert.Contains(t, next, "pageId=20000")
	r = c.do("GET", next, nil, "pagination-type", "forward-only")
	assert.Empty(t, r.list(t))
	assert.Empty(t, r.header.Get("Link"))
}

func TestOrderByAndFields(t *testing.T) {
	s, c := setup(t)
	for i, n := range []string{"bravo", "Alpha", "charlie", "alpha"} {
		_, err := s.Seed(Companies, map[string]any{"identifier": fmt.Sprint("I", i), "name": n, "city": "X", "status": map[string]any{"id": 1, "name": "Active"}})
		require.NoError(t, err)
	}
	r := c.do("GET", "company/companies?orderBy="+url.QueryEscape("name desc, id desc")+"&fields=id,name,status/id", nil)
	require.Equal(t, 200, r.status, string(r.body))
	var names []string
	for _, rec := range r.list(t) {
		m := rec.(map[string]any)
		names = append(names, m["name"].(string))
		assert.Len(t, m, 3)
		assert.Equal(t, map[string]any{"id": 1.0}, m["status"])
	}
	assert.Equal(t, []string{"charlie", "bravo", "alpha", "Alpha"}, names)

	r = c.do("GET", "company/companies/250?fields=identifier", nil)
	assert.JSONEq(t, `{"identifier":"I0"}`, string(r.body))
	// Get by id reads fields like a list: spaces trimmed, the name in any case.
	r = c.do("GET", "company/companies/250?Fields="+url.QueryEscape("identifier, name"), nil)
	assert.JSONEq(t, `{"identifier":"I0","name":"bravo"}`, string(r.body))

	for _, q := range []string{"orderBy=bogus%20asc", "orderBy=name%20sideways", "conditions=bogus%3D1", "childConditions=name%3D%22x%22"} {
		r = c.do("GET", "company/companies?"+q, nil)
		assert.Equal(t, 400, r.status, q)
		assert.Equal(t, "ApiFindCondition", r.obj(t)["code"], q)
	}
	r = c.do("GET", "company/companies?conditions="+url.QueryEscape("ticket/id = 5"), nil)
	assert.JSONEq(t, `{"code":"ApiFindCondition","message":"ticket is not a recognized name."}`, string(r.body))
	r = c.do("GET", "company/companies?conditions="+url.QueryEscape("leadFlag = 1"), nil)
	assert.Equal(t, 400, r.status)
	assert.Equal(t, "Expected a boolean value, not a numeric. "+LiteralRules, r.obj(t)["message"])
	r = c.do("GET", "company/companies?conditions="+url.QueryEscape("lastUpdated > '2026-01-01'"), nil)
	assert.Equal(t, "Expected a datetime value, not a string. "+LiteralRules, r.obj(t)["message"])
	r = c.do("GET", "company/companies?conditions="+url.QueryEscape("dateAcquired = 5"), nil)
	assert.Equal(t, 400, r.status)
	for _, ok := range []string{"leadFlag = null", "leadFlag in (true, false)", "dateAcquired > [2020-01-01T00:00:00Z]", "lastUpdated != null", "name like 'x%'"} {
		assert.Equal(t, 200, c.do("GET", "company/companies?conditions="+url.QueryEscape(ok), nil).status, ok)
	}
}

func TestMaxURLLength(t *testing.T) {
	_, c := setup(t, Options{MaxURLLength: 2000})
	ids := make([]string, 0, 400)
	for i := range 400 {
		ids = append(ids, fmt.Sprint(1000+i))
	}
	long := "company/companies?conditions=" + url.QueryEscape("id in ("+strings.Join(ids, ",")+")")
	assert.Equal(t, 414, c.do("GET", long, nil).status)
	assert.Equal(t, 200, c.do("GET", "company/companies?conditions="+url.QueryEscape("id in (1,2,3)"), nil).status)
}

// Arrays are searched through childConditions and customFieldConditions, not
// conditions (connectwise-api.md §4).
func TestArrayPathsInConditions(t *testing.T) {
	s, c := setup(t)
	_, err := s.Create(Contacts, map[string]any{"firstName": "Ann",
		"communicationItems": []any{map[string]any{"type": map[string]any{"id": 1}, "value": "ann@acme.com", "defaultFlag": true}}})
	require.NoError(t, err)
	for _, q := range []string{`communicationItems/value = "ann@acme.com"`, `types/id = 1`, `customFields/value = 5`} {
		r := c.do("GET", "company/contacts?conditions="+url.QueryEscape(q), nil)
		assert.Equal(t, 400, r.status, q)
		assert.Equal(t, "ApiFindCondition", r.obj(t)["code"], q)
	}
	r := c.do("GET", "company/contacts?childConditions="+url.QueryEscape(`communicationItems/value = "ann@acme.com"`), nil)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Len(t, r.list(t), 1)

	s2, c2 := setup(t, Options{AllowArrayConditions: true})
	_, err = s2.Create(Contacts, map[string]any{"firstName": "Ann",
		"communicationItems": []any{map[string]any{"type": map[string]any{"id": 1}, "value": "ann@acme.com", "defaultFlag": true}}})
	require.NoError(t, err)
	r = c2.do("GET", "company/contacts?conditions="+url.QueryEscape(`communicationItems/value = "ann@acme.com"`), nil)
	require.Equal(t, 200, r.status, string(r.body))
	assert.Len(t, r.list(t), 1)
}

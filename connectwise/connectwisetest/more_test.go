package connectwisetest

import (
	"encoding/json"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCallbackLevels(t *testing.T) {
	s, c := setup(t)
	rc := newReceiver(t)
	reg := func(path, typ, level string, obj int) {
		r := c.do("POST", "system/callbacks", map[string]any{"url": rc.srv.URL + "/" + path + "?id=", "type": typ, "level": level, "objectId": obj})
		require.Equal(t, 201, r.status, string(r.body))
	}
	reg("status", "company", "status", 2)        // companies with status 2
	reg("type", "company", "type", 3)            // companies of type 3
	reg("cocontacts", "contact", "company", 251) // contacts of company 251
	reg("contact", "contact", "contact", 58001)  // one contact
	reg("board", "ticket", "board", 2)           // tickets on board 2
	reg("terr", "company", "territory", 9)       // never matches here

	_, err := s.Create(Companies, map[string]any{"identifier": "A", "name": "A", "city": "X", "status": map[string]any{"id": 2}})
	require.NoError(t, err) // 250: status
	_, err = s.Create(Companies, map[string]any{"identifier": "B", "name": "B", "city": "X", "types": []any{map[string]any{"id": 3}}})
	require.NoError(t, err) // 251: type
	_, err = s.Create(Contacts, map[string]any{"firstName": "C", "company": map[string]any{"id": 251}})
	require.NoError(t, err) // 58000: company 251
	_, err = s.Create(Contacts, map[string]any{"firstName": "D"})
	require.NoError(t, err) // 58001: contact level
	_, err = s.Create(Tickets, map[string]any{"summary": "T", "company": map[string]any{"id": 250}, "board": map[string]any{"id": 2}})
	require.NoError(t, err)
	_, err = s.Create(Tickets, map[string]any{"summary": "U", "company": map[string]any{"id": 250}, "board": map[string]any{"id": 1}})
	require.NoError(t, err)
	require.NoError(t, s.Delete(Contacts, 58001))
	s.WaitCallbacks()
	var paths []string
	for _, g := range rc.all() {
		paths = append(paths, g.path+"?"+g.query)
	}
	assert.ElementsMatch(t, []string{"/status?id=250", "/type?id=251", "/cocontacts?id=58000", "/contact?id=58001", "/board?id=500", "/contact?id=58001"}, paths)
	assert.Error(t, s.Delete(Contacts, 58001))
	assert.Error(t, s.Delete("nope/nope", 1))
}

func TestInspectionHelpers(t *testing.T) {
	s, c, body := oppSetup(t)
	require.Equal(t, 201, c.do("POST", "sales/opportunities", body).status)
	require.Equal(t, 201, c.do("POST", "sales/opportunities/1000/forecast", map[string]any{"forecastType": "Product", "status": map[string]any{"id": 1}, "revenue": 5}).status)
	items := s.ForecastItems(1000)
	require.Len(t, items, 1)
	assert.Equal(t, 5.0, items[0]["revenue"])
	assert.Empty(t, s.ForecastItems(1))
	assert.Len(t, s.Records(Opportunities), 1)
	assert.Nil(t, s.Records("nope"))
	assert.Zero(t, s.Len("nope"))
	_, ok := s.Get("nope", 1)
	assert.False(t, ok)
	assert.Equal(t, "hubwise", s.Options().CompanyID)
	_, err := s.Create("nope", map[string]any{})
	assert.Error(t, err)
	_, err = s.Create(Companies, []int{1})
	assert.Error(t, err)
	_, err = s.Update(Companies, 9999, map[string]any{"name": "x"})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "NotFound: company 9999 not found", ae.Error())
	_, err = s.Seed("nope", map[string]any{})
	assert.Error(t, err)
}

func TestOrderByKinds(t *testing.T) {
	s, c := setup(t)
	for i, v := range []map[string]any{
		{"annualRevenue": 30.5, "leadFlag": true}, {"annualRevenue": 10, "leadFlag": false}, {"leadFlag": true}, {"annualRevenue": 20, "leadFlag": false},
	} {
		v["identifier"], v["name"], v["city"] = "I"+string(rune('a'+i)), "N", "X"
		_, err := s.Seed(Companies, v)
		require.NoError(t, err)
	}
	ids := func(order string) []int {
		var out []int
		for _, r := range c.do("GET", "company/companies?orderBy="+url.QueryEscape(order), nil).list(t) {
			out = append(out, num(r.(map[string]any)["id"]))
		}
		return out
	}
	assert.Equal(t, []int{252, 251, 253, 250}, ids("annualRevenue asc"), "nulls first, numbers numerically")
	assert.Equal(t, []int{251, 253, 250, 252}, ids("leadFlag, id"))
	assert.Equal(t, []int{250, 252, 251, 253}, ids("leadFlag desc"))
}

func TestCoerceUDF(t *testing.T) {
	cases := []struct {
		typ  string
		in   any
		want any
		ok   bool
	}{
		{"Number", 3.0, 3.0, true}, {"Number", " 4 ", 4.0, true}, {"Number", "", nil, true}, {"Number", true, nil, false},
		{"Currency", "x", nil, false}, {"Checkbox", true, true, true}, {"Checkbox", "false", false, true},
		{"Checkbox", 1.0, nil, false}, {"Text", 5.0, "5", true}, {"Text", true, "true", true},
		{"Date", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", true}, {"Text", map[string]any{}, nil, false}, {"Text", nil, nil, true},
	}
	for _, tc := range cases {
		got, ok := coerceUDF(tc.typ, tc.in)
		assert.Equal(t, tc.ok, ok, "%s %v", tc.typ, tc.in)
		if ok {
			assert.Equal(t, tc.want, got, "%s %v", tc.typ, tc.in)
		}
	}
}

func TestPatchPaths(t *testing.T) {
	rec := map[string]any{"a": map[string]any{"b": []any{1.0, 2.0, 3.0}}, "s": "x"}
	assert.Empty(t, removePath(rec, []string{"a", "b", "1"}))
	assert.Equal(t, []any{1.0, 3.0}, rec["a"].(map[string]any)["b"])
	assert.NotEmpty(t, removePath(rec, []string{"a", "b", "7"}))
	assert.NotEmpty(t, removePath(rec, []string{"s", "x", "y"}))
	assert.NotEmpty(t, setPath(rec, []string{"s", "x"}, 1, false))
	assert.Empty(t, setPath(rec, []string{"n", "0"}, 1.0, true))
	assert.Equal(t, []any{1.0}, rec["n"])
	assert.Empty(t, setPath(rec, []string{"m", "k"}, "v", false))
	assert.Equal(t, map[string]any{"k": "v"}, rec["m"])
}

func TestCloudflareHTML(t *testing.T) {
	for code, want := range map[int]string{429: "1015", 502: "Bad gateway", 503: "Service unavailable", 504: "Gateway time-out", 522: "522", 500: "Internal server error"} {
		assert.Contains(t, string(CloudflareHTML(code)), want)
	}
}

func TestConcurrentWrites(t *testing.T) {
	s, c := setup(t)
	const n = 40
	ids := make(chan int, n)
	errs := make(chan string, n)
	for i := range n {
		go func() {
			r := c.do("POST", "company/companies", company("C"+strconv.Itoa(i), "N"))
			if r.status != 201 {
				errs <- string(r.body)
				ids <- 0
				return
			}
			var m map[string]any
			_ = json.Unmarshal(r.body, &m)
			ids <- num(m["id"])
		}()
	}
	seen := map[int]bool{}
	for range n {
		id := <-ids
		assert.False(t, seen[id], "id %d twice", id)
		seen[id] = true
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	assert.Equal(t, n, s.Len(Companies))
}

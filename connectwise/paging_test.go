package connectwise

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveCompanies serves n companies with ids 1..n, honouring page/pageSize and
// writing Link headers like the real API (lower-case escapes, trailing slash, another
// host), and asserts that every page re-sends the conditions.
func serveCompanies(t *testing.T, env *testEnv, n int, wantConditions string, link bool) *int {
	calls := new(int)
	env.handle(t, "GET company/companies", func(w http.ResponseWriter, r *http.Request) {
		*calls++
		q := r.URL.Query()
		assert.Equal(t, wantConditions, q.Get("conditions"), "conditions re-sent on every page")
		size, _ := strconv.Atoi(q.Get("pageSize"))
		page, _ := strconv.Atoi(q.Get("page"))
		if page == 0 {
			page = 1
		}
		if size > 1000 {
			writeJSON(w, 400, `{"code":"InvalidObject","message":"pageSize must be 1000 or less"}`)
			return
		}
		start := (page - 1) * size
		var items []string
		for i := start; i < min(start+size, n); i++ {
			items = append(items, fmt.Sprintf(`{"id":%d,"identifier":"C%d","name":"Company %d"}`, i+1, i+1, i+1))
		}
		if link && start+size < n {
			w.Header().Add("Link", fmt.Sprintf(`<https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies/?conditions=x&pageSize=%d&page=%d>; rel="next", <https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies/?pageSize=%d&page=%d>; rel="last"`, size, page+1, size, (n+size-1)/size))
		} else if link {
			w.Header().Add("Link", fmt.Sprintf(`<https://sandbox-na.myconnectwise.net/v4_6_release/apis/3.0/company/companies/?pageSize=%d&page=1>; rel="first"`, size))
		}
		writeJSON(w, 200, "["+strings.Join(items, ",")+"]")
	})
	return calls
}

func TestListIterPastThousand(t *testing.T) {
	for _, link := range []bool{true, false} {
		t.Run(fmt.Sprintf("link=%v", link), func(t *testing.T) {
			env := setup(t)
			calls := serveCompanies(t, env, 2500, `status/name = "Active"`, link)
			var ids []int
			for c, err := range env.client.Companies.ListIter(context.Background(), &ListOptions{Conditions: Eq("status/name", "Active")}) {
				require.NoError(t, err)
				ids = append(ids, c.ID)
			}
			require.Len(t, ids, 2500)
			assert.Equal(t, 1, ids[0])
			assert.Equal(t, 2500, ids[2499])
			assert.Equal(t, 3, *calls)
		})
	}
}

func TestListIterBreakStopsFetching(t *testing.T) {
	env := setup(t)
	calls := serveCompanies(t, env, 2500, "", true)
	n := 0
	for _, err := range env.client.Companies.ListIter(context.Background(), &ListOptions{PageSize: 10}) {
		require.NoError(t, err)
		n++
		if n == 15 {
			break
		}
	}
	assert.Equal(t, 2, *calls)
}

func TestListSinglePage(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET company/companies", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string]string{
			"conditions":            `identifier = "A"`,
			"childConditions":       `types/name = "Client"`,
			"customFieldConditions": `caption = "Tier" AND value = "Gold"`,
			"orderBy":               "id asc",
			"fields":                "id,name",
			"page":                  "3",
			"pageSize":              "50",
		})
		w.Header().Set("Link", `<https://h/v4_6_release/apis/3.0/company/companies?page=4&pageSize=50>; rel="next", <https://h/x?page=2&pageSize=50>; rel="prev", <https://h/x?page=1>; rel="first", <https://h/x?page=9>; rel="last"`)
		writeJSON(w, 200, `[{"id":1}]`)
	})
	items, resp, err := env.client.Companies.List(context.Background(), &ListOptions{
		Conditions: Eq("identifier", "A"), ChildConditions: Eq("types/name", "Client"),
		CustomFieldConditions: CustomFieldCondition("Tier", "Gold"),
		OrderBy:               "id asc", Fields: []string{"id", "name"}, Page: 3, PageSize: 50,
	})
	require.NoError(t, err)
	require.Len(t, items, 1)
	assert.Equal(t, 4, resp.NextPage)
	assert.Equal(t, 2, resp.PrevPage)
	assert.Equal(t, 1, resp.FirstPage)
	assert.Equal(t, 9, resp.LastPage)
}

func TestListRejectsBadOptions(t *testing.T) {
	env := setup(t)
	_, _, err := env.client.Companies.List(context.Background(), &ListOptions{PageSize: 1001})
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, _, err = env.client.Companies.List(context.Background(), &ListOptions{Conditions: Eq("bad field", 1)})
	assert.ErrorIs(t, err, ErrInvalidCondition)
	for _, err := range env.client.Companies.ListIter(context.Background(), &ListOptions{Conditions: Eq("a", `'"`)}) {
		assert.ErrorIs(t, err, ErrInvalidCondition)
	}
	_, _, err = env.client.Companies.Count(context.Background(), &ListOptions{Conditions: In[int]("id")})
	assert.ErrorIs(t, err, ErrInvalidCondition)
}

func TestListIterForwardOnly(t *testing.T) {
	env := setup(t)
	const n = 2100
	env.handle(t, "GET company/contacts", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "forward-only", r.Header.Get("pagination-type"))
		q := r.URL.Query()
		assert.Empty(t, q.Get("page"))
		assert.Equal(t, "lastUpdated >= [2026-01-01T00:00:00Z]", q.Get("conditions"))
		after, _ := strconv.Atoi(q.Get("pageId"))
		size, _ := strconv.Atoi(q.Get("pageSize"))
		var items []string
		last := after
		for id := after + 1; id <= n && len(items) < size; id++ {
			items = append(items, fmt.Sprintf(`{"id":%d}`, id))
			last = id
		}
		if last < n {
			w.Header().Set("Link", fmt.Sprintf(`<https://x/v4_6_release/apis/3.0/company/contacts?pageSize=%d&pageid=%d>; rel="next"`, size, last))
		} else {
			w.Header().Set("Link", `<https://x/v4_6_release/apis/3.0/company/contacts?pageSize=1000>; rel="first"`)
		}
		writeJSON(w, 200, "["+strings.Join(items, ",")+"]")
	})
	since := mustTime(t, "2026-01-01T00:00:00Z")
	count := 0
	for c, err := range env.client.Contacts.ListIter(context.Background(), &ListOptions{Conditions: Ge("lastUpdated", since), ForwardOnly: true}) {
		require.NoError(t, err)
		count++
		assert.Equal(t, count, c.ID)
	}
	assert.Equal(t, n, count)
}

func TestListIterForwardOnlyUnsupported(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET sales/stages", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `[{"id":1,"name":"a"},{"id":2,"name":"b"}]`)
	})
	var gotErr error
	for _, err := range env.client.SalesStages.ListIter(context.Background(), &ListOptions{ForwardOnly: true, PageSize: 2}) {
		if err != nil {
			gotErr = err
		}
	}
	assert.ErrorIs(t, gotErr, ErrForwardOnlyUnsupported)
}

func TestListIterNonAdvancingLink(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET sales/stages", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", `<https://x/sales/stages?page=1&pageSize=1000>; rel="next"`)
		writeJSON(w, 200, `[{"id":1}]`)
	})
	_, err := env.client.SalesStages.All(context.Background(), nil)
	assert.ErrorContains(t, err, "does not advance")
}

func TestListIterForwardOnlyLastFullPageWithoutLink(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET sales/stages", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("pageId") == "" {
			w.Header().Set("Link", `<https://x/sales/stages?pageSize=2&pageId=2>; rel="next"`)
			writeJSON(w, 200, `[{"id":1},{"id":2}]`)
			return
		}
		writeJSON(w, 200, `[{"id":3},{"id":4}]`) // exactly full, no Link: the end
	})
	n := 0
	for _, err := range env.client.SalesStages.ListIter(context.Background(), &ListOptions{ForwardOnly: true, PageSize: 2}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n)
}

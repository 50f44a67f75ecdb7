package hubspot

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOwnersListIterAndGet(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /crm/owners/2026-09", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		assert.Equal(t, "true", q.Get("archived"))
		assert.Equal(t, "50", q.Get("limit"))
		if q.Get("after") == "" {
			writeJSON(w, 200, `{"results":[{"id":"41629779","email":"owner@example.com","type":"PERSON","firstName":"Test","lastName":"Owner","userId":9586504,"userIdIncludingInactive":9586504,"createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2023-08-22T13:40:26.790Z","archived":true,"teams":[{"id":"368389","name":"Sales Team","primary":true}]}],"paging":{"next":{"after":"2"}}}`)
			return
		}
		writeJSON(w, 200, `{"results":[{"id":"42103462","email":"gone@example.com","type":"PERSON","firstName":"","lastName":"","userId":null,"userIdIncludingInactive":9685555,"archived":true}]}`)
	})
	mux.HandleFunc("GET /crm/owners/2026-09/41629779", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":"41629779","email":"owner@example.com"}`)
	})
	var owners []*Owner
	for o, err := range c.Owners.ListIter(context.Background(), &OwnerListOptions{Archived: true, Limit: 50}) {
		require.NoError(t, err)
		owners = append(owners, o)
	}
	require.Len(t, owners, 2)
	assert.Equal(t, int64(9586504), *owners[0].UserID)
	assert.True(t, owners[0].Teams[0].Primary)
	assert.Nil(t, owners[1].UserID)
	assert.Equal(t, int64(9685555), *owners[1].UserIDIncludingInactive)

	o, _, err := c.Owners.Get(context.Background(), "41629779")
	require.NoError(t, err)
	assert.Equal(t, "owner@example.com", o.Email)
	_, _, err = c.Owners.Get(context.Background(), "")
	require.Error(t, err)
}

func TestOwnersByEmailLegacy(t *testing.T) {
	c, mux, _ := setup(t, WithAPIVersion(VersionLegacy))
	mux.HandleFunc("GET /crm/v3/owners", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{"email": {"owner@example.com"}})
		writeJSON(w, 200, `{"results":[{"id":"1"}]}`)
	})
	os, _, err := c.Owners.List(context.Background(), &OwnerListOptions{Email: "owner@example.com"})
	require.NoError(t, err)
	assert.Len(t, os, 1)
}

func TestPipelines(t *testing.T) {
	c, mux, _ := setup(t)
	pipeline := `{"label":"Sales Pipeline","displayOrder":0,"id":"default","stages":[
		{"label":"Appointment Scheduled","displayOrder":0,"metadata":{"isClosed":"false","probability":"0.2"},"id":"appointmentscheduled","createdAt":"1970-01-01T00:00:00Z","updatedAt":"1970-01-01T00:00:00Z","writePermissions":"CRM_PERMISSIONS_ENFORCEMENT","archived":false},
		{"label":"Closed Won","displayOrder":5,"metadata":{"isClosed":"true","probability":"1.0"},"id":"closedwon","archived":false}],
		"createdAt":"1970-01-01T00:00:00Z","updatedAt":"1970-01-01T00:00:00Z","archived":false}`
	mux.HandleFunc("GET /crm/pipelines/2026-09/deals", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"results":[`+pipeline+`]}`)
	})
	mux.HandleFunc("GET /crm/pipelines/2026-09/deals/default", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, pipeline)
	})
	ps, _, err := c.Pipelines.List(context.Background(), ObjectDeals)
	require.NoError(t, err)
	require.Len(t, ps, 1)
	st := ps[0].Stages
	assert.False(t, st[0].IsClosed())
	p, ok := st[0].Probability()
	assert.True(t, ok)
	assert.InDelta(t, 0.2, p, 1e-9)
	assert.True(t, st[1].IsClosed())
	one, _, err := c.Pipelines.Get(context.Background(), ObjectDeals, "default")
	require.NoError(t, err)
	assert.Equal(t, "Sales Pipeline", one.Label)
	_, _, err = c.Pipelines.List(context.Background(), "")
	require.Error(t, err)
	_, _, err = c.Pipelines.Get(context.Background(), ObjectDeals, "")
	require.Error(t, err)
}

func TestListMemberships(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /crm/lists/2026-09/123/memberships", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "2", r.URL.Query().Get("limit"))
		if r.URL.Query().Get("after") == "" {
			writeJSON(w, 200, `{"results":[{"recordId":"1","membershipTimestamp":"2026-01-01T00:00:00Z"},{"recordId":"5","membershipTimestamp":"2026-01-02T00:00:00Z"}],"paging":{"next":{"after":"AoJ"}},"total":3}`)
			return
		}
		assert.Equal(t, "AoJ", r.URL.Query().Get("after"))
		writeJSON(w, 200, `{"results":[{"recordId":"9","membershipTimestamp":"2026-01-03T00:00:00Z"}],"total":3}`)
	})
	mux.HandleFunc("GET /crm/lists/2026-09/records/0-1/5/memberships", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"results":[{"listId":"123","listVersion":4,"firstAddedTimestamp":"2026-01-02T00:00:00Z","lastAddedTimestamp":"2026-01-02T00:00:00Z","isPublicList":false}],"total":1}`)
	})
	var ids []string
	for m, err := range c.Lists.MembershipsIter(context.Background(), "123", &MembershipListOptions{Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, m.RecordID)
	}
	assert.Equal(t, []string{"1", "5", "9"}, ids)
	ls, _, err := c.Lists.RecordMemberships(context.Background(), TypeIDContacts, "5")
	require.NoError(t, err)
	assert.Equal(t, "123", ls[0].ListID)
	_, _, err = c.Lists.Memberships(context.Background(), "", nil)
	require.Error(t, err)
}

func TestListMembershipsLegacyPath(t *testing.T) {
	c, mux, _ := setup(t, WithAPIVersion(VersionLegacy))
	mux.HandleFunc("GET /crm/v3/lists/7/memberships", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"results":[]}`)
	})
	_, _, err := c.Lists.Memberships(context.Background(), "7", nil)
	require.NoError(t, err)
}

func TestListGetAndGetByName(t *testing.T) {
	c, mux, _ := setup(t)
	list := `{"list":{"listId":"123","listVersion":2,"name":"MSP customers","objectTypeId":"0-2","processingStatus":"COMPLETE","processingType":"DYNAMIC","size":330,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-02-01T00:00:00Z","filterBranch":{"filterBranchType":"OR"}}}`
	mux.HandleFunc("GET /crm/lists/2026-09/123", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, list) })
	mux.HandleFunc("GET /crm/lists/2026-09/object-type-id/{type}/name/{name}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "0-2", r.PathValue("type"))
		assert.Equal(t, "MSP customers", r.PathValue("name"))
		writeJSON(w, 200, list)
	})
	l, _, err := c.Lists.Get(context.Background(), "123")
	require.NoError(t, err)
	assert.Equal(t, "DYNAMIC", l.ProcessingType)
	assert.Equal(t, int64(330), l.Size)
	l, _, err = c.Lists.GetByName(context.Background(), TypeIDCompanies, "MSP customers")
	require.NoError(t, err)
	assert.Equal(t, "123", l.ListID)
	_, _, err = c.Lists.Get(context.Background(), "")
	require.Error(t, err)
	_, _, err = c.Lists.GetByName(context.Background(), "", "x")
	require.Error(t, err)
}

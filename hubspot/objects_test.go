package hubspot

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetByIDPropertyWithHistoryAndAssociations(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/crm/objects/2026-09/contacts/{id}", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		assert.Equal(t, "a@b.c", r.PathValue("id"))
		testQuery(t, r, url.Values{"idProperty": {"email"}, "properties": {"email,firstname"}, "propertiesWithHistory": {"lifecyclestage"}, "associations": {"companies"}, "archived": {"true"}})
		writeJSON(w, 200, `{"id":"42","properties":{"email":"a@b.c","firstname":null},
			"propertiesWithHistory":{"lifecyclestage":[{"value":"lead","timestamp":"2025-11-03T23:36:13.632Z","sourceType":"API","sourceId":"app"}]},
			"associations":{"companies":{"results":[{"id":"9","type":"contact_to_company"}]}},
			"createdAt":"2025-11-03T23:36:13.632Z","updatedAt":"2025-11-04T01:00:00Z","archived":true,"archivedAt":"2025-11-05T00:00:00Z"}`)
	})
	obj, resp, err := c.Contacts.Get(context.Background(), "a@b.c", &GetOptions{
		IDProperty: "email", Properties: []string{"email", "firstname"}, PropertiesWithHistory: []string{"lifecyclestage"},
		Associations: []string{"companies"}, Archived: true,
	})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "42", obj.ID)
	assert.Equal(t, "a@b.c", obj.Get("email"))
	assert.Equal(t, "", obj.Get("firstname"))
	assert.Equal(t, "lead", obj.PropertiesWithHistory["lifecyclestage"][0].Value)
	assert.Equal(t, "9", obj.Associations["companies"].Results[0].ID)
	assert.True(t, obj.Archived)
	require.NotNil(t, obj.ArchivedAt)
	assert.Equal(t, time.Date(2025, 11, 3, 23, 36, 13, 632e6, time.UTC), obj.CreatedAt)
}

func TestGetEmptyIDIsRejected(t *testing.T) {
	c, _, _ := setup(t)
	_, _, err := c.Contacts.Get(context.Background(), "", nil)
	require.Error(t, err)
}

func TestCreate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/deals", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Content-Type", "application/json")
		testJSONBody(t, r, `{"properties":{"dealname":"Renewal","pipeline":"default","dealstage":"appointmentscheduled"},
			"associations":[{"to":{"id":"77"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":341}]}]}`)
		writeJSON(w, 201, `{"id":"1001","properties":{"dealname":"Renewal"},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","archived":false}`)
	})
	obj, resp, err := c.Deals.Create(context.Background(), &ObjectCreateRequest{
		Properties:   map[string]string{"dealname": "Renewal", "pipeline": "default", "dealstage": "appointmentscheduled"},
		Associations: []CreateAssociation{{To: AssociationTarget{ID: "77"}, Types: []AssociationSpec{DefinedType(DealToCompany)}}},
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "1001", obj.ID)

	_, _, err = c.Deals.Create(context.Background(), nil)
	require.Error(t, err)
}

func TestCreateNilPropertiesSendsEmptyObject(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/companies", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"properties":{}}`)
		writeJSON(w, 201, `{"id":"1"}`)
	})
	_, _, err := c.Companies.Create(context.Background(), &ObjectCreateRequest{})
	require.NoError(t, err)
}

func TestUpdate(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("PATCH /crm/objects/2026-09/companies/{id}", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "CW-17", r.PathValue("id"))
		testQuery(t, r, url.Values{"idProperty": {"cw_company_id"}})
		testJSONBody(t, r, `{"properties":{"name":"Acme","phone":""}}`)
		writeJSON(w, 200, `{"id":"5","properties":{"name":"Acme"}}`)
	})
	obj, _, err := c.Companies.Update(context.Background(), "CW-17", map[string]string{"name": "Acme", "phone": ""}, &UpdateOptions{IDProperty: "cw_company_id"})
	require.NoError(t, err)
	assert.Equal(t, "Acme", obj.Get("name"))
	_, _, err = c.Companies.Update(context.Background(), "", nil, nil)
	require.Error(t, err)
}

func TestArchive(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("DELETE /crm/objects/2026-09/tickets/8", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	resp, err := c.Tickets.Archive(context.Background(), "8")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = c.Tickets.Archive(context.Background(), "")
	require.Error(t, err)
}

func TestMergeFollowsNewID(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/merge", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"primaryObjectId":"1","objectIdToMerge":"2"}`)
		writeJSON(w, 200, `{"id":"3","properties":{"hs_merged_object_ids":"1;2"}}`)
	})
	obj, _, err := c.Contacts.Merge(context.Background(), "1", "2")
	require.NoError(t, err)
	assert.Equal(t, "3", obj.ID)
	assert.Equal(t, []string{"1", "2"}, ParseMultiSelect(obj.Get("hs_merged_object_ids")))
	_, _, err = c.Contacts.Merge(context.Background(), "1", "")
	require.Error(t, err)
}

func TestListAndListIter(t *testing.T) {
	c, mux, _ := setup(t)
	pages := map[string]string{
		"":    `{"results":[{"id":"1"},{"id":"2"}],"paging":{"next":{"after":"3","link":"https://api.hubapi.com/x?after=3"}}}`,
		"3":   `{"results":[{"id":"3"}],"paging":{"next":{"after":"394"}}}`,
		"394": `{"results":[{"id":"394"}]}`,
	}
	var seen []string
	mux.HandleFunc("GET /crm/objects/2026-09/products", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		assert.Equal(t, "100", q.Get("limit"))
		assert.Equal(t, "name,price", q.Get("properties"))
		assert.Equal(t, "true", q.Get("archived"))
		seen = append(seen, q.Get("after"))
		writeJSON(w, 200, pages[q.Get("after")])
	})
	var ids []string
	for obj, err := range c.Products.ListIter(context.Background(), &ListOptions{Properties: []string{"name", "price"}, Archived: true}) {
		require.NoError(t, err)
		ids = append(ids, obj.ID)
	}
	assert.Equal(t, []string{"1", "2", "3", "394"}, ids)
	assert.Equal(t, []string{"", "3", "394"}, seen)

	seen = nil
	for obj := range c.Products.ListIter(context.Background(), &ListOptions{Properties: []string{"name", "price"}, Archived: true}) {
		if obj.ID == "2" {
			break
		}
	}
	assert.Equal(t, []string{""}, seen, "break stops paging")

	page, resp, err := c.Products.List(context.Background(), &ListOptions{Limit: 100, Properties: []string{"name", "price"}, Archived: true})
	require.NoError(t, err)
	assert.Len(t, page, 2)
	assert.Equal(t, "3", resp.NextAfter)

	_, _, err = c.Products.List(context.Background(), &ListOptions{Limit: 101})
	require.Error(t, err)
}

func TestListIterYieldsErrorOnce(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /crm/objects/2026-09/line_items", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, `{"status":"error","message":"scopes","category":"MISSING_SCOPES"}`)
	})
	n := 0
	for obj, err := range c.LineItems.ListIter(context.Background(), nil) {
		n++
		assert.Nil(t, obj)
		assert.ErrorIs(t, err, ErrForbidden)
	}
	assert.Equal(t, 1, n)
}

func TestCustomObjectAndLegacyPaths(t *testing.T) {
	c, mux, _ := setup(t, WithAPIVersion(VersionLegacy))
	mux.HandleFunc("GET /crm/v3/objects/2-3456/77", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":"77"}`)
	})
	obj, _, err := c.Objects("2-3456").Get(context.Background(), "77", nil)
	require.NoError(t, err)
	assert.Equal(t, "77", obj.ID)
}

func TestGDPRDelete(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/gdpr-delete", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"objectId":"jane@example.com","idProperty":"email"}`)
		w.WriteHeader(204)
	})
	resp, err := c.Contacts.GDPRDelete(context.Background(), "jane@example.com", "email")
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	_, err = c.Contacts.GDPRDelete(context.Background(), "", "")
	require.Error(t, err)
}

func TestRawNewRequestAndDo(t *testing.T) {
	c, mux, _ := setup(t)
	var calls int
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/read", func(w http.ResponseWriter, r *http.Request) {
		calls++
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		if calls == 1 {
			writeJSON(w, 503, `{}`)
			return
		}
		testJSONBody(t, r, `{"inputs":[{"id":"1"}],"properties":[]}`)
		writeJSON(w, 200, `{"status":"COMPLETE","results":[{"id":"1"}]}`)
	})
	body := map[string]any{"inputs": []map[string]string{{"id": "1"}}, "properties": []string{}}
	req, err := c.NewRequest(MarkIdempotent(context.Background()), http.MethodPost, "/crm/objects/2026-09/contacts/batch/read", nil, body)
	require.NoError(t, err)
	var out struct {
		Results []Object `json:"results"`
	}
	_, err = c.Do(req, &out)
	require.NoError(t, err)
	assert.Equal(t, 2, calls, "marked idempotent, so the 503 was retried")
	assert.Equal(t, "1", out.Results[0].ID)
}

func TestLastModifiedProperty(t *testing.T) {
	assert.Equal(t, "lastmodifieddate", LastModifiedProperty(ObjectContacts))
	assert.Equal(t, "lastmodifieddate", LastModifiedProperty(TypeIDContacts))
	assert.Equal(t, "hs_lastmodifieddate", LastModifiedProperty(ObjectCompanies))
	assert.Equal(t, "hs_lastmodifieddate", LastModifiedProperty("2-1234"))
}

package connectwise

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompanyTypeAssociations(t *testing.T) {
	env := setup(t)
	ctx := context.Background()
	env.handle(t, "GET company/companies/310/typeAssociations", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string]string{"pageSize": "1000"})
		writeJSON(w, 200, `[{"id":91,"type":{"id":1,"name":"Client","_info":{"type_href":"x"}},"company":{"id":310,"identifier":"NorthwindTr","name":"Northwind"},"_info":{"lastUpdated":"2026-05-02T08:00:00Z"}},
			{"id":92,"type":{"id":5,"name":"Prospect"},"company":{"id":310}}]`)
	})
	var posted, deleted []string
	env.handle(t, "POST company/companies/310/typeAssociations", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"type":{"id":3},"company":{"id":310}}`)
		posted = append(posted, "3")
		writeJSON(w, 201, `{"id":93,"type":{"id":3,"name":"Partner"},"company":{"id":310}}`)
	})
	env.handle(t, "DELETE company/companies/310/typeAssociations/{aid}", func(w http.ResponseWriter, r *http.Request) {
		deleted = append(deleted, r.PathValue("aid"))
		w.WriteHeader(http.StatusNoContent)
	})

	as, _, err := env.client.Companies.TypeAssociations(ctx, 310)
	require.NoError(t, err)
	require.Len(t, as, 2)
	assert.Equal(t, 91, as[0].ID)
	assert.Equal(t, "Client", *as[0].Type.Name)

	a, _, err := env.client.Companies.AddType(ctx, 310, 3)
	require.NoError(t, err)
	assert.Equal(t, 93, a.ID)

	// Keep 1, add 3, drop 5 (association 92): added before anything is removed.
	posted = nil
	require.NoError(t, env.client.Companies.SetTypes(ctx, 310, 1, 3))
	assert.Equal(t, []string{"3"}, posted)
	assert.Equal(t, []string{"92"}, deleted)

	// Already as wanted: no writes.
	posted, deleted = nil, nil
	require.NoError(t, env.client.Companies.SetTypes(ctx, 310, 5, 1))
	assert.Empty(t, posted)
	assert.Empty(t, deleted)
}

func TestContactTypeAssociations(t *testing.T) {
	env := setup(t)
	ctx := context.Background()
	env.handle(t, "GET company/contacts/9001/typeAssociations", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string]string{"pageSize": "1000"})
		writeJSON(w, 200, `[{"id":7,"type":{"id":2,"name":"End User"},"contact":{"id":9001,"name":"Ada Okafor"}}]`)
	})
	env.handle(t, "POST company/contacts/9001/typeAssociations", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"type":{"id":1},"contact":{"id":9001}}`)
		writeJSON(w, 201, `{"id":8,"type":{"id":1},"contact":{"id":9001}}`)
	})
	var deleted []string
	env.handle(t, "DELETE company/contacts/9001/typeAssociations/{aid}", func(w http.ResponseWriter, r *http.Request) {
		deleted = append(deleted, r.PathValue("aid"))
		w.WriteHeader(http.StatusNoContent)
	})
	require.NoError(t, env.client.Contacts.SetTypes(ctx, 9001, 1))
	assert.Equal(t, []string{"7"}, deleted)
}

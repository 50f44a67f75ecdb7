package connectwise

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLookupServices checks the path, Get, List, Count and All of every lookup.
func TestLookupServices(t *testing.T) {
	env := setup(t)
	c := env.client
	type lookup interface {
		Path() string
	}
	services := map[string]lookup{
		"company/companies/statuses":   c.CompanyStatuses,
		"company/companies/types":      c.CompanyTypes,
		"company/communicationTypes":   c.CommunicationTypes,
		"company/contacts/types":       c.ContactTypes,
		"sales/stages":                 c.SalesStages,
		"sales/opportunities/statuses": c.OpportunityStatuses,
		"system/members":               c.Members,
		"system/userDefinedFields":     c.UserDefinedFields,
		"service/boards":               c.Boards,
		"service/priorities":           c.TicketPriorities,
		"company/companies":            &c.Companies.LookupService,
		"company/contacts":             &c.Contacts.LookupService,
		"sales/opportunities":          &c.Opportunities.LookupService,
		"service/tickets":              &c.Tickets.LookupService,
		"procurement/catalog":          &c.CatalogItems.LookupService,
		"system/callbacks":             &c.Callbacks.LookupService,
	}
	for path, s := range services {
		assert.Equal(t, path, s.Path())
		env.handle(t, "GET "+path, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `[{"id":1,"name":"One","description":"One","identifier":"one","caption":"One"},{"id":2,"name":"Two"}]`)
		})
		env.handle(t, "GET "+path+"/count", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `{"count":2}`) })
		env.handle(t, "GET "+path+"/{id}", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"id":`+r.PathValue("id")+`,"name":"x"}`)
		})
	}
	ctx := context.Background()

	st, _, err := c.CompanyStatuses.Get(ctx, 5)
	require.NoError(t, err)
	assert.Equal(t, 5, st.ID)
	all, err := c.OpportunityStatuses.All(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, all, 2)
	n, _, err := c.Members.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	types, _, err := c.CompanyTypes.List(ctx, &ListOptions{PageSize: 5})
	require.NoError(t, err)
	assert.Equal(t, "One", types[0].Name)
	ct, err := c.ContactTypes.All(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "One", ct[0].Description)
	stages, err := c.SalesStages.All(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "Two", stages[1].Name)
	m, _, err := c.Members.Get(ctx, 3)
	require.NoError(t, err)
	assert.Equal(t, 3, m.ID)
	udf, err := c.UserDefinedFields.All(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "One", udf[0].Caption)
	b, err := c.Boards.All(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, b, 2)
	p, _, err := c.TicketPriorities.Get(ctx, 4)
	require.NoError(t, err)
	assert.Equal(t, 4, p.ID)
	cts, err := c.CommunicationTypes.All(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, cts, 2)
}

func TestUserDefinedFieldsListing(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET system/userDefinedFields", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string]string{"conditions": `screenId = "ct300"`, "page": "1", "pageSize": "1000"})
		writeJSON(w, 200, fixture(t, "userdefinedfields.json"))
	})
	defs, err := env.client.UserDefinedFields.All(context.Background(), &ListOptions{Conditions: Eq("screenId", "ct300")})
	require.NoError(t, err)
	require.Len(t, defs, 2)
	assert.Equal(t, "hubspot_contact_id", defs[0].Caption)
	assert.Equal(t, 4, *defs[0].PodID)
	require.Len(t, defs[1].Options, 2)
	assert.True(t, defs[1].Options[1].DefaultFlag)
	assert.Equal(t, "List", *defs[1].EntryTypeIdentifier)
}

func TestGetMany(t *testing.T) {
	env := setup(t)
	var conds []string
	env.handle(t, "GET company/contacts", func(w http.ResponseWriter, r *http.Request) {
		conds = append(conds, r.URL.Query().Get("conditions"))
		assert.Equal(t, "1000", r.URL.Query().Get("pageSize"))
		writeJSON(w, 200, `[{"id":1},{"id":2}]`)
	})
	ids := make([]int, 0, 250)
	for i := 1; i <= 250; i++ {
		ids = append(ids, i, i) // duplicates asked once
	}
	n := 0
	for _, err := range env.client.Contacts.GetMany(context.Background(), ids, &ListOptions{Conditions: Eq("inactiveFlag", false)}) {
		require.NoError(t, err)
		n++
	}
	require.Len(t, conds, 3)
	assert.Equal(t, 6, n)
	assert.True(t, strings.HasPrefix(conds[0], "inactiveFlag = false AND id in (1, 2, 3, "), conds[0])
	assert.True(t, strings.HasSuffix(conds[0], ", 100)"), conds[0])
	assert.True(t, strings.HasSuffix(conds[2], "id in (201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250)"), conds[2])
	assert.Less(t, len(conds[0])*3, 2000, "encoded URL stays short")

	c, err := Eq("x", 1).Build()
	require.NoError(t, err)
	u, err := UpdatedSince(mustTime(t, "2026-01-01T00:00:00Z")).Build()
	require.NoError(t, err)
	assert.Equal(t, "x = 1", c)
	assert.Equal(t, "lastUpdated >= [2026-01-01T00:00:00Z]", u)
}

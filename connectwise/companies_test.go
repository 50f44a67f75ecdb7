package connectwise

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestCompaniesCRUD(t *testing.T) {
	env := setup(t)
	ctx := context.Background()
	env.handle(t, "GET company/companies/310", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, fixture(t, "company.json"))
	})
	env.handle(t, "POST company/companies", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"identifier":"NorthwindTr","name":"Northwind Traders","addressLine1":"12 Harbour Road","status":{"id":1},"types":[{"id":1}]}`)
		writeJSON(w, 201, fixture(t, "company.json"))
	})
	env.handle(t, "PUT company/companies/310", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"id":310,"identifier":"NorthwindTr","name":"Northwind Traders Ltd"}`)
		writeJSON(w, 200, fixture(t, "company.json"))
	})
	env.handle(t, "PATCH company/companies/310", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `[{"op":"replace","path":"/name","value":"N2"},{"op":"replace","path":"/customFields","value":[{"id":4,"value":"Gold"},{"id":11,"value":null}]}]`)
		writeJSON(w, 200, fixture(t, "company.json"))
	})
	env.handle(t, "DELETE company/companies/310", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodDelete)
		w.WriteHeader(http.StatusNoContent)
	})
	env.handle(t, "GET company/companies/count", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string]string{"conditions": `deletedFlag = false`})
		writeJSON(w, 200, `{"count": 1234}`)
	})

	c, _, err := env.client.Companies.Get(ctx, 310)
	require.NoError(t, err)
	assert.Equal(t, "Northwind Traders", *c.Name)

	created, resp, err := env.client.Companies.Create(ctx, &Company{
		Identifier: Ptr("NorthwindTr"), Name: Ptr("Northwind Traders"), AddressLine1: Ptr("12 Harbour Road"),
		Status: Ref(1), Types: []Reference{{ID: 1}},
	})
	require.NoError(t, err)
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, 310, created.ID)

	_, _, err = env.client.Companies.Update(ctx, 310, &Company{ID: 310, Identifier: Ptr("NorthwindTr"), Name: Ptr("Northwind Traders Ltd")})
	require.NoError(t, err)

	vals, err := c.CustomFields.Values(map[string]any{"Tier": "Gold", "seats": nil})
	require.NoError(t, err)
	_, _, err = env.client.Companies.Patch(ctx, 310, Replace("name", "N2"), SetCustomFields(vals...))
	require.NoError(t, err)
	_, err = c.CustomFields.Values(map[string]any{"Nope": 1})
	assert.ErrorContains(t, err, `"Nope"`)

	resp, err = env.client.Companies.Delete(ctx, 310)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)

	n, _, err := env.client.Companies.Count(ctx, &ListOptions{Conditions: Eq("deletedFlag", false), Page: 4, PageSize: 10})
	require.NoError(t, err)
	assert.Equal(t, 1234, n)

	_, _, err = env.client.Companies.Patch(ctx, 310)
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

func TestCompaniesGetByIdentifier(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET company/companies", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string]string{"conditions": `identifier = "O'Neil [UK]"`, "pageSize": "2"})
		if r.URL.Query().Get("conditions") == `identifier = "O'Neil [UK]"` {
			writeJSON(w, 200, `[{"id":5,"identifier":"O'Neil [UK]"}]`)
			return
		}
		writeJSON(w, 200, `[]`)
	})
	c, _, err := env.client.Companies.GetByIdentifier(context.Background(), "O'Neil [UK]")
	require.NoError(t, err)
	assert.Equal(t, 5, c.ID)

	env2 := setup(t)
	env2.handle(t, "GET company/companies", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, `[]`) })
	_, _, err = env2.client.Companies.GetByIdentifier(context.Background(), "missing")
	assert.ErrorIs(t, err, ErrNotFound)
	assert.ErrorContains(t, err, `no company with identifier "missing"`)
}

func TestCompanyDuplicateIsConflict(t *testing.T) {
	env := setup(t)
	env.handle(t, "POST company/companies", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, fixture(t, "error-400-objectexists.json"))
	})
	_, _, err := env.client.Companies.Create(context.Background(), &Company{Identifier: Ptr("NorthwindTr"), Name: Ptr("x")})
	assert.ErrorIs(t, err, ErrConflict)
	assert.ErrorIs(t, err, ErrValidation)
	assert.ErrorContains(t, err, "identifier: The identifier is already in use. [ObjectExists]")
}

package connectwise

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTicketsAndBoards(t *testing.T) {
	env := setup(t)
	ctx := context.Background()
	env.handle(t, "POST service/tickets", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"summary":"Printer down","board":{"id":1},"company":{"id":310},"priority":{"id":3},"initialDescription":"It is on fire"}`)
		writeJSON(w, 201, `{"id":77,"summary":"Printer down","board":{"id":1,"name":"Help Desk"},"status":{"id":10,"name":"New"},"stateIdentifier":"WY","_info":{"lastUpdated":"2026-05-05T00:00:00Z"}}`)
	})
	env.handle(t, "GET service/boards/1/statuses", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `[{"id":10,"name":"New","board":{"id":1},"defaultFlag":true},{"id":11,"name":"Closed","closedStatus":true}]`)
	})
	tk, _, err := env.client.Tickets.Create(ctx, &Ticket{Summary: Ptr("Printer down"), Board: Ref(1), Company: Ref(310), Priority: Ref(3), InitialDescription: Ptr("It is on fire")})
	require.NoError(t, err)
	assert.Equal(t, "New", *tk.Status.Name)
	assert.Equal(t, "WY", *tk.StateIdentifier)
	var closed []string
	for s, err := range env.client.Tickets.BoardStatuses(ctx, 1, nil) {
		require.NoError(t, err)
		if s.ClosedStatus {
			closed = append(closed, s.Name)
		}
	}
	assert.Equal(t, []string{"Closed"}, closed)
}

func TestCatalogItems(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET procurement/catalog/71", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":71,"identifier":"ONB-1","description":"Onboarding","price":1500.00,"cost":200,"customerDescription":"Onboarding","subcategory":{"id":2},"type":{"id":1},"unitOfMeasure":{"id":1},"customFields":[]}`)
	})
	env.handle(t, "PATCH procurement/catalog/71", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `[{"op":"replace","path":"/price","value":1600},{"op":"replace","path":"/customFields","value":[]}]`)
		writeJSON(w, 200, `{"id":71,"price":1600}`)
	})
	it, _, err := env.client.CatalogItems.Get(context.Background(), 71)
	require.NoError(t, err)
	assert.Equal(t, "ONB-1", *it.Identifier)
	it, _, err = env.client.CatalogItems.Patch(context.Background(), 71, Replace("price", 1600))
	require.NoError(t, err)
	assert.InDelta(t, 1600, *it.Price, 0.001)
}

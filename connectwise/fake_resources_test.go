package connectwise_test

import (
	"context"
	"testing"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFakeLookups(t *testing.T) {
	_, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	statuses, err := c.OpportunityStatuses.All(ctx, nil)
	require.NoError(t, err)
	var won []string
	for _, s := range statuses {
		if s.WonFlag {
			won = append(won, s.Name)
		}
	}
	assert.Equal(t, []string{"Won"}, won)
	stages, err := c.SalesStages.All(ctx, &connectwise.ListOptions{OrderBy: "sequenceNumber desc"})
	require.NoError(t, err)
	require.NotEmpty(t, stages)
	assert.Equal(t, "Negotiation", stages[0].Name)
	members, err := c.Members.All(ctx, &connectwise.ListOptions{Conditions: connectwise.Eq("identifier", "jsmith")})
	require.NoError(t, err)
	require.Len(t, members, 1)
	assert.Equal(t, "jsmith@example.com", *members[0].PrimaryEmail)
	udfs, err := c.UserDefinedFields.All(ctx, &connectwise.ListOptions{Conditions: connectwise.Eq("screenId", "ct300")})
	require.NoError(t, err)
	assert.Len(t, udfs, 2)
	n, _, err := c.CompanyTypes.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	ct, _, err := c.ContactTypes.Get(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, "End User", ct.Description)
	cs, _, err := c.CompanyStatuses.Get(ctx, 2)
	require.NoError(t, err)
	assert.True(t, cs.InactiveFlag)
	info, _, err := c.System.Info(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, info.Version)
}

func TestFakeOpportunityForecast(t *testing.T) {
	for _, asArray := range []bool{false, true} {
		_, c, _ := fakeClient(t, connectwisetest.Options{ForecastAsArray: asArray})
		ctx := context.Background()
		co, _, err := c.Companies.Create(ctx, &connectwise.Company{Identifier: connectwise.Ptr("FC"), Name: connectwise.Ptr("Forecast Co"), AddressLine1: connectwise.Ptr("1 Road")})
		require.NoError(t, err)
		ct, _, err := c.Contacts.Create(ctx, &connectwise.Contact{FirstName: connectwise.Ptr("Fo"), Company: connectwise.Ref(co.ID)})
		require.NoError(t, err)
		opp, _, err := c.Opportunities.Create(ctx, &connectwise.Opportunity{Name: connectwise.Ptr("Deal"), Company: connectwise.Ref(co.ID),
			Contact: connectwise.Ref(ct.ID), PrimarySalesRep: connectwise.Ref(244)})
		require.NoError(t, err)
		_, _, err = c.Opportunities.Create(ctx, &connectwise.Opportunity{Name: connectwise.Ptr("No rep"), Company: connectwise.Ref(co.ID), Contact: connectwise.Ref(ct.ID)})
		assert.ErrorIs(t, err, connectwise.ErrValidation)

		it, _, err := c.Opportunities.CreateForecastItem(ctx, opp.ID, &connectwise.ForecastItem{Opportunity: connectwise.Ref(opp.ID), Status: connectwise.Ref(1),
			ForecastType: connectwise.Ptr("Service"), Revenue: connectwise.Ptr(1200.0), Cost: connectwise.Ptr(400.0), IncludeFlag: connectwise.Ptr(true)})
		require.NoError(t, err)
		_, _, err = c.Opportunities.PatchForecastItem(ctx, opp.ID, it.ID, connectwise.Replace("revenue", 1500))
		require.NoError(t, err)
		var total float64
		for fi, err := range c.Opportunities.ForecastItems(ctx, opp.ID) {
			require.NoError(t, err)
			total += *fi.Revenue
		}
		assert.Equal(t, 1500.0, total, "asArray=%v", asArray)
		_, err = c.Opportunities.DeleteForecastItem(ctx, opp.ID, it.ID)
		require.NoError(t, err)
		f, _, err := c.Opportunities.Forecast(ctx, opp.ID)
		require.NoError(t, err)
		assert.Empty(t, f.ForecastItems)

		vals, err := opp.CustomFields.Values(map[string]any{"hubspot_deal_id": 18200391})
		require.NoError(t, err)
		got, _, err := c.Opportunities.Patch(ctx, opp.ID, connectwise.SetCustomFields(vals...))
		require.NoError(t, err)
		deal, _ := got.CustomFields.ByCaption("hubspot_deal_id")
		dealID, _ := deal.Float()
		assert.Equal(t, 18200391.0, dealID)
		found := 0
		for _, err := range c.Opportunities.ListIter(ctx, &connectwise.ListOptions{CustomFieldConditions: connectwise.CustomFieldCondition("hubspot_deal_id", 18200391)}) {
			require.NoError(t, err)
			found++
		}
		assert.Equal(t, 1, found)
	}
}

func TestFakeTicketsCatalogCallbacks(t *testing.T) {
	srv, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	co, _, err := c.Companies.Create(ctx, &connectwise.Company{Identifier: connectwise.Ptr("TK"), Name: connectwise.Ptr("Ticket Co"), AddressLine1: connectwise.Ptr("1 Road")})
	require.NoError(t, err)
	tk, _, err := c.Tickets.Create(ctx, &connectwise.Ticket{Summary: connectwise.Ptr("Printer"), Board: connectwise.Ref(2), Company: connectwise.Ref(co.ID)})
	require.NoError(t, err)
	assert.Equal(t, "Printer", *tk.Summary)
	var closed []string
	for s, err := range c.Tickets.BoardStatuses(ctx, 2, nil) {
		require.NoError(t, err)
		if s.ClosedStatus {
			closed = append(closed, s.Name)
		}
	}
	assert.Equal(t, []string{"Resolved"}, closed)
	pr, err := c.TicketPriorities.All(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, pr, 3)
	boards, err := c.Boards.All(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, boards, 2)

	_, err = srv.Seed(connectwisetest.Catalog, map[string]any{"identifier": "ONB-1", "description": "Onboarding", "customerDescription": "Onboarding", "price": 1500})
	require.NoError(t, err)
	var items []*connectwise.CatalogItem
	for it, err := range c.CatalogItems.ListIter(ctx, &connectwise.ListOptions{Conditions: connectwise.Eq("identifier", "ONB-1")}) {
		require.NoError(t, err)
		items = append(items, it)
	}
	require.Len(t, items, 1)
	assert.Equal(t, 1500.0, *items[0].Price)

	cb, _, err := c.Callbacks.Create(ctx, &connectwise.CallbackEntry{URL: "https://hooks.example.com/cw?recordId=", ObjectID: 1, Type: "ticket", Level: "owner"})
	require.NoError(t, err)
	_, _, err = c.Callbacks.Create(ctx, &connectwise.CallbackEntry{URL: "https://hooks.example.com/cw?recordId=", ObjectID: 1, Type: "ticket", Level: "owner"})
	assert.ErrorIs(t, err, connectwise.ErrConflict)
	all, err := c.Callbacks.All(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, all, 1)
	_, err = c.Callbacks.Delete(ctx, cb.ID)
	require.NoError(t, err)
	n, _, err := c.Callbacks.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, n)

	// GetMany by ids.
	ids := []int{co.ID, 999999}
	var got []int
	for x, err := range c.Companies.GetMany(ctx, ids, nil) {
		require.NoError(t, err)
		got = append(got, x.ID)
	}
	assert.Equal(t, []int{co.ID}, got)
}

package connectwise

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpportunitiesAndForecast(t *testing.T) {
	env := setup(t)
	ctx := context.Background()
	env.handle(t, "GET sales/opportunities/4401", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, fixture(t, "opportunity.json"))
	})
	env.handle(t, "POST sales/opportunities", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"name":"Deal","primarySalesRep":{"id":17},"company":{"id":310},"contact":{"id":9001},"expectedCloseDate":"2026-07-01T00:00:00Z"}`)
		writeJSON(w, 201, fixture(t, "opportunity.json"))
	})
	env.handle(t, "GET sales/opportunities/4401/forecast", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, fixture(t, "forecast.json"))
	})
	env.handle(t, "GET sales/opportunities/4402/forecast", func(w http.ResponseWriter, r *http.Request) {
		// The spec declares an array of Forecast; accept it as well.
		writeJSON(w, 200, `[{"id":4402,"forecastItems":[{"id":9,"revenue":5}]},{"id":4402,"forecastItems":[{"id":10,"revenue":6}]}]`)
	})
	env.handle(t, "GET sales/opportunities/4401/forecast/1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":1,"revenue":12600.00,"forecastType":"Service"}`)
	})
	env.handle(t, "POST sales/opportunities/4401/forecast", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"status":{"id":1},"forecastType":"Product","revenue":99.5,"includeFlag":true}`)
		writeJSON(w, 201, `{"id":3,"revenue":99.5}`)
	})
	env.handle(t, "PUT sales/opportunities/4401/forecast/3", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"id":3,"revenue":100}`)
		writeJSON(w, 200, `{"id":3,"revenue":100}`)
	})
	env.handle(t, "PATCH sales/opportunities/4401/forecast/3", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `[{"op":"replace","path":"/revenue","value":101}]`)
		writeJSON(w, 200, `{"id":3,"revenue":101}`)
	})
	env.handle(t, "DELETE sales/opportunities/4401/forecast/3", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(204)
	})

	o, _, err := env.client.Opportunities.Get(ctx, 4401)
	require.NoError(t, err)
	assert.Equal(t, "Proposal", *o.Stage.Name)
	id, _ := o.CustomFields.ByCaption("hubspot_deal_id")
	assert.Equal(t, "18200391", id.String())

	_, _, err = env.client.Opportunities.Create(ctx, &Opportunity{Name: Ptr("Deal"), PrimarySalesRep: Ref(17), Company: Ref(310), Contact: Ref(9001),
		ExpectedCloseDate: NewTime(mustTime(t, "2026-07-01T00:00:00Z"))})
	require.NoError(t, err)

	f, _, err := env.client.Opportunities.Forecast(ctx, 4401)
	require.NoError(t, err)
	assert.Len(t, f.ForecastItems, 2)
	assert.InDelta(t, 1500, *f.Totals["productRevenue"].Revenue, 0.01)

	var revs []float64
	for it, err := range env.client.Opportunities.ForecastItems(ctx, 4402) {
		require.NoError(t, err)
		revs = append(revs, *it.Revenue)
	}
	assert.Equal(t, []float64{5, 6}, revs)

	it, _, err := env.client.Opportunities.GetForecastItem(ctx, 4401, 1)
	require.NoError(t, err)
	assert.Equal(t, "Service", *it.ForecastType)
	it, _, err = env.client.Opportunities.CreateForecastItem(ctx, 4401, &ForecastItem{Status: Ref(1), ForecastType: Ptr("Product"), Revenue: Ptr(99.5), IncludeFlag: Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, 3, it.ID)
	_, _, err = env.client.Opportunities.UpdateForecastItem(ctx, 4401, 3, &ForecastItem{ID: 3, Revenue: Ptr(100.0)})
	require.NoError(t, err)
	it, _, err = env.client.Opportunities.PatchForecastItem(ctx, 4401, 3, Replace("revenue", 101))
	require.NoError(t, err)
	assert.InDelta(t, 101, *it.Revenue, 0.001)
	_, _, err = env.client.Opportunities.PatchForecastItem(ctx, 4401, 3)
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = env.client.Opportunities.DeleteForecastItem(ctx, 4401, 3)
	require.NoError(t, err)
}

func TestForecastItemsError(t *testing.T) {
	env := setup(t)
	env.handle(t, "GET sales/opportunities/1/forecast", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, `{"code":"NotFound","message":"Opportunity 1 not found"}`)
	})
	for _, err := range env.client.Opportunities.ForecastItems(context.Background(), 1) {
		assert.ErrorIs(t, err, ErrNotFound)
	}
}

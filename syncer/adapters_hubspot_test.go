package syncer_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/syncer"
)

// The HubSpot change feed passes the search cap by re-querying from the last
// ID, never by paging into HubSpot's 400; every record comes once, in ID order.
func TestHubSpotFeedPassesSearchCap(t *testing.T) {
	clk := newClock()
	srv := hubspottest.NewServer(t, hubspottest.Options{Now: clk.Now, Search: hubspottest.SearchLimits{MaxResults: 30, MaxLimit: 10}})
	c, err := hubspot.NewClient(hubspot.WithBaseURL(srv.URL()), hubspot.WithAccessToken(srv.Token()), hubspot.WithoutRateLimit(),
		hubspot.WithSearchLimits(hubspot.SearchLimits{MaxResults: 30, MaxLimit: 10}))
	require.NoError(t, err)
	var ids []string
	for i := range 75 {
		var in []hubspot.BatchCreateInput
		in = append(in, hubspot.BatchCreateInput{Properties: map[string]string{"name": fmt.Sprintf("Co %d", i)}})
		objs, _, err := c.Companies.BatchCreate(t.Context(), in)
		require.NoError(t, err)
		ids = append(ids, objs[0].ID)
	}
	a := syncer.NewHubSpot(c)
	a.SearchPageSize, a.SearchCap = 10, 30
	var got []string
	for r, err := range a.Modified(t.Context(), "companies", "hs_lastmodifieddate", time.Time{}, clk.Now().Add(time.Minute)) {
		require.NoError(t, err)
		got = append(got, r.ID)
	}
	assert.Equal(t, ids, got)
	assert.Equal(t, int64(8), a.Calls(), "75 records in pages of 10")
}

package syncer_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/syncer"
)

// The ConnectWise side reads by ID in chunks that keep URLs short, pages by
// ID, and translates mapping paths into conditions, childConditions and
// customFieldConditions.
func TestConnectWiseAdapter(t *testing.T) {
	e := newEnv(t, spec("companies", "contacts"), nil)
	before := e.cwSrv.Len(connectwisetest.Companies)
	var ids []int64
	for i := range 230 {
		co, err := e.cwSrv.Seed(connectwisetest.Companies, map[string]any{"name": fmt.Sprintf("Co %d", i), "identifier": fmt.Sprintf("Co%d", i)})
		require.NoError(t, err)
		ids = append(ids, int64(co["id"].(float64)))
	}
	e.cwContact("Quinn", "O\"Brien", "Quinn@Example.com", int(ids[0]))

	a := e.cw
	c0 := a.Calls()
	recs, err := a.Read(e.ctx, "company/companies", ids)
	require.NoError(t, err)
	assert.Len(t, recs, 230)
	assert.Equal(t, int64(1+3), a.Calls()-c0, "the client's codebase lookup (its first request), then 100 IDs per call")

	page, err := a.Page(e.ctx, "company/companies", ids[99], 50)
	require.NoError(t, err)
	require.Len(t, page, 50)
	assert.EqualValues(t, ids[100], page[0]["id"])
	n, err := a.Count(e.ctx, "company/companies")
	require.NoError(t, err)
	assert.Equal(t, before+230, n)

	found, err := a.Find(e.ctx, "company/companies", syncer.Lookup{Path: "identifier", Values: []string{"Co7", "co8", "Nope"}})
	require.NoError(t, err)
	assert.Len(t, found, 2, "identifier in (...), case-insensitive like SQL Server")
	found, err = a.Find(e.ctx, "company/contacts", syncer.Lookup{Path: "communicationItems[communicationType=Email,defaultFlag=true]/value", Values: []string{"quinn@example.com"}})
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, "Quinn", found[0]["firstName"])
	found, err = a.Find(e.ctx, "company/companies", syncer.Lookup{Path: "customFields[caption=Partner Name]/value", Values: []string{"nobody"}})
	require.NoError(t, err)
	assert.Empty(t, found)
	_, err = a.Find(e.ctx, "company/companies", syncer.Lookup{Path: "types[0]/name", Values: []string{"x"}})
	assert.Error(t, err, "unsupported selector")

	var feed int
	for _, err := range a.Modified(e.ctx, "company/companies", time.Time{}, e.clk.Now()) {
		require.NoError(t, err)
		feed++
	}
	assert.Equal(t, before+230, feed)
}

package syncer_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// One input HubSpot refuses in a batch upsert (a 207) fails alone; the other
// records of the batch are written.
func TestPartialBatchFailure(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToHubSpot
	}
	owners := map[string]string{"245": "999"} // not an owner
	e := newEnv(t, s, func(c *syncer.Config) {
		c.Lookups = tableLookups(owners, map[string]string{"1": "appointmentscheduled"})
	})
	owners["244"] = e.hsSrv.AddOwner(hubspottest.Owner{Email: "jsmith@example.com"})
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	ann := e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	good1 := e.cwOpportunity("One", acme, ann, 0)
	bad, err := e.cwSrv.Create(connectwisetest.Opportunities, map[string]any{"name": "Two", "company": map[string]any{"id": acme},
		"contact": map[string]any{"id": ann}, "primarySalesRep": map[string]any{"id": 245}, "stage": map[string]any{"id": 1}})
	require.NoError(t, err)
	good2 := e.cwOpportunity("Three", acme, ann, 0)
	e.hsSrv.ResetCalls()
	rep := e.run()
	assert.Equal(t, 2, rep.Count("deals", syncer.OutcomeCreated), rep.String())
	require.Equal(t, 1, rep.Count("deals", syncer.OutcomeFailed))
	assert.Equal(t, 1, e.hsSrv.CountOp(hubspottest.OpBatchUpsert)-2, "one upsert call for the three deals")
	var re *syncer.RecordError
	require.ErrorAs(t, rep.Errors()[0], &re)
	assert.EqualValues(t, bad["id"], re.ConnectWiseID)
	e.link("deals", good1)
	e.link("deals", good2)
}

// refusingStore refuses any batch that links one ConnectWise ID, naming the
// operation, like a link that conflicts with another.
type refusingStore struct {
	syncer.StateStore
	cwID int64
}

func (s *refusingStore) Commit(ctx context.Context, tenant string, b *syncer.Batch) error {
	for i, op := range b.Ops {
		if lp, ok := op.(syncer.LinkPut); ok && lp.Link.ConnectWiseID == s.cwID {
			return &syncer.OpError{Index: i, Op: op, Err: fmt.Errorf("test: %w", syncer.ErrConflict)}
		}
	}
	return s.StateStore.Commit(ctx, tenant, b)
}

// A record whose state the store refuses fails alone; the others commit.
func TestStoreRefusesOneRecord(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	var ids []int64
	for i := range 3 {
		ids = append(ids, e.cw.put("company/companies", map[string]any{"name": fmt.Sprint("Co", i), "identifier": fmt.Sprint("Co", i)}))
	}
	st := &refusingStore{StateStore: e.store, cwID: ids[1]}
	eng, err := syncer.New(syncer.Config{Tenant: "t1", HubSpot: e.hs, ConnectWise: e.cw, Mapping: compile(t, spec("companies")), Store: st, Clock: e.clk.Now})
	require.NoError(t, err)
	rep, err := eng.Run(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeFailed))
	dls, err := eng.DeadLetters(context.Background(), "companies")
	require.NoError(t, err)
	require.Len(t, dls, 1)
	assert.Equal(t, fmt.Sprint(ids[1]), dls[0].SourceID)
	_, err = e.store.Cursor(context.Background(), "t1", "companies/connectwise")
	assert.NoError(t, err, "the cursor moved: the failure is dead-lettered")
}

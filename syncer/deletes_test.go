package syncer_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/syncer"
)

// deleteEnv links n companies and returns their ConnectWise IDs.
func deleteEnv(t *testing.T, n int, tweak func(*syncer.Config)) (*env, []int) {
	e := newEnv(t, spec("companies"), tweak)
	var ids []int
	for i := range n {
		ids = append(ids, e.cwCompany("Company "+strconv.Itoa(i), "Co"+strconv.Itoa(i)))
	}
	rep := e.run()
	require.Empty(t, rep.Errors())
	return e, ids
}

// cwActive counts the companies not deleted (companies are soft-deleted).
func (e *env) cwActive() int {
	n := 0
	for _, r := range e.cwSrv.Records(connectwisetest.Companies) {
		if r["deletedFlag"] != true {
			n++
		}
	}
	return n
}

func (e *env) linked(cw int) bool {
	_, err := e.store.LinkByConnectWiseID(e.ctx, "acme", "companies", int64(cw))
	return err == nil
}

// ConnectWise deletions found by the ID sweep, under each policy.
func TestSweepDeletesPolicies(t *testing.T) {
	for _, tc := range []struct {
		policy   syncer.DeletePolicy
		unlinked bool
		archived int
	}{
		{"", false, 0}, // the default ignores
		{syncer.DeleteIgnore, false, 0},
		{syncer.DeleteUnlink, true, 0},
		{syncer.DeletePropagate, true, 1},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			e, ids := deleteEnv(t, 12, func(c *syncer.Config) {
				if tc.policy != "" {
					c.Deletes = map[string]syncer.DeletePolicy{"companies": tc.policy}
				}
			})
			gone := ids[5]
			hs := e.link("companies", gone).HubSpotID
			require.NoError(t, e.cwSrv.Delete(connectwisetest.Companies, gone))
			rep := e.run() // polling never sees a delete
			require.Empty(t, rep.Errors())
			assert.True(t, e.linked(gone))

			dr, err := e.eng.SweepDeletes(e.ctx, "companies")
			require.NoError(t, err)
			assert.Equal(t, []string{"connectwise:" + strconv.Itoa(gone)}, dr.Gone, dr.String())
			assert.Equal(t, 12, dr.Links)
			assert.Equal(t, !tc.unlinked, e.linked(gone))
			assert.Equal(t, tc.archived, e.hsSrv.ArchivedCount("companies"))
			assert.Equal(t, 12-tc.archived, e.hsSrv.RecordCount("companies"))
			r, ok := e.hsSrv.Record("companies", hs)
			require.True(t, ok)
			assert.Equal(t, tc.archived == 1, r.Archived)
			for _, id := range ids {
				if id != gone {
					assert.True(t, e.linked(id))
				}
			}
			rep = e.run()
			require.Empty(t, rep.Errors())
			assert.Equal(t, 11, e.cwActive(), "nothing recreated")
			assert.Equal(t, 12-tc.archived, e.hsSrv.RecordCount("companies"), "nothing recreated")
		})
	}
}

// HubSpot deletions (webhook) and ConnectWise deletions (callback) handled by
// HandleDeleted; a record still there is left alone.
func TestHandleDeleted(t *testing.T) {
	e, ids := deleteEnv(t, 12, func(c *syncer.Config) {
		c.Deletes = map[string]syncer.DeletePolicy{"companies": syncer.DeletePropagate}
	})
	// Archived in HubSpot: deleted in ConnectWise.
	hs := e.link("companies", ids[0]).HubSpotID
	require.NoError(t, e.hsSrv.ArchiveRecord("companies", hs))
	dr, err := e.eng.HandleDeleted(e.ctx, "companies", syncer.SideHubSpot, []string{hs, e.link("companies", ids[1]).HubSpotID})
	require.NoError(t, err)
	assert.Equal(t, []string{"hubspot:" + hs}, dr.Gone)
	assert.Equal(t, 1, dr.Propagated)
	rec, ok := e.cwSrv.Get(connectwisetest.Companies, ids[0])
	require.True(t, ok, "companies are soft-deleted")
	assert.Equal(t, true, rec["deletedFlag"])
	assert.False(t, e.linked(ids[0]))
	assert.True(t, e.linked(ids[1]), "a record still there is left alone")

	// Deleted in ConnectWise (callback): archived in HubSpot.
	hs2 := e.link("companies", ids[2]).HubSpotID
	require.NoError(t, e.cwSrv.Delete(connectwisetest.Companies, ids[2]))
	dr, err = e.eng.HandleDeleted(e.ctx, "companies", syncer.SideConnectWise, []string{strconv.Itoa(ids[2]), strconv.Itoa(ids[3])})
	require.NoError(t, err)
	assert.Equal(t, 1, dr.Propagated)
	r, _ := e.hsSrv.Record("companies", hs2)
	assert.True(t, r.Archived)
	assert.True(t, e.linked(ids[3]))

	_, err = e.eng.HandleDeleted(e.ctx, "companies", syncer.SideConnectWise, []string{"x"})
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	rep := e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 10, e.hsSrv.RecordCount("companies"))
	assert.Equal(t, 10, e.cwActive())
}

// The mass-delete guard stops a sweep that would delete more than the share
// of the object's links, says so and changes nothing; a higher share lets it
// through.
func TestMassDeleteGuard(t *testing.T) {
	e, ids := deleteEnv(t, 10, func(c *syncer.Config) {
		c.Deletes = map[string]syncer.DeletePolicy{"companies": syncer.DeletePropagate}
	})
	for _, id := range ids[:3] {
		require.NoError(t, e.cwSrv.Delete(connectwisetest.Companies, id))
	}
	dr, err := e.eng.SweepDeletes(e.ctx, "companies")
	require.ErrorIs(t, err, syncer.ErrMassDelete)
	assert.True(t, dr.Stopped)
	assert.Len(t, dr.Gone, 3)
	assert.Contains(t, dr.String(), "3 of 10 links would be deleted")
	assert.Zero(t, e.hsSrv.ArchivedCount("companies"))
	for _, id := range ids[:3] {
		assert.True(t, e.linked(id))
	}

	e.cfg.MaxDeleteShare = 0.5
	e.rebuild()
	dr, err = e.eng.SweepDeletes(e.ctx, "companies")
	require.NoError(t, err)
	assert.Equal(t, 3, dr.Propagated)
	assert.Equal(t, 3, e.hsSrv.ArchivedCount("companies"))
}

// New refuses an unknown policy; a sweep needs a ConnectWise side that lists IDs.
func TestDeletePolicyInvalid(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	e.cfg.Deletes = map[string]syncer.DeletePolicy{"companies": "shred"}
	_, err := syncer.New(e.cfg)
	assert.ErrorContains(t, err, "unknown delete policy")
	_, err = e.eng.SweepDeletes(e.ctx, "tickets")
	assert.ErrorIs(t, err, syncer.ErrInvalid)
}

// smallPages lists ConnectWise IDs three at a time, so a sweep walks many pages.
type smallPages struct{ *syncer.ConnectWiseAdapter }

func (s smallPages) IDs(ctx context.Context, resource string, afterID int64, _ int) ([]int64, int64, error) {
	return s.ConnectWiseAdapter.IDs(ctx, resource, afterID, 3)
}

// The sweep walks the ID pages and the links together: deletions at page
// edges, in a row and at both ends are all found, and nothing else.
func TestSweepDeletesPages(t *testing.T) {
	e, ids := deleteEnv(t, 14, func(c *syncer.Config) {
		c.ConnectWise = smallPages{c.ConnectWise.(*syncer.ConnectWiseAdapter)}
		c.Deletes = map[string]syncer.DeletePolicy{"companies": syncer.DeleteUnlink}
		c.MaxDeleteShare = -1
	})
	gone := []int{ids[0], ids[2], ids[3], ids[4], ids[8], ids[13]}
	var want []string
	for _, id := range gone {
		require.NoError(t, e.cwSrv.Delete(connectwisetest.Companies, id))
		want = append(want, "connectwise:"+strconv.Itoa(id))
	}
	dr, err := e.eng.SweepDeletes(e.ctx, "companies")
	require.NoError(t, err)
	assert.Equal(t, want, dr.Gone)
	assert.Equal(t, len(gone), dr.Unlinked)
	for _, id := range ids {
		assert.Equal(t, !slices.Contains(gone, id), e.linked(id), "company %d", id)
	}
	dr, err = e.eng.SweepDeletes(e.ctx, "companies")
	require.NoError(t, err)
	assert.Empty(t, dr.Gone, "a second sweep finds nothing")
}

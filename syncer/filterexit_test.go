package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// A linked company leaves the toHubSpot filter in ConnectWise: with the
// default policy the link stays and ConnectWise edits stop flowing; with
// FilterExitUnlink the link is removed and nothing is written. Back inside
// the filter, the kept link resumes and the unlinked record is matched again.
func TestFilterExit(t *testing.T) {
	for _, tc := range []struct {
		policy syncer.FilterExit
		unlink bool
	}{
		{"", false},
		{syncer.FilterExitKeep, false},
		{syncer.FilterExitUnlink, true},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			s := spec("companies")
			s.Objects[0].Filters.ToHubSpot = &mapping.Filter{And: []mapping.Filter{*s.Objects[0].Filters.ToHubSpot, mapping.Where("city", mapping.Ne, "Nowhere")}}
			e := newEnv(t, s, func(c *syncer.Config) {
				if tc.policy != "" {
					c.FilterExit = map[string]syncer.FilterExit{"companies": tc.policy}
				}
			})
			cw := e.cwCompany("Acme Corp", "AcmeCorp")
			e.run()
			hs := e.link("companies", cw).HubSpotID

			_, err := e.cwSrv.Update(connectwisetest.Companies, cw, map[string]any{"name": "Renamed", "city": "Nowhere"})
			require.NoError(t, err)
			e.resetCalls()
			rep := e.run()
			require.Empty(t, rep.Errors())
			assert.Zero(t, e.writes(), rep.String())
			assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeSkipped), rep.String())
			assert.Equal(t, !tc.unlink, e.linked(cw))
			r, _ := e.hsSrv.Record("companies", hs)
			assert.Equal(t, "Acme Corp", r.Properties["name"], "no longer flows")

			_, err = e.cwSrv.Update(connectwisetest.Companies, cw, map[string]any{"city": "Springfield"})
			require.NoError(t, err)
			rep = e.run()
			require.Empty(t, rep.Errors())
			assert.Equal(t, hs, e.link("companies", cw).HubSpotID, rep.String())
			r, _ = e.hsSrv.Record("companies", hs)
			assert.Equal(t, "Renamed", r.Properties["name"])
			assert.Equal(t, 1, e.hsSrv.RecordCount("companies"), "no duplicate")
		})
	}
	e := newEnv(t, spec("companies"), nil)
	e.cfg.FilterExit = map[string]syncer.FilterExit{"companies": "forget"}
	_, err := syncer.New(e.cfg)
	assert.ErrorContains(t, err, "unknown filter-exit policy")
}

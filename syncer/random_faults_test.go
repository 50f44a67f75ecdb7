package syncer_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
)

// randomFault arms one fault on one of the fakes: a 429, a 5xx, a dropped
// connection (what a timeout looks like to the client), or a write whose
// answer is lost after the fake stored it.
func randomFault(r *rand.Rand, e *env) {
	var f hubspottest.Fault
	switch r.IntN(4) {
	case 0:
		f = hubspottest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"0"}}}
	case 1:
		f = hubspottest.Fault{Status: http.StatusBadGateway}
	case 2:
		f = hubspottest.Fault{Drop: true}
	case 3:
		f = hubspottest.Fault{Status: http.StatusInternalServerError, AfterHandler: true}
	}
	n := 1 + r.IntN(3)
	if r.IntN(2) == 0 {
		e.hsSrv.Inject(hubspottest.AnyRoute, n, f)
	} else {
		e.cwSrv.Inject(connectwisetest.AnyRoute, n, f)
	}
}

// Random creates, edits and deletes on both fakes, interleaved with passes,
// ID sweeps, injected faults (429, 5xx, dropped connections, lost answers)
// and crashes between the writes and the state commit. Once the faults stop,
// a few passes bring both sides to agree on every mapped field of every link,
// nothing is duplicated, nothing is left dead-lettered and a quiet pass writes
// nothing. Seeded and reproducible.
func TestRandomEditsWithFaults(t *testing.T) {
	var failedPasses, crashes, propagated, faults int
	t.Cleanup(func() {
		t.Logf("passes ended by a fault: %d, crashes before the state commit: %d, faults armed: %d, deletes propagated: %d",
			failedPasses, crashes, faults, propagated)
	})
	for _, policy := range []mapping.Conflict{mapping.PreferConnectWise, mapping.Review} {
		for seed := uint64(1); seed <= 12; seed++ {
			t.Run(fmt.Sprint(policy, "/seed", seed), func(t *testing.T) {
				randomFaultRun(t, policy, seed, &failedPasses, &crashes, &faults, &propagated)
			})
		}
	}
}

func randomFaultRun(t *testing.T, policy mapping.Conflict, seed uint64, failedPasses, crashes, faults, propagated *int) {
	{
		{
			r := rand.New(rand.NewPCG(seed, 7))
			var fs *flakyStore
			e := newEnv(t, spec("companies"), func(c *syncer.Config) {
				fs = &flakyStore{StateStore: memstore.New(&memstore.Options{Clock: c.Clock}), match: hasBase}
				c.Store = fs
				c.Deletes = map[string]syncer.DeletePolicy{"companies": syncer.DeletePropagate}
				c.MaxDeleteShare = -1
				c.DefaultConflict = policy
			})
			e.store = fs
			words := []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay"}
			cities := []string{"Springfield", "Shelbyville", "Ogdenville", ""}
			var cwIDs []int
			for round := range 60 {
				e.clk.Add(time.Minute)
				switch r.IntN(5) {
				case 0:
					cwIDs = append(cwIDs, e.cwCompany(words[r.IntN(len(words))], fmt.Sprintf("CW%d", round)))
				case 1:
					e.hsCreate("companies", map[string]string{"name": words[r.IntN(len(words))],
						"cw_company_identifier": fmt.Sprintf("HS%d", round), "address": "2 Side St", "city": cities[r.IntN(len(cities))]})
				case 2:
					if len(cwIDs) > 0 {
						id := cwIDs[r.IntN(len(cwIDs))]
						if r.IntN(2) == 0 {
							_, _ = e.cwSrv.Update(connectwisetest.Companies, id, map[string]any{"city": cities[r.IntN(len(cities))]})
						} else {
							_, _ = e.cwSrv.Update(connectwisetest.Companies, id, map[string]any{"name": words[r.IntN(len(words))]})
						}
					}
				case 3:
					if all := e.hsAll("companies"); len(all) > 0 {
						id := all[r.IntN(len(all))].ID
						field, vals := "name", words
						if r.IntN(2) == 0 {
							field, vals = "city", cities
						}
						require.NoError(t, e.hsSrv.UpdateRecord("companies", id, map[string]string{field: vals[r.IntN(len(vals))]}))
					}
				case 4:
					if len(cwIDs) > 3 && r.IntN(3) == 0 {
						i := r.IntN(len(cwIDs))
						_ = e.cwSrv.Delete(connectwisetest.Companies, cwIDs[i])
						cwIDs = append(cwIDs[:i], cwIDs[i+1:]...)
					}
				}
				if r.IntN(3) == 0 {
					if r.IntN(2) == 0 {
						randomFault(r, e)
						*faults++
					}
					if r.IntN(4) == 0 {
						fs.mu.Lock()
						fs.fails = 1
						fs.mu.Unlock()
						*crashes++
					}
					e.clk.Add(time.Minute)
					rep, err := e.eng.Run(e.ctx) // faults may end a pass; the next one resumes
					if err != nil || len(rep.Errors()) > 0 {
						*failedPasses++
					}
					if r.IntN(4) == 0 {
						if dr, err := e.eng.SweepDeletes(e.ctx, "companies"); err == nil {
							*propagated += dr.Propagated
						}
					}
					e.hsSrv.ClearFaults()
					e.cwSrv.ClearFaults()
				}
			}
			fs.mu.Lock()
			fs.fails = 0
			fs.mu.Unlock()
			dr, err := e.eng.SweepDeletes(e.ctx, "companies")
			require.NoError(t, err)
			*propagated += dr.Propagated
			_, err = e.eng.RetryNow(e.ctx, "")
			require.NoError(t, err)
			for range 3 {
				e.clk.Add(10 * time.Minute)
				rep, err := e.eng.Run(e.ctx)
				require.NoError(t, err, "%v", rep)
			}
			e.resetCalls()
			rep := e.run()
			assert.Zero(t, e.writes(), "quiet pass wrote:\n%s", rep)

			e.assertNoDuplicates()
			hs := map[string]map[string]string{}
			for _, o := range e.hsAll("companies", "name", "city", "cw_company_identifier") {
				hs[o.ID] = o.Properties
			}
			links := 0
			parked := map[string]bool{} // link and field with a parked conflict
			conflicts, err := e.eng.Conflicts(e.ctx, "companies")
			require.NoError(t, err)
			for _, c := range conflicts {
				parked[fmt.Sprint(c.HubSpotID, "/", c.ConnectWiseID, "/", c.Field)] = true
			}
			if policy != mapping.Review {
				assert.Empty(t, conflicts)
			}
			t.Logf("parked conflicts: %d", len(conflicts))
			agree := func(l syncer.Link, field string, cw, hs any) {
				if !parked[fmt.Sprint(l.HubSpotID, "/", l.ConnectWiseID, "/", field)] {
					assert.Equal(t, cw, hs, "%s of %d: differs without a parked conflict", field, l.ConnectWiseID)
				}
			}
			for l, err := range e.store.ListLinks(e.ctx, "acme", "companies", nil) {
				require.NoError(t, err)
				links++
				cw, ok := e.cwSrv.Get(connectwisetest.Companies, int(l.ConnectWiseID))
				require.True(t, ok)
				h := hs[l.HubSpotID]
				require.NotNil(t, h, "link to HubSpot %s", l.HubSpotID)
				agree(l, "name", cw["name"], h["name"])
				assert.Equal(t, fmt.Sprint(cw["identifier"]), h["cw_company_identifier"])
				city, _ := cw["city"].(string)
				agree(l, "city", city, h["city"])
			}
			assert.Equal(t, e.cwActive(), links, "every active ConnectWise company is linked")
			assert.Equal(t, len(hs), links, "every HubSpot company is linked")
			dls, err := e.eng.DeadLetters(e.ctx, "")
			require.NoError(t, err)
			assert.Empty(t, dls)
		}
	}
}

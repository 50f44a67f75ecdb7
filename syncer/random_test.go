package syncer_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Random edits on both in-memory sides, interleaved with passes: afterwards
// both sides agree on every field that flows both ways, nothing is duplicated
// and a quiet pass writes nothing. Seeded and reproducible.
func TestRandomEditsConverge(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 42))
			e := newMemEnv(t, spec("companies"), nil)
			ctx := context.Background()
			words := []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay"}
			cities := []string{"Springfield", "Shelbyville", "Ogdenville", ""}
			var cwIDs []int64
			for round := range 60 {
				e.clk.Add(time.Minute)
				switch r.IntN(4) {
				case 0: // a new ConnectWise company
					cwIDs = append(cwIDs, e.cw.put("company/companies", map[string]any{
						"name": words[r.IntN(len(words))], "identifier": fmt.Sprintf("CW%d", round), "city": cities[r.IntN(len(cities))]}))
				case 1: // a new HubSpot company
					e.hs.mu.Lock()
					e.hs.putLocked("companies", "", map[string]string{
						"name": words[r.IntN(len(words))], "cw_company_identifier": fmt.Sprintf("HS%d", round), "city": cities[r.IntN(len(cities))]})
					e.hs.mu.Unlock()
				case 2: // edit in ConnectWise
					if len(cwIDs) > 0 {
						id := cwIDs[r.IntN(len(cwIDs))]
						rec := e.cw.get("company/companies", id)
						if r.IntN(2) == 0 {
							rec["city"] = cities[r.IntN(len(cities))]
						} else {
							rec["name"] = words[r.IntN(len(words))]
						}
						e.cw.put("company/companies", rec)
					}
				case 3: // edit in HubSpot, any record (also partners of ConnectWise ones)
					e.hs.mu.Lock()
					all := slices.Sorted(maps.Keys(e.hs.recs["companies"]))
					e.hs.mu.Unlock()
					if len(all) > 0 {
						hsIDs := all
						e.hs.mu.Lock()
						field, vals := "name", words
						if r.IntN(2) == 0 {
							field, vals = "city", cities
						}
						e.hs.putLocked("companies", hsIDs[r.IntN(len(hsIDs))], map[string]string{field: vals[r.IntN(len(vals))]})
						e.hs.mu.Unlock()
					}
				}
				if r.IntN(3) == 0 {
					e.clk.Add(time.Minute)
					_, err := e.eng.Run(ctx)
					require.NoError(t, err)
				}
			}
			for range 3 {
				e.clk.Add(10 * time.Minute)
				_, err := e.eng.Run(ctx)
				require.NoError(t, err)
			}
			before := e.hs.writes + e.cw.writes
			e.clk.Add(time.Minute)
			rep, err := e.eng.Run(ctx)
			require.NoError(t, err)
			assert.Equal(t, before, e.hs.writes+e.cw.writes, "quiet pass wrote:\n%s", rep)

			// Every record is linked once and both sides agree.
			links := 0
			for l, err := range e.store.ListLinks(ctx, "t1", "companies", nil) {
				require.NoError(t, err)
				links++
				cw := e.cw.get("company/companies", l.ConnectWiseID)
				hs := e.hs.recs["companies"][l.HubSpotID]
				require.NotNil(t, hs)
				assert.Equal(t, cw["name"], hs.Properties["name"], "name of %d", l.ConnectWiseID)
				assert.Equal(t, fmt.Sprint(cw["identifier"]), hs.Properties["cw_company_identifier"])
				city, _ := cw["city"].(string)
				assert.Equal(t, city, hs.Properties["city"], "city of %d", l.ConnectWiseID)
			}
			assert.Equal(t, len(e.cw.recs["company/companies"]), links)
			assert.Equal(t, len(e.hs.recs["companies"]), links)
			dls, err := e.eng.DeadLetters(ctx, "")
			require.NoError(t, err)
			assert.Empty(t, dls)
			assert.Greater(t, links, 5)
		})
	}
}

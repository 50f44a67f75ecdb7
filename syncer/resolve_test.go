package syncer_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// conflictEnv links one company, then edits its name on both sides (HubSpot
// first when hsFirst, a minute apart) and its city in ConnectWise only.
func conflictEnv(t *testing.T, pref mapping.Conflict, tweak func(*syncer.Config), hsFirst bool) (*env, int, string) {
	s := spec("companies")
	s.Objects[0].Conflict = pref
	e := newEnv(t, s, tweak)
	cw := e.cwCompany("Base", "Acme")
	rep := e.run()
	require.Empty(t, rep.Errors())
	hs := e.link("companies", cw).HubSpotID
	editHS := func() {
		require.NoError(t, e.hsSrv.UpdateRecord("companies", hs, map[string]string{"name": "HS Name"}))
	}
	editCW := func() {
		_, err := e.cwSrv.Update(connectwisetest.Companies, cw, map[string]any{"name": "CW Name", "city": "Shelbyville"})
		require.NoError(t, err)
	}
	e.clk.Add(time.Minute)
	if hsFirst {
		editHS()
		e.clk.Add(time.Minute)
		editCW()
	} else {
		editCW()
		e.clk.Add(time.Minute)
		editHS()
	}
	return e, cw, hs
}

func (e *env) names(cw int, hs string) (string, string) {
	e.t.Helper()
	rec, ok := e.cwSrv.Get(connectwisetest.Companies, cw)
	require.True(e.t, ok)
	var hsName string
	for _, o := range e.hsAll("companies", "name") {
		if o.ID == hs {
			hsName = o.Properties["name"]
		}
	}
	name, _ := rec["name"].(string)
	return hsName, name
}

func (e *env) hsCity(hs string) string {
	for _, o := range e.hsAll("companies", "city") {
		if o.ID == hs {
			return o.Properties["city"]
		}
	}
	return ""
}

// Every policy against both fakes: the winner's value ends on both sides, the
// other field flows, and a quiet pass afterwards writes nothing.
func TestResolverPolicies(t *testing.T) {
	hsWins := syncer.ResolverFunc(func(c syncer.FieldConflict) syncer.Side {
		if c.Object == "companies" && c.Field == "name" && c.Base == "Base" && c.HubSpot == "HS Name" && c.ConnectWise == "CW Name" &&
			!c.HubSpotModifiedAt.IsZero() && !c.ConnectWiseModifiedAt.IsZero() {
			return syncer.SideHubSpot
		}
		return syncer.SideConnectWise
	})
	for _, tc := range []struct {
		name    string
		pref    mapping.Conflict
		tweak   func(*syncer.Config)
		hsFirst bool
		want    string
		label   mapping.Conflict
	}{
		{"preferHubSpot", mapping.PreferHubSpot, nil, false, "HS Name", mapping.PreferHubSpot},
		{"preferConnectWise", mapping.PreferConnectWise, nil, false, "CW Name", mapping.PreferConnectWise},
		{"default", "", nil, false, "CW Name", mapping.PreferConnectWise},
		{"mostRecentHubSpot", mapping.MostRecent, nil, false, "HS Name", mapping.MostRecent},
		{"mostRecentConnectWise", mapping.MostRecent, nil, true, "CW Name", mapping.MostRecent},
		{"custom", "", func(c *syncer.Config) { c.Resolvers = map[string]syncer.Resolver{"companies": hsWins} }, false, "HS Name", "custom"},
		{"configObjectOverMappingObject", mapping.PreferConnectWise, func(c *syncer.Config) {
			c.Resolvers = map[string]syncer.Resolver{"companies": syncer.PreferHubSpot}
		}, false, "HS Name", mapping.PreferHubSpot},
		{"configFieldOverObject", mapping.PreferHubSpot, func(c *syncer.Config) {
			c.Resolvers = map[string]syncer.Resolver{"companies": syncer.PreferHubSpot}
			c.FieldResolvers = map[syncer.FieldKey]syncer.Resolver{{Object: "companies", Field: "name"}: syncer.PreferConnectWise}
		}, false, "CW Name", mapping.PreferConnectWise},
		{"defaultConflict", "", func(c *syncer.Config) { c.DefaultConflict = mapping.PreferHubSpot }, false, "HS Name", mapping.PreferHubSpot},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, cw, hs := conflictEnv(t, tc.pref, tc.tweak, tc.hsFirst)
			rep := e.run()
			require.Empty(t, rep.Errors())
			hsName, cwName := e.names(cw, hs)
			assert.Equal(t, tc.want, hsName, rep.String())
			assert.Equal(t, tc.want, cwName)
			assert.Equal(t, "Shelbyville", e.hsCity(hs), "the other field flows")
			var seen bool
			for _, r := range rep.Records {
				for _, c := range r.Changes {
					if c.Field == "name" {
						seen = true
						assert.True(t, c.Conflict)
						assert.Equal(t, tc.label, c.Resolution)
					}
				}
			}
			assert.True(t, seen, rep.String())
			conflicts, err := e.eng.Conflicts(e.ctx, "")
			require.NoError(t, err)
			assert.Empty(t, conflicts)
			e.hsSrv.ResetCalls()
			e.cwSrv.ResetCalls()
			e.run()
			assert.Zero(t, e.writes())
		})
	}
}

// A mapping field's own preference beats Config.Resolvers for the object.
func TestResolverMappingFieldOverConfigObject(t *testing.T) {
	s := spec("companies")
	for i, f := range s.Objects[0].Fields {
		if f.HubSpot == "name" {
			s.Objects[0].Fields[i].Conflict = mapping.PreferHubSpot
		}
	}
	e := newEnv(t, s, func(c *syncer.Config) {
		c.Resolvers = map[string]syncer.Resolver{"companies": syncer.PreferConnectWise}
	})
	cw := e.cwCompany("Base", "Acme")
	e.run()
	hs := e.link("companies", cw).HubSpotID
	e.clk.Add(time.Minute)
	require.NoError(t, e.hsSrv.UpdateRecord("companies", hs, map[string]string{"name": "HS Name", "city": "HS City"}))
	_, err := e.cwSrv.Update(connectwisetest.Companies, cw, map[string]any{"name": "CW Name", "city": "CW City"})
	require.NoError(t, err)
	rep := e.run()
	require.Empty(t, rep.Errors())
	hsName, cwName := e.names(cw, hs)
	assert.Equal(t, "HS Name", hsName)
	assert.Equal(t, "HS Name", cwName)
	assert.Equal(t, "CW City", e.hsCity(hs), "the object's resolver settles the other field")
}

// Review parks the conflict while the other field flows; settling it (by
// side or by value) is applied by the next pass, which removes the parked
// record; later quiet passes write nothing.
func TestReviewQueueSettle(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    syncer.Settlement
		want string
	}{
		{"hubspot", syncer.Settlement{Side: syncer.SideHubSpot}, "HS Name"},
		{"connectwise", syncer.Settlement{Side: syncer.SideConnectWise}, "CW Name"},
		{"value", syncer.Settlement{Value: "Agreed Name"}, "Agreed Name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, cw, hs := conflictEnv(t, mapping.Review, nil, false)
			rep := e.run()
			require.Empty(t, rep.Errors())
			assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeConflict), rep.String())
			hsName, cwName := e.names(cw, hs)
			assert.Equal(t, "HS Name", hsName)
			assert.Equal(t, "CW Name", cwName)
			assert.Equal(t, "Shelbyville", e.hsCity(hs), "the other field flows")
			parked, err := e.eng.Conflicts(e.ctx, "companies")
			require.NoError(t, err)
			require.Len(t, parked, 1)
			c := parked[0]
			assert.Equal(t, syncer.Conflict{Object: "companies", HubSpotID: hs, ConnectWiseID: int64(cw), Field: "name",
				HubSpotValue: []byte("HS Name"), ConnectWiseValue: []byte("CW Name"), BaseValue: []byte("Base"), DetectedAt: c.DetectedAt}, c)

			// Passes before the settlement keep it parked and write nothing.
			e.hsSrv.ResetCalls()
			e.cwSrv.ResetCalls()
			e.run()
			assert.Zero(t, e.writes())

			require.NoError(t, e.eng.Settle(e.ctx, c, tc.s))
			rep = e.run()
			require.Empty(t, rep.Errors())
			hsName, cwName = e.names(cw, hs)
			assert.Equal(t, tc.want, hsName, rep.String())
			assert.Equal(t, tc.want, cwName)
			parked, err = e.eng.Conflicts(e.ctx, "companies")
			require.NoError(t, err)
			assert.Empty(t, parked)
			dl, err := e.eng.DeadLetters(e.ctx, "")
			require.NoError(t, err)
			assert.Empty(t, dl)

			e.hsSrv.ResetCalls()
			e.cwSrv.ResetCalls()
			for range 3 {
				e.run()
			}
			assert.Zero(t, e.writes())
			assert.ErrorIs(t, e.eng.Settle(e.ctx, c, tc.s), syncer.ErrNotFound, "settled once")
		})
	}
}

// Settle refuses what it cannot apply.
func TestSettleInvalid(t *testing.T) {
	e, _, hs := conflictEnv(t, mapping.Review, nil, false)
	e.run()
	parked, err := e.eng.Conflicts(e.ctx, "")
	require.NoError(t, err)
	require.Len(t, parked, 1)
	c := parked[0]
	assert.ErrorIs(t, e.eng.Settle(e.ctx, c, syncer.Settlement{Side: "other"}), syncer.ErrInvalid)
	assert.ErrorIs(t, e.eng.Settle(e.ctx, c, syncer.Settlement{Value: "\xff"}), syncer.ErrInvalid)
	bad := c
	bad.Object = "tickets"
	assert.ErrorIs(t, e.eng.Settle(e.ctx, bad, syncer.Settlement{Side: syncer.SideHubSpot}), syncer.ErrInvalid)
	bad = c
	bad.HubSpotID = hs + "0"
	assert.ErrorIs(t, e.eng.Settle(e.ctx, bad, syncer.Settlement{Side: syncer.SideHubSpot}), syncer.ErrNotFound)
}

// A settlement whose write fails stays in the link and the conflict stays
// parked; a later pass applies both.
func TestSettleWriteFails(t *testing.T) {
	e, cw, hs := conflictEnv(t, mapping.Review, nil, false)
	e.run()
	parked, err := e.eng.Conflicts(e.ctx, "companies")
	require.NoError(t, err)
	require.Len(t, parked, 1)
	require.NoError(t, e.eng.Settle(e.ctx, parked[0], syncer.Settlement{Side: syncer.SideHubSpot}))
	e.cwSrv.Inject(connectwisetest.Route("PATCH", "company/companies/{id}"), 2, connectwisetest.Fault{Status: 503})
	rep := e.run()
	assert.NotEmpty(t, rep.Errors())
	_, cwName := e.names(cw, hs)
	assert.Equal(t, "CW Name", cwName)
	parked, err = e.eng.Conflicts(e.ctx, "companies")
	require.NoError(t, err)
	assert.Len(t, parked, 1, "still parked until applied")

	e.clk.Add(time.Hour)
	rep = e.run()
	require.Empty(t, rep.Errors())
	hsName, cwName := e.names(cw, hs)
	assert.Equal(t, "HS Name", hsName)
	assert.Equal(t, "HS Name", cwName)
	parked, err = e.eng.Conflicts(e.ctx, "companies")
	require.NoError(t, err)
	assert.Empty(t, parked)
}

// A parked conflict that stops conflicting (the sides come to agree) leaves
// the review queue on the next pass that reads the record.
func TestParkedConflictResolvesItself(t *testing.T) {
	e, cw, hs := conflictEnv(t, mapping.Review, nil, false)
	e.run()
	parked, err := e.eng.Conflicts(e.ctx, "companies")
	require.NoError(t, err)
	require.Len(t, parked, 1)
	require.NoError(t, e.hsSrv.UpdateRecord("companies", hs, map[string]string{"name": "CW Name"}))
	rep := e.run()
	require.Empty(t, rep.Errors())
	parked, err = e.eng.Conflicts(e.ctx, "companies")
	require.NoError(t, err)
	assert.Empty(t, parked, rep.String())
	hsName, cwName := e.names(cw, hs)
	assert.Equal(t, "CW Name", hsName)
	assert.Equal(t, "CW Name", cwName)
	e.resetCalls()
	e.run()
	assert.Zero(t, e.writes())
}

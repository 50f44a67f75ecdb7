package syncer

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/mapping"
)

func testSpec(t *testing.T, conflict mapping.Conflict) *objectSpec {
	t.Helper()
	yes := true
	s := &mapping.Spec{Objects: []mapping.ObjectMapping{{
		Name: "companies", HubSpot: "companies", ConnectWise: "company/companies", Enabled: &yes, Conflict: conflict,
		Fields: []mapping.FieldMapping{
			{HubSpot: "cw_company_id", ConnectWise: "id", Direction: mapping.ToHubSpot,
				Property: &mapping.PropertyDef{Label: "ID", Type: "string", FieldType: "text", HasUniqueValue: true}},
			{HubSpot: "name", ConnectWise: "name"},
			{HubSpot: "city", ConnectWise: "city"},
			{HubSpot: "status", ConnectWise: "status/name", Direction: mapping.ToHubSpot},
			{HubSpot: "notes", ConnectWise: "notes", Direction: mapping.ToConnectWise},
		},
	}}}
	m, err := mapping.Compile(s, nil)
	require.NoError(t, err)
	o, err := newObjectSpec(m.Object("companies"), "", nil)
	require.NoError(t, err)
	return o
}

func TestDiffRules(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	base := &snapshot{Fields: mapping.Values{"name": "Acme", "city": "Springfield", "status": "Active", "notes": "n"}}
	for _, tc := range []struct {
		name     string
		conflict mapping.Conflict
		cw, hs   mapping.Values
		base     *snapshot
		hsNewer  bool
		toHS     map[string]string
		toCW     []string
		parked   []string
	}{
		{name: "agree", cw: mapping.Values{"name": "Acme"}, hs: mapping.Values{"name": "Acme"}, base: base},
		{name: "cw changed", cw: mapping.Values{"name": "Acme 2", "city": "Springfield", "status": "Active", "notes": "n"},
			hs: mapping.Values{"name": "Acme", "city": "Springfield", "status": "Active", "notes": "n"}, base: base,
			toHS: map[string]string{"name": "Acme 2"}},
		{name: "hs changed", cw: mapping.Values{"name": "Acme", "city": "Springfield", "status": "Active", "notes": "n"},
			hs: mapping.Values{"name": "Acme", "city": "Shelbyville", "status": "Active", "notes": "n"}, base: base,
			toCW: []string{"city"}},
		{name: "one-way drift is reverted", cw: mapping.Values{"name": "Acme", "city": "Springfield", "status": "Active", "notes": "n"},
			hs: mapping.Values{"name": "Acme", "city": "Springfield", "status": "Edited", "notes": "edited"}, base: base,
			toHS: map[string]string{"status": "Active"}, toCW: []string{"notes"}},
		{name: "both changed, CW preferred", conflict: mapping.PreferConnectWise,
			cw: mapping.Values{"name": "CW", "city": "Springfield", "status": "Active", "notes": "n"},
			hs: mapping.Values{"name": "HS", "city": "Springfield", "status": "Active", "notes": "n"}, base: base,
			toHS: map[string]string{"name": "CW"}},
		{name: "both changed, HubSpot preferred", conflict: mapping.PreferHubSpot,
			cw: mapping.Values{"name": "CW", "city": "Springfield", "status": "Active", "notes": "n"},
			hs: mapping.Values{"name": "HS", "city": "Springfield", "status": "Active", "notes": "n"}, base: base,
			toCW: []string{"name"}},
		{name: "both changed, most recent", conflict: mapping.MostRecent, hsNewer: true,
			cw: mapping.Values{"name": "CW", "city": "Springfield", "status": "Active", "notes": "n"},
			hs: mapping.Values{"name": "HS", "city": "Springfield", "status": "Active", "notes": "n"}, base: base,
			toCW: []string{"name"}},
		{name: "both changed, review", conflict: mapping.Review,
			cw: mapping.Values{"name": "CW", "city": "Springfield", "status": "Active", "notes": "n"},
			hs: mapping.Values{"name": "HS", "city": "Springfield", "status": "Active", "notes": "n"}, base: base,
			parked: []string{"name"}},
		{name: "new link never clears", cw: mapping.Values{"name": "Acme", "city": "Springfield"},
			hs:   mapping.Values{"name": "Acme", "status": "Old", "notes": "keep"},
			toHS: map[string]string{"city": "Springfield"}, toCW: []string{"notes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := testSpec(t, tc.conflict)
			e := &Engine{cfg: Config{DefaultConflict: mapping.PreferConnectWise}}
			hsMod := t0
			if tc.hsNewer {
				hsMod = t0.Add(time.Minute)
			}
			d := e.diff(o, diffInput{cw: tc.cw, hs: tc.hs, base: tc.base, cwMod: t0, hsMod: hsMod, cwPass: true, hsPass: true})
			if tc.toHS == nil {
				tc.toHS = map[string]string{}
			}
			assert.Equal(t, tc.toHS, d.toHS)
			assert.ElementsMatch(t, tc.toCW, d.toCW)
			assert.Equal(t, tc.parked, d.conflicts)
		})
	}
}

// A side whose record is filtered out of the other direction writes nothing there.
func TestDiffFilterFlags(t *testing.T) {
	o := testSpec(t, "")
	e := &Engine{cfg: Config{DefaultConflict: mapping.PreferConnectWise}}
	base := &snapshot{Fields: mapping.Values{"name": "Acme"}}
	d := e.diff(o, diffInput{cw: mapping.Values{"name": "New"}, hs: mapping.Values{"name": "Acme"}, base: base, cwPass: false, hsPass: true})
	assert.Empty(t, d.toHS)
	assert.Equal(t, "Acme", d.base["name"], "the base keeps the last agreed value")
}

func TestSnapshotRoundTrip(t *testing.T) {
	s := &snapshot{Fields: mapping.Values{"b": "2", "a": "1"}, Assoc: map[string]assocRef{"companies": {CW: 250, HS: "901"}}}
	got := decodeSnapshot(s.encode())
	assert.Equal(t, s, got)
	assert.Equal(t, `{"f":{"a":"1","b":"2"},"a":{"companies":{"c":250,"h":"901"}}}`, string(s.encode()))
	assert.Nil(t, decodeSnapshot(nil), "a link without a base is new")
}

func TestBackoff(t *testing.T) {
	e := &Engine{cfg: Config{RetryBackoff: time.Minute, MaxRetryBackoff: time.Hour}}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, now.Add(time.Minute), e.backoff(1, false, now))
	assert.Equal(t, now.Add(4*time.Minute), e.backoff(3, false, now))
	assert.Equal(t, now.Add(time.Hour), e.backoff(30, false, now))
	assert.Equal(t, now.Add(time.Hour), e.backoff(1, true, now))
	assert.Equal(t, "a\uFFFDb", sanitize("a\xffb\x00"))
}

func TestWindow(t *testing.T) {
	e := &Engine{cfg: Config{Overlap: 5 * time.Minute, SafetyLag: time.Minute}}
	start := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	from, to, next := e.window(time.Time{}, start)
	assert.True(t, from.IsZero())
	assert.Equal(t, start, to)
	assert.Equal(t, start.Add(-time.Minute), next)
	cur := start.Add(-30 * time.Second) // a cursor ahead of start - lag never moves back
	from, _, next = e.window(cur, start)
	assert.Equal(t, cur.Add(-5*time.Minute), from)
	assert.Equal(t, cur, next)
}

package mapping

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func cwFilter(t *testing.T, f Filter) *filterNode {
	t.Helper()
	n, err := compileFilter(&f, false, NewRegistry())
	require.NoError(t, err)
	return n
}

func hsFilter(t *testing.T, f Filter, reg *Registry) *filterNode {
	t.Helper()
	if reg == nil {
		reg = NewRegistry()
	}
	n, err := compileFilter(&f, true, reg)
	require.NoError(t, err)
	return n
}

func evalCW(t *testing.T, n *filterNode, rec map[string]any) bool {
	t.Helper()
	ok, err := n.eval(Record{ConnectWise: rec}, nil)
	require.NoError(t, err)
	return ok
}

func TestFilterIssueExamples(t *testing.T) {
	// ConnectWise companies whose deletedFlag is not true and whose type is Client.
	companies := cwFilter(t, Filter{And: []Filter{
		Where("deletedFlag", Ne, true),
		Where("types[name=Client]", Exists),
	}})
	client := decode(t, `{"deletedFlag": false, "types": [{"id": 1, "name": "Client"}]}`, true)
	deleted := decode(t, `{"deletedFlag": true, "types": [{"id": 1, "name": "Client"}]}`, true)
	prospect := decode(t, `{"types": [{"id": 4, "name": "Prospect"}]}`, true)
	assert.True(t, evalCW(t, companies, client))
	assert.False(t, evalCW(t, companies, deleted))
	assert.False(t, evalCW(t, companies, prospect))

	// Opportunities whose status is not Lost.
	open := cwFilter(t, Where("status/name", Ne, "Lost"))
	assert.True(t, evalCW(t, open, decode(t, `{"status": {"name": "Open"}}`, false)))
	assert.False(t, evalCW(t, open, decode(t, `{"status": {"name": "lost"}}`, false)), "case-insensitive")
	assert.True(t, evalCW(t, open, map[string]any{}), "missing status is not Lost")

	// HubSpot contacts whose lifecyclestage is customer.
	customers := hsFilter(t, Where("lifecyclestage", Eq, "customer"), nil)
	ok, err := customers.eval(Record{HubSpot: map[string]string{"lifecyclestage": "customer"}}, nil)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, _ = customers.eval(Record{HubSpot: map[string]string{"lifecyclestage": "lead"}}, nil)
	assert.False(t, ok)

	// HubSpot records in a list (membership supplied by the engine).
	lk := NewLookups()
	lk.SetListMembers("42", []string{"901", "902"})
	inList := hsFilter(t, Filter{InList: "42"}, nil)
	ok, _ = inList.eval(Record{HubSpot: map[string]string{"hs_object_id": "902"}}, lk)
	assert.True(t, ok)
	ok, _ = inList.eval(Record{HubSpot: map[string]string{"hs_object_id": "903"}}, lk)
	assert.False(t, ok)
	ok, _ = inList.eval(Record{HubSpot: map[string]string{"hs_object_id": "901"}}, nil)
	assert.False(t, ok, "nil lookups: no members")
}

func TestFilterOperators(t *testing.T) {
	rec := decode(t, `{"n": 12.50, "s": "Acme Legal", "d": "2026-06-09T00:00:00Z", "empty": "", "flag": true,
	  "typeIds": [1, 4], "nested": {"x": 1}}`, true)
	tests := []struct {
		f    Filter
		want bool
	}{
		{Where("n", Eq, 12.5), true},
		{Where("n", Eq, "12.5"), true},
		{Where("n", Gt, 9), true},
		{Where("n", Gte, 12.5), true},
		{Where("n", Lt, 100), true},
		{Where("n", Lte, 12), false},
		{Where("s", Contains, "legal"), true},
		{Where("s", Contains, "retail"), false},
		{Where("s", In, "x", "ACME LEGAL"), true},
		{Where("s", NotIn, "x", "y"), true},
		{Where("s", NotIn, "Acme Legal"), false},
		{Where("missing", NotIn, "a"), true},
		{Where("missing", In, "a"), false},
		{Where("missing", Eq, "a"), false},
		{Where("d", Gt, "2026-01-01T00:00:00Z"), true},
		{Where("d", Lt, "2026-01-01T00:00:00Z"), false},
		{Where("empty", Exists), false},
		{Where("empty", NotExists), true},
		{Where("flag", Eq, true), true},
		{Where("typeIds", Contains, 4), true},
		{Where("typeIds", Contains, 5), false},
		{Where("nested", Eq, "x"), false},
		{Filter{Not: &Filter{Path: "flag", Op: Eq, Value: true}}, false},
		{Filter{Or: []Filter{Where("s", Eq, "no"), Where("n", Eq, 12.5)}}, true},
		{Filter{Or: []Filter{Where("s", Eq, "no"), Where("n", Eq, 1)}}, false},
		{Filter{And: []Filter{Where("s", Exists), Where("n", Eq, 1)}}, false},
	}
	for i, tt := range tests {
		assert.Equal(t, tt.want, evalCW(t, cwFilter(t, tt.f), rec), "case %d %+v", i, tt.f)
	}
}

func TestFilterFuncs(t *testing.T) {
	reg := NewRegistry()
	boom := errors.New("boom")
	require.NoError(t, reg.RegisterPredicate("vip", func(r Record, _ *Lookups) (bool, error) {
		return r.HubSpot["tier"] == "gold", nil
	}))
	require.NoError(t, reg.RegisterPredicate("fails", func(Record, *Lookups) (bool, error) { return false, boom }))
	n := hsFilter(t, Filter{Func: "vip"}, reg)
	ok, err := n.eval(Record{HubSpot: map[string]string{"tier": "gold"}}, nil)
	require.NoError(t, err)
	assert.True(t, ok)

	_, err = hsFilter(t, Filter{And: []Filter{{Func: "fails"}}}, reg).eval(Record{HubSpot: map[string]string{}}, nil)
	assert.ErrorIs(t, err, boom)
	assert.ErrorContains(t, err, "predicate fails")

	m := cwFilter(t, Filter{Match: func(r Record, _ *Lookups) (bool, error) { return r.ConnectWise["id"] != nil, nil }})
	assert.True(t, evalCW(t, m, map[string]any{"id": 1}))
	_, err = hsFilter(t, Filter{Not: &Filter{Func: "fails"}}, reg).eval(Record{HubSpot: map[string]string{}}, nil)
	assert.Error(t, err)
}

func TestFilterCompileErrors(t *testing.T) {
	for i, f := range []Filter{
		{},
		{Path: "a"},
		{Op: Eq},
		{Path: "a", Op: "like", Value: "x"},
		{Path: "a", Op: In},
		{Path: "a", Op: In, Values: []any{map[string]any{}}},
		{Path: "a", Op: Eq, Value: []any{1}},
		{Path: "a[", Op: Exists},
		{Path: "a", Op: Exists, Not: &Filter{Path: "b", Op: Exists}},
		{And: []Filter{{}}},
		{And: []Filter{Where("a", Exists)}, Or: []Filter{Where("a", Exists)}},
		{Not: &Filter{}},
		{Func: "unknown"},
		{InList: "42"}, // ConnectWise side
	} {
		_, err := compileFilter(&f, false, NewRegistry())
		assert.Error(t, err, "case %d", i)
	}
}

func TestObjectSelect(t *testing.T) {
	s := contactSpec()
	s.Objects[0].Filters = Filters{
		ToHubSpot:     &Filter{Path: "inactiveFlag", Op: Ne, Value: true},
		ToConnectWise: &Filter{Path: "lifecyclestage", Op: Eq, Value: "customer"},
	}
	o := compileOne(t, s)
	ok, err := o.SelectConnectWise(map[string]any{"inactiveFlag": true}, nil)
	require.NoError(t, err)
	assert.False(t, ok)
	ok, err = o.SelectHubSpot(nil, nil)
	require.NoError(t, err)
	assert.False(t, ok)
	ok, err = o.SelectHubSpot(map[string]string{"lifecyclestage": "customer"}, nil)
	require.NoError(t, err)
	assert.True(t, ok)

	plain := compileOne(t, contactSpec())
	ok, _ = plain.SelectConnectWise(nil, nil)
	assert.True(t, ok)
	ok, _ = plain.SelectHubSpot(nil, nil)
	assert.True(t, ok)
}

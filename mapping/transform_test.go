package mapping

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func build(t *testing.T, st Step) *Transform {
	t.Helper()
	tr, err := NewRegistry().build(st)
	require.NoError(t, err, st.Name)
	return tr
}

type tcase struct {
	in   any
	want any
	err  error // sentinel expected with errors.Is; nil means success
}

func runHS(t *testing.T, tr *Transform, env *Env, cases []tcase) {
	t.Helper()
	for _, c := range cases {
		got, err := tr.ToHubSpot(c.in, env)
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, "in %#v", c.in)
			continue
		}
		require.NoError(t, err, "in %#v", c.in)
		assert.Equal(t, c.want, got, "in %#v", c.in)
	}
}

func runCW(t *testing.T, tr *Transform, env *Env, cases []tcase) {
	t.Helper()
	for _, c := range cases {
		got, err := tr.ToConnectWise(c.in, env)
		if c.err != nil {
			assert.ErrorIs(t, err, c.err, "in %#v", c.in)
			continue
		}
		require.NoError(t, err, "in %#v", c.in)
		assert.Equal(t, c.want, got, "in %#v", c.in)
	}
}

func TestStringTransforms(t *testing.T) {
	runHS(t, build(t, S("trim")), nil, []tcase{{" a b ", "a b", nil}, {nil, nil, nil}, {json.Number("3"), json.Number("3"), nil}})
	runHS(t, build(t, S("lower")), nil, []tcase{{" AbC", "abc", nil}})
	runCW(t, build(t, S("upper")), nil, []tcase{{"abc ", "ABC", nil}})
	text := build(t, S("text"))
	runHS(t, text, nil, []tcase{{json.Number("12"), "12", nil}, {12.5, "12.5", nil}, {true, "true", nil}, {nil, nil, nil}, {map[string]any{}, nil, ErrInvalidValue}})
	runCW(t, text, nil, []tcase{{"x", "x", nil}})
}

func TestEmail(t *testing.T) {
	tr := build(t, S("email"))
	runHS(t, tr, nil, []tcase{
		{" Emma@Test.COM ", "emma@test.com", nil},
		{"a.b+tag@sub.example.co.uk", "a.b+tag@sub.example.co.uk", nil},
		{"user@[10.0.0.1]", "user@[10.0.0.1]", nil},
		{"", "", nil},
		{nil, nil, nil},
		{"no-at-sign", nil, ErrInvalidValue},
		{"@example.com", nil, ErrInvalidValue},
		{"a@b@c.com", nil, ErrInvalidValue},
		{"a b@c.com", nil, ErrInvalidValue},
		{"a@localhost", nil, ErrInvalidValue},
		{"a@.com", nil, ErrInvalidValue},
		{42.0, nil, ErrInvalidValue},
	})
	n, err := tr.Normalize("X@Y.Z")
	require.NoError(t, err)
	assert.Equal(t, "x@y.z", n)
}

func TestPhone(t *testing.T) {
	tr := build(t, S("phone"))
	runHS(t, tr, nil, []tcase{
		{"+1 (661) 555-55", "+166155555", nil},
		{"484.261.8200", "4842618200", nil},
		{"+44 20 7946 0958 ext. 12", "+442079460958x12", nil},
		{"555-1234 x9", "5551234x9", nil},
		{"555 1234 #77", "5551234x77", nil},
		{json.Number("6548568"), "6548568", nil},
		{"", "", nil},
		{nil, nil, nil},
		{"call me", nil, ErrInvalidValue},
		{"+", nil, ErrInvalidValue},
		{"12 x", nil, ErrInvalidValue},
		{"1+2", nil, ErrInvalidValue},
	})
}

func TestNumber(t *testing.T) {
	tr := build(t, S("number"))
	runHS(t, tr, nil, []tcase{
		{json.Number("0.00"), "0", nil},
		{json.Number("1000.50"), "1000.5", nil},
		{json.Number("1e3"), "1000", nil},
		{1000.5, "1000.5", nil},
		{float64(250), "250", nil},
		{"-0.0", "0", nil},
		{"+0012.3400", "12.34", nil},
		{".5", "0.5", nil},
		{"1", "1", nil},
		{"  ", nil, nil},
		{nil, nil, nil},
		{"1,000", nil, ErrInvalidValue},
		{"1.2.3", nil, ErrInvalidValue},
		{"abc", nil, ErrInvalidValue},
		{".", nil, ErrInvalidValue},
		{true, nil, ErrInvalidValue},
		{[]any{}, nil, ErrInvalidValue},
	})
	runCW(t, tr, nil, []tcase{{"17", json.Number("17"), nil}, {"17.50", json.Number("17.5"), nil}, {nil, nil, nil}, {"x", nil, ErrInvalidValue}})
	runCW(t, build(t, S("number", "cw", "string")), nil, []tcase{{"17.0", "17", nil}})
	_, err := NewRegistry().build(S("number", "cw", "date"))
	assert.Error(t, err)
	_, err = NewRegistry().build(S("number", "bogus", "1"))
	assert.ErrorContains(t, err, "unknown argument(s) bogus")
}

func TestBoolAndNot(t *testing.T) {
	b := build(t, S("bool"))
	runHS(t, b, nil, []tcase{
		{true, "true", nil}, {false, "false", nil}, {"Yes", "true", nil}, {"0", "false", nil},
		{json.Number("1"), "true", nil}, {1.0, "true", nil}, {nil, nil, nil}, {"", nil, nil}, {"maybe", nil, ErrInvalidValue},
	})
	runCW(t, b, nil, []tcase{{"true", true, nil}, {"false", false, nil}, {nil, nil, nil}, {"x", nil, ErrInvalidValue}})
	runCW(t, build(t, S("bool", "cw", "string")), nil, []tcase{{"TRUE", "true", nil}, {"false", "false", nil}})
	n := build(t, S("not"))
	runHS(t, n, nil, []tcase{{true, "false", nil}, {false, "true", nil}})
	runCW(t, n, nil, []tcase{{"false", true, nil}, {"true", false, nil}})
	runCW(t, build(t, S("not", "cw", "string")), nil, []tcase{{"false", "true", nil}, {"true", "false", nil}})
	s, err := b.Normalize("True")
	require.NoError(t, err)
	assert.Equal(t, "true", s)
}

func TestValueMap(t *testing.T) {
	st := Step{Name: "map", Values: map[string]string{"Open": "open", "Won": "closedwon", "Lost": "closedlost"}}
	tr := build(t, st)
	assert.True(t, tr.Reversible)
	runHS(t, tr, nil, []tcase{{"Won", "closedwon", nil}, {nil, nil, nil}, {"Pending", nil, ErrUnmapped}, {map[string]any{}, nil, ErrInvalidValue}})
	runCW(t, tr, nil, []tcase{{"closedlost", "Lost", nil}, {"", "", nil}, {"other", nil, ErrUnmapped}})

	many := Step{Name: "map", Values: map[string]string{"Won": "closedwon", "Closed Won": "closedwon"}, Args: map[string]string{"default": "open", "reverseDefault": "Open"}}
	tr = build(t, many)
	assert.False(t, tr.Reversible, "many-to-one without reverseValues is lossy")
	runHS(t, tr, nil, []tcase{{"Nope", "open", nil}})
	runCW(t, tr, nil, []tcase{{"unknown", "Open", nil}})

	many.ReverseValues = map[string]string{"closedwon": "Won"}
	tr = build(t, many)
	assert.True(t, tr.Reversible)
	runCW(t, tr, nil, []tcase{{"closedwon", "Won", nil}})

	num := build(t, Step{Name: "map", Values: map[string]string{"3": "qualified"}, Args: map[string]string{"cw": "number"}})
	runHS(t, num, nil, []tcase{{json.Number("3"), "qualified", nil}, {3.0, "qualified", nil}})
	runCW(t, num, nil, []tcase{{"qualified", json.Number("3"), nil}})

	onlyRev := build(t, Step{Name: "map", ReverseValues: map[string]string{"gold": "Gold"}})
	assert.False(t, onlyRev.Reversible)
	runCW(t, onlyRev, nil, []tcase{{"gold", "Gold", nil}})
	runHS(t, onlyRev, nil, []tcase{{"Gold", "gold", nil}})

	_, err := NewRegistry().build(Step{Name: "map"})
	assert.ErrorContains(t, err, "map needs values or reverseValues")
	_, err = NewRegistry().build(Step{Name: "trim", Values: map[string]string{"a": "b"}})
	assert.ErrorContains(t, err, "only allowed on the map")
}

func TestLookup(t *testing.T) {
	lk := NewLookups()
	lk.SetTable(TableOwners, map[string]string{"12": "41629779", "13": "555", "14": "555"})
	env := &Env{Lookups: lk}
	tr := build(t, S("lookup", "table", TableOwners, "cw", "number"))
	runHS(t, tr, env, []tcase{{json.Number("12"), "41629779", nil}, {12.0, "41629779", nil}, {nil, nil, nil}, {json.Number("99"), nil, ErrUnmapped}})
	runCW(t, tr, env, []tcase{{"41629779", json.Number("12"), nil}, {"555", nil, ErrAmbiguous}, {"1", nil, ErrUnmapped}, {"", "", nil}})

	runHS(t, build(t, S("lookup", "table", "missing")), env, []tcase{{"x", nil, ErrNoTable}})
	runHS(t, build(t, S("lookup", "table", "missing")), &Env{}, []tcase{{"x", nil, ErrNoTable}})
	def := build(t, S("lookup", "table", TableOwners, "default", "1", "reverseDefault", "7"))
	runHS(t, def, env, []tcase{{"99", "1", nil}})
	runCW(t, def, env, []tcase{{"nobody", "7", nil}})
	_, err := NewRegistry().build(S("lookup"))
	assert.ErrorContains(t, err, "needs a table")
}

func TestSplitConcatJoinConstDefault(t *testing.T) {
	runHS(t, build(t, S("split")), nil, []tcase{{" Jane  Q Doe ", "Jane", nil}, {"", nil, nil}, {nil, nil, nil}})
	runHS(t, build(t, S("split", "part", "last")), nil, []tcase{{"Jane Q Doe", "Doe", nil}, {"Jane", nil, nil}})
	runHS(t, build(t, S("split", "part", "rest")), nil, []tcase{{"Jane Q Doe", "Q Doe", nil}, {"Jane", nil, nil}})
	runHS(t, build(t, S("split", "part", "1", "sep", ";")), nil, []tcase{{"a; b ;c", "b", nil}, {"a", nil, nil}})
	for _, bad := range []Step{S("split", "part", "x"), S("split", "sep", ""), S("concat"), S("join"), S("const"), S("default"), S("date", "zone", "Mars/Base")} {
		_, err := NewRegistry().build(bad)
		assert.Error(t, err, bad.Name)
	}

	rec := map[string]any{"firstName": "Ann", "lastName": " Lee ", "title": nil}
	c := build(t, S("concat", "paths", "lastName, title", "sep", " "))
	assert.Nil(t, c.ToConnectWise)
	runHS(t, c, &Env{ConnectWise: rec}, []tcase{{"Ann", "Ann Lee", nil}, {nil, "Lee", nil}})
	runHS(t, c, &Env{}, []tcase{{nil, nil, nil}})

	j := build(t, S("join", "properties", "lastname"))
	assert.Nil(t, j.ToHubSpot)
	runCW(t, j, &Env{HubSpot: Values{"lastname": "Lee"}}, []tcase{{"Ann", "Ann Lee", nil}})

	k := build(t, S("const", "value", "default"))
	assert.False(t, k.Reversible)
	runHS(t, k, nil, []tcase{{"anything", "default", nil}, {nil, "default", nil}})
	runCW(t, build(t, S("const", "value", "5", "cw", "number")), nil, []tcase{{nil, json.Number("5"), nil}})
	runCW(t, build(t, S("const", "value", "true", "cw", "bool")), nil, []tcase{{nil, true, nil}})

	d := build(t, S("default", "value", "Unknown", "reverse", "n/a"))
	runHS(t, d, nil, []tcase{{nil, "Unknown", nil}, {" ", "Unknown", nil}, {"x", "x", nil}})
	runCW(t, d, nil, []tcase{{nil, "n/a", nil}, {"y", "y", nil}})
}

func TestDomain(t *testing.T) {
	runHS(t, build(t, S("domain")), nil, []tcase{
		{"www.example.com", "example.com", nil},
		{"https://WWW.Example.com:8443/about?x=1", "example.com", nil},
		{"http://user@shop.example.co.uk/", "shop.example.co.uk", nil},
		{"", nil, nil},
		{nil, nil, nil},
		{"not a site", nil, ErrInvalidValue},
		{"localhost", nil, ErrInvalidValue},
		{3.0, nil, ErrInvalidValue},
	})
}

func TestRegistry(t *testing.T) {
	r := NewRegistry()
	assert.Contains(t, r.Names(), "email")
	assert.Error(t, r.Register("email", newEmail))
	assert.Error(t, r.Register("", newEmail))
	require.NoError(t, r.Register("sku", func(Step) (*Transform, error) {
		return &Transform{ToHubSpot: func(v any, _ *Env) (any, error) { return "SKU-" + v.(string), nil }}, nil
	}))
	require.NoError(t, r.Register("empty", func(Step) (*Transform, error) { return &Transform{}, nil }))
	_, err := r.build(S("empty"))
	assert.ErrorContains(t, err, "no functions")
	_, err = r.build(S("nope"))
	assert.ErrorContains(t, err, "unknown transform")
	require.NoError(t, r.RegisterPredicate("p", func(Record, *Lookups) (bool, error) { return true, nil }))
	assert.Error(t, r.RegisterPredicate("p", func(Record, *Lookups) (bool, error) { return true, nil }))
	assert.Error(t, r.RegisterPredicate("", nil))
	tr, err := r.build(S("sku"))
	require.NoError(t, err)
	v, err := tr.ToHubSpot("1", nil)
	require.NoError(t, err)
	assert.Equal(t, "SKU-1", v)
	assert.True(t, errors.Is(invalid("x"), ErrInvalidValue))
}

func TestList(t *testing.T) {
	tr := build(t, S("list", "key", "name"))
	types := []any{map[string]any{"id": 1, "name": "Prospect"}, map[string]any{"id": 2, "name": "Client"}, "junk", map[string]any{"name": "Client"}}
	runHS(t, tr, nil, []tcase{{types, "Client;Prospect", nil}, {nil, nil, nil}, {[]any{}, "", nil}, {"b; a;b", "a;b", nil}, {3.0, nil, ErrInvalidValue}})
	runCW(t, tr, nil, []tcase{
		{"Prospect;Client", []any{map[string]any{"name": "Client"}, map[string]any{"name": "Prospect"}}, nil},
		{";", nil, nil}, {nil, nil, nil},
	})
	plain := build(t, S("list"))
	runHS(t, plain, nil, []tcase{{[]any{json.Number("4"), 1.0}, "1;4", nil}})
	runCW(t, plain, nil, []tcase{{"x;y", []any{"x", "y"}, nil}})
	n, err := plain.Normalize("b;a;;a")
	require.NoError(t, err)
	assert.Equal(t, "a;b", n)
}

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

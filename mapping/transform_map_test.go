package mapping

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func TestJSONNumberLiterals(t *testing.T) {
	for s, want := range map[string]any{"15": json.Number("15"), "-3": json.Number("-3"), "0": json.Number("0"),
		"007": "007", "+1": "+1", "-": "-", "1.5": "1.5", "Email": "Email", "true": true} {
		assert.Equal(t, want, literal(s), s)
	}
	for s, want := range map[string]any{"12": json.Number("12"), "1.5e3": json.Number("1.5e3"), "Inf": "Inf",
		"0x1p-2": "0x1p-2", "1 ": "1 ", "007": "007", " 1": " 1", "": ""} {
		assert.Equal(t, want, cwTyped(s, "number"), s)
	}
	assert.Equal(t, true, cwTyped("yes", "bool"))
	assert.Equal(t, "maybe", cwTyped("maybe", "bool"))
}

package mapping

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

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

func TestMaxLen(t *testing.T) {
	tr := build(t, S("maxlen", "n", "5"))
	runHS(t, tr, nil, []tcase{{"longer than five", "longer than five", nil}})
	runCW(t, tr, nil, []tcase{{"héllo", "héllo", nil}, {"héllo!", nil, ErrInvalidValue}, {nil, nil, nil}})
	runCW(t, build(t, S("maxlen", "n", "3", "truncate", "true")), nil, []tcase{{"héllo", "hél", nil}})
	for _, bad := range []Step{S("maxlen"), S("maxlen", "n", "0"), S("maxlen", "n", "3", "truncate", "maybe")} {
		_, err := NewRegistry().build(bad)
		assert.Error(t, err)
	}
}

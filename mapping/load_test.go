package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

func readSpec(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "specs", name))
	require.NoError(t, err)
	return b
}

func TestLoadGoodYAML(t *testing.T) {
	s, err := Load("good.yaml", readSpec(t, "good.yaml"))
	require.NoError(t, err)
	m, err := Compile(s, nil)
	require.NoError(t, err)
	c := m.Object("contacts")
	assert.Equal(t, Conflict(PreferConnectWise), c.Conflict())
	fields := c.Fields()
	require.Len(t, fields, 4)
	assert.Equal(t, PreferHubSpot, fields[2].Conflict)
	assert.Equal(t, PreferConnectWise, fields[1].Conflict, "object default")
	assert.False(t, m.Object("deals").Enabled())

	rec := decode(t, `{"id": 5, "firstName": "Ann", "customFields": [{"id": 3, "caption": "Tier", "value": "Platinum"}]}`, true)
	v, err := c.FromConnectWise(rec, nil)
	require.NoError(t, err)
	assert.Equal(t, Values{"cw_contact_id": "5", "firstname": "Ann", "cw_tier": "silver"}, v)
	ops, err := c.Patch(Values{"cw_tier": "gold", "firstname": "Ann"}, rec, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, []PatchOp{{Op: "replace", Path: "/customFields", Value: []any{map[string]any{"id": json5(3), "value": "Gold"}}}}, ops)

	lk := NewLookups()
	lk.SetListMembers("42", []string{"7"})
	ok, err := c.SelectHubSpot(map[string]string{"hs_object_id": "7"}, lk)
	require.NoError(t, err)
	assert.True(t, ok)

	// The loaded spec survives a YAML round trip (bare step names stay bare).
	out, err := yaml.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(out), "- email\n")
	s2, err := LoadYAML("again.yaml", out)
	require.NoError(t, err)
	assert.Equal(t, s.Objects, s2.Objects)
}

func json5(n int) any { return literal(itoa(n)) }

func itoa(n int) string { s, _ := scalarString(n); return s }

func TestLoadGoodJSON(t *testing.T) {
	s, err := Load("good.JSON", readSpec(t, "good.json"))
	require.NoError(t, err)
	m, err := Compile(s, nil)
	require.NoError(t, err)
	o := m.Object("companies")
	ok, err := o.SelectConnectWise(decode(t, `{"types": [{"name": "Client"}]}`, false), nil)
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestLoadIssuesCarryLines(t *testing.T) {
	type at struct {
		code string
		line int
	}
	for _, tt := range []struct {
		file string
		want []at
	}{
		{"bad.yaml", []at{{CodeBadPath, 7}, {CodeUnknownTransform, 12}, {CodePropertyName, 15}, {CodePropertyType, 18}, {CodePropertyOptions, 15}}},
		{"bad.json", []at{{CodeDuplicateTarget, 10}, {CodeMatchKey, 7}}},
	} {
		s, err := Load(tt.file, readSpec(t, tt.file))
		require.NoError(t, err)
		err = Validate(s, nil)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, tt.file)
		var got []at
		for _, i := range ve.Issues {
			assert.Equal(t, tt.file, i.File)
			got = append(got, at{i.Code, i.Line})
		}
		assert.ElementsMatch(t, tt.want, got, tt.file)
	}
	s, _ := Load("bad.yaml", readSpec(t, "bad.yaml"))
	err := Validate(s, nil)
	assert.Contains(t, err.Error(), `bad.yaml:12: contacts.firstname: unknown transform "shout" [unknown_transform at objects[0].fields[1].transform[1]]`)
}

func TestLoadDecodeErrors(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"unknown.yaml", "objects:\n  - name: x\n    colour: red\n", 3, "colour"},
		{"syntax.yaml", "objects:\n  - name: [x\n", 0, "yaml"},
		{"type.yaml", "objects:\n  - name: x\n    fields: 3\n", 3, "cannot unmarshal"},
		{"step.yaml", "objects:\n  - name: x\n    fields:\n      - hubspot: a\n        transform:\n          - {name: trim, extra: 1}\n", 6, "extra"},
		{"stepkind.yaml", "objects:\n  - name: x\n    fields:\n      - hubspot: a\n        transform:\n          - [trim]\n", 6, "name or an object"},
		{"unknown.json", "{\n  \"objects\": [\n    {\"name\": \"x\", \"colour\": 1}\n  ]\n}", 3, "unknown field"},
		{"syntax.json", "{\n  \"objects\": [\n    {\"name\": }\n  ]\n}", 3, "invalid character"},
		{"type.json", "{\n  \"objects\": [\n    {\"name\": 5}\n  ]\n}", 3, "cannot unmarshal"},
		{"step.json", "{\"objects\": [{\"fields\": [{\"hubspot\": \"a\", \"transform\": [{\"name\": \"trim\", \"x\": 1}]}]}]}", 1, "unknown field"},
		{"trailing.json", "{}\n{}", 2, "after the spec"},
	}
	for _, tt := range tests {
		_, err := Load(tt.name, []byte(tt.data))
		var le *LoadError
		require.True(t, errors.As(err, &le), "%s: %v", tt.name, err)
		assert.Equal(t, tt.name, le.File)
		if tt.line > 0 {
			assert.Equal(t, tt.line, le.Line, "%s: %v", tt.name, err)
			assert.Contains(t, err.Error(), tt.name+":")
		}
		assert.Contains(t, err.Error(), tt.msg, tt.name)
		assert.NotNil(t, errors.Unwrap(err))
	}
}

func TestSourceLine(t *testing.T) {
	src := &source{lines: map[string]int{"objects[0]": 2, "objects[0].fields[1]": 9}}
	assert.Equal(t, 9, src.line("objects[0].fields[1].transform[0]"))
	assert.Equal(t, 2, src.line("objects[0].match[0]"))
	assert.Equal(t, 0, src.line("groups[0]"))
	assert.Equal(t, "x:1: m [c at l]", Issue{File: "x", Line: 1, Message: "m", Code: "c", Location: "l"}.String())
}

// Default() written as YAML is checked in as documentation of the format,
// and loads back to the same spec.
func TestDefaultAsYAML(t *testing.T) {
	out, err := yaml.Marshal(Default())
	require.NoError(t, err)
	path := filepath.Join("testdata", "golden", "default.yaml")
	if os.Getenv("HUBWISE_UPDATE_GOLDEN") != "" {
		require.NoError(t, os.WriteFile(path, out, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(out))
	s, err := LoadYAML("default.yaml", want)
	require.NoError(t, err)
	assert.Equal(t, Default().Objects, s.Objects)
	assert.Equal(t, Default().Groups, s.Groups)
	_, err = Compile(s, nil)
	require.NoError(t, err)
}

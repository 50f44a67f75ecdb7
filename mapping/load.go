package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// source records where a loaded spec came from.
type source struct {
	file  string
	lines map[string]int // location ("objects[0].fields[2]") -> line
}

// line returns the line of loc, or of its closest enclosing location.
func (s *source) line(loc string) int {
	for loc != "" {
		if n, ok := s.lines[loc]; ok {
			return n
		}
		i := strings.LastIndexAny(loc, ".[")
		if i < 0 {
			break
		}
		loc = loc[:i]
	}
	return 0
}

// LoadError is a spec that cannot be decoded: bad syntax, an unknown key or
// a value of the wrong type. Line is 0 when the decoder did not say.
type LoadError struct {
	File string // name given to Load
	Line int    // 1-based line, 0 when unknown
	Err  error  // decoder error
}

// Error renders "mapping: file:line: message".
func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("mapping: %s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("mapping: %s: %v", e.File, e.Err)
}

// Unwrap returns the decoder's error.
func (e *LoadError) Unwrap() error { return e.Err }

// Load decodes a spec from data: JSON when name ends in ".json", YAML
// otherwise. Unknown keys are errors. Load only decodes; Compile or Validate
// the result, whose issues then carry name and line numbers. Load does no
// I/O: read the file yourself (os.ReadFile, embed.FS).
func Load(name string, data []byte) (*Spec, error) {
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		return LoadJSON(name, data)
	}
	return LoadYAML(name, data)
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// LoadYAML decodes a YAML spec.
func LoadYAML(name string, data []byte) (*Spec, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlErr(name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	s := &Spec{}
	if err := dec.Decode(s); err != nil {
		return nil, yamlErr(name, err)
	}
	s.src = &source{file: name, lines: map[string]int{}}
	if len(root.Content) > 0 {
		walkLines(root.Content[0], "", s.src.lines)
	}
	return s, nil
}

func yamlErr(name string, err error) error {
	le := &LoadError{File: name, Err: err}
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		le.Line, _ = strconv.Atoi(m[1])
	}
	return le
}

// LoadJSON decodes a JSON spec.
func LoadJSON(name string, data []byte) (*Spec, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	s := &Spec{}
	if err := dec.Decode(s); err != nil {
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = te.Offset
		default:
			off = unknownFieldOffset(data, err, off)
		}
		return nil, &LoadError{File: name, Line: lineAt(data, off), Err: err}
	}
	if dec.More() {
		return nil, &LoadError{File: name, Line: lineAt(data, dec.InputOffset()), Err: errors.New("data after the spec object")}
	}
	s.src = &source{file: name, lines: map[string]int{}}
	// JSON is YAML: reuse the YAML parser for positions only.
	var root yaml.Node
	if yaml.Unmarshal(data, &root) == nil && len(root.Content) > 0 {
		walkLines(root.Content[0], "", s.src.lines)
	}
	return s, nil
}

// unknownFieldOffset finds the key named by encoding/json's "unknown field"
// error, which carries no offset.
func unknownFieldOffset(data []byte, err error, def int64) int64 {
	name, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return def
	}
	re, rerr := regexp.Compile(regexp.QuoteMeta(name) + `\s*:`)
	if rerr != nil {
		return def
	}
	if loc := re.FindIndex(data); loc != nil {
		return int64(loc[0])
	}
	return def
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// walkLines records the line of every location below n.
func walkLines(n *yaml.Node, loc string, lines map[string]int) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			child := k.Value
			if loc != "" {
				child = loc + "." + k.Value
			}
			lines[child] = k.Line
			walkLines(v, child, lines)
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			child := loc + "[" + strconv.Itoa(i) + "]"
			lines[child] = v.Line
			walkLines(v, child, lines)
		}
	}
}

// stepFields lists the keys a Step object may have.
var stepFields = []string{"name", "args", "values", "reverseValues"}

// UnmarshalYAML accepts a bare transform name or a step object.
func (s *Step) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		s.Name = n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a transform step is a name or an object", n.Line)
	}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		known := false
		for _, f := range stepFields {
			known = known || k.Value == f
		}
		if !known {
			return fmt.Errorf("line %d: field %s not found in type mapping.Step", k.Line, k.Value)
		}
	}
	type plain Step
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*s = Step(p)
	return nil
}

// UnmarshalJSON accepts a bare transform name or a step object.
func (s *Step) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &s.Name)
	}
	type plain Step
	var p plain
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return err
	}
	*s = Step(p)
	return nil
}

// MarshalYAML writes steps without parameters as bare names.
func (s Step) MarshalYAML() (any, error) {
	if len(s.Args) == 0 && len(s.Values) == 0 && len(s.ReverseValues) == 0 {
		return s.Name, nil
	}
	type plain Step
	return plain(s), nil
}

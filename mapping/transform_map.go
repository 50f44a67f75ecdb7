package mapping

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// newValueMap maps picklist values (ConnectWise status or stage names to
// HubSpot enumeration values or deal stage ids) with Step.Values, and back
// with Step.ReverseValues or, when Values is one-to-one, its inverse (in a
// field's explicit reverse chain, give reverseValues only). An
// unmapped value is an ErrUnmapped error naming it, unless the "default"
// (toward HubSpot) or "reverseDefault" (toward ConnectWise) argument is set.
// "cw=number" writes the ConnectWise value as a JSON number.
func newValueMap(st Step) (*Transform, error) {
	a := argsOf(st)
	def, hasDef := a.opt("default")
	rdef, hasRDef := a.opt("reverseDefault")
	cw, err := a.cwKind("string")
	if err != nil {
		return nil, err
	}
	if err := a.done(true); err != nil {
		return nil, err
	}
	if len(st.Values) == 0 && len(st.ReverseValues) == 0 {
		return nil, errors.New("map needs values or reverseValues")
	}
	fwd, rev := st.Values, st.ReverseValues
	reversible := true
	if len(rev) == 0 {
		rev, reversible = invert(fwd)
	}
	if len(fwd) == 0 {
		fwd, _ = invert(rev)
		reversible = false // only the HubSpot-to-ConnectWise map was given
	}
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			s, ok := scalarString(v)
			if !ok {
				return nil, invalid("%T is not a scalar", v)
			}
			if out, ok := fwd[s]; ok {
				return out, nil
			}
			if hasDef {
				return def, nil
			}
			return nil, ErrUnmapped
		},
		ToConnectWise: func(v any, _ *Env) (any, error) {
			s, ok := v.(string)
			if !ok || s == "" {
				return v, nil
			}
			out, ok := rev[s]
			if !ok {
				if !hasRDef {
					return nil, ErrUnmapped
				}
				out = rdef
			}
			return cwTyped(out, cw), nil
		},
		Reversible: reversible,
		Kind:       KindString,
	}, nil
}

// invert swaps keys and values; ok is false when several keys share a value.
func invert(m map[string]string) (map[string]string, bool) {
	out := make(map[string]string, len(m))
	ok := true
	for k, v := range m {
		if _, dup := out[v]; dup {
			ok = false
		}
		out[v] = k
	}
	return out, ok
}

func cwTyped(s, kind string) any {
	switch kind {
	case "number":
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
	case "bool":
		if b, err := parseBool(s); err == nil {
			return b
		}
	}
	return s
}

// newLookup maps a value through a table the engine supplies at run time
// (Lookups.SetTable): ConnectWise member id to HubSpot owner id, ConnectWise
// stage name to HubSpot deal stage id. Arguments: table (required), default
// and reverseDefault as for map, cw=number to write ids as JSON numbers.
func newLookup(st Step) (*Transform, error) {
	a := argsOf(st)
	name := a.get("table", "")
	def, hasDef := a.opt("default")
	rdef, hasRDef := a.opt("reverseDefault")
	cw, err := a.cwKind("string")
	if err != nil {
		return nil, err
	}
	if err := a.done(false); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errors.New("lookup needs a table argument")
	}
	return &Transform{
		ToHubSpot: func(v any, env *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			s, ok := scalarString(v)
			if !ok {
				return nil, invalid("%T is not a scalar", v)
			}
			out, found, err := env.Lookups.Lookup(name, s)
			switch {
			case err != nil:
				return nil, err
			case found:
				return out, nil
			case hasDef:
				return def, nil
			}
			return nil, fmt.Errorf("%w in table %q", ErrUnmapped, name)
		},
		ToConnectWise: func(v any, env *Env) (any, error) {
			s, ok := v.(string)
			if !ok || s == "" {
				return v, nil
			}
			out, found, err := env.Lookups.ReverseLookup(name, s)
			switch {
			case err != nil:
				return nil, err
			case found:
				return cwTyped(out, cw), nil
			case hasRDef:
				return cwTyped(rdef, cw), nil
			}
			return nil, fmt.Errorf("%w in table %q", ErrUnmapped, name)
		},
		Reversible: true,
		Kind:       KindString,
	}, nil
}

// newSplit picks one part of a string split on "sep" (default " "): part is
// first, last, rest (all but the first) or a 0-based index. One-way: a
// part cannot rebuild the whole.
func newSplit(st Step) (*Transform, error) {
	a := argsOf(st)
	sep := a.get("sep", " ")
	part := a.get("part", "first")
	if err := a.done(false); err != nil {
		return nil, err
	}
	if sep == "" {
		return nil, errors.New("sep must not be empty")
	}
	idx := -1
	switch part {
	case "first", "last", "rest":
	default:
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("part must be first, last, rest or an index, not %q", part)
		}
		idx = n
	}
	apply := func(v any, _ *Env) (any, error) {
		s, ok := v.(string)
		if !ok {
			return v, nil
		}
		s = strings.TrimSpace(s)
		var parts []string
		for _, p := range strings.Split(s, sep) {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		if len(parts) == 0 {
			return nil, nil
		}
		switch {
		case part == "first":
			return parts[0], nil
		case part == "last":
			if len(parts) == 1 {
				return nil, nil
			}
			return parts[len(parts)-1], nil
		case part == "rest":
			if len(parts) == 1 {
				return nil, nil
			}
			return strings.Join(parts[1:], sep), nil
		case idx < len(parts):
			return parts[idx], nil
		}
		return nil, nil
	}
	return &Transform{ToHubSpot: apply, ToConnectWise: apply}, nil
}

// joinParts concatenates the non-empty scalar parts with sep.
func joinParts(sep string, parts ...any) any {
	var b strings.Builder
	for _, p := range parts {
		s, ok := scalarString(p)
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	if b.Len() == 0 {
		return nil
	}
	return b.String()
}

// newConcat joins the field's own value with the values at other
// ConnectWise paths ("paths", comma separated) using "sep" (default " "),
// skipping empty parts. One-way toward HubSpot.
func newConcat(st Step) (*Transform, error) {
	a := argsOf(st)
	sep := a.get("sep", " ")
	list := a.get("paths", "")
	if err := a.done(false); err != nil {
		return nil, err
	}
	var paths []Path
	for _, raw := range strings.Split(list, ",") {
		if raw = strings.TrimSpace(raw); raw == "" {
			continue
		}
		p, err := ParsePath(raw)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil, errors.New("concat needs paths")
	}
	return &Transform{ToHubSpot: func(v any, env *Env) (any, error) {
		parts := make([]any, 0, len(paths)+1)
		parts = append(parts, v)
		for _, p := range paths {
			x, _ := p.Get(env.ConnectWise)
			parts = append(parts, x)
		}
		return joinParts(sep, parts...), nil
	}}, nil
}

// newJoin is concat toward ConnectWise: it joins the field's HubSpot value
// with other HubSpot properties ("properties", comma separated).
func newJoin(st Step) (*Transform, error) {
	a := argsOf(st)
	sep := a.get("sep", " ")
	list := a.get("properties", "")
	if err := a.done(false); err != nil {
		return nil, err
	}
	var props []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			props = append(props, p)
		}
	}
	if len(props) == 0 {
		return nil, errors.New("join needs properties")
	}
	return &Transform{ToConnectWise: func(v any, env *Env) (any, error) {
		parts := make([]any, 0, len(props)+1)
		parts = append(parts, v)
		for _, p := range props {
			if s, ok := env.HubSpot[p]; ok {
				parts = append(parts, s)
			}
		}
		return joinParts(sep, parts...), nil
	}}, nil
}

// newConst ignores its input and yields "value" both ways (for one-way
// fields such as a fixed deal pipeline). "cw" types the ConnectWise value.
func newConst(st Step) (*Transform, error) {
	a := argsOf(st)
	val, ok := a.opt("value")
	cw, err := a.cwKind("string")
	if err != nil {
		return nil, err
	}
	if err := a.done(false); err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("const needs a value argument")
	}
	typed := cwTyped(val, cw)
	return &Transform{
		ToHubSpot:     func(any, *Env) (any, error) { return val, nil },
		ToConnectWise: func(any, *Env) (any, error) { return typed, nil },
	}, nil
}

// newDefault replaces a missing or empty value with "value" toward HubSpot
// (and with "reverse", when given, toward ConnectWise); other values pass.
func newDefault(st Step) (*Transform, error) {
	a := argsOf(st)
	val, ok := a.opt("value")
	rev, hasRev := a.opt("reverse")
	if err := a.done(false); err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("default needs a value argument")
	}
	empty := func(v any) bool {
		s, isStr := v.(string)
		return v == nil || (isStr && strings.TrimSpace(s) == "")
	}
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) {
			if empty(v) {
				return val, nil
			}
			return v, nil
		},
		ToConnectWise: func(v any, _ *Env) (any, error) {
			if hasRev && empty(v) {
				return rev, nil
			}
			return v, nil
		},
		Reversible: true,
	}, nil
}

// newList maps a ConnectWise array (of scalars, or of objects whose "key"
// field is taken, such as types[].name) to a HubSpot multi-select value:
// the distinct values sorted and joined with ";" (hubspot-api.md §8,
// "Multi-select values are joined with ;"). Toward ConnectWise it yields an
// array of strings, or of {key: value} objects when key is set. HubSpot
// values are normalised the same way, so order and duplicates never count
// as changes.
func newList(st Step) (*Transform, error) {
	a := argsOf(st)
	key := a.get("key", "")
	if err := a.done(false); err != nil {
		return nil, err
	}
	norm := func(s string) (string, error) {
		return joinSorted(strings.Split(s, ";")), nil
	}
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			if s, ok := v.(string); ok {
				return joinSorted(strings.Split(s, ";")), nil
			}
			arr, ok := v.([]any)
			if !ok {
				return nil, invalid("%T is not a list", v)
			}
			parts := make([]string, 0, len(arr))
			for _, el := range arr {
				if key != "" {
					m, _ := el.(map[string]any)
					el = m[key]
				}
				if s, ok := scalarString(el); ok {
					parts = append(parts, s)
				}
			}
			return joinSorted(parts), nil
		},
		ToConnectWise: func(v any, _ *Env) (any, error) {
			s, ok := v.(string)
			if !ok {
				return v, nil
			}
			var out []any
			for _, p := range strings.Split(joinSorted(strings.Split(s, ";")), ";") {
				if p == "" {
					continue
				}
				if key != "" {
					out = append(out, map[string]any{key: p})
				} else {
					out = append(out, p)
				}
			}
			if out == nil {
				return nil, nil
			}
			return out, nil
		},
		Reversible: true,
		Kind:       KindString,
		Normalize:  norm,
	}, nil
}

// joinSorted trims, drops empty and duplicate parts, sorts and joins with ";".
func joinSorted(parts []string) string {
	clean := make([]string, 0, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			clean = append(clean, p)
		}
	}
	slices.Sort(clean)
	return strings.Join(slices.Compact(clean), ";")
}

package mapping

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
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
		if isJSONNumber(s) {
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

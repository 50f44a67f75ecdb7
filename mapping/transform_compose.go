package mapping

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

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

// newMaxLen enforces a ConnectWise field's maximum length on values written
// toward ConnectWise ("n" runes; connectwise-api.md §5 lists them, e.g.
// company identifier 30, name 50, opportunity name 100), so an overlong
// HubSpot value fails as a field error naming the record instead of a 400
// for the whole write. With truncate=true it cuts the value instead. Values
// toward HubSpot pass unchanged.
func newMaxLen(st Step) (*Transform, error) {
	a := argsOf(st)
	nStr := a.get("n", "")
	trunc := a.get("truncate", "false")
	if err := a.done(false); err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(nStr)
	if err != nil || n <= 0 {
		return nil, fmt.Errorf("n must be a positive integer, not %q", nStr)
	}
	cut, err := parseBool(trunc)
	if err != nil {
		return nil, fmt.Errorf("truncate must be true or false")
	}
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) { return v, nil },
		ToConnectWise: func(v any, _ *Env) (any, error) {
			s, ok := v.(string)
			if !ok || utf8.RuneCountInString(s) <= n {
				return v, nil
			}
			if !cut {
				return nil, invalid("longer than %d characters", n)
			}
			return string([]rune(s)[:n]), nil
		},
		Reversible: true,
	}, nil
}

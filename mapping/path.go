package mapping

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Path is a compiled ConnectWise field path. The syntax addresses nested
// objects and arrays the way ConnectWise's own conditions do (fields nested
// with "/", connectwise-api.md §4), plus selectors for array elements:
//
//	name                                    top-level field
//	status/name                             field of a nested reference
//	company/id                              id of a reference
//	communicationItems[communicationType=Email,defaultFlag=true]/value
//	customFields[caption=Industry]/value    custom field by caption
//	customFields[id=15]/value               custom field by id
//	types[0]/name                           array element by index
//
// A selector lists key=value conditions that must all hold for an element;
// values may be quoted with ' or " to contain , ] or =. Reading a path never
// panics: missing keys, nulls and wrong types read as "no value".
type Path struct {
	raw  string
	segs []segment
}

type segment struct {
	key   string
	conds []cond // selector conditions; nil when none
	index int    // element index, or -1
}

type cond struct {
	key string
	val string
	lit any // val as ConnectWise would send it (bool, json.Number or string)
}

func (s segment) array() bool { return s.conds != nil || s.index >= 0 }

// ErrPathSyntax is returned (wrapped) by ParsePath for malformed paths.
var ErrPathSyntax = errors.New("path syntax")

// ParsePath compiles a path. A leading "/" is ignored, so JSON Patch style
// paths ("/firstName") are accepted too.
func ParsePath(raw string) (Path, error) {
	p := Path{raw: raw}
	s := strings.TrimPrefix(raw, "/")
	if s == "" {
		return p, fmt.Errorf("%w: empty path", ErrPathSyntax)
	}
	for s != "" {
		seg, rest, err := parseSegment(s)
		if err != nil {
			return Path{raw: raw}, fmt.Errorf("%w: %q: %v", ErrPathSyntax, raw, err)
		}
		p.segs = append(p.segs, seg)
		s = rest
	}
	return p, nil
}

// MustParsePath is ParsePath for constant paths; it panics on a syntax error.
func MustParsePath(raw string) Path {
	p, err := ParsePath(raw)
	if err != nil {
		panic(err)
	}
	return p
}

func parseSegment(s string) (segment, string, error) {
	seg := segment{index: -1}
	i := strings.IndexAny(s, "/[")
	if i < 0 {
		seg.key = s
		return seg, "", checkKey(seg.key)
	}
	seg.key = s[:i]
	if err := checkKey(seg.key); err != nil {
		return seg, "", err
	}
	if s[i] == '/' {
		if i == len(s)-1 {
			return seg, "", errors.New("trailing /")
		}
		return seg, s[i+1:], nil
	}
	// Selector.
	body, rest, err := scanSelector(s[i+1:])
	if err != nil {
		return seg, "", err
	}
	if n, err := strconv.Atoi(body); err == nil {
		if n < 0 {
			return seg, "", errors.New("negative index")
		}
		seg.index = n
	} else {
		seg.conds, err = parseConds(body)
		if err != nil {
			return seg, "", err
		}
	}
	switch {
	case rest == "":
		return seg, "", nil
	case rest[0] == '/' && len(rest) > 1:
		return seg, rest[1:], nil
	}
	return seg, "", errors.New("expected / after ]")
}

func checkKey(k string) error {
	if k == "" {
		return errors.New("empty field name")
	}
	if strings.ContainsAny(k, "]=,'\"") {
		return fmt.Errorf("bad character in field name %q", k)
	}
	return nil
}

// scanSelector returns the text up to the closing ] (honouring quotes) and
// what follows it.
func scanSelector(s string) (string, string, error) {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ']':
			return s[:i], s[i+1:], nil
		}
	}
	return "", "", errors.New("unclosed [")
}

func parseConds(body string) ([]cond, error) {
	var out []cond
	for body != "" {
		eq := strings.IndexByte(body, '=')
		if eq <= 0 {
			return nil, errors.New("selector needs key=value")
		}
		c := cond{key: strings.TrimSpace(body[:eq])}
		if err := checkKey(c.key); err != nil {
			return nil, err
		}
		rest := strings.TrimLeft(body[eq+1:], " ")
		quoted := false
		if rest != "" && (rest[0] == '\'' || rest[0] == '"') {
			end := strings.IndexByte(rest[1:], rest[0])
			if end < 0 {
				return nil, errors.New("unclosed quote")
			}
			c.val, rest = rest[1:end+1], strings.TrimLeft(rest[end+2:], " ")
			quoted = true
			if rest != "" && rest[0] != ',' {
				return nil, errors.New("expected , after quoted value")
			}
		} else {
			comma := strings.IndexByte(rest, ',')
			if comma < 0 {
				comma = len(rest)
			}
			c.val, rest = strings.TrimSpace(rest[:comma]), rest[comma:]
		}
		if quoted {
			c.lit = c.val
		} else {
			c.lit = literal(c.val)
		}
		out = append(out, c)
		body = strings.TrimPrefix(rest, ",")
		if rest != "" && body == "" {
			return nil, errors.New("trailing ,")
		}
	}
	if len(out) == 0 {
		return nil, errors.New("empty selector")
	}
	return out, nil
}

// String returns the path as written.
func (p Path) String() string { return p.raw }

// IsZero reports whether p is the zero Path.
func (p Path) IsZero() bool { return len(p.segs) == 0 }

// Get reads the value at the path. It reports false for missing data, JSON
// null and type mismatches along the way.
func (p Path) Get(rec map[string]any) (any, bool) {
	var cur any = rec
	for _, seg := range p.segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[seg.key]
		if !ok || cur == nil {
			return nil, false
		}
		if seg.array() {
			arr, ok := cur.([]any)
			if !ok {
				return nil, false
			}
			i := seg.find(arr)
			if i < 0 {
				return nil, false
			}
			cur = arr[i]
		}
	}
	if cur == nil {
		return nil, false
	}
	return cur, true
}

// find returns the index of the first element matching the segment's
// selector, or -1.
func (s segment) find(arr []any) int {
	if s.index >= 0 {
		if s.index < len(arr) {
			return s.index
		}
		return -1
	}
	for i, el := range arr {
		m, ok := el.(map[string]any)
		if ok && s.matches(m) {
			return i
		}
	}
	return -1
}

func (s segment) matches(m map[string]any) bool {
	for _, c := range s.conds {
		v, ok := m[c.key]
		if !ok {
			return false
		}
		str, ok := scalarString(v)
		if !ok || str != c.val {
			return false
		}
	}
	return true
}

// newElement builds the array element a selector describes.
func (s segment) newElement() map[string]any {
	m := make(map[string]any, len(s.conds)+1)
	for _, c := range s.conds {
		m[c.key] = c.lit
	}
	return m
}

// Set writes v at the path inside rec, creating nested objects as needed. A
// selector that matches no element appends a new element holding the
// selector's key=value pairs. An index beyond the end of an array is an error.
func (p Path) Set(rec map[string]any, v any) error {
	if len(p.segs) == 0 {
		return fmt.Errorf("%w: empty path", ErrNotWritable)
	}
	if rec == nil {
		return fmt.Errorf("%w: nil record", ErrNotWritable)
	}
	cur := rec
	for n, seg := range p.segs {
		last := n == len(p.segs)-1
		if !seg.array() {
			if last {
				cur[seg.key] = v
				return nil
			}
			next, ok := cur[seg.key].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[seg.key] = next
			}
			cur = next
			continue
		}
		arr, _ := cur[seg.key].([]any)
		i := seg.find(arr)
		if i < 0 {
			if seg.index >= 0 {
				return fmt.Errorf("%w: index %d beyond %d elements", ErrNotWritable, seg.index, len(arr))
			}
			arr = append(arr, seg.newElement())
			cur[seg.key] = arr
			i = len(arr) - 1
		}
		if last {
			arr[i] = v
			return nil
		}
		el, ok := arr[i].(map[string]any)
		if !ok {
			el = map[string]any{}
			arr[i] = el
		}
		cur = el
	}
	return nil
}

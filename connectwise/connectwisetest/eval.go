package connectwisetest

import (
	"strconv"
	"strings"
	"time"
)

// Eval reports whether rec satisfies e (a nil e matches everything).
//
// Semantics, chosen to follow the SQL the API runs the conditions on:
//   - paths are matched case-insensitively ("LastUpdated" works) and descend
//     with "/" into objects; through arrays a test holds if it holds for any
//     element;
//   - lastUpdated, dateEntered, updatedBy and enteredBy fall back to _info
//     ("All objects react to the LastUpdated query", connectwise-api.md §4);
//   - string comparisons ignore case (SQL Server's default collation);
//   - a missing or null field satisfies only "= null" (and "not ..." forms);
//   - like uses % (and * per Zynk's docs, §4) as wildcards; contains is a
//     substring test.
func Eval(e Expr, rec map[string]any) bool {
	switch x := e.(type) {
	case nil:
		return true
	case *Logical:
		if x.Op == "and" {
			return Eval(x.Left, rec) && Eval(x.Right, rec)
		}
		return Eval(x.Left, rec) || Eval(x.Right, rec)
	case *Not:
		return !Eval(x.X, rec)
	case *Comparison:
		return evalComparison(x, rec)
	}
	return false
}

// EvalChild applies childConditions semantics: every path starts with the
// name of an array field (communicationItems/value), and rec matches when one
// element of that array satisfies the whole expression.
func EvalChild(e Expr, rec map[string]any) bool {
	if e == nil {
		return true
	}
	root := firstField(e)
	root, _, _ = strings.Cut(root, "/")
	key, ok := lookupKey(rec, root)
	if !ok {
		return false
	}
	items, _ := rec[key].([]any)
	for _, it := range items {
		if Eval(e, map[string]any{root: it}) {
			return true
		}
	}
	return false
}

// EvalCustomFields applies customFieldConditions semantics: rec matches when
// one entry of its customFields array satisfies e, with paths relative to the
// entry (caption='X' AND value != null, connectwise-api.md §4).
func EvalCustomFields(e Expr, rec map[string]any) bool {
	if e == nil {
		return true
	}
	items, _ := rec["customFields"].([]any)
	for _, it := range items {
		if m, ok := it.(map[string]any); ok && Eval(e, m) {
			return true
		}
	}
	return false
}

func firstField(e Expr) string {
	switch x := e.(type) {
	case *Logical:
		return firstField(x.Left)
	case *Not:
		return firstField(x.X)
	case *Comparison:
		return x.Field
	}
	return ""
}

// fields returns every field path in e.
func fields(e Expr) []*Comparison {
	switch x := e.(type) {
	case *Logical:
		return append(fields(x.Left), fields(x.Right)...)
	case *Not:
		return fields(x.X)
	case *Comparison:
		return []*Comparison{x}
	}
	return nil
}

var infoFallback = map[string]bool{"lastupdated": true, "dateentered": true, "updatedby": true, "enteredby": true}

// resolve returns the values at path in rec, fanning out over arrays.
func resolve(rec map[string]any, path string) []any {
	segs := strings.Split(path, "/")
	if _, ok := lookupKey(rec, segs[0]); !ok && infoFallback[strings.ToLower(segs[0])] {
		if in := obj(rec["_info"]); in != nil {
			return walk(in, segs)
		}
	}
	return walk(rec, segs)
}

func walk(v any, segs []string) []any {
	if len(segs) == 0 {
		if arr, ok := v.([]any); ok {
			return arr
		}
		return []any{v}
	}
	switch t := v.(type) {
	case map[string]any:
		k, ok := lookupKey(t, segs[0])
		if !ok {
			return []any{nil}
		}
		return walk(t[k], segs[1:])
	case []any:
		var out []any
		for _, x := range t {
			out = append(out, walk(x, segs)...)
		}
		if len(t) == 0 {
			return []any{nil}
		}
		return out
	}
	return []any{nil}
}

func evalComparison(c *Comparison, rec map[string]any) bool {
	vals := resolve(rec, c.Field)
	hit := false
	for _, v := range vals {
		if cmpOne(c, v) {
			hit = true
			break
		}
	}
	if c.Negated {
		// SQL: NULL NOT LIKE x is unknown, so a null field matches neither form.
		for _, v := range vals {
			if v != nil {
				return !hit
			}
		}
		return false
	}
	return hit
}

func cmpOne(c *Comparison, v any) bool {
	switch c.Op {
	case "in":
		for _, l := range c.Values {
			if c2, ok := compare(v, l); ok && c2 == 0 {
				return true
			}
		}
		return false
	case "like":
		s, ok := asText(v)
		return ok && c.Value.Kind != NullLit && likeMatch(strings.ToLower(s), strings.ToLower(litText(c.Value)))
	case "contains":
		s, ok := asText(v)
		return ok && c.Value.Kind != NullLit && strings.Contains(strings.ToLower(s), strings.ToLower(litText(c.Value)))
	}
	if c.Value.Kind == NullLit {
		switch c.Op {
		case "=":
			return v == nil
		case "!=":
			return v != nil
		}
		return false
	}
	r, ok := compare(v, c.Value)
	if !ok {
		return false
	}
	switch c.Op {
	case "=":
		return r == 0
	case "!=":
		return r != 0
	case "<":
		return r < 0
	case "<=":
		return r <= 0
	case ">":
		return r > 0
	case ">=":
		return r >= 0
	}
	return false
}

// compare orders a field value against a literal; ok is false when they
// cannot be compared (null field, incompatible kinds).
func compare(v any, l Literal) (int, bool) {
	if v == nil || l.Kind == NullLit {
		return 0, false
	}
	switch l.Kind {
	case NumberLit:
		f, ok := asNumber(v)
		if !ok {
			return 0, false
		}
		return cmpFloat(f, l.Num), true
	case BoolLit:
		switch t := v.(type) {
		case bool:
			return cmpBool(t, l.Bool), true
		case string:
			b, err := strconv.ParseBool(t)
			return cmpBool(b, l.Bool), err == nil
		}
		return 0, false
	case DateTimeLit:
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		t, ok := parseDateTime(s)
		if !ok {
			return 0, false
		}
		return t.Compare(l.Time), true
	case StringLit:
		switch t := v.(type) {
		case string:
			return strings.Compare(strings.ToLower(t), strings.ToLower(l.Str)), true
		case float64:
			f, err := strconv.ParseFloat(l.Str, 64)
			return cmpFloat(t, f), err == nil
		case bool:
			b, err := strconv.ParseBool(l.Str)
			return cmpBool(t, b), err == nil
		}
	}
	return 0, false
}

func asNumber(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case string:
		f, err := strconv.ParseFloat(t, 64)
		return f, err == nil
	}
	return 0, false
}

func asText(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(t), true
	}
	return "", false
}

func litText(l Literal) string {
	switch l.Kind {
	case StringLit:
		return l.Str
	case DateTimeLit:
		return l.Time.Format(time.RFC3339)
	}
	return l.String()
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBool(a, b bool) int {
	if a == b {
		return 0
	}
	if !a {
		return -1
	}
	return 1
}

// likeMatch matches s against a pattern where % and * stand for any run of
// characters; everything else matches itself.
func likeMatch(s, pat string) bool {
	// Iterative wildcard match with backtracking to the last star.
	si, pi, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(pat) && (pat[pi] == '%' || pat[pi] == '*'):
			star, mark = pi, si
			pi++
		case pi < len(pat) && pat[pi] == s[si]:
			si++
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pat) && (pat[pi] == '%' || pat[pi] == '*') {
		pi++
	}
	return pi == len(pat)
}

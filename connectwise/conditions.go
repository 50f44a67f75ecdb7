package connectwise

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidCondition is wrapped by every *ConditionError.
var ErrInvalidCondition = errors.New("connectwise: invalid condition")

// ConditionError reports a condition the builder refuses to produce: a field name
// that is not a path, a value of an unsupported type, a string that cannot be quoted
// safely, an empty in-list.
type ConditionError struct {
	Field  string
	Value  any
	Reason string
}

// Error describes the failure in one line.
func (e *ConditionError) Error() string {
	if e.Field == "" {
		return "connectwise: invalid condition: " + e.Reason
	}
	return fmt.Sprintf("connectwise: invalid condition on %q: %s", e.Field, e.Reason)
}

// Unwrap returns [ErrInvalidCondition].
func (e *ConditionError) Unwrap() error { return ErrInvalidCondition }

type condKind uint8

const (
	condEmpty condKind = iota
	condCmp
	condAnd
	condOr
	condRaw
)

// Condition is one expression of the ConnectWise query language, for the
// conditions, childConditions and customFieldConditions parameters. Build one with
// [Eq], [Ne], [Lt], [Le], [Gt], [Ge], [Like], [Contains], [In], [And], [Or], [Not],
// or pass an expert string through [Raw]. The zero Condition means "no filter".
//
// Values are written as the server's rules require (connectwise-api.md §4, S12):
// strings quoted, date-times in square brackets as UTC, numbers as digits with an
// optional sign and decimal point, true/false, null. See [Condition.Build].
type Condition struct {
	kind  condKind
	field string
	op    string
	vals  []any
	subs  []Condition
	raw   string
	err   error
}

var fieldRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*$`)

func cmp(field, op string, vals ...any) Condition {
	c := Condition{kind: condCmp, field: field, op: op, vals: vals}
	if !fieldRE.MatchString(field) {
		c.err = &ConditionError{Field: field, Reason: "field must be a name or a path like company/id"}
	}
	return c
}

// Eq is field = v. A nil v gives field = null.
func Eq(field string, v any) Condition { return cmp(field, "=", v) }

// Ne is field != v. A nil v gives field != null.
func Ne(field string, v any) Condition { return cmp(field, "!=", v) }

// Lt is field < v.
func Lt(field string, v any) Condition { return cmp(field, "<", v) }

// Le is field <= v.
func Le(field string, v any) Condition { return cmp(field, "<=", v) }

// Gt is field > v.
func Gt(field string, v any) Condition { return cmp(field, ">", v) }

// Ge is field >= v.
func Ge(field string, v any) Condition { return cmp(field, ">=", v) }

// Like is field like "pattern". The wildcard is the server's (% in connectwise-rest's
// examples, * in other integrators' docs; connectwise-api.md §4); prefer [Eq] or
// [Contains] for sync keys.
func Like(field, pattern string) Condition { return cmp(field, "like", pattern) }

// Contains is field contains "s".
func Contains(field, s string) Condition { return cmp(field, "contains", s) }

// In is field in (v1, v2, ...). An empty list is an error when built.
func In[V any](field string, vals ...V) Condition {
	vs := make([]any, len(vals))
	for i, v := range vals {
		vs[i] = v
	}
	c := cmp(field, "in", vs...)
	if c.err == nil && len(vs) == 0 {
		c.err = &ConditionError{Field: field, Reason: "in() needs at least one value"}
	}
	return c
}

// And joins conditions with AND, grouping compound operands in parentheses. Zero
// conditions are skipped.
func And(conds ...Condition) Condition { return group(condAnd, conds) }

// Or joins conditions with OR, grouping compound operands in parentheses. Zero
// conditions are skipped.
func Or(conds ...Condition) Condition { return group(condOr, conds) }

func group(kind condKind, conds []Condition) Condition {
	var subs []Condition
	for _, c := range conds {
		if c.kind != condEmpty || c.err != nil {
			subs = append(subs, c)
		}
	}
	switch len(subs) {
	case 0:
		return Condition{}
	case 1:
		return subs[0]
	}
	return Condition{kind: kind, subs: subs}
}

// Not negates c. The negation is pushed down to the comparisons (De Morgan), so the
// result uses only the operators the server documents: = and !=, < and >=, > and <=,
// like and not like, contains and not contains, in and not in. A raw condition cannot
// be negated (it is an error when built).
func Not(c Condition) Condition {
	switch c.kind {
	case condEmpty:
		return c
	case condRaw:
		return Condition{kind: condRaw, err: &ConditionError{Reason: "cannot negate a Raw condition; write the negation in the raw string"}}
	case condAnd, condOr:
		subs := make([]Condition, len(c.subs))
		for i, s := range c.subs {
			subs[i] = Not(s)
		}
		kind := condOr
		if c.kind == condOr {
			kind = condAnd
		}
		return Condition{kind: kind, subs: subs, err: c.err}
	}
	neg := map[string]string{
		"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">",
		"like": "not like", "not like": "like", "contains": "not contains",
		"not contains": "contains", "in": "not in", "not in": "in",
	}
	c.op = neg[c.op]
	return c
}

// Raw passes an expert-written expression through unchanged. The client does not
// check it; the server answers 400 ApiFindCondition when it is malformed.
func Raw(expr string) Condition {
	if strings.TrimSpace(expr) == "" {
		return Condition{}
	}
	return Condition{kind: condRaw, raw: expr}
}

// IsZero reports whether c is the empty condition.
func (c Condition) IsZero() bool { return c.kind == condEmpty && c.err == nil }

// String returns the built expression, or a description of the build error.
func (c Condition) String() string {
	s, err := c.Build()
	if err != nil {
		return "!(" + err.Error() + ")"
	}
	return s
}

// Build returns the expression text, or a *ConditionError when c cannot be written
// safely.
func (c Condition) Build() (string, error) {
	var b strings.Builder
	if err := c.write(&b, false); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (c Condition) write(b *strings.Builder, nested bool) error {
	if c.err != nil {
		return c.err
	}
	switch c.kind {
	case condEmpty:
		return nil
	case condRaw:
		if nested {
			b.WriteString("(" + c.raw + ")")
		} else {
			b.WriteString(c.raw)
		}
		return nil
	case condAnd, condOr:
		if nested {
			b.WriteByte('(')
		}
		sep := " AND "
		if c.kind == condOr {
			sep = " OR "
		}
		for i, s := range c.subs {
			if i > 0 {
				b.WriteString(sep)
			}
			if err := s.write(b, true); err != nil {
				return err
			}
		}
		if nested {
			b.WriteByte(')')
		}
		return nil
	}
	b.WriteString(c.field + " " + c.op + " ")
	if c.op == "in" || c.op == "not in" {
		b.WriteByte('(')
		for i, v := range c.vals {
			if i > 0 {
				b.WriteString(", ")
			}
			lit, err := literal(c.field, v)
			if err != nil {
				return err
			}
			b.WriteString(lit)
		}
		b.WriteByte(')')
		return nil
	}
	v := c.vals[0]
	if strings.HasSuffix(c.op, "like") || strings.HasSuffix(c.op, "contains") {
		if _, ok := v.(string); !ok {
			return &ConditionError{Field: c.field, Value: v, Reason: c.op + " needs a string"}
		}
	}
	lit, err := literal(c.field, v)
	if err != nil {
		return err
	}
	b.WriteString(lit)
	return nil
}

// literal writes one value by the server's literal rules.
func literal(field string, v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "null", nil
	case string:
		return quote(field, x)
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int8, int16, int32, int64:
		return fmt.Sprint(x), nil
	case uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), nil
	case float32:
		return number(field, float64(x))
	case float64:
		return number(field, x)
	case json.Number:
		if !numberRE.MatchString(string(x)) {
			return "", &ConditionError{Field: field, Value: v, Reason: "number must be digits with an optional sign and decimal point"}
		}
		return string(x), nil
	case time.Time:
		return "[" + x.UTC().Format(TimeLayout) + "]", nil
	case *time.Time:
		if x == nil {
			return "null", nil
		}
		return literal(field, *x)
	case Time:
		return literal(field, x.Time)
	case *Time:
		if x == nil {
			return "null", nil
		}
		return literal(field, x.Time)
	}
	return "", &ConditionError{Field: field, Value: v, Reason: fmt.Sprintf("unsupported value type %T (use string, number, bool, time.Time or nil)", v)}
}

var numberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

func number(field string, f float64) (string, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", &ConditionError{Field: field, Value: f, Reason: "number must be finite"}
	}
	return strconv.FormatFloat(f, 'f', -1, 64), nil
}

// UpdatedSince is lastUpdated >= [t], the change-feed condition: every object reacts
// to lastUpdated, which records expose as _info.lastUpdated (connectwise-api.md §4,
// S11). Use >= with an overlap window and de-duplicate, and order by id for stable
// paging.
func UpdatedSince(t time.Time) Condition { return Ge("lastUpdated", t) }

package connectwise_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
)

// intent is what the fuzzer asks the builder for, rendered independently in the
// fake parser's canonical form (fully parenthesised, lower-case keywords, strings
// in double quotes with backslash escapes).
type intent struct {
	cond  connectwise.Condition
	canon func(neg bool) string // canonical text, negated when neg
	bad   bool                  // the builder must refuse it
}

var fuzzFields = []string{"name", "company/id", "_info/lastUpdated", "communicationItems/value", "status/name", "inactiveFlag"}

func cmpIntent(field, op string, lit string, c connectwise.Condition, bad bool) intent {
	neg := map[string]string{"=": "!=", "!=": "=", ">=": "<", "<": ">=", "contains": "not contains", "in": "not in"}
	return intent{cond: c, bad: bad, canon: func(n bool) string {
		o := op
		if n {
			o = neg[op]
		}
		return field + " " + o + " " + lit
	}}
}

func group(op string, parts []intent) intent {
	conds := make([]connectwise.Condition, len(parts))
	bad := false
	for i, p := range parts {
		conds[i] = p.cond
		bad = bad || p.bad
	}
	c := connectwise.And(conds...)
	if op == "or" {
		c = connectwise.Or(conds...)
	}
	return intent{cond: c, bad: bad, canon: func(n bool) string {
		o := op
		if n { // De Morgan: not (a and b) == (not a) or (not b)
			o = map[string]string{"and": "or", "or": "and"}[op]
		}
		s := parts[0].canon(n)
		for _, p := range parts[1:] {
			s = "(" + s + " " + o + " " + p.canon(n) + ")"
		}
		return s
	}}
}

func unquotable(s string) bool {
	return strings.Contains(s, `\`) || (strings.Contains(s, `"`) && strings.Contains(s, `'`))
}

// FuzzConditionsAgainstFakeParser checks that whatever the builder produces parses
// with the fake's parser and means exactly what the builder was asked for.
func FuzzConditionsAgainstFakeParser(f *testing.F) {
	f.Add([]byte{0, 1, 6, 2, 7}, `O'Brien [Holdings] (UK)`, int64(250), int64(1767225600))
	f.Add([]byte{4, 3, 7, 15, 5, 6}, `say "hi" or x = 1`, int64(-3), int64(0))
	f.Add([]byte{0, 0, 0, 6, 14}, `a\b`, int64(7), int64(99))
	f.Add([]byte{8, 1, 2, 3, 4, 5, 6, 7, 15, 14}, "", int64(1<<31-1), int64(253402300799))
	f.Fuzz(func(t *testing.T, prog []byte, s string, n int64, ts int64) {
		if len(prog) > 24 {
			prog = prog[:24]
		}
		n = int64(int32(n))
		ts = ts % 253402300800
		if ts < 0 {
			ts = -ts
		}
		tm := time.Unix(ts, 0).UTC()
		num := strconv.FormatInt(n, 10)
		var stack []intent
		for i, b := range prog {
			field := fuzzFields[(int(b)>>4+i)%len(fuzzFields)]
			switch b % 8 {
			case 0:
				stack = append(stack, cmpIntent(field, "=", connectwisetest.Quote(s), connectwise.Eq(field, s), unquotable(s)))
			case 1:
				stack = append(stack, cmpIntent(field, "!=", num, connectwise.Ne(field, n), false))
			case 2:
				stack = append(stack, cmpIntent(field, ">=", "["+tm.Format("2006-01-02T15:04:05Z")+"]", connectwise.Ge(field, tm), false))
			case 3:
				stack = append(stack, cmpIntent(field, "in", "("+num+", "+strconv.FormatInt(n+1, 10)+")", connectwise.In(field, n, n+1), false))
			case 4:
				stack = append(stack, cmpIntent(field, "contains", connectwisetest.Quote(s), connectwise.Contains(field, s), unquotable(s)))
			case 5:
				if b&8 != 0 {
					stack = append(stack, cmpIntent(field, "=", "null", connectwise.Eq(field, nil), false))
				} else {
					stack = append(stack, cmpIntent(field, "=", strconv.FormatBool(b&16 != 0), connectwise.Eq(field, b&16 != 0), false))
				}
			case 6, 7:
				k := 2 + int(b>>5)%2
				if len(stack) < k {
					continue
				}
				g := group(map[byte]string{6: "and", 7: "or"}[b%8], append([]intent(nil), stack[len(stack)-k:]...))
				stack = append(stack[:len(stack)-k], g)
			}
			if b&0x80 != 0 && len(stack) > 0 {
				top := stack[len(stack)-1]
				stack[len(stack)-1] = intent{cond: connectwise.Not(top.cond), bad: top.bad, canon: func(neg bool) string { return top.canon(!neg) }}
			}
		}
		if len(stack) == 0 {
			return
		}
		whole := stack[0]
		if len(stack) > 1 {
			whole = group("and", stack)
		}
		text, err := whole.cond.Build()
		if whole.bad {
			var ce *connectwise.ConditionError
			if !errors.As(err, &ce) {
				t.Fatalf("builder accepted an unquotable value: %q -> %q (err %v)", s, text, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("builder refused a valid condition: %v", err)
		}
		expr, err := connectwisetest.ParseConditions(text)
		if err != nil {
			t.Fatalf("fake cannot parse %q: %v", text, err)
		}
		if got, want := expr.String(), whole.canon(false); got != want {
			t.Fatalf("meaning changed\n built: %s\n  got: %s\n want: %s", text, got, want)
		}
	})
}

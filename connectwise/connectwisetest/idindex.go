package connectwisetest

import (
	"math"
	"slices"
	"strings"
)

// candidateIDs reports the finite set of record ids a condition can match, when
// its shape pins the id: "id = N", "id in (...)", a conjunction with such a test
// on either side, or a disjunction of two such tests. ok is false when any id may
// match. It is a shortcut only: every candidate still goes through the full
// evaluation, so the answers are the same as a scan of every record. Without it,
// the sync engine's "id in (...)" fetches cost a scan of the whole collection
// each, and large migrations against the fake grow with the square of the data.
func candidateIDs(e Expr) (ids []int, ok bool) {
	switch x := e.(type) {
	case *Comparison:
		if x.Negated || !strings.EqualFold(x.Field, "id") {
			return nil, false
		}
		switch x.Op {
		case "=":
			if x.Value.Kind != NumberLit {
				return nil, false
			}
			if id, ok := literalID(x.Value); ok {
				return []int{id}, true
			}
			return []int{}, true // a fractional id matches nothing
		case "in":
			out := make([]int, 0, len(x.Values))
			for _, v := range x.Values {
				if v.Kind != NumberLit {
					return nil, false
				}
				if id, ok := literalID(v); ok {
					out = append(out, id)
				}
			}
			return out, true
		}
	case *Logical:
		l, lok := candidateIDs(x.Left)
		r, rok := candidateIDs(x.Right)
		switch {
		case strings.EqualFold(x.Op, "and") && lok && (!rok || len(l) <= len(r)):
			return l, true
		case strings.EqualFold(x.Op, "and") && rok:
			return r, true
		case strings.EqualFold(x.Op, "or") && lok && rok:
			return append(l, r...), true
		}
	}
	return nil, false
}

func literalID(l Literal) (int, bool) {
	if l.Num != math.Trunc(l.Num) || l.Num < math.MinInt32 || l.Num > math.MaxInt32 {
		return 0, false
	}
	return int(l.Num), true
}

// candidates returns the records of c whose ids are in ids, in id order, each once.
func (c *collection) candidates(ids []int) []Record {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	out := make([]Record, 0, len(ids))
	for _, id := range ids {
		if rec, ok := c.recs[id]; ok {
			out = append(out, rec)
		}
	}
	return out
}

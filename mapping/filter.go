package mapping

import (
	"fmt"
	"strconv"
	"strings"
)

// Op is a filter operator.
type Op string

// Filter operators. Comparisons are numeric when both sides are numbers and
// case-insensitive string comparisons otherwise (HubSpot search filters are
// case-insensitive too, hubspot-api.md §5).
const (
	Eq        Op = "eq"
	Ne        Op = "ne"
	In        Op = "in"
	NotIn     Op = "notIn"
	Contains  Op = "contains" // substring, or element of an array of scalars
	Exists    Op = "exists"
	NotExists Op = "notExists"
	Lt        Op = "lt"
	Lte       Op = "lte"
	Gt        Op = "gt"
	Gte       Op = "gte"
)

// Filter is a declarative predicate over a source record: ConnectWise records
// (Path is a ConnectWise path) for the ToHubSpot direction, HubSpot records
// (Path is a property name) for the ToConnectWise direction. Exactly one of
// the forms must be used in each node: a comparison (Path, Op, Value or
// Values), And, Or, Not, InList, Func or Match.
type Filter struct {
	Path   string `json:"path,omitempty" yaml:"path,omitempty"`     // ConnectWise path or HubSpot property
	Op     Op     `json:"op,omitempty" yaml:"op,omitempty"`         // comparison operator
	Value  any    `json:"value,omitempty" yaml:"value,omitempty"`   // scalar operand
	Values []any  `json:"values,omitempty" yaml:"values,omitempty"` // operands of in and notIn

	And []Filter `json:"and,omitempty" yaml:"and,omitempty"` // all must hold
	Or  []Filter `json:"or,omitempty" yaml:"or,omitempty"`   // one must hold
	Not *Filter  `json:"not,omitempty" yaml:"not,omitempty"` // must not hold

	// InList matches HubSpot records (by hs_object_id) that are members of
	// the HubSpot list with this id; membership comes from Lookups.
	InList string `json:"inList,omitempty" yaml:"inList,omitempty"`
	// Func names a predicate registered with Registry.RegisterPredicate.
	Func string `json:"func,omitempty" yaml:"func,omitempty"`
	// Match is a Go predicate, for specs built in Go.
	Match Predicate `json:"-" yaml:"-"`
}

// Record is the record a Predicate looks at: exactly one side is set.
type Record struct {
	ConnectWise map[string]any    // decoded ConnectWise record (toHubSpot filters)
	HubSpot     map[string]string // HubSpot properties (toConnectWise filters)
}

// Predicate decides in Go what a declarative filter cannot say.
type Predicate func(r Record, lk *Lookups) (bool, error)

// Where builds a comparison filter.
func Where(path string, op Op, value ...any) Filter {
	f := Filter{Path: path, Op: op}
	switch {
	case op == In || op == NotIn:
		f.Values = value
	case len(value) > 0:
		f.Value = value[0]
	}
	return f
}

type filterNode struct {
	op       Op
	path     Path   // ConnectWise side
	prop     string // HubSpot side
	val      string
	vals     []string
	children []*filterNode // and / or
	or       bool
	not      *filterNode
	list     string
	pred     Predicate
	name     string // for errors
}

// compileFilter compiles f for one side; hubspot selects property names
// instead of ConnectWise paths.
func compileFilter(f *Filter, hubspot bool, reg *Registry) (*filterNode, error) {
	forms := 0
	n := &filterNode{}
	if f.Path != "" || f.Op != "" {
		forms++
		if f.Path == "" || f.Op == "" {
			return nil, fmt.Errorf("filter needs both path and op")
		}
		n.op = f.Op
		if hubspot {
			n.prop = f.Path
		} else {
			p, err := ParsePath(f.Path)
			if err != nil {
				return nil, err
			}
			n.path = p
		}
		switch f.Op {
		case Exists, NotExists:
		case In, NotIn:
			if len(f.Values) == 0 {
				return nil, fmt.Errorf("op %s needs values", f.Op)
			}
			for _, v := range f.Values {
				s, ok := scalarString(v)
				if !ok {
					return nil, fmt.Errorf("op %s: value %s is not a scalar", f.Op, short(v))
				}
				n.vals = append(n.vals, s)
			}
		case Eq, Ne, Contains, Lt, Lte, Gt, Gte:
			s, ok := scalarString(f.Value)
			if !ok {
				return nil, fmt.Errorf("op %s needs a scalar value", f.Op)
			}
			n.val = s
		default:
			return nil, fmt.Errorf("unknown op %q", f.Op)
		}
	}
	if len(f.And) > 0 || len(f.Or) > 0 {
		forms++
		if len(f.And) > 0 && len(f.Or) > 0 {
			forms++
		}
		list := f.And
		n.or = len(f.Or) > 0
		if n.or {
			list = f.Or
		}
		for i := range list {
			c, err := compileFilter(&list[i], hubspot, reg)
			if err != nil {
				return nil, err
			}
			n.children = append(n.children, c)
		}
	}
	if f.Not != nil {
		forms++
		c, err := compileFilter(f.Not, hubspot, reg)
		if err != nil {
			return nil, err
		}
		n.not = c
	}
	if f.InList != "" {
		forms++
		if !hubspot {
			return nil, fmt.Errorf("inList applies to HubSpot records only (toConnectWise filters)")
		}
		n.list = f.InList
	}
	if f.Func != "" {
		forms++
		p, ok := reg.predicate(f.Func)
		if !ok {
			return nil, fmt.Errorf("unknown predicate %q", f.Func)
		}
		n.pred, n.name = p, f.Func
	}
	if f.Match != nil {
		forms++
		n.pred, n.name = f.Match, "match"
	}
	if forms != 1 {
		return nil, fmt.Errorf("filter node must use exactly one form (comparison, and, or, not, inList, func, match); found %d", forms)
	}
	return n, nil
}

func (n *filterNode) eval(r Record, lk *Lookups) (bool, error) {
	switch {
	case n.op != "":
		return n.compare(r), nil
	case n.children != nil:
		for _, c := range n.children {
			ok, err := c.eval(r, lk)
			if err != nil {
				return false, err
			}
			if ok == n.or {
				return ok, nil
			}
		}
		return !n.or, nil
	case n.not != nil:
		ok, err := n.not.eval(r, lk)
		return !ok, err
	case n.list != "":
		return lk.InList(n.list, r.HubSpot["hs_object_id"]), nil
	case n.pred != nil:
		ok, err := n.pred(r, lk)
		if err != nil {
			return false, fmt.Errorf("predicate %s: %w", n.name, err)
		}
		return ok, nil
	}
	return true, nil
}

func (n *filterNode) get(r Record) (any, bool) {
	if r.HubSpot != nil || n.prop != "" {
		s, ok := r.HubSpot[n.prop]
		return s, ok && s != ""
	}
	return n.path.Get(r.ConnectWise)
}

func (n *filterNode) compare(r Record) bool {
	v, present := n.get(r)
	if present {
		if s, ok := v.(string); ok && s == "" {
			present = false
		}
	}
	switch n.op {
	case Exists:
		return present
	case NotExists:
		return !present
	}
	if arr, ok := v.([]any); ok && n.op == Contains {
		for _, el := range arr {
			if s, ok := scalarString(el); ok && equalValues(s, n.val) {
				return true
			}
		}
		return false
	}
	s, ok := scalarString(v)
	if !present || !ok {
		// A missing value equals nothing, so ne and notIn hold.
		return n.op == Ne || n.op == NotIn
	}
	switch n.op {
	case Eq:
		return equalValues(s, n.val)
	case Ne:
		return !equalValues(s, n.val)
	case In, NotIn:
		for _, w := range n.vals {
			if equalValues(s, w) {
				return n.op == In
			}
		}
		return n.op == NotIn
	case Contains:
		return strings.Contains(strings.ToLower(s), strings.ToLower(n.val))
	}
	c := compareValues(s, n.val)
	switch n.op {
	case Lt:
		return c < 0
	case Lte:
		return c <= 0
	case Gt:
		return c > 0
	case Gte:
		return c >= 0
	}
	return false
}

func equalValues(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	return errA == nil && errB == nil && fa == fb
}

// compareValues orders numbers numerically and everything else as
// case-insensitive strings (ISO-8601 timestamps of one zone order correctly).
func compareValues(a, b string) int {
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	if errA == nil && errB == nil {
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

package mapping

import (
	"fmt"
	"sort"
	"strings"
)

// Kind is the kind of HubSpot value a transform produces; validation checks
// it against the HubSpot property type.
type Kind string

// Kinds of HubSpot values.
const (
	KindString   Kind = "string"
	KindNumber   Kind = "number"
	KindBool     Kind = "bool"
	KindDate     Kind = "date"     // midnight UTC, epoch milliseconds
	KindDatetime Kind = "datetime" // epoch milliseconds
)

// Transform is a compiled transform step. Values toward HubSpot end up as
// HubSpot strings; values toward ConnectWise end up as JSON values (string,
// json.Number, bool, nil or nested data). A nil input means "no value".
type Transform struct {
	// ToHubSpot converts a ConnectWise-side value toward HubSpot. Nil means
	// the transform only runs toward ConnectWise.
	ToHubSpot func(v any, env *Env) (any, error)
	// ToConnectWise converts a HubSpot-side value toward ConnectWise. Nil
	// means the transform only runs toward HubSpot.
	ToConnectWise func(v any, env *Env) (any, error)
	// Reversible declares that ToConnectWise undoes ToHubSpot (up to the
	// canonical form), so the step may sit on a bidirectional field.
	Reversible bool
	// Kind is the kind of HubSpot value produced; empty keeps the kind of
	// the input.
	Kind Kind
	// Normalize returns the canonical form of a HubSpot value of this
	// step's output, so values read from HubSpot compare equal to values
	// projected from ConnectWise. Nil means the value is used as read.
	Normalize func(s string) (string, error)
}

// Factory builds a Transform from a Step's parameters. It is called once
// per step at compile time, so it should validate the parameters and do all
// preparation work.
type Factory func(st Step) (*Transform, error)

// Registry holds transform factories and filter predicates by name. The zero
// value is not usable; NewRegistry returns one holding the built-ins.
type Registry struct {
	transforms map[string]Factory
	predicates map[string]Predicate
}

// NewRegistry returns a registry with the built-in transforms: trim, lower,
// upper, text, email, phone, number, bool, not, date, datetime, map, lookup,
// split, concat, join, const, default, domain, list and maxlen.
func NewRegistry() *Registry {
	r := &Registry{transforms: map[string]Factory{}, predicates: map[string]Predicate{}}
	for name, f := range builtins() {
		r.transforms[name] = f
	}
	return r
}

// Register adds a transform factory. Names are unique; registering a name
// twice (including a built-in one) is an error.
func (r *Registry) Register(name string, f Factory) error {
	if name == "" || f == nil {
		return fmt.Errorf("mapping: register: empty name or nil factory")
	}
	if _, ok := r.transforms[name]; ok {
		return fmt.Errorf("mapping: register: transform %q already registered", name)
	}
	r.transforms[name] = f
	return nil
}

// RegisterPredicate adds a named filter predicate for Filter.Func.
func (r *Registry) RegisterPredicate(name string, p Predicate) error {
	if name == "" || p == nil {
		return fmt.Errorf("mapping: register predicate: empty name or nil predicate")
	}
	if _, ok := r.predicates[name]; ok {
		return fmt.Errorf("mapping: register predicate: %q already registered", name)
	}
	r.predicates[name] = p
	return nil
}

// Names lists the registered transform names in order.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.transforms))
	for n := range r.transforms {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (r *Registry) predicate(name string) (Predicate, bool) {
	p, ok := r.predicates[name]
	return p, ok
}

func (r *Registry) build(st Step) (*Transform, error) {
	f, ok := r.transforms[st.Name]
	if !ok {
		return nil, fmt.Errorf("unknown transform %q", st.Name)
	}
	t, err := f(st)
	if err != nil {
		return nil, fmt.Errorf("transform %q: %w", st.Name, err)
	}
	if t == nil || (t.ToHubSpot == nil && t.ToConnectWise == nil) {
		return nil, fmt.Errorf("transform %q: factory returned no functions", st.Name)
	}
	return t, nil
}

// args reads Step arguments with defaults and rejects unknown ones.
type args struct {
	st   Step
	used map[string]bool
}

func argsOf(st Step) *args { return &args{st: st, used: map[string]bool{}} }

func (a *args) get(name, def string) string {
	a.used[name] = true
	if v, ok := a.st.Args[name]; ok {
		return v
	}
	return def
}

func (a *args) opt(name string) (string, bool) {
	a.used[name] = true
	v, ok := a.st.Args[name]
	return v, ok
}

// done reports unknown arguments, and Values on transforms that take none.
func (a *args) done(takesValues bool) error {
	var unknown []string
	for k := range a.st.Args {
		if !a.used[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("unknown argument(s) %s", strings.Join(unknown, ", "))
	}
	if !takesValues && (len(a.st.Values) > 0 || len(a.st.ReverseValues) > 0) {
		return fmt.Errorf("values are only allowed on the map transform")
	}
	return nil
}

// cwKind reads the "cw" argument: the JSON type written toward ConnectWise.
func (a *args) cwKind(def string) (string, error) {
	k := a.get("cw", def)
	switch k {
	case "string", "number", "bool":
		return k, nil
	}
	return "", fmt.Errorf("argument cw must be string, number or bool, not %q", k)
}

// chain is a compiled list of steps.
type chain []*Transform

func (c chain) toHubSpot(v any, env *Env) (any, error) {
	var err error
	for _, t := range c {
		if v, err = t.ToHubSpot(v, env); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// toConnectWise runs the chain backwards (reverse of a forward chain).
func (c chain) toConnectWiseReversed(v any, env *Env) (any, error) {
	var err error
	for i := len(c) - 1; i >= 0; i-- {
		if v, err = c[i].ToConnectWise(v, env); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// toConnectWiseInOrder runs an explicit reverse chain.
func (c chain) toConnectWiseInOrder(v any, env *Env) (any, error) {
	var err error
	for _, t := range c {
		if v, err = t.ToConnectWise(v, env); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// kind returns the HubSpot kind the chain produces ("" when untyped).
func (c chain) kind() Kind {
	for i := len(c) - 1; i >= 0; i-- {
		if c[i].Kind != "" {
			return c[i].Kind
		}
	}
	return ""
}

// normalizer returns the canonical-form function of the chain's output.
func (c chain) normalizer() func(string) (string, error) {
	if len(c) == 0 {
		return nil
	}
	if n := c[len(c)-1].Normalize; n != nil {
		return n
	}
	switch c.kind() {
	case KindNumber:
		return normalizeDecimal
	case KindBool:
		return normalizeBool
	case KindDate:
		return normalizeDate
	case KindDatetime:
		return normalizeDatetime
	}
	return nil
}

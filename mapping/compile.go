package mapping

import (
	"regexp"
	"strconv"
	"strings"
)

// Options tune Check, Validate and Compile. A nil *Options means defaults.
type Options struct {
	// Registry supplies transforms and predicates; nil means NewRegistry().
	Registry *Registry
	// PropertyName is the rule for HubSpot property internal names. HubSpot
	// publishes no official rule (hubspot-api.md §6, §12); the default,
	// ^[a-z][a-z0-9_]*$, is the one a third-party mock server enforces, so
	// override it if your portal accepts other names.
	PropertyName *regexp.Regexp
	// Schema, when set, is the live schema the spec is checked against.
	Schema *Schema
}

// DefaultPropertyNamePattern is the default HubSpot property and group name
// rule. It is unverified: HubSpot documents no rule and this is the pattern a
// third-party mock server enforces (hubspot-api.md §6); override it with
// Options.PropertyName.
const DefaultPropertyNamePattern = `^[a-z][a-z0-9_]*$`

var defaultPropertyName = regexp.MustCompile(DefaultPropertyNamePattern)

func (o *Options) registry() *Registry {
	if o != nil && o.Registry != nil {
		return o.Registry
	}
	return NewRegistry()
}

func (o *Options) nameRule() *regexp.Regexp {
	if o != nil && o.PropertyName != nil {
		return o.PropertyName
	}
	return defaultPropertyName
}

func (o *Options) schema() *Schema {
	if o == nil {
		return nil
	}
	return o.Schema
}

// Mapping is a compiled Spec: immutable and safe for concurrent use.
type Mapping struct {
	objects []*Object
	byName  map[string]*Object
	plan    *PropertyPlan
}

// Objects returns the compiled object mappings in spec order.
func (m *Mapping) Objects() []*Object { return m.objects }

// Object returns the compiled object mapping with the given name, or nil.
func (m *Mapping) Object(name string) *Object { return m.byName[name] }

// Compile validates s and compiles it. It returns a *ValidationError listing
// every problem when the spec has errors.
func Compile(s *Spec, opts *Options) (*Mapping, error) {
	m, is := compileSpec(s, opts)
	if err := is.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// Check returns every issue of the spec: errors, and with a live schema
// also informational issues such as properties that will be created.
func Check(s *Spec, opts *Options) []Issue {
	_, is := compileSpec(s, opts)
	return is.list
}

// Validate returns a *ValidationError listing every error of the spec, or nil.
func Validate(s *Spec, opts *Options) error {
	_, is := compileSpec(s, opts)
	return is.err()
}

// writeShape says how a ConnectWise path is written in a patch.
type writeShape int

const (
	shapeNone     writeShape = iota // not writable
	shapeTop                        // "name"
	shapeNested                     // "status/name": replace "/status" with an object
	shapeElement                    // "communicationItems[...]/value"
	shapeCustom                     // "customFields[...]/value"
	shapeTopArray                   // "types[0]": index into a top-level array
)

type field struct {
	prop     string
	path     Path
	hasPath  bool
	dir      Direction
	conflict Conflict
	fwd      chain
	rev      chain
	revOrder bool // rev is an explicit reverse chain (run in order)
	fwdOK    bool // every forward step can run toward HubSpot
	revOK    bool // a reverse can run toward ConnectWise
	norm     func(string) (string, error)
	kind     Kind
	shape    writeShape
	rest     Path   // path below the first segment (nested, element)
	cfID     string // custom field id from an id selector
	cfCap    string // custom field caption from a caption selector
	def      *PropertyDef
	extra    []Path // other ConnectWise paths read by the transforms (concat)
	required bool   // CreateBody needs a value
}

func compileSpec(s *Spec, opts *Options) (*Mapping, *issues) {
	is := &issues{src: s.src}
	reg := opts.registry()
	m := &Mapping{byName: map[string]*Object{}}
	for i := range s.Objects {
		om := &s.Objects[i]
		loc := "objects[" + strconv.Itoa(i) + "]"
		if om.Name == "" {
			is.errorf(CodeSpec, "", "", loc, "object mapping has no name")
		} else if _, dup := m.byName[om.Name]; dup {
			is.errorf(CodeSpec, om.Name, "", loc, "duplicate object mapping name")
		}
		o := compileObject(s, om, loc, reg, opts, is)
		m.objects = append(m.objects, o)
		if om.Name != "" {
			m.byName[om.Name] = o
		}
	}
	checkSpec(s, opts, is)
	m.plan = planProperties(s, opts.schema())
	return m, is
}

func compileObject(s *Spec, om *ObjectMapping, loc string, reg *Registry, opts *Options, is *issues) *Object {
	o := &Object{
		name: om.Name, hubspot: om.HubSpot, connectwise: om.ConnectWise,
		enabled: om.IsEnabled(), dir: om.Direction, conflict: om.Conflict,
		byProp: map[string]*field{}, bareCF: om.BareCustomFieldsPatch,
	}
	if o.dir == "" {
		o.dir = Both
	}
	if om.HubSpot == "" || om.ConnectWise == "" {
		is.errorf(CodeSpec, om.Name, "", loc, "object mapping needs both hubspot and connectwise object names")
	}
	if !om.Direction.valid() {
		is.errorf(CodeDirection, om.Name, "", loc+".direction", "unknown direction %q", om.Direction)
	}
	if !om.Conflict.valid() {
		is.errorf(CodeConflict, om.Name, "", loc+".conflict", "unknown conflict preference %q", om.Conflict)
	}
	cwPaths := map[string]string{}
	groups := knownGroups(s, om.HubSpot, opts.schema())
	for j := range om.Fields {
		fm := &om.Fields[j]
		floc := loc + ".fields[" + strconv.Itoa(j) + "]"
		f := compileField(om, fm, floc, reg, is)
		checkField(om, fm, f, floc, groups, opts, is)
		if fm.HubSpot == "" {
			is.errorf(CodeSpec, om.Name, "", floc, "field has no hubspot property")
			continue
		}
		if _, dup := o.byProp[fm.HubSpot]; dup {
			is.errorf(CodeDuplicateTarget, om.Name, fm.HubSpot, floc, "HubSpot property %q is mapped twice", fm.HubSpot)
			continue
		}
		if f.hasPath && f.dir.toCW() && f.dir != Off {
			key := f.path.canonical()
			if other, dup := cwPaths[key]; dup {
				is.errorf(CodeDuplicateTarget, om.Name, fm.HubSpot, floc, "ConnectWise path %q is also written by %q", fm.ConnectWise, other)
			} else {
				cwPaths[key] = fm.HubSpot
			}
		}
		o.byProp[fm.HubSpot] = f
		o.fields = append(o.fields, f)
	}
	for k, mk := range om.Match {
		f, ok := o.byProp[mk.HubSpot]
		if !ok || f.dir == Off {
			is.errorf(CodeMatchKey, om.Name, mk.HubSpot, loc+".match["+strconv.Itoa(k)+"]", "match key %q is not a mapped field", mk.HubSpot)
			continue
		}
		o.match = append(o.match, mk.HubSpot)
	}
	compileAssociations(s, om, o, loc, is)
	var err error
	if om.Filters.ToHubSpot != nil {
		if o.toHS, err = compileFilter(om.Filters.ToHubSpot, false, reg); err != nil {
			is.errorf(CodeBadFilter, om.Name, "", loc+".filters.toHubSpot", "%v", err)
		}
	}
	if om.Filters.ToConnectWise != nil {
		if o.toCW, err = compileFilter(om.Filters.ToConnectWise, true, reg); err != nil {
			is.errorf(CodeBadFilter, om.Name, "", loc+".filters.toConnectWise", "%v", err)
		}
	}
	return o
}

func compileField(om *ObjectMapping, fm *FieldMapping, loc string, reg *Registry, is *issues) *field {
	f := &field{prop: fm.HubSpot, conflict: fm.Conflict, def: fm.Property, required: fm.Required}
	obj := om.Name
	if !fm.Direction.valid() {
		is.errorf(CodeDirection, obj, fm.HubSpot, loc+".direction", "unknown direction %q", fm.Direction)
	}
	if !fm.Conflict.valid() {
		is.errorf(CodeConflict, obj, fm.HubSpot, loc+".conflict", "unknown conflict preference %q", fm.Conflict)
	}
	f.dir = effective(om.Direction, fm.Direction)
	if f.conflict == "" {
		f.conflict = om.Conflict
	}
	if fm.ConnectWise != "" {
		p, err := ParsePath(fm.ConnectWise)
		if err != nil {
			is.errorf(CodeBadPath, obj, fm.HubSpot, loc+".connectwise", "%v", err)
		} else {
			f.path, f.hasPath = p, true
			f.classify()
		}
	}
	f.fwd = compileChain(fm.Transform, loc+".transform", obj, fm.HubSpot, reg, is)
	for _, st := range fm.Transform {
		if st.Name == "concat" {
			for _, raw := range strings.Split(st.Args["paths"], ",") {
				if p, err := ParsePath(strings.TrimSpace(raw)); err == nil {
					f.extra = append(f.extra, p)
				}
			}
		}
	}
	f.fwdOK = true
	for _, t := range f.fwd {
		if t.ToHubSpot == nil {
			f.fwdOK = false
		}
	}
	if len(fm.Reverse) > 0 {
		f.rev, f.revOrder = compileChain(fm.Reverse, loc+".reverse", obj, fm.HubSpot, reg, is), true
	} else {
		f.rev = f.fwd
	}
	f.revOK = true
	reversible := true
	for _, t := range f.rev {
		if t.ToConnectWise == nil {
			f.revOK = false
		}
		if !t.Reversible {
			reversible = false
		}
	}
	f.kind = f.fwd.kind()
	f.norm = f.fwd.normalizer()
	if f.dir == Off {
		return f
	}
	if f.dir.toHS() && !f.fwdOK {
		is.errorf(CodeOneWay, obj, fm.HubSpot, loc+".transform", "a transform of the chain cannot run toward HubSpot")
	}
	if f.dir.toCW() {
		switch {
		case fm.ConnectWise != "" && !f.hasPath:
			// bad path, reported above
		case !f.hasPath:
			is.errorf(CodeNotWritable, obj, fm.HubSpot, loc, "field flows toward ConnectWise but has no connectwise path")
		case f.shape == shapeNone:
			is.errorf(CodeNotWritable, obj, fm.HubSpot, loc+".connectwise", "path %q cannot be written toward ConnectWise (arrays are writable only as the first segment)", fm.ConnectWise)
		}
		if !f.revOK {
			is.errorf(CodeOneWay, obj, fm.HubSpot, loc+".transform", "a transform of the chain cannot run toward ConnectWise; add a reverse chain")
		}
	}
	if f.dir == Both && !f.revOrder && !reversible && f.revOK {
		is.errorf(CodeLossy, obj, fm.HubSpot, loc+".transform", "bidirectional field needs reversible transforms or an explicit reverse chain")
	}
	if fm.ConnectWise == "" && f.dir.toHS() && len(f.fwd) == 0 {
		is.errorf(CodeSpec, obj, fm.HubSpot, loc, "field has neither a connectwise path nor a transform producing a value")
	}
	return f
}

func compileChain(steps []Step, loc, obj, prop string, reg *Registry, is *issues) chain {
	var c chain
	for k, st := range steps {
		sloc := loc + "[" + strconv.Itoa(k) + "]"
		if _, ok := reg.transforms[st.Name]; !ok {
			is.errorf(CodeUnknownTransform, obj, prop, sloc, "unknown transform %q", st.Name)
			continue
		}
		t, err := reg.build(st)
		if err != nil {
			is.errorf(CodeBadTransform, obj, prop, sloc, "%v", err)
			continue
		}
		c = append(c, t)
	}
	return c
}

package mapping

// Direction says which way values flow for an object or a field.
type Direction string

// Directions. An object's direction overrides its fields' directions: the
// effective direction of a field is the intersection of the two, as in the
// commercial integration where the sync direction is chosen per object
// (commercial-setup-guide.txt, "select the sync direction by object").
const (
	// Both syncs changes either way (the default when empty).
	Both Direction = "both"
	// ToHubSpot only writes ConnectWise values into HubSpot.
	ToHubSpot Direction = "toHubSpot"
	// ToConnectWise only writes HubSpot values into ConnectWise.
	ToConnectWise Direction = "toConnectWise"
	// Off disables the field (or object) without deleting it from the spec.
	Off Direction = "off"
)

// toHS reports whether values flow toward HubSpot.
func (d Direction) toHS() bool { return d == Both || d == ToHubSpot || d == "" }

// toCW reports whether values flow toward ConnectWise.
func (d Direction) toCW() bool { return d == Both || d == ToConnectWise || d == "" }

func (d Direction) valid() bool {
	switch d {
	case "", Both, ToHubSpot, ToConnectWise, Off:
		return true
	}
	return false
}

// effective intersects an object direction with a field direction.
func effective(object, field Direction) Direction {
	if object == Off || field == Off {
		return Off
	}
	if object == "" {
		object = Both
	}
	if field == "" {
		field = Both
	}
	hs := object.toHS() && field.toHS()
	cw := object.toCW() && field.toCW()
	switch {
	case hs && cw:
		return Both
	case hs:
		return ToHubSpot
	case cw:
		return ToConnectWise
	}
	return Off
}

// Conflict is the preference the engine applies when a field changed on both
// sides since the last sync. The mapping package only stores it.
type Conflict string

// Conflict preferences. Empty means "use the object's default".
const (
	PreferHubSpot     Conflict = "preferHubSpot"
	PreferConnectWise Conflict = "preferConnectWise"
	MostRecent        Conflict = "mostRecent"
	Review            Conflict = "review"
)

func (c Conflict) valid() bool {
	switch c {
	case "", PreferHubSpot, PreferConnectWise, MostRecent, Review:
		return true
	}
	return false
}

// Spec is a complete mapping: one ObjectMapping per object pair plus the
// HubSpot property groups the spec's properties live in. A Spec is plain data;
// build it in Go, load it with Load, check it with Validate and turn it into
// fast projection functions with Compile.
type Spec struct {
	// Objects lists the object pairs, in sync order (companies before contacts
	// before deals, so associations can be written once both ends exist).
	Objects []ObjectMapping `json:"objects" yaml:"objects"`
	// Groups are HubSpot property groups to ensure, keyed by HubSpot object
	// type inside each group entry.
	Groups []PropertyGroup `json:"groups,omitempty" yaml:"groups,omitempty"`

	src *source // where a loaded spec came from (file and line numbers)
}

// Object returns the object mapping with the given name, or nil; use it to
// adjust a spec such as Default() before compiling.
func (s *Spec) Object(name string) *ObjectMapping {
	for i := range s.Objects {
		if s.Objects[i].Name == name {
			return &s.Objects[i]
		}
	}
	return nil
}

// ObjectMapping maps one ConnectWise object to one HubSpot object.
type ObjectMapping struct {
	// Name identifies the mapping ("companies", "contacts", "deals").
	Name string `json:"name" yaml:"name"`
	// HubSpot is the HubSpot object type ("companies", "contacts", "deals",
	// "tickets", or an id such as "0-3"; hubspot-api.md §4).
	HubSpot string `json:"hubspot" yaml:"hubspot"`
	// ConnectWise is the ConnectWise resource path ("company/companies",
	// "company/contacts", "sales/opportunities"; connectwise-api.md §6).
	ConnectWise string `json:"connectwise" yaml:"connectwise"`
	// Enabled turns the object on; nil means enabled.
	Enabled *bool `json:"enabled,omitempty" yaml:"enabled,omitempty"`
	// Direction is the object-level direction; it overrides field directions.
	Direction Direction `json:"direction,omitempty" yaml:"direction,omitempty"`
	// Conflict is the default conflict preference of the object's fields.
	Conflict Conflict `json:"conflict,omitempty" yaml:"conflict,omitempty"`
	// Match lists the keys used to find an existing partner record when no
	// link exists yet. Each key names a mapped HubSpot property.
	Match []MatchKey `json:"match,omitempty" yaml:"match,omitempty"`
	// Fields are the field mappings.
	Fields []FieldMapping `json:"fields" yaml:"fields"`
	// Filters select the records that sync in each direction.
	Filters Filters `json:"filters,omitempty" yaml:"filters,omitempty"`
	// Associations declare which other object mappings this object's
	// records reference (a contact's company, a deal's company and contact).
	Associations []Association `json:"associations,omitempty" yaml:"associations,omitempty"`
	// BareCustomFieldsPatch, when true, stops Patch from adding an empty
	// "/customFields" replace operation to patches of records that carry
	// custom fields. By default it is added: amp-labs found ConnectWise may
	// answer 400 to a PATCH of such a record without it (connectwise-api.md §5,
	// S11 write.go). The need is observed, not documented, hence the switch.
	BareCustomFieldsPatch bool `json:"bareCustomFieldsPatch,omitempty" yaml:"bareCustomFieldsPatch,omitempty"`
}

// IsEnabled reports whether the object mapping is enabled (nil Enabled means yes).
func (o *ObjectMapping) IsEnabled() bool { return o.Enabled == nil || *o.Enabled }

// Field returns the field mapping of a HubSpot property, or nil.
func (o *ObjectMapping) Field(hubspot string) *FieldMapping {
	for i := range o.Fields {
		if o.Fields[i].HubSpot == hubspot {
			return &o.Fields[i]
		}
	}
	return nil
}

// MatchKey names a mapped HubSpot property whose canonical value identifies
// the same record on both sides (contacts: normalised email; companies:
// ConnectWise rec ID or company identifier; deals: opportunity rec ID).
type MatchKey struct {
	// HubSpot is the HubSpot property of a field mapping of this object.
	HubSpot string `json:"hubspot" yaml:"hubspot"`
}

// FieldMapping maps one ConnectWise field to one HubSpot property.
type FieldMapping struct {
	// HubSpot is the HubSpot property's internal name.
	HubSpot string `json:"hubspot" yaml:"hubspot"`
	// ConnectWise is the ConnectWise field path (see Path). It may be empty
	// for a field computed only from transforms (const, concat) that flows
	// toward HubSpot.
	ConnectWise string `json:"connectwise,omitempty" yaml:"connectwise,omitempty"`
	// Direction is the field direction; empty means Both.
	Direction Direction `json:"direction,omitempty" yaml:"direction,omitempty"`
	// Transform is applied in order from ConnectWise toward HubSpot; toward
	// ConnectWise the steps' reverses run in the opposite order.
	Transform []Step `json:"transform,omitempty" yaml:"transform,omitempty"`
	// Reverse, when set, replaces the reverse of Transform toward
	// ConnectWise: its steps run in order on the HubSpot value, calling each
	// step's ConnectWise-ward function.
	Reverse []Step `json:"reverse,omitempty" yaml:"reverse,omitempty"`
	// Conflict overrides the object's conflict preference for this field.
	Conflict Conflict `json:"conflict,omitempty" yaml:"conflict,omitempty"`
	// Required makes CreateBody fail for a record without a value for this
	// field, naming it, instead of sending a body ConnectWise answers with
	// 400 MissingRequiredField (connectwise-api.md §5, §8).
	Required bool `json:"required,omitempty" yaml:"required,omitempty"`
	// Property, when set, defines the HubSpot property so it can be created.
	Property *PropertyDef `json:"property,omitempty" yaml:"property,omitempty"`
}

// Step is one transform in a chain: a registered transform name and its
// parameters. In YAML and JSON a step without parameters may be written as a
// bare string ("trim").
type Step struct {
	// Name is the registered transform name.
	Name string `json:"name" yaml:"name"`
	// Args are named parameters (for example "zone" for date, "table" for
	// lookup, "sep" for split).
	Args map[string]string `json:"args,omitempty" yaml:"args,omitempty"`
	// Values is the value map of the "map" transform: ConnectWise value to
	// HubSpot value.
	Values map[string]string `json:"values,omitempty" yaml:"values,omitempty"`
	// ReverseValues is the HubSpot-to-ConnectWise map of the "map" transform,
	// needed when Values is not one-to-one.
	ReverseValues map[string]string `json:"reverseValues,omitempty" yaml:"reverseValues,omitempty"`
}

// S builds a Step with optional name/value argument pairs:
// S("date", "zone", "America/New_York").
func S(name string, args ...string) Step {
	st := Step{Name: name}
	if len(args) > 0 {
		st.Args = make(map[string]string, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			st.Args[args[i]] = args[i+1]
		}
	}
	return st
}

// PropertyDef is a HubSpot property definition, with the JSON names of the
// HubSpot properties API (PropertyCreate, hubspot-api.md §6).
type PropertyDef struct {
	// Name is the internal name; empty means the field's HubSpot name.
	Name string `json:"name" yaml:"name,omitempty"`
	// Label is the display label.
	Label string `json:"label" yaml:"label"`
	// Description is optional help text.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// GroupName is the property group; empty means GroupConnectWise.
	GroupName string `json:"groupName" yaml:"groupName,omitempty"`
	// Type is one of bool, date, datetime, enumeration, number, phone_number, string.
	Type string `json:"type" yaml:"type"`
	// FieldType is the UI field type (text, textarea, number, select, ...).
	FieldType string `json:"fieldType" yaml:"fieldType"`
	// Options are required for enumeration properties.
	Options []PropertyOption `json:"options,omitempty" yaml:"options,omitempty"`
	// HasUniqueValue makes the property a unique identifier (at most ten
	// per object; cannot be changed later; hubspot-api.md §6).
	HasUniqueValue bool `json:"hasUniqueValue,omitempty" yaml:"hasUniqueValue,omitempty"`
}

// PropertyOption is one option of an enumeration property. HubSpot's
// OptionInput requires label, value and hidden (hubspot-api.md §6).
type PropertyOption struct {
	Label        string `json:"label" yaml:"label"`                         // display label
	Value        string `json:"value" yaml:"value"`                         // internal value written by the API
	DisplayOrder int    `json:"displayOrder" yaml:"displayOrder,omitempty"` // order in the UI
	Hidden       bool   `json:"hidden" yaml:"hidden,omitempty"`             // hidden in forms
}

// PropertyGroup is a HubSpot property group to ensure on one object type.
type PropertyGroup struct {
	// Object is the HubSpot object type the group belongs to.
	Object string `json:"object" yaml:"object"`
	// Name is the group's internal name.
	Name string `json:"name" yaml:"name"`
	// Label is the display label.
	Label string `json:"label" yaml:"label"`
	// DisplayOrder orders groups in the HubSpot UI (-1: after the others).
	DisplayOrder int `json:"displayOrder,omitempty" yaml:"displayOrder,omitempty"`
}

// Filters holds the record filters of an object mapping, one per direction.
type Filters struct {
	// ToHubSpot selects ConnectWise records that sync toward HubSpot.
	ToHubSpot *Filter `json:"toHubSpot,omitempty" yaml:"toHubSpot,omitempty"`
	// ToConnectWise selects HubSpot records that sync toward ConnectWise.
	ToConnectWise *Filter `json:"toConnectWise,omitempty" yaml:"toConnectWise,omitempty"`
}

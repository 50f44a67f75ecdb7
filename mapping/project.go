package mapping

import "slices"

// Object is a compiled object mapping. All methods are safe for concurrent
// use; projections are pure functions of their arguments.
type Object struct {
	name, hubspot, connectwise string
	enabled                    bool
	dir                        Direction
	conflict                   Conflict
	fields                     []*field
	byProp                     map[string]*field
	match                      []string
	toHS, toCW                 *filterNode
	bareCF                     bool
	assoc                      []association
}

// Name returns the object mapping's name.
func (o *Object) Name() string { return o.name }

// HubSpotObject returns the HubSpot object type.
func (o *Object) HubSpotObject() string { return o.hubspot }

// ConnectWiseObject returns the ConnectWise resource path.
func (o *Object) ConnectWiseObject() string { return o.connectwise }

// Enabled reports whether the object mapping is enabled.
func (o *Object) Enabled() bool { return o.enabled }

// Direction returns the object-level direction.
func (o *Object) Direction() Direction { return o.dir }

// Conflict returns the object's default conflict preference.
func (o *Object) Conflict() Conflict { return o.conflict }

// MatchKeys returns the HubSpot properties whose canonical values identify
// the partner record, in spec order.
func (o *Object) MatchKeys() []string { return append([]string(nil), o.match...) }

// Fields describes the active (not Off) fields in spec order.
func (o *Object) Fields() []FieldInfo {
	out := make([]FieldInfo, 0, len(o.fields))
	for _, f := range o.fields {
		if f.dir != Off {
			out = append(out, f.info())
		}
	}
	return out
}

// Field describes the active field mapped to a HubSpot property.
func (o *Object) Field(hubspot string) (FieldInfo, bool) {
	f, ok := o.byProp[hubspot]
	if !ok || f.dir == Off {
		return FieldInfo{}, false
	}
	return f.info(), true
}

// ConnectWiseFields returns the distinct top-level ConnectWise fields the
// active fields read, in spec order, plus "id": the list for a
// ConnectWise "fields" query parameter (connectwise-api.md §4).
func (o *Object) ConnectWiseFields() []string {
	out := []string{"id"}
	seen := map[string]bool{"id": true}
	add := func(p Path) {
		if len(p.segs) > 0 && !seen[p.segs[0].key] {
			seen[p.segs[0].key] = true
			out = append(out, p.segs[0].key)
		}
	}
	for _, f := range o.fields {
		if f.dir == Off {
			continue
		}
		if f.hasPath {
			add(f.path)
		}
		for _, p := range f.extra {
			add(p)
		}
	}
	return out
}

// Properties returns the HubSpot property names of the active fields: the
// list to request when reading HubSpot records.
func (o *Object) Properties() []string {
	out := make([]string, 0, len(o.fields))
	for _, f := range o.fields {
		if f.dir != Off {
			out = append(out, f.prop)
		}
	}
	return out
}

func (o *Object) fieldErr(id string, f *field, v any, err error) *FieldError {
	return &FieldError{Object: o.name, RecordID: id, Field: f.prop, Path: f.path.raw, Value: short(v), Err: err}
}

func cwID(rec map[string]any) string {
	s, _ := scalarString(rec["id"])
	return s
}

// FromConnectWise projects a decoded ConnectWise record (numbers as float64
// or json.Number) into HubSpot-form values: the forward transforms of every
// active field. Fields that fail are left out and reported together as
// RecordErrors; the values of the other fields are still returned.
func (o *Object) FromConnectWise(rec map[string]any, lk *Lookups) (Values, error) {
	env := Env{Lookups: lk, ConnectWise: rec}
	out := make(Values, len(o.fields))
	var errs RecordErrors
	for _, f := range o.fields {
		if f.dir == Off || !f.fwdOK {
			continue
		}
		s, ok, raw, err := f.forward(rec, &env)
		if err != nil {
			errs = append(errs, o.fieldErr(cwID(rec), f, raw, err))
			continue
		}
		if ok {
			out[f.prop] = s
		}
	}
	return out, errs.orNil()
}

// forward projects one field of a ConnectWise record. raw is the value read
// from the record, for error messages.
func (f *field) forward(rec map[string]any, env *Env) (string, bool, any, error) {
	var raw any
	if f.hasPath {
		raw, _ = f.path.Get(rec)
	}
	v, err := f.fwd.toHubSpot(raw, env)
	if err != nil {
		return "", false, raw, err
	}
	s, ok, err := hubSpotString(v)
	return s, ok, raw, err
}

// FromHubSpot projects HubSpot record properties into the same canonical
// per-field form as FromConnectWise (dates to midnight epoch ms, datetimes
// to epoch ms, numbers without trailing zeros, normalised emails and
// phones). Absent, null and empty properties are absent. The record id for
// errors is read from hs_object_id.
func (o *Object) FromHubSpot(props map[string]string, lk *Lookups) (Values, error) {
	out := make(Values, len(o.fields))
	var errs RecordErrors
	for _, f := range o.fields {
		if f.dir == Off {
			continue
		}
		s, ok := props[f.prop]
		if !ok || s == "" {
			continue
		}
		if f.norm != nil {
			n, err := f.norm(s)
			if err != nil {
				errs = append(errs, o.fieldErr(props["hs_object_id"], f, s, err))
				continue
			}
			s = n
		}
		if s != "" {
			out[f.prop] = s
		}
	}
	return out, errs.orNil()
}

// SelectConnectWise reports whether a ConnectWise record passes the
// object's toHubSpot filter (true when there is none).
func (o *Object) SelectConnectWise(rec map[string]any, lk *Lookups) (bool, error) {
	if o.toHS == nil {
		return true, nil
	}
	return o.toHS.eval(Record{ConnectWise: rec}, lk)
}

// SelectHubSpot reports whether a HubSpot record passes the object's
// toConnectWise filter (true when there is none). List filters read the
// record id from hs_object_id.
func (o *Object) SelectHubSpot(props map[string]string, lk *Lookups) (bool, error) {
	if o.toCW == nil {
		return true, nil
	}
	if props == nil {
		props = map[string]string{}
	}
	return o.toCW.eval(Record{HubSpot: props}, lk)
}

// reverse converts one field's HubSpot-form value toward ConnectWise. ok is
// false when there is nothing to write.
func (f *field) reverse(v Values, env *Env) (any, error) {
	var in any
	if s, ok := v[f.prop]; ok && s != "" {
		if f.norm != nil {
			n, err := f.norm(s)
			if err != nil {
				return nil, err
			}
			s = n
		}
		if s != "" {
			in = s
		}
	}
	if f.revOrder {
		return f.rev.toConnectWiseInOrder(in, env)
	}
	return f.rev.toConnectWiseReversed(in, env)
}

// CreateBody builds the JSON body of a ConnectWise POST from HubSpot-form
// values: every field flowing toward ConnectWise that has a value is written
// at its path (nested objects and selected array elements are created;
// custom fields become {id, value} entries, captions resolved through
// Lookups.SetCustomFields). A Required field without a value is an
// ErrRequired field error. The id used in errors is v["hs_object_id"] when
// the caller includes it.
func (o *Object) CreateBody(v Values, lk *Lookups) (map[string]any, error) {
	env := Env{Lookups: lk, HubSpot: v}
	body := map[string]any{}
	var errs RecordErrors
	for _, f := range o.fields {
		if f.dir == Off || !f.dir.toCW() || f.shape == shapeNone || !f.revOK {
			continue
		}
		cwv, err := f.reverse(v, &env)
		if err != nil {
			errs = append(errs, o.fieldErr(v["hs_object_id"], f, v[f.prop], err))
			continue
		}
		if cwv == nil {
			if f.required {
				errs = append(errs, o.fieldErr(v["hs_object_id"], f, nil, ErrRequired))
			}
			continue
		}
		if f.shape == shapeCustom {
			id, ok := o.customID(f, nil, lk)
			if !ok {
				errs = append(errs, o.fieldErr(v["hs_object_id"], f, nil, customIDErr(f)))
				continue
			}
			arr, _ := body["customFields"].([]any)
			body["customFields"] = append(arr, map[string]any{"id": id, "value": cwv})
			continue
		}
		if err := f.path.Set(body, cwv); err != nil {
			errs = append(errs, o.fieldErr(v["hs_object_id"], f, v[f.prop], err))
		}
	}
	return body, errs.orNil()
}

// HubSpotChanges returns the HubSpot properties to write so that a HubSpot
// record holds the values v, for the fields flowing toward HubSpot (all of
// them, or only those named in fields). With current == nil (a create) it
// returns every such field that has a value; otherwise only the fields whose
// canonical values differ from current (as returned by FromHubSpot), with
// "" for a value to clear, the form HubSpot takes to empty a property.
func (o *Object) HubSpotChanges(v, current Values, fields []string) map[string]string {
	out := map[string]string{}
	for _, f := range o.fields {
		if f.dir == Off || !f.dir.toHS() || (fields != nil && !slices.Contains(fields, f.prop)) {
			continue
		}
		want, ok := v[f.prop]
		switch {
		case current == nil:
			if ok && want != "" {
				out[f.prop] = want
			}
		case want != current[f.prop]:
			out[f.prop] = want
		}
	}
	return out
}

package mapping

import (
	"maps"
	"slices"
	"strconv"
)

// Schema is the live schema a spec can be checked against, as plain data the
// engine reads from both APIs. Objects missing from a map are not checked.
type Schema struct {
	// HubSpot lists existing property definitions by HubSpot object type
	// (GET /crm/v3/properties/{objectType}).
	HubSpot map[string][]HubSpotProperty
	// HubSpotGroups lists existing property group names by object type.
	HubSpotGroups map[string][]string
	// ConnectWise lists custom field definitions by ConnectWise resource path
	// ("company/contacts"; GET /system/userDefinedFields).
	ConnectWise map[string][]CustomField
}

// HubSpotProperty is the part of a live HubSpot property definition that
// validation needs.
type HubSpotProperty struct {
	Name           string // internal name
	Type           string // bool, date, datetime, enumeration, number, phone_number, string, ...
	FieldType      string // UI field type
	GroupName      string // property group
	HasUniqueValue bool   // unique identifier property
	ReadOnlyValue  bool   // modificationMetadata.readOnlyValue
}

// CustomField is a ConnectWise custom field (user-defined field) definition.
// Type is the fieldTypeIdentifier: Text, Number, Date, Checkbox, Currency,
// Percent, TextArea, Hyperlink, IPAddress, Password, Button
// (connectwise-api.md §7).
type CustomField struct {
	ID      int    // id, used in customFields entries
	Caption string // caption, as addressed by customFields[caption=...]
	Type    string // fieldTypeIdentifier
}

// Property types and field types accepted by HubSpot's PropertyCreate
// (hubspot-api.md §6, spec enums).
var (
	propertyTypes = []string{"bool", "date", "datetime", "enumeration", "number", "phone_number", "string"}
	// fieldTypesByType is the working set of valid type/fieldType pairs.
	// UNVERIFIED: HubSpot's official table could not be read; this set comes
	// from the enum semantics (hubspot-api.md §6) plus pairs seen on live
	// property lists (properties-contacts-list.json: enumeration/
	// booleancheckbox, phone_number is inferred). Check it against GET on
	// existing default properties before relying on a refusal.
	fieldTypesByType = map[string][]string{
		"string":       {"text", "textarea", "html", "phonenumber", "file"},
		"number":       {"number", "calculation_equation"},
		"bool":         {"booleancheckbox"},
		"enumeration":  {"select", "radio", "checkbox", "booleancheckbox"},
		"date":         {"date"},
		"datetime":     {"date"},
		"phone_number": {"phonenumber"},
	}
)

// maxUniqueProperties: "You can have up to ten unique ID properties per
// object" (hubspot-api.md §6, doc† properties guide).
const maxUniqueProperties = 10

// kindFits reports whether a transform output kind can be stored in a
// HubSpot property type.
func kindFits(k Kind, propType string) bool {
	switch k {
	case "", KindString:
		return propType == "string" || propType == "enumeration" || propType == "phone_number"
	case KindNumber:
		return propType == "number" || propType == "string"
	case KindBool:
		return propType == "bool" || propType == "enumeration" || propType == "string"
	case KindDate:
		return propType == "date"
	case KindDatetime:
		return propType == "datetime"
	}
	return true // user-defined kinds are not checked
}

// kindFitsCustom checks a transform kind against a ConnectWise custom
// field type.
func kindFitsCustom(k Kind, cfType string, toCW bool) bool {
	switch cfType {
	case "Number", "Currency", "Percent":
		return k == KindNumber || (k == "" && !toCW)
	case "Checkbox":
		return k == KindBool || (k == "" && !toCW)
	case "Date":
		return k == KindDate || k == KindDatetime || (k == "" && !toCW)
	}
	return k != KindDate && k != KindDatetime || !toCW
}

func kindHint(k Kind) string {
	if k == "" {
		return "untyped (no converting transform)"
	}
	return string(k)
}

// checkField runs the property-definition, type and live-schema checks of
// one compiled field.
func checkField(om *ObjectMapping, fm *FieldMapping, f *field, loc string, groups []string, opts *Options, is *issues) {
	obj, prop := om.Name, fm.HubSpot
	if def := fm.Property; def != nil {
		dloc := loc + ".property"
		if def.Name != "" && def.Name != prop {
			is.errorf(CodePropertyName, obj, prop, dloc, "property name %q differs from the field's hubspot name", def.Name)
		}
		if !opts.nameRule().MatchString(prop) {
			is.errorf(CodePropertyName, obj, prop, dloc, "property name %q does not match %s", prop, opts.nameRule())
		}
		if def.Label == "" {
			is.errorf(CodeSpec, obj, prop, dloc, "property definition needs a label")
		}
		if !slices.Contains(propertyTypes, def.Type) {
			is.errorf(CodePropertyType, obj, prop, dloc+".type", "unknown property type %q", def.Type)
		} else if !slices.Contains(fieldTypesByType[def.Type], def.FieldType) {
			is.errorf(CodePropertyType, obj, prop, dloc+".fieldType", "fieldType %q does not go with type %q (allowed: %v)", def.FieldType, def.Type, fieldTypesByType[def.Type])
		}
		if def.HasUniqueValue && def.Type != "string" && def.Type != "number" {
			is.errorf(CodePropertyType, obj, prop, dloc, "hasUniqueValue needs a string or number property")
		}
		checkOptions(obj, prop, dloc, def, is)
		checkMapOptions(obj, prop, loc, fm, is)
		group := def.GroupName
		if group == "" {
			group = GroupConnectWise
		}
		if groups != nil && !slices.Contains(groups, group) {
			is.errorf(CodePropertyGroup, obj, prop, dloc+".groupName", "property group %q is neither declared in the spec nor in the live schema", group)
		}
		if f.dir != Off && f.dir.toHS() && !kindFits(f.kind, def.Type) {
			is.errorf(CodeTypeMismatch, obj, prop, loc+".transform", "transforms produce %s values but the property type is %s", kindHint(f.kind), def.Type)
		}
	}
	if f.dir == Off {
		return
	}
	checkLive(om, fm, f, loc, opts.schema(), is)
}

func checkOptions(obj, prop, loc string, def *PropertyDef, is *issues) {
	if def.Type != "enumeration" {
		if len(def.Options) > 0 && def.Type != "bool" {
			is.errorf(CodePropertyOptions, obj, prop, loc+".options", "options are only allowed on enumeration properties")
		}
		return
	}
	if len(def.Options) == 0 {
		is.errorf(CodePropertyOptions, obj, prop, loc+".options", "enumeration property needs options")
		return
	}
	seen := map[string]bool{}
	for i, o := range def.Options {
		oloc := loc + ".options[" + strconv.Itoa(i) + "]"
		if o.Label == "" || o.Value == "" {
			is.errorf(CodePropertyOptions, obj, prop, oloc, "option needs a label and a value")
		}
		if seen[o.Value] {
			is.errorf(CodePropertyOptions, obj, prop, oloc, "duplicate option value %q", o.Value)
		}
		seen[o.Value] = true
	}
}

// checkMapOptions checks that a value map ending the chain of an
// enumeration property only produces defined option values: HubSpot
// refuses any other value (hubspot-api.md §6, "Enumeration values must
// match defined options exactly").
func checkMapOptions(obj, prop, loc string, fm *FieldMapping, is *issues) {
	def := fm.Property
	if def.Type != "enumeration" || len(def.Options) == 0 || len(fm.Transform) == 0 {
		return
	}
	last := fm.Transform[len(fm.Transform)-1]
	if last.Name != "map" {
		return
	}
	valid := map[string]bool{}
	for _, o := range def.Options {
		valid[o.Value] = true
	}
	outs := slices.Sorted(maps.Values(last.Values))
	if d, ok := last.Args["default"]; ok {
		outs = append(outs, d)
	}
	for _, v := range outs {
		if !valid[v] {
			is.errorf(CodeTypeMismatch, obj, prop, loc+".transform["+strconv.Itoa(len(fm.Transform)-1)+"]", "value map produces %q, which is not an option of the enumeration", v)
		}
	}
}

func checkLive(om *ObjectMapping, fm *FieldMapping, f *field, loc string, sc *Schema, is *issues) {
	if sc == nil {
		return
	}
	obj, prop := om.Name, fm.HubSpot
	if props, ok := sc.HubSpot[om.HubSpot]; ok {
		i := slices.IndexFunc(props, func(p HubSpotProperty) bool { return p.Name == prop })
		switch {
		case i >= 0:
			p := props[i]
			if f.dir.toHS() && p.ReadOnlyValue {
				is.errorf(CodeReadOnly, obj, prop, loc, "HubSpot property %q is read-only", prop)
			}
			if !kindFits(f.kind, p.Type) {
				is.errorf(CodeTypeMismatch, obj, prop, loc+".transform", "transforms produce %s values but the live property type is %s", kindHint(f.kind), p.Type)
			}
		case fm.Property != nil:
			is.add(SeverityInfo, CodeWillCreate, obj, prop, loc+".property", "HubSpot property %q will be created on %s", prop, om.HubSpot)
		default:
			is.errorf(CodeUnknownProperty, obj, prop, loc, "HubSpot property %q does not exist on %s and has no definition", prop, om.HubSpot)
		}
	}
	cfs, ok := sc.ConnectWise[om.ConnectWise]
	if !ok || !f.hasPath || f.path.segs[0].key != "customFields" || len(f.path.segs[0].conds) != 1 {
		return
	}
	c := f.path.segs[0].conds[0]
	i := slices.IndexFunc(cfs, func(cf CustomField) bool {
		return (c.key == "id" && strconv.Itoa(cf.ID) == c.val) || (c.key == "caption" && cf.Caption == c.val)
	})
	if i < 0 {
		is.errorf(CodeUnknownCustom, obj, prop, loc+".connectwise", "ConnectWise custom field %s=%q does not exist on %s", c.key, c.val, om.ConnectWise)
		return
	}
	if !kindFitsCustom(f.kind, cfs[i].Type, f.dir.toCW()) {
		is.errorf(CodeTypeMismatch, obj, prop, loc+".transform", "transforms produce %s values but custom field %q is %s", kindHint(f.kind), cfs[i].Caption, cfs[i].Type)
	}
}

// knownGroups lists the property groups a definition on this object may
// use, or nil when it cannot be known (no live schema for the object).
func knownGroups(s *Spec, hubspotObject string, sc *Schema) []string {
	var out []string
	for _, g := range s.Groups {
		if g.Object == hubspotObject {
			out = append(out, g.Name)
		}
	}
	if sc == nil {
		return nil
	}
	out = append(out, GroupConnectWise) // planned automatically (planProperties)
	live, ok := sc.HubSpotGroups[hubspotObject]
	if !ok {
		return nil
	}
	return append(out, live...)
}

// checkSpec runs the checks that span objects: groups and unique counts.
func checkSpec(s *Spec, opts *Options, is *issues) {
	seen := map[string]bool{}
	for i, g := range s.Groups {
		loc := "groups[" + strconv.Itoa(i) + "]"
		if g.Object == "" || g.Name == "" || g.Label == "" {
			is.errorf(CodeSpec, "", "", loc, "property group needs object, name and label")
		}
		if !opts.nameRule().MatchString(g.Name) {
			is.errorf(CodePropertyName, "", "", loc, "group name %q does not match %s", g.Name, opts.nameRule())
		}
		key := g.Object + "/" + g.Name
		if seen[key] {
			is.errorf(CodeSpec, "", "", loc, "duplicate property group %q on %s", g.Name, g.Object)
		}
		seen[key] = true
	}
	unique := map[string]int{}
	for i, om := range s.Objects {
		for j, fm := range om.Fields {
			if fm.Property != nil && fm.Property.HasUniqueValue {
				unique[om.HubSpot]++
				if unique[om.HubSpot] == maxUniqueProperties+1 {
					is.errorf(CodePropertyType, om.Name, fm.HubSpot, "objects["+strconv.Itoa(i)+"].fields["+strconv.Itoa(j)+"].property",
						"more than %d unique properties on %s", maxUniqueProperties, om.HubSpot)
				}
			}
		}
	}
}

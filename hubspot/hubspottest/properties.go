package hubspottest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
)

// propertyInput is PropertyCreate / PropertyUpdate (hubspot-api.md §6).
type propertyInput struct {
	Name                 string         `json:"name"`
	Label                string         `json:"label"`
	Type                 string         `json:"type"`
	FieldType            string         `json:"fieldType"`
	GroupName            string         `json:"groupName"`
	Description          *string        `json:"description"`
	Options              *[]optionInput `json:"options"`
	DisplayOrder         *int           `json:"displayOrder"`
	HasUniqueValue       *bool          `json:"hasUniqueValue"`
	Hidden               *bool          `json:"hidden"`
	FormField            *bool          `json:"formField"`
	ExternalOptions      *bool          `json:"externalOptions"`
	ReferencedObjectType string         `json:"referencedObjectType"`
	DataSensitivity      string         `json:"dataSensitivity"`
	CalculationFormula   string         `json:"calculationFormula"`
}

type optionInput struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	Description  string `json:"description"`
	DisplayOrder *int   `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// Valid type/fieldType pairs. The official table's rows could not be read; this is
// the working set of hubspot-api.md §6 plus pairs seen on real portals
// (properties-contacts-list.json: enumeration/booleancheckbox, number/calculation_*).
var fieldTypes = map[string][]string{
	"string":       {"text", "textarea", "html", "phonenumber", "file"},
	"number":       {"number", "calculation_equation"},
	"bool":         {"booleancheckbox"},
	"enumeration":  {"select", "radio", "checkbox", "booleancheckbox"},
	"date":         {"date"},
	"datetime":     {"date"},
	"phone_number": {"phonenumber"},
}

// Internal names: lowercase, starting with a letter (no official source; a 3p mock
// uses this pattern, hubspot-api.md §6 "Naming rules"). The default of
// Options.PropertyNames.
var propertyNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// maxUniqueProperties: "You can have up to ten unique ID properties per object."
const maxUniqueProperties = 10

func convertOptions(in []optionInput) []PropertyOption {
	maxOrder := -1
	for _, o := range in {
		if o.DisplayOrder != nil && *o.DisplayOrder > maxOrder {
			maxOrder = *o.DisplayOrder
		}
	}
	out := make([]PropertyOption, len(in))
	for i, o := range in {
		order := 0
		if o.DisplayOrder != nil {
			order = *o.DisplayOrder
		} else { // options sent without displayOrder go after the others (properties-batch-create-200.json)
			maxOrder++
			order = maxOrder
		}
		out[i] = PropertyOption{Label: o.Label, Value: o.Value, Description: o.Description, DisplayOrder: order, Hidden: o.Hidden}
	}
	return out
}

// newProperty checks a PropertyCreate and builds the definition; msg is the
// validation problem. Callers hold s.mu.
func (s *Server) newProperty(st *store, in propertyInput) (Property, string) {
	for field, v := range map[string]string{"name": in.Name, "label": in.Label, "type": in.Type, "fieldType": in.FieldType, "groupName": in.GroupName} {
		if v == "" {
			return Property{}, fmt.Sprintf("Property %q is missing the required field %s", in.Name, field)
		}
	}
	if !s.opts.PropertyNames.MatchString(in.Name) {
		return Property{}, fmt.Sprintf("Property name %q is invalid: it must match %s", in.Name, s.opts.PropertyNames)
	}
	if msg := checkTypes(in.Type, in.FieldType); msg != "" {
		return Property{}, msg
	}
	external := in.ExternalOptions != nil && *in.ExternalOptions
	if in.Type == "enumeration" && !external && (in.Options == nil || len(*in.Options) == 0) {
		return Property{}, fmt.Sprintf("Enumeration property %q requires options", in.Name)
	}
	if g := st.groups[in.GroupName]; g == nil || g.Archived {
		return Property{}, fmt.Sprintf("Property group %q does not exist", in.GroupName)
	}
	unique := in.HasUniqueValue != nil && *in.HasUniqueValue
	if unique && st.uniqueCount() >= maxUniqueProperties {
		return Property{}, fmt.Sprintf("An object can have at most %d unique value properties", maxUniqueProperties)
	}
	now := isoTime(s.now())
	p := Property{
		Name: in.Name, Label: in.Label, Type: in.Type, FieldType: in.FieldType, GroupName: in.GroupName,
		Options: []PropertyOption{}, DisplayOrder: -1, HasUniqueValue: unique, FormField: true,
		ExternalOptions: external, ReferencedObjectType: in.ReferencedObjectType, DataSensitivity: "non_sensitive",
		ModificationMetadata: ModificationMetadata{Archivable: true}, CreatedAt: now, UpdatedAt: now,
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.Options != nil {
		p.Options = convertOptions(*in.Options)
	}
	if in.DisplayOrder != nil {
		p.DisplayOrder = *in.DisplayOrder
	}
	if in.Hidden != nil {
		p.Hidden = *in.Hidden
	}
	if in.FormField != nil {
		p.FormField = *in.FormField
	}
	if in.DataSensitivity != "" {
		p.DataSensitivity = in.DataSensitivity
	}
	if in.FieldType == "calculation_equation" {
		p.Calculated = true
		p.ModificationMetadata.ReadOnlyValue = true
	}
	return p, ""
}

func checkTypes(typ, fieldType string) string {
	allowed, ok := fieldTypes[typ]
	if !ok {
		return fmt.Sprintf("Unknown property type %q", typ)
	}
	if !slices.Contains(allowed, fieldType) {
		return fmt.Sprintf("fieldType %q is not valid for a property of type %q", fieldType, typ)
	}
	return ""
}

func (st *store) uniqueCount() int {
	n := 0
	for _, p := range st.props {
		if p.HasUniqueValue && p.Archived == nil {
			n++
		}
	}
	return n
}

// addProperty stores p; an archived property of the same name is restored
// (hubspot-api.md §6 "POSTing the name of an archived property restores it").
// It returns false when an active property of that name exists.
func (st *store) addProperty(p Property) bool {
	if old := st.props[p.Name]; old != nil && old.Archived == nil {
		return false
	}
	cp := p
	cp.Archived = nil
	st.props[p.Name] = &cp
	return true
}

func alreadyExists(name string) standardError {
	return standardError{Status: "error", Category: catAlreadyExists, SubCategory: "Properties.PROPERTY_WITH_NAME_EXISTS",
		Message: fmt.Sprintf("A property named '%s' already exists.", name), Context: map[string][]string{"name": {name}}}
}

// view returns the property as a single GET/POST shows it (with archived).
func view(p *Property) Property {
	v := *p
	archived := p.Archived != nil && *p.Archived
	v.Archived = &archived
	return v
}

// listView omits archived for active properties, as GET /properties does
// (properties-contacts-list.json); active definitions hold a nil Archived.
func listView(p *Property) Property { return *p }

func sortedProps(st *store, archived bool) []Property {
	out := []Property{}
	for _, p := range st.props {
		if (p.Archived != nil && *p.Archived) == archived {
			out = append(out, listView(p))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *Server) handlePropertyList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": sortedProps(st, r.URL.Query().Get("archived") == "true")})
}

func (s *Server) handlePropertyCreate(w http.ResponseWriter, r *http.Request) {
	var in propertyInput
	st := s.lockedStore(w, r, &in)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	p, msg := s.newProperty(st, in)
	if msg != "" {
		validationError(w, "%s", msg)
		return
	}
	if !st.addProperty(p) {
		e := alreadyExists(p.Name)
		writeError(w, http.StatusConflict, apiError{Message: e.Message, Category: e.Category, SubCategory: e.SubCategory, Context: e.Context})
		return
	}
	writeJSON(w, http.StatusCreated, view(st.props[p.Name]))
}

// property resolves {name}; archived=true finds archived ones. Callers hold s.mu.
func (s *Server) property(w http.ResponseWriter, r *http.Request) (*store, *Property) {
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return nil, nil
	}
	name := r.PathValue("name")
	p := st.props[name]
	archived := r.URL.Query().Get("archived") == "true"
	if p == nil || (p.Archived != nil && *p.Archived) != archived {
		writeError(w, http.StatusNotFound, apiError{Message: fmt.Sprintf("Unable to find property with name %s", name), Category: catNotFound,
			Context: map[string][]string{"name": {name}}})
		return nil, nil
	}
	return st, p
}

func (s *Server) handlePropertyGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, p := s.property(w, r); p != nil {
		writeJSON(w, http.StatusOK, view(p))
	}
}

// handlePropertyUpdate applies a PropertyUpdate. options replaces the whole list;
// hasUniqueValue cannot change (hubspot-api.md §6 Update semantics, Unique properties).
func (s *Server) handlePropertyUpdate(w http.ResponseWriter, r *http.Request) {
	var in propertyInput
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st, p := s.property(w, r)
	if p == nil {
		return
	}
	if p.HubspotDefined && p.ModificationMetadata.ReadOnlyDefinition {
		validationError(w, "Property %q is HubSpot-defined and its definition is read-only", p.Name)
		return
	}
	if in.HasUniqueValue != nil && *in.HasUniqueValue != p.HasUniqueValue {
		validationError(w, "hasUniqueValue of property %q cannot be changed once set", p.Name)
		return
	}
	next := *p
	if in.Type != "" || in.FieldType != "" {
		next.Type, next.FieldType = or(in.Type, p.Type), or(in.FieldType, p.FieldType)
		if msg := checkTypes(next.Type, next.FieldType); msg != "" {
			validationError(w, "%s", msg)
			return
		}
	}
	if in.GroupName != "" {
		if g := st.groups[in.GroupName]; g == nil || g.Archived {
			validationError(w, "Property group %q does not exist", in.GroupName)
			return
		}
		next.GroupName = in.GroupName
	}
	next.Label = or(in.Label, p.Label)
	if in.Description != nil {
		next.Description = *in.Description
	}
	if in.Options != nil {
		next.Options = convertOptions(*in.Options)
	}
	if in.DisplayOrder != nil {
		next.DisplayOrder = *in.DisplayOrder
	}
	if in.Hidden != nil {
		next.Hidden = *in.Hidden
	}
	if in.FormField != nil {
		next.FormField = *in.FormField
	}
	next.UpdatedAt = isoTime(s.now())
	*p = next
	writeJSON(w, http.StatusOK, view(p))
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *Server) handlePropertyArchive(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, p := s.property(w, r)
	if p == nil {
		return
	}
	if p.HubspotDefined || !p.ModificationMetadata.Archivable {
		validationError(w, "Property %q is HubSpot-defined and cannot be archived", p.Name)
		return
	}
	archived := true
	p.Archived = &archived
	w.WriteHeader(http.StatusNoContent)
}

package hubspottest

import (
	"errors"
	"fmt"
	"maps"
	"sort"
	"strconv"
	"time"
)

// Record is a stored record as the inspection helpers return it.
type Record struct {
	ID         string
	Type       string            // object type id, e.g. "0-1"
	Properties map[string]string // non-empty values only
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Archived   bool
}

func (s *Server) storeByName(objectType string) (*store, error) {
	t := s.objectType(objectType)
	if t == nil {
		return nil, fmt.Errorf("hubspottest: unknown object type %q", objectType)
	}
	return s.stores[t.id], nil
}

func problemsError(op string, probs []propProblem) error {
	var errs []error
	for _, p := range probs {
		errs = append(errs, fmt.Errorf("%s: %s", p.Name, p.Message))
	}
	return fmt.Errorf("hubspottest: %s: %w", op, errors.Join(errs...))
}

// CreateRecord seeds a record of objectType with props, validated like an API
// write (unknown properties, options, number and date formats, unique values).
// The creation and last-modified properties (createdate / hs_createdate,
// lastmodifieddate / hs_lastmodifieddate) may be given to back-date the record.
// It returns the new id. Seeds look like UI changes (changeSource CRM_UI).
func (s *Server) CreateRecord(objectType string, props map[string]string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return "", err
	}
	props = maps.Clone(props)
	var created, modified time.Time
	for name, dst := range map[string]*time.Time{st.typ.created: &created, st.typ.lastMod: &modified} {
		if v, ok := props[name]; ok {
			t, ok := parseTime(v)
			if !ok {
				return "", fmt.Errorf("hubspottest: CreateRecord: %s: %q is not a time", name, v)
			}
			*dst = t
			delete(props, name)
		}
	}
	norm, probs := s.validate(st, props, nil)
	if len(probs) > 0 {
		return "", problemsError("CreateRecord", probs)
	}
	if id, prop := st.conflict(norm, 0); id != 0 {
		return "", fmt.Errorf("hubspottest: CreateRecord: %s", s.conflictMessage(st, id, prop))
	}
	rec := s.createRecord(st, norm, seedSource)
	if !created.IsZero() {
		rec.created = created
		rec.props[st.typ.created] = isoTime(created)
		for n, h := range rec.history {
			h[len(h)-1].at = created
			h[len(h)-1].value = rec.props[n]
		}
	}
	if !modified.IsZero() {
		rec.updated = modified
		rec.props[st.typ.lastMod] = isoTime(modified)
		h := rec.history[st.typ.lastMod]
		h[len(h)-1].value = isoTime(modified)
	}
	return idString(rec.id), nil
}

// UpdateRecord changes a record as a HubSpot user would in the UI
// (changeSource CRM_UI), with the same validation as API writes.
func (s *Server) UpdateRecord(objectType, id string, props map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return err
	}
	rec := st.active(id)
	if rec == nil {
		return fmt.Errorf("hubspottest: UpdateRecord: no active %s %s", st.typ.singular, id)
	}
	norm, probs := s.validate(st, props, rec.props)
	if len(probs) > 0 {
		return problemsError("UpdateRecord", probs)
	}
	if other, prop := st.conflict(norm, rec.id); other != 0 {
		return fmt.Errorf("hubspottest: UpdateRecord: %s", s.conflictMessage(st, other, prop))
	}
	s.updateRecord(st, rec, norm, seedSource)
	return nil
}

// ArchiveRecord moves a record to the recycle bin, as a UI delete would.
func (s *Server) ArchiveRecord(objectType, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return err
	}
	rec := st.active(id)
	if rec == nil {
		return fmt.Errorf("hubspottest: ArchiveRecord: no active %s %s", st.typ.singular, id)
	}
	s.archiveRecord(st, rec, seedSource)
	return nil
}

// MergeRecords merges mergedID into primaryID as a UI merge would, and returns
// the survivor's id (see Options.MergeAssignsNewID).
func (s *Server) MergeRecords(objectType, primaryID, mergedID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return "", err
	}
	p, m := st.active(primaryID), st.active(mergedID)
	if p == nil || m == nil || p == m {
		return "", fmt.Errorf("hubspottest: MergeRecords: need two distinct active %s records", st.typ.name)
	}
	return idString(s.merge(st, p, m, seedSource).id), nil
}

func export(st *store, r *record) Record {
	return Record{ID: idString(r.id), Type: st.typ.id, Properties: maps.Clone(r.props), CreatedAt: r.created, UpdatedAt: r.updated, Archived: r.archived}
}

// Record returns the stored record with the given id, archived or not.
func (s *Server) Record(objectType, id string) (Record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return Record{}, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || st.recs[n] == nil {
		return Record{}, false
	}
	return export(st, st.recs[n]), true
}

// FindRecords returns the active records whose property prop equals value,
// oldest first.
func (s *Server) FindRecords(objectType, prop, value string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return nil
	}
	var out []Record
	for _, id := range st.ids {
		if r := st.recs[id]; !r.archived && r.props[prop] == value {
			out = append(out, export(st, r))
		}
	}
	return out
}

// RecordCount returns the number of active (not archived) records of objectType.
func (s *Server) RecordCount(objectType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return 0
	}
	return st.count(false)
}

// ArchivedCount returns the number of archived records of objectType.
func (s *Server) ArchivedCount(objectType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return 0
	}
	return st.count(true)
}

// CreateProperty seeds a custom property definition, with the API's creation
// rules (name pattern, type/fieldType pair, options for enumerations, existing
// group, at most ten unique properties). An empty GroupName means the type's
// default group.
func (s *Server) CreateProperty(objectType string, p Property) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return err
	}
	in := propertyInput{Name: p.Name, Label: p.Label, Type: p.Type, FieldType: p.FieldType, GroupName: or(p.GroupName, st.typ.group),
		Description: &p.Description, HasUniqueValue: &p.HasUniqueValue, Hidden: &p.Hidden, ExternalOptions: &p.ExternalOptions,
		ReferencedObjectType: p.ReferencedObjectType}
	if p.Options != nil {
		opts := make([]optionInput, len(p.Options))
		for i, o := range p.Options {
			order := o.DisplayOrder
			opts[i] = optionInput{Label: o.Label, Value: o.Value, Description: o.Description, DisplayOrder: &order, Hidden: o.Hidden}
		}
		in.Options = &opts
	}
	def, msg := s.newProperty(st, in)
	if msg != "" {
		return fmt.Errorf("hubspottest: CreateProperty: %s", msg)
	}
	if !st.addProperty(def) {
		return fmt.Errorf("hubspottest: CreateProperty: a property named %q already exists", p.Name)
	}
	return nil
}

// CreatePropertyGroup seeds a property group.
func (s *Server) CreatePropertyGroup(objectType string, g PropertyGroup) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil {
		return err
	}
	if old := st.groups[g.Name]; old != nil && !old.Archived {
		return fmt.Errorf("hubspottest: CreatePropertyGroup: group %q exists", g.Name)
	}
	g.Archived = false
	st.groups[g.Name] = &g
	return nil
}

// Property returns the definition of a property (archived ones included).
func (s *Server) Property(objectType, name string) (Property, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.storeByName(objectType)
	if err != nil || st.props[name] == nil {
		return Property{}, false
	}
	return view(st.props[name]), true
}

// Associate links two records with an association type id (0: the pair's
// unlabeled default) and its inverse.
func (s *Server) Associate(fromType, fromID, toType, toID string, typeID int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, err1 := s.storeByName(fromType)
	to, err2 := s.storeByName(toType)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	fr, tr := from.active(fromID), to.active(toID)
	if fr == nil || tr == nil {
		return fmt.Errorf("hubspottest: Associate: %s %s or %s %s does not exist", fromType, fromID, toType, toID)
	}
	if typeID == 0 {
		typeID = s.assocs.defaultType(from.typ.id, to.typ.id)
	}
	if _, ok := s.assocs.lookup(from.typ.id, to.typ.id, typeID); !ok {
		return fmt.Errorf("hubspottest: Associate: type %d is not defined from %s to %s", typeID, fromType, toType)
	}
	s.assocs.add(from.typ.id, fr.id, to.typ.id, tr.id, typeID, s)
	return nil
}

// AddAssociationLabel defines a USER_DEFINED label between two object types and
// returns its type id (the inverse direction gets the next id).
func (s *Server) AddAssociationLabel(fromType, toType, label string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, err1 := s.storeByName(fromType)
	to, err2 := s.storeByName(toType)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	s.assocs.labels(from.typ.id, to.typ.id) // make sure the default exists first
	return s.assocs.define(from.typ.id, to.typ.id, "USER_DEFINED", strPtr(label)), nil
}

// AssociatedIDs returns the ids associated from one record to a type, ascending.
func (s *Server) AssociatedIDs(fromType, fromID, toType string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, err1 := s.storeByName(fromType)
	to, err2 := s.storeByName(toType)
	n, err3 := strconv.ParseInt(fromID, 10, 64)
	if errors.Join(err1, err2, err3) != nil {
		return nil
	}
	var out []string
	for _, id := range s.assocs.targets(from.typ.id, n, to.typ.id) {
		out = append(out, idString(id))
	}
	return out
}

// ListMembers returns the record ids of a list, ascending.
func (s *Server) ListMembers(listID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.lists[listID]
	if l == nil {
		return nil
	}
	ids := make([]int64, 0, len(l.members))
	for id := range l.members {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = idString(id)
	}
	return out
}

// Reset drops every record, custom property, association, list, event and
// issued OAuth token, re-seeds the defaults, and clears the call log, faults and
// rate-limit windows. Ids restart at Options.FirstID.
func (s *Server) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID = s.opts.FirstID
	if s.nextID == 0 {
		s.nextID = 100_000_000_001
	}
	s.owners, s.events, s.listSeq = nil, nil, 0
	s.limits.Store(newLimiters(s.opts.RateLimits, s.now))
	s.mux.ResetCalls()
	s.mux.ClearFaults()
	return s.initState()
}

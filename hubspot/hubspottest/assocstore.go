package hubspottest

import (
	"slices"
	"sort"
	"strconv"
)

// AssociationLabel is an association type between two object types, as served
// by the labels endpoint (hubspot-api.md §7 "Labels and types").
type AssociationLabel struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
	inverse  int
	fromType string
	toType   string
}

func strPtr(s string) *string { return &s }

// defaultAssocTypes are HubSpot's HUBSPOT_DEFINED type ids with their inverses
// (hubspot-api.md §7 table, sdk: hubspot-api-nodejs AssociationTypesEnum.ts).
func defaultAssocTypes() []AssociationLabel {
	type pair struct {
		from, to    string
		id, inverse int
		primary     bool
	}
	pairs := []pair{
		{"0-1", "0-2", 279, 280, false}, {"0-1", "0-2", 1, 2, true},
		{"0-3", "0-2", 341, 342, false}, {"0-3", "0-2", 5, 6, true},
		{"0-3", "0-1", 3, 4, false},
		{"0-5", "0-2", 339, 340, false}, {"0-5", "0-2", 26, 25, true},
		{"0-1", "0-5", 15, 16, false},
		{"0-3", "0-5", 27, 28, false},
		{"0-3", "0-8", 19, 20, false}, // deal ↔ line item (same AssociationTypesEnum)
	}
	var out []AssociationLabel
	for _, p := range pairs {
		var label *string
		if p.primary {
			label = strPtr("Primary")
		}
		out = append(out,
			AssociationLabel{Category: "HUBSPOT_DEFINED", TypeID: p.id, Label: label, inverse: p.inverse, fromType: p.from, toType: p.to},
			AssociationLabel{Category: "HUBSPOT_DEFINED", TypeID: p.inverse, Label: label, inverse: p.id, fromType: p.to, toType: p.from})
	}
	return out
}

type assocKey struct {
	fromType string
	fromID   int64
	toType   string
}

// assocStore holds associations in both directions. Callers hold Server.mu.
type assocStore struct {
	m      map[assocKey]map[int64][]int // to id -> type ids
	types  []AssociationLabel
	nextID int
}

func newAssocStore() *assocStore {
	return &assocStore{m: map[assocKey]map[int64][]int{}, types: defaultAssocTypes(), nextID: 1000}
}

// labels returns the association types defined from one type to another,
// creating the unlabeled default for pairs that have none (custom objects).
func (a *assocStore) labels(from, to string) []AssociationLabel {
	var out []AssociationLabel
	for _, t := range a.types {
		if t.fromType == from && t.toType == to {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		a.define(from, to, "HUBSPOT_DEFINED", nil)
		return a.labels(from, to)
	}
	return out
}

// define adds a type pair and returns the forward type id.
func (a *assocStore) define(from, to, category string, label *string) int {
	id, inv := a.nextID, a.nextID+1
	a.nextID += 2
	if from == to { // a same-type label is its own inverse pair
		inv = id
		a.nextID--
	}
	a.types = append(a.types, AssociationLabel{Category: category, TypeID: id, Label: label, inverse: inv, fromType: from, toType: to})
	if inv != id {
		a.types = append(a.types, AssociationLabel{Category: category, TypeID: inv, Label: label, inverse: id, fromType: to, toType: from})
	}
	return id
}

// lookup returns the type with the given id from one type to another.
func (a *assocStore) lookup(from, to string, typeID int) (AssociationLabel, bool) {
	for _, t := range a.labels(from, to) {
		if t.TypeID == typeID {
			return t, true
		}
	}
	return AssociationLabel{}, false
}

// defaultType returns the unlabeled type id for a pair.
func (a *assocStore) defaultType(from, to string) int {
	for _, t := range a.labels(from, to) {
		if t.Label == nil {
			return t.TypeID
		}
	}
	return a.labels(from, to)[0].TypeID
}

func (a *assocStore) put(from string, fromID int64, to string, toID int64, typeID int) {
	k := assocKey{from, fromID, to}
	if a.m[k] == nil {
		a.m[k] = map[int64][]int{}
	}
	if !slices.Contains(a.m[k][toID], typeID) {
		a.m[k][toID] = append(a.m[k][toID], typeID)
		slices.Sort(a.m[k][toID])
	}
}

func (a *assocStore) del(from string, fromID int64, to string, toID int64, typeID int) {
	k := assocKey{from, fromID, to}
	ids := slices.DeleteFunc(a.m[k][toID], func(t int) bool { return t == typeID })
	if len(ids) == 0 {
		delete(a.m[k], toID)
	} else {
		a.m[k][toID] = ids
	}
	if len(a.m[k]) == 0 {
		delete(a.m, k)
	}
}

// add associates two records with typeID and its inverse. A labelled primary
// also carries the unlabeled default, and moves off the previous primary
// (associations-v4-batch-read-with-errors.json shows typeId 1 next to 279).
func (a *assocStore) add(from string, fromID int64, to string, toID int64, typeID int, s *Server) {
	t, ok := a.lookup(from, to, typeID)
	if !ok {
		return
	}
	if t.Label != nil && *t.Label == "Primary" {
		for other, types := range a.m[assocKey{from, fromID, to}] {
			if other != toID && slices.Contains(types, typeID) {
				a.del(from, fromID, to, other, typeID)
				a.del(to, other, from, fromID, t.inverse)
			}
		}
		if d := a.defaultType(from, to); d != typeID {
			a.add(from, fromID, to, toID, d, s)
		}
	}
	a.put(from, fromID, to, toID, typeID)
	a.put(to, toID, from, fromID, t.inverse)
	_ = s
}

// remove deletes the given types (all types when typeIDs is empty) between two records.
func (a *assocStore) remove(from string, fromID int64, to string, toID int64, typeIDs []int) {
	if len(typeIDs) == 0 {
		typeIDs = slices.Clone(a.m[assocKey{from, fromID, to}][toID])
	}
	for _, id := range typeIDs {
		if t, ok := a.lookup(from, to, id); ok {
			a.del(from, fromID, to, toID, id)
			a.del(to, toID, from, fromID, t.inverse)
		}
	}
}

// targets returns the associated ids (ascending) from one record to a type.
func (a *assocStore) targets(from string, fromID int64, to string) []int64 {
	m := a.m[assocKey{from, fromID, to}]
	out := make([]int64, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func (a *assocStore) has(from string, fromID int64, to string, toID int64) bool {
	_, ok := a.m[assocKey{from, fromID, to}][toID]
	return ok
}

// liveTargets returns the ids associated from one record to type to, leaving out
// archived records unless Options.ArchivedAssociationsVisible. Callers hold s.mu.
func (s *Server) liveTargets(from string, fromID int64, to string) []int64 {
	ids := s.assocs.targets(from, fromID, to)
	if s.opts.ArchivedAssociationsVisible {
		return ids
	}
	st := s.stores[to]
	return slices.DeleteFunc(ids, func(id int64) bool {
		r := st.recs[id]
		return r == nil || r.archived
	})
}

// liveAssociated reports whether two records are associated, under the same
// rule as liveTargets. Callers hold s.mu.
func (s *Server) liveAssociated(from string, fromID int64, to string, toID int64) bool {
	if !s.assocs.has(from, fromID, to, toID) {
		return false
	}
	r := s.stores[to].recs[toID]
	return s.opts.ArchivedAssociationsVisible || r != nil && !r.archived
}

// move re-points every association of (typ, old) to (typ, new), for merges.
func (a *assocStore) move(typ string, old, new int64) {
	for k, tos := range a.m {
		if k.fromType != typ || k.fromID != old {
			continue
		}
		for toID, types := range tos {
			for _, id := range types {
				t, _ := a.lookup(typ, k.toType, id)
				a.del(typ, old, k.toType, toID, id)
				a.del(k.toType, toID, typ, old, t.inverse)
				if !(k.toType == typ && toID == new) { // no self-association
					a.put(typ, new, k.toType, toID, id)
					a.put(k.toType, toID, typ, new, t.inverse)
				}
			}
		}
	}
}

// drop removes every association of a record.
func (a *assocStore) drop(typ string, id int64) {
	for k, tos := range a.m {
		if k.fromType == typ && k.fromID == id {
			for toID := range tos {
				a.remove(typ, id, k.toType, toID, nil)
			}
		}
	}
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

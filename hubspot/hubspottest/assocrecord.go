package hubspottest

import (
	"fmt"
	"net/http"
)

// Record-level association endpoints (hubspot-api.md §7 "Record level"):
// PUT …/associations/default/{toType}/{toId}, PUT …/associations/{toType}/{toId}
// with a body of association specs, and DELETE …/associations/{toType}/{toId},
// which removes every association between the pair.

// recordPair resolves both records of a record-level call. Callers hold s.mu.
func (s *Server) recordPair(w http.ResponseWriter, r *http.Request) (*store, *record, *store, *record) {
	from, to := s.assocPair(w, r)
	if to == nil {
		return nil, nil, nil, nil
	}
	fr, tr := from.active(r.PathValue("id")), to.active(r.PathValue("toId"))
	switch {
	case fr == nil:
		objectNotFound(w, r.PathValue("id"))
		return nil, nil, nil, nil
	case tr == nil:
		objectNotFound(w, r.PathValue("toId"))
		return nil, nil, nil, nil
	case from.typ.id == to.typ.id && fr.id == tr.id:
		validationError(w, "Object %d cannot be associated to itself (%d)", fr.id, tr.id)
		return nil, nil, nil, nil
	}
	return from, fr, to, tr
}

type defaultAssoc struct {
	From            objectID  `json:"from"`
	To              objectID  `json:"to"`
	AssociationSpec assocSpec `json:"associationSpec"`
}

// handleAssocRecordDefault creates the unlabeled default association; the answer
// is a batch body of {from, to, associationSpec} (spec: BatchResponsePublicDefaultAssociation).
func (s *Server) handleAssocRecordDefault(w http.ResponseWriter, r *http.Request) {
	started := isoTime(s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	from, fr, to, tr := s.recordPair(w, r)
	if tr == nil {
		return
	}
	typeID := s.assocs.defaultType(from.typ.id, to.typ.id)
	s.assocs.add(from.typ.id, fr.id, to.typ.id, tr.id, typeID, s)
	res := []defaultAssoc{{From: objectID{ID: idString(fr.id)}, To: objectID{ID: idString(tr.id)},
		AssociationSpec: assocSpec{AssociationCategory: "HUBSPOT_DEFINED", AssociationTypeID: typeID}}}
	s.finishAssoc(w, started, res, nil)
}

// handleAssocRecordPut creates labelled associations from a body of specs and
// answers the labels now between the pair.
func (s *Server) handleAssocRecordPut(w http.ResponseWriter, r *http.Request) {
	var specs []assocSpec
	if !decodeBody(w, r, &specs) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	from, fr, to, tr := s.recordPair(w, r)
	if tr == nil {
		return
	}
	if len(specs) == 0 {
		validationError(w, "At least one association type is required")
		return
	}
	for _, t := range specs {
		if def, ok := s.assocs.lookup(from.typ.id, to.typ.id, t.AssociationTypeID); !ok || def.Category != t.AssociationCategory {
			validationError(w, "%s", fmt.Sprintf("%s %d is not a valid association type between %s and %s", t.AssociationCategory, t.AssociationTypeID, from.typ.name, to.typ.name))
			return
		}
	}
	for _, t := range specs {
		s.assocs.add(from.typ.id, fr.id, to.typ.id, tr.id, t.AssociationTypeID, s)
	}
	labels := []string{}
	for _, id := range s.assocs.m[assocKey{from.typ.id, fr.id, to.typ.id}][tr.id] {
		if def, _ := s.assocs.lookup(from.typ.id, to.typ.id, id); def.Label != nil {
			labels = append(labels, *def.Label)
		}
	}
	writeJSON(w, http.StatusOK, assocResult{FromObjectTypeID: from.typ.id, FromObjectID: fr.id, ToObjectTypeID: to.typ.id, ToObjectID: tr.id, Labels: labels})
}

// handleAssocRecordDelete removes every association between the pair; 204.
func (s *Server) handleAssocRecordDelete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, fr, to, tr := s.recordPair(w, r)
	if tr == nil {
		return
	}
	s.assocs.remove(from.typ.id, fr.id, to.typ.id, tr.id, nil)
	w.WriteHeader(http.StatusNoContent)
}

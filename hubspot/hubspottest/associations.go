package hubspottest

import (
	"fmt"
	"net/http"
	"strconv"
)

// maxAssocReadInputs is the v4 batch read limit since 2025-02-10 (hubspot-api.md §7,
// cl: bug-fix-batch-read-limit-for-hubspot-associations-api). Other association
// batch endpoints take up to 100 inputs like object batches (assumed; not verified).
const (
	maxAssocReadInputs = 1000
	maxAssocInputs     = 100
	// assocPageSize bounds the targets returned per input of a batch read and per
	// page of the record-level list; HubSpot's figure was not found (500 assumed).
	assocPageSize = 500
)

type assocSpec struct {
	AssociationCategory string `json:"associationCategory"`
	AssociationTypeID   int    `json:"associationTypeId"`
}

type objectID struct {
	ID string `json:"id"`
}

// inlineAssoc is one association on a create body (hubspot-api.md §4 Create).
type inlineAssoc struct {
	To    objectID    `json:"to"`
	Types []assocSpec `json:"types"`
}

type resolvedLink struct {
	toType string
	toID   int64
	typeID int
}

// resolveInline checks inline associations: known type ids from st's type, and
// existing targets. Callers hold s.mu.
func (s *Server) resolveInline(st *store, in []inlineAssoc) ([]resolvedLink, string) {
	var out []resolvedLink
	for _, a := range in {
		for _, t := range a.Types {
			var def *AssociationLabel
			for _, l := range s.assocs.types {
				if l.fromType == st.typ.id && l.TypeID == t.AssociationTypeID && l.Category == t.AssociationCategory {
					def = &l
					break
				}
			}
			if def == nil {
				return nil, fmt.Sprintf("%s association type %d is not defined from %s", t.AssociationCategory, t.AssociationTypeID, st.typ.name)
			}
			target := s.stores[def.toType].active(a.To.ID)
			if target == nil {
				return nil, fmt.Sprintf("%s is not a valid ID", a.To.ID)
			}
			out = append(out, resolvedLink{toType: def.toType, toID: target.id, typeID: def.TypeID})
		}
	}
	return out, ""
}

// assocPair resolves {fromType} and {toType}. Callers hold s.mu.
func (s *Server) assocPair(w http.ResponseWriter, r *http.Request) (*store, *store) {
	from := s.storeFor(w, r.PathValue("fromType"))
	if from == nil {
		return nil, nil
	}
	to := s.storeFor(w, r.PathValue("toType"))
	return from, to
}

type assocResult struct {
	FromObjectTypeID string   `json:"fromObjectTypeId"`
	FromObjectID     int64    `json:"fromObjectId"`
	ToObjectTypeID   string   `json:"toObjectTypeId"`
	ToObjectID       int64    `json:"toObjectId"`
	Labels           []string `json:"labels"`
}

type assocBatchResponse struct {
	CompletedAt string          `json:"completedAt"`
	Status      string          `json:"status"`
	StartedAt   string          `json:"startedAt"`
	Results     any             `json:"results"`
	Errors      []standardError `json:"errors,omitempty"`
	NumErrors   int             `json:"numErrors,omitempty"`
}

func (s *Server) finishAssoc(w http.ResponseWriter, started string, results any, errs []standardError) {
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, assocBatchResponse{CompletedAt: isoTime(s.now()), Status: "COMPLETE", StartedAt: started, Results: results, Errors: errs, NumErrors: len(errs)})
}

// endpoint validates one side of an association input, with the recorded error
// shapes (associations-v4-batch-create-errors.json).
func endpoint(st *store, id string) (*record, *standardError) {
	if rec := st.active(id); rec != nil {
		return rec, nil
	}
	return nil, &standardError{Status: "error", Category: catValidation, SubCategory: "crm.associations.INVALID_IDENTIFIER",
		Message: id + " is not a valid ID", Context: map[string][]string{"id": {id}}}
}

type assocCreateInput struct {
	From  objectID    `json:"from"`
	To    objectID    `json:"to"`
	Types []assocSpec `json:"types"`
}

func (s *Server) handleAssocCreate(w http.ResponseWriter, r *http.Request) {
	s.assocCreate(w, r, false)
}

func (s *Server) handleAssocDefault(w http.ResponseWriter, r *http.Request) {
	s.assocCreate(w, r, true)
}

func (s *Server) assocCreate(w http.ResponseWriter, r *http.Request, defaults bool) {
	var in struct {
		Inputs []assocCreateInput `json:"inputs"`
	}
	if !decodeLimited(w, r, &in, func() int { return len(in.Inputs) }, maxAssocInputs) {
		return
	}
	started := isoTime(s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to := s.assocPair(w, r)
	if to == nil {
		return
	}
	results := []assocResult{}
	var errs []standardError
	for _, one := range in.Inputs {
		fr, e1 := endpoint(from, one.From.ID)
		tr, e2 := endpoint(to, one.To.ID)
		if e := firstErr(e1, e2); e != nil {
			errs = append(errs, *e)
			continue
		}
		if from.typ.id == to.typ.id && fr.id == tr.id {
			errs = append(errs, standardError{Status: "error", Category: catValidation,
				Message: fmt.Sprintf("Object %d cannot be associated to itself (%d)", fr.id, tr.id)})
			continue
		}
		specs := one.Types
		if defaults {
			specs = []assocSpec{{AssociationCategory: "HUBSPOT_DEFINED", AssociationTypeID: s.assocs.defaultType(from.typ.id, to.typ.id)}}
		}
		labels := []string{}
		var bad *standardError
		for _, t := range specs {
			def, ok := s.assocs.lookup(from.typ.id, to.typ.id, t.AssociationTypeID)
			if !ok || def.Category != t.AssociationCategory {
				bad = &standardError{Status: "error", Category: catValidation,
					Message: fmt.Sprintf("%s %d is not a valid association type between %s and %s", t.AssociationCategory, t.AssociationTypeID, from.typ.name, to.typ.name)}
				break
			}
			if def.Label != nil {
				labels = append(labels, *def.Label)
			}
		}
		if bad != nil || len(specs) == 0 {
			if bad == nil {
				bad = &standardError{Status: "error", Category: catValidation, Message: "types must not be empty"}
			}
			errs = append(errs, *bad)
			continue
		}
		for _, t := range specs {
			s.assocs.add(from.typ.id, fr.id, to.typ.id, tr.id, t.AssociationTypeID, s)
		}
		results = append(results, assocResult{FromObjectTypeID: from.typ.id, FromObjectID: fr.id, ToObjectTypeID: to.typ.id, ToObjectID: tr.id, Labels: labels})
	}
	s.finishAssoc(w, started, results, errs)
}

func firstErr(es ...*standardError) *standardError {
	for _, e := range es {
		if e != nil {
			return e
		}
	}
	return nil
}

type assocTypeJSON struct {
	Category string  `json:"category"`
	TypeID   int     `json:"typeId"`
	Label    *string `json:"label"`
}

type assocTo struct {
	ToObjectID       int64           `json:"toObjectId"`
	AssociationTypes []assocTypeJSON `json:"associationTypes"`
}

type assocReadResult struct {
	From   objectID  `json:"from"`
	To     []assocTo `json:"to"`
	Paging *paging   `json:"paging,omitempty"`
}

// page returns the associations from one record, starting after the cursor.
func (s *Server) assocPage(from, to *store, fromID int64, after string, limit int) ([]assocTo, string) {
	ids := s.liveTargets(from.typ.id, fromID, to.typ.id)
	start := 0
	if a, err := strconv.ParseInt(after, 10, 64); err == nil {
		for start < len(ids) && ids[start] <= a {
			start++
		}
	}
	out := []assocTo{}
	for i := start; i < len(ids) && len(out) < limit; i++ {
		types := []assocTypeJSON{}
		for _, id := range s.assocs.m[assocKey{from.typ.id, fromID, to.typ.id}][ids[i]] {
			def, _ := s.assocs.lookup(from.typ.id, to.typ.id, id)
			types = append(types, assocTypeJSON{Category: def.Category, TypeID: id, Label: def.Label})
		}
		out = append(out, assocTo{ToObjectID: ids[i], AssociationTypes: types})
	}
	next := ""
	if start+len(out) < len(ids) {
		next = idString(out[len(out)-1].ToObjectID)
	}
	return out, next
}

// handleAssocRead is the v4 batch read. A record without associations is reported
// as an OBJECT_NOT_FOUND error, not as an empty list
// (associations-v4-batch-read-with-errors.json).
func (s *Server) handleAssocRead(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Inputs []struct {
			ID    string `json:"id"`
			After string `json:"after"`
		} `json:"inputs"`
	}
	if !decodeLimited(w, r, &in, func() int { return len(in.Inputs) }, maxAssocReadInputs) {
		return
	}
	started := isoTime(s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to := s.assocPair(w, r)
	if to == nil {
		return
	}
	results := []assocReadResult{}
	var errs []standardError
	for _, one := range in.Inputs {
		var tos []assocTo
		next := ""
		if rec := from.active(one.ID); rec != nil {
			tos, next = s.assocPage(from, to, rec.id, one.After, assocPageSize)
		}
		if len(tos) == 0 {
			errs = append(errs, standardError{Status: "error", Category: catNotFound, SubCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
				Message: fmt.Sprintf("No %s is associated with %s %s.", to.typ.singular, from.typ.singular, one.ID),
				Context: map[string][]string{"fromObjectId": {one.ID}, "fromObjectType": {from.typ.singular}, "toObjectType": {to.typ.singular}}})
			continue
		}
		res := assocReadResult{From: objectID{ID: one.ID}, To: tos}
		if next != "" {
			res.Paging = &paging{Next: &nextPage{After: next}}
		}
		results = append(results, res)
	}
	s.finishAssoc(w, started, results, errs)
}

// handleAssocArchive removes every association between the listed pairs; 204.
func (s *Server) handleAssocArchive(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Inputs []struct {
			From objectID   `json:"from"`
			To   []objectID `json:"to"`
		} `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to := s.assocPair(w, r)
	if to == nil {
		return
	}
	for _, one := range in.Inputs {
		fid, err := strconv.ParseInt(one.From.ID, 10, 64)
		if err != nil {
			continue
		}
		for _, t := range one.To {
			if tid, err := strconv.ParseInt(t.ID, 10, 64); err == nil {
				s.assocs.remove(from.typ.id, fid, to.typ.id, tid, nil)
			}
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleAssocLabelsArchive removes only the listed types between pairs; 204.
func (s *Server) handleAssocLabelsArchive(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Inputs []assocCreateInput `json:"inputs"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to := s.assocPair(w, r)
	if to == nil {
		return
	}
	for _, one := range in.Inputs {
		fid, err1 := strconv.ParseInt(one.From.ID, 10, 64)
		tid, err2 := strconv.ParseInt(one.To.ID, 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		var ids []int
		for _, t := range one.Types {
			ids = append(ids, t.AssociationTypeID)
		}
		if len(ids) > 0 {
			s.assocs.remove(from.typ.id, fid, to.typ.id, tid, ids)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAssocLabels(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to := s.assocPair(w, r)
	if to == nil {
		return
	}
	out := []assocTypeJSON{}
	for _, l := range s.assocs.labels(from.typ.id, to.typ.id) {
		out = append(out, assocTypeJSON{Category: l.Category, TypeID: l.TypeID, Label: l.Label})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

// handleAssocRecordList is GET …/objects/{fromType}/{id}/associations/{toType}.
func (s *Server) handleAssocRecordList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, to := s.assocPair(w, r)
	if to == nil {
		return
	}
	limit, ok := intParam(r.URL.Query(), "limit", assocPageSize)
	if !ok || limit < 1 || limit > assocPageSize {
		validationError(w, "limit must be between 1 and %d", assocPageSize)
		return
	}
	rec := from.active(r.PathValue("id"))
	if rec == nil {
		objectNotFound(w, r.PathValue("id"))
		return
	}
	tos, next := s.assocPage(from, to, rec.id, r.URL.Query().Get("after"), limit)
	resp := map[string]any{"results": tos}
	if next != "" {
		resp["paging"] = paging{Next: &nextPage{After: next, Link: nextLink(r, next)}}
	}
	writeJSON(w, http.StatusOK, resp)
}

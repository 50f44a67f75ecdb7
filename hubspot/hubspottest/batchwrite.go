package hubspottest

import (
	"net/http"
)

func (s *Server) handleBatchUpdate(w http.ResponseWriter, r *http.Request) {
	in, st, started := s.lockedBatch(w, r)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	if duplicateIDs(w, in.Inputs) {
		return
	}
	for _, one := range in.Inputs {
		if refuseObjectIDProperty(w, st, one.IDProperty) {
			return
		}
	}
	multi := multiStatus(in.Inputs)
	faults := s.inputFaultsFor(OpBatchUpdate, st, in.Inputs, "")
	c := claims{}
	var steps []*step
	var missing []string
	for i, one := range in.Inputs {
		// The spec allows idProperty on update; a non-unique one is refused
		// (hubspot-api.md §4 Batch update).
		rec, ok := s.lookup(w, st, one.ID, one.IDProperty, false)
		if !ok {
			return
		}
		if rec == nil {
			missing = append(missing, one.ID)
			continue
		}
		sp := &step{in: one, rec: rec, required: s.requiredFor(r, st)}
		s.checkOrFail(st, c, sp, rec.id, faultAt(faults, i))
		steps = append(steps, sp)
	}
	if !multi && (s.failWhole(w, st, steps) || failInjected(w, steps)) {
		return
	}
	var results []recordJSON
	var errs []standardError
	for _, sp := range steps {
		if sp.fail != nil {
			errs = append(errs, *sp.fail)
			continue
		}
		s.updateRecord(st, sp.rec, sp.props, s.apiSource())
		out := s.render(st, sp.rec, selection{all: true}, true)
		out.ObjectWriteTraceID = sp.in.ObjectWriteTraceID
		results = append(results, out)
	}
	errs = append(errs, notFoundErrors(st, missing)...)
	s.finishBatch(w, started, http.StatusOK, results, errs)
}

// handleBatchUpsert creates missing records and updates existing ones, keyed on
// a unique idProperty; each result says whether it is new (hubspot-api.md §4 Batch
// upsert). With email as idProperty, partial upserts are not supported (doc†), so
// any failing input fails the whole request even with objectWriteTraceIds.
func (s *Server) handleBatchUpsert(w http.ResponseWriter, r *http.Request) {
	in, st, started := s.lockedBatch(w, r)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	byEmail := false
	for _, one := range in.Inputs {
		if one.IDProperty == "" || !st.isUnique(one.IDProperty) {
			nonUnique(w, st, one.IDProperty)
			return
		}
		byEmail = byEmail || one.IDProperty == "email"
	}
	if duplicateIDs(w, in.Inputs) {
		return
	}
	multi := multiStatus(in.Inputs) && !byEmail
	faults := s.inputFaultsFor(OpBatchUpsert, st, in.Inputs, "")
	c := claims{}
	steps := make([]*step, len(in.Inputs))
	for i, one := range in.Inputs {
		sp := &step{in: one, rec: st.lookupUnique(one.IDProperty, one.ID), required: s.requiredFor(r, st)}
		if sp.in.Properties == nil {
			sp.in.Properties = map[string]*string{}
		}
		if sp.rec == nil { // a new record takes the id value in its idProperty
			id := one.ID
			props := make(map[string]*string, len(sp.in.Properties)+1)
			for k, v := range sp.in.Properties {
				props[k] = v
			}
			props[one.IDProperty] = &id
			sp.in.Properties = props
		}
		self := -int64(i + 1)
		if sp.rec != nil {
			self = sp.rec.id
		}
		s.checkOrFail(st, c, sp, self, faultAt(faults, i))
		steps[i] = sp
	}
	if !multi && (s.failWhole(w, st, steps) || failInjected(w, steps)) {
		return
	}
	var results []recordJSON
	var errs []standardError
	src := s.apiSource()
	for _, sp := range steps {
		if sp.fail != nil {
			errs = append(errs, *sp.fail)
			continue
		}
		isNew := sp.rec == nil
		rec := sp.rec
		if isNew {
			rec = s.createRecord(st, sp.props, src)
		} else {
			s.updateRecord(st, rec, sp.props, src)
		}
		out := s.render(st, rec, selection{all: true}, true)
		out.New = &isNew
		out.ObjectWriteTraceID = sp.in.ObjectWriteTraceID
		results = append(results, out)
	}
	s.finishBatch(w, started, http.StatusOK, results, errs)
}

// handleBatchArchive archives records; it answers 204 whatever their state.
func (s *Server) handleBatchArchive(w http.ResponseWriter, r *http.Request) {
	in, st, started := s.lockedBatch(w, r)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	faults := s.inputFaultsFor(OpBatchArchive, st, in.Inputs, "")
	var errs []standardError
	for i, one := range in.Inputs {
		if f := faultAt(faults, i); f != nil {
			errs = append(errs, keyedFault(f, one.ID))
			continue
		}
		if rec := st.active(one.ID); rec != nil {
			s.archiveRecord(st, rec, s.apiSource())
		}
	}
	if len(errs) > 0 { // only with FailInputs: see there
		s.finishBatch(w, started, http.StatusOK, nil, errs)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

package hubspottest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBatchInputs is the object batch limit: "Batch operations are limited to 100
// records at a time." (hubspot-api.md §4, doc†: contacts guide "Limits").
const maxBatchInputs = 100

// batchResponse is BatchResponseSimplePublicObject (and …WithErrors) (hubspot-api.md
// §3 Batch responses; payloads contacts-batch-*.json). status stays COMPLETE on 207.
type batchResponse struct {
	CompletedAt string          `json:"completedAt"`
	Status      string          `json:"status"`
	StartedAt   string          `json:"startedAt"`
	Results     []recordJSON    `json:"results"`
	Errors      []standardError `json:"errors,omitempty"`
	NumErrors   int             `json:"numErrors,omitempty"`
}

func (s *Server) finishBatch(w http.ResponseWriter, started time.Time, okStatus int, results []recordJSON, errs []standardError) {
	resp := batchResponse{StartedAt: isoTime(started), CompletedAt: isoTime(s.now()), Status: "COMPLETE", Results: results, Errors: errs, NumErrors: len(errs)}
	if resp.Results == nil {
		resp.Results = []recordJSON{}
	}
	status := okStatus
	if len(errs) > 0 {
		status = http.StatusMultiStatus
	}
	writeJSON(w, status, resp)
}

type batchInput struct {
	Inputs                []objectInput `json:"inputs"`
	Properties            []string      `json:"properties"`
	PropertiesWithHistory []string      `json:"propertiesWithHistory"`
	IDProperty            string        `json:"idProperty"`
}

// decodeBatch decodes an object batch body and enforces the input limit.
func decodeBatch(w http.ResponseWriter, r *http.Request, limit int) (batchInput, bool) {
	var in batchInput
	ok := decodeLimited(w, r, &in, func() int { return len(in.Inputs) }, limit)
	return in, ok
}

// lockedBatch decodes a batch of at most maxBatchInputs, notes when the call
// started, takes the server lock and finds the store of the path's object
// type. When st is nil it has answered the request and holds no lock;
// otherwise the caller unlocks s.mu.
func (s *Server) lockedBatch(w http.ResponseWriter, r *http.Request) (in batchInput, st *store, started time.Time) {
	in, ok := decodeBatch(w, r, maxBatchInputs)
	if !ok {
		return in, nil, started
	}
	started = s.now()
	s.mu.Lock()
	if st = s.storeFor(w, r.PathValue("objectType")); st == nil {
		s.mu.Unlock()
	}
	return in, st, started
}

// decodeLimited decodes a batch body into v and answers a 400 VALIDATION_ERROR
// when it holds more than limit inputs (n counts them once v is decoded).
func decodeLimited(w http.ResponseWriter, r *http.Request, v any, n func() int, limit int) bool {
	if !decodeBody(w, r, v) {
		return false
	}
	if n() > limit {
		validationError(w, "Too many inputs: %d. The maximum number of inputs per batch is %d.", n(), limit)
		return false
	}
	return true
}

// duplicateIDs answers the recorded 400 for repeated ids
// (contacts-batch-update-400-duplicate-ids.json).
func duplicateIDs(w http.ResponseWriter, inputs []objectInput) bool {
	seen := map[string]bool{}
	var dups []string
	for _, in := range inputs {
		if seen[in.ID] && !containsStr(dups, in.ID) {
			dups = append(dups, in.ID)
		}
		seen[in.ID] = true
	}
	if len(dups) == 0 {
		return false
	}
	writeError(w, http.StatusBadRequest, apiError{
		Message:  fmt.Sprintf("Duplicate IDs found in batch input: [%s]. IDs must be unique", strings.Join(dups, ", ")),
		Context:  map[string][]string{"ids": dups},
		Category: catValidation,
	})
	return true
}

func containsStr(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// multiStatus reports whether 207 partial results are enabled: every input carries
// an objectWriteTraceId (hubspot-api.md §3 "Multi-status on batch create": "include a
// unique objectWriteTraceId value for each input"). Without it one bad input fails
// the whole request.
func multiStatus(inputs []objectInput) bool {
	if len(inputs) == 0 {
		return false
	}
	for _, in := range inputs {
		if in.ObjectWriteTraceID == "" {
			return false
		}
	}
	return true
}

func (s *Server) handleBatchRead(w http.ResponseWriter, r *http.Request) {
	in, st, started := s.lockedBatch(w, r)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	if in.IDProperty != "" && in.IDProperty != "hs_object_id" && !st.isUnique(in.IDProperty) {
		nonUnique(w, st, in.IDProperty)
		return
	}
	// archived is a query parameter of batch read, not a body field (spec: contacts
	// 2026-09 POST …/batch/read); it returns only archived records.
	archived := r.URL.Query().Get("archived") == "true"
	// "The batch endpoint cannot retrieve associations." (hubspot-api.md §4)
	sel := selection{names: in.Properties, history: in.PropertiesWithHistory}
	if len(sel.names) == 0 {
		sel.names = nil
	}
	var results []recordJSON
	var missing []string
	var errs []standardError
	faults := s.inputFaultsFor(OpBatchRead, st, in.Inputs, in.IDProperty)
	seen := map[int64]bool{}
	for i, one := range in.Inputs {
		rec, _ := s.lookup(w, st, one.ID, in.IDProperty, archived)
		if rec == nil || rec.archived != archived {
			missing = append(missing, one.ID)
			continue
		}
		if f := faultAt(faults, i); f != nil {
			errs = append(errs, keyedFault(f, one.ID))
			continue
		}
		if seen[rec.id] {
			continue
		}
		seen[rec.id] = true
		results = append(results, s.render(st, rec, sel, true))
	}
	s.finishBatch(w, started, http.StatusOK, results, append(errs, notFoundErrors(st, missing)...))
}

// notFoundErrors reports missing ids as one OBJECT_NOT_FOUND error listing them
// (contacts-batch-update-207-notfound.json: no per-input index, map back by id).
func notFoundErrors(st *store, missing []string) []standardError {
	if len(missing) == 0 {
		return nil
	}
	return []standardError{{
		Status: "error", Category: catNotFound,
		Message: "Could not get some " + st.typ.upper + " objects, they may be deleted or not exist. Check that ids are valid.",
		Context: map[string][]string{"ids": missing},
	}}
}

// step is one input's planned write.
type step struct {
	in       objectInput
	required []string // properties required on this write (2026-09 paths)
	rec      *record  // existing record (update, or upsert of an existing one)
	props    map[string]string
	fail     *standardError
	code     int // whole-request status for fail when multi-status is off
	probs    []propProblem
}

// claims tracks unique values taken by earlier inputs of the same batch.
type claims map[string]int64

func (c claims) key(st *store, prop, v string) string { return prop + "\x00" + st.uniqueKey(prop, v) }

// check validates one input against the store and the batch's earlier inputs.
func (s *Server) check(st *store, c claims, sp *step, self int64) {
	var current map[string]string
	if sp.rec != nil {
		current = sp.rec.props
	}
	props, probs := s.validate(st, sp.in.values(), current)
	probs = append(probs, missingRequired(sp.required, sp.in.values(), current)...)
	if current == nil {
		probs = append(probs, s.missingIdentity(st, sp.in.values())...)
	}
	trace := sp.in.ObjectWriteTraceID
	if len(probs) > 0 {
		body := validationBody(probs)
		ctx := map[string][]string{"objectWriteTraceId": {trace}}
		for _, p := range probs {
			ctx["propertyName"] = append(ctx["propertyName"], p.Name)
		}
		sp.fail = &standardError{Status: "error", Category: catValidation, Message: body.Message, Context: ctx, Errors: body.Errors}
		sp.code, sp.probs = http.StatusBadRequest, probs
		return
	}
	existing, prop := st.conflict(props, self)
	if existing == 0 {
		for n, v := range props {
			if v != "" && st.isUnique(n) {
				if id, ok := c[c.key(st, n, v)]; ok && id != self {
					existing, prop = id, n
					break
				}
			}
		}
	}
	if existing != 0 {
		sp.fail = &standardError{Status: "error", Category: catConflict, Message: s.conflictMessage(st, existing, prop),
			Context: map[string][]string{"objectWriteTraceId": {trace}, "existingId": {strconv.FormatInt(existing, 10)}}}
		sp.code = http.StatusConflict
		return
	}
	sp.props = props
	for n, v := range props {
		if v != "" && st.isUnique(n) {
			c[c.key(st, n, v)] = self
		}
	}
}

// failWhole answers a batch that fails as a whole (multi-status off): the first
// failure decides the status, and conflicts do not name the existing id
// (contacts-batch-create-409-conflict.json).
func (s *Server) failWhole(w http.ResponseWriter, st *store, steps []*step) bool {
	var probs []propProblem
	for _, sp := range steps {
		if sp.fail != nil && sp.code == http.StatusBadRequest {
			probs = append(probs, sp.probs...)
		}
	}
	if len(probs) > 0 {
		writeError(w, http.StatusBadRequest, validationBody(probs))
		return true
	}
	for _, sp := range steps {
		if sp.fail != nil && sp.code == http.StatusConflict {
			msg := st.typ.label + " already exists"
			writeError(w, http.StatusConflict, apiError{Message: msg, Category: catConflict})
			return true
		}
	}
	return false
}

func (s *Server) handleBatchCreate(w http.ResponseWriter, r *http.Request) {
	in, st, started := s.lockedBatch(w, r)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	multi := multiStatus(in.Inputs)
	faults := s.inputFaultsFor(OpBatchCreate, st, in.Inputs, "")
	c := claims{}
	steps := make([]*step, len(in.Inputs))
	var results []recordJSON
	var errs []standardError
	for i, one := range in.Inputs {
		sp := &step{in: one, required: s.requiredFor(r, st)}
		steps[i] = sp
		s.checkOrFail(st, c, sp, -int64(i+1), faultAt(faults, i))
		if multi { // apply at once, so a later duplicate names the real existing id
			s.applyCreate(st, sp, &results, &errs)
		}
	}
	if !multi {
		if s.failWhole(w, st, steps) || failInjected(w, steps) {
			return
		}
		for _, sp := range steps {
			s.applyCreate(st, sp, &results, &errs)
		}
	}
	s.finishBatch(w, started, http.StatusCreated, results, errs)
}

func (s *Server) applyCreate(st *store, sp *step, results *[]recordJSON, errs *[]standardError) {
	if sp.fail != nil {
		*errs = append(*errs, *sp.fail)
		return
	}
	links, msg := s.resolveInline(st, sp.in.Associations)
	if msg != "" {
		*errs = append(*errs, standardError{Status: "error", Category: catValidation, Message: msg,
			Context: map[string][]string{"objectWriteTraceId": {sp.in.ObjectWriteTraceID}}})
		return
	}
	rec := s.createRecord(st, sp.props, s.apiSource())
	for _, l := range links {
		s.assocs.add(st.typ.id, rec.id, l.toType, l.toID, l.typeID, s)
	}
	out := s.render(st, rec, selection{all: true}, true)
	out.ObjectWriteTraceID = sp.in.ObjectWriteTraceID
	*results = append(*results, out)
}

package hubspottest

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// storeFor resolves the {objectType} (or {fromType}) path value. An unknown
// type gets HubSpot's 400 without a category (payload
// error-400-invalid-object-type.json). Callers hold s.mu.
func (s *Server) storeFor(w http.ResponseWriter, name string) *store {
	t := s.objectType(name)
	if t == nil {
		writeError(w, http.StatusBadRequest, apiError{Message: "Unable to infer object type from: " + name})
		return nil
	}
	return s.stores[t.id]
}

// lockedStore decodes the request body into in, takes the server lock and finds
// the store of the path's object type. When it returns nil it has answered the
// request and holds no lock; otherwise the caller unlocks s.mu.
func (s *Server) lockedStore(w http.ResponseWriter, r *http.Request, in any) *store {
	if !decodeBody(w, r, in) {
		return nil
	}
	s.mu.Lock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		s.mu.Unlock()
	}
	return st
}

// objectNotFound is the JSON 404 of writes to a missing record.
func objectNotFound(w http.ResponseWriter, id string) {
	writeError(w, http.StatusNotFound, apiError{
		Message: "Object not found.  objectId are usually numeric.", Category: catNotFound,
		Context: map[string][]string{"id": {id}},
	})
}

// Paging of list endpoints (hubspot-api.md §4 List: limit default 10, up to 100;
// after is opaque; paging.next carries after and a full link).
type nextPage struct {
	After string `json:"after"`
	Link  string `json:"link,omitempty"`
}

type paging struct {
	Next *nextPage `json:"next,omitempty"`
}

type listResponse struct {
	Results []recordJSON `json:"results"`
	Paging  *paging      `json:"paging,omitempty"`
}

// intParam parses an optional integer query parameter.
func intParam(q url.Values, name string, def int) (int, bool) {
	v := q.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

func nextLink(r *http.Request, after string) string {
	q := r.URL.Query()
	q.Set("after", after)
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.Path + "?" + q.Encode()
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return
	}
	q := r.URL.Query()
	limit, ok := intParam(q, "limit", 10)
	if ok && limit > 100 && s.opts.ClampListLimit {
		limit = 100
	}
	if !ok || limit < 1 || limit > 100 {
		// "You can retrieve up to 100 … in one request" (hubspot-api.md §4). Whether
		// HubSpot clamps or refuses a larger limit is not documented; the fake
		// refuses unless Options.ClampListLimit.
		validationError(w, "limit must be between 1 and 100, got %q", q.Get("limit"))
		return
	}
	var after int64
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			validationError(w, "Invalid paging cursor: %s", a)
			return
		}
		after = n
	}
	archived := q.Get("archived") == "true" // returns ONLY archived records (hubspot-api.md §4)
	sel := querySelection(q)
	if len(sel.history) > 0 {
		limit = min(limit, s.opts.HistoryPageLimit) // fewer records per page with history (spec)
	}
	i := sort.Search(len(st.ids), func(i int) bool { return st.ids[i] >= after })
	resp := listResponse{Results: []recordJSON{}}
	for ; i < len(st.ids); i++ {
		rec := st.recs[st.ids[i]]
		if rec.archived != archived {
			continue
		}
		if len(resp.Results) == limit {
			next := strconv.FormatInt(rec.id, 10)
			resp.Paging = &paging{Next: &nextPage{After: next, Link: nextLink(r, next)}}
			break
		}
		// List items carry no url (contacts-list-paging.json).
		resp.Results = append(resp.Results, s.render(st, rec, sel, false))
	}
	writeJSON(w, http.StatusOK, resp)
}

// lookup finds the record named by the {id} path value and the idProperty
// query parameter, answering 400 for a non-unique idProperty. It returns
// (nil, true) when no such record exists.
func (s *Server) lookup(w http.ResponseWriter, st *store, id, idProperty string, archived bool) (*record, bool) {
	if idProperty == "" || idProperty == "hs_object_id" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return nil, true
		}
		r := st.recs[n]
		if r == nil || r.archived && !archived {
			return nil, true
		}
		return r, true
	}
	if !st.isUnique(idProperty) {
		nonUnique(w, st, idProperty)
		return nil, false
	}
	return st.lookupUnique(idProperty, id), true
}

// nonUnique is the 400 for reads and writes keyed on a property that is not a
// unique identifier (3p hubspot-api-nodejs#548, segmentio/action-destinations#3957).
func nonUnique(w http.ResponseWriter, st *store, prop string) {
	writeError(w, http.StatusBadRequest, apiError{
		Message:  "Unable to perform update/upsert by non-unique " + st.typ.id + " property",
		Category: catValidation, Context: map[string][]string{"idProperty": {prop}},
	})
}

// refuseObjectIDProperty answers the 400 for writes keyed on idProperty
// hs_object_id, which HubSpot refuses as a non-unique property (hubspot-api.md §4
// Batch update; 3p hubspot-api-nodejs#548, segmentio/action-destinations#3957:
// send the record id as id and leave idProperty out). Reads accept it.
func refuseObjectIDProperty(w http.ResponseWriter, st *store, idProperty string) bool {
	if idProperty != "hs_object_id" {
		return false
	}
	nonUnique(w, st, idProperty)
	return true
}

func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return
	}
	q := r.URL.Query()
	archived := q.Get("archived") == "true"
	rec, ok := s.lookup(w, st, r.PathValue("id"), q.Get("idProperty"), archived)
	if !ok {
		return
	}
	// archived=true returns only archived records (spec: "Whether to return only
	// results that have been archived").
	if rec == nil || rec.archived != archived {
		// A missing record is a 404 with an empty body on v3 GETs (observed
		// behaviour, not documented); clients must not require a JSON error here.
		w.WriteHeader(http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, s.render(st, rec, querySelection(q), true))
}

// objectInput is the body of create and update, and one batch input.
type objectInput struct {
	ID                 string             `json:"id,omitempty"`
	IDProperty         string             `json:"idProperty,omitempty"`
	ObjectWriteTraceID string             `json:"objectWriteTraceId,omitempty"`
	Properties         map[string]*string `json:"properties"`
	Associations       []inlineAssoc      `json:"associations,omitempty"`
}

// values turns a properties object into strings; JSON null clears a value.
func (in objectInput) values() map[string]string {
	out := make(map[string]string, len(in.Properties))
	for k, v := range in.Properties {
		if v == nil {
			out[k] = ""
		} else {
			out[k] = *v
		}
	}
	return out
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	var in objectInput
	st := s.lockedStore(w, r, &in)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	props, probs := s.validate(st, in.values(), nil)
	probs = append(probs, missingRequired(s.requiredFor(r, st), in.values(), nil)...)
	probs = append(probs, s.missingIdentity(st, in.values())...)
	if len(probs) > 0 {
		writeError(w, http.StatusBadRequest, validationBody(probs))
		return
	}
	if id, prop := st.conflict(props, 0); id != 0 {
		s.writeConflict(w, st, id, prop)
		return
	}
	// Inline associations can target existing records only (hubspot-api.md §4 Create).
	links, msg := s.resolveInline(st, in.Associations)
	if msg != "" {
		validationError(w, "%s", msg)
		return
	}
	rec := s.createRecord(st, props, s.apiSource())
	for _, l := range links {
		s.assocs.add(st.typ.id, rec.id, l.toType, l.toID, l.typeID, s)
	}
	writeJSON(w, http.StatusCreated, s.render(st, rec, selection{all: true}, true))
}

func (s *Server) handleUpdate(w http.ResponseWriter, r *http.Request) {
	var in objectInput
	st := s.lockedStore(w, r, &in)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	id := r.PathValue("id")
	if refuseObjectIDProperty(w, st, r.URL.Query().Get("idProperty")) {
		return
	}
	rec, ok := s.lookup(w, st, id, r.URL.Query().Get("idProperty"), false)
	if !ok {
		return
	}
	if rec == nil {
		objectNotFound(w, id)
		return
	}
	props, probs := s.validate(st, in.values(), rec.props)
	probs = append(probs, missingRequired(s.requiredFor(r, st), in.values(), rec.props)...)
	if len(probs) > 0 {
		writeError(w, http.StatusBadRequest, validationBody(probs))
		return
	}
	if other, prop := st.conflict(props, rec.id); other != 0 {
		s.writeConflict(w, st, other, prop)
		return
	}
	s.updateRecord(st, rec, props, s.apiSource())
	writeJSON(w, http.StatusOK, s.render(st, rec, selection{all: true}, true))
}

// handleArchive moves a record to the recycle bin; it answers 204 whether or
// not the record existed.
func (s *Server) handleArchive(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return
	}
	if rec := st.active(r.PathValue("id")); rec != nil {
		s.archiveRecord(st, rec, s.apiSource())
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleMerge merges objectIdToMerge into primaryObjectId (hubspot-api.md §4
// Merge, §9 Merges): the survivor lists the absorbed ids in hs_merged_object_ids,
// keeps its own values and fills empty ones from the merged record, takes over its
// associations, and the merged record is gone.
func (s *Server) handleMerge(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PrimaryObjectID string `json:"primaryObjectId"`
		ObjectIDToMerge string `json:"objectIdToMerge"`
	}
	st := s.lockedStore(w, r, &in)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	if in.PrimaryObjectID == in.ObjectIDToMerge {
		validationError(w, "Cannot merge an object with itself: %s", in.PrimaryObjectID)
		return
	}
	primary, merged := st.active(in.PrimaryObjectID), st.active(in.ObjectIDToMerge)
	for id, rec := range map[string]*record{in.PrimaryObjectID: primary, in.ObjectIDToMerge: merged} {
		if rec == nil {
			objectNotFound(w, id)
			return
		}
	}
	survivor := s.merge(st, primary, merged, s.apiSource())
	writeJSON(w, http.StatusOK, s.render(st, survivor, selection{all: true}, true))
}

func (s *Server) merge(st *store, primary, merged *record, src writeSource) *record {
	ids := []string{}
	if prev := primary.props["hs_merged_object_ids"]; prev != "" {
		ids = strings.Split(prev, ";")
	}
	ids = append(ids, strconv.FormatInt(merged.id, 10))
	if m := merged.props["hs_merged_object_ids"]; m != "" {
		ids = append(ids, strings.Split(m, ";")...)
	}
	st.unindex(merged)
	st.unindex(primary)
	for n, v := range merged.props {
		if _, has := primary.props[n]; !has && !st.props[n].ModificationMetadata.ReadOnlyValue {
			primary.props[n] = v
		}
	}
	primary.props["hs_merged_object_ids"] = strings.Join(ids, ";")
	if st.typ.name == "contacts" {
		mergeAdditionalEmails(primary, merged)
	}
	s.assocs.move(st.typ.id, merged.id, primary.id)
	st.remove(merged)
	survivor := primary
	if s.opts.MergeAssignsNewID {
		// The survivor gets a new id; the primary id is absorbed too.
		st.remove(primary)
		survivor = &record{id: s.nextID, props: primary.props, created: primary.created}
		s.nextID++
		survivor.props["hs_object_id"] = strconv.FormatInt(survivor.id, 10)
		survivor.props["hs_merged_object_ids"] += ";" + strconv.FormatInt(primary.id, 10)
		st.insert(survivor)
		s.assocs.move(st.typ.id, primary.id, survivor.id)
	}
	now := s.now()
	survivor.updated = now
	survivor.props[st.typ.lastMod] = isoTime(now)
	st.index(survivor)
	// A merge fires <type>.merge plus deletion events for the secondary records and no
	// propertyChange events (hubspot-api.md §9 Merges).
	s.emitMerge(st, primary.id, merged.id, survivor.id, src)
	return survivor
}

// mergeAdditionalEmails keeps the merged contact's email addresses on the survivor
// as hs_additional_emails, so they stay unique identifiers of the survivor
// (hubspot-api.md §9 Identity). That a merge moves the secondary email there is
// HubSpot's documented UI behaviour for merges, not stated in the reference.
func mergeAdditionalEmails(primary, merged *record) {
	own := strings.ToLower(primary.props["email"])
	var extra []string
	seen := map[string]bool{own: true}
	add := func(e string) {
		if e = strings.TrimSpace(e); e != "" && !seen[strings.ToLower(e)] {
			seen[strings.ToLower(e)] = true
			extra = append(extra, e)
		}
	}
	for _, e := range strings.Split(primary.props["hs_additional_emails"], ";") {
		add(e)
	}
	add(merged.props["email"])
	for _, e := range strings.Split(merged.props["hs_additional_emails"], ";") {
		add(e)
	}
	if len(extra) > 0 {
		primary.props["hs_additional_emails"] = strings.Join(extra, ";")
	}
}

// handleGDPRDelete deletes a contact permanently (hubspot-api.md §9 Deletion).
func (s *Server) handleGDPRDelete(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ObjectID   string `json:"objectId"`
		IDProperty string `json:"idProperty"`
	}
	st := s.lockedStore(w, r, &in)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	if st.typ.name != "contacts" {
		notFound(w)
		return
	}
	rec, ok := s.lookup(w, st, in.ObjectID, in.IDProperty, true)
	if !ok {
		return
	}
	if rec == nil {
		objectNotFound(w, in.ObjectID)
		return
	}
	s.assocs.drop(st.typ.id, rec.id)
	st.remove(rec)
	s.emit(st, "privacyDeletion", rec.id, "", "", s.apiSource())
	w.WriteHeader(http.StatusNoContent)
}

package hubspottest

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// objectList is a CRM list (spec: CRM Lists 2026-03 PublicObjectList).
type objectList struct {
	id             string
	name           string
	objectTypeID   string
	processingType string // MANUAL, SNAPSHOT or DYNAMIC
	version        int
	created        time.Time
	updated        time.Time
	members        map[int64]time.Time // record id -> membership time
}

type listJSON struct {
	ListID           string `json:"listId"`
	ListVersion      int    `json:"listVersion"`
	Name             string `json:"name"`
	ObjectTypeID     string `json:"objectTypeId"`
	ProcessingStatus string `json:"processingStatus"`
	ProcessingType   string `json:"processingType"`
	CreatedAt        string `json:"createdAt"`
	UpdatedAt        string `json:"updatedAt"`
	FiltersUpdatedAt string `json:"filtersUpdatedAt"`
	CreatedByID      string `json:"createdById"`
	UpdatedByID      string `json:"updatedById"`
	Size             int    `json:"size"`
}

func (l *objectList) json() listJSON {
	return listJSON{ListID: l.id, ListVersion: l.version, Name: l.name, ObjectTypeID: l.objectTypeID,
		ProcessingStatus: "COMPLETE", ProcessingType: l.processingType, CreatedAt: isoTime(l.created),
		UpdatedAt: isoTime(l.updated), FiltersUpdatedAt: isoTime(l.created), CreatedByID: "1", UpdatedByID: "1", Size: len(l.members)}
}

// maxMembershipPage: the spec gives limit a default of 100 and no maximum; the
// fake refuses more than 250 (assumed).
const maxMembershipPage = 250

// CreateList seeds a MANUAL list of objectType holding recordIDs and returns
// its list id.
func (s *Server) CreateList(objectType, name string, recordIDs ...string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.objectType(objectType)
	if t == nil {
		return "", fmt.Errorf("hubspottest: CreateList: unknown object type %q", objectType)
	}
	l := s.newList(t.id, name, "MANUAL")
	if _, missing := s.addMembers(l, recordIDs); len(missing) > 0 {
		return "", fmt.Errorf("hubspottest: CreateList: no %s with ids %v", t.name, missing)
	}
	return l.id, nil
}

func (s *Server) newList(typeID, name, processing string) *objectList {
	s.listSeq++
	now := s.now()
	l := &objectList{id: strconv.FormatInt(s.listSeq, 10), name: name, objectTypeID: typeID, processingType: processing,
		version: 1, created: now, updated: now, members: map[int64]time.Time{}}
	s.lists[l.id] = l
	return l
}

func (s *Server) addMembers(l *objectList, ids []string) (added, missing []string) {
	st := s.stores[l.objectTypeID]
	for _, id := range ids {
		rec := st.active(id)
		if rec == nil {
			missing = append(missing, id)
			continue
		}
		if _, in := l.members[rec.id]; !in {
			l.members[rec.id] = s.now()
			added = append(added, id)
		}
	}
	if len(added) > 0 {
		l.updated = s.now()
	}
	return added, missing
}

func (s *Server) removeMembers(l *objectList, ids []string) (removed, missing []string) {
	for _, id := range ids {
		n, err := strconv.ParseInt(id, 10, 64)
		if _, in := l.members[n]; err != nil || !in {
			missing = append(missing, id)
			continue
		}
		delete(l.members, n)
		removed = append(removed, id)
	}
	if len(removed) > 0 {
		l.updated = s.now()
	}
	return removed, missing
}

func (s *Server) handleListCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name           string `json:"name"`
		ObjectTypeID   string `json:"objectTypeId"`
		ProcessingType string `json:"processingType"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.objectType(in.ObjectTypeID)
	switch {
	case in.Name == "" || t == nil:
		validationError(w, "A list needs a name and a valid objectTypeId")
		return
	case in.ProcessingType != "MANUAL" && in.ProcessingType != "SNAPSHOT" && in.ProcessingType != "DYNAMIC":
		validationError(w, "processingType must be one of SNAPSHOT, MANUAL or DYNAMIC")
		return
	}
	for _, l := range s.lists {
		if l.name == in.Name { // "must be globally unique across all public lists"
			validationError(w, "A list named %q already exists", in.Name)
			return
		}
	}
	l := s.newList(t.id, in.Name, in.ProcessingType)
	writeJSON(w, http.StatusOK, map[string]any{"list": l.json()})
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) *objectList {
	id := r.PathValue("listId")
	l := s.lists[id]
	if l == nil {
		writeError(w, http.StatusNotFound, apiError{Message: fmt.Sprintf("List %s does not exist.", id), Category: catNotFound})
	}
	return l
}

func (s *Server) handleListGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.list(w, r); l != nil {
		writeJSON(w, http.StatusOK, map[string]any{"list": l.json()})
	}
}

type membership struct {
	RecordID            string `json:"recordId"`
	MembershipTimestamp string `json:"membershipTimestamp"`
}

// handleMemberships pages a list's members by record id
// (spec ApiCollectionResponseJoinTimeAndRecordId: results, paging, total).
func (s *Server) handleMemberships(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := intParam(q, "limit", 100)
	if !ok || limit < 1 || limit > maxMembershipPage {
		validationError(w, "limit must be between 1 and %d", maxMembershipPage)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.list(w, r)
	if l == nil {
		return
	}
	ids := make([]int64, 0, len(l.members))
	for id := range l.members {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	start := 0
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			validationError(w, "Invalid paging cursor: %s", a)
			return
		}
		start = sort.Search(len(ids), func(i int) bool { return ids[i] > n })
	}
	results := []membership{}
	for i := start; i < len(ids) && len(results) < limit; i++ {
		results = append(results, membership{RecordID: idString(ids[i]), MembershipTimestamp: isoTime(l.members[ids[i]])})
	}
	resp := map[string]any{"results": results, "total": len(ids)}
	if start+len(results) < len(ids) {
		last := results[len(results)-1].RecordID
		resp["paging"] = paging{Next: &nextPage{After: last, Link: nextLink(r, last)}}
	}
	writeJSON(w, http.StatusOK, resp)
}

// membershipsUpdate is MembershipsUpdateResponse; "recordsIdsAdded" is spelled
// as in HubSpot's spec.
type membershipsUpdate struct {
	RecordIDsMissing []string `json:"recordIdsMissing"`
	RecordIDsRemoved []string `json:"recordIdsRemoved"`
	RecordsIDsAdded  []string `json:"recordsIdsAdded"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) changeMembers(w http.ResponseWriter, r *http.Request, add, remove []string) {
	l := s.list(w, r)
	if l == nil {
		return
	}
	if l.processingType == "DYNAMIC" {
		validationError(w, "List %s is a DYNAMIC list; its memberships cannot be changed by hand.", l.id)
		return
	}
	added, missingA := s.addMembers(l, add)
	removed, missingR := s.removeMembers(l, remove)
	writeJSON(w, http.StatusOK, membershipsUpdate{RecordIDsMissing: nonNil(append(missingA, missingR...)),
		RecordIDsRemoved: nonNil(removed), RecordsIDsAdded: nonNil(added)})
}

func (s *Server) handleMembershipsAdd(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if !decodeBody(w, r, &ids) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changeMembers(w, r, ids, nil)
}

func (s *Server) handleMembershipsRemove(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if !decodeBody(w, r, &ids) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changeMembers(w, r, nil, ids)
}

func (s *Server) handleMembershipsAddRemove(w http.ResponseWriter, r *http.Request) {
	var in struct {
		RecordIDsToAdd    []string `json:"recordIdsToAdd"`
		RecordIDsToRemove []string `json:"recordIdsToRemove"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changeMembers(w, r, in.RecordIDsToAdd, in.RecordIDsToRemove)
}

// recordMembership is RecordListMembership (spec: CRM Lists, GET
// /crm/lists/{version}/records/{objectTypeId}/{recordId}/memberships).
type recordMembership struct {
	ListID              string `json:"listId"`
	ListVersion         int    `json:"listVersion"`
	FirstAddedTimestamp string `json:"firstAddedTimestamp"`
	LastAddedTimestamp  string `json:"lastAddedTimestamp"`
	IsPublicList        bool   `json:"isPublicList"`
}

// handleRecordMemberships lists the lists a record belongs to, by list id.
func (s *Server) handleRecordMemberships(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectTypeId"))
	if st == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("recordId"), 10, 64)
	if err != nil || st.recs[id] == nil {
		objectNotFound(w, r.PathValue("recordId"))
		return
	}
	var ids []string
	for lid, l := range s.lists {
		if _, in := l.members[id]; in && l.objectTypeID == st.typ.id {
			ids = append(ids, lid)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return len(ids[i]) < len(ids[j]) || len(ids[i]) == len(ids[j]) && ids[i] < ids[j] })
	results := []recordMembership{}
	for _, lid := range ids {
		l := s.lists[lid]
		at := isoTime(l.members[id])
		results = append(results, recordMembership{ListID: lid, ListVersion: l.version, FirstAddedTimestamp: at, LastAddedTimestamp: at, IsPublicList: true})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "total": len(results)})
}

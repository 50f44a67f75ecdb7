package hubspottest

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Owner is a CRM owner (payloads owners-list.docs.json, owners-list-archived.docs.json;
// hubspot-api.md §8 Owners). UserID is null for deactivated users.
type Owner struct {
	ID                      string      `json:"id"`
	Email                   string      `json:"email"`
	Type                    string      `json:"type"`
	FirstName               string      `json:"firstName"`
	LastName                string      `json:"lastName"`
	UserID                  *int64      `json:"userId"`
	UserIDIncludingInactive int64       `json:"userIdIncludingInactive"`
	CreatedAt               string      `json:"createdAt"`
	UpdatedAt               string      `json:"updatedAt"`
	Archived                bool        `json:"archived"`
	Teams                   []OwnerTeam `json:"teams,omitempty"`
}

// OwnerTeam is one team of an owner.
type OwnerTeam struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Primary bool   `json:"primary"`
}

// AddOwner seeds an owner. Empty ID, Type and timestamps are filled in; the
// owner id is returned (it is what hubspot_owner_id takes).
func (s *Server) AddOwner(o Owner) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addOwnerLocked(o)
}

func (s *Server) addOwnerLocked(o Owner) string {
	if o.ID == "" {
		o.ID = strconv.Itoa(41629779 + len(s.owners)*1013)
	}
	if o.Type == "" {
		o.Type = "PERSON"
	}
	if o.UserIDIncludingInactive == 0 {
		o.UserIDIncludingInactive = 9586504 + int64(len(s.owners))
	}
	if o.UserID == nil && !o.Archived {
		uid := o.UserIDIncludingInactive
		o.UserID = &uid
	}
	now := isoTime(s.now())
	if o.CreatedAt == "" {
		o.CreatedAt = now
	}
	if o.UpdatedAt == "" {
		o.UpdatedAt = now
	}
	cp := o
	s.owners = append(s.owners, &cp)
	return o.ID
}

func (s *Server) seedOwners() {
	s.addOwnerLocked(Owner{Email: "alex.admin@example.com", FirstName: "Alex", LastName: "Admin",
		Teams: []OwnerTeam{{ID: "368389", Name: "Sales Team", Primary: true}}})
	s.addOwnerLocked(Owner{Email: "sam.sales@example.com", FirstName: "Sam", LastName: "Sales",
		Teams: []OwnerTeam{{ID: "368389", Name: "Sales Team", Primary: true}}})
	s.addOwnerLocked(Owner{Email: "former.rep@example.com", FirstName: "", LastName: "", Archived: true})
}

// handleOwnerList is GET /crm/v3/owners?limit(default 100)&after&email&archived
// (hubspot-api.md §8 Owners). archived=true lists only archived owners.
func (s *Server) handleOwnerList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := intParam(q, "limit", 100)
	if !ok || limit < 1 || limit > 500 {
		validationError(w, "limit must be between 1 and 500")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	archived := q.Get("archived") == "true"
	email := strings.ToLower(q.Get("email"))
	var all []*Owner
	for _, o := range s.owners {
		if o.Archived == archived && (email == "" || strings.ToLower(o.Email) == email) {
			all = append(all, o)
		}
	}
	sort.Slice(all, func(i, j int) bool { return ownerNum(all[i]) < ownerNum(all[j]) })
	start := 0
	if a := q.Get("after"); a != "" {
		n, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			validationError(w, "Invalid paging cursor: %s", a)
			return
		}
		for start < len(all) && ownerNum(all[start]) < n {
			start++
		}
	}
	results := []Owner{}
	resp := map[string]any{}
	for i := start; i < len(all); i++ {
		if len(results) == limit {
			resp["paging"] = paging{Next: &nextPage{After: all[i].ID, Link: nextLink(r, all[i].ID)}}
			break
		}
		results = append(results, *all[i])
	}
	resp["results"] = results
	writeJSON(w, http.StatusOK, resp)
}

func ownerNum(o *Owner) int64 {
	n, _ := strconv.ParseInt(o.ID, 10, 64)
	return n
}

// handleOwnerGet is GET /owners/{ownerId}?idProperty=id|userId&archived.
func (s *Server) handleOwnerGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("ownerId")
	byUser := r.URL.Query().Get("idProperty") == "userId"
	archived := r.URL.Query().Get("archived") == "true"
	for _, o := range s.owners {
		match := o.ID == id
		if byUser {
			match = strconv.FormatInt(o.UserIDIncludingInactive, 10) == id
		}
		if match && o.Archived == archived {
			writeJSON(w, http.StatusOK, o)
			return
		}
	}
	objectNotFound(w, id)
}

// Owners returns the seeded and added owners, archived ones included.
func (s *Server) Owners() []Owner {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Owner, len(s.owners))
	for i, o := range s.owners {
		out[i] = *o
	}
	return out
}

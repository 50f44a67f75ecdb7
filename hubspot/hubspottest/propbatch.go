package hubspottest

import (
	"fmt"
	"net/http"
)

type nameInputs struct {
	Inputs   []struct{ Name string } `json:"inputs"`
	Archived bool                    `json:"archived"`
}

func (s *Server) handlePropertyBatchRead(w http.ResponseWriter, r *http.Request) {
	var in nameInputs
	if !decodeBody(w, r, &in) {
		return
	}
	started := isoTime(s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return
	}
	results := []Property{}
	for _, one := range in.Inputs {
		if p := st.props[one.Name]; p != nil && (p.Archived != nil && *p.Archived) == in.Archived {
			results = append(results, view(p))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "COMPLETE", "results": results, "startedAt": started, "completedAt": isoTime(s.now())})
}

// handlePropertyBatchCreate creates properties; existing names are per-input
// errors in a 207 whose status stays COMPLETE (properties-batch-create-207-exists.json).
// Results lack createdAt/updatedAt/archived (properties-batch-create-200.json).
func (s *Server) handlePropertyBatchCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Inputs []propertyInput `json:"inputs"`
	}
	if !decodeLimited(w, r, &in, func() int { return len(in.Inputs) }, maxBatchInputs) {
		return
	}
	started := isoTime(s.now())
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return
	}
	results := []Property{}
	var errs []standardError
	for _, one := range in.Inputs {
		p, msg := s.newProperty(st, one)
		switch {
		case msg != "":
			errs = append(errs, standardError{Status: "error", Category: catValidation, Message: msg, Context: map[string][]string{"name": {one.Name}}})
		case !st.addProperty(p):
			errs = append(errs, alreadyExists(p.Name))
		default:
			out := *st.props[p.Name]
			out.CreatedAt, out.UpdatedAt, out.Archived = "", "", nil
			results = append(results, out)
		}
	}
	status := http.StatusCreated
	if len(errs) > 0 {
		status = http.StatusMultiStatus
	}
	resp := map[string]any{"completedAt": isoTime(s.now()), "status": "COMPLETE", "startedAt": started, "results": results}
	if len(errs) > 0 {
		resp["errors"], resp["numErrors"] = errs, len(errs)
	}
	writeJSON(w, status, resp)
}

// handlePropertyBatchArchive answers 204 "regardless of the initial state"
// (hubspot-api.md §6); HubSpot-defined properties are left alone.
func (s *Server) handlePropertyBatchArchive(w http.ResponseWriter, r *http.Request) {
	var in nameInputs
	st := s.lockedStore(w, r, &in)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	for _, one := range in.Inputs {
		if p := st.props[one.Name]; p != nil && !p.HubspotDefined {
			archived := true
			p.Archived = &archived
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleGroupList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return
	}
	out := []PropertyGroup{}
	for _, g := range st.groups {
		if !g.Archived {
			out = append(out, *g)
		}
	}
	sortGroups(out)
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

func sortGroups(gs []PropertyGroup) {
	for i := 1; i < len(gs); i++ {
		for j := i; j > 0 && (gs[j].DisplayOrder < gs[j-1].DisplayOrder ||
			gs[j].DisplayOrder == gs[j-1].DisplayOrder && gs[j].Name < gs[j-1].Name); j-- {
			gs[j], gs[j-1] = gs[j-1], gs[j]
		}
	}
}

type groupInput struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder *int   `json:"displayOrder"`
}

// handleGroupCreate creates a group {name, label, displayOrder?}; without a
// displayOrder it goes after the existing groups (property-group-create-response.json
// shows an assigned order).
func (s *Server) handleGroupCreate(w http.ResponseWriter, r *http.Request) {
	var in groupInput
	st := s.lockedStore(w, r, &in)
	if st == nil {
		return
	}
	defer s.mu.Unlock()
	if in.Name == "" || in.Label == "" || !propertyNameRE.MatchString(in.Name) {
		validationError(w, "A property group needs a name (lowercase letters, digits, underscores) and a label")
		return
	}
	if g := st.groups[in.Name]; g != nil && !g.Archived {
		writeError(w, http.StatusConflict, apiError{Message: fmt.Sprintf("A property group named '%s' already exists.", in.Name),
			Category: catAlreadyExists, Context: map[string][]string{"name": {in.Name}}})
		return
	}
	order := 0
	for _, g := range st.groups {
		order = max(order, g.DisplayOrder+1)
	}
	if in.DisplayOrder != nil {
		order = *in.DisplayOrder
	}
	g := &PropertyGroup{Name: in.Name, Label: in.Label, DisplayOrder: order}
	st.groups[in.Name] = g
	writeJSON(w, http.StatusCreated, g)
}

func (s *Server) group(w http.ResponseWriter, r *http.Request) (*store, *PropertyGroup) {
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return nil, nil
	}
	name := r.PathValue("group")
	g := st.groups[name]
	if g == nil || g.Archived {
		writeError(w, http.StatusNotFound, apiError{Message: fmt.Sprintf("Unable to find property group %s", name), Category: catNotFound})
		return nil, nil
	}
	return st, g
}

func (s *Server) handleGroupGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, g := s.group(w, r); g != nil {
		writeJSON(w, http.StatusOK, g)
	}
}

// handleGroupUpdate changes only label and displayOrder (spec PropertyGroupUpdate).
func (s *Server) handleGroupUpdate(w http.ResponseWriter, r *http.Request) {
	var in groupInput
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, g := s.group(w, r)
	if g == nil {
		return
	}
	g.Label = or(in.Label, g.Label)
	if in.DisplayOrder != nil {
		g.DisplayOrder = *in.DisplayOrder
	}
	writeJSON(w, http.StatusOK, g)
}

// handleGroupArchive refuses groups with active properties
// (hubspot-api.md §6: 400 PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES).
func (s *Server) handleGroupArchive(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, g := s.group(w, r)
	if g == nil {
		return
	}
	for _, p := range st.props {
		if p.GroupName == g.Name && p.Archived == nil {
			writeError(w, http.StatusBadRequest, apiError{Message: fmt.Sprintf("Property group %s has active properties and cannot be archived", g.Name),
				Category: catValidation, SubCategory: "PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES"})
			return
		}
	}
	g.Archived = true
	w.WriteHeader(http.StatusNoContent)
}

package hubspottest

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// writeSource says who made a change: API calls are INTEGRATION writes by the
// fake's app; seeds look like changes made in the HubSpot UI.
type writeSource struct {
	changeSource string // webhook changeSource
	sourceID     string // webhook sourceId
	objectSource string // hs_object_source value
}

func (s *Server) apiSource() writeSource {
	app := strconv.FormatInt(s.opts.Webhooks.AppID, 10)
	return writeSource{changeSource: "INTEGRATION", sourceID: app, objectSource: "INTEGRATION"}
}

var seedSource = writeSource{changeSource: "CRM_UI", sourceID: "userId:1", objectSource: "CRM_UI"}

// createRecord stores a new record with already-validated props. Callers hold
// s.mu and have checked unique conflicts.
func (s *Server) createRecord(st *store, props map[string]string, src writeSource) *record {
	now := s.now()
	id := s.nextID
	s.nextID++
	r := &record{id: id, props: map[string]string{}, created: now, updated: now}
	for n, v := range props {
		if v != "" {
			r.props[n] = v
		}
	}
	ts := isoTime(now)
	r.props["hs_object_id"] = strconv.FormatInt(id, 10)
	r.props[st.typ.created] = ts
	r.props[st.typ.lastMod] = ts
	if _, ok := st.props["hs_object_source"]; ok {
		r.props["hs_object_source"] = src.objectSource
		r.props["hs_object_source_label"] = src.objectSource
		r.props["hs_object_source_id"] = strings.TrimPrefix(src.sourceID, "userId:")
	}
	switch st.typ.name {
	case "deals":
		if r.props["pipeline"] == "" && len(s.pipes["0-3"]) > 0 {
			r.props["pipeline"] = s.pipes["0-3"][0].ID // without pipeline, the default is used (hubspot-api.md §8)
		}
	case "tickets":
		if r.props["hs_pipeline"] == "" && len(s.pipes["0-5"]) > 0 {
			r.props["hs_pipeline"] = s.pipes["0-5"][0].ID
		}
	}
	s.computed(st, r)
	names := make([]string, 0, len(r.props))
	for n := range r.props {
		names = append(names, n)
	}
	r.remember(r.props, names, now, src)
	st.insert(r)
	s.emit(st, "creation", r.id, "", "", src)
	return r
}

// updateRecord applies validated props to r. It returns whether anything
// changed; an update that changes nothing leaves the modification dates alone.
func (s *Server) updateRecord(st *store, r *record, props map[string]string, src writeSource) bool {
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	var changed []string
	st.unindex(r)
	for _, n := range names {
		v := props[n]
		if r.props[n] == v {
			continue
		}
		if v == "" {
			delete(r.props, n)
		} else {
			r.props[n] = v
		}
		changed = append(changed, n)
	}
	if len(changed) > 0 {
		now := s.now()
		r.updated = now
		r.props[st.typ.lastMod] = isoTime(now)
		s.computed(st, r)
		r.remember(r.props, append(changed, st.typ.lastMod), now, src)
	}
	st.index(r)
	for _, n := range changed {
		s.emit(st, "propertyChange", r.id, n, r.props[n], src)
	}
	return len(changed) > 0
}

// computed maintains derived properties: the contact's email domain and a
// deal's closed flags from its stage metadata (hubspot-api.md §8 Pipelines).
func (s *Server) computed(st *store, r *record) {
	switch st.typ.name {
	case "contacts":
		if e := r.props["email"]; e != "" {
			if i := strings.LastIndexByte(e, '@'); i >= 0 {
				r.props["hs_email_domain"] = strings.ToLower(e[i+1:])
			}
		} else {
			delete(r.props, "hs_email_domain")
		}
	case "deals":
		stage := s.stage("0-3", r.props["pipeline"], r.props["dealstage"])
		if stage == nil {
			return
		}
		closed := stage.Metadata["isClosed"] == "true"
		won := closed && stage.Metadata["probability"] == "1.0"
		r.props["hs_is_closed"] = strconv.FormatBool(closed)
		r.props["hs_is_closed_won"] = strconv.FormatBool(won)
		r.props["hs_is_closed_lost"] = strconv.FormatBool(closed && !won)
	}
}

// archiveRecord moves r to the recycle bin (hubspot-api.md §4 Delete).
func (s *Server) archiveRecord(st *store, r *record, src writeSource) {
	if r.archived {
		return
	}
	st.unindex(r)
	r.archived = true
	r.archivedAt = s.now()
	s.emit(st, "deletion", r.id, "", "", src)
}

// conflictError answers a unique-value conflict: 409 CONFLICT whose message
// ends in "Existing ID: N" (hubspot-api.md §9; 3p hubspot-api-python#51).
func (s *Server) conflictMessage(st *store, existing int64, prop string) string {
	if st.typ.name == "contacts" && prop == "email" {
		return "Contact already exists. Existing ID: " + strconv.FormatInt(existing, 10)
	}
	return "A " + strings.ToLower(st.typ.label) + " with the unique value for property \"" + prop +
		"\" already exists. Existing ID: " + strconv.FormatInt(existing, 10)
}

func (s *Server) writeConflict(w http.ResponseWriter, st *store, existing int64, prop string) {
	writeError(w, http.StatusConflict, apiError{Message: s.conflictMessage(st, existing, prop), Category: catConflict})
}

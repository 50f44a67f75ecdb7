package hubspottest

import (
	"strings"
	"time"
)

// histEntry is one past value of a property (spec ValueWithTimestamp).
type histEntry struct {
	value      string
	at         time.Time
	sourceType string
	sourceID   string
}

type histJSON struct {
	Value      string `json:"value"`
	Timestamp  string `json:"timestamp"`
	SourceType string `json:"sourceType"`
	SourceID   string `json:"sourceId,omitempty"`
}

// maxHistory bounds the versions kept per property. HubSpot's own bound was not
// found in the reference; the oldest versions are dropped beyond it.
const maxHistory = 50

// remember records new values of props in r's history (oldest first).
func (r *record) remember(props map[string]string, names []string, at time.Time, src writeSource) {
	if r.history == nil {
		r.history = map[string][]histEntry{}
	}
	for _, n := range names {
		h := append(r.history[n], histEntry{value: props[n], at: at, sourceType: src.objectSource, sourceID: src.sourceID})
		if len(h) > maxHistory {
			h = append(h[:0], h[len(h)-maxHistory:]...)
		}
		r.history[n] = h
	}
}

// historyJSON renders propertiesWithHistory for the requested names, newest
// first; names without history are left out.
func historyJSON(r *record, names []string) map[string][]histJSON {
	out := map[string][]histJSON{}
	for _, n := range names {
		h := r.history[n]
		for i := len(h) - 1; i >= 0; i-- {
			e := h[i]
			out[n] = append(out[n], histJSON{Value: e.value, Timestamp: isoTime(e.at), SourceType: e.sourceType, SourceID: e.sourceID})
		}
	}
	return out
}

type assocRef struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type assocRefs struct {
	Results []assocRef `json:"results"`
}

// associationsJSON renders the v3 "associations" of a record for the requested
// object types: {"companies": {"results": [{"id": "…", "type": "contact_to_company"}]}}.
// A pair's unlabeled type is "<from>_to_<to>_unlabeled" when the pair also has a
// Primary label, and "<from>_to_<to>" otherwise. Callers hold s.mu.
func (s *Server) associationsJSON(st *store, r *record, names []string) map[string]assocRefs {
	out := map[string]assocRefs{}
	for _, n := range names {
		t := s.objectType(n)
		if t == nil {
			continue
		}
		base := st.typ.singular + "_to_" + t.singular
		hasPrimary := false
		for _, l := range s.assocs.labels(st.typ.id, t.id) {
			hasPrimary = hasPrimary || (l.Label != nil && *l.Label == "Primary")
		}
		var refs []assocRef
		for _, id := range s.liveTargets(st.typ.id, r.id, t.id) {
			for _, typeID := range s.assocs.m[assocKey{st.typ.id, r.id, t.id}][id] {
				def, _ := s.assocs.lookup(st.typ.id, t.id, typeID)
				name := base
				switch {
				case def.Label == nil && hasPrimary:
					name = base + "_unlabeled"
				case def.Label != nil && *def.Label != "Primary":
					name = strings.ToLower(strings.ReplaceAll(*def.Label, " ", "_"))
				}
				refs = append(refs, assocRef{ID: idString(id), Type: name})
			}
		}
		if len(refs) > 0 {
			out[n] = assocRefs{Results: refs}
		}
	}
	return out
}

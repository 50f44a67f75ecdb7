package hubspottest

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// record is one stored CRM object.
type record struct {
	id         int64
	props      map[string]string // only non-empty values are stored
	created    time.Time
	updated    time.Time
	archived   bool
	archivedAt time.Time
	history    map[string][]histEntry // property -> values, newest first
}

// store holds one object type's records, property definitions and unique
// indexes. Callers hold Server.mu.
type store struct {
	typ    *objectType
	props  map[string]*Property
	groups map[string]*PropertyGroup
	recs   map[int64]*record
	ids    []int64 // ascending; archived records included
	// unique maps a unique property to value -> id of the active record holding it.
	unique map[string]map[string]int64
}

func newStore(t *objectType) *store {
	return &store{typ: t, props: map[string]*Property{}, groups: map[string]*PropertyGroup{},
		recs: map[int64]*record{}, unique: map[string]map[string]int64{}}
}

// isUnique reports whether name is a unique identifier of this type: a
// hasUniqueValue property, or contact email (hubspot-api.md §4 Batch upsert, §9).
func (st *store) isUnique(name string) bool {
	if st.typ.name == "contacts" && name == "email" {
		return true
	}
	p := st.props[name]
	return p != nil && p.HasUniqueValue && p.Archived == nil
}

// uniqueKey normalises a unique value: emails compare case-insensitively.
func (st *store) uniqueKey(name, value string) string {
	if name == "email" {
		return strings.ToLower(strings.TrimSpace(value))
	}
	return value
}

// lookupUnique returns the active record holding value in unique property name.
func (st *store) lookupUnique(name, value string) *record {
	if name == "hs_object_id" {
		return st.active(value)
	}
	id, ok := st.unique[name][st.uniqueKey(name, value)]
	if !ok {
		return nil
	}
	return st.recs[id]
}

// active returns the non-archived record with the given id string.
func (st *store) active(id string) *record {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil
	}
	r := st.recs[n]
	if r == nil || r.archived {
		return nil
	}
	return r
}

func (st *store) index(r *record) {
	for name, v := range st.uniqueValues(r) {
		for _, one := range v {
			if st.unique[name] == nil {
				st.unique[name] = map[string]int64{}
			}
			st.unique[name][st.uniqueKey(name, one)] = r.id
		}
	}
}

func (st *store) unindex(r *record) {
	for name, v := range st.uniqueValues(r) {
		for _, one := range v {
			if m := st.unique[name]; m != nil && m[st.uniqueKey(name, one)] == r.id {
				delete(m, st.uniqueKey(name, one))
			}
		}
	}
}

// uniqueValues lists the unique identifiers r holds, per unique property. A
// contact's hs_additional_emails are unique identifiers too (hubspot-api.md §9
// Identity, doc†: contacts guide), so they are indexed as emails: creating a
// contact with one of them is a conflict, and upsert or GET by email finds the
// contact that holds it.
func (st *store) uniqueValues(r *record) map[string][]string {
	out := map[string][]string{}
	for name, v := range r.props {
		if st.isUnique(name) {
			out[name] = append(out[name], v)
		}
	}
	if st.typ.name == "contacts" {
		for _, e := range strings.Split(r.props["hs_additional_emails"], ";") {
			if e = strings.TrimSpace(e); e != "" {
				out["email"] = append(out["email"], e)
			}
		}
	}
	return out
}

// conflict returns the id of another active record already holding one of the
// unique values in props, and the property name.
func (st *store) conflict(props map[string]string, self int64) (int64, string) {
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := props[n]
		if v == "" || !st.isUnique(n) {
			continue
		}
		if id, ok := st.unique[n][st.uniqueKey(n, v)]; ok && id != self {
			return id, n
		}
	}
	return 0, ""
}

func (st *store) insert(r *record) {
	st.recs[r.id] = r
	st.ids = append(st.ids, r.id) // ids are handed out in ascending order
	st.index(r)
}

// remove deletes a record for good (merged-away records).
func (st *store) remove(r *record) {
	st.unindex(r)
	delete(st.recs, r.id)
	if i, ok := slices.BinarySearch(st.ids, r.id); ok {
		st.ids = slices.Delete(st.ids, i, i+1)
	}
}

// count returns the number of active (or archived) records.
func (st *store) count(archived bool) int {
	n := 0
	for _, r := range st.recs {
		if r.archived == archived {
			n++
		}
	}
	return n
}

// recordJSON is HubSpot's SimplePublicObject (+ upsert's new flag and the echoed
// objectWriteTraceId) (hubspot-api.md §4 Record shape; payloads contacts-*.json,
// batch-upsert-response.docs.json).
type recordJSON struct {
	ID                    string                `json:"id"`
	Properties            map[string]*string    `json:"properties"`
	PropertiesWithHistory map[string][]histJSON `json:"propertiesWithHistory,omitempty"`
	Associations          map[string]assocRefs  `json:"associations,omitempty"`
	CreatedAt             string                `json:"createdAt"`
	UpdatedAt             string                `json:"updatedAt"`
	Archived              bool                  `json:"archived"`
	ArchivedAt            string                `json:"archivedAt,omitempty"`
	New                   *bool                 `json:"new,omitempty"`
	ObjectWriteTraceID    string                `json:"objectWriteTraceId,omitempty"`
	URL                   string                `json:"url,omitempty"`
}

// selection says which properties a response carries.
type selection struct {
	all     bool     // every stored value (write responses)
	names   []string // requested names; nil means the type's defaults
	history []string // propertiesWithHistory
	assocs  []string // associations (object types), on GET and list only
}

// render builds the wire form of r. Requested properties with no value come
// back null and names that are not defined are silently left out
// (hubspot-api.md §4 Record shape; contacts-search-response-page1.json).
func (s *Server) render(st *store, r *record, sel selection, withURL bool) recordJSON {
	props := map[string]*string{}
	put := func(n string) {
		if v, ok := r.props[n]; ok {
			props[n] = &v
		} else if _, defined := st.props[n]; defined {
			props[n] = nil
		}
	}
	switch {
	case sel.all:
		for n, v := range r.props {
			props[n] = &v
		}
	case sel.names == nil:
		for _, n := range st.typ.defaults {
			put(n)
		}
	default:
		for _, n := range sel.names {
			put(n)
		}
		// The identity and timestamps always come back.
		put("hs_object_id")
		put(st.typ.created)
		put(st.typ.lastMod)
	}
	out := recordJSON{
		ID: strconv.FormatInt(r.id, 10), Properties: props,
		CreatedAt: isoTime(r.created), UpdatedAt: isoTime(r.updated), Archived: r.archived,
	}
	if r.archived {
		out.ArchivedAt = isoTime(r.archivedAt)
	}
	if len(sel.history) > 0 {
		out.PropertiesWithHistory = historyJSON(r, sel.history)
	}
	if len(sel.assocs) > 0 {
		if a := s.associationsJSON(st, r, sel.assocs); len(a) > 0 {
			out.Associations = a
		}
	}
	if withURL {
		out.URL = "https://app.hubspot.com/contacts/" + strconv.FormatInt(s.opts.PortalID, 10) +
			"/record/" + st.typ.id + "/" + out.ID
	}
	return out
}

// querySelection reads properties, propertiesWithHistory and associations.
func querySelection(q url.Values) selection {
	sel := selection{names: splitList(q["properties"]), history: splitList(q["propertiesWithHistory"]), assocs: splitList(q["associations"])}
	if len(sel.names) == 0 {
		sel.names = nil
	}
	return sel
}

// splitList splits a comma-separated query value, dropping empty names. It
// also accepts repeated parameters.
func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

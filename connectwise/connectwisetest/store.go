package connectwisetest

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Record is one stored ConnectWise record as the API renders it: a JSON object
// decoded into Go values (map[string]any, []any, string, float64, bool, nil).
// Records handed out by the Server are deep copies.
type Record = map[string]any

// collection holds the records of one resource, keyed by id.
type collection struct {
	def    *resourceDef
	recs   map[int]Record
	nextID int
}

func newCollection(def *resourceDef) *collection {
	start := def.firstID
	if start == 0 {
		start = 1
	}
	return &collection{def: def, recs: map[int]Record{}, nextID: start}
}

// sorted returns the records ordered by id (the API's default order).
func (c *collection) sorted() []Record {
	ids := slices.Sorted(maps.Keys(c.recs))
	out := make([]Record, 0, len(ids))
	for _, id := range ids {
		out = append(out, c.recs[id])
	}
	return out
}

// put stores rec under a new id unless it carries one; it returns the id.
func (c *collection) put(rec Record) int {
	id, ok := intOf(rec["id"])
	if !ok || id <= 0 {
		id = c.nextID
	}
	if id >= c.nextID {
		c.nextID = id + 1
	}
	rec["id"] = float64(id)
	c.recs[id] = rec
	return id
}

// cloneValue deep-copies a decoded JSON value.
func cloneValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = cloneValue(x)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, x := range t {
			s[i] = cloneValue(x)
		}
		return s
	default:
		return v
	}
}

// cloneRecord deep-copies a record.
func cloneRecord(r Record) Record {
	if r == nil {
		return nil
	}
	return cloneValue(r).(map[string]any)
}

// normalize round-trips v through JSON so that any Go value (structs, ints,
// typed maps) becomes the decoded form the store works with.
func normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// intOf reads an integer from a JSON number or a numeric string (the API accepts
// "13" for an id, payload contact-create-request.json).
func intOf(v any) (int, bool) {
	switch t := v.(type) {
	case float64:
		if t == math.Trunc(t) {
			return int(t), true
		}
	case int:
		return t, true
	case json.Number:
		n, err := strconv.Atoi(string(t))
		return n, err == nil
	case string:
		n, err := strconv.Atoi(strings.TrimSpace(t))
		return n, err == nil
	}
	return 0, false
}

// str returns v as a string when it is one.
func str(v any) string {
	s, _ := v.(string)
	return s
}

// obj returns v as a JSON object when it is one.
func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// info returns rec's _info object, creating it.
func info(rec Record) map[string]any {
	m := obj(rec["_info"])
	if m == nil {
		m = map[string]any{}
		rec["_info"] = m
	}
	return m
}

// lookupKey finds key in m case-insensitively, returning the stored spelling.
func lookupKey(m map[string]any, key string) (string, bool) {
	if _, ok := m[key]; ok {
		return key, true
	}
	for k := range m {
		if strings.EqualFold(k, key) {
			return k, true
		}
	}
	return "", false
}

package mapping

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// PatchOp is one ConnectWise PATCH operation. ConnectWise takes a bare JSON
// array of RFC 6902 style operations (connectwise-api.md §5, S12).
type PatchOp struct {
	Op    string `json:"op"`              // "add", "replace" or "remove"
	Path  string `json:"path"`            // JSON Pointer with a leading "/"
	Value any    `json:"value,omitempty"` // new value (add, replace)
}

// MarshalJSON writes "value" for add and replace even when it is null.
func (p PatchOp) MarshalJSON() ([]byte, error) {
	if p.Op == "remove" {
		return json.Marshal(struct {
			Op   string `json:"op"`
			Path string `json:"path"`
		}{p.Op, p.Path})
	}
	return json.Marshal(struct {
		Op    string `json:"op"`
		Path  string `json:"path"`
		Value any    `json:"value"`
	}{p.Op, p.Path, p.Value})
}

func customIDErr(f *field) error {
	return fmt.Errorf("%w: no id for custom field %q (not on the record; supply Lookups.SetCustomFields)", ErrNotWritable, f.cfCap)
}

// customID returns the ConnectWise id of a custom field: from an id
// selector, from the current record's customFields, or from Lookups.
func (o *Object) customID(f *field, current map[string]any, lk *Lookups) (any, bool) {
	if f.cfID != "" {
		return literal(f.cfID), true
	}
	arr, _ := current["customFields"].([]any)
	for _, el := range arr {
		m, ok := el.(map[string]any)
		if !ok {
			continue
		}
		if c, _ := m["caption"].(string); c == f.cfCap {
			if id, ok := m["id"]; ok && id != nil {
				return id, true
			}
		}
	}
	if id, ok := lk.customFieldID(o.connectwise, f.cfCap); ok {
		return id, true
	}
	return nil, false
}

// Patch returns the ConnectWise PATCH operations that make the current
// ConnectWise record hold the HubSpot-form values v, for the fields flowing
// toward ConnectWise (all of them, or only those named in fields). A field
// whose current value already projects to the same canonical value yields
// no operation, so writing back what was just read is a no-op.
//
// Operation forms: "replace /name" for top-level fields; "replace /status"
// with a new reference object for nested paths ({"name": "Won"}); for
// selected array elements "replace /communicationItems/2/value", an "add"
// at the end of the array for a missing element, and "remove" when the
// value is cleared; custom fields are collected into one "replace
// /customFields" operation of {id, value} entries (connectwise-api.md §5,
// §7). Replaces and adds come first, then removes in descending index order
// (S11), then the custom-field operation. Unless BareCustomFieldsPatch is
// set, a non-empty patch of a record that has custom fields always carries
// the "/customFields" operation, empty if need be (S11 write.go).
//
// Fields that fail to convert are reported as RecordErrors next to the
// operations of the fields that did convert; the caller decides whether to
// apply a partial patch. Keys are escaped as JSON Pointer tokens (RFC 6901).
func (o *Object) Patch(v Values, current map[string]any, lk *Lookups, fields []string) ([]PatchOp, error) {
	env := Env{Lookups: lk, ConnectWise: current, HubSpot: v}
	var only map[string]bool
	if fields != nil {
		only = make(map[string]bool, len(fields))
		for _, n := range fields {
			only[n] = true
		}
	}
	id := v["hs_object_id"]
	if id == "" {
		id = cwID(current)
	}
	var (
		errs    RecordErrors
		ops     []PatchOp
		removes []removal
		nested  map[string]map[string]any
		adds    map[string]int // selector -> index into ops
		added   map[string]int // array key -> elements appended
		custom  []any
		hasCust bool
	)
	for _, f := range o.fields {
		if f.dir == Off || !f.dir.toCW() || f.shape == shapeNone || !f.revOK || (only != nil && !only[f.prop]) {
			continue
		}
		want := v[f.prop]
		if f.norm != nil && want != "" {
			n, err := f.norm(want)
			if err != nil {
				errs = append(errs, o.fieldErr(id, f, want, err))
				continue
			}
			want = n
		}
		cwv, err := f.reverse(v, &env)
		if err != nil {
			errs = append(errs, o.fieldErr(id, f, want, err))
			continue
		}
		cur, curOK := f.path.Get(current)
		if f.fwdOK {
			have, _, _, err := f.forward(current, &env)
			if err == nil && have == want {
				continue
			}
		} else if sameScalar(cur, curOK, cwv) {
			continue
		}
		switch f.shape {
		case shapeTop:
			ops = append(ops, PatchOp{Op: "replace", Path: "/" + ptr(f.path.segs[0].key), Value: cwv})
		case shapeTopArray:
			ops = append(ops, PatchOp{Op: "replace", Path: "/" + ptr(f.path.segs[0].key) + "/" + strconv.Itoa(f.path.segs[0].index), Value: cwv})
		case shapeNested:
			top := ptr(f.path.segs[0].key)
			obj, ok := nested[top]
			if !ok {
				obj = map[string]any{}
				if nested == nil {
					nested = map[string]map[string]any{}
				}
				nested[top] = obj
				ops = append(ops, PatchOp{Op: "replace", Path: "/" + top})
			}
			if cwv != nil {
				_ = f.rest.Set(obj, cwv) // rest has no arrays (classify)
			}
		case shapeElement:
			seg := f.path.segs[0]
			arr, _ := current[seg.key].([]any)
			i := seg.find(arr)
			switch {
			case i >= 0 && cwv == nil:
				r := removal{seg.key, i}
				if !slices.Contains(removes, r) {
					removes = append(removes, r)
				}
			case i >= 0:
				ops = append(ops, PatchOp{Op: "replace", Path: "/" + ptr(seg.key) + "/" + strconv.Itoa(i) + f.rest.pointer(), Value: cwv})
			case cwv != nil:
				sel := Path{segs: f.path.segs[:1]}.canonical()
				k, ok := adds[sel]
				if !ok {
					if adds == nil {
						adds, added = map[string]int{}, map[string]int{}
					}
					el := seg.newElement()
					ops = append(ops, PatchOp{Op: "add", Path: "/" + ptr(seg.key) + "/" + strconv.Itoa(len(arr)+added[seg.key]), Value: el})
					added[seg.key]++
					k = len(ops) - 1
					adds[sel] = k
				}
				_ = f.rest.Set(ops[k].Value.(map[string]any), cwv)
			}
		case shapeCustom:
			cid, ok := o.customID(f, current, lk)
			if !ok {
				errs = append(errs, o.fieldErr(id, f, nil, customIDErr(f)))
				continue
			}
			hasCust = true
			custom = append(custom, map[string]any{"id": cid, "value": cwv})
		}
	}
	// Fill nested reference objects; a reference whose mapped parts are all
	// cleared is replaced by null.
	for i := range ops {
		if ops[i].Op == "replace" && ops[i].Value == nil {
			if obj, ok := nested[ops[i].Path[1:]]; ok && len(obj) > 0 {
				ops[i].Value = obj
			}
		}
	}
	sort.SliceStable(removes, func(a, b int) bool { return removes[a].idx > removes[b].idx })
	for _, r := range removes {
		ops = append(ops, PatchOp{Op: "remove", Path: "/" + ptr(r.key) + "/" + strconv.Itoa(r.idx)})
	}
	if !hasCust && len(ops) > 0 && !o.bareCF {
		if arr, ok := current["customFields"].([]any); ok && len(arr) > 0 {
			hasCust, custom = true, []any{}
		}
	}
	if hasCust {
		ops = append(ops, PatchOp{Op: "replace", Path: "/customFields", Value: custom})
	}
	return ops, errs.orNil()
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// ptr escapes a key as a JSON Pointer token.
func ptr(key string) string { return pointerEscaper.Replace(key) }

// pointer renders a path without selectors as JSON Pointer tokens, each
// preceded by "/".
func (p Path) pointer() string {
	var b strings.Builder
	for _, s := range p.segs {
		b.WriteByte('/')
		b.WriteString(ptr(s.key))
	}
	return b.String()
}

type removal struct {
	key string
	idx int
}

// sameScalar compares a current ConnectWise value with a new one by their
// string forms (used when a field has no forward projection).
func sameScalar(cur any, curOK bool, next any) bool {
	if !curOK || cur == nil {
		s, _ := next.(string)
		return next == nil || s == ""
	}
	if next == nil {
		s, _ := cur.(string)
		return s == ""
	}
	a, okA := scalarString(cur)
	b, okB := scalarString(next)
	return okA && okB && a == b
}

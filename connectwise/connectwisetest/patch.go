package connectwisetest

import (
	"fmt"
	"strconv"
	"strings"
)

// PatchOp is one operation of a PATCH body, a bare JSON array of RFC 6902
// style operations: [{"op":"replace","path":"status","value":{"id":123}}]
// (connectwise-api.md §5). Paths are accepted with and without a leading "/".
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

func patchError(field, msg string) FieldError {
	return FieldError{Code: "InvalidField", Message: msg, Field: field}
}

// applyPatch applies ops to w.rec in order. Semantics (connectwise-api.md §5):
//   - replace and add set a field; remove clears it;
//   - "add" into an array (communicationItems/3, communicationItems/-)
//     appends, whatever index is given (CW "appends even if index 0 is given");
//   - a path into a reference ("status/id") re-resolves the reference;
//   - "/customFields" replace merges by id: entries not sent keep their
//     values and an empty array changes nothing (§7).
//
// Errors in the operations themselves are reported like validation errors;
// their exact text is not recorded in the reference.
func applyPatch(w *write, ops []PatchOp) error {
	d := w.def
	var errs []FieldError
	for _, op := range ops {
		path := strings.Trim(op.Path, "/")
		segs := strings.Split(path, "/")
		top, ok := d.fieldSet[strings.ToLower(segs[0])]
		if path == "" || !ok || top == "id" || top == "_info" {
			errs = append(errs, patchError(segs[0], fmt.Sprintf("The field %s cannot be patched: it is not a field of %s.", path, d.object)))
			continue
		}
		segs[0] = top
		w.touched[top] = true
		kind := strings.ToLower(op.Op)
		switch kind {
		case "replace", "add":
			if top == "customFields" && len(segs) == 1 {
				w.rec["customFields+"] = op.Value // merged in applyCustomFields
				continue
			}
			if err := setPath(w.rec, segs, cloneValue(op.Value), kind == "add"); err != "" {
				errs = append(errs, patchError(path, err))
			}
		case "remove":
			if err := removePath(w.rec, segs); err != "" {
				errs = append(errs, patchError(path, err))
			}
		default:
			errs = append(errs, patchError(path, fmt.Sprintf("The operation %q is not supported; use add, replace or remove.", op.Op)))
		}
		if _, isRef := d.refs[top]; isRef && len(segs) == 2 {
			// Keep only the key that was set so the reference re-resolves by it.
			if m := obj(w.rec[top]); m != nil {
				w.rec[top] = map[string]any{segs[1]: m[segs[1]]}
			}
		}
	}
	if len(errs) > 0 {
		return invalidObject(d.object, errs)
	}
	return nil
}

func setPath(rec map[string]any, segs []string, v any, add bool) string {
	var cur any = rec
	for i, seg := range segs {
		last := i == len(segs)-1
		switch t := cur.(type) {
		case map[string]any:
			if last {
				t[seg] = v
				return ""
			}
			next, ok := t[seg]
			if !ok || next == nil {
				if _, isIdx := arrayIndex(segs[i+1]); isIdx {
					next = []any{}
				} else {
					next = map[string]any{}
				}
				t[seg] = next
			}
			if arr, ok := next.([]any); ok && i+2 == len(segs) && add {
				t[seg] = append(arr, v)
				return ""
			}
			cur = next
		case []any:
			idx, ok := arrayIndex(seg)
			if !ok || idx < 0 || idx >= len(t) {
				return fmt.Sprintf("Index %s is out of range.", seg)
			}
			if last {
				t[idx] = v
				return ""
			}
			cur = t[idx]
		default:
			return fmt.Sprintf("%s is not an object.", strings.Join(segs[:i], "/"))
		}
	}
	return ""
}

func removePath(rec map[string]any, segs []string) string {
	var parent any = rec
	for i := 0; i < len(segs)-1; i++ {
		switch t := parent.(type) {
		case map[string]any:
			parent = t[segs[i]]
		case []any:
			idx, ok := arrayIndex(segs[i])
			if !ok || idx < 0 || idx >= len(t) {
				return fmt.Sprintf("Index %s is out of range.", segs[i])
			}
			parent = t[idx]
		default:
			return "The path does not exist."
		}
	}
	last := segs[len(segs)-1]
	switch t := parent.(type) {
	case map[string]any:
		delete(t, last)
	case []any:
		idx, ok := arrayIndex(last)
		if !ok || idx < 0 || idx >= len(t) {
			return fmt.Sprintf("Index %s is out of range.", last)
		}
		// Rebuild the parent array without idx.
		arr := append(t[:idx:idx], t[idx+1:]...)
		return replaceArray(rec, segs[:len(segs)-1], arr)
	default:
		return "The path does not exist."
	}
	return ""
}

func replaceArray(rec map[string]any, segs []string, arr []any) string {
	if len(segs) == 1 {
		rec[segs[0]] = arr
		return ""
	}
	return setPath(rec, segs, arr, false)
}

func arrayIndex(seg string) (int, bool) {
	if seg == "-" {
		return 1 << 30, true
	}
	n, err := strconv.Atoi(seg)
	return n, err == nil
}

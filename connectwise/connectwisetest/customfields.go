package connectwisetest

import (
	"fmt"
	"strconv"
	"strings"
)

// udfsFor returns the customFields entries every record of a screen carries:
// all defined fields, unset ones with "value": null, List fields with their
// default option applied (payload contacts-list-one-with-customfields.json:
// is_synced is "false" because that option is the default). The caller holds
// s.mu.
func (s *Server) udfsFor(screen string) []any {
	var out []any
	row := map[float64]int{}
	for _, u := range s.coll("system/userDefinedFields").sorted() {
		if !strings.EqualFold(str(u["screenId"]), screen) {
			continue
		}
		var val any
		for _, o := range asSlice(u["options"]) {
			if om := obj(o); om != nil && om["defaultFlag"] == true {
				val = om["optionValue"]
			}
		}
		pod, _ := u["podId"].(float64)
		row[pod]++
		out = append(out, map[string]any{
			"id":                    u["id"],
			"caption":               u["caption"],
			"type":                  u["fieldTypeIdentifier"],
			"entryMethod":           u["entryTypeIdentifier"],
			"numberOfDecimals":      u["numberDecimals"],
			"value":                 val,
			"connectWiseId":         u["connectWiseID"],
			"rowNum":                float64(row[pod]),
			"userDefinedFieldRecId": u["id"],
			"podId":                 podName(str(u["podDescription"])),
		})
	}
	return out
}

// udfPath is the collection of custom field definitions.
const udfPath = "system/userDefinedFields"

// resyncUDFs brings the customFields array of every stored record in line
// with the definitions after one was added, changed or deleted: every record
// carries every defined field of its screen (connectwise-api.md §7: "All
// defined fields are returned even when empty"), so a field defined after
// records exist appears on them with its default, a changed definition keeps
// the values stored, and a deleted one disappears. The caller holds s.mu.
func (s *Server) resyncUDFs() {
	for _, d := range s.defs {
		if d.udfScreen == "" {
			continue
		}
		defined := s.udfsFor(d.udfScreen)
		for _, rec := range s.coll(d.path).recs {
			stored := asSlice(rec["customFields"])
			fields := make([]any, 0, len(defined))
			for _, e := range defined {
				f := cloneValue(e).(map[string]any)
				if old := findCustomField(stored, map[string]any{"id": f["id"]}); old != nil {
					f["value"] = old["value"]
				}
				fields = append(fields, f)
			}
			rec["customFields"] = fields
		}
	}
}

// podName turns "Contact Overview" into the record form "contact_overview".
func podName(desc string) string {
	return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(desc)), " ", "_")
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// applyCustomFields maintains the customFields array of a write: creates get
// every defined field; PUT and PATCH merge the entries sent by id into the
// stored ones, so an entry not sent keeps its value and an empty array clears
// nothing (connectwise-api.md §5, §7, amp-labs write.go). Values are coerced
// to the field type (Number: number, Checkbox: boolean, others: string). The
// caller holds s.mu.
func (s *Server) applyCustomFields(w *write) []FieldError {
	var base []any
	var sent any
	switch w.kind {
	case opCreate:
		base = s.udfsFor(w.def.udfScreen)
		sent = w.rec["customFields"]
	case opPut:
		base = asSlice(cloneValue(w.old["customFields"]))
		sent = w.rec["customFields"]
	case opPatch:
		base = asSlice(w.rec["customFields"])
		sent = w.rec["customFields+"]
		delete(w.rec, "customFields+")
	}
	if base == nil {
		base = []any{}
	}
	var errs []FieldError
	for _, e := range asSlice(sent) {
		m := obj(e)
		if m == nil {
			continue
		}
		target := findCustomField(base, m)
		if target == nil {
			key := m["id"]
			if key == nil {
				key = m["caption"]
			}
			errs = append(errs, FieldError{
				Code: "NotFound", Message: fmt.Sprintf("customField %v not found", key), Field: "customFields/id",
			})
			continue
		}
		v, ok := coerceUDF(str(target["type"]), m["value"])
		if !ok {
			errs = append(errs, invalidField("customFields/value",
				fmt.Sprintf("The value of custom field %v (%s) must be a %s.", target["caption"], str(target["type"]), udfKind(str(target["type"])))))
			continue
		}
		target["value"] = v
	}
	// Patching customFields/N/value directly also coerces.
	for _, e := range base {
		if m := obj(e); m != nil {
			if v, ok := coerceUDF(str(m["type"]), m["value"]); ok {
				m["value"] = v
			}
		}
	}
	w.rec["customFields"] = base
	return errs
}

func findCustomField(base []any, m map[string]any) map[string]any {
	id, hasID := intOf(m["id"])
	cap := str(m["caption"])
	for _, e := range base {
		t := obj(e)
		if t == nil {
			continue
		}
		if hasID {
			if tid, _ := intOf(t["id"]); tid == id {
				return t
			}
		} else if cap != "" && strings.EqualFold(str(t["caption"]), cap) {
			return t
		}
	}
	return nil
}

func udfKind(typ string) string {
	switch typ {
	case "Number", "Currency", "Percent":
		return "number"
	case "Checkbox":
		return "boolean"
	}
	return "string"
}

// coerceUDF converts v to the JSON type records carry for a field type.
func coerceUDF(typ string, v any) (any, bool) {
	if v == nil {
		return nil, true
	}
	switch udfKind(typ) {
	case "number":
		switch t := v.(type) {
		case float64:
			return t, true
		case string:
			if strings.TrimSpace(t) == "" {
				return nil, true
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
			return f, err == nil
		}
		return nil, false
	case "boolean":
		switch t := v.(type) {
		case bool:
			return t, true
		case string:
			b, err := strconv.ParseBool(t)
			return b, err == nil
		}
		return nil, false
	}
	if t, ok := asText(v); ok {
		return t, true
	}
	return nil, false
}

package connectwise

import (
	"encoding/json"
	"fmt"
	"strings"
)

// PatchOp is one JSON Patch (RFC 6902) operation as ConnectWise takes it:
// [{"op":"replace","path":"status","value":{"id":123}}] (connectwise-api.md §5, S12).
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value any    `json:"value"`
}

// MarshalJSON omits value for remove and keeps an explicit null for add and replace
// (replacing with null clears a field).
func (p PatchOp) MarshalJSON() ([]byte, error) {
	if p.Op == "remove" {
		return json.Marshal(struct {
			Op   string `json:"op"`
			Path string `json:"path"`
		}{p.Op, p.Path})
	}
	type plain PatchOp
	return json.Marshal(plain(p))
}

// Replace sets path to value. Paths take the record's JSON names, with or without a
// leading slash ("/firstName", "status", "/communicationItems/1/value").
func Replace(path string, value any) PatchOp {
	return PatchOp{Op: "replace", Path: normPatchPath(path), Value: value}
}

// Add adds value at path; for arrays the server appends
// ("CW appends even if index 0 is given", S11).
func Add(path string, value any) PatchOp {
	return PatchOp{Op: "add", Path: normPatchPath(path), Value: value}
}

// Remove removes path.
func Remove(path string) PatchOp { return PatchOp{Op: "remove", Path: normPatchPath(path)} }

func normPatchPath(p string) string {
	if p == "" || strings.HasPrefix(p, "/") {
		return p
	}
	return "/" + p
}

func validatePatch(ops []PatchOp) error {
	if len(ops) == 0 {
		return &ConfigError{Field: "Patch", Reason: "no operations"}
	}
	for i, op := range ops {
		switch op.Op {
		case "add", "replace", "remove":
		default:
			return &ConfigError{Field: fmt.Sprintf("Patch[%d].op", i), Reason: fmt.Sprintf("%q is not add, replace or remove", op.Op)}
		}
		if strings.Trim(op.Path, "/") == "" {
			return &ConfigError{Field: fmt.Sprintf("Patch[%d].path", i), Reason: "empty"}
		}
	}
	return nil
}

func allReplace(ops []PatchOp) bool {
	for _, op := range ops {
		if op.Op != "replace" {
			return false
		}
	}
	return true
}

// customFieldsPaths are the collections whose records carry customFields, after
// amp-labs' list of ConnectWise objects that return them (connectwise-api.md §7, S11
// custom.go objectsSupportingCustomFields): a path matches when it equals an entry or
// ends with "/" and the entry ("catalog" matches "procurement/catalog").
var customFieldsPaths = []string{
	"activities", "adjustments", "agreements", "catalog", "companies", "configurations",
	"contacts", "expense/entries", "finance/companyFinance", "invoices", "orders",
	"products", "project/tickets", "projects", "purchaseorders", "rmaTags",
	"sales/opportunities", "service/tickets", "system/members", "system/membertemplates",
	"time/entries",
}

// hasCustomFields reports whether records of path carry customFields.
func hasCustomFields(path string) bool {
	path = strings.Trim(path, "/")
	for _, p := range customFieldsPaths {
		if path == p || strings.HasSuffix(path, "/"+p) {
			return true
		}
	}
	return false
}

// withCustomFieldsOp returns ops with an empty "/customFields" replace appended when
// records of path carry custom fields and no operation replaces /customFields
// (connectwise-api.md §5, S11). ops itself is not modified.
func withCustomFieldsOp(path string, ops []PatchOp) []PatchOp {
	if !hasCustomFields(path) {
		return ops
	}
	for _, op := range ops {
		if op.Op == "replace" && strings.EqualFold(strings.Trim(op.Path, "/"), "customFields") {
			return ops
		}
	}
	out := make([]PatchOp, len(ops), len(ops)+1)
	copy(out, ops)
	return append(out, Replace("/customFields", []CustomFieldValue{}))
}

package hubspottest

import (
	"net/http"
	"slices"
	"strings"
)

// allScopes are the scopes the fake checks; tokens hold all of them unless
// Options.Scopes or OAuthOptions.Scopes say otherwise (hubspot-api.md §1 Scopes).
var allScopes = []string{
	"oauth",
	"crm.objects.contacts.read", "crm.objects.contacts.write",
	"crm.objects.companies.read", "crm.objects.companies.write",
	"crm.objects.deals.read", "crm.objects.deals.write",
	"tickets", "e-commerce",
	"crm.objects.products.read", "crm.objects.products.write",
	"crm.objects.line_items.read", "crm.objects.line_items.write",
	"crm.objects.custom.read", "crm.objects.custom.write",
	"crm.schemas.contacts.read", "crm.schemas.contacts.write",
	"crm.schemas.companies.read", "crm.schemas.companies.write",
	"crm.schemas.deals.read", "crm.schemas.deals.write",
	"crm.schemas.tickets.write", "crm.schemas.custom.read", "crm.schemas.custom.write",
	"crm.objects.owners.read", "crm.lists.read", "crm.lists.write",
}

// objectScopes returns the scopes that allow reading or writing records of t:
// crm.objects.<type>.read/.write; tickets use the legacy "tickets" scope,
// products and line items "e-commerce" or their own object scopes, custom objects
// crm.objects.custom.* (spec: CRM Objects 2026-09 security lists).
func objectScopes(t *objectType, write bool) []string {
	verb := ".read"
	if write {
		verb = ".write"
	}
	switch t.name {
	case "contacts", "companies", "deals":
		return []string{"crm.objects." + t.name + verb}
	case "tickets":
		return []string{"tickets"}
	case "products", "line_items":
		return []string{"e-commerce", "crm.objects." + t.name + verb}
	}
	return []string{"crm.objects.custom" + verb}
}

// schemaScopes: reading definitions takes the object read scope or
// crm.schemas.<obj>.read; creating and updating takes crm.schemas.<obj>.write
// (or "tickets"; hubspot-api.md §1 Scopes table).
func schemaScopes(t *objectType, write bool) []string {
	name := t.name
	if _, custom := map[string]bool{"contacts": true, "companies": true, "deals": true, "tickets": true}[name]; !custom {
		name = "custom"
	}
	if write {
		s := []string{"crm.schemas." + name + ".write"}
		if t.name == "tickets" {
			s = append(s, "tickets")
		}
		return s
	}
	return append(objectScopes(t, false), "crm.schemas."+name+".read")
}

// requiredScopes returns the scopes of which one is needed for a call (empty:
// none). Callers must not hold s.mu.
func (s *Server) requiredScopes(op string, r *http.Request) []string {
	write := r.Method != http.MethodGet
	switch {
	case op == OpBatchRead || op == OpSearch:
		write = false
	case op == OpAssocRead:
		write = false
	}
	typeOf := func(name string) *objectType {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.types[strings.ToLower(name)]
	}
	switch {
	case strings.HasPrefix(op, "objects."):
		if t := typeOf(r.PathValue("objectType")); t != nil {
			return objectScopes(t, write)
		}
	case op == OpProperties:
		if t := typeOf(r.PathValue("objectType")); t != nil {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/batch/read") {
				write = false
			}
			return schemaScopes(t, write)
		}
	case strings.HasPrefix(op, "associations."):
		if t := typeOf(r.PathValue("fromType")); t != nil {
			return objectScopes(t, write)
		}
	case op == OpOwners:
		return []string{"crm.objects.owners.read"}
	case op == OpPipelines:
		if t := typeOf(r.PathValue("objectType")); t != nil {
			return objectScopes(t, false)
		}
	case op == OpLists:
		if write {
			return []string{"crm.lists.write"}
		}
		return []string{"crm.lists.read"}
	}
	return nil
}

// checkScopes answers 403 MISSING_SCOPES, in the image of error-403-missing-scopes.json,
// when the token holds none of the required scopes.
func checkScopes(w http.ResponseWriter, granted, required []string) bool {
	if granted == nil || len(required) == 0 {
		return true
	}
	for _, want := range required {
		if slices.Contains(granted, want) {
			return true
		}
	}
	writeError(w, http.StatusForbidden, apiError{
		Message:  "One or more of the following scopes are required.",
		Context:  map[string][]string{"requiredGranularScopes": required, "links": {"https://developers.hubspot.com/scopes"}},
		Category: "MISSING_SCOPES",
	})
	return false
}

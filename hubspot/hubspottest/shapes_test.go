package hubspottest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dataMaps hold data keyed by name (property names, context keys) rather than
// schema fields; their keys are not part of a shape.
var dataMaps = map[string]bool{"properties": true, "context": true, "metadata": true, "propertiesWithHistory": true, "associations": true}

// shape lists the JSON paths of v: "results[].id", "paging.next.after", ….
func shape(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := prefix + "." + k
			out[p] = true
			if !dataMaps[k] {
				shape(e, p, out)
			}
		}
	case []any:
		for _, e := range x {
			shape(e, prefix+"[]", out)
		}
	}
}

func shapeOf(t *testing.T, raw []byte) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(raw, &v), string(raw))
	m := map[string]bool{}
	shape(v, "", m)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestResponseShapes compares the fake's responses with fixtures written in the
// image of the recorded HubSpot payloads (reference payloads, SOURCES.md): the
// same JSON paths, no more and no fewer.
func TestResponseShapes(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now, RateLimits: RateLimits{Enforce: true, Daily: 1000}})
	limited := NewServer(t, Options{RateLimits: RateLimits{Enforce: true, Daily: 1}})
	scoped := NewServer(t, Options{Scopes: []string{"oauth"}})
	existing := mustCreate(t, s, "contacts", map[string]string{"email": "taken@example.org"})
	mustCreate(t, s, "contacts", map[string]string{"email": "second@example.org"})
	company := mustCreate(t, s, "companies", map[string]string{"name": "C"})
	lonely := mustCreate(t, s, "contacts", map[string]string{"email": "lonely@example.org"})
	require.NoError(t, s.Associate("contacts", existing, "companies", company, 1))
	require.NoError(t, s.CreatePropertyGroup("contacts", PropertyGroup{Name: "g", Label: "G"}))
	s.TakeEvents()

	in := func(trace, email string) map[string]any {
		m := map[string]any{"properties": map[string]string{"email": email}}
		if trace != "" {
			m["objectWriteTraceId"] = trace
		}
		return m
	}
	tests := []struct {
		fixture string
		status  int
		do      func() resp
	}{
		{"batch-create-201.json", 201, func() resp {
			return call(t, s, "POST", "/crm/v3/objects/contacts/batch/create", map[string]any{"inputs": []any{in("", "n1@example.org")}})
		}},
		{"batch-create-207-conflict.json", 207, func() resp {
			return call(t, s, "POST", "/crm/v3/objects/contacts/batch/create", map[string]any{"inputs": []any{in("a", "taken@example.org"), in("b", "n2@example.org")}})
		}},
		{"error-409-conflict.json", 409, func() resp {
			return call(t, s, "POST", "/crm/v3/objects/contacts/batch/create", map[string]any{"inputs": []any{in("", "taken@example.org")}})
		}},
		{"error-400-validation.json", 400, func() resp {
			return call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]string{"nope": "x"}})
		}},
		{"batch-update-207-notfound.json", 207, func() resp {
			return call(t, s, "POST", "/crm/v3/objects/contacts/batch/update", map[string]any{"inputs": []any{
				map[string]any{"id": existing, "properties": map[string]string{"firstname": "Z"}}, map[string]any{"id": "999", "properties": map[string]string{}}}})
		}},
		{"error-400-duplicate-ids.json", 400, func() resp {
			return call(t, s, "POST", "/crm/v3/objects/contacts/batch/update", map[string]any{"inputs": []any{
				map[string]any{"id": existing, "properties": map[string]string{}}, map[string]any{"id": existing, "properties": map[string]string{}}}})
		}},
		{"list-paging.json", 200, func() resp { return call(t, s, "GET", "/crm/v3/objects/contacts?limit=1&properties=email", nil) }},
		{"search-page.json", 200, func() resp {
			return call(t, s, "POST", "/crm/v3/objects/contacts/search", map[string]any{"limit": 1, "properties": []string{"email", "phone"}})
		}},
		{"search-lastpage.json", 200, func() resp {
			return call(t, s, "POST", "/crm/v3/objects/companies/search", map[string]any{"properties": []string{"name"}})
		}},
		{"error-400-invalid-object-type.json", 400, func() resp { return call(t, s, "GET", "/crm/v3/objects/moths", nil) }},
		{"error-403-missing-scopes.json", 403, func() resp { return call(t, scoped, "GET", "/crm/v3/objects/deals", nil) }},
		{"error-429.json", 429, func() resp {
			call(t, limited, "GET", "/crm/v3/owners", nil)
			return call(t, limited, "GET", "/crm/v3/owners", nil)
		}},
		{"owners.json", 200, func() resp { return call(t, s, "GET", "/crm/v3/owners?email=sam.sales@example.com", nil) }},
		{"pipelines.json", 200, func() resp { return call(t, s, "GET", "/crm/v3/pipelines/deals", nil) }},
		{"assoc-create.json", 200, func() resp {
			return call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/associate/default", map[string]any{"inputs": []any{
				map[string]any{"from": map[string]string{"id": lonely}, "to": map[string]string{"id": company}}}})
		}},
		{"assoc-create-errors.json", 207, func() resp {
			return call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/create", map[string]any{"inputs": []any{assocInput("x", company, 279)}})
		}},
		{"assoc-read.json", 207, func() resp {
			n := mustCreate(t, s, "contacts", map[string]string{"email": "none@example.org"})
			return call(t, s, "POST", "/crm/v4/associations/contacts/companies/batch/read", map[string]any{"inputs": []any{map[string]string{"id": existing}, map[string]string{"id": n}}})
		}},
		{"property-batch-create-207.json", 207, func() resp {
			return call(t, s, "POST", "/crm/v3/properties/contacts/batch/create", map[string]any{"inputs": []any{
				map[string]any{"name": "n", "label": "N", "type": "number", "fieldType": "number", "groupName": "g"},
				map[string]any{"name": "email", "label": "E", "type": "string", "fieldType": "text", "groupName": "g"}}})
		}},
		{"property-group.json", 201, func() resp {
			return call(t, s, "POST", "/crm/v3/properties/contacts/groups", map[string]any{"name": "h", "label": "H"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("testdata", "shapes", tt.fixture))
			require.NoError(t, err)
			r := tt.do()
			require.Equal(t, tt.status, r.Status, string(r.Raw))
			assert.Equal(t, shapeOf(t, want), shapeOf(t, r.Raw))
		})
	}
	t.Run("webhook-events.json", func(t *testing.T) {
		clk.Add(time.Second)
		call(t, s, "PATCH", "/crm/v3/objects/contacts/"+existing, map[string]any{"properties": map[string]string{"firstname": "Q"}})
		evs := s.TakeEvents()
		raw, err := json.Marshal(evs[len(evs)-1:])
		require.NoError(t, err)
		want, err := os.ReadFile(filepath.Join("testdata", "shapes", "webhook-events.json"))
		require.NoError(t, err)
		assert.Equal(t, shapeOf(t, want), shapeOf(t, raw))
	})
}

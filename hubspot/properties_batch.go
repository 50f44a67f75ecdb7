package hubspot

import (
	"context"
	"strconv"
)

// BatchCreate creates property definitions, 100 per request (the reference gives
// no figure for property batches, so the general batch limit applies;
// hubspot-api.md §4, §6). A name that already exists is reported in a *BatchError
// (OBJECT_ALREADY_EXISTS, unwrapping to ErrConflict) while the others are created
// (payload properties-batch-create-207-exists). Definitions that are incomplete or
// repeat an earlier name are rejected before sending. Creating is not repeated
// after a 5xx or transport error: use EnsureProperty where set-up must be
// idempotent.
func (s *PropertiesService) BatchCreate(ctx context.Context, objectType string, defs []*PropertyCreate) ([]*Property, *Response, error) {
	b := newBatchCall(s.client, "batch create properties of "+objectType, len(defs))
	items := make([]batchItem, 0, len(defs))
	seen := make(map[string]int, len(defs))
	for i, d := range defs {
		if err := d.validate(); err != nil {
			if ie, ok := err.(*InputError); ok {
				ie.Index = i
			}
			name := ""
			if d != nil {
				name = d.Name
			}
			b.fail(i, name, "", err)
			continue
		}
		if j, dup := seen[d.Name]; dup {
			b.reject(i, d.Name, "name", "duplicates input "+strconv.Itoa(j))
			continue
		}
		seen[d.Name] = i
		items = append(items, batchItem{index: i, id: d.Name})
	}
	var body struct {
		Inputs []*PropertyCreate `json:"inputs"`
	}
	out := sendChunks[*PropertyCreate, *Property](ctx, b, s.client.paths.properties(objectType, "batch", "create"), nil, items, MaxBatchInputs, &body, &body.Inputs,
		func(it batchItem) *PropertyCreate { return defs[it.index] })
	return out, b.resp, b.result()
}

// BatchArchive archives property definitions by name, 100 per request. HubSpot
// answers 204 "regardless of the initial state" (hubspot-api.md §6), so unknown
// names are not reported; repeating is harmless and retried.
func (s *PropertiesService) BatchArchive(ctx context.Context, objectType string, names []string) (*Response, error) {
	b := newBatchCall(s.client, "batch archive properties of "+objectType, len(names))
	items := keyItems(b, names, "name")
	type input struct {
		Name string `json:"name"`
	}
	var body struct {
		Inputs []input `json:"inputs"`
	}
	sendChunks[input, struct{}](idempotent(ctx), b, s.client.paths.properties(objectType, "batch", "archive"), nil, items, MaxBatchInputs, &body, &body.Inputs,
		func(it batchItem) input { return input{it.id} })
	return b.resp, b.result()
}

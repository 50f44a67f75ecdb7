package hubspot

import (
	"context"
	"net/url"
	"strconv"
)

// BatchReadOptions selects what BatchRead returns.
type BatchReadOptions struct {
	Properties            []string
	PropertiesWithHistory []string
	// IDProperty makes the ids values of this unique property.
	IDProperty string
	// Archived reads only archived records (the archived query parameter, spec).
	Archived bool
}

// BatchRead reads records by id (or by a unique IDProperty), 100 per request
// (batch/read cannot return associations; hubspot-api.md §4). Records HubSpot does
// not find are reported in a *BatchError (unwrapping to ErrNotFound) next to the
// records it found. Duplicate or empty ids are rejected before sending.
func (s *ObjectsService) BatchRead(ctx context.Context, ids []string, opts *BatchReadOptions) ([]*Object, *Response, error) {
	b := newBatchCall(s.client, "batch read "+s.objectType, len(ids))
	items := keyItems(b, ids, "id")
	var o BatchReadOptions
	if opts != nil {
		o = *opts
	}
	q := url.Values{}
	if o.Archived {
		q.Set("archived", "true")
	}
	type input struct {
		ID string `json:"id"`
	}
	body := struct {
		Properties            []string `json:"properties"`
		PropertiesWithHistory []string `json:"propertiesWithHistory"`
		IDProperty            string   `json:"idProperty,omitempty"`
		Inputs                []input  `json:"inputs"`
	}{Properties: nonNil(o.Properties), PropertiesWithHistory: nonNil(o.PropertiesWithHistory), IDProperty: o.IDProperty}
	path := s.client.paths.objects(s.objectType, "batch", "read")
	out := sendChunks[input, *Object](idempotent(ctx), b, path, q, items, MaxBatchInputs, &body, &body.Inputs,
		func(it batchItem) input { return input{it.id} })
	return out, b.resp, b.result()
}

// sendChunks sends items in requests of at most size inputs: for each
// chunk it refills *inputs (a field of body) through build, posts body, and keeps
// the results and the chunk's 207 errors. It stops where b.send says to.
func sendChunks[In, Out any](ctx context.Context, b *batchCall, path string, q url.Values, items []batchItem, size int, body any, inputs *[]In, build func(batchItem) In) []Out {
	*inputs = make([]In, 0, min(len(items), size))
	out := make([]Out, 0, len(items))
	for _, chunk := range chunks(items, size) {
		*inputs = (*inputs)[:0]
		for _, it := range chunk {
			*inputs = append(*inputs, build(it))
		}
		var ans batchAnswer[Out]
		ok, stop := b.send(ctx, path, q, body, &ans, chunk)
		if ok {
			out = append(out, ans.Results...)
			b.mapErrors(ans.Errors, chunk, b.resp.Request, b.resp.StatusCode)
		}
		if stop {
			break
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// BatchCreateInput is one record to create.
type BatchCreateInput struct {
	Properties   map[string]string   `json:"properties"`
	Associations []CreateAssociation `json:"associations,omitempty"`
	// TraceID is sent as objectWriteTraceId; when empty the client uses the input's
	// index in decimal. Results echo it in Object.ObjectWriteTraceID.
	TraceID string `json:"objectWriteTraceId"`
}

// BatchCreate creates records, 100 per request, each input with an
// objectWriteTraceId so that one failing input (a duplicate email: CONFLICT with
// the existing id) is reported in a *BatchError while the others are created
// (hubspot-api.md §3). Creating is not idempotent: a 5xx or transport error is not
// retried and ends the call (BatchError.Abort); prefer BatchUpsert on a unique
// property for writes that must survive retries.
func (s *ObjectsService) BatchCreate(ctx context.Context, inputs []BatchCreateInput) ([]*Object, *Response, error) {
	b := newBatchCall(s.client, "batch create "+s.objectType, len(inputs))
	items := traceIDs(b, len(inputs), func(i int) string { return inputs[i].TraceID }, func(int) string { return "" })
	body := struct {
		Inputs []BatchCreateInput `json:"inputs"`
	}{}
	path := s.client.paths.objects(s.objectType, "batch", "create")
	out := sendChunks[BatchCreateInput, *Object](ctx, b, path, nil, items, MaxBatchInputs, &body, &body.Inputs,
		func(it batchItem) BatchCreateInput {
			in := inputs[it.index]
			in.TraceID = it.trace
			if in.Properties == nil {
				in.Properties = map[string]string{}
			}
			return in
		})
	return out, b.resp, b.result()
}

// nonUniqueObjectID explains why idProperty hs_object_id is refused on writes:
// HubSpot answers 400 "Unable to perform update/upsert by non-unique 0-1 property"
// (hubspot-api.md §4 Batch update; 3p: hubspot-api-nodejs#548).
const nonUniqueObjectID = "hs_object_id is refused as idProperty on writes; send the record id without idProperty"

// BatchUpdateInput is one record to update, by record id.
type BatchUpdateInput struct {
	ID string `json:"id"`
	// IDProperty is allowed by the spec, but the contacts guide says batch update must
	// use record ids, and a non-unique idProperty fails the request (hubspot-api.md
	// §4; 3p: hubspot-api-nodejs#548). Leave it empty unless it names a unique property.
	IDProperty string            `json:"idProperty,omitempty"`
	Properties map[string]string `json:"properties"`
	// TraceID: see BatchCreateInput.TraceID.
	TraceID string `json:"objectWriteTraceId"`
}

// BatchUpdate updates records, 100 per request. Records that do not exist are
// reported in a *BatchError (ErrNotFound) while the others are updated; duplicate
// ids are rejected before sending, since HubSpot would fail the whole request.
func (s *ObjectsService) BatchUpdate(ctx context.Context, inputs []BatchUpdateInput) ([]*Object, *Response, error) {
	b := newBatchCall(s.client, "batch update "+s.objectType, len(inputs))
	items := traceIDs(b, len(inputs), func(i int) string { return inputs[i].TraceID }, func(i int) string { return inputs[i].ID })
	items = uniqueIDs(b, items, "id")
	valid := items[:0]
	for _, it := range items {
		if inputs[it.index].IDProperty == "hs_object_id" {
			b.reject(it.index, it.id, "idProperty", nonUniqueObjectID)
			continue
		}
		valid = append(valid, it)
	}
	items = valid
	body := struct {
		Inputs []BatchUpdateInput `json:"inputs"`
	}{}
	path := s.client.paths.objects(s.objectType, "batch", "update")
	out := sendChunks[BatchUpdateInput, *Object](idempotent(ctx), b, path, nil, items, MaxBatchInputs, &body, &body.Inputs,
		func(it batchItem) BatchUpdateInput {
			in := inputs[it.index]
			in.TraceID = it.trace
			if in.Properties == nil {
				in.Properties = map[string]string{}
			}
			return in
		})
	return out, b.resp, b.result()
}

// BatchUpsertInput is one record to create or update, keyed on a unique property.
type BatchUpsertInput struct {
	// ID is the value of IDProperty that identifies the record.
	ID string `json:"id"`
	// IDProperty must be a property with hasUniqueValue, or "email" for contacts
	// (hubspot-api.md §4). Partial upserts (a 207 with some inputs failed) are not
	// supported with "email" (doc†), so prefer a custom unique id property.
	IDProperty string            `json:"idProperty"`
	Properties map[string]string `json:"properties"`
	// TraceID: see BatchCreateInput.TraceID.
	TraceID string `json:"objectWriteTraceId"`
}

// UpsertResult is a record written by BatchUpsert; New tells whether it was created
// (true) or updated (false) (spec: SimplePublicUpsertObject).
type UpsertResult struct {
	Object
	New bool `json:"new"`
}

// BatchUpsert creates missing records and updates existing ones, matched on each
// input's unique IDProperty, 100 per request. Repeating an upsert cannot create a
// duplicate, so 5xx and transport errors are retried. Failed inputs are reported in
// a *BatchError while the others are written; inputs with an empty or repeated
// (IDProperty, ID) are rejected before sending.
func (s *ObjectsService) BatchUpsert(ctx context.Context, inputs []BatchUpsertInput) ([]*UpsertResult, *Response, error) {
	b := newBatchCall(s.client, "batch upsert "+s.objectType, len(inputs))
	items := traceIDs(b, len(inputs), func(i int) string { return inputs[i].TraceID }, func(i int) string { return inputs[i].ID })
	valid := items[:0]
	seen := make(map[[2]string]int, len(items))
	for _, it := range items {
		in := &inputs[it.index]
		switch key := [2]string{in.IDProperty, in.ID}; {
		case in.IDProperty == "":
			b.reject(it.index, it.id, "idProperty", "is empty; upsert needs a unique property")
		case in.ID == "":
			b.reject(it.index, "", "id", "is empty")
		case in.IDProperty == "hs_object_id":
			b.reject(it.index, it.id, "idProperty", nonUniqueObjectID)
		default:
			if j, dup := seen[key]; dup {
				b.reject(it.index, it.id, "id", "duplicates input "+strconv.Itoa(j))
				continue
			}
			seen[key] = it.index
			valid = append(valid, it)
		}
	}
	items = valid
	body := struct {
		Inputs []BatchUpsertInput `json:"inputs"`
	}{}
	path := s.client.paths.objects(s.objectType, "batch", "upsert")
	out := sendChunks[BatchUpsertInput, *UpsertResult](idempotent(ctx), b, path, nil, items, MaxBatchInputs, &body, &body.Inputs,
		func(it batchItem) BatchUpsertInput {
			in := inputs[it.index]
			in.TraceID = it.trace
			if in.Properties == nil {
				in.Properties = map[string]string{}
			}
			return in
		})
	return out, b.resp, b.result()
}

// BatchArchive archives records by id, 100 per request. HubSpot answers 204
// whatever the records' state (hubspot-api.md §6 notes the same for properties), so
// unknown ids are not reported. Repeating is harmless, so failures are retried.
func (s *ObjectsService) BatchArchive(ctx context.Context, ids []string) (*Response, error) {
	b := newBatchCall(s.client, "batch archive "+s.objectType, len(ids))
	items := keyItems(b, ids, "id")
	type input struct {
		ID string `json:"id"`
	}
	var body struct {
		Inputs []input `json:"inputs"`
	}
	sendChunks[input, struct{}](idempotent(ctx), b, s.client.paths.objects(s.objectType, "batch", "archive"), nil, items, MaxBatchInputs, &body, &body.Inputs,
		func(it batchItem) input { return input{it.id} })
	return b.resp, b.result()
}

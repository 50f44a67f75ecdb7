package hubspot

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
)

// MaxBatchInputs is the number of inputs HubSpot accepts per batch request: "Batch
// operations are limited to 100 records at a time" (hubspot-api.md §4, doc†:
// contacts guide "Limits"). Batch methods take any number of inputs and split them.
const MaxBatchInputs = 100

// batchItem is one valid input on its way into a request.
type batchItem struct {
	index int
	id    string
	alt   string // a second id an error may name (an association's to id)
	trace string
}

// batchAnswer is HubSpot's batch response, with the 207 variant's errors
// (spec: BatchResponse…WithErrors).
type batchAnswer[T any] struct {
	Status    string      `json:"status"`
	Results   []T         `json:"results"`
	Errors    []errorBody `json:"errors"`
	NumErrors int         `json:"numErrors"`
}

// batchCall tracks the outcome of one batch method call across its requests.
type batchCall struct {
	c         *Client
	be        BatchError
	resp      *Response
	lastWhole string // message of the last request that failed as a whole
}

func newBatchCall(c *Client, op string, n int) *batchCall {
	return &batchCall{c: c, be: BatchError{Op: op, Inputs: n}}
}

func (b *batchCall) fail(index int, id, trace string, err error) {
	b.be.Failures = append(b.be.Failures, BatchFailure{Index: index, ID: id, TraceID: trace, Err: err})
}

func (b *batchCall) reject(index int, id, field, reason string) {
	b.fail(index, id, "", &InputError{Index: index, ID: id, Field: field, Reason: reason})
}

// chunks yields the valid items in slices of at most MaxBatchInputs.
func chunks(items []batchItem, size int) [][]batchItem {
	var out [][]batchItem
	for len(items) > 0 {
		n := min(size, len(items))
		out = append(out, items[:n:n])
		items = items[n:]
	}
	return out
}

// send posts one chunk's body and decodes the answer into out. It reports whether
// the call must stop: a request-level error that is not about the inputs (rate
// limit, authentication, transport, context) aborts; a 400, 404, 409 or 422 fails
// every input of the chunk and lets the next chunk go, unless the previous chunk
// failed the same way: then the error is about the request (an unknown object
// type, a non-unique idProperty) and the remaining chunks are not sent.
func (b *batchCall) send(ctx context.Context, path string, query url.Values, body, out any, items []batchItem) (ok, stop bool) {
	req, err := b.c.NewRequest(ctx, http.MethodPost, path, query, body)
	if err == nil {
		var resp *Response
		resp, err = b.c.Do(req, out)
		if resp != nil {
			b.resp = resp
		}
	}
	if err == nil {
		b.lastWhole = ""
		return true, false
	}
	var ae *APIError
	var rl *RateLimitError
	if errors.As(err, &ae) && !errors.As(err, &rl) {
		switch ae.StatusCode {
		case http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity:
			for _, it := range items {
				b.fail(it.index, it.id, it.trace, err)
			}
			sig := strconv.Itoa(ae.StatusCode) + " " + ae.Category + " " + ae.Message
			if sig == b.lastWhole {
				b.be.Abort = err
				b.be.Unsent = items[len(items)-1].index + 1
				return false, true
			}
			b.lastWhole = sig
			return false, false
		}
	}
	b.be.Abort = err
	b.be.Unsent = items[0].index
	return false, true
}

// mapErrors matches the errors of a 207 answer to the inputs of its chunk: by
// context.objectWriteTraceId (sent with every write input, hubspot-api.md §3, doc:
// error-handling), else by context.ids / context.id (batch update and read report
// missing records by id, payload contacts-batch-update-207-notfound; property batch
// create names existing properties in context.name, payload
// properties-batch-create-207-exists). An error that
// matches nothing is kept with Index -1.
func (b *batchCall) mapErrors(errs []errorBody, items []batchItem, req *http.Request, status int) {
	if len(errs) == 0 {
		return
	}
	byTrace := make(map[string]batchItem, len(items))
	byID := make(map[string]batchItem, len(items))
	for _, it := range items {
		if it.trace != "" {
			byTrace[it.trace] = it
		}
		if it.alt != "" {
			byID[it.alt] = it
		}
		if it.id != "" {
			byID[it.id] = it
		}
	}
	method, u := "", ""
	if req != nil {
		method, u = req.Method, b.c.redactURL(req.URL)
	}
	for i := range errs {
		ae := errs[i].apiError(method, u, status)
		ae.Message = b.c.redactString(ae.Message)
		matched := false
		for _, t := range ae.Context["objectWriteTraceId"] {
			if it, ok := byTrace[t]; ok {
				b.fail(it.index, it.id, it.trace, ae)
				matched = true
			}
		}
		if !matched {
			for _, key := range []string{"ids", "id", "fromObjectId", "name"} {
				for _, id := range ae.Context[key] {
					if it, ok := byID[id]; ok {
						b.fail(it.index, it.id, it.trace, ae)
						matched = true
					}
				}
			}
		}
		if !matched {
			b.fail(-1, "", "", ae)
		}
	}
}

// result returns the call's error: nil when every input succeeded.
func (b *batchCall) result() error {
	if len(b.be.Failures) == 0 && b.be.Abort == nil {
		return nil
	}
	slices.SortStableFunc(b.be.Failures, func(x, y BatchFailure) int {
		xi, yi := x.Index, y.Index
		if xi < 0 {
			xi = int(^uint(0) >> 1)
		}
		if yi < 0 {
			yi = int(^uint(0) >> 1)
		}
		return xi - yi
	})
	be := b.be
	return &be
}

// traceIDs assigns each write input its objectWriteTraceId: the caller's own, or
// the input's index in decimal ("#" and the index when a caller's own id already
// took that number). It rejects repeated caller ids, which would make a 207
// ambiguous.
func traceIDs(b *batchCall, n int, own func(i int) string, id func(i int) string) []batchItem {
	items := make([]batchItem, 0, n)
	taken := make(map[string]int, n)
	for i := 0; i < n; i++ {
		t := own(i)
		if t == "" {
			continue
		}
		if j, dup := taken[t]; dup {
			b.reject(i, id(i), "objectWriteTraceId", "duplicates the trace id of input "+strconv.Itoa(j))
			continue
		}
		taken[t] = i
	}
	for i := 0; i < n; i++ {
		t := own(i)
		if t != "" {
			if taken[t] != i {
				continue // rejected above
			}
		} else {
			t = strconv.Itoa(i)
			if _, clash := taken[t]; clash {
				t = "#" + t
			}
		}
		items = append(items, batchItem{index: i, id: id(i), trace: t})
	}
	return items
}

// keyItems turns keys (record ids, property names) into batch items, rejecting
// empty and repeated ones (see uniqueIDs); field names the key in errors.
func keyItems(b *batchCall, keys []string, field string) []batchItem {
	items := make([]batchItem, len(keys))
	for i, k := range keys {
		items[i] = batchItem{index: i, id: k}
	}
	return uniqueIDs(b, items, field)
}

// uniqueIDs drops and rejects inputs whose id repeats an earlier input's id: HubSpot
// fails the whole request for "Duplicate IDs found in batch input" (payload
// contacts-batch-update-400-duplicate-ids), so one repeated id would sink 99 others.
func uniqueIDs(b *batchCall, items []batchItem, field string) []batchItem {
	seen := make(map[string]int, len(items))
	out := items[:0]
	for _, it := range items {
		if it.id == "" {
			b.reject(it.index, "", field, "is empty")
			continue
		}
		if j, dup := seen[it.id]; dup {
			b.reject(it.index, it.id, field, "duplicates input "+strconv.Itoa(j))
			continue
		}
		seen[it.id] = it.index
		out = append(out, it)
	}
	return out
}

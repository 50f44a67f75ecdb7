package syncer

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/internal/httpx"
	"github.com/hubwise/hubwise/mapping"
)

// ConnectWiseAdapter adapts a *connectwise.Client to [ConnectWiseSide] and
// counts the HTTP attempts it makes, retries included
// ([ConnectWiseAdapter.Calls], [ConnectWiseAdapter.Retries]). Records are read raw
// (connectwise.NewResource[map[string]any]) so mappings may address any field.
// Create one with [NewConnectWise].
type ConnectWiseAdapter struct {
	c       *connectwise.Client
	counter httpx.Counter
	mu      sync.Mutex
	res     map[string]*connectwise.Resource[map[string]any]
}

// NewConnectWise returns the [ConnectWiseSide] of a ConnectWise client.
func NewConnectWise(c *connectwise.Client) *ConnectWiseAdapter {
	return &ConnectWiseAdapter{c: c, res: map[string]*connectwise.Resource[map[string]any]{}}
}

// Calls returns the number of HTTP attempts made so far through this adapter:
// every request handed to the client's transport, retries after a 429, a 5xx
// or a dropped connection included, as the API's own request counter sees them.
func (a *ConnectWiseAdapter) Calls() int64 { return a.counter.Attempts() }

// Retries returns how many of [ConnectWiseAdapter.Calls] repeated a request the
// client had already sent (see [RetryCounter]).
func (a *ConnectWiseAdapter) Retries() int64 { return a.counter.Retries() }

// pageSize is ConnectWise's hard page limit of 1000 (connectwise-api.md §3, S6).
const pageSize = connectwise.MaxPageSize

// idsPerCall keeps "id in (...)" URLs well under ~2000 characters
// (connectwise-api.md §3: amp-labs batches id lists for the same reason).
const idsPerCall = 100

// condBudget bounds the length of one lookup condition before URL encoding.
const condBudget = 600

func (a *ConnectWiseAdapter) resource(path string) *connectwise.Resource[map[string]any] {
	a.mu.Lock()
	defer a.mu.Unlock()
	r := a.res[path]
	if r == nil {
		r = connectwise.NewResource[map[string]any](a.c, path)
		a.res[path] = r
	}
	return r
}

// keyset pages a query by ID: each page is a fresh "id > last" query of 1000
// records ordered by id, stable under inserts and deletes, unlike page numbers
// (connectwise-api.md §3).
func (a *ConnectWiseAdapter) keyset(ctx context.Context, resource string, cond connectwise.Condition, afterID int64, size, limit int) iter.Seq2[map[string]any, error] {
	return func(yield func(map[string]any, error) bool) {
		r := a.resource(resource)
		n := 0
		for {
			c := cond
			if afterID > 0 {
				c = connectwise.And(cond, connectwise.Gt("id", afterID))
				if cond.IsZero() {
					c = connectwise.Gt("id", afterID)
				}
			}
			page, _, err := r.List(ctx, &connectwise.ListOptions{Conditions: c, OrderBy: "id asc", PageSize: size, Page: 1})
			if err != nil {
				yield(nil, err)
				return
			}
			for _, rec := range page {
				afterID = recordID(*rec)
				n++
				if !yield(*rec, nil) || (limit > 0 && n >= limit) {
					return
				}
			}
			if len(page) < size {
				return
			}
		}
	}
}

// Modified lists records with lastUpdated >= from and <= to, 1000 per page,
// ordered by id (connectwise-api.md §4: "All objects react to the LastUpdated
// query"; amp-labs uses the same two bounds).
func (a *ConnectWiseAdapter) Modified(ctx context.Context, resource string, from, to time.Time) iter.Seq2[map[string]any, error] {
	ctx = httpx.WithCounter(ctx, &a.counter)
	cond := connectwise.Le("lastUpdated", to.UTC().Truncate(time.Second).Add(time.Second))
	if !from.IsZero() {
		cond = connectwise.And(connectwise.Ge("lastUpdated", from.UTC().Truncate(time.Second)), cond)
	}
	return a.keyset(ctx, resource, cond, 0, pageSize, 0)
}

// Page returns up to size records after afterID, by id.
func (a *ConnectWiseAdapter) Page(ctx context.Context, resource string, afterID int64, size int) ([]map[string]any, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	var out []map[string]any
	for rec, err := range a.keyset(ctx, resource, connectwise.Condition{}, afterID, min(size, pageSize), size) {
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// Count returns GET …/count (connectwise-api.md §3).
func (a *ConnectWiseAdapter) Count(ctx context.Context, resource string) (int, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	n, _, err := a.resource(resource).Count(ctx, nil)
	return n, err
}

// Read fetches records with "id in (...)" conditions, 100 IDs per call.
func (a *ConnectWiseAdapter) Read(ctx context.Context, resource string, ids []int64) ([]map[string]any, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	var out []map[string]any
	r := a.resource(resource)
	for part := range chunk(ids, idsPerCall) {
		page, _, err := r.List(ctx, &connectwise.ListOptions{Conditions: connectwise.In("id", part...), OrderBy: "id asc", PageSize: pageSize})
		if err != nil {
			return out, err
		}
		for _, rec := range page {
			out = append(out, *rec)
		}
	}
	return out, nil
}

// Find translates a mapping path into the matching query parameter: plain
// paths into conditions ("identifier in (...)"), communication items into
// childConditions and custom fields by caption into customFieldConditions
// (connectwise-api.md §4).
func (a *ConnectWiseAdapter) Find(ctx context.Context, resource string, l Lookup) ([]map[string]any, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	var out []map[string]any
	r := a.resource(resource)
	var bad *UnsearchableError
	ok := l.Values[:0:0]
	for _, v := range l.Values {
		opts, err := lookupOptions(l.Path, []string{v})
		if err == nil {
			err = buildAll(opts)
		}
		if errors.Is(err, connectwise.ErrInvalidCondition) {
			if bad == nil {
				bad = &UnsearchableError{Err: err}
			}
			bad.Values = append(bad.Values, v)
			continue
		}
		if err != nil {
			return nil, err
		}
		ok = append(ok, v)
	}
	l.Values = ok
	for len(l.Values) > 0 {
		var part []string
		size := 0
		for len(l.Values) > 0 && (len(part) == 0 || size+len(l.Values[0]) <= condBudget) {
			size += len(l.Values[0]) + 8
			part = append(part, l.Values[0])
			l.Values = l.Values[1:]
		}
		opts, err := lookupOptions(l.Path, part)
		if err != nil {
			return nil, err
		}
		for {
			page, resp, err := r.List(ctx, opts)
			if err != nil {
				return out, err
			}
			for _, rec := range page {
				out = append(out, *rec)
			}
			if resp == nil || resp.NextPage == 0 || len(page) < opts.PageSize {
				break
			}
			opts.Page = resp.NextPage
		}
	}
	if bad != nil {
		return out, bad
	}
	return out, nil
}

// buildAll checks that every condition of opts can be written.
func buildAll(opts *connectwise.ListOptions) error {
	for _, c := range []connectwise.Condition{opts.Conditions, opts.ChildConditions, opts.CustomFieldConditions} {
		if _, err := c.Build(); err != nil {
			return err
		}
	}
	return nil
}

func lookupOptions(path string, values []string) (*connectwise.ListOptions, error) {
	opts := &connectwise.ListOptions{OrderBy: "id asc", PageSize: pageSize, Page: 1}
	open := strings.IndexByte(path, '[')
	if open < 0 {
		if path == "id" || strings.HasSuffix(path, "/id") {
			nums := make([]int64, 0, len(values))
			for _, v := range values {
				if n, err := strconv.ParseInt(v, 10, 64); err == nil {
					nums = append(nums, n)
				}
			}
			opts.Conditions = connectwise.In(path, nums...)
		} else {
			opts.Conditions = connectwise.In(path, values...)
		}
		return opts, nil
	}
	arr := path[:open]
	close := strings.IndexByte(path, ']')
	if close < open || !strings.HasPrefix(path[close+1:], "/") {
		return nil, fmt.Errorf("syncer: lookup path %q is not supported", path)
	}
	sel, field := path[open+1:close], path[close+2:]
	var conds []connectwise.Condition
	caption := ""
	for _, kv := range strings.Split(sel, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("syncer: lookup path %q is not supported", path)
		}
		v = strings.Trim(v, `"'`)
		if arr == "customFields" && k == "caption" {
			caption = v
			continue
		}
		var val any = v
		if b, err := strconv.ParseBool(v); err == nil {
			val = b
		}
		conds = append(conds, connectwise.Eq(arr+"/"+k, val))
	}
	ors := make([]connectwise.Condition, len(values))
	for i, v := range values {
		if arr == "customFields" {
			ors[i] = connectwise.Eq("value", v)
		} else {
			ors[i] = connectwise.Eq(arr+"/"+field, v)
		}
	}
	switch {
	case arr == "customFields" && caption != "":
		opts.CustomFieldConditions = connectwise.And(connectwise.Eq("caption", caption), connectwise.Or(ors...))
	case arr == "communicationItems":
		// Only the communication type narrows the search; defaultFlag and the
		// like are checked when the engine projects the records found.
		var keep []connectwise.Condition
		for _, c := range conds {
			if strings.Contains(c.String(), "communicationType") {
				keep = append(keep, c)
			}
		}
		opts.ChildConditions = connectwise.And(append([]connectwise.Condition{connectwise.Or(ors...)}, keep...)...)
	default:
		return nil, fmt.Errorf("syncer: lookup path %q is not supported", path)
	}
	return opts, nil
}

// Create posts a record. A create is never retried by the client; the engine
// recorded an intent first.
func (a *ConnectWiseAdapter) Create(ctx context.Context, resource string, body map[string]any) (map[string]any, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	if err := a.fillTypes(ctx, body); err != nil {
		return nil, err
	}
	rec, _, err := a.resource(resource).Create(ctx, &body)
	if err != nil {
		return nil, classifyCW(err)
	}
	return *rec, nil
}

// Patch applies JSON Patch operations.
func (a *ConnectWiseAdapter) Patch(ctx context.Context, resource string, id int64, ops []mapping.PatchOp) (map[string]any, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	in := make([]connectwise.PatchOp, len(ops))
	for i, o := range ops {
		if err := a.fillTypes(ctx, o.Value); err != nil {
			return nil, err
		}
		in[i] = connectwise.PatchOp{Op: o.Op, Path: o.Path, Value: o.Value}
	}
	rec, _, err := a.resource(resource).Patch(ctx, int(id), in...)
	if err != nil {
		return nil, classifyCW(err)
	}
	return *rec, nil
}

// fillTypes gives every communication item that names its communicationType
// but no type reference the tenant's default type of that kind: type IDs are
// per tenant and the API refuses an item without one (connectwise-api.md §5;
// mapping.Default's create bodies carry only communicationType).
func (a *ConnectWiseAdapter) fillTypes(ctx context.Context, v any) error {
	switch x := v.(type) {
	case map[string]any:
		if kind, ok := x["communicationType"].(string); ok && x["type"] == nil {
			ct, err := a.c.DefaultCommunicationType(ctx, kind)
			if err != nil {
				return err
			}
			if ct != nil {
				x["type"] = map[string]any{"id": ct.ID}
			}
		}
		for _, v := range x {
			if err := a.fillTypes(ctx, v); err != nil {
				return err
			}
		}
	case []any:
		for _, v := range x {
			if err := a.fillTypes(ctx, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// classifyCW marks 4xx answers other than 429 as terminal (STYLE.md "The engine").
func classifyCW(err error) error {
	var ae *connectwise.APIError
	if errors.As(err, &ae) && ae.StatusCode >= 400 && ae.StatusCode < 500 && ae.StatusCode != http.StatusTooManyRequests {
		return Terminal(err)
	}
	return err
}

// Forecast reads GET sales/opportunities/{id}/forecast and returns its revenue
// blocks as a JSON object ({"forecastRevenueTotals": {"revenue": …}, …}).
func (a *ConnectWiseAdapter) Forecast(ctx context.Context, opportunityID int64) (map[string]any, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	f, _, err := a.c.Opportunities.Forecast(ctx, int(opportunityID))
	if err != nil {
		return nil, err
	}
	out := map[string]any{"id": float64(f.ID)}
	for k, r := range f.Totals {
		m := map[string]any{}
		for name, v := range map[string]*float64{"revenue": r.Revenue, "cost": r.Cost, "margin": r.Margin, "percentage": r.Percentage} {
			if v != nil {
				m[name] = *v
			}
		}
		out[k] = m
	}
	return out, nil
}

// CustomFields reads the custom-field IDs of resource by caption from one of
// its records (records carry every field of their screen, connectwise-api.md
// §7), falling back to system/userDefinedFields when there is none.
func (a *ConnectWiseAdapter) CustomFields(ctx context.Context, resource string) (map[string]int, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	out := map[string]int{}
	recs, err := a.Page(ctx, resource, 0, 1)
	if err != nil {
		return nil, err
	}
	if len(recs) > 0 {
		items, _ := recs[0]["customFields"].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if c, ok := m["caption"].(string); ok {
				out[c] = int(recordID(m))
			}
		}
		return out, nil
	}
	udfs, err := a.c.UserDefinedFields.All(ctx, nil)
	if err != nil {
		return nil, err
	}
	for _, u := range udfs {
		if _, dup := out[u.Caption]; !dup {
			out[u.Caption] = u.ID
		}
	}
	return out, nil
}

// Delete deletes one record (DELETE …/{id} answers 204, connectwise-api.md
// §5); a 404 means it is gone already and is not an error.
func (a *ConnectWiseAdapter) Delete(ctx context.Context, resource string, id int64) error {
	ctx = httpx.WithCounter(ctx, &a.counter)
	_, err := a.resource(resource).Delete(ctx, int(id))
	if errors.Is(err, connectwise.ErrNotFound) {
		return nil
	}
	return err
}

// IDs lists up to size IDs greater than afterID in ascending order, asking for
// the "id" field only (fields=id, connectwise-api.md §4 "fields: id,name,status/id")
// so a sweep reads little. Companies also ask for deletedFlag and leave out the
// soft-deleted ones (connectwise-api.md §6: companies carry deletedFlag and stay
// readable once deleted).
func (a *ConnectWiseAdapter) IDs(ctx context.Context, resource string, afterID int64, size int) ([]int64, int64, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	fields := []string{"id"}
	if resource == "company/companies" {
		fields = append(fields, "deletedFlag")
	}
	opts := &connectwise.ListOptions{OrderBy: "id asc", PageSize: min(size, pageSize), Page: 1, Fields: fields}
	if afterID > 0 {
		opts.Conditions = connectwise.Gt("id", afterID)
	}
	page, _, err := a.resource(resource).List(ctx, opts)
	if err != nil {
		return nil, 0, err
	}
	out := make([]int64, 0, len(page))
	var next int64
	for _, rec := range page {
		next = recordID(*rec)
		if f, _ := (*rec)["deletedFlag"].(bool); !f {
			out = append(out, next)
		}
	}
	if len(page) < opts.PageSize {
		next = 0
	}
	return out, next, nil
}

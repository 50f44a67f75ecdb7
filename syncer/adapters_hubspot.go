package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/internal/httpx"
	"github.com/hubwise/hubwise/mapping"
)

// HubSpotAdapter adapts a *hubspot.Client to [HubSpotSide] and counts the
// HTTP attempts it makes, retries included ([HubSpotAdapter.Calls],
// [HubSpotAdapter.Retries]). Create one with [NewHubSpot].
type HubSpotAdapter struct {
	c       *hubspot.Client
	counter httpx.Counter

	// SearchPageSize is the page size of searches (default 200, the largest
	// HubSpot takes: hubspot-api.md §5).
	SearchPageSize int
	// SearchCap is how far one search query may page before the change feed
	// re-queries from the last ID seen (default 10,000: "Attempting to page
	// beyond 10,000 will result in a 400 error", hubspot-api.md §5). Lower it
	// together with hubspot.WithSearchLimits for tests.
	SearchCap int
}

// NewHubSpot returns the [HubSpotSide] of a HubSpot client.
func NewHubSpot(c *hubspot.Client) *HubSpotAdapter {
	return &HubSpotAdapter{c: c, SearchPageSize: searchPage, SearchCap: searchCap}
}

// Calls returns the number of HTTP attempts made so far through this adapter:
// every request handed to the client's transport, retries after a 429, a 5xx
// or a dropped connection included, as the API's own request counter sees them.
func (a *HubSpotAdapter) Calls() int64 { return a.counter.Attempts() }

// Retries returns how many of [HubSpotAdapter.Calls] repeated a request the
// client had already sent (see [RetryCounter]).
func (a *HubSpotAdapter) Retries() int64 { return a.counter.Retries() }

// batchSize is HubSpot's batch limit: "Batch operations are limited to 100
// records at a time" (hubspot-api.md §4, doc†: contacts guide).
const batchSize = hubspot.MaxBatchInputs

// searchPage is the largest search page (hubspot-api.md §5: limit ≤ 200).
const searchPage = 200

// searchCap is how far a search may page (hubspot-api.md §5: 10,000 results).
const searchCap = 10000

func chunk[T any](in []T, n int) iter.Seq[[]T] {
	return func(yield func([]T) bool) {
		for len(in) > 0 {
			k := min(n, len(in))
			if !yield(in[:k]) {
				return
			}
			in = in[k:]
		}
	}
}

func fromObject(o *hubspot.Object) *HubSpotRecord {
	return &HubSpotRecord{ID: o.ID, Properties: o.Properties, UpdatedAt: o.UpdatedAt}
}

// Modified searches modifiedProperty GTE from AND LTE to, sorted by
// hs_object_id, paging with "after" while under the 10,000-result cap and
// re-querying with hs_object_id > last ID past it (hubspot-api.md §5, practice
// of production connectors: airbyte, estuary, singer). Values are epoch ms.
func (a *HubSpotAdapter) Modified(ctx context.Context, objectType, modifiedProperty string, from, to time.Time) iter.Seq2[*HubSpotRecord, error] {
	ctx = httpx.WithCounter(ctx, &a.counter)
	return func(yield func(*HubSpotRecord, error) bool) {
		svc := a.c.Objects(objectType)
		base := []hubspot.Filter{hubspot.Lte(modifiedProperty, strconv.FormatInt(to.UnixMilli(), 10))}
		if !from.IsZero() {
			base = append(base, hubspot.Gte(modifiedProperty, strconv.FormatInt(from.UnixMilli(), 10)))
		}
		req := &hubspot.SearchRequest{Limit: a.SearchPageSize, Properties: []string{"hs_object_id", modifiedProperty},
			Sorts: []hubspot.Sort{{PropertyName: "hs_object_id", Direction: hubspot.Ascending}}}
		last := ""
		req.FilterGroups = []hubspot.FilterGroup{hubspot.And(base...)}
		for {
			res, resp, err := svc.Search(ctx, req)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, o := range res.Results {
				last = o.ID
				if !yield(fromObject(o), nil) {
					return
				}
			}
			if resp.NextAfter == "" || len(res.Results) == 0 {
				return
			}
			if n, err := strconv.Atoi(resp.NextAfter); err == nil && n+req.Limit <= a.SearchCap {
				req.After = resp.NextAfter
				continue
			}
			// Re-query: a fresh result set above the last ID, well under the cap.
			req.After = ""
			req.FilterGroups = []hubspot.FilterGroup{hubspot.And(append(append([]hubspot.Filter(nil), base...), hubspot.Gt("hs_object_id", last))...)}
		}
	}
}

// Read batch-reads records by ID or by a unique property, 100 per call.
// Records HubSpot does not find are left out.
func (a *HubSpotAdapter) Read(ctx context.Context, objectType, idProperty string, values, properties []string) ([]*HubSpotRecord, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	svc := a.c.Objects(objectType)
	var out []*HubSpotRecord
	for part := range chunk(dedupe(values), batchSize) {
		objs, _, err := svc.BatchRead(ctx, part, &hubspot.BatchReadOptions{Properties: properties, IDProperty: idProperty})
		for _, o := range objs {
			out = append(out, fromObject(o))
		}
		if err != nil && !perInput(err) {
			return out, err
		}
	}
	return out, nil
}

// perInput reports whether a batch read failed only for some inputs, each
// not found or a value HubSpot refuses: those records count as absent. A
// record that then looks new is written by an upsert keyed on a unique
// property, so the worst case is a refused write, never a duplicate. Any
// other per-input failure (an internal error, a rate limit) fails the read:
// the record is there but unread, and taking it for absent would let the
// pass move its cursor past it.
func perInput(err error) bool {
	var be *hubspot.BatchError
	if !errors.As(err, &be) || be.Abort != nil {
		return false
	}
	for _, f := range be.Failures {
		if !errors.Is(f.Err, hubspot.ErrNotFound) && !errors.Is(f.Err, hubspot.ErrValidation) {
			return false
		}
	}
	return true
}

// Find searches property IN values (lower-cased, as HubSpot needs for string
// properties: hubspot-api.md §5), in chunks that keep the body under the
// 3,000-character limit.
func (a *HubSpotAdapter) Find(ctx context.Context, objectType, property string, values, properties []string) ([]*HubSpotRecord, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	svc := a.c.Objects(objectType)
	var out []*HubSpotRecord
	props, _ := json.Marshal(properties)
	budget := 2800 - len(props) - 200
	for len(values) > 0 {
		var part []string
		size := 0
		for len(values) > 0 && len(part) < 100 && (len(part) == 0 || size+len(values[0])+3 <= budget) {
			size += len(values[0]) + 3
			part = append(part, strings.ToLower(values[0]))
			values = values[1:]
		}
		req := &hubspot.SearchRequest{FilterGroups: []hubspot.FilterGroup{hubspot.And(hubspot.In(property, part...))},
			Properties: properties, Limit: a.SearchPageSize}
		for o, err := range a.search(ctx, svc, req) {
			if err != nil {
				return out, err
			}
			out = append(out, fromObject(o))
		}
	}
	return out, nil
}

// search pages one search.
func (a *HubSpotAdapter) search(ctx context.Context, svc *hubspot.ObjectsService, req *hubspot.SearchRequest) iter.Seq2[*hubspot.Object, error] {
	return func(yield func(*hubspot.Object, error) bool) {
		for {
			res, resp, err := svc.Search(ctx, req)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, o := range res.Results {
				if !yield(o, nil) {
					return
				}
			}
			if resp.NextAfter == "" || len(res.Results) == 0 {
				return
			}
			req.After = resp.NextAfter
		}
	}
}

// Upsert writes through batch upsert keyed on each input's unique property,
// 100 per call; repeating it cannot create a duplicate (hubspot-api.md §4).
func (a *HubSpotAdapter) Upsert(ctx context.Context, objectType string, inputs []HubSpotWrite) ([]HubSpotResult, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	svc := a.c.Objects(objectType)
	out := make([]HubSpotResult, len(inputs))
	for start := 0; start < len(inputs); start += batchSize {
		part := inputs[start:min(start+batchSize, len(inputs))]
		in := make([]hubspot.BatchUpsertInput, len(part))
		for i, w := range part {
			in[i] = hubspot.BatchUpsertInput{ID: w.IDValue, IDProperty: w.IDProperty, Properties: w.Properties, TraceID: w.TraceID}
		}
		res, _, err := svc.BatchUpsert(ctx, in)
		byKey := map[string]*hubspot.UpsertResult{}
		for _, r := range res {
			byKey[r.ObjectWriteTraceID] = r
			if len(part) > 0 {
				byKey["\x00"+r.Properties[part[0].IDProperty]] = r
			}
		}
		if abort := a.fill(out[start:], len(part), err, func(i int) (*HubSpotRecord, bool, bool) {
			r := byKey[part[i].TraceID]
			if r == nil {
				r = byKey["\x00"+part[i].IDValue]
			}
			if r == nil {
				return nil, false, false
			}
			return fromObject(&r.Object), r.New, true
		}); abort != nil {
			return out, abort
		}
	}
	return out, nil
}

// Update updates records by ID, 100 per call.
func (a *HubSpotAdapter) Update(ctx context.Context, objectType string, inputs []HubSpotWrite) ([]HubSpotResult, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	svc := a.c.Objects(objectType)
	out := make([]HubSpotResult, len(inputs))
	for start := 0; start < len(inputs); start += batchSize {
		part := inputs[start:min(start+batchSize, len(inputs))]
		in := make([]hubspot.BatchUpdateInput, len(part))
		for i, w := range part {
			in[i] = hubspot.BatchUpdateInput{ID: w.ID, Properties: w.Properties, TraceID: w.TraceID}
		}
		res, _, err := svc.BatchUpdate(ctx, in)
		byID := map[string]*hubspot.Object{}
		for _, r := range res {
			byID[r.ID] = r
		}
		if abort := a.fill(out[start:], len(part), err, func(i int) (*HubSpotRecord, bool, bool) {
			r := byID[part[i].ID]
			if r == nil {
				return nil, false, false
			}
			return fromObject(r), false, true
		}); abort != nil {
			return out, abort
		}
	}
	return out, nil
}

// fill sets the results of one batch call from its answer and error; it
// returns the error that stopped the call early, if any.
func (a *HubSpotAdapter) fill(out []HubSpotResult, n int, err error, found func(i int) (*HubSpotRecord, bool, bool)) error {
	var be *hubspot.BatchError
	isBatch := errors.As(err, &be)
	for i := 0; i < n; i++ {
		if isBatch {
			if ferr, failed := be.Failed(i); failed {
				out[i].Err = classify(ferr)
				continue
			}
			if be.Abort != nil && i >= be.Unsent {
				out[i].Err = be.Abort
				continue
			}
		} else if err != nil {
			out[i].Err = err
			continue
		}
		rec, isNew, ok := found(i)
		if !ok {
			out[i].Err = errors.New("hubspot: no result for the input")
			continue
		}
		out[i].Record, out[i].New = rec, isNew
	}
	switch {
	case isBatch && be.Abort != nil:
		return be.Abort
	case err != nil && !isBatch:
		return err
	}
	return nil
}

// classify marks HubSpot input failures that repeating cannot fix as terminal:
// validation, conflicts and other 4xx answers except 429 (STYLE.md "The engine").
func classify(err error) error {
	var ae *hubspot.APIError
	var ie *hubspot.InputError
	switch {
	case errors.As(err, &ie):
		return Terminal(err)
	case errors.As(err, &ae):
		if ae.StatusCode == http.StatusTooManyRequests || ae.StatusCode >= 500 {
			return err
		}
		switch ae.Category {
		case hubspot.CategoryValidation, hubspot.CategoryConflict, hubspot.CategoryObjectAlreadyExists, hubspot.CategoryObjectNotFound:
			return Terminal(err)
		}
		if ae.StatusCode >= 400 && ae.StatusCode < 500 {
			return Terminal(err)
		}
	}
	return err
}

// Associate writes default associations, 100 pairs per call.
func (a *HubSpotAdapter) Associate(ctx context.Context, fromType, toType string, pairs []AssociationPair) ([]error, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	errs := make([]error, len(pairs))
	for start := 0; start < len(pairs); start += batchSize {
		part := pairs[start:min(start+batchSize, len(pairs))]
		in := make([]hubspot.AssociationPair, len(part))
		for i, p := range part {
			in[i] = hubspot.AssociationPair{FromID: p.FromID, ToID: p.ToID}
		}
		_, _, err := a.c.Associations.CreateDefaultBatch(ctx, fromType, toType, in)
		var be *hubspot.BatchError
		if errors.As(err, &be) {
			for i := range part {
				if ferr, ok := be.Failed(i); ok {
					errs[start+i] = classify(ferr)
				} else if be.Abort != nil && i >= be.Unsent {
					errs[start+i] = be.Abort
				}
			}
			if be.Abort != nil {
				return errs, be.Abort
			}
		} else if err != nil {
			for i := range part {
				errs[start+i] = err
			}
			return errs, err
		}
	}
	return errs, nil
}

// Associated reads associations, 1,000 records per call (hubspot-api.md §7:
// the v4 batch read takes 1,000 inputs since 2025-02-10), listing associations
// labelled "Primary" first.
func (a *HubSpotAdapter) Associated(ctx context.Context, fromType, toType string, ids []string) (map[string][]string, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	out := map[string][]string{}
	for part := range chunk(dedupe(ids), hubspot.MaxAssociationReadInputs) {
		got, _, err := a.c.Associations.ReadBatch(ctx, fromType, toType, part)
		if err != nil {
			return nil, err
		}
		for id, objs := range got {
			var primary, other []string
			for _, o := range objs {
				isPrimary := false
				for _, t := range o.Types {
					isPrimary = isPrimary || strings.EqualFold(t.Label, "Primary")
				}
				if isPrimary {
					primary = append(primary, o.ID)
				} else {
					other = append(other, o.ID)
				}
			}
			out[id] = append(primary, other...)
		}
	}
	return out, nil
}

// Dissociate removes associations, 100 pairs per call.
func (a *HubSpotAdapter) Dissociate(ctx context.Context, fromType, toType string, pairs []AssociationPair) error {
	ctx = httpx.WithCounter(ctx, &a.counter)
	for part := range chunk(pairs, batchSize) {
		in := make([]hubspot.AssociationPair, len(part))
		for i, p := range part {
			in[i] = hubspot.AssociationPair{FromID: p.FromID, ToID: p.ToID}
		}
		if _, err := a.c.Associations.ArchiveBatch(ctx, fromType, toType, in); err != nil {
			return err
		}
	}
	return nil
}

// EnsureGroup creates the group unless it exists (hubspot.PropertiesService.EnsureGroup).
func (a *HubSpotAdapter) EnsureGroup(ctx context.Context, objectType string, g mapping.PropertyGroup) (SchemaOutcome, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	want := &hubspot.PropertyGroupCreate{Name: g.Name, Label: g.Label}
	if g.DisplayOrder != 0 {
		want.DisplayOrder = hubspot.Ptr(g.DisplayOrder)
	}
	_, out, err := a.c.Properties.EnsureGroup(ctx, objectType, want)
	return SchemaOutcome(out), err
}

// EnsureProperty creates the property unless it exists; drift is reported, not
// changed (hubspot.PropertiesService.EnsureProperty).
func (a *HubSpotAdapter) EnsureProperty(ctx context.Context, objectType string, p mapping.PropertyDef) (SchemaOutcome, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	want := &hubspot.PropertyCreate{Name: p.Name, Label: p.Label, Type: p.Type, FieldType: p.FieldType,
		GroupName: p.GroupName, Description: p.Description, HasUniqueValue: p.HasUniqueValue}
	for _, o := range p.Options {
		want.Options = append(want.Options, hubspot.PropertyOption{Label: o.Label, Value: o.Value, DisplayOrder: o.DisplayOrder, Hidden: o.Hidden})
	}
	_, out, err := a.c.Properties.EnsureProperty(ctx, objectType, want)
	return SchemaOutcome(out), err
}

// Archive archives records through batch archive, 100 per call (the client
// chunks). HubSpot answers 204 whatever the records' state (hubspot-api.md §6,
// noted for properties; the client assumes the same for objects), so archiving
// twice is harmless.
func (a *HubSpotAdapter) Archive(ctx context.Context, objectType string, ids []string) error {
	ctx = httpx.WithCounter(ctx, &a.counter)
	_, err := a.c.Objects(objectType).BatchArchive(ctx, ids)
	return err
}

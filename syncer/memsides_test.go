package syncer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// memHS is an in-memory syncer.HubSpotSide for unit tests.
type memHS struct {
	mu     sync.Mutex
	now    func() time.Time
	next   int64
	recs   map[string]map[string]*syncer.HubSpotRecord
	idx    map[string]map[string]string // type -> property\x00lower(value) -> id
	assoc  map[string]bool
	writes int
	calls  int64
	sink   bool  // forget written records (memory benchmarks)
	fail   error // when set, upserts stop with it (a daily limit)
	// failAfter, when set, is asked before every upsert call for an error.
	failAfter func() error
}

func newMemHS(now func() time.Time) *memHS {
	return &memHS{now: now, next: 1000, recs: map[string]map[string]*syncer.HubSpotRecord{},
		idx: map[string]map[string]string{}, assoc: map[string]bool{}}
}

func (m *memHS) Calls() int64 { m.mu.Lock(); defer m.mu.Unlock(); return m.calls }

func (m *memHS) putLocked(objectType, id string, props map[string]string) string {
	if m.recs[objectType] == nil {
		m.recs[objectType] = map[string]*syncer.HubSpotRecord{}
		m.idx[objectType] = map[string]string{}
	}
	r := m.recs[objectType][id]
	if r == nil {
		m.next++
		id = strconv.FormatInt(m.next, 10)
		r = &syncer.HubSpotRecord{ID: id, Properties: map[string]string{"hs_object_id": id}}
		m.recs[objectType][id] = r
	}
	for k, v := range props {
		delete(m.idx[objectType], k+"\x00"+strings.ToLower(r.Properties[k]))
		r.Properties[k] = v
		m.idx[objectType][k+"\x00"+strings.ToLower(v)] = r.ID
	}
	r.UpdatedAt = m.now()
	return r.ID
}

func copyHS(r *syncer.HubSpotRecord) *syncer.HubSpotRecord {
	c := *r
	c.Properties = map[string]string{}
	for k, v := range r.Properties {
		c.Properties[k] = v
	}
	return &c
}

func (m *memHS) sorted(objectType string) []*syncer.HubSpotRecord {
	var out []*syncer.HubSpotRecord
	for _, r := range m.recs[objectType] {
		out = append(out, copyHS(r))
	}
	slices.SortFunc(out, func(a, b *syncer.HubSpotRecord) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (m *memHS) Modified(_ context.Context, objectType, _ string, from, to time.Time) iter.Seq2[*syncer.HubSpotRecord, error] {
	m.mu.Lock()
	m.calls++
	all := m.sorted(objectType)
	m.mu.Unlock()
	return func(yield func(*syncer.HubSpotRecord, error) bool) {
		for _, r := range all {
			if !r.UpdatedAt.Before(from) && !r.UpdatedAt.After(to) && !yield(r, nil) {
				return
			}
		}
	}
}

func (m *memHS) Read(_ context.Context, objectType, idProperty string, values, _ []string) ([]*syncer.HubSpotRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	var out []*syncer.HubSpotRecord
	for _, v := range dedupeStrings(values) {
		id := v
		if idProperty != "" {
			id = m.idx[objectType][idProperty+"\x00"+strings.ToLower(v)]
		}
		if r := m.recs[objectType][id]; r != nil {
			out = append(out, copyHS(r))
		}
	}
	return out, nil
}

func dedupeStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range in {
		if !seen[strings.ToLower(v)] {
			seen[strings.ToLower(v)] = true
			out = append(out, v)
		}
	}
	return out
}

func (m *memHS) Find(ctx context.Context, objectType, property string, values, props []string) ([]*syncer.HubSpotRecord, error) {
	return m.Read(ctx, objectType, property, values, props)
}

func (m *memHS) write(objectType string, inputs []syncer.HubSpotWrite, upsert bool) []syncer.HubSpotResult {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	out := make([]syncer.HubSpotResult, len(inputs))
	for i, in := range inputs {
		m.writes++
		id := in.ID
		if upsert {
			id = m.idx[objectType][in.IDProperty+"\x00"+strings.ToLower(in.IDValue)]
			props := map[string]string{in.IDProperty: in.IDValue}
			for k, v := range in.Properties {
				props[k] = v
			}
			out[i].New = id == ""
			in.Properties = props
		} else if m.recs[objectType][id] == nil {
			out[i].Err = fmt.Errorf("no record %s", id)
			continue
		}
		id = m.putLocked(objectType, id, in.Properties)
		out[i].Record = copyHS(m.recs[objectType][id])
		if m.sink {
			delete(m.recs[objectType], id)
			clear(m.idx[objectType])
		}
	}
	return out
}

func (m *memHS) Upsert(_ context.Context, objectType string, inputs []syncer.HubSpotWrite) ([]syncer.HubSpotResult, error) {
	fail := m.fail
	if m.failAfter != nil && fail == nil {
		fail = m.failAfter()
	}
	if fail != nil {
		out := make([]syncer.HubSpotResult, len(inputs))
		for i := range out {
			out[i].Err = fail
		}
		return out, fail
	}
	return m.write(objectType, inputs, true), nil
}

func (m *memHS) Update(_ context.Context, objectType string, inputs []syncer.HubSpotWrite) ([]syncer.HubSpotResult, error) {
	return m.write(objectType, inputs, false), nil
}

func (m *memHS) Associate(_ context.Context, from, to string, pairs []syncer.AssociationPair) ([]error, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	for _, p := range pairs {
		m.writes++
		m.assoc[from+"/"+p.FromID+"->"+to+"/"+p.ToID] = true
	}
	return make([]error, len(pairs)), nil
}

func (m *memHS) Associated(_ context.Context, from, to string, ids []string) (map[string][]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	out := map[string][]string{}
	for k := range m.assoc {
		for _, id := range ids {
			if rest, ok := strings.CutPrefix(k, from+"/"+id+"->"+to+"/"); ok {
				out[id] = append(out[id], rest)
			}
		}
	}
	return out, nil
}

func (m *memHS) Dissociate(_ context.Context, from, to string, pairs []syncer.AssociationPair) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	for _, p := range pairs {
		m.writes++
		delete(m.assoc, from+"/"+p.FromID+"->"+to+"/"+p.ToID)
	}
	return nil
}

func (m *memHS) EnsureGroup(context.Context, string, mapping.PropertyGroup) (syncer.SchemaOutcome, error) {
	return syncer.SchemaUnchanged, nil
}

func (m *memHS) EnsureProperty(context.Context, string, mapping.PropertyDef) (syncer.SchemaOutcome, error) {
	return syncer.SchemaUnchanged, nil
}

// memCW is an in-memory syncer.ConnectWiseSide for unit tests.
type memCW struct {
	mu     sync.Mutex
	now    func() time.Time
	next   int64
	recs   map[string]map[int64]map[string]any
	writes int
	calls  int64
}

func newMemCW(now func() time.Time) *memCW {
	return &memCW{now: now, next: 200, recs: map[string]map[int64]map[string]any{}}
}

func (m *memCW) Calls() int64 { m.mu.Lock(); defer m.mu.Unlock(); return m.calls }

func clone(rec map[string]any) map[string]any {
	b, _ := json.Marshal(rec)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

func (m *memCW) put(resource string, rec map[string]any) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.putLocked(resource, clone(rec))
}

func (m *memCW) putLocked(resource string, rec map[string]any) int64 {
	if m.recs[resource] == nil {
		m.recs[resource] = map[int64]map[string]any{}
	}
	id, _ := rec["id"].(float64)
	if id == 0 {
		m.next++
		id = float64(m.next)
		rec["id"] = id
	}
	rec["_info"] = map[string]any{"lastUpdated": m.now().UTC().Format(time.RFC3339)}
	m.recs[resource][int64(id)] = rec
	return int64(id)
}

func (m *memCW) get(resource string, id int64) map[string]any {
	m.mu.Lock()
	defer m.mu.Unlock()
	return clone(m.recs[resource][id])
}

func (m *memCW) sorted(resource string) []map[string]any {
	var ids []int64
	for id := range m.recs[resource] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]map[string]any, len(ids))
	for i, id := range ids {
		out[i] = clone(m.recs[resource][id])
	}
	return out
}

func updated(rec map[string]any) time.Time {
	t, _ := time.Parse(time.RFC3339, rec["_info"].(map[string]any)["lastUpdated"].(string))
	return t
}

func (m *memCW) Modified(_ context.Context, resource string, from, to time.Time) iter.Seq2[map[string]any, error] {
	m.mu.Lock()
	m.calls++
	all := m.sorted(resource)
	m.mu.Unlock()
	return func(yield func(map[string]any, error) bool) {
		for _, r := range all {
			t := updated(r)
			if !t.Before(from.Truncate(time.Second)) && !t.After(to) && !yield(r, nil) {
				return
			}
		}
	}
}

func (m *memCW) ids(resource string, keep func(int64) bool) []int64 {
	var ids []int64
	for id := range m.recs[resource] {
		if keep(id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func (m *memCW) Page(_ context.Context, resource string, afterID int64, size int) ([]map[string]any, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	ids := m.ids(resource, func(id int64) bool { return id > afterID })
	var out []map[string]any
	for _, id := range ids[:min(size, len(ids))] {
		out = append(out, clone(m.recs[resource][id]))
	}
	return out, nil
}

func (m *memCW) Count(_ context.Context, resource string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	return len(m.recs[resource]), nil
}

func (m *memCW) Read(_ context.Context, resource string, ids []int64) ([]map[string]any, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	var out []map[string]any
	for _, id := range m.ids(resource, func(id int64) bool { return slices.Contains(ids, id) }) {
		out = append(out, clone(m.recs[resource][id]))
	}
	return out, nil
}

func (m *memCW) Find(_ context.Context, resource string, l syncer.Lookup) ([]map[string]any, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	p := mapping.MustParsePath(l.Path)
	var out []map[string]any
	for _, id := range m.ids(resource, func(int64) bool { return true }) {
		v, ok := p.Get(m.recs[resource][id])
		if ok && slices.ContainsFunc(l.Values, func(s string) bool { return strings.EqualFold(s, fmt.Sprint(v)) }) {
			out = append(out, clone(m.recs[resource][id]))
		}
	}
	return out, nil
}

func (m *memCW) Create(_ context.Context, resource string, body map[string]any) (map[string]any, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.writes++
	rec := clone(body)
	id := m.putLocked(resource, rec)
	return clone(m.recs[resource][id]), nil
}

func (m *memCW) Patch(_ context.Context, resource string, id int64, ops []mapping.PatchOp) (map[string]any, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.writes++
	rec := m.recs[resource][id]
	if rec == nil {
		return nil, fmt.Errorf("no record %d", id)
	}
	for _, op := range ops {
		path := strings.TrimPrefix(op.Path, "/")
		switch op.Op {
		case "replace", "add":
			rec[path] = clone(map[string]any{"v": op.Value})["v"]
		case "remove":
			delete(rec, path)
		}
	}
	m.putLocked(resource, rec)
	return clone(rec), nil
}

func (m *memCW) Forecast(context.Context, int64) (map[string]any, error) {
	return map[string]any{}, nil
}

func (m *memCW) CustomFields(context.Context, string) (map[string]int, error) {
	return map[string]int{}, nil
}

package memstore

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// Options configure a [Store]. The zero value (or nil) is usable.
type Options struct {
	// Clock returns "now" for default timestamps and lease expiry; nil means
	// time.Now.
	Clock func() time.Time
	// PageSize is how many links ListLinks copies per lock; 0 means 256.
	PageSize int
}

// Store is the in-memory [syncer.StateStore] and [syncer.Leaser]. The zero value
// is not usable; call [New].
type Store struct {
	clock    func() time.Time
	pageSize int

	mu      sync.RWMutex
	tenants map[string]*tenantState
}

type tenantState struct {
	links     map[string]*objLinks
	cursors   map[string]string
	intents   map[intentKey]syncer.Intent
	dead      map[deadKey]syncer.DeadLetter
	conflicts map[conflictKey]syncer.Conflict
	lease     leaseState
}

type objLinks struct {
	byHS map[string]*syncer.Link
	byCW map[int64]*syncer.Link

	// sorted caches the ConnectWise IDs in ascending order for ListLinks. Writers
	// (holding Store.mu for writing) set dirty when the set of IDs changes;
	// readers (holding Store.mu for reading) rebuild it under sortMu.
	sortMu sync.Mutex
	sorted []int64
	dirty  bool
}

// sortedIDs returns the ascending ConnectWise IDs; the caller holds Store.mu
// for reading and must not keep the slice past it.
func (o *objLinks) sortedIDs() []int64 {
	o.sortMu.Lock()
	defer o.sortMu.Unlock()
	if o.dirty || len(o.sorted) != len(o.byCW) {
		o.sorted = o.sorted[:0]
		for id := range o.byCW {
			o.sorted = append(o.sorted, id)
		}
		slices.Sort(o.sorted)
		o.dirty = false
	}
	return o.sorted
}

type intentKey struct {
	object string
	target syncer.Side
	source string
}

type deadKey struct {
	object string
	side   syncer.Side
	source string
}

type conflictKey struct {
	object string
	hs     string
	cw     int64
	field  string
}

var (
	_ syncer.StateStore = (*Store)(nil)
	_ syncer.Leaser     = (*Store)(nil)
)

// New returns an empty store; opts may be nil.
func New(opts *Options) *Store {
	s := &Store{clock: time.Now, pageSize: 256, tenants: map[string]*tenantState{}}
	if opts != nil {
		if opts.Clock != nil {
			s.clock = opts.Clock
		}
		if opts.PageSize > 0 {
			s.pageSize = opts.PageSize
		}
	}
	return s
}

func (s *Store) now() time.Time { return norm(s.clock()) }

// norm applies the contract's time rule: UTC, microsecond precision.
func norm(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func (s *Store) tenantLocked(name string, create bool) *tenantState {
	t := s.tenants[name]
	if t == nil && create {
		t = &tenantState{
			links:     map[string]*objLinks{},
			cursors:   map[string]string{},
			intents:   map[intentKey]syncer.Intent{},
			dead:      map[deadKey]syncer.DeadLetter{},
			conflicts: map[conflictKey]syncer.Conflict{},
		}
		s.tenants[name] = t
	}
	return t
}

func (t *tenantState) object(name string, create bool) *objLinks {
	o := t.links[name]
	if o == nil && create {
		o = &objLinks{byHS: map[string]*syncer.Link{}, byCW: map[int64]*syncer.Link{}}
		t.links[name] = o
	}
	return o
}

func checkScope(ctx context.Context, tenant, object string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	if err := syncer.CheckID("tenant", tenant); err != nil {
		return fmt.Errorf("memstore: %w", err)
	}
	if object != "" {
		if err := syncer.CheckID("object", object); err != nil {
			return fmt.Errorf("memstore: %w", err)
		}
	}
	return nil
}

// links returns the object's links or nil; the caller holds mu.
func (s *Store) links(tenant, object string) *objLinks {
	t := s.tenants[tenant]
	if t == nil {
		return nil
	}
	return t.links[object]
}

func copyLink(l *syncer.Link) syncer.Link {
	c := *l
	c.Base = slices.Clone(l.Base)
	return c
}

// LinkByHubSpotID implements [syncer.StateStore].
func (s *Store) LinkByHubSpotID(ctx context.Context, tenant, object, id string) (syncer.Link, error) {
	if err := checkScope(ctx, tenant, object); err != nil {
		return syncer.Link{}, err
	}
	if err := firstErr(syncer.CheckID("object", object), syncer.CheckID("hubspot ID", id)); err != nil {
		return syncer.Link{}, fmt.Errorf("memstore: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if o := s.links(tenant, object); o != nil {
		if l := o.byHS[id]; l != nil {
			return copyLink(l), nil
		}
	}
	return syncer.Link{}, fmt.Errorf("memstore: link %s hubspot=%s: %w", object, id, syncer.ErrNotFound)
}

// LinkByConnectWiseID implements [syncer.StateStore].
func (s *Store) LinkByConnectWiseID(ctx context.Context, tenant, object string, id int64) (syncer.Link, error) {
	if err := checkScope(ctx, tenant, object); err != nil {
		return syncer.Link{}, err
	}
	if err := firstErr(syncer.CheckID("object", object), syncer.CheckConnectWiseID(id)); err != nil {
		return syncer.Link{}, fmt.Errorf("memstore: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if o := s.links(tenant, object); o != nil {
		if l := o.byCW[id]; l != nil {
			return copyLink(l), nil
		}
	}
	return syncer.Link{}, fmt.Errorf("memstore: link %s connectwise=%d: %w", object, id, syncer.ErrNotFound)
}

// LinksByHubSpotIDs implements [syncer.StateStore].
func (s *Store) LinksByHubSpotIDs(ctx context.Context, tenant, object string, ids []string) (map[string]syncer.Link, error) {
	if err := checkScope(ctx, tenant, object); err != nil {
		return nil, err
	}
	if err := syncer.CheckID("object", object); err != nil {
		return nil, fmt.Errorf("memstore: %w", err)
	}
	for _, id := range ids {
		if err := syncer.CheckID("hubspot ID", id); err != nil {
			return nil, fmt.Errorf("memstore: %w", err)
		}
	}
	out := make(map[string]syncer.Link, len(ids))
	s.mu.RLock()
	defer s.mu.RUnlock()
	if o := s.links(tenant, object); o != nil {
		for _, id := range ids {
			if l := o.byHS[id]; l != nil {
				out[id] = copyLink(l)
			}
		}
	}
	return out, nil
}

// LinksByConnectWiseIDs implements [syncer.StateStore].
func (s *Store) LinksByConnectWiseIDs(ctx context.Context, tenant, object string, ids []int64) (map[int64]syncer.Link, error) {
	if err := checkScope(ctx, tenant, object); err != nil {
		return nil, err
	}
	if err := syncer.CheckID("object", object); err != nil {
		return nil, fmt.Errorf("memstore: %w", err)
	}
	for _, id := range ids {
		if err := syncer.CheckConnectWiseID(id); err != nil {
			return nil, fmt.Errorf("memstore: %w", err)
		}
	}
	out := make(map[int64]syncer.Link, len(ids))
	s.mu.RLock()
	defer s.mu.RUnlock()
	if o := s.links(tenant, object); o != nil {
		for _, id := range ids {
			if l := o.byCW[id]; l != nil {
				out[id] = copyLink(l)
			}
		}
	}
	return out, nil
}

// ListLinks implements [syncer.StateStore]. It copies one page of links per read
// lock, so writers are never blocked by a slow loop body.
func (s *Store) ListLinks(ctx context.Context, tenant, object string, opts *syncer.LinkListOptions) iter.Seq2[syncer.Link, error] {
	var o syncer.LinkListOptions
	if opts != nil {
		o = *opts
	}
	return func(yield func(syncer.Link, error) bool) {
		if err := checkScope(ctx, tenant, object); err != nil {
			yield(syncer.Link{}, err)
			return
		}
		if err := syncer.CheckID("object", object); err != nil {
			yield(syncer.Link{}, fmt.Errorf("memstore: %w", err))
			return
		}
		after, left := o.AfterConnectWiseID, o.Limit
		for {
			page := s.linkPage(tenant, object, after)
			for _, l := range page {
				if err := ctx.Err(); err != nil {
					yield(syncer.Link{}, fmt.Errorf("memstore: %w", err))
					return
				}
				if !yield(l, nil) {
					return
				}
				after = l.ConnectWiseID
				if left--; left == 0 {
					return
				}
			}
			if len(page) < s.pageSize {
				return
			}
		}
	}
}

// linkPage returns copies of up to pageSize links after the given ConnectWise ID.
func (s *Store) linkPage(tenant, object string, after int64) []syncer.Link {
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.links(tenant, object)
	if o == nil {
		return nil
	}
	ids := o.sortedIDs()
	i, _ := slices.BinarySearch(ids, after+1)
	ids = ids[i:min(i+s.pageSize, len(ids))]
	page := make([]syncer.Link, len(ids))
	for i, id := range ids {
		page[i] = copyLink(o.byCW[id])
	}
	return page
}

// Cursor implements [syncer.StateStore].
func (s *Store) Cursor(ctx context.Context, tenant, key string) (string, error) {
	if err := checkScope(ctx, tenant, ""); err != nil {
		return "", err
	}
	if err := syncer.CheckID("cursor key", key); err != nil {
		return "", fmt.Errorf("memstore: %w", err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.tenants[tenant]; t != nil {
		if v, ok := t.cursors[key]; ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("memstore: cursor %s: %w", key, syncer.ErrNotFound)
}

// ListIntents implements [syncer.StateStore].
func (s *Store) ListIntents(ctx context.Context, tenant, object string) iter.Seq2[syncer.Intent, error] {
	return listSorted(s, ctx, tenant, object, func(t *tenantState) []syncer.Intent {
		var out []syncer.Intent
		for k, v := range t.intents {
			if object == "" || k.object == object {
				v.Payload = slices.Clone(v.Payload)
				out = append(out, v)
			}
		}
		slices.SortFunc(out, func(a, b syncer.Intent) int {
			return cmpStrings(a.Object, b.Object, string(a.Target), string(b.Target), a.SourceID, b.SourceID)
		})
		return out
	})
}

// ListDeadLetters implements [syncer.StateStore].
func (s *Store) ListDeadLetters(ctx context.Context, tenant string, opts *syncer.DeadLetterListOptions) iter.Seq2[syncer.DeadLetter, error] {
	var o syncer.DeadLetterListOptions
	if opts != nil {
		o = *opts
	}
	return listSorted(s, ctx, tenant, o.Object, func(t *tenantState) []syncer.DeadLetter {
		var out []syncer.DeadLetter
		for k, v := range t.dead {
			if o.Object != "" && k.object != o.Object {
				continue
			}
			if !o.DueAt.IsZero() && v.NextRetryAt.After(o.DueAt) {
				continue
			}
			out = append(out, v)
		}
		slices.SortFunc(out, func(a, b syncer.DeadLetter) int {
			return cmpStrings(a.Object, b.Object, string(a.Side), string(b.Side), a.SourceID, b.SourceID)
		})
		return out
	})
}

// ListConflicts implements [syncer.StateStore].
func (s *Store) ListConflicts(ctx context.Context, tenant, object string) iter.Seq2[syncer.Conflict, error] {
	return listSorted(s, ctx, tenant, object, func(t *tenantState) []syncer.Conflict {
		var out []syncer.Conflict
		for k, v := range t.conflicts {
			if object == "" || k.object == object {
				out = append(out, copyConflict(v))
			}
		}
		slices.SortFunc(out, func(a, b syncer.Conflict) int {
			if c := cmpStrings(a.Object, b.Object, a.HubSpotID, b.HubSpotID); c != 0 {
				return c
			}
			if a.ConnectWiseID != b.ConnectWiseID {
				if a.ConnectWiseID < b.ConnectWiseID {
					return -1
				}
				return 1
			}
			return strings.Compare(a.Field, b.Field)
		})
		return out
	})
}

func copyConflict(c syncer.Conflict) syncer.Conflict {
	c.HubSpotValue = slices.Clone(c.HubSpotValue)
	c.ConnectWiseValue = slices.Clone(c.ConnectWiseValue)
	c.BaseValue = slices.Clone(c.BaseValue)
	return c
}

// listSorted copies the records collect picks under a read lock and yields them
// after releasing it.
func listSorted[T any](s *Store, ctx context.Context, tenant, object string, collect func(*tenantState) []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if err := checkScope(ctx, tenant, object); err != nil {
			yield(zero, err)
			return
		}
		s.mu.RLock()
		var out []T
		if t := s.tenants[tenant]; t != nil {
			out = collect(t)
		}
		s.mu.RUnlock()
		for _, v := range out {
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("memstore: %w", err))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// cmpStrings compares pairs (a0, b0), (a1, b1), ... lexicographically.
func cmpStrings(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// orNow returns norm(t), or now when t is zero.
func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return norm(t)
}

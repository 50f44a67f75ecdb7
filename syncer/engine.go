package syncer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// Config configures an [Engine]. Tenant, HubSpot, ConnectWise, Mapping and Store
// are required; every other field has a default.
type Config struct {
	// Tenant scopes every piece of state; one process may run engines for many
	// tenants over one store.
	Tenant string
	// HubSpot and ConnectWise are the two sides ([NewHubSpot], [NewConnectWise]).
	HubSpot     HubSpotSide
	ConnectWise ConnectWiseSide
	// Mapping is the compiled mapping; its enabled objects sync in spec order
	// (companies before contacts before deals).
	Mapping *mapping.Mapping
	// Store holds links, base snapshots, cursors, intents and dead letters.
	Store StateStore

	// Objects limits the pass to these object mappings (nil: every enabled one).
	Objects []string
	// Associations are the associations written between objects; nil means
	// the ones the mapping declares (mapping.ObjectMapping.Associations).
	Associations []Association
	// IDProperties names, per object, the unique HubSpot property holding the
	// ConnectWise record ID; upserts toward HubSpot are keyed on it. By default it
	// is the property of the field mapped from ConnectWise path "id".
	IDProperties map[string]string
	// Lookups builds the run-time lookup tables (owners, stages, list
	// memberships) once per pass; nil means none. Custom-field IDs are added by
	// the engine.
	Lookups func(ctx context.Context) (*mapping.Lookups, error)
	// DefaultConflict settles a field changed on both sides (or differing when a
	// link is first made) when the mapping names no preference; empty means
	// mapping.PreferConnectWise.
	DefaultConflict mapping.Conflict
	// Resolvers settle conflicts per object (keyed by object name), overriding
	// the mapping object's preference and DefaultConflict.
	Resolvers map[string]Resolver
	// FieldResolvers settle conflicts of single fields (keyed by object name
	// and HubSpot property), overriding everything else. The precedence, most
	// specific first: FieldResolvers, the mapping field's own Conflict,
	// Resolvers, the mapping object's Conflict, DefaultConflict.
	FieldResolvers map[FieldKey]Resolver

	// Deletes sets the delete policy per object name; objects not named ignore
	// deletes (DeleteIgnore): deletes are never propagated by default.
	Deletes map[string]DeletePolicy
	// FilterExit sets, per object name, what happens to the link of a record
	// that leaves its filter; objects not named keep it (FilterExitKeep).
	FilterExit map[string]FilterExit
	// MaxDeleteShare is the mass-delete guard: deletions (unlink or propagate)
	// of more than this share of an object's links at once, and of more than
	// one record, are refused with ErrMassDelete. 0 means 0.1 (10%, a choice of
	// ours: the reference gives no figure); a negative value turns it off.
	MaxDeleteShare float64

	// Overlap widens every change-feed window backward (default 5 minutes):
	// seeing a record twice is harmless, missing one is not.
	Overlap time.Duration
	// SafetyLag keeps cursors this far behind the pass start (default 1 minute),
	// covering HubSpot's eventually consistent search index and clock skew.
	SafetyLag time.Duration
	// RetryBackoff is the first wait before a failed record is retried (default
	// 1 minute); it doubles per attempt up to MaxRetryBackoff (default 6 hours),
	// which is also the wait after a permanent error.
	RetryBackoff, MaxRetryBackoff time.Duration

	// Fence, when set, returns the fence every batch is committed under: the
	// lease of a worker sharing tenants with others through a [Leaser] store. A
	// worker that lost its lease can then no longer commit (ErrFenced ends the
	// pass).
	Fence func() *Fence

	// Observe, when set, is called with the result of every record a pass or
	// backfill handled, as it is reported: the hook for metrics and tracing
	// (OpenTelemetry, Prometheus) without the library depending on either.
	Observe func(RecordResult)

	// Clock returns the current time (default time.Now).
	Clock func() time.Time
	// Logger receives structured events (default: discard).
	Logger *slog.Logger
}

// Engine runs sync passes for one tenant. It is safe for concurrent use: Run,
// Apply and Backfill of one Engine take turns. Engines in several processes
// must not serve one tenant at the same time (issue 7 adds leases for that).
type Engine struct {
	mu      sync.Mutex // serialises the passes that write
	cfg     Config
	tenant  string
	hs      HubSpotSide
	cw      ConnectWiseSide
	store   StateStore
	now     func() time.Time
	log     *slog.Logger
	objects []*objectSpec
	byName  map[string]*objectSpec
}

// objectSpec is what the engine derived from one compiled object mapping.
type objectSpec struct {
	m          *mapping.Object
	name       string
	hsType     string
	cwRes      string
	dir        mapping.Direction
	idProp     string   // unique HubSpot property holding the ConnectWise ID
	modProp    string   // HubSpot last-modified property
	props      []string // HubSpot properties to read
	fields     []mapping.FieldInfo
	keys       []string          // match keys (HubSpot property names)
	keyPath    map[string]string // match key -> ConnectWise path
	unique     map[string]bool   // HubSpot properties known to be unique
	assocs     []Association     // associations from this object
	forecast   bool              // the mapping reads the opportunity forecast
	cwToHS     bool              // records flow ConnectWise -> HubSpot
	hsToCW     bool              // records flow HubSpot -> ConnectWise
	customCaps bool              // the mapping addresses custom fields by caption
}

// New checks cfg and returns an engine.
func New(cfg Config) (*Engine, error) {
	switch {
	case cfg.Tenant == "" || !ValidString(cfg.Tenant):
		return nil, errors.New("syncer: New: tenant is empty or not valid UTF-8")
	case cfg.HubSpot == nil || cfg.ConnectWise == nil:
		return nil, errors.New("syncer: New: both sides are required")
	case cfg.Mapping == nil:
		return nil, errors.New("syncer: New: mapping is required")
	case cfg.Store == nil:
		return nil, errors.New("syncer: New: store is required")
	}
	if cfg.Overlap <= 0 {
		cfg.Overlap = 5 * time.Minute
	}
	if cfg.SafetyLag <= 0 {
		cfg.SafetyLag = time.Minute
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = time.Minute
	}
	if cfg.MaxRetryBackoff <= 0 {
		cfg.MaxRetryBackoff = 6 * time.Hour
	}
	if cfg.MaxDeleteShare == 0 {
		cfg.MaxDeleteShare = 0.1
	}
	for obj, p := range cfg.Deletes {
		if p != DeleteIgnore && p != DeleteUnlink && p != DeletePropagate {
			return nil, fmt.Errorf("syncer: New: object %q: unknown delete policy %q", obj, p)
		}
	}
	for obj, p := range cfg.FilterExit {
		if p != FilterExitKeep && p != FilterExitUnlink {
			return nil, fmt.Errorf("syncer: New: object %q: unknown filter-exit policy %q", obj, p)
		}
	}
	if cfg.DefaultConflict == "" {
		cfg.DefaultConflict = mapping.PreferConnectWise
	}
	e := &Engine{cfg: cfg, tenant: cfg.Tenant, hs: cfg.HubSpot, cw: cfg.ConnectWise, store: cfg.Store,
		now: cfg.Clock, log: cfg.Logger, byName: map[string]*objectSpec{}}
	if e.now == nil {
		e.now = time.Now
	}
	if e.log == nil {
		e.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	unique := uniqueProperties(cfg.Mapping)
	for _, o := range cfg.Mapping.Objects() {
		if !o.Enabled() || o.Direction() == mapping.Off {
			continue
		}
		if cfg.Objects != nil && !slices.Contains(cfg.Objects, o.Name()) {
			continue
		}
		spec, err := newObjectSpec(o, cfg.IDProperties[o.Name()], unique[o.HubSpotObject()])
		if err != nil {
			return nil, err
		}
		e.objects = append(e.objects, spec)
		e.byName[spec.name] = spec
	}
	for _, n := range cfg.Objects {
		if e.byName[n] == nil {
			return nil, fmt.Errorf("syncer: New: object %q is not an enabled object of the mapping", n)
		}
	}
	assocs := cfg.Associations
	if assocs == nil {
		for _, o := range cfg.Mapping.Objects() {
			for _, a := range o.Associations() {
				assocs = append(assocs, Association{From: o.Name(), To: a.To, Path: a.ConnectWise})
			}
		}
	}
	for _, a := range assocs {
		from, to := e.byName[a.From], e.byName[a.To]
		if from == nil || to == nil {
			if cfg.Associations != nil {
				return nil, fmt.Errorf("syncer: New: association %s -> %s names an object that is not synced", a.From, a.To)
			}
			continue
		}
		from.assocs = append(from.assocs, a)
	}
	e.objects = dependencyOrder(e.objects)
	return e, nil
}

// dependencyOrder orders objects so that each comes after the objects its
// associations point to (companies before contacts before deals), keeping the
// spec order otherwise; a cycle keeps the spec order for its members.
func dependencyOrder(objs []*objectSpec) []*objectSpec {
	out := make([]*objectSpec, 0, len(objs))
	placed := map[string]bool{}
	for len(out) < len(objs) {
		progress := false
		for _, o := range objs {
			if placed[o.name] {
				continue
			}
			ready := true
			for _, a := range o.assocs {
				if a.To != o.name && !placed[a.To] {
					ready = false
				}
			}
			if ready {
				out = append(out, o)
				placed[o.name] = true
				progress = true
			}
		}
		if !progress { // a cycle: take the first unplaced object as it is
			for _, o := range objs {
				if !placed[o.name] {
					out = append(out, o)
					placed[o.name] = true
					break
				}
			}
		}
	}
	return out
}

func newObjectSpec(o *mapping.Object, idProp string, unique map[string]bool) (*objectSpec, error) {
	s := &objectSpec{m: o, name: o.Name(), hsType: o.HubSpotObject(), cwRes: o.ConnectWiseObject(), dir: o.Direction(),
		fields: o.Fields(), keys: o.MatchKeys(), keyPath: map[string]string{}, unique: map[string]bool{}}
	if s.dir == "" {
		s.dir = mapping.Both
	}
	s.cwToHS = s.dir == mapping.Both || s.dir == mapping.ToHubSpot
	s.hsToCW = s.dir == mapping.Both || s.dir == mapping.ToConnectWise
	// Contacts use lastmodifieddate, every other object hs_lastmodifieddate
	// (hubspot-api.md §5 "Last-modified property per object").
	s.modProp = "hs_lastmodifieddate"
	if s.hsType == "contacts" || s.hsType == "0-1" {
		s.modProp = "lastmodifieddate"
		// email is unique for contacts and usable as idProperty (hubspot-api.md §4).
		s.unique["email"] = true
	}
	for p := range unique {
		s.unique[p] = true
	}
	for _, f := range s.fields {
		if f.ConnectWise == "id" && idProp == "" {
			idProp = f.HubSpot
		}
		if len(f.ConnectWise) > len(mapping.ForecastKey) && f.ConnectWise[:len(mapping.ForecastKey)+1] == mapping.ForecastKey+"/" {
			s.forecast = true
		}
		if containsCustomCaption(f.ConnectWise) {
			s.customCaps = true
		}
	}
	for _, k := range s.keys {
		for _, f := range s.fields {
			if f.HubSpot == k {
				s.keyPath[k] = f.ConnectWise
			}
		}
	}
	s.idProp = idProp
	if s.cwToHS && s.idProp == "" {
		// Creates toward HubSpot are upserts keyed on this property; without it a
		// crashed pass could create a second record (hubspot-api.md §4 batch upsert).
		return nil, fmt.Errorf("syncer: New: object %q flows toward HubSpot but has no unique ConnectWise-ID property (map ConnectWise path \"id\" or set Config.IDProperties)", s.name)
	}
	s.props = append(o.Properties(), "hs_object_id", s.modProp, mergedProp)
	slices.Sort(s.props)
	s.props = slices.Compact(s.props)
	return s, nil
}

func uniqueProperties(m *mapping.Mapping) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	plan := m.PropertyPlan()
	if plan == nil {
		return out
	}
	for _, p := range plan.Properties {
		if p.Property.HasUniqueValue {
			if out[p.Object] == nil {
				out[p.Object] = map[string]bool{}
			}
			out[p.Object][p.Property.Name] = true
		}
	}
	return out
}

func containsCustomCaption(path string) bool {
	const pre = "customFields[caption="
	return len(path) >= len(pre) && path[:len(pre)] == pre
}

// Tenant returns the engine's tenant key.
func (e *Engine) Tenant() string { return e.tenant }

// Objects returns the names of the objects the engine syncs, in sync order.
func (e *Engine) Objects() []string {
	out := make([]string, len(e.objects))
	for i, o := range e.objects {
		out[i] = o.name
	}
	return out
}

// commit commits b under the configured fence.
func (e *Engine) commit(ctx context.Context, b *Batch) error {
	if e.cfg.Fence != nil {
		b.Fence = e.cfg.Fence()
	}
	return e.store.Commit(ctx, e.tenant, b)
}

// lookups builds the pass's lookup tables: the user's, plus custom-field IDs.
func (e *Engine) lookups(ctx context.Context) (*mapping.Lookups, error) {
	lk := mapping.NewLookups()
	if e.cfg.Lookups != nil {
		l, err := e.cfg.Lookups(ctx)
		if err != nil {
			return nil, fmt.Errorf("syncer: lookups: %w", err)
		}
		if l != nil {
			lk = l
		}
	}
	for _, o := range e.objects {
		if !o.customCaps || !o.hsToCW {
			continue
		}
		ids, err := e.cw.CustomFields(ctx, o.cwRes)
		if err != nil {
			return nil, fmt.Errorf("syncer: custom fields of %s: %w", o.cwRes, err)
		}
		lk.SetCustomFields(o.cwRes, ids)
	}
	return lk, nil
}

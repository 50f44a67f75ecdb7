package syncer

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"
	"unicode/utf8"
)

// Portable errors of the state-store contract. Drivers wrap them with context
// (fmt.Errorf("...: %w", ErrConflict)); callers test them with [errors.Is].
// Drivers never retry: the engine decides what to do with each of them.
var (
	// ErrNotFound reports that a link or cursor does not exist.
	ErrNotFound = errors.New("syncer: not found")
	// ErrConflict reports that a write would break a uniqueness rule (a second link
	// for an ID already linked), that an optimistic version check failed, or that a
	// lease is held by another holder.
	ErrConflict = errors.New("syncer: conflict")
	// ErrUnavailable reports that the store cannot be reached or is closed. The
	// operation may succeed later; whether to retry is the caller's decision.
	ErrUnavailable = errors.New("syncer: store unavailable")
	// ErrFenced reports that a commit or lease operation carried a lease that is no
	// longer the tenant's current, live lease (taken over, expired or released).
	ErrFenced = errors.New("syncer: fenced: lease is stale")
	// ErrInvalid reports an argument or batch operation that breaks the contract
	// (empty identifier, NUL byte, invalid UTF-8, non-positive ConnectWise ID, ...).
	ErrInvalid = errors.New("syncer: invalid argument")
)

// Side names one of the two systems kept in sync.
type Side string

// The two sides.
const (
	SideHubSpot     Side = "hubspot"
	SideConnectWise Side = "connectwise"
)

// Valid reports whether s is one of [SideHubSpot] and [SideConnectWise].
func (s Side) Valid() bool { return s == SideHubSpot || s == SideConnectWise }

// StateStore is the storage contract of the sync engine. Every driver (memstore,
// boltstore, a future pgstore, a third-party driver) implements it exactly as
// written here and proves it by passing the conformance suite in
// [github.com/hubwise/hubwise/syncer/storetest].
//
// # Scope
//
// Everything is scoped by a tenant key (one process serves many tenants) and most
// records by an object name ("companies", "contacts", "deals"). Tenants never see
// each other's data.
//
// # Identifiers
//
// Tenant keys, object names, IDs, cursor keys, holder names, field names and every
// other string, including cursor values and error texts, must be valid UTF-8
// without NUL bytes (PostgreSQL text cannot hold NUL); identifiers must also be
// non-empty. ConnectWise IDs must be positive. A violation fails with an error
// wrapping [ErrInvalid]. A driver may also cap the length of identifiers at no
// less than 512 bytes (PostgreSQL refuses index entries above about 2.7 KB and a
// key may hold four identifiers; bbolt keys are limited to 32 KiB); longer ones
// fail with ErrInvalid too. Engines keep identifiers well below that: they are
// record IDs, object names and short cursor keys. Strings order bytewise wherever an order is specified (in SQL,
// COLLATE "C").
//
// # Times
//
// Drivers store times truncated to the microsecond and return them in UTC, so a
// value read back equals the value written after t.UTC().Truncate(time.Microsecond).
// The zero time round-trips as the zero time. Where this contract says "now", the
// driver reads the clock injected through its options, never the wall clock
// directly.
//
// # Bytes
//
// Byte slices (base snapshots, payloads, conflict values) are opaque to the store.
// Drivers copy them on the way in and on the way out: a caller that modifies a
// slice after Commit, or a slice it was given, never changes stored state. A nil
// slice and an empty slice may come back as either.
//
// # Reads
//
// Reads see committed batches only and each read sees a batch entirely or not at
// all. Listing iterators are lazy: they fetch in pages, hold no lock or transaction
// while the caller's loop body runs, stop when the loop breaks, and yield at most
// one error, after which they stop. A record committed or deleted while an
// iteration runs may or may not be seen, but no record is yielded twice and the
// order holds.
//
// # Writes
//
// All writes go through [StateStore.Commit] with a [Batch]. A pending create
// intent is recorded before the external write by committing a batch that holds
// only that intent; Commit returns after the intent is durable (as durable as the
// driver is). There are no other write methods.
//
// # Context and errors
//
// Every method checks ctx and returns an error wrapping ctx.Err() when it is done
// (iterators yield it). Errors wrap the sentinels of this package; a driver never
// retries internally.
//
// # Concurrency
//
// A StateStore is safe for concurrent use by many goroutines (and, for shared
// drivers, processes). Concurrent commits are serialisable: the result equals
// some order of running them one at a time. A commit never fails merely because
// another ran at the same time (no serialisation failures surface; a SQL driver
// serialises a tenant's commits itself, for example by locking the tenant's row),
// so of two commits linking the same ID one succeeds and the other fails with
// ErrConflict.
//
// # Leases
//
// A driver may also implement [Leaser]; see there for the fencing rules Commit
// follows in that case.
type StateStore interface {
	// LinkByHubSpotID returns the link of object whose HubSpot ID is id, or an
	// error wrapping ErrNotFound.
	LinkByHubSpotID(ctx context.Context, tenant, object, id string) (Link, error)
	// LinkByConnectWiseID returns the link of object whose ConnectWise ID is id,
	// or an error wrapping ErrNotFound.
	LinkByConnectWiseID(ctx context.Context, tenant, object string, id int64) (Link, error)
	// LinksByHubSpotIDs looks many HubSpot IDs up in one call and returns the
	// links found, keyed by HubSpot ID. IDs without a link are absent from the
	// map (not an error); duplicates in ids are allowed. The map is never nil.
	LinksByHubSpotIDs(ctx context.Context, tenant, object string, ids []string) (map[string]Link, error)
	// LinksByConnectWiseIDs is LinksByHubSpotIDs for ConnectWise IDs.
	LinksByConnectWiseIDs(ctx context.Context, tenant, object string, ids []int64) (map[int64]Link, error)
	// ListLinks yields the links of object in ascending ConnectWise ID order,
	// starting after opts.AfterConnectWiseID and stopping after opts.Limit links
	// when Limit > 0. A nil opts lists every link. To page, pass the last
	// ConnectWise ID seen as AfterConnectWiseID.
	ListLinks(ctx context.Context, tenant, object string, opts *LinkListOptions) iter.Seq2[Link, error]

	// Cursor returns the value stored under key, or an error wrapping ErrNotFound.
	Cursor(ctx context.Context, tenant, key string) (string, error)

	// ListIntents yields the tenant's pending create intents of object (of every
	// object when object is ""), ordered by Object, Target, then SourceID.
	ListIntents(ctx context.Context, tenant, object string) iter.Seq2[Intent, error]

	// ListDeadLetters yields the tenant's dead letters ordered by Object, Side,
	// then SourceID, filtered by opts (nil means all).
	ListDeadLetters(ctx context.Context, tenant string, opts *DeadLetterListOptions) iter.Seq2[DeadLetter, error]

	// ListConflicts yields the tenant's parked conflicts of object (of every
	// object when object is ""), ordered by Object, HubSpotID, ConnectWiseID,
	// then Field.
	ListConflicts(ctx context.Context, tenant, object string) iter.Seq2[Conflict, error]

	// Commit applies every operation of b, in order, all or nothing.
	//
	// The driver first checks ctx, then the fence (see [Leaser]), then
	// [Batch.Validate], then applies the operations in order as if one at a time,
	// so a later operation sees the effect of an earlier one (delete a link, then
	// put a new link for the same ID). If any check or operation fails, nothing of
	// the batch is stored and the error is returned; an error caused by one
	// operation is an [*OpError] naming it. On success every operation is durable
	// (as durable as the driver is) before Commit returns. An empty batch writes
	// nothing but still checks ctx and the fence. A nil b is invalid.
	//
	// A driver that does not implement [Leaser] refuses a batch with a Fence with
	// an error wrapping [errors.ErrUnsupported].
	Commit(ctx context.Context, tenant string, b *Batch) error
}

// Link connects a HubSpot record and a ConnectWise record of one object. Per
// tenant and object, a HubSpot ID belongs to at most one link and a ConnectWise ID
// belongs to at most one link.
type Link struct {
	// Object is the object pair name, such as "companies".
	Object string
	// HubSpotID is the HubSpot record ID.
	HubSpotID string
	// ConnectWiseID is the ConnectWise record ID (positive).
	ConnectWiseID int64
	// Base is the snapshot the engine encoded after the last successful sync of the
	// link: the field values both sides held. Opaque to the store.
	Base []byte
	// SyncedAt is when the link was last synced; a put with the zero time stores now.
	SyncedAt time.Time
	// HubSpotModifiedAt is the HubSpot last-modified time the engine last saw.
	HubSpotModifiedAt time.Time
	// ConnectWiseModifiedAt is the ConnectWise last-updated time the engine last saw.
	ConnectWiseModifiedAt time.Time
	// Version is assigned by the store: 1 when the link is created, incremented by
	// one on every put that replaces it. Ignored on the way in; use
	// [Batch.PutLinkIfVersion] for an optimistic check.
	Version int64
}

// LinkListOptions page through [StateStore.ListLinks].
type LinkListOptions struct {
	// AfterConnectWiseID lists links whose ConnectWise ID is greater than this.
	AfterConnectWiseID int64
	// Limit stops the listing after this many links; 0 means no limit.
	Limit int
}

// Intent records a create about to be made on the target side, committed before
// the external write and deleted in the batch that commits the resulting link. On
// replay after a crash the engine lists intents and looks each record up by
// LookupKey before creating it again. An intent is identified by Object, Target
// and SourceID; putting it again replaces it.
type Intent struct {
	// Object is the object pair name.
	Object string
	// Target is the side the record is created on.
	Target Side
	// SourceID is the ID of the record on the other (source) side.
	SourceID string
	// LookupKey is what the engine searches the target side by on replay (an
	// email, a company identifier, a rec-ID property value). May be empty.
	LookupKey string
	// CreatedAt is when the intent was recorded; a put with the zero time stores now.
	CreatedAt time.Time
	// Payload is opaque engine data (for example the planned create). May be nil.
	Payload []byte
}

// DeadLetter is a record that failed and waits for a retry. It is identified by
// Object, Side and SourceID.
//
// A put of a new dead letter stores it as given, with FirstFailedAt defaulting to
// LastFailedAt, and LastFailedAt defaulting to now. A put of an existing one adds
// the given Attempts to the stored count, keeps the stored FirstFailedAt, and
// replaces Err, LastFailedAt (defaulting to now) and NextRetryAt.
type DeadLetter struct {
	// Object is the object pair name.
	Object string
	// Side is the side the failing record comes from.
	Side Side
	// SourceID is the record's ID on Side.
	SourceID string
	// Err is the error text (valid UTF-8 without NUL; the engine sanitises it).
	Err string
	// Attempts is the number of failed attempts; on a put, the increment (>= 0).
	Attempts int
	// FirstFailedAt is when the record first failed.
	FirstFailedAt time.Time
	// LastFailedAt is when the record last failed.
	LastFailedAt time.Time
	// NextRetryAt is when the record is due again; the zero time is always due.
	NextRetryAt time.Time
}

// DeadLetterListOptions filter [StateStore.ListDeadLetters].
type DeadLetterListOptions struct {
	// Object keeps only dead letters of this object when not empty.
	Object string
	// DueAt keeps only dead letters whose NextRetryAt is not after DueAt, when
	// DueAt is not the zero time.
	DueAt time.Time
}

// Conflict is a field changed on both sides to different values, parked for a
// later review. It is identified by Object, HubSpotID, ConnectWiseID and Field;
// putting it again replaces it.
type Conflict struct {
	// Object is the object pair name.
	Object string
	// HubSpotID and ConnectWiseID name the link.
	HubSpotID     string
	ConnectWiseID int64
	// Field is the mapped field name.
	Field string
	// HubSpotValue, ConnectWiseValue and BaseValue are the engine's encoded values.
	HubSpotValue     []byte
	ConnectWiseValue []byte
	BaseValue        []byte
	// DetectedAt is when the conflict was found; a put with the zero time stores now.
	DetectedAt time.Time
}

// OpError is the error Commit returns when one operation of a batch fails. It
// unwraps to the cause, which wraps a sentinel such as [ErrConflict].
type OpError struct {
	// Index is the operation's position in Batch.Ops.
	Index int
	// Op is the failing operation.
	Op Op
	// Err is the cause.
	Err error
}

// Error returns "syncer: batch op N (op): cause".
func (e *OpError) Error() string {
	return fmt.Sprintf("syncer: batch op %d (%v): %v", e.Index, e.Op, e.Err)
}

// Unwrap returns the cause.
func (e *OpError) Unwrap() error { return e.Err }

// ValidString reports whether s is usable as a stored string: valid UTF-8
// without NUL bytes (see "Identifiers" in [StateStore]).
func ValidString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return false
		}
	}
	return utf8.ValidString(s)
}

// CheckID returns an error wrapping [ErrInvalid] naming what when id is empty or
// not a [ValidString]. Drivers use it on the arguments of reads.
func CheckID(what, id string) error {
	if id == "" {
		return fmt.Errorf("%s is empty: %w", what, ErrInvalid)
	}
	if !ValidString(id) {
		return fmt.Errorf("%s %q has a NUL byte or invalid UTF-8: %w", what, id, ErrInvalid)
	}
	return nil
}

// CheckConnectWiseID returns an error wrapping [ErrInvalid] when id is not positive.
func CheckConnectWiseID(id int64) error {
	if id <= 0 {
		return fmt.Errorf("connectwise ID %d is not positive: %w", id, ErrInvalid)
	}
	return nil
}

// Batch is a list of operations committed together by [StateStore.Commit]. Build
// it with the Put and Delete methods (or by appending to Ops). The batch keeps the
// slices it is given until Commit copies them: do not modify them before Commit
// returns. A Batch is not safe for concurrent use while being built.
type Batch struct {
	// Fence, when not nil, ties the commit to a lease from [Leaser]; see there.
	Fence *Fence
	// Ops are applied in order.
	Ops []Op
}

// Op is one operation of a [Batch]: one of [LinkPut], [LinkDelete], [CursorPut],
// [CursorDelete], [IntentPut], [IntentDelete], [DeadLetterPut],
// [DeadLetterDelete], [ConflictPut] or [ConflictDelete]. The set is closed;
// drivers switch on the concrete type.
type Op interface {
	// String describes the operation for errors and logs (IDs and keys only,
	// never payloads).
	String() string
	validate() error
}

// LinkPut creates or replaces a link.
//
// Let H be the stored link with Link.HubSpotID and C the one with
// Link.ConnectWiseID. If H exists and is linked to another ConnectWise ID, or C
// exists and is linked to another HubSpot ID, the put fails with [ErrConflict]
// (a link is never overwritten silently; delete it first). Otherwise, when
// Conditional is set, the put fails with ErrConflict unless IfVersion is 0 and the
// link does not exist, or IfVersion equals the stored Version. Then the link is
// stored with Version 1 (new) or the stored Version + 1 (replaced).
type LinkPut struct {
	Link        Link
	Conditional bool
	IfVersion   int64
}

// LinkDelete removes the link between HubSpotID and ConnectWiseID of Object. When
// neither ID is linked it does nothing; when either ID is linked to a different
// partner it fails with [ErrConflict].
type LinkDelete struct {
	Object        string
	HubSpotID     string
	ConnectWiseID int64
}

// CursorPut stores Value under Key (created or replaced).
type CursorPut struct {
	Key   string
	Value string
}

// CursorDelete removes Key; deleting a missing key does nothing.
type CursorDelete struct {
	Key string
}

// IntentPut records (or replaces) an intent.
type IntentPut struct {
	Intent Intent
}

// IntentDelete removes the intent of Object, Target and SourceID; deleting a
// missing intent does nothing.
type IntentDelete struct {
	Object   string
	Target   Side
	SourceID string
}

// DeadLetterPut upserts a dead letter as described on [DeadLetter].
type DeadLetterPut struct {
	DeadLetter DeadLetter
}

// DeadLetterDelete removes the dead letter of Object, Side and SourceID; deleting
// a missing one does nothing.
type DeadLetterDelete struct {
	Object   string
	Side     Side
	SourceID string
}

// ConflictPut parks (or replaces) a conflict.
type ConflictPut struct {
	Conflict Conflict
}

// ConflictDelete removes a parked conflict; deleting a missing one does nothing.
type ConflictDelete struct {
	Object        string
	HubSpotID     string
	ConnectWiseID int64
	Field         string
}

// PutLink appends an unconditional [LinkPut] and returns b.
func (b *Batch) PutLink(l Link) *Batch { return b.add(LinkPut{Link: l}) }

// PutLinkIfVersion appends a [LinkPut] that only succeeds when the stored link has
// the given version, or, for version 0, when the link does not exist yet.
func (b *Batch) PutLinkIfVersion(l Link, version int64) *Batch {
	return b.add(LinkPut{Link: l, Conditional: true, IfVersion: version})
}

// DeleteLink appends a [LinkDelete] and returns b.
func (b *Batch) DeleteLink(object, hubSpotID string, connectWiseID int64) *Batch {
	return b.add(LinkDelete{Object: object, HubSpotID: hubSpotID, ConnectWiseID: connectWiseID})
}

// PutCursor appends a [CursorPut] and returns b.
func (b *Batch) PutCursor(key, value string) *Batch { return b.add(CursorPut{Key: key, Value: value}) }

// DeleteCursor appends a [CursorDelete] and returns b.
func (b *Batch) DeleteCursor(key string) *Batch { return b.add(CursorDelete{Key: key}) }

// PutIntent appends an [IntentPut] and returns b.
func (b *Batch) PutIntent(i Intent) *Batch { return b.add(IntentPut{Intent: i}) }

// DeleteIntent appends an [IntentDelete] and returns b.
func (b *Batch) DeleteIntent(object string, target Side, sourceID string) *Batch {
	return b.add(IntentDelete{Object: object, Target: target, SourceID: sourceID})
}

// PutDeadLetter appends a [DeadLetterPut] and returns b.
func (b *Batch) PutDeadLetter(d DeadLetter) *Batch { return b.add(DeadLetterPut{DeadLetter: d}) }

// DeleteDeadLetter appends a [DeadLetterDelete] and returns b.
func (b *Batch) DeleteDeadLetter(object string, side Side, sourceID string) *Batch {
	return b.add(DeadLetterDelete{Object: object, Side: side, SourceID: sourceID})
}

// PutConflict appends a [ConflictPut] and returns b.
func (b *Batch) PutConflict(c Conflict) *Batch { return b.add(ConflictPut{Conflict: c}) }

// DeleteConflict appends a [ConflictDelete] and returns b.
func (b *Batch) DeleteConflict(object, hubSpotID string, connectWiseID int64, field string) *Batch {
	return b.add(ConflictDelete{Object: object, HubSpotID: hubSpotID, ConnectWiseID: connectWiseID, Field: field})
}

// Len returns the number of operations in b.
func (b *Batch) Len() int { return len(b.Ops) }

func (b *Batch) add(op Op) *Batch {
	b.Ops = append(b.Ops, op)
	return b
}

// Validate checks every operation against the rules of [StateStore] that need
// no stored state (identifiers, IDs, strings, sides, counts) and returns an
// [*OpError] wrapping [ErrInvalid] for the first violation, or nil. A nil
// operation is invalid. Drivers call it in Commit before writing anything.
func (b *Batch) Validate() error {
	if b == nil {
		return fmt.Errorf("syncer: nil batch: %w", ErrInvalid)
	}
	if b.Fence != nil {
		if err := CheckID("fence holder", b.Fence.Holder); err != nil {
			return fmt.Errorf("syncer: %w", err)
		}
		if b.Fence.Generation <= 0 {
			return fmt.Errorf("syncer: fence generation %d is not positive: %w", b.Fence.Generation, ErrInvalid)
		}
	}
	for i, op := range b.Ops {
		if op == nil {
			return &OpError{Index: i, Op: nilOp{}, Err: fmt.Errorf("nil operation: %w", ErrInvalid)}
		}
		if err := op.validate(); err != nil {
			return &OpError{Index: i, Op: op, Err: err}
		}
	}
	return nil
}

type nilOp struct{}

func (nilOp) String() string  { return "nil" }
func (nilOp) validate() error { return fmt.Errorf("nil operation: %w", ErrInvalid) }

func checkSide(what string, s Side) error {
	if !s.Valid() {
		return fmt.Errorf("%s %q is not %q or %q: %w", what, string(s), SideHubSpot, SideConnectWise, ErrInvalid)
	}
	return nil
}

func checkString(what, s string) error {
	if !ValidString(s) {
		return fmt.Errorf("%s has a NUL byte or invalid UTF-8: %w", what, ErrInvalid)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func (o LinkPut) String() string {
	return fmt.Sprintf("put link %s hubspot=%s connectwise=%d", o.Link.Object, o.Link.HubSpotID, o.Link.ConnectWiseID)
}

func (o LinkPut) validate() error {
	err := firstErr(CheckID("object", o.Link.Object), CheckID("hubspot ID", o.Link.HubSpotID),
		CheckConnectWiseID(o.Link.ConnectWiseID))
	if err == nil && o.Conditional && o.IfVersion < 0 {
		err = fmt.Errorf("expected version %d is negative: %w", o.IfVersion, ErrInvalid)
	}
	return err
}

func (o LinkDelete) String() string {
	return fmt.Sprintf("delete link %s hubspot=%s connectwise=%d", o.Object, o.HubSpotID, o.ConnectWiseID)
}

func (o LinkDelete) validate() error {
	return firstErr(CheckID("object", o.Object), CheckID("hubspot ID", o.HubSpotID), CheckConnectWiseID(o.ConnectWiseID))
}

func (o CursorPut) String() string { return "put cursor " + o.Key }

func (o CursorPut) validate() error {
	return firstErr(CheckID("cursor key", o.Key), checkString("cursor value", o.Value))
}

func (o CursorDelete) String() string { return "delete cursor " + o.Key }

func (o CursorDelete) validate() error { return CheckID("cursor key", o.Key) }

func (o IntentPut) String() string {
	return fmt.Sprintf("put intent %s %s source=%s", o.Intent.Object, o.Intent.Target, o.Intent.SourceID)
}

func (o IntentPut) validate() error {
	return firstErr(CheckID("object", o.Intent.Object), checkSide("target", o.Intent.Target),
		CheckID("source ID", o.Intent.SourceID), checkString("lookup key", o.Intent.LookupKey))
}

func (o IntentDelete) String() string {
	return fmt.Sprintf("delete intent %s %s source=%s", o.Object, o.Target, o.SourceID)
}

func (o IntentDelete) validate() error {
	return firstErr(CheckID("object", o.Object), checkSide("target", o.Target), CheckID("source ID", o.SourceID))
}

func (o DeadLetterPut) String() string {
	return fmt.Sprintf("put dead letter %s %s source=%s", o.DeadLetter.Object, o.DeadLetter.Side, o.DeadLetter.SourceID)
}

func (o DeadLetterPut) validate() error {
	d := o.DeadLetter
	err := firstErr(CheckID("object", d.Object), checkSide("side", d.Side), CheckID("source ID", d.SourceID),
		checkString("error text", d.Err))
	if err == nil && d.Attempts < 0 {
		err = fmt.Errorf("attempts %d is negative: %w", d.Attempts, ErrInvalid)
	}
	return err
}

func (o DeadLetterDelete) String() string {
	return fmt.Sprintf("delete dead letter %s %s source=%s", o.Object, o.Side, o.SourceID)
}

func (o DeadLetterDelete) validate() error {
	return firstErr(CheckID("object", o.Object), checkSide("side", o.Side), CheckID("source ID", o.SourceID))
}

func (o ConflictPut) String() string {
	c := o.Conflict
	return fmt.Sprintf("put conflict %s hubspot=%s connectwise=%d field=%s", c.Object, c.HubSpotID, c.ConnectWiseID, c.Field)
}

func (o ConflictPut) validate() error {
	c := o.Conflict
	return firstErr(CheckID("object", c.Object), CheckID("hubspot ID", c.HubSpotID),
		CheckConnectWiseID(c.ConnectWiseID), CheckID("field", c.Field))
}

func (o ConflictDelete) String() string {
	return fmt.Sprintf("delete conflict %s hubspot=%s connectwise=%d field=%s", o.Object, o.HubSpotID, o.ConnectWiseID, o.Field)
}

func (o ConflictDelete) validate() error {
	return firstErr(CheckID("object", o.Object), CheckID("hubspot ID", o.HubSpotID),
		CheckConnectWiseID(o.ConnectWiseID), CheckID("field", o.Field))
}

// Fence ties a commit to a lease: the holder and the generation it was granted.
type Fence struct {
	Holder     string
	Generation int64
}

// Lease is a tenant's lease as granted by a [Leaser].
type Lease struct {
	Tenant     string
	Holder     string
	Generation int64
	// ExpiresAt is when the lease ends unless renewed; the lease is live while
	// now is before ExpiresAt.
	ExpiresAt time.Time
}

// Fence returns the fence to put on batches committed under l.
func (l Lease) Fence() *Fence { return &Fence{Holder: l.Holder, Generation: l.Generation} }

// Leaser is implemented by drivers that coordinate several workers sharing
// tenants (issue 7). One worker at a time holds a tenant's lease; a worker that
// lost it can no longer commit.
//
// # Generations
//
// Each tenant has a generation counter that starts at 0 and grows by one on every
// successful AcquireLease, never reused, even after a release or expiry. The
// tenant's current lease is the one with the latest generation. It is live while
// it is not released and now (the driver's clock) is before its ExpiresAt.
//
// # Fencing in Commit
//
// A driver that implements Leaser refuses, with an error wrapping [ErrFenced] and
// before writing anything, a Commit whose Batch.Fence does not name the tenant's
// current live lease (other generation or holder, expired, released), and a
// Commit without a Fence while the tenant has a live lease. A tenant that never
// had a lease, or whose lease is released or expired, accepts Commits without a
// Fence. The check and the writes are atomic: a lease cannot be taken over between
// them.
type Leaser interface {
	// AcquireLease grants holder the tenant's lease for ttl, with the next
	// generation. It fails with [ErrConflict] while the current lease is live,
	// even when holder already holds it (a restarted worker must not inherit a
	// fence its earlier incarnation may still be using), and with [ErrInvalid]
	// for an empty holder or a ttl that is not positive.
	AcquireLease(ctx context.Context, tenant, holder string, ttl time.Duration) (Lease, error)
	// RenewLease extends a live current lease to now + ttl and returns it with the
	// new ExpiresAt. It fails with [ErrFenced] when l is not the current live
	// lease: a lost lease cannot be renewed, only acquired again.
	RenewLease(ctx context.Context, l Lease, ttl time.Duration) (Lease, error)
	// ReleaseLease ends l so another holder can acquire the tenant at once. It
	// fails with [ErrFenced] when a later generation exists or the holder
	// differs; releasing an expired or already released current lease succeeds.
	ReleaseLease(ctx context.Context, l Lease) error
}

// Package syncer is hubwise's sync engine between HubSpot and ConnectWise PSA.
//
// An [Engine] runs passes for one tenant: it composes the two sides ([NewHubSpot]
// and [NewConnectWise] adapt the clients to the small [HubSpotSide] and
// [ConnectWiseSide] interfaces the engine declares, which test doubles can
// implement too), a compiled [github.com/hubwise/hubwise/mapping.Mapping] and a
// [StateStore].
//
// # Passes
//
// [Engine.Run] plans and applies one pass for every enabled object in dependency
// order (companies, contacts, deals):
//
//  1. Change feeds: ConnectWise "lastUpdated >= [cursor]" in pages of 1000 ordered
//     by id; HubSpot search on the last-modified property (lastmodifieddate for
//     contacts, hs_lastmodifieddate otherwise) past the 10,000-result cap. Every
//     window reaches back by Config.Overlap and cursors never pass the pass start
//     minus Config.SafetyLag, so a record may be seen twice but never missed.
//  2. Full records are read in batches (HubSpot batch read of 100; ConnectWise
//     "id in (...)" conditions).
//  3. Linking: the store first, then the ConnectWise ID properties on the HubSpot
//     record, then the mapping's match keys (normalised email for contacts, rec ID
//     or company identifier for companies, rec ID for deals). A key that matches
//     more than one record is reported as ambiguous, never guessed.
//  4. Both records are projected into the mapping's canonical form and compared
//     with the link's base snapshot: only fields that changed are written, so an
//     unchanged record, and a value the engine wrote coming back, cost nothing.
//  5. Writes in batches: HubSpot through batch upsert keyed on the unique
//     ConnectWise-ID property (idempotent); ConnectWise creates after an [Intent]
//     is committed, so a replay looks the record up instead of creating it twice;
//     patches with only the changed fields. Associations are written once both
//     ends are linked and deferred, not dropped, otherwise.
//  6. Links, base snapshots and cursors commit per batch; a record that fails is
//     dead-lettered with its error and retried on later passes with backoff
//     ([Engine.RetryNow] forces it), and never stops the others.
//
// [Engine.Plan] is the dry run (operations with field-level before and after and
// the [Reason] for every skip); [Engine.Apply] applies a plan; [Engine.Poll] runs
// passes on an interval until its context ends; [Engine.RunHints] runs a targeted
// pass over the IDs that webhooks and callbacks named.
//
// # Matching
//
// An unlinked record is matched in a fixed order: a pending create [Intent] is
// replayed first (the record is looked up on ConnectWise instead of created
// again); then the ConnectWise-ID property on HubSpot records, read by unique
// value (a batch read, exact and free of the search index's delay); then the
// match keys in spec order. A key value shared by several records on either
// side, a partner already linked to another record, or a value ConnectWise
// cannot be searched by ([UnsearchableError]) makes the record ambiguous:
// nothing is written and it is dead-lettered for a later look. Links found by
// matching are committed before anything depends on them.
//
// Associations follow the links: ConnectWise references (company/id,
// contact/id) become HubSpot default associations, and HubSpot associations
// (primary first) become ConnectWise references on creates and patches. A
// record whose associated record is not linked yet is deferred (a "deferred:"
// dead letter, due at once) and retried on the next pass, not dropped.
//
// # Plan and Apply
//
// Fields flow by their effective direction: a one-way field takes its master
// side's value (a change on the other side is drift and is reverted); a field
// flowing both ways is merged against the link's base snapshot, and a change
// on both sides is settled by the configured conflict resolution or parked for
// review. On a new link a value is never overwritten with emptiness.
//
// [Engine.Apply] writes in this order: links found by matching; ConnectWise
// creates, each chunk behind a committed intent; HubSpot upserts and updates,
// 100 per call; ConnectWise patches; associations; then one commit per 100
// records. A write the pass never sent (HubSpot's daily limit, a cancelled
// context) is not a failure: the cursor or backfill checkpoint stays behind it.
// Permanent errors ([TerminalError]: validation, 4xx answers other than 429,
// mapping errors) wait the longest backoff; a change to the record retries it
// at once.
//
// # Historical migration
//
// [Engine.Backfill] migrates every ConnectWise record of the enabled objects into
// HubSpot, matching existing HubSpot records first, with a progress callback and
// a checkpoint after each page, so a crash or HubSpot's daily limit only pauses it.
//
// # Reports
//
// Every pass returns a [Report]: counts per object and [Outcome], per-record
// results, errors naming the record and field, and API calls per side.
// Config.Observe receives every record result as it happens, for metrics and
// tracing without the library depending on either.
//
// # Conflicts
//
// Every field flowing both ways is merged against the link's base snapshot
// (the values both sides held after the last sync): changed on one side, it
// propagates; changed on both to the same value, it is agreement; changed on
// both to different values, it is a conflict, settled by a [Resolver] for that
// field. One-way fields always take their master side's value. The resolver of
// a field is, most specific first: [Config.FieldResolvers], the mapping field's
// own Conflict preference, [Config.Resolvers] for the object, the mapping
// object's preference, then [Config.DefaultConflict] ([PreferConnectWise] when
// unset). Built-ins: [PreferHubSpot], [PreferConnectWise], [MostRecent] (record
// timestamps of two vendors: clock skew can decide close calls the wrong way)
// and [Review]; [ResolverFunc] adapts a function of one [FieldConflict].
//
// [Review] parks the conflict in the store ([Conflict]) and writes neither
// value for that field while the record's other fields keep flowing; the record
// is reported with [OutcomeConflict]. [Engine.Conflicts] lists parked conflicts
// and [Engine.Settle] settles one with a side or a value of its own; the next
// pass writes it where a side differs and removes the parked record. A parked
// field that stops conflicting on its own (the sides come to agree, or one
// returns to the base) leaves the queue on the next pass that reads it.
//
// Merging compares values, not edit histories, which has two consequences.
// An edit that puts a field back to its base value between two passes (A to
// B and back to A) is no change, so a change of the other side wins without
// a conflict. And a link made by matching two existing records has no base:
// a field empty on one side is filled from the other (a value is never
// overwritten with emptiness), so a field cleared on one side of such a link
// before its first pass comes back. The randomized fault test counts both.
//
// # Deletes
//
// Deletes are never propagated by default. Per object, [Config.Deletes] picks a
// [DeletePolicy]: [DeleteIgnore] (the default: the link stays, nothing is
// written, the deletion is reported), [DeleteUnlink] (the link is removed, the
// partner left alone) or [DeletePropagate] (the HubSpot partner is archived,
// the ConnectWise partner deleted, then the link removed). Polling on
// lastUpdated never sees a delete, so deletions come from two places: the
// IDs a HubSpot deletion webhook or a ConnectWise "deleted" callback named,
// and periodic sweeps for what no delivery announced: [Engine.SweepDeletes]
// lists every ConnectWise ID of an object (the id field only) and compares
// them with the store's links, [Engine.SweepArchived] pages through HubSpot's
// recycle bin for linked records.
// The [Dispatcher] routes deletion events by itself ([ObjectHints]
// DeletedHubSpot and DeletedConnectWise, handled by [Engine.RunHints] after
// the targeted pass); a host with its own event plumbing calls
// [Engine.HandleDeleted]. Either way each record is read again first: a
// record still there (restored, or an event out of order) is left alone.
// HubSpot sends a deletion event for each record a merge absorbs: the
// Dispatcher holds HubSpot deletions for [DispatcherOptions].DeleteDelay and
// drops those a merge event names, and the targeted pass relinks merge
// survivors before it handles deletions, so a merge never deletes the
// ConnectWise partner. ConnectWise companies are soft-deleted (deletedFlag):
// passes never carry one toward HubSpot, and the sweep counts it as gone.
//
// A HubSpot merge is read from hs_merged_object_ids on the survivor, which every
// pass reads (the survivor changes, so the feed or a merge webhook's hint
// brings it): a survivor without a link takes over the merged record's link, so
// nothing is created twice; a survivor with a link of its own keeps it and the
// merged record's link is removed (its ConnectWise record stays, unlinked).
//
// A linked record that leaves its side's filter stops flowing from that side;
// [Config.FilterExit] chooses per object whether the link is kept
// ([FilterExitKeep], the default: it resumes when the record passes again) or
// removed ([FilterExitUnlink]: matched again by its keys if it comes back).
// Neither record is changed.
//
// The mass-delete guard ([Config.MaxDeleteShare], 10% by default) refuses to
// unlink or delete more than that share of an object's links at once (one
// record alone is always allowed): nothing changes, the [DeleteReport] says
// Stopped and the error wraps [ErrMassDelete].
//
// # Echoes
//
// A value the engine wrote comes back in the next change feed as a change equal
// to the base snapshot and is a no-op (reported as [ReasonEcho] or
// [ReasonUnchanged]): the comparison with the base is the only guard against
// loops. The origin markers the vendors offer, ConnectWise's _info.updatedBy
// and callback MemberId (the API member) and HubSpot's changeSource and
// sourceId on webhook events, are used as hints only
// ([DispatcherOptions].ConnectWiseMemberIDs and HubSpotSourceIDs drop the
// hints of the engine's own writes, saving a pass), never as the only guard: a
// person may edit through the same API member, and a hint may be missing.
//
// # Webhooks and callbacks
//
// [Dispatcher] turns HubSpot webhook events and ConnectWise callbacks into
// debounced, deduplicated targeted passes ([Engine.RunHints]); run [Engine.Poll]
// beside it as the safety net. Dropping the echoes of the engine's own writes only
// saves a pass: the comparison with the base snapshot is what prevents loops.
//
// # Workers
//
// [Worker] runs the passes of a [Registry]'s tenants under leases from a [Leaser]
// store (github.com/hubwise/hubwise/syncer/pgstore for several processes): it
// acquires, renews and releases them, commits every batch under the lease's
// [Fence], takes turns between tenants across workers through [LastPassCursor],
// and drops a tenant whose lease was lost.
//
// # State store
//
// [StateStore] is the contract every state-store driver implements: links between
// HubSpot and ConnectWise records (unique in both directions, with the base
// snapshot of the last sync), change-feed cursors, pending create intents, the
// dead-letter list and parked conflicts, all scoped by tenant key and object name.
// Its doc comment is the specification; a third-party driver can be written from
// it alone and proven with the conformance suite
// [github.com/hubwise/hubwise/syncer/storetest].
//
// Drivers: [github.com/hubwise/hubwise/syncer/memstore] (in memory, for tests),
// [github.com/hubwise/hubwise/syncer/boltstore] (the embedded default, one bbolt
// file) and [github.com/hubwise/hubwise/syncer/pgstore] (PostgreSQL, with leases,
// for several workers).
//
// # Batches
//
// All writes go through [StateStore.Commit] with a [Batch] of operations
// ([LinkPut], [LinkDelete], [CursorPut], [IntentPut], [DeadLetterPut],
// [ConflictPut] and their deletes), applied in order, all or nothing:
//
//	b := new(syncer.Batch).
//		PutLink(syncer.Link{Object: "companies", HubSpotID: "1001", ConnectWiseID: 250, Base: snapshot}).
//		DeleteIntent("companies", syncer.SideHubSpot, "250").
//		PutCursor("companies/connectwise", "2026-11-27T12:00:00Z")
//	err := store.Commit(ctx, tenant, b)
//
// A create on either side is preceded by a commit of a batch holding only its
// [Intent], so a crashed pass finds the intent on replay and looks the record up
// before creating it again.
//
// # Leases and fencing
//
// Drivers that let several workers share tenants also implement [Leaser]: one
// holder at a time per tenant, with a generation that grows on every acquisition.
// A batch carrying a stale [Fence] is refused with [ErrFenced], so a worker that
// lost its lease cannot commit state afterwards.
//
// # Errors
//
// Stores return errors wrapping [ErrNotFound], [ErrConflict], [ErrUnavailable],
// [ErrFenced] and [ErrInvalid]; a failing batch operation is reported as an
// [*OpError] naming the operation. Stores never retry; the engine decides.
package syncer

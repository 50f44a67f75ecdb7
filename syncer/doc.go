// Package syncer is hubwise's sync engine between HubSpot and ConnectWise PSA.
//
// So far the package holds the engine's storage contract; the engine itself (change
// feeds, matching, diff, plan, apply, report) builds on it.
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
// Drivers: [github.com/hubwise/hubwise/syncer/memstore] (in memory, for tests)
// and [github.com/hubwise/hubwise/syncer/boltstore] (the embedded default, one
// bbolt file).
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

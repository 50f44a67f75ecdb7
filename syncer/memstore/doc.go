// Package memstore is an in-memory [syncer.StateStore] and [syncer.Leaser] for
// tests and short-lived programs. Nothing survives the process.
//
// # Usage
//
//	store := memstore.New(&memstore.Options{Clock: clock.Now})
//	err := store.Commit(ctx, "tenant-1", new(syncer.Batch).PutCursor("contacts/hubspot", cursor))
//
// New(nil) uses the wall clock.
//
// # Semantics
//
// The store follows the [syncer.StateStore] contract exactly and passes
// [github.com/hubwise/hubwise/syncer/storetest]. One read-write mutex guards all
// tenants: Commit applies a batch's operations in order under the write lock with
// an undo log, and rolls them back before unlocking when one fails, so readers
// never see a partial batch. Byte slices are copied on the way in and out.
// ListLinks copies a page of links per read lock and yields outside it.
//
// # Leases
//
// Leases are process-local: they fence goroutines of one process that share the
// store, with the expiry read from the injected clock.
package memstore

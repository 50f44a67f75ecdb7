// Package boltstore is the embedded default [syncer.StateStore]: one file, on
// bbolt (go.etcd.io/bbolt), crash-safe.
//
// # Usage
//
//	store, err := boltstore.Open("hubwise-state.db", nil)
//	if err != nil {
//		return err
//	}
//	defer store.Close()
//
// Only one process can open a file at a time (bbolt holds an exclusive file
// lock); a second Open waits up to [Options.Timeout] and then fails with an
// error wrapping [syncer.ErrUnavailable].
//
// # Durability
//
// Every [Store.Commit] is one bbolt read-write transaction: the fence check,
// every operation of the batch and the fsync happen together, and any failure
// rolls the transaction back. A crash at any point leaves the file with either
// the whole batch or none of it. Listings read a page per read transaction and
// hold none while the caller's loop body runs.
//
// # Layout
//
// Version [SchemaVersion] of the layout keeps, per tenant, a bucket per object
// with two indexes for links (big-endian ConnectWise ID to the link record, and
// HubSpot ID to ConnectWise ID), and buckets for cursors, intents, dead letters
// and conflicts keyed so that byte order is the order the contract lists them
// in. Records are a compact binary encoding with a format byte. The schema
// version is stored in the file and checked by [Open]; a file of another
// version fails with [ErrSchemaVersion] rather than being misread.
//
// # Leases
//
// [Store] implements [syncer.Leaser]. Leases and their generations are stored in
// the file, so they survive reopening; since one process owns the file, they
// fence goroutines of that process. Expiry is read from [Options.Clock].
//
// # Errors
//
// bbolt failures (closed file, I/O errors, a lock timeout) wrap
// [syncer.ErrUnavailable]; keys or values too large for bbolt wrap
// [syncer.ErrInvalid]. The store never retries.
package boltstore

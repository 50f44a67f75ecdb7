// Package storetest is the conformance suite for [syncer.StateStore] drivers. A
// driver is correct when it passes it; drivers grow no ad-hoc tests of the contract.
//
// # Running the suite
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(tb testing.TB, clock func() time.Time) syncer.StateStore {
//			return mydriver.New(&mydriver.Options{Clock: clock})
//		}, &storetest.Options{Reopen: reopen})
//	}
//
// The open function gets the suite's manual [Clock] so the suite can test default
// timestamps, due dead letters and lease expiry without sleeping. Every subtest
// opens its own store.
//
// # Sections
//
// Links (round trip, defaults, uniqueness in both directions, conditional puts,
// relinking, bulk lookups, copies, ordered listing and paging), Cursors, Intents,
// DeadLetters (upsert arithmetic, due filter), Conflicts, Batch (all or nothing,
// validation of every operation), Concurrency (run it with -race), Context
// (cancellation before and during reads and commits), TenantIsolation,
// Persistence (only with [Options.Reopen]) and Leaser (only when the store
// implements [syncer.Leaser]: fencing, expiry, takeover, renewal, release).
//
// # Benchmarks
//
// [Benchmark] measures a driver's Commit of a 100-link batch and its lookups.
package storetest

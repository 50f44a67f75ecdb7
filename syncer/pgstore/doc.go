// Package pgstore is the PostgreSQL [syncer.StateStore] and [syncer.Leaser]:
// the store for several workers, in several processes, sharing tenants through
// one database.
//
// # Opening
//
// The store runs on a *sql.DB the caller opens with the PostgreSQL driver of
// its choice; pgstore imports none. With pgx (github.com/jackc/pgx/v5/stdlib,
// the driver the tests use):
//
//	db, err := sql.Open("pgx", "postgres://hubwise@db.internal/hubwise")
//	if err != nil {
//		return err
//	}
//	defer db.Close()
//	store, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: "hubwise"})
//	if err != nil {
//		return err
//	}
//	lease, err := store.AcquireLease(ctx, tenant, workerID, time.Minute)
//	...
//	err = store.Commit(ctx, tenant, batch) // batch.Fence = lease.Fence()
//
// The Store does not own db and has no Close. Many Stores, in one process or
// many, may share one schema; the pool settings of db (SetMaxOpenConns) bound
// the connections the store uses. Each Commit or lease operation holds one
// connection for its transaction; each read holds one for one statement, and
// listings hold none while the caller's loop body runs. The database must use
// the UTF8 encoding; Open checks it.
//
// # Schema and migrations
//
// All tables live in one schema, [Options.Schema] ([DefaultSchema] unless set),
// validated as a lower-case identifier and always quoted in SQL. Open creates
// the schema when missing and applies the embedded, numbered migrations
// (migrations/NNNN_name.sql) that the schema's schema_migrations table does not
// list yet, in one transaction under a transaction-scoped advisory lock keyed
// on the schema name, so concurrent Opens by many workers are safe and a
// failing migration leaves nothing behind. Opening an up-to-date schema runs no
// DDL, so a role with only USAGE on the schema and SELECT, INSERT, UPDATE and
// DELETE on its tables can open it once an owner has migrated it. A schema migrated by a newer build
// than this one ([SchemaVersion]) is refused with [ErrSchemaVersion].
//
// Every string column is COLLATE "C", so orders are bytewise whatever the
// database's locale; times are timestamptz (microseconds, truncated before
// they are sent since PostgreSQL would round); the zero time is stored as NULL.
//
// # Transactions
//
// Every Commit is one transaction. It first locks the tenant's row in the
// tenants table (SELECT ... FOR UPDATE, inserting the row on the tenant's first
// write), then reads the clock, checks the fence, validates the batch and
// applies the operations in order, one statement each (a link put is a single
// statement that replaces the same pair or inserts a new link unless either ID
// is taken). A run of four or more link puts with distinct IDs, the usual shape
// of a pass's batch, goes as one statement with the links in a JSON parameter:
// it writes them all or, when one conflicts with a stored link, none, and the
// error names that put, exactly as one by one. Any failure rolls everything
// back. The row lock serialises the
// commits and lease changes of one tenant, under READ COMMITTED isolation
// (requested explicitly, whatever the server's default), so commits never fail
// with serialisation errors and the contract's
// "some order of running them one at a time" holds; different tenants never
// wait for each other. Reads are single statements outside any transaction, so
// each sees whole batches. Listings page with keyset queries ([Options.PageSize]
// rows per query).
//
// # Leases and fencing
//
// A tenant's lease is four columns of its row in the tenants table: holder,
// generation, expiry and a released flag. AcquireLease, RenewLease and
// ReleaseLease run in a transaction on that locked row, read the clock after the
// lock is granted and follow the rules of [syncer.Leaser]: the generation grows
// by one on every acquisition and is never reused, and a lease is live until its
// expiry ([Options.Clock]) unless released. Commit checks the fence against the
// same row under the same lock before writing anything, so a takeover cannot
// slip between the check and the writes: a worker that was paused, partitioned
// or slow past its expiry has its commit refused with [syncer.ErrFenced].
//
// The two usual designs are a row lock held with SKIP LOCKED and an advisory
// lock. This store uses neither as the lease itself: a lease is data (a row with an
// expiry and a generation), and locks are only held for the few milliseconds of
// one transaction. Advisory locks belong to a database session: they die with
// the connection (a pooled *sql.DB hands connections out and closes them at
// will, and a worker whose connection drops loses the lock without knowing),
// they cannot carry a fencing generation, and a paused worker whose session
// survives holds them for as long as it is paused. Holding a row lock for a lease's duration
// (the SKIP LOCKED pattern) pins a connection and an open transaction per
// tenant, which holds back vacuum and still does not fence writes made over other
// connections. A lease row with an expiry needs no connection between calls,
// survives restarts of either side, expires by itself when its holder is killed,
// and its generation fences every commit. Advisory locks are used only where a
// session-free short lock fits: serialising migrations in [Open].
//
// The expiry is compared with the clock of the process making the call, so the
// clocks of workers sharing a database must agree to well within a lease's TTL
// (NTP-synchronised hosts do); renew well before the expiry.
//
// # Errors
//
// Errors wrap the sentinels of [syncer]: no row is [syncer.ErrNotFound]; a
// uniqueness rule, a version check or a live lease held by another is
// [syncer.ErrConflict] (for batch operations inside a [*syncer.OpError] naming
// the operation); a stale fence is [syncer.ErrFenced]; bad arguments and data
// PostgreSQL rejects (SQLSTATE class 22, such as a time out of range, and
// 54000, an index entry too large) are [syncer.ErrInvalid], and so are
// identifiers longer than [MaxIDLen] (512 bytes: identifiers are parts of
// index keys, and PostgreSQL limits an index entry to about 2.7 KB; 512 bytes is
// the smallest cap [syncer.StateStore] allows); everything else the database reports, connection
// failures (class 08, 57P01 admin shutdown, 53300 too many connections), a
// closed *sql.DB or a missing table, is [syncer.ErrUnavailable]. When ctx is
// done the error wraps ctx.Err(). The SQLSTATE is read through the driver
// error's SQLState method (pgx and lib/pq have one). The store never retries.
// A Commit whose connection breaks while COMMIT is in flight reports
// ErrUnavailable although the batch may have been stored (no SQL client can
// know); read the state back before assuming either.
//
// # Testing
//
// The tests need a PostgreSQL server named by HUBWISE_PG_DSN and skip without
// it. `.ci/postgres go test -race -count=1 ./syncer/pgstore/` starts a
// throwaway server on a free local port, sets the variable, runs the command
// and removes the server. Each test store lives in a fresh random schema that
// is dropped at the end.
package pgstore

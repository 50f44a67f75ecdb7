package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// DefaultSchema is the schema [Open] uses when [Options.Schema] is empty.
const DefaultSchema = "hubwise"

// Options configure [Open]. The zero value (or nil) is usable.
type Options struct {
	// Schema is the PostgreSQL schema holding the store's tables; "" means
	// [DefaultSchema]. It must be a lower-case identifier: a letter or
	// underscore, then letters, digits or underscores, at most 63 bytes, not
	// starting with "pg_". Open creates it when missing. Stores with different
	// schemas in one database are independent.
	Schema string
	// Clock returns "now" for default timestamps and lease expiry; nil means
	// time.Now. Workers sharing a database compare lease expiry against their
	// own clocks, so those clocks must agree to well within a lease's TTL.
	Clock func() time.Time
	// PageSize is how many records a listing reads per query; 0 means 256.
	PageSize int
}

// Store is the PostgreSQL [syncer.StateStore] and [syncer.Leaser]. It is safe
// for concurrent use by many goroutines, and many Stores in many processes may
// share one schema. It does not own the *sql.DB it was opened on: there is no
// Close, and closing the database is the caller's job.
type Store struct {
	db       *sql.DB
	schema   string
	clock    func() time.Time
	pageSize int
	q        queries
}

var (
	_ syncer.StateStore = (*Store)(nil)
	_ syncer.Leaser     = (*Store)(nil)
)

var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// checkSchema validates a schema name (see [Options.Schema]).
func checkSchema(name string) error {
	if !schemaName.MatchString(name) || strings.HasPrefix(name, "pg_") {
		return fmt.Errorf("pgstore: schema name %q is not a lower-case identifier of at most 63 bytes (letters, digits, underscores; not pg_*): %w",
			name, syncer.ErrInvalid)
	}
	return nil
}

// quoteIdent quotes a validated identifier for SQL.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// Open returns a Store on db in the schema of opts, creating the schema and
// applying the embedded migrations that are missing (see "Schema and
// migrations" in the package documentation). db may use any PostgreSQL driver
// for database/sql; the database must use the UTF8 encoding. opts may be nil.
//
// Open fails with an error wrapping [syncer.ErrInvalid] for a bad schema name,
// [ErrSchemaVersion] when the schema was migrated by a newer build, and
// [syncer.ErrUnavailable] when the database cannot be reached.
func Open(ctx context.Context, db *sql.DB, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if db == nil {
		return nil, fmt.Errorf("pgstore: open: nil *sql.DB: %w", syncer.ErrInvalid)
	}
	if o.Schema == "" {
		o.Schema = DefaultSchema
	}
	if err := checkSchema(o.Schema); err != nil {
		return nil, err
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.PageSize <= 0 {
		o.PageSize = 256
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: open: %w", err)
	}
	if err := migrate(ctx, db, o.Schema); err != nil {
		return nil, err
	}
	return &Store{db: db, schema: o.Schema, clock: o.Clock, pageSize: o.PageSize, q: newQueries(quoteIdent(o.Schema))}, nil
}

// Schema returns the name of the store's schema.
func (s *Store) Schema() string { return s.schema }

func (s *Store) now() time.Time { return norm(s.clock()) }

// norm applies the contract's time rule: UTC, microsecond precision. It
// truncates before PostgreSQL sees the value, since PostgreSQL would round.
func norm(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

func orNow(t, now time.Time) time.Time {
	if t.IsZero() {
		return now
	}
	return norm(t)
}

// nullTime is the SQL value of t: NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return norm(t)
}

// fromNull is the Go value of a nullable timestamptz, in UTC.
func fromNull(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// MaxIDLen is the longest identifier (tenant key, object name, HubSpot ID,
// cursor key, source ID, conflict field) the store accepts, in bytes; longer
// ones fail with an error wrapping [syncer.ErrInvalid]. Identifiers are parts
// of btree index keys, and PostgreSQL refuses an index entry above about 2.7
// KB; with up to four identifiers in one key, 512 bytes each always fits. It is
// the smallest cap [syncer.StateStore] allows. Values (cursor values, error texts, lookup keys, bytes)
// have no such limit.
const MaxIDLen = 512

// checkID applies the contract's identifier rules and [MaxIDLen].
func checkID(what, id string) error {
	if err := syncer.CheckID(what, id); err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("pgstore: %s is %d bytes long, more than %d: %w", what, len(id), MaxIDLen, syncer.ErrInvalid)
	}
	return nil
}

// checkOpIDs applies [MaxIDLen] to the identifiers of a validated operation.
func checkOpIDs(op syncer.Op) error {
	var ids []string
	switch op := op.(type) {
	case syncer.LinkPut:
		ids = []string{op.Link.Object, op.Link.HubSpotID}
	case syncer.LinkDelete:
		ids = []string{op.Object, op.HubSpotID}
	case syncer.CursorPut:
		ids = []string{op.Key}
	case syncer.CursorDelete:
		ids = []string{op.Key}
	case syncer.IntentPut:
		ids = []string{op.Intent.Object, op.Intent.SourceID}
	case syncer.IntentDelete:
		ids = []string{op.Object, op.SourceID}
	case syncer.DeadLetterPut:
		ids = []string{op.DeadLetter.Object, op.DeadLetter.SourceID}
	case syncer.DeadLetterDelete:
		ids = []string{op.Object, op.SourceID}
	case syncer.ConflictPut:
		ids = []string{op.Conflict.Object, op.Conflict.HubSpotID, op.Conflict.Field}
	case syncer.ConflictDelete:
		ids = []string{op.Object, op.HubSpotID, op.Field}
	}
	for _, id := range ids {
		if len(id) > MaxIDLen {
			return fmt.Errorf("identifier of %d bytes is longer than %d: %w", len(id), MaxIDLen, syncer.ErrInvalid)
		}
	}
	return nil
}

func checkCW(id int64) error {
	if err := syncer.CheckConnectWiseID(id); err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	return nil
}

// checkScope checks ctx and the tenant key, in the contract's order.
func checkScope(ctx context.Context, tenant string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	return checkID("tenant", tenant)
}

// sqlStater is implemented by the errors of the common PostgreSQL drivers
// (pgx's *pgconn.PgError, lib/pq's *pq.Error), so the store can read the
// SQLSTATE without importing either.
type sqlStater interface{ SQLState() string }

// mapErr turns a database error into the portable errors of [syncer]: errors
// this package made and context errors pass unchanged; when ctx is done the
// error wraps ctx.Err(); a unique violation (23505) wraps ErrConflict; a data
// exception (class 22: an out-of-range time, a character the database encoding
// cannot hold) and a program limit (54000: an index entry too large) wrap
// ErrInvalid; everything else (connection failures, 08xxx,
// 57P01 admin shutdown, 53xxx out of resources, a closed *sql.DB, a missing
// table) wraps ErrUnavailable. what names the operation.
func mapErr(ctx context.Context, what string, err error) error {
	if err == nil {
		return nil
	}
	for _, sentinel := range []error{syncer.ErrNotFound, syncer.ErrConflict, syncer.ErrInvalid, syncer.ErrFenced,
		syncer.ErrUnavailable, ErrSchemaVersion} {
		if errors.Is(err, sentinel) {
			return err
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("pgstore: %s: %w", what, err)
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("pgstore: %s: %w", what, cerr)
	}
	var st sqlStater
	if errors.As(err, &st) {
		code := st.SQLState()
		switch {
		case code == "54000": // program_limit_exceeded: an index entry too large
			return fmt.Errorf("pgstore: %s: %w: %w", what, err, syncer.ErrInvalid)
		case code == "23505":
			return fmt.Errorf("pgstore: %s: %w: %w", what, err, syncer.ErrConflict)
		case strings.HasPrefix(code, "22"):
			return fmt.Errorf("pgstore: %s: %w: %w", what, err, syncer.ErrInvalid)
		}
	}
	return fmt.Errorf("pgstore: %s: %w: %w", what, err, syncer.ErrUnavailable)
}

package pgstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/hubwise/hubwise/syncer"
)

// SchemaVersion is the latest migration this build knows: [Open] brings a
// schema up to it and refuses a schema migrated beyond it.
const SchemaVersion = 1

// ErrSchemaVersion reports a schema migrated by a newer build of pgstore than
// this one (its migrations table lists a version above [SchemaVersion]). Open
// refuses it rather than misreading tables it does not know.
var ErrSchemaVersion = errors.New("pgstore: incompatible schema")

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded file, migrations/NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads the embedded migrations in version order and checks that
// they are numbered 1, 2, 3, ... up to [SchemaVersion].
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	out := make([]migration, 0, len(names))
	for i, name := range names { // fs.Glob returns names sorted
		base := path.Base(name)
		num, rest, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || len(num) != 4 {
			return nil, fmt.Errorf("pgstore: migration file %s is not named NNNN_name.sql", base)
		}
		if v != i+1 {
			return nil, fmt.Errorf("pgstore: migration file %s has version %d, want %d", base, v, i+1)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(rest, ".sql"), sql: string(body)})
	}
	if len(out) != SchemaVersion {
		return nil, fmt.Errorf("pgstore: %d migration files, SchemaVersion is %d", len(out), SchemaVersion)
	}
	return out, nil
}

// lockKey is the advisory-lock key that serialises migrations of one schema:
// the FNV-1a hash of "hubwise/pgstore:" and the schema name.
func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("hubwise/pgstore:" + schema))
	return int64(h.Sum64())
}

// migrate creates the schema and applies the missing migrations in one
// transaction, under a transaction-scoped advisory lock, so concurrent Opens
// (many workers starting at once) apply each migration exactly once and a
// failed migration leaves nothing behind.
func migrate(ctx context.Context, db *sql.DB, schema string) (err error) {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		return err
	}
	what := "open schema " + schema
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return mapErr(ctx, what, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	var encoding string
	if err := tx.QueryRowContext(ctx, `SHOW server_encoding`).Scan(&encoding); err != nil {
		return mapErr(ctx, what, err)
	}
	if encoding != "UTF8" {
		return fmt.Errorf("pgstore: %s: the database encoding is %s; the store needs UTF8: %w", what, encoding, syncer.ErrInvalid)
	}
	// Released when the transaction ends, even if this process dies.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey(schema)); err != nil {
		return mapErr(ctx, what, err)
	}
	// DDL only when something is missing, so a role with nothing but DML
	// rights can open a schema that is up to date.
	qs := quoteIdent(schema)
	var hasTable bool
	if err := tx.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, qs+".schema_migrations").Scan(&hasTable); err != nil {
		return mapErr(ctx, what, err)
	}
	if !hasTable {
		if _, err := tx.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+qs); err != nil {
			return mapErr(ctx, what, err)
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE `+qs+`.schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return mapErr(ctx, what, err)
		}
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM `+qs+`.schema_migrations`).Scan(&current); err != nil {
		return mapErr(ctx, what, err)
	}
	if current > SchemaVersion {
		return fmt.Errorf("pgstore: %s: %w: migrated to version %d, this build knows up to version %d",
			what, ErrSchemaVersion, current, SchemaVersion)
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, strings.ReplaceAll(m.sql, "{schema}", qs)); err != nil {
			return mapErr(ctx, fmt.Sprintf("%s: migration %04d_%s", what, m.version, m.name), err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+qs+`.schema_migrations (version, name) VALUES ($1, $2)`,
			m.version, m.name); err != nil {
			return mapErr(ctx, what, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return mapErr(ctx, what, err)
	}
	return nil
}

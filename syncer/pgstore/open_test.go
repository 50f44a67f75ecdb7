package pgstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/pgstore"
)

var ctx = context.Background()

func migrations(t *testing.T, schema string) []string {
	t.Helper()
	rows, err := testDB(t).QueryContext(ctx, `SELECT version || ' ' || name FROM "`+schema+`".schema_migrations ORDER BY version`)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		require.NoError(t, rows.Scan(&s))
		out = append(out, s)
	}
	require.NoError(t, rows.Err())
	return out
}

func TestOpenArguments(t *testing.T) {
	// No database needed: arguments are checked before connecting.
	db, err := sql.Open("pgx", "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	require.NoError(t, err)
	defer db.Close()
	_, err = pgstore.Open(ctx, nil, nil)
	assert.ErrorIs(t, err, syncer.ErrInvalid, "nil db")
	for _, bad := range []string{"Upper", "has-dash", `quo"te`, "pg_toast", "x; DROP SCHEMA public"} {
		_, err = pgstore.Open(ctx, db, &pgstore.Options{Schema: bad})
		assert.ErrorIs(t, err, syncer.ErrInvalid, bad)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = pgstore.Open(cctx, db, nil)
	assert.ErrorIs(t, err, context.Canceled)

	// Nothing listens on port 1: the database cannot be reached.
	_, err = pgstore.Open(ctx, db, nil)
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
}

func TestOpenMigratesOnce(t *testing.T) {
	schema := freshSchema(t)
	s := openSchema(t, schema, nil)
	assert.Equal(t, schema, s.Schema())
	openSchema(t, schema, nil)
	assert.Equal(t, []string{"1 init"}, migrations(t, schema))
}

func TestOpenConcurrently(t *testing.T) {
	// Workers starting together: the advisory lock lets one migrate while the
	// others wait, then find the schema up to date.
	schema := freshSchema(t)
	db := testDB(t)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = pgstore.Open(ctx, db, &pgstore.Options{Schema: schema})
		})
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, []string{"1 init"}, migrations(t, schema))
}

func TestOpenNewerSchema(t *testing.T) {
	schema := freshSchema(t)
	openSchema(t, schema, nil)
	_, err := testDB(t).ExecContext(ctx, `INSERT INTO "`+schema+`".schema_migrations (version, name) VALUES (2, 'future')`)
	require.NoError(t, err)
	_, err = pgstore.Open(ctx, testDB(t), &pgstore.Options{Schema: schema})
	require.ErrorIs(t, err, pgstore.ErrSchemaVersion)
	assert.Contains(t, err.Error(), "migrated to version 2, this build knows up to version 1")
}

func TestSchemasAreIndependent(t *testing.T) {
	a, b := open(t, nil), open(t, nil)
	require.NoError(t, a.Commit(ctx, "t", new(syncer.Batch).PutLink(syncer.Link{Object: "deals", HubSpotID: "1", ConnectWiseID: 1})))
	_, err := b.LinkByHubSpotID(ctx, "t", "deals", "1")
	assert.ErrorIs(t, err, syncer.ErrNotFound)
	require.NoError(t, b.Commit(ctx, "t", new(syncer.Batch).PutLink(syncer.Link{Object: "deals", HubSpotID: "1", ConnectWiseID: 2})))
}

// ownDB opens a second pool on the test database, closed when t ends.
func ownDB(t *testing.T) *sql.DB {
	t.Helper()
	testDB(t)
	db, err := sql.Open("pgx", os.Getenv(dsnEnv))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestClosedDB(t *testing.T) {
	db := ownDB(t)
	s, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: freshSchema(t)})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	err = s.Commit(ctx, "t", new(syncer.Batch).PutCursor("k", "v"))
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	_, err = s.Cursor(ctx, "t", "k")
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	_, err = s.AcquireLease(ctx, "t", "w1", time.Minute)
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	for _, err := range s.ListIntents(ctx, "t", "") {
		assert.ErrorIs(t, err, syncer.ErrUnavailable)
	}
}

func TestTerminatedConnection(t *testing.T) {
	// A commit waiting for the tenant's row lock loses its server process
	// (SQLSTATE 57P01, as in a failover or restart): ErrUnavailable, no retry.
	db := testDB(t)
	s := open(t, nil).(*pgstore.Store)
	require.NoError(t, s.Commit(ctx, "t", new(syncer.Batch).PutCursor("k", "v1")))
	holder, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer holder.Rollback()
	_, err = holder.ExecContext(ctx, `SELECT 1 FROM "`+s.Schema()+`".tenants WHERE tenant = 't' FOR UPDATE`)
	require.NoError(t, err)

	done := make(chan error, 1)
	go func() { done <- s.Commit(ctx, "t", new(syncer.Batch).PutCursor("k", "v2")) }()
	var pid int
	require.Eventually(t, func() bool {
		err := db.QueryRowContext(ctx, `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'
			AND query LIKE '%' || $1 || '%FOR UPDATE%'`, s.Schema()).Scan(&pid)
		return err == nil
	}, 10*time.Second, 10*time.Millisecond, "the commit waits for the row lock")
	_, err = db.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, pid)
	require.NoError(t, err)
	err = <-done
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	assert.Contains(t, err.Error(), "57P01")
	require.NoError(t, holder.Rollback())
	v, err := s.Cursor(ctx, "t", "k")
	require.NoError(t, err)
	assert.Equal(t, "v1", v, "the interrupted commit left nothing")
}

func TestRoleWithoutDDL(t *testing.T) {
	// An owner migrates; a runtime role with USAGE and DML rights only opens
	// the up-to-date schema and works.
	schema := freshSchema(t)
	openSchema(t, schema, nil)
	role := schema + "_rt"
	admin := testDB(t)
	if _, err := admin.ExecContext(ctx, `CREATE ROLE `+role+` NOLOGIN`); err != nil {
		t.Skipf("cannot create a role on this server: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.ExecContext(ctx, `DROP OWNED BY `+role)
		_, _ = admin.ExecContext(ctx, `DROP ROLE `+role)
	})
	for _, stmt := range []string{
		`GRANT USAGE ON SCHEMA ` + schema + ` TO ` + role,
		`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ` + schema + ` TO ` + role,
	} {
		_, err := admin.ExecContext(ctx, stmt)
		require.NoError(t, err)
	}
	db := ownDB(t)
	db.SetMaxOpenConns(1) // one session, so SET ROLE holds for every statement
	_, err := db.ExecContext(ctx, `SET ROLE `+role)
	require.NoError(t, err)
	s, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	l, err := s.AcquireLease(ctx, "t", "w1", time.Minute)
	require.NoError(t, err)
	b := new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "1", ConnectWiseID: 1})
	b.Fence = l.Fence()
	require.NoError(t, s.Commit(ctx, "t", b))

	// The runtime role cannot create the schema of a new store.
	_, err = pgstore.Open(ctx, db, &pgstore.Options{Schema: schema + "_new"})
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	assert.True(t, strings.Contains(err.Error(), "permission denied"), err.Error())
}

func TestNonUTF8Database(t *testing.T) {
	admin := testDB(t)
	name := freshSchema(t) + "_latin1"
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` ENCODING 'LATIN1' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`); err != nil {
		t.Skipf("cannot create a database on this server: %v", err)
	}
	t.Cleanup(func() { _, _ = admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`) })
	dsn := os.Getenv(dsnEnv)
	cfgDSN := strings.Replace(dsn, "/postgres?", "/"+name+"?", 1)
	if cfgDSN == dsn {
		t.Skip("the DSN does not name the postgres database; cannot point it at another")
	}
	db, err := sql.Open("pgx", cfgDSN)
	require.NoError(t, err)
	defer db.Close()
	_, err = pgstore.Open(ctx, db, nil)
	require.ErrorIs(t, err, syncer.ErrInvalid)
	assert.Contains(t, err.Error(), "the database encoding is LATIN1; the store needs UTF8")
}

func TestSerializableServerDefault(t *testing.T) {
	// A server or role configured with default_transaction_isolation =
	// serializable still sees no serialisation failures: the store asks for
	// READ COMMITTED and serialises on the tenant's row.
	db := ownDB(t)
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8) // keep the sessions that carry the setting
	s, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: freshSchema(t)})
	require.NoError(t, err)
	conns := make([]*sql.Conn, 8)
	for i := range conns {
		conns[i], err = db.Conn(ctx)
		require.NoError(t, err)
		_, err = conns[i].ExecContext(ctx, `SET default_transaction_isolation = serializable`)
		require.NoError(t, err)
	}
	for _, c := range conns {
		require.NoError(t, c.Close()) // back to the pool, setting kept
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				b := new(syncer.Batch).PutDeadLetter(syncer.DeadLetter{Object: "o", Side: syncer.SideHubSpot, SourceID: "shared", Err: "x", Attempts: 1}).
					PutLink(syncer.Link{Object: "o", HubSpotID: fmt.Sprint(w, "-", i), ConnectWiseID: int64(w*100 + i + 1)})
				assert.NoError(t, s.Commit(ctx, "t", b))
			}
		})
	}
	wg.Wait()
	for d, err := range s.ListDeadLetters(ctx, "t", nil) {
		require.NoError(t, err)
		assert.Equal(t, 160, d.Attempts)
	}
}

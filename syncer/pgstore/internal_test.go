package pgstore

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

// pgError stands in for a driver's error type with a SQLState method
// (pgx's *pgconn.PgError, lib/pq's *pq.Error).
type pgError struct{ code string }

func (e *pgError) Error() string    { return "ERROR: something (SQLSTATE " + e.code + ")" }
func (e *pgError) SQLState() string { return e.code }

func TestMapErr(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"unique violation", &pgError{"23505"}, syncer.ErrConflict},
		{"wrapped unique violation", fmt.Errorf("driver: %w", &pgError{"23505"}), syncer.ErrConflict},
		{"untranslatable character", &pgError{"22P05"}, syncer.ErrInvalid},
		{"datetime overflow", &pgError{"22008"}, syncer.ErrInvalid},
		{"admin shutdown", &pgError{"57P01"}, syncer.ErrUnavailable},
		{"connection failure", &pgError{"08006"}, syncer.ErrUnavailable},
		{"too many connections", &pgError{"53300"}, syncer.ErrUnavailable},
		{"serialization failure", &pgError{"40001"}, syncer.ErrUnavailable},
		{"undefined table", &pgError{"42P01"}, syncer.ErrUnavailable},
		{"bad connection", driver.ErrBadConn, syncer.ErrUnavailable},
		{"EOF", io.ErrUnexpectedEOF, syncer.ErrUnavailable},
		{"context", fmt.Errorf("read: %w", context.DeadlineExceeded), context.DeadlineExceeded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := mapErr(ctx, "op", tc.err)
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorIs(t, err, tc.err, "the cause stays inspectable")
			assert.Contains(t, err.Error(), "pgstore: op: ")
		})
	}
	assert.NoError(t, mapErr(ctx, "op", nil))

	// Errors this package made pass unchanged.
	mine := fmt.Errorf("pgstore: link: %w", syncer.ErrNotFound)
	assert.Same(t, mine, mapErr(ctx, "op", mine))

	// When ctx is done, whatever the driver said, the error is ctx's.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err := mapErr(cctx, "op", &pgError{"57014"})
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, syncer.ErrUnavailable)
}

func TestCheckSchema(t *testing.T) {
	for _, ok := range []string{"hubwise", "_x", "a1_b2", "tenant_state_2026", string(make63())} {
		assert.NoError(t, checkSchema(ok), ok)
	}
	for _, bad := range []string{"", "Hubwise", "1abc", "a-b", "a b", `a"b`, "pg_temp", "pg_catalog", "ümlaut",
		"public;drop", string(make63()) + "x"} {
		assert.ErrorIs(t, checkSchema(bad), syncer.ErrInvalid, bad)
	}
	assert.Equal(t, `"hubwise"`, quoteIdent("hubwise"))
}

func make63() []byte {
	b := make([]byte, 63)
	for i := range b {
		b[i] = 'a'
	}
	return b
}

func TestLoadMigrations(t *testing.T) {
	ms, err := loadMigrations(migrationFS)
	require.NoError(t, err)
	require.Len(t, ms, SchemaVersion)
	for i, m := range ms {
		assert.Equal(t, i+1, m.version)
		assert.NotEmpty(t, m.name)
		assert.Contains(t, m.sql, "{schema}.", "tables are created in the store's schema")
		assert.NotContains(t, m.sql, "public.", "no table outside the store's schema")
	}

	file := &fstest.MapFile{Data: []byte("SELECT 1")}
	for name, fsys := range map[string]fstest.MapFS{
		"gap":       {"migrations/0001_init.sql": file, "migrations/0003_late.sql": file},
		"bad name":  {"migrations/1_init.sql": file},
		"no digits": {"migrations/init.sql": file},
	} {
		_, err := loadMigrations(fsys)
		assert.Error(t, err, name)
	}
	_, err = loadMigrations(fstest.MapFS{"migrations/0001_a.sql": file, "migrations/0002_b.sql": file})
	assert.ErrorContains(t, err, "SchemaVersion is 1", "every file must be counted in SchemaVersion")
}

func TestLockKeyPerSchema(t *testing.T) {
	assert.Equal(t, lockKey("hubwise"), lockKey("hubwise"), "stable")
	assert.NotEqual(t, lockKey("hubwise"), lockKey("hubwise2"))
}

func TestQueriesUseSchema(t *testing.T) {
	q := newQueries(`"s1"`)
	assert.Contains(t, q.putLink, `"s1".links`)
	assert.NotContains(t, q.putLink, "{s}")
	assert.NotContains(t, q.linkByHS, "{linkCols}")
}

func TestLinkRun(t *testing.T) {
	put := func(object, hs string, cw int64) syncer.Op {
		return syncer.LinkPut{Link: syncer.Link{Object: object, HubSpotID: hs, ConnectWiseID: cw}}
	}
	five := []syncer.Op{put("c", "1", 1), put("c", "2", 2), put("c", "3", 3), put("c", "4", 4), put("c", "5", 5)}
	assert.Equal(t, 5, linkRun(five))
	assert.Equal(t, 0, linkRun(five[:3]), "shorter than minLinkRun")

	withOp := func(i int, op syncer.Op) []syncer.Op {
		ops := append([]syncer.Op(nil), five...)
		ops[i] = op
		return ops
	}
	assert.Equal(t, 4, linkRun(withOp(4, syncer.CursorPut{Key: "k"})), "another kind of op ends the run")
	assert.Equal(t, 4, linkRun(withOp(4, syncer.LinkPut{Link: syncer.Link{Object: "c", HubSpotID: "9", ConnectWiseID: 9}, Conditional: true})),
		"conditional puts go one by one")
	assert.Equal(t, 4, linkRun(withOp(4, put("c", "1", 9))), "a HubSpot ID seen in the run ends it")
	assert.Equal(t, 4, linkRun(withOp(4, put("c", "9", 2))), "so does a ConnectWise ID")
	assert.Equal(t, 5, linkRun(withOp(4, put("other", "1", 1))), "IDs are per object")
	far := syncer.LinkPut{Link: syncer.Link{Object: "c", HubSpotID: "9", ConnectWiseID: 9,
		SyncedAt: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)}}
	assert.Equal(t, 4, linkRun(withOp(4, far)), "a time that does not format as text goes alone")

	long := make([]syncer.Op, maxLinkRun+10)
	for i := range long {
		long[i] = put("c", fmt.Sprint(i), int64(i+1))
	}
	assert.Equal(t, maxLinkRun, linkRun(long))
}

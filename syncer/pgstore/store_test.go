package pgstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", tests only
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/pgstore"
	"github.com/hubwise/hubwise/syncer/storetest"
)

// dsnEnv names the environment variable that points the tests at a database.
const dsnEnv = "HUBWISE_PG_DSN"

var shared struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// testDB returns the database of HUBWISE_PG_DSN, shared by every test of the
// binary, or skips the test when the variable is not set.
func testDB(tb testing.TB) *sql.DB {
	tb.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		if os.Getenv("HUBWISE_PG_REQUIRED") != "" {
			tb.Fatal("HUBWISE_PG_REQUIRED is set but " + dsnEnv + " is not: run the tests through `.ci/postgres`")
		}
		tb.Skip("needs PostgreSQL: run `.ci/postgres go test ./syncer/pgstore/` (starts a throwaway server), " +
			"or set " + dsnEnv + "=postgres://user@host:port/db?sslmode=disable")
	}
	shared.once.Do(func() {
		shared.db, shared.err = sql.Open("pgx", dsn)
		if shared.err == nil {
			shared.db.SetMaxOpenConns(24)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			shared.err = shared.db.PingContext(ctx)
		}
	})
	require.NoError(tb, shared.err, "connect to %s", dsnEnv)
	return shared.db
}

// freshSchema returns a new random schema name and drops the schema when tb ends.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	db := testDB(tb)
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "hubwise_test_" + hex.EncodeToString(b[:])
	tb.Cleanup(func() {
		_, err := db.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS "`+name+`" CASCADE`)
		if err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	return name
}

func openSchema(tb testing.TB, schema string, clock func() time.Time) *pgstore.Store {
	tb.Helper()
	s, err := pgstore.Open(context.Background(), testDB(tb), &pgstore.Options{Schema: schema, Clock: clock, PageSize: 64})
	require.NoError(tb, err)
	return s
}

func open(tb testing.TB, clock func() time.Time) syncer.StateStore {
	return openSchema(tb, freshSchema(tb), clock)
}

// reopen opens a new Store on the same schema, as another process would.
func reopen(tb testing.TB, s syncer.StateStore, clock func() time.Time) syncer.StateStore {
	return openSchema(tb, s.(*pgstore.Store).Schema(), clock)
}

func TestConformance(t *testing.T) {
	testDB(t)
	storetest.Run(t, open, &storetest.Options{Reopen: reopen})
}

func BenchmarkStore(b *testing.B) {
	testDB(b)
	storetest.Benchmark(b, func(tb testing.TB, clock func() time.Time) syncer.StateStore {
		s, err := pgstore.Open(context.Background(), testDB(tb), &pgstore.Options{Schema: freshSchema(tb), Clock: clock})
		require.NoError(tb, err)
		return s
	})
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.db != nil {
		_ = shared.db.Close()
	}
	if code == 0 && os.Getenv(dsnEnv) == "" {
		fmt.Println("pgstore: database tests skipped; run them with `.ci/postgres go test ./syncer/pgstore/` or set " + dsnEnv)
	}
	os.Exit(code)
}

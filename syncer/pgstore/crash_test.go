package pgstore_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/pgstore"
)

const helperEnv = "HUBWISE_PGSTORE_HELPER_SCHEMA"

// TestHelperWorker is the worker process of TestKilledWorker; it does nothing
// in a normal run.
func TestHelperWorker(t *testing.T) {
	schema := os.Getenv(helperEnv)
	if schema == "" {
		t.Skip("helper process of TestKilledWorker")
	}
	db, err := sql.Open("pgx", os.Getenv(dsnEnv))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	s, err := pgstore.Open(ctx, db, &pgstore.Options{Schema: schema})
	if err == nil {
		var l syncer.Lease
		if l, err = s.AcquireLease(ctx, "t", "worker-1", time.Minute); err == nil {
			b := new(syncer.Batch).PutCursor("progress", "page-1")
			b.Fence = l.Fence()
			if err = s.Commit(ctx, "t", b); err == nil {
				fmt.Println("committed", l.Generation)
				// The next batch writes its link, then waits for the row the
				// test holds; the test kills this process there.
				b := new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "h2", ConnectWiseID: 2}).
					PutCursor("progress", "page-2").PutCursor("blocker", "x")
				b.Fence = l.Fence()
				err = s.Commit(ctx, "t", b)
			}
		}
	}
	fmt.Println("error:", err)
	os.Exit(1)
}

// TestKilledWorker: a worker process is killed with SIGKILL in the middle of a
// commit. PostgreSQL rolls its transaction back when the connection drops, its
// lease stays until the expiry, and then another worker takes the tenant over
// with the next generation, resumes from the last committed cursor, and the
// dead worker's fence is refused.
func TestKilledWorker(t *testing.T) {
	db := testDB(t)
	schema := freshSchema(t)
	observer := openSchema(t, schema, nil)
	require.NoError(t, observer.Commit(ctx, "t", new(syncer.Batch).PutCursor("blocker", "held")))
	holder, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer holder.Rollback()
	_, err = holder.ExecContext(ctx, `SELECT 1 FROM "`+schema+`".cursors WHERE tenant = 't' AND key = 'blocker' FOR UPDATE`)
	require.NoError(t, err)

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWorker$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+schema)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "committed 1\n", line)

	// Wait until the worker's second commit is inside its transaction, blocked
	// on the row held above, then kill it.
	require.Eventually(t, func() bool {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
			AND query LIKE '%' || $1 || '%cursors%'`, schema).Scan(&n)
		return err == nil && n == 1
	}, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	require.NoError(t, holder.Rollback())

	// The killed transaction left nothing; the lease is still live.
	require.Eventually(t, func() bool {
		var n int
		err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%cursors%'
			AND state <> 'idle' AND pid <> pg_backend_pid()`, schema).Scan(&n)
		return err == nil && n == 0
	}, 10*time.Second, 10*time.Millisecond, "the server ends the dead worker's session")
	_, err = observer.LinkByHubSpotID(ctx, "t", "contacts", "h2")
	assert.ErrorIs(t, err, syncer.ErrNotFound, "the interrupted batch was rolled back")
	v, err := observer.Cursor(ctx, "t", "progress")
	require.NoError(t, err)
	assert.Equal(t, "page-1", v)
	_, err = observer.AcquireLease(ctx, "t", "worker-2", time.Minute)
	assert.ErrorIs(t, err, syncer.ErrConflict, "the dead worker's lease holds until it expires")

	// After the expiry (a clock a minute ahead), worker-2 takes over.
	later := func() time.Time { return time.Now().Add(time.Minute + time.Second) }
	w2 := openSchema(t, schema, later)
	l2, err := w2.AcquireLease(context.Background(), "t", "worker-2", time.Minute)
	require.NoError(t, err)
	assert.Equal(t, int64(2), l2.Generation)
	v, err = w2.Cursor(ctx, "t", "progress")
	require.NoError(t, err)
	assert.Equal(t, "page-1", v, "worker-2 resumes from the last committed cursor")
	stale := new(syncer.Batch).PutCursor("progress", "stale")
	stale.Fence = &syncer.Fence{Holder: "worker-1", Generation: 1}
	err = w2.Commit(ctx, "t", stale)
	require.ErrorIs(t, err, syncer.ErrFenced)
	assert.True(t, strings.Contains(err.Error(), "worker-1/1"), err.Error())
}

//go:build unix

package boltstore_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/boltstore"
)

// The crash tests run the test binary again as a child process that writes to a
// state file and dies by SIGKILL without closing it: what is on disk then is
// exactly what a crashed sync worker leaves behind.

const (
	envCrashMode = "HUBWISE_BOLTSTORE_CRASH_MODE"
	envCrashPath = "HUBWISE_BOLTSTORE_CRASH_PATH"
)

// TestCrashChild is the child's body; it does nothing in a normal test run.
func TestCrashChild(t *testing.T) {
	mode, path := os.Getenv(envCrashMode), os.Getenv(envCrashPath)
	if mode == "" {
		t.Skip("helper process for the crash tests")
	}
	s, err := boltstore.Open(path, nil)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	ctx := context.Background()
	switch mode {
	case "batches":
		// A committed batch, then one failing validation and one failing on a
		// conflict, then death.
		must(s.Commit(ctx, "t", crashBatch(1)))
		if err := s.Commit(ctx, "t", crashBatch(2).PutCursor("", "bad")); !errors.Is(err, syncer.ErrInvalid) {
			fmt.Println("validation batch:", err)
			os.Exit(3)
		}
		if err := s.Commit(ctx, "t", crashBatch(3).PutLink(syncer.Link{Object: "contacts", HubSpotID: "other", ConnectWiseID: 1})); !errors.Is(err, syncer.ErrConflict) {
			fmt.Println("conflict batch:", err)
			os.Exit(3)
		}
	case "loop":
		// Commit batches until killed, reporting each one.
		for n := 1; ; n++ {
			must(s.Commit(ctx, "t", crashBatch(n)))
			fmt.Println(n)
		}
	}
	fmt.Println("done")
	_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
	select {}
}

func must(err error) {
	if err != nil {
		fmt.Println("commit:", err)
		os.Exit(3)
	}
}

// crashBatch n holds 100 links, an intent and the cursor "n".
func crashBatch(n int) *syncer.Batch {
	b := new(syncer.Batch)
	for i := range 100 {
		id := int64((n-1)*100 + i + 1)
		b.PutLink(syncer.Link{Object: "contacts", HubSpotID: strconv.FormatInt(id, 10), ConnectWiseID: id, Base: make([]byte, 200)})
	}
	b.PutIntent(syncer.Intent{Object: "contacts", Target: syncer.SideHubSpot, SourceID: strconv.Itoa(n)})
	return b.PutCursor("batches", strconv.Itoa(n))
}

func startChild(t *testing.T, mode, path string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envCrashMode+"="+mode, envCrashPath+"="+path)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	return cmd, bufio.NewScanner(out)
}

func requireKilled(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	err := cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	ws, ok := exit.Sys().(syscall.WaitStatus)
	require.True(t, ok)
	require.True(t, ws.Signaled() && ws.Signal() == syscall.SIGKILL, "child ended by %v", err)
}

// checkFile runs bbolt's consistency check over the whole file.
func checkFile(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}))
}

// committed returns the cursor and the number of links and intents in the file.
func committed(t *testing.T, path string) (cursor string, links, intents int) {
	t.Helper()
	s, err := boltstore.Open(path, nil)
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	cursor, err = s.Cursor(ctx, "t", "batches")
	require.NoError(t, err)
	for _, err := range s.ListLinks(ctx, "t", "contacts", nil) {
		require.NoError(t, err)
		links++
	}
	for _, err := range s.ListIntents(ctx, "t", "") {
		require.NoError(t, err)
		intents++
	}
	return cursor, links, intents
}

func TestCrashAfterCommittedAndFailedBatches(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	cmd, out := startChild(t, "batches", path)
	var lines []string
	for out.Scan() {
		lines = append(lines, out.Text())
	}
	requireKilled(t, cmd)
	require.Equal(t, []string{"done"}, lines)

	checkFile(t, path)
	cursor, links, intents := committed(t, path)
	assert.Equal(t, "1", cursor)
	assert.Equal(t, 100, links, "the committed batch survives, the failed ones left nothing")
	assert.Equal(t, 1, intents)
}

func TestCrashDuringCommits(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process mid-write")
	}
	path := filepath.Join(t.TempDir(), "state.db")
	cmd, out := startChild(t, "loop", path)
	seen := 0
	for seen < 5 && out.Scan() {
		n, err := strconv.Atoi(out.Text())
		require.NoError(t, err, "child said %q", out.Text())
		seen = n
	}
	require.Equal(t, 5, seen)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL)) // most likely mid-transaction
	requireKilled(t, cmd)

	checkFile(t, path)
	cursor, links, intents := committed(t, path)
	n, err := strconv.Atoi(cursor)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, n, 5, "every acknowledged batch survives")
	assert.Equal(t, n*100, links, "links match the cursor: no partial batch")
	assert.Equal(t, n, intents)
}

package boltstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/boltstore"
)

func TestOpenSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := boltstore.Open(path, nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	// A file from a future version is refused, not misread.
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte("2")) }))
	require.NoError(t, db.Close())
	_, err = boltstore.Open(path, nil)
	require.ErrorIs(t, err, boltstore.ErrSchemaVersion)
	assert.Contains(t, err.Error(), `schema version "2", this build reads version 1`)
	assert.Contains(t, err.Error(), path)
}

func TestOpenForeignFiles(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	db, err := bolt.Open(other, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("someone-else")); return err }))
	require.NoError(t, db.Close())
	_, err = boltstore.Open(other, nil)
	assert.ErrorIs(t, err, boltstore.ErrSchemaVersion, "a bbolt file of another program")

	junk := filepath.Join(dir, "junk.db")
	require.NoError(t, os.WriteFile(junk, []byte("this is not a bbolt file, not even close; it is long enough to be read as a page header"), 0o600))
	_, err = boltstore.Open(junk, nil)
	assert.Error(t, err)

	_, err = boltstore.Open(filepath.Join(dir, "missing-dir", "state.db"), nil)
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
}

func TestOpenLockedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := boltstore.Open(path, nil)
	require.NoError(t, err)
	defer s.Close()
	_, err = boltstore.Open(path, &boltstore.Options{Timeout: 50 * time.Millisecond})
	require.ErrorIs(t, err, syncer.ErrUnavailable)
	assert.Contains(t, err.Error(), "locked")
}

func TestClosedStore(t *testing.T) {
	s, err := boltstore.Open(filepath.Join(t.TempDir(), "state.db"), nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	ctx := context.Background()
	err = s.Commit(ctx, "t", new(syncer.Batch).PutCursor("k", "v"))
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	_, err = s.Cursor(ctx, "t", "k")
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	_, err = s.LinkByHubSpotID(ctx, "t", "contacts", "1")
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	for _, err := range s.ListLinks(ctx, "t", "contacts", nil) {
		assert.ErrorIs(t, err, syncer.ErrUnavailable)
	}
	_, err = s.AcquireLease(ctx, "t", "w1", time.Minute)
	assert.ErrorIs(t, err, syncer.ErrUnavailable)
	assert.False(t, errors.Is(err, syncer.ErrNotFound))
}

func TestOversizedKey(t *testing.T) {
	s := open(t, time.Now)
	key := strings.Repeat("k", 40000) // over bbolt's 32 KiB key limit
	err := s.Commit(context.Background(), "t", new(syncer.Batch).PutCursor("ok", "v").PutCursor(key, "v"))
	require.ErrorIs(t, err, syncer.ErrInvalid, "bbolt's key limit surfaces as invalid input")
	var oe *syncer.OpError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, oe.Index)
	_, err = s.Cursor(context.Background(), "t", "ok")
	assert.ErrorIs(t, err, syncer.ErrNotFound, "nothing of the batch was stored")
}

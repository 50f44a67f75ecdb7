package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/hubwise/hubwise/syncer"
)

// SchemaVersion is the bucket layout this build reads and writes. [Open] refuses
// a file written with another version.
const SchemaVersion = 1

// ErrSchemaVersion reports a file whose schema version differs from
// [SchemaVersion], or a bbolt file that is not a hubwise state store.
var ErrSchemaVersion = errors.New("boltstore: incompatible file")

// Options configure [Open]. The zero value (or nil) is usable.
type Options struct {
	// Clock returns "now" for default timestamps and lease expiry; nil means
	// time.Now.
	Clock func() time.Time
	// Timeout bounds the wait for the file lock held by another process; 0 means
	// one second. A timeout fails with an error wrapping [syncer.ErrUnavailable].
	Timeout time.Duration
	// FileMode is the mode of a newly created file; 0 means 0o600.
	FileMode os.FileMode
	// PageSize is how many records a listing reads per read transaction; 0
	// means 256.
	PageSize int
}

// Store is the bbolt [syncer.StateStore] and [syncer.Leaser]. It is safe for
// concurrent use; call [Store.Close] when done.
type Store struct {
	db       *bolt.DB
	path     string
	clock    func() time.Time
	pageSize int
}

var (
	_ syncer.StateStore = (*Store)(nil)
	_ syncer.Leaser     = (*Store)(nil)
)

// Bucket layout, version 1:
//
//	meta/schema                          "1"
//	tenants/<tenant>/lease               lease record
//	tenants/<tenant>/links/<object>/cw   big-endian ConnectWise ID -> link record
//	tenants/<tenant>/links/<object>/hs   HubSpot ID -> big-endian ConnectWise ID
//	tenants/<tenant>/cursors             key -> value
//	tenants/<tenant>/intents             object NUL target NUL source ID -> intent record
//	tenants/<tenant>/dead                object NUL side NUL source ID -> dead-letter record
//	tenants/<tenant>/conflicts           object NUL hubspot ID NUL cw(8) field -> conflict record
var (
	bucketMeta      = []byte("meta")
	keySchema       = []byte("schema")
	bucketTenants   = []byte("tenants")
	keyLease        = []byte("lease")
	bucketLinks     = []byte("links")
	bucketCW        = []byte("cw")
	bucketHS        = []byte("hs")
	bucketCursors   = []byte("cursors")
	bucketIntents   = []byte("intents")
	bucketDead      = []byte("dead")
	bucketConflicts = []byte("conflicts")
)

// Open opens or creates the state file at path. A new file gets the current
// schema; an existing one must carry [SchemaVersion] or Open fails with
// [ErrSchemaVersion]. opts may be nil.
func Open(path string, opts *Options) (*Store, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.FileMode == 0 {
		o.FileMode = 0o600
	}
	if o.PageSize <= 0 {
		o.PageSize = 256
	}
	db, err := bolt.Open(path, o.FileMode, &bolt.Options{Timeout: o.Timeout})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, fmt.Errorf("boltstore: open %s: file is locked by another process: %w", path, syncer.ErrUnavailable)
		}
		return nil, fmt.Errorf("boltstore: open %s: %w: %w", path, err, syncer.ErrUnavailable)
	}
	if err := db.Update(initSchema); err != nil {
		_ = db.Close()
		if errors.Is(err, ErrSchemaVersion) {
			return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
		}
		return nil, fmt.Errorf("boltstore: open %s: %w: %w", path, err, syncer.ErrUnavailable)
	}
	return &Store{db: db, path: path, clock: o.Clock, pageSize: o.PageSize}, nil
}

// initSchema creates the layout in an empty file and checks the version of an
// existing one.
func initSchema(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return fmt.Errorf("%w: a bbolt file without hubwise metadata", ErrSchemaVersion)
		}
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(keySchema, []byte(strconv.Itoa(SchemaVersion))); err != nil {
			return err
		}
		_, err = tx.CreateBucket(bucketTenants)
		return err
	}
	got := string(meta.Get(keySchema))
	if got != strconv.Itoa(SchemaVersion) {
		return fmt.Errorf("%w: schema version %q, this build reads version %d", ErrSchemaVersion, got, SchemaVersion)
	}
	if tx.Bucket(bucketTenants) == nil {
		return fmt.Errorf("%w: tenants bucket missing", ErrSchemaVersion)
	}
	return nil
}

// Close closes the file. Later calls fail with [syncer.ErrUnavailable].
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close %s: %w", s.path, err)
	}
	return nil
}

// Path returns the file's path.
func (s *Store) Path() string { return s.path }

func (s *Store) now() time.Time { return norm(s.clock()) }

// norm applies the contract's time rule: UTC, microsecond precision.
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

// mapErr turns bbolt failures into the portable errors; errors this package
// made (wrapping a syncer sentinel or a context error) pass unchanged.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syncer.ErrNotFound), errors.Is(err, syncer.ErrConflict), errors.Is(err, syncer.ErrInvalid),
		errors.Is(err, syncer.ErrFenced), errors.Is(err, syncer.ErrUnavailable),
		errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.Is(err, berrors.ErrKeyTooLarge), errors.Is(err, berrors.ErrValueTooLarge):
		return fmt.Errorf("boltstore: %w: %w", err, syncer.ErrInvalid)
	case errors.Is(err, errCorrupt):
		return fmt.Errorf("%w: %w", err, syncer.ErrUnavailable)
	default:
		return fmt.Errorf("boltstore: %w: %w", err, syncer.ErrUnavailable)
	}
}

func checkScope(ctx context.Context, tenant string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("boltstore: %w", err)
	}
	if err := syncer.CheckID("tenant", tenant); err != nil {
		return fmt.Errorf("boltstore: %w", err)
	}
	return nil
}

func (s *Store) view(ctx context.Context, fn func(*bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("boltstore: %w", err)
	}
	return mapErr(s.db.View(fn))
}

func tenantBucket(tx *bolt.Tx, tenant string) *bolt.Bucket {
	return tx.Bucket(bucketTenants).Bucket([]byte(tenant))
}

// sub returns the tenant's sub-bucket name, or nil.
func sub(tx *bolt.Tx, tenant string, name []byte) *bolt.Bucket {
	if t := tenantBucket(tx, tenant); t != nil {
		return t.Bucket(name)
	}
	return nil
}

// objectBuckets returns the cw and hs buckets of an object, or nils.
func objectBuckets(tx *bolt.Tx, tenant, object string) (cw, hs *bolt.Bucket) {
	links := sub(tx, tenant, bucketLinks)
	if links == nil {
		return nil, nil
	}
	o := links.Bucket([]byte(object))
	if o == nil {
		return nil, nil
	}
	return o.Bucket(bucketCW), o.Bucket(bucketHS)
}

func linkByCW(cw *bolt.Bucket, object string, id int64) (syncer.Link, bool, error) {
	if cw == nil {
		return syncer.Link{}, false, nil
	}
	v := cw.Get(cwKey(id))
	if v == nil {
		return syncer.Link{}, false, nil
	}
	l, err := decodeLink(object, id, v)
	return l, true, err
}

func linkByHS(cw, hs *bolt.Bucket, object, id string) (syncer.Link, bool, error) {
	if hs == nil {
		return syncer.Link{}, false, nil
	}
	k := hs.Get([]byte(id))
	if k == nil {
		return syncer.Link{}, false, nil
	}
	cwID, err := cwFromKey(k)
	if err != nil {
		return syncer.Link{}, false, err
	}
	l, ok, err := linkByCW(cw, object, cwID)
	if err == nil && !ok {
		err = fmt.Errorf("%w: hubspot index names missing connectwise ID %d", errCorrupt, cwID)
	}
	return l, ok, err
}

// LinkByHubSpotID implements [syncer.StateStore].
func (s *Store) LinkByHubSpotID(ctx context.Context, tenant, object, id string) (syncer.Link, error) {
	if err := firstErr(checkScope(ctx, tenant), checkID("object", object), checkID("hubspot ID", id)); err != nil {
		return syncer.Link{}, err
	}
	var l syncer.Link
	var found bool
	err := s.view(ctx, func(tx *bolt.Tx) (err error) {
		cw, hs := objectBuckets(tx, tenant, object)
		l, found, err = linkByHS(cw, hs, object, id)
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("boltstore: link %s hubspot=%s: %w", object, id, syncer.ErrNotFound)
	}
	return l, err
}

// LinkByConnectWiseID implements [syncer.StateStore].
func (s *Store) LinkByConnectWiseID(ctx context.Context, tenant, object string, id int64) (syncer.Link, error) {
	if err := firstErr(checkScope(ctx, tenant), checkID("object", object), checkCW(id)); err != nil {
		return syncer.Link{}, err
	}
	var l syncer.Link
	var found bool
	err := s.view(ctx, func(tx *bolt.Tx) (err error) {
		cw, _ := objectBuckets(tx, tenant, object)
		l, found, err = linkByCW(cw, object, id)
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("boltstore: link %s connectwise=%d: %w", object, id, syncer.ErrNotFound)
	}
	return l, err
}

// LinksByHubSpotIDs implements [syncer.StateStore] in one read transaction.
func (s *Store) LinksByHubSpotIDs(ctx context.Context, tenant, object string, ids []string) (map[string]syncer.Link, error) {
	if err := firstErr(checkScope(ctx, tenant), checkID("object", object)); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := checkID("hubspot ID", id); err != nil {
			return nil, err
		}
	}
	out := make(map[string]syncer.Link, len(ids))
	err := s.view(ctx, func(tx *bolt.Tx) error {
		cw, hs := objectBuckets(tx, tenant, object)
		for _, id := range ids {
			l, ok, err := linkByHS(cw, hs, object, id)
			if err != nil {
				return err
			}
			if ok {
				out[id] = l
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LinksByConnectWiseIDs implements [syncer.StateStore] in one read transaction.
func (s *Store) LinksByConnectWiseIDs(ctx context.Context, tenant, object string, ids []int64) (map[int64]syncer.Link, error) {
	if err := firstErr(checkScope(ctx, tenant), checkID("object", object)); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := checkCW(id); err != nil {
			return nil, err
		}
	}
	out := make(map[int64]syncer.Link, len(ids))
	err := s.view(ctx, func(tx *bolt.Tx) error {
		cw, _ := objectBuckets(tx, tenant, object)
		for _, id := range ids {
			l, ok, err := linkByCW(cw, object, id)
			if err != nil {
				return err
			}
			if ok {
				out[id] = l
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListLinks implements [syncer.StateStore]: one read transaction per page,
// none open while the loop body runs.
func (s *Store) ListLinks(ctx context.Context, tenant, object string, opts *syncer.LinkListOptions) iter.Seq2[syncer.Link, error] {
	var o syncer.LinkListOptions
	if opts != nil {
		o = *opts
	}
	return func(yield func(syncer.Link, error) bool) {
		if err := firstErr(checkScope(ctx, tenant), checkID("object", object)); err != nil {
			yield(syncer.Link{}, err)
			return
		}
		start := cwKey(max(o.AfterConnectWiseID, 0))
		left := o.Limit
		for {
			var page []syncer.Link
			err := s.view(ctx, func(tx *bolt.Tx) error {
				cw, _ := objectBuckets(tx, tenant, object)
				if cw == nil {
					return nil
				}
				c := cw.Cursor()
				k, v := c.Seek(start)
				if k != nil && bytes.Equal(k, start) {
					k, v = c.Next()
				}
				for ; k != nil && len(page) < s.pageSize; k, v = c.Next() {
					id, err := cwFromKey(k)
					if err != nil {
						return err
					}
					l, err := decodeLink(object, id, v)
					if err != nil {
						return err
					}
					page = append(page, l)
				}
				return nil
			})
			if err != nil {
				yield(syncer.Link{}, err)
				return
			}
			for _, l := range page {
				if err := ctx.Err(); err != nil {
					yield(syncer.Link{}, fmt.Errorf("boltstore: %w", err))
					return
				}
				if !yield(l, nil) {
					return
				}
				if left--; left == 0 {
					return
				}
			}
			if len(page) < s.pageSize {
				return
			}
			start = cwKey(page[len(page)-1].ConnectWiseID)
		}
	}
}

// Cursor implements [syncer.StateStore].
func (s *Store) Cursor(ctx context.Context, tenant, key string) (string, error) {
	if err := firstErr(checkScope(ctx, tenant), checkID("cursor key", key)); err != nil {
		return "", err
	}
	var v []byte
	err := s.view(ctx, func(tx *bolt.Tx) error {
		if b := sub(tx, tenant, bucketCursors); b != nil {
			if got := b.Get([]byte(key)); got != nil {
				v = append([]byte{}, got...)
			}
		}
		return nil
	})
	if err == nil && v == nil {
		err = fmt.Errorf("boltstore: cursor %s: %w", key, syncer.ErrNotFound)
	}
	return string(v), err
}

// ListIntents implements [syncer.StateStore].
func (s *Store) ListIntents(ctx context.Context, tenant, object string) iter.Seq2[syncer.Intent, error] {
	return scan(s, ctx, tenant, object, bucketIntents, func(v []byte) (syncer.Intent, bool, error) {
		i, err := decodeIntent(v)
		return i, true, err
	})
}

// ListDeadLetters implements [syncer.StateStore].
func (s *Store) ListDeadLetters(ctx context.Context, tenant string, opts *syncer.DeadLetterListOptions) iter.Seq2[syncer.DeadLetter, error] {
	var o syncer.DeadLetterListOptions
	if opts != nil {
		o = *opts
	}
	return scan(s, ctx, tenant, o.Object, bucketDead, func(v []byte) (syncer.DeadLetter, bool, error) {
		d, err := decodeDeadLetter(v)
		return d, o.DueAt.IsZero() || !d.NextRetryAt.After(o.DueAt), err
	})
}

// ListConflicts implements [syncer.StateStore].
func (s *Store) ListConflicts(ctx context.Context, tenant, object string) iter.Seq2[syncer.Conflict, error] {
	return scan(s, ctx, tenant, object, bucketConflicts, func(v []byte) (syncer.Conflict, bool, error) {
		c, err := decodeConflict(v)
		return c, true, err
	})
}

// scan yields the decoded records of a tenant bucket whose keys start with
// object NUL (all keys when object is ""), a page per read transaction. keep
// reports whether a record passes the caller's filter.
func scan[T any](s *Store, ctx context.Context, tenant, object string, bucket []byte, decode func([]byte) (T, bool, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		err := checkScope(ctx, tenant)
		if err == nil && object != "" {
			err = checkID("object", object)
		}
		if err != nil {
			yield(zero, err)
			return
		}
		var prefix []byte
		if object != "" {
			prefix = tupleKey(object, "")
		}
		start := prefix
		for {
			var page []T
			var last []byte
			scanned := 0
			err := s.view(ctx, func(tx *bolt.Tx) error {
				b := sub(tx, tenant, bucket)
				if b == nil {
					return nil
				}
				c := b.Cursor()
				for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix) && scanned < s.pageSize; k, v = c.Next() {
					scanned++
					last = append(last[:0], k...)
					rec, keep, err := decode(v)
					if err != nil {
						return err
					}
					if keep {
						page = append(page, rec)
					}
				}
				return nil
			})
			if err != nil {
				yield(zero, err)
				return
			}
			for _, rec := range page {
				if err := ctx.Err(); err != nil {
					yield(zero, fmt.Errorf("boltstore: %w", err))
					return
				}
				if !yield(rec, nil) {
					return
				}
			}
			if scanned < s.pageSize {
				return
			}
			start = append(last, 0) // the smallest key after last
		}
	}
}

func checkID(what, id string) error {
	if err := syncer.CheckID(what, id); err != nil {
		return fmt.Errorf("boltstore: %w", err)
	}
	return nil
}

func checkCW(id int64) error {
	if err := syncer.CheckConnectWiseID(id); err != nil {
		return fmt.Errorf("boltstore: %w", err)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

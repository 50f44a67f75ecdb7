package boltstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/hubwise/hubwise/syncer"
)

// Commit implements [syncer.StateStore]: the fence check and every operation
// run in one bbolt read-write transaction, which is fsynced before Commit
// returns. Any failure (or ctx ending before the transaction commits) rolls the
// whole transaction back, so a crash at any point leaves either all of the batch
// or none of it in the file.
func (s *Store) Commit(ctx context.Context, tenant string, b *syncer.Batch) error {
	if err := checkScope(ctx, tenant); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		now := s.now()
		tb := tenantBucket(tx, tenant)
		if b != nil {
			lease, err := readLease(tb)
			if err != nil {
				return err
			}
			if err := lease.CheckFence(b.Fence, now); err != nil {
				return fmt.Errorf("boltstore: commit: %w", err)
			}
		}
		if err := b.Validate(); err != nil {
			return fmt.Errorf("boltstore: commit: %w", err)
		}
		if len(b.Ops) == 0 {
			return nil
		}
		if tb == nil {
			var err error
			if tb, err = tx.Bucket(bucketTenants).CreateBucket([]byte(tenant)); err != nil {
				return err
			}
		}
		w := writer{tb: tb, now: now}
		for i, op := range b.Ops {
			if err := w.apply(op); err != nil {
				if err = mapErr(err); errors.Is(err, syncer.ErrUnavailable) {
					return err // the store failed, not the operation
				}
				return fmt.Errorf("boltstore: commit: %w", &syncer.OpError{Index: i, Op: op, Err: err})
			}
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("boltstore: commit: %w", err)
		}
		return nil
	})
	return mapErr(err)
}

// writer applies operations inside one read-write transaction.
type writer struct {
	tb      *bolt.Bucket
	now     time.Time
	objects map[string][2]*bolt.Bucket // cw and hs buckets by object
}

func (w *writer) bucket(name []byte) (*bolt.Bucket, error) {
	return w.tb.CreateBucketIfNotExists(name)
}

func (w *writer) objectBuckets(object string) (cw, hs *bolt.Bucket, err error) {
	if b, ok := w.objects[object]; ok {
		return b[0], b[1], nil
	}
	defer func() {
		if err == nil {
			if w.objects == nil {
				w.objects = map[string][2]*bolt.Bucket{}
			}
			w.objects[object] = [2]*bolt.Bucket{cw, hs}
		}
	}()
	links, err := w.bucket(bucketLinks)
	if err != nil {
		return nil, nil, err
	}
	o, err := links.CreateBucketIfNotExists([]byte(object))
	if err != nil {
		return nil, nil, err
	}
	if cw, err = o.CreateBucketIfNotExists(bucketCW); err != nil {
		return nil, nil, err
	}
	hs, err = o.CreateBucketIfNotExists(bucketHS)
	return cw, hs, err
}

func (w *writer) apply(op syncer.Op) error {
	switch op := op.(type) {
	case syncer.LinkPut:
		return w.putLink(op)
	case syncer.LinkDelete:
		return w.deleteLink(op)
	case syncer.CursorPut:
		return w.put(bucketCursors, []byte(op.Key), []byte(op.Value))
	case syncer.CursorDelete:
		return w.delete(bucketCursors, []byte(op.Key))
	case syncer.IntentPut:
		in := op.Intent
		in.CreatedAt = orNow(in.CreatedAt, w.now)
		return w.put(bucketIntents, tupleKey(in.Object, string(in.Target), in.SourceID), encodeIntent(&in))
	case syncer.IntentDelete:
		return w.delete(bucketIntents, tupleKey(op.Object, string(op.Target), op.SourceID))
	case syncer.DeadLetterPut:
		return w.putDeadLetter(op.DeadLetter)
	case syncer.DeadLetterDelete:
		return w.delete(bucketDead, tupleKey(op.Object, string(op.Side), op.SourceID))
	case syncer.ConflictPut:
		c := op.Conflict
		c.DetectedAt = orNow(c.DetectedAt, w.now)
		return w.put(bucketConflicts, conflictKey(c.Object, c.HubSpotID, c.ConnectWiseID, c.Field), encodeConflict(&c))
	case syncer.ConflictDelete:
		return w.delete(bucketConflicts, conflictKey(op.Object, op.HubSpotID, op.ConnectWiseID, op.Field))
	}
	return fmt.Errorf("unknown operation %T: %w", op, syncer.ErrInvalid)
}

func (w *writer) put(bucket, k, v []byte) error {
	b, err := w.bucket(bucket)
	if err != nil {
		return err
	}
	return b.Put(k, v)
}

func (w *writer) delete(bucket, k []byte) error {
	b := w.tb.Bucket(bucket)
	if b == nil {
		return nil
	}
	return b.Delete(k)
}

func (w *writer) putLink(op syncer.LinkPut) error {
	in := op.Link
	cw, hs, err := w.objectBuckets(in.Object)
	if err != nil {
		return err
	}
	key := cwKey(in.ConnectWiseID)
	if k := hs.Get([]byte(in.HubSpotID)); k != nil {
		other, err := cwFromKey(k)
		if err != nil {
			return err
		}
		if other != in.ConnectWiseID {
			return fmt.Errorf("hubspot ID %s is already linked to connectwise ID %d: %w", in.HubSpotID, other, syncer.ErrConflict)
		}
	}
	old, exists, err := linkByCW(cw, in.Object, in.ConnectWiseID)
	if err != nil {
		return err
	}
	if exists && old.HubSpotID != in.HubSpotID {
		return fmt.Errorf("connectwise ID %d is already linked to hubspot ID %s: %w", in.ConnectWiseID, old.HubSpotID, syncer.ErrConflict)
	}
	if op.Conditional {
		switch {
		case !exists && op.IfVersion != 0:
			return fmt.Errorf("link does not exist, expected version %d: %w", op.IfVersion, syncer.ErrConflict)
		case exists && old.Version != op.IfVersion:
			return fmt.Errorf("link is at version %d, expected %d: %w", old.Version, op.IfVersion, syncer.ErrConflict)
		}
	}
	nl := syncer.Link{
		HubSpotID:             in.HubSpotID,
		Base:                  in.Base,
		SyncedAt:              orNow(in.SyncedAt, w.now),
		HubSpotModifiedAt:     norm(in.HubSpotModifiedAt),
		ConnectWiseModifiedAt: norm(in.ConnectWiseModifiedAt),
		Version:               old.Version + 1,
	}
	if err := cw.Put(key, encodeLink(&nl)); err != nil {
		return err
	}
	if exists {
		return nil // the hubspot index already points here
	}
	return hs.Put([]byte(in.HubSpotID), key)
}

func (w *writer) deleteLink(op syncer.LinkDelete) error {
	links := w.tb.Bucket(bucketLinks)
	if links == nil {
		return nil
	}
	o := links.Bucket([]byte(op.Object))
	if o == nil {
		return nil
	}
	cw, hs := o.Bucket(bucketCW), o.Bucket(bucketHS)
	hsLinked := false
	if k := hs.Get([]byte(op.HubSpotID)); k != nil {
		other, err := cwFromKey(k)
		if err != nil {
			return err
		}
		if other != op.ConnectWiseID {
			return fmt.Errorf("hubspot ID %s is linked to connectwise ID %d: %w", op.HubSpotID, other, syncer.ErrConflict)
		}
		hsLinked = true
	}
	old, exists, err := linkByCW(cw, op.Object, op.ConnectWiseID)
	if err != nil {
		return err
	}
	if exists && old.HubSpotID != op.HubSpotID {
		return fmt.Errorf("connectwise ID %d is linked to hubspot ID %s: %w", op.ConnectWiseID, old.HubSpotID, syncer.ErrConflict)
	}
	if exists != hsLinked {
		return fmt.Errorf("%w: link indexes disagree for hubspot ID %s", errCorrupt, op.HubSpotID)
	}
	if !exists {
		return nil
	}
	if err := cw.Delete(cwKey(op.ConnectWiseID)); err != nil {
		return err
	}
	return hs.Delete([]byte(op.HubSpotID))
}

func (w *writer) putDeadLetter(d syncer.DeadLetter) error {
	b, err := w.bucket(bucketDead)
	if err != nil {
		return err
	}
	k := tupleKey(d.Object, string(d.Side), d.SourceID)
	d.LastFailedAt = orNow(d.LastFailedAt, w.now)
	d.FirstFailedAt = orNow(d.FirstFailedAt, d.LastFailedAt)
	d.NextRetryAt = norm(d.NextRetryAt)
	if v := b.Get(k); v != nil {
		old, err := decodeDeadLetter(v)
		if err != nil {
			return err
		}
		d.Attempts += old.Attempts
		d.FirstFailedAt = old.FirstFailedAt
	}
	return b.Put(k, encodeDeadLetter(&d))
}

package memstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// Commit implements [syncer.StateStore]. Operations are applied in order under
// the store's write lock with an undo log; the first failing operation rolls
// every earlier one back before the lock is released, so no reader ever sees a
// partial batch.
func (s *Store) Commit(ctx context.Context, tenant string, b *syncer.Batch) error {
	if err := checkScope(ctx, tenant, ""); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	var lease leaseState
	if t := s.tenants[tenant]; t != nil {
		lease = t.lease
	}
	if b != nil {
		if err := lease.CheckFence(b.Fence, now); err != nil {
			return fmt.Errorf("memstore: commit: %w", err)
		}
	}
	if err := b.Validate(); err != nil {
		return fmt.Errorf("memstore: commit: %w", err)
	}
	if len(b.Ops) == 0 {
		return nil
	}
	t := s.tenantLocked(tenant, true)
	var undo []func()
	for i, op := range b.Ops {
		if err := t.apply(op, now, &undo); err != nil {
			for j := len(undo) - 1; j >= 0; j-- {
				undo[j]()
			}
			return fmt.Errorf("memstore: commit: %w", &syncer.OpError{Index: i, Op: op, Err: err})
		}
	}
	return nil
}

func (t *tenantState) apply(op syncer.Op, now time.Time, undo *[]func()) error {
	switch op := op.(type) {
	case syncer.LinkPut:
		return t.putLink(op, now, undo)
	case syncer.LinkDelete:
		return t.deleteLink(op, undo)
	case syncer.CursorPut:
		set(t.cursors, op.Key, op.Value, undo)
	case syncer.CursorDelete:
		del(t.cursors, op.Key, undo)
	case syncer.IntentPut:
		in := op.Intent
		in.Payload = slices.Clone(in.Payload)
		in.CreatedAt = orNow(in.CreatedAt, now)
		set(t.intents, intentKey{in.Object, in.Target, in.SourceID}, in, undo)
	case syncer.IntentDelete:
		del(t.intents, intentKey{op.Object, op.Target, op.SourceID}, undo)
	case syncer.DeadLetterPut:
		d := op.DeadLetter
		k := deadKey{d.Object, d.Side, d.SourceID}
		d.LastFailedAt = orNow(d.LastFailedAt, now)
		d.FirstFailedAt = orNow(d.FirstFailedAt, d.LastFailedAt)
		d.NextRetryAt = norm(d.NextRetryAt)
		if old, ok := t.dead[k]; ok {
			d.Attempts += old.Attempts
			d.FirstFailedAt = old.FirstFailedAt
		}
		set(t.dead, k, d, undo)
	case syncer.DeadLetterDelete:
		del(t.dead, deadKey{op.Object, op.Side, op.SourceID}, undo)
	case syncer.ConflictPut:
		c := copyConflict(op.Conflict)
		c.DetectedAt = orNow(c.DetectedAt, now)
		set(t.conflicts, conflictKey{c.Object, c.HubSpotID, c.ConnectWiseID, c.Field}, c, undo)
	case syncer.ConflictDelete:
		del(t.conflicts, conflictKey{op.Object, op.HubSpotID, op.ConnectWiseID, op.Field}, undo)
	default:
		return fmt.Errorf("unknown operation %T: %w", op, syncer.ErrInvalid)
	}
	return nil
}

func (t *tenantState) putLink(op syncer.LinkPut, now time.Time, undo *[]func()) error {
	in := op.Link
	o := t.object(in.Object, true)
	h, c := o.byHS[in.HubSpotID], o.byCW[in.ConnectWiseID]
	if h != nil && h.ConnectWiseID != in.ConnectWiseID {
		return fmt.Errorf("hubspot ID %s is already linked to connectwise ID %d: %w", in.HubSpotID, h.ConnectWiseID, syncer.ErrConflict)
	}
	if c != nil && c.HubSpotID != in.HubSpotID {
		return fmt.Errorf("connectwise ID %d is already linked to hubspot ID %s: %w", in.ConnectWiseID, c.HubSpotID, syncer.ErrConflict)
	}
	if op.Conditional {
		switch {
		case h == nil && op.IfVersion != 0:
			return fmt.Errorf("link does not exist, expected version %d: %w", op.IfVersion, syncer.ErrConflict)
		case h != nil && h.Version != op.IfVersion:
			return fmt.Errorf("link is at version %d, expected %d: %w", h.Version, op.IfVersion, syncer.ErrConflict)
		}
	}
	nl := &syncer.Link{
		Object:                in.Object,
		HubSpotID:             in.HubSpotID,
		ConnectWiseID:         in.ConnectWiseID,
		Base:                  slices.Clone(in.Base),
		SyncedAt:              orNow(in.SyncedAt, now),
		HubSpotModifiedAt:     norm(in.HubSpotModifiedAt),
		ConnectWiseModifiedAt: norm(in.ConnectWiseModifiedAt),
		Version:               1,
	}
	if h != nil {
		nl.Version = h.Version + 1
	}
	o.byHS[nl.HubSpotID], o.byCW[nl.ConnectWiseID] = nl, nl
	if h == nil {
		o.dirty = true
	}
	*undo = append(*undo, func() {
		if h == nil {
			delete(o.byHS, nl.HubSpotID)
			delete(o.byCW, nl.ConnectWiseID)
			o.dirty = true
			return
		}
		o.byHS[h.HubSpotID], o.byCW[h.ConnectWiseID] = h, h
	})
	return nil
}

func (t *tenantState) deleteLink(op syncer.LinkDelete, undo *[]func()) error {
	o := t.object(op.Object, false)
	if o == nil {
		return nil
	}
	h, c := o.byHS[op.HubSpotID], o.byCW[op.ConnectWiseID]
	if h != nil && h.ConnectWiseID != op.ConnectWiseID {
		return fmt.Errorf("hubspot ID %s is linked to connectwise ID %d: %w", op.HubSpotID, h.ConnectWiseID, syncer.ErrConflict)
	}
	if c != nil && c.HubSpotID != op.HubSpotID {
		return fmt.Errorf("connectwise ID %d is linked to hubspot ID %s: %w", op.ConnectWiseID, c.HubSpotID, syncer.ErrConflict)
	}
	if h == nil {
		return nil
	}
	delete(o.byHS, h.HubSpotID)
	delete(o.byCW, h.ConnectWiseID)
	o.dirty = true
	*undo = append(*undo, func() {
		o.byHS[h.HubSpotID], o.byCW[h.ConnectWiseID] = h, h
		o.dirty = true
	})
	return nil
}

func set[K comparable, V any](m map[K]V, k K, v V, undo *[]func()) {
	old, had := m[k]
	m[k] = v
	*undo = append(*undo, func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
}

func del[K comparable, V any](m map[K]V, k K, undo *[]func()) {
	old, had := m[k]
	if !had {
		return
	}
	delete(m, k)
	*undo = append(*undo, func() { m[k] = old })
}

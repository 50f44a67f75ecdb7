package pgstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// Commit implements [syncer.StateStore]. The batch is one transaction: it
// locks the tenant's row (SELECT ... FOR UPDATE), reads the clock, checks the
// fence against the lease columns of that row, validates the batch, applies
// every operation in order and commits. Any failure rolls the transaction back.
// The row lock serialises the tenant's commits and lease changes, so no
// serialisation failure reaches the caller and a takeover cannot slip between
// the fence check and the writes; commits of different tenants do not wait for
// each other.
func (s *Store) Commit(ctx context.Context, tenant string, b *syncer.Batch) error {
	if err := checkScope(ctx, tenant); err != nil {
		return err
	}
	if b == nil { // no fence to check
		return fmt.Errorf("pgstore: commit: %w", b.Validate())
	}
	return s.withTenant(ctx, "commit", tenant, len(b.Ops) > 0, func(tx *sql.Tx, lease leaseState, now time.Time) error {
		if err := lease.CheckFence(b.Fence, now); err != nil {
			return fmt.Errorf("pgstore: commit: %w", err)
		}
		if err := b.Validate(); err != nil {
			return fmt.Errorf("pgstore: commit: %w", err)
		}
		for i, op := range b.Ops {
			if err := checkOpIDs(op); err != nil {
				return fmt.Errorf("pgstore: commit: %w", &syncer.OpError{Index: i, Op: op, Err: err})
			}
		}
		w := writer{s: s, ctx: ctx, tx: tx, tenant: tenant, now: now}
		for i := 0; i < len(b.Ops); {
			n, at, err := 1, i, error(nil)
			if run := linkRun(b.Ops[i:]); run >= minLinkRun {
				var bad int
				n = run
				bad, err = w.putLinks(b.Ops[i : i+run])
				at = i + bad
			} else {
				err = w.apply(b.Ops[i])
			}
			if err != nil {
				err = mapErr(ctx, "commit", err)
				if errors.Is(err, syncer.ErrUnavailable) || ctx.Err() != nil {
					return err // the store failed, not the operation
				}
				return fmt.Errorf("pgstore: commit: %w", &syncer.OpError{Index: at, Op: b.Ops[at], Err: err})
			}
			i += n
		}
		return nil
	})
}

// withTenant runs fn in a transaction holding the tenant's row lock, with the
// tenant's lease and the clock read after the lock was granted. When the
// tenant has no row yet, create inserts one first (an empty commit does not);
// fn then sees the zero lease. fn's error rolls back; nil commits.
func (s *Store) withTenant(ctx context.Context, what, tenant string, create bool, fn func(*sql.Tx, leaseState, time.Time) error) (err error) {
	// READ COMMITTED whatever the server's default: the row lock does the
	// serialising, and SERIALIZABLE would add failures the contract rules out.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return mapErr(ctx, what, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	lease, found, err := s.lockTenant(ctx, tx, tenant)
	if err == nil && !found && create {
		if _, err = tx.ExecContext(ctx, s.q.insertTenant, tenant); err == nil {
			lease, _, err = s.lockTenant(ctx, tx, tenant)
		}
	}
	if err != nil {
		return mapErr(ctx, what, err)
	}
	if err := fn(tx, lease, s.now()); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pgstore: %s: %w", what, err)
	}
	return mapErr(ctx, what, tx.Commit())
}

func (s *Store) lockTenant(ctx context.Context, tx *sql.Tx, tenant string) (leaseState, bool, error) {
	var l leaseState
	var holder sql.NullString
	var expires sql.NullTime
	err := tx.QueryRowContext(ctx, s.q.lockTenant, tenant).Scan(&holder, &l.Generation, &expires, &l.Released)
	if errors.Is(err, sql.ErrNoRows) {
		return leaseState{}, false, nil
	}
	l.Holder, l.ExpiresAt = holder.String, fromNull(expires)
	return l, err == nil, err
}

// writer applies operations inside one Commit transaction.
type writer struct {
	s      *Store
	ctx    context.Context
	tx     *sql.Tx
	tenant string
	now    time.Time
}

func (w *writer) exec(query string, args ...any) error {
	_, err := w.tx.ExecContext(w.ctx, query, append([]any{w.tenant}, args...)...)
	return err
}

func (w *writer) apply(op syncer.Op) error {
	q := &w.s.q
	switch op := op.(type) {
	case syncer.LinkPut:
		return w.putLink(op)
	case syncer.LinkDelete:
		return w.deleteLink(op)
	case syncer.CursorPut:
		return w.exec(q.putCursor, op.Key, op.Value)
	case syncer.CursorDelete:
		return w.exec(q.deleteCursor, op.Key)
	case syncer.IntentPut:
		in := op.Intent
		return w.exec(q.putIntent, in.Object, string(in.Target), in.SourceID, in.LookupKey, orNow(in.CreatedAt, w.now), in.Payload)
	case syncer.IntentDelete:
		return w.exec(q.deleteIntent, op.Object, string(op.Target), op.SourceID)
	case syncer.DeadLetterPut:
		d := op.DeadLetter
		last := orNow(d.LastFailedAt, w.now)
		first := orNow(d.FirstFailedAt, last)
		return w.exec(q.putDead, d.Object, string(d.Side), d.SourceID, d.Err, int64(d.Attempts), first, last, nullTime(d.NextRetryAt))
	case syncer.DeadLetterDelete:
		return w.exec(q.deleteDead, op.Object, string(op.Side), op.SourceID)
	case syncer.ConflictPut:
		c := op.Conflict
		return w.exec(q.putConflict, c.Object, c.HubSpotID, c.ConnectWiseID, c.Field, c.HubSpotValue, c.ConnectWiseValue, c.BaseValue,
			orNow(c.DetectedAt, w.now))
	case syncer.ConflictDelete:
		return w.exec(q.deleteConflict, op.Object, op.HubSpotID, op.ConnectWiseID, op.Field)
	default:
		return fmt.Errorf("unknown operation %T: %w", op, syncer.ErrInvalid)
	}
}

// putLink writes a link in one statement; when no row comes back the put was
// refused, and linkConflict names the reason.
func (w *writer) putLink(op syncer.LinkPut) error {
	l := op.Link
	args := []any{w.tenant, l.Object, l.HubSpotID, l.ConnectWiseID, l.Base, orNow(l.SyncedAt, w.now),
		nullTime(l.HubSpotModifiedAt), nullTime(l.ConnectWiseModifiedAt)}
	query := w.s.q.putLink
	switch {
	case op.Conditional && op.IfVersion == 0:
		query = w.s.q.insertLinkIfAbsent
	case op.Conditional:
		query, args = w.s.q.updateLinkIfVersion, append(args, op.IfVersion)
	}
	var version int64
	err := w.tx.QueryRowContext(w.ctx, query, args...).Scan(&version)
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return w.linkConflict(op)
}

// linkConflict explains why op was refused, from the stored links.
func (w *writer) linkConflict(op syncer.LinkPut) error {
	l := op.Link
	h, c, err := w.partners(l.Object, l.HubSpotID, l.ConnectWiseID)
	switch {
	case err != nil:
		return err
	case h != nil && h.ConnectWiseID != l.ConnectWiseID:
		return fmt.Errorf("hubspot ID %s is already linked to connectwise ID %d: %w", l.HubSpotID, h.ConnectWiseID, syncer.ErrConflict)
	case c != nil && c.HubSpotID != l.HubSpotID:
		return fmt.Errorf("connectwise ID %d is already linked to hubspot ID %s: %w", l.ConnectWiseID, c.HubSpotID, syncer.ErrConflict)
	case op.Conditional && h == nil:
		return fmt.Errorf("link does not exist, expected version %d: %w", op.IfVersion, syncer.ErrConflict)
	case op.Conditional:
		return fmt.Errorf("link is at version %d, expected %d: %w", h.Version, op.IfVersion, syncer.ErrConflict)
	}
	// Unreachable while the tenant's row lock is held.
	return fmt.Errorf("link changed during the commit: %w", syncer.ErrConflict)
}

func (w *writer) deleteLink(op syncer.LinkDelete) error {
	var one int
	err := w.tx.QueryRowContext(w.ctx, w.s.q.deleteLink, w.tenant, op.Object, op.HubSpotID, op.ConnectWiseID).Scan(&one)
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	h, c, err := w.partners(op.Object, op.HubSpotID, op.ConnectWiseID)
	switch {
	case err != nil:
		return err
	case h != nil:
		return fmt.Errorf("hubspot ID %s is linked to connectwise ID %d: %w", op.HubSpotID, h.ConnectWiseID, syncer.ErrConflict)
	case c != nil:
		return fmt.Errorf("connectwise ID %d is linked to hubspot ID %s: %w", op.ConnectWiseID, c.HubSpotID, syncer.ErrConflict)
	}
	return nil // neither ID is linked
}

// partners returns the stored links holding hs (h) and cw (c), if any.
func (w *writer) partners(object, hs string, cw int64) (h, c *syncer.Link, err error) {
	rows, err := w.tx.QueryContext(w.ctx, w.s.q.linkPartners, w.tenant, object, hs, cw)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		l := new(syncer.Link)
		if err := rows.Scan(&l.Object, &l.HubSpotID, &l.ConnectWiseID, &l.Version); err != nil {
			return nil, nil, err
		}
		if l.Object != object {
			continue // the query by HubSpot ID covers every object
		}
		if l.HubSpotID == hs {
			h = l
		}
		if l.ConnectWiseID == cw {
			c = l
		}
	}
	return h, c, rows.Err()
}

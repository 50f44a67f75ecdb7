package pgstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/hubwise/hubwise/syncer"
)

// Every read is one statement outside any explicit transaction: PostgreSQL
// gives each statement a snapshot (READ COMMITTED), so a read sees a batch
// entirely or not at all.

type scanner interface{ Scan(dest ...any) error }

func scanLink(row scanner) (syncer.Link, error) {
	var l syncer.Link
	var synced, hsMod, cwMod sql.NullTime
	if err := row.Scan(&l.Object, &l.HubSpotID, &l.ConnectWiseID, &l.Base, &synced, &hsMod, &cwMod, &l.Version); err != nil {
		return syncer.Link{}, err
	}
	l.SyncedAt, l.HubSpotModifiedAt, l.ConnectWiseModifiedAt = fromNull(synced), fromNull(hsMod), fromNull(cwMod)
	return l, nil
}

func (s *Store) linkBy(ctx context.Context, what, query string, args ...any) (syncer.Link, error) {
	l, err := scanLink(s.db.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return syncer.Link{}, fmt.Errorf("pgstore: %s: %w", what, syncer.ErrNotFound)
	}
	if err != nil {
		return syncer.Link{}, mapErr(ctx, what, err)
	}
	return l, nil
}

// LinkByHubSpotID implements [syncer.StateStore].
func (s *Store) LinkByHubSpotID(ctx context.Context, tenant, object, id string) (syncer.Link, error) {
	if err := firstErr(checkScope(ctx, tenant), checkID("object", object), checkID("hubspot ID", id)); err != nil {
		return syncer.Link{}, err
	}
	what := fmt.Sprintf("link %s hubspot=%s", object, id)
	rows, err := s.db.QueryContext(ctx, s.q.linkByHS, tenant, id)
	if err != nil {
		return syncer.Link{}, mapErr(ctx, what, err)
	}
	defer rows.Close()
	for rows.Next() { // one row per object that links this HubSpot ID
		l, err := scanLink(rows)
		if err != nil {
			return syncer.Link{}, mapErr(ctx, what, err)
		}
		if l.Object == object {
			return l, nil
		}
	}
	if err := rows.Err(); err != nil {
		return syncer.Link{}, mapErr(ctx, what, err)
	}
	return syncer.Link{}, fmt.Errorf("pgstore: %s: %w", what, syncer.ErrNotFound)
}

// LinkByConnectWiseID implements [syncer.StateStore].
func (s *Store) LinkByConnectWiseID(ctx context.Context, tenant, object string, id int64) (syncer.Link, error) {
	if err := firstErr(checkScope(ctx, tenant), checkID("object", object), checkCW(id)); err != nil {
		return syncer.Link{}, err
	}
	return s.linkBy(ctx, fmt.Sprintf("link %s connectwise=%d", object, id), s.q.linkByCW, tenant, object, id)
}

// linksBy runs a bulk lookup: the IDs travel as one JSON array parameter, so
// the statement text is the same for any number of IDs and no driver-specific
// array type is needed.
func (s *Store) linksBy(ctx context.Context, what, query, tenant, object string, ids any, add func(syncer.Link)) error {
	arg, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("pgstore: %s: %w", what, err)
	}
	rows, err := s.db.QueryContext(ctx, query, tenant, object, string(arg))
	if err != nil {
		return mapErr(ctx, what, err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return mapErr(ctx, what, err)
		}
		add(l)
	}
	return mapErr(ctx, what, rows.Err())
}

// LinksByHubSpotIDs implements [syncer.StateStore] in one query.
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
	if len(ids) == 0 {
		return out, nil
	}
	err := s.linksBy(ctx, "links "+object+" by hubspot IDs", s.q.linksByHS, tenant, object, ids,
		func(l syncer.Link) { out[l.HubSpotID] = l })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LinksByConnectWiseIDs implements [syncer.StateStore] in one query.
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
	if len(ids) == 0 {
		return out, nil
	}
	err := s.linksBy(ctx, "links "+object+" by connectwise IDs", s.q.linksByCW, tenant, object, ids,
		func(l syncer.Link) { out[l.ConnectWiseID] = l })
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Cursor implements [syncer.StateStore].
func (s *Store) Cursor(ctx context.Context, tenant, key string) (string, error) {
	if err := firstErr(checkScope(ctx, tenant), checkID("cursor key", key)); err != nil {
		return "", err
	}
	var v string
	err := s.db.QueryRowContext(ctx, s.q.cursor, tenant, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("pgstore: cursor %s: %w", key, syncer.ErrNotFound)
	}
	if err != nil {
		return "", mapErr(ctx, "cursor "+key, err)
	}
	return v, nil
}

// pages yields the records that fetch returns page by page. fetch gets the
// last record of the previous page (nil for the first page) and returns at
// most size records; a shorter page ends the listing. No query or
// connection is held while the caller's loop body runs.
func pages[T any](ctx context.Context, what string, check error, size int, fetch func(after *T) (*sql.Rows, error), scan func(scanner) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if check != nil {
			yield(zero, check)
			return
		}
		var after *T
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, fmt.Errorf("pgstore: %s: %w", what, err))
				return
			}
			page, err := readPage(fetch, after, scan, size)
			if err != nil {
				yield(zero, mapErr(ctx, what, err))
				return
			}
			for i := range page {
				if err := ctx.Err(); err != nil {
					yield(zero, fmt.Errorf("pgstore: %s: %w", what, err))
					return
				}
				if !yield(page[i], nil) {
					return
				}
			}
			if len(page) < size {
				return
			}
			after = &page[len(page)-1]
		}
	}
}

func readPage[T any](fetch func(after *T) (*sql.Rows, error), after *T, scan func(scanner) (T, error), size int) ([]T, error) {
	rows, err := fetch(after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := make([]T, 0, size)
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		page = append(page, v)
	}
	return page, rows.Err()
}

// ListLinks implements [syncer.StateStore], reading Options.PageSize links per
// query (or fewer when opts.Limit is smaller).
func (s *Store) ListLinks(ctx context.Context, tenant, object string, opts *syncer.LinkListOptions) iter.Seq2[syncer.Link, error] {
	var o syncer.LinkListOptions
	if opts != nil {
		o = *opts
	}
	check := firstErr(checkScope(ctx, tenant), checkID("object", object))
	size := s.pageSize
	if o.Limit > 0 && o.Limit < size {
		size = o.Limit
	}
	all := pages(ctx, "list links "+object, check, size, func(after *syncer.Link) (*sql.Rows, error) {
		from := o.AfterConnectWiseID
		if after != nil {
			from = after.ConnectWiseID
		}
		return s.db.QueryContext(ctx, s.q.listLinks, tenant, object, from, size)
	}, scanLink)
	if o.Limit <= 0 {
		return all
	}
	return func(yield func(syncer.Link, error) bool) {
		n := 0
		for l, err := range all {
			if !yield(l, err) || err != nil {
				return
			}
			if n++; n >= o.Limit {
				return
			}
		}
	}
}

func scanIntent(row scanner) (syncer.Intent, error) {
	var in syncer.Intent
	var target string
	var created sql.NullTime
	if err := row.Scan(&in.Object, &target, &in.SourceID, &in.LookupKey, &created, &in.Payload); err != nil {
		return syncer.Intent{}, err
	}
	in.Target, in.CreatedAt = syncer.Side(target), fromNull(created)
	return in, nil
}

// ListIntents implements [syncer.StateStore].
func (s *Store) ListIntents(ctx context.Context, tenant, object string) iter.Seq2[syncer.Intent, error] {
	check := checkScope(ctx, tenant)
	if check == nil && object != "" {
		check = checkID("object", object)
	}
	return pages(ctx, "list intents", check, s.pageSize, func(after *syncer.Intent) (*sql.Rows, error) {
		var a syncer.Intent
		if after != nil {
			a = *after
		}
		if object != "" {
			return s.db.QueryContext(ctx, s.q.listIntentsObject, tenant, object, string(a.Target), a.SourceID, s.pageSize)
		}
		return s.db.QueryContext(ctx, s.q.listIntents, tenant, a.Object, string(a.Target), a.SourceID, s.pageSize)
	}, scanIntent)
}

func scanDead(row scanner) (syncer.DeadLetter, error) {
	var d syncer.DeadLetter
	var side string
	var attempts int64
	var first, last, next sql.NullTime
	if err := row.Scan(&d.Object, &side, &d.SourceID, &d.Err, &attempts, &first, &last, &next); err != nil {
		return syncer.DeadLetter{}, err
	}
	d.Side, d.Attempts = syncer.Side(side), int(attempts)
	d.FirstFailedAt, d.LastFailedAt, d.NextRetryAt = fromNull(first), fromNull(last), fromNull(next)
	return d, nil
}

// ListDeadLetters implements [syncer.StateStore].
func (s *Store) ListDeadLetters(ctx context.Context, tenant string, opts *syncer.DeadLetterListOptions) iter.Seq2[syncer.DeadLetter, error] {
	var o syncer.DeadLetterListOptions
	if opts != nil {
		o = *opts
	}
	check := checkScope(ctx, tenant)
	if check == nil && o.Object != "" {
		check = checkID("object", o.Object)
	}
	return pages(ctx, "list dead letters", check, s.pageSize, func(after *syncer.DeadLetter) (*sql.Rows, error) {
		var a syncer.DeadLetter
		if after != nil {
			a = *after
		}
		return s.db.QueryContext(ctx, s.q.listDead, tenant, a.Object, string(a.Side), a.SourceID, o.Object, nullTime(o.DueAt), s.pageSize)
	}, scanDead)
}

func scanConflict(row scanner) (syncer.Conflict, error) {
	var c syncer.Conflict
	var detected sql.NullTime
	if err := row.Scan(&c.Object, &c.HubSpotID, &c.ConnectWiseID, &c.Field, &c.HubSpotValue, &c.ConnectWiseValue, &c.BaseValue, &detected); err != nil {
		return syncer.Conflict{}, err
	}
	c.DetectedAt = fromNull(detected)
	return c, nil
}

// ListConflicts implements [syncer.StateStore].
func (s *Store) ListConflicts(ctx context.Context, tenant, object string) iter.Seq2[syncer.Conflict, error] {
	check := checkScope(ctx, tenant)
	if check == nil && object != "" {
		check = checkID("object", object)
	}
	return pages(ctx, "list conflicts", check, s.pageSize, func(after *syncer.Conflict) (*sql.Rows, error) {
		var a syncer.Conflict
		if after != nil {
			a = *after
		}
		if object != "" {
			return s.db.QueryContext(ctx, s.q.listConflictsObject, tenant, object, a.HubSpotID, a.ConnectWiseID, a.Field, s.pageSize)
		}
		return s.db.QueryContext(ctx, s.q.listConflicts, tenant, a.Object, a.HubSpotID, a.ConnectWiseID, a.Field, s.pageSize)
	}, scanConflict)
}

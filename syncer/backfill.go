package syncer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// BackfillOptions configure [Engine.Backfill].
type BackfillOptions struct {
	// Objects limits the migration to these objects (nil: every synced object
	// whose records flow toward HubSpot), in the engine's order.
	Objects []string
	// PageSize is the number of ConnectWise records read and applied at a time
	// (default and maximum 1000, connectwise-api.md §3). Memory is bounded by it,
	// not by the number of records.
	PageSize int
	// Progress, when set, is called after every page.
	Progress func(Progress)
	// DryRun plans every page without writing to either side or to the store:
	// the report counts what the migration would do (Report.DryRun is set).
	DryRun bool
	// AllRecords keeps a RecordResult for every record in the report; by
	// default only failed, ambiguous, conflicting and deferred records are
	// kept (with counts for all), so memory stays bounded by the page size.
	AllRecords bool
}

// Progress reports how far a backfill of one object has come.
type Progress struct {
	Object string
	// Done counts the records processed so far, including those a resumed
	// backfill had done before; Total is ConnectWise's /count at the start.
	Done, Total int
	// Rate is records per second in this run; ETA the time left at that rate.
	Rate float64
	ETA  time.Duration
}

// backfillDone marks a finished object in its checkpoint.
const backfillDone = "done:"

// Backfill migrates every ConnectWise record of the enabled objects into
// HubSpot (the one-time historical sync), object by object in dependency order,
// through the same linking, matching and writing as a pass: existing HubSpot
// records are matched by their keys first (so rec IDs need not be loaded by
// hand), unchanged pairs cost no write, and creates are upserts keyed on the
// ConnectWise-ID property.
//
// ConnectWise is read in pages of 1000 by ID; after each page is applied (or
// its failures dead-lettered) a checkpoint with the last ID is committed, so a
// backfill stopped by a crash, a cancelled context or HubSpot's daily limit
// (a *hubspot.RateLimitError whose Daily() is true) resumes where it stopped
// when called again. A finished object is skipped by later calls; its
// ConnectWise change-feed cursor is set to the backfill's start when it had
// none, so the next Run is incremental.
func (e *Engine) Backfill(ctx context.Context, opts *BackfillOptions) (*Report, error) {
	var o BackfillOptions
	if opts != nil {
		o = *opts
	}
	if o.PageSize <= 0 || o.PageSize > pageSize {
		o.PageSize = pageSize
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.newPlan(ctx)
	if err != nil {
		return nil, err
	}
	rep := e.newReport(p)
	rep.problemsOnly = !o.AllRecords
	rep.DryRun = o.DryRun
	for _, spec := range e.objects {
		if !spec.cwToHS || (o.Objects != nil && !slices.Contains(o.Objects, spec.name)) {
			continue
		}
		if err := e.backfillObject(ctx, spec, p, &o, rep); err != nil {
			return e.finish(rep, p, err), err
		}
	}
	return e.finish(rep, p, nil), nil
}

func (e *Engine) backfillObject(ctx context.Context, o *objectSpec, p *Plan, opts *BackfillOptions, rep *Report) error {
	key := backfillKey(o.name)
	after, done, err := e.readCheckpoint(ctx, key)
	if err != nil || done {
		return err
	}
	total, err := e.cw.Count(ctx, o.cwRes)
	if err != nil {
		return fmt.Errorf("syncer: backfill %s: count: %w", o.name, err)
	}
	// Records at or below the checkpoint were done by an earlier run.
	doneCount := 0
	if after > 0 {
		doneCount = e.countLinks(ctx, o.name, after)
	}
	started := e.now()
	processed := 0
	for {
		recs, err := e.cw.Page(ctx, o.cwRes, after, opts.PageSize)
		if err != nil {
			return fmt.Errorf("syncer: backfill %s: read after %d: %w", o.name, after, err)
		}
		if len(recs) == 0 {
			break
		}
		if err := e.enrich(ctx, o, recs); err != nil {
			return err
		}
		ps := e.newPassState(o, p)
		for d, err := range e.store.ListDeadLetters(ctx, e.tenant, &DeadLetterListOptions{Object: o.name}) {
			if err != nil {
				return fmt.Errorf("syncer: %s: list dead letters: %w", o.name, err)
			}
			ps.plan.dead[deadKey(d.Side, d.SourceID)] = d
		}
		for _, rec := range recs {
			r := e.newCW(o, rec, p.lk)
			if r.id > 0 {
				ps.cw[r.id] = r
				ps.cwSrc = append(ps.cwSrc, r.id)
			}
		}
		if err := ps.planRest(ctx); err != nil {
			return err
		}
		after = recordID(recs[len(recs)-1])
		if opts.DryRun {
			for _, x := range ps.plan.Operations {
				rep.add(e.newResult(x).record())
			}
		} else {
			if err := e.applyObject(ctx, p, ps.plan, rep); err != nil {
				return err
			}
			if err := e.commit(ctx, new(Batch).PutCursor(key, strconv.FormatInt(after, 10))); err != nil {
				return fmt.Errorf("syncer: backfill %s: checkpoint: %w", o.name, err)
			}
		}
		processed += len(recs)
		if opts.Progress != nil {
			opts.Progress(progress(o.name, doneCount+processed, max(total, doneCount+processed), processed, e.now().Sub(started)))
		}
		if len(recs) < opts.PageSize {
			break
		}
	}
	if opts.DryRun {
		return nil
	}
	b := new(Batch).PutCursor(key, backfillDone+strconv.FormatInt(after, 10))
	feed := cursorKey(o.name, SideConnectWise)
	if _, err := e.store.Cursor(ctx, e.tenant, feed); errors.Is(err, ErrNotFound) {
		b.PutCursor(feed, formatCursor(p.StartedAt.Add(-e.cfg.SafetyLag)))
	} else if err != nil {
		return fmt.Errorf("syncer: backfill %s: %w", o.name, err)
	}
	if err := e.commit(ctx, b); err != nil {
		return fmt.Errorf("syncer: backfill %s: checkpoint: %w", o.name, err)
	}
	e.log.Info("syncer: backfill done", "object", o.name, "records", processed)
	return nil
}

// readCheckpoint returns the last ConnectWise ID a backfill committed and
// whether the object is finished.
func (e *Engine) readCheckpoint(ctx context.Context, key string) (int64, bool, error) {
	v, err := e.store.Cursor(ctx, e.tenant, key)
	if errors.Is(err, ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("syncer: backfill checkpoint %s: %w", key, err)
	}
	done := strings.HasPrefix(v, backfillDone)
	n, err := strconv.ParseInt(strings.TrimPrefix(v, backfillDone), 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("syncer: backfill checkpoint %s holds %q", key, v)
	}
	return n, done, nil
}

// ResetBackfill forgets the backfill checkpoint of object, so the next
// Backfill migrates it again from the start (links keep it cheap).
func (e *Engine) ResetBackfill(ctx context.Context, object string) error {
	return e.commit(ctx, new(Batch).DeleteCursor(backfillKey(object)))
}

// countLinks counts the links of object up to a ConnectWise ID, for progress.
func (e *Engine) countLinks(ctx context.Context, object string, upTo int64) int {
	n := 0
	for l, err := range e.store.ListLinks(ctx, e.tenant, object, nil) {
		if err != nil || l.ConnectWiseID > upTo {
			break
		}
		n++
	}
	return n
}

func progress(object string, done, total, processed int, elapsed time.Duration) Progress {
	p := Progress{Object: object, Done: done, Total: total}
	if s := elapsed.Seconds(); s > 0 {
		p.Rate = float64(processed) / s
		p.ETA = time.Duration(float64(total-done) / p.Rate * float64(time.Second))
	}
	return p
}

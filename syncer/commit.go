package syncer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// createConnectWise creates records in ConnectWise, which has no upsert
// (prior-art.md §6): for each chunk an intent batch is committed BEFORE the
// POSTs, so a pass that crashes after ConnectWise accepted a create finds the
// intent on replay and looks the record up instead of creating it twice. The
// ConnectWise-side values of a new record (its ID, computed fields) are written
// back to HubSpot in the same pass.
func (e *Engine) createConnectWise(ctx context.Context, o *objectSpec, lk *mapping.Lookups, results []*result) error {
	var todo []*result
	for _, r := range results {
		// A create whose reference waits for a link waits too: ConnectWise may
		// require it (an opportunity's company and contact).
		if !r.failed() && r.op.Kind == OpCreate && r.op.Target == SideConnectWise && len(r.deferred) == 0 {
			todo = append(todo, r)
		}
	}
	for len(todo) > 0 {
		n := min(len(todo), 100)
		chunk := todo[:n]
		todo = todo[n:]
		b := new(Batch)
		for _, r := range chunk {
			l := r.op.data.lookup
			b.PutIntent(Intent{Object: o.name, Target: SideConnectWise, SourceID: r.hsID, LookupKey: sanitize(l.Value), Payload: l.encode()})
		}
		if err := e.commit(ctx, b); err != nil {
			return fmt.Errorf("syncer: %s: commit create intents: %w", o.name, err)
		}
		for _, r := range chunk {
			rec, err := e.cw.Create(ctx, o.cwRes, r.op.data.body)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				r.fail(SideConnectWise, "", err)
				// A refused create did not happen; anything else may have.
				r.intentDone = IsTerminal(err)
				continue
			}
			r.intentDone = true
			r.cwID = recordID(rec)
			r.op.ConnectWiseID = r.cwID
			if err := e.enrich(ctx, o, []map[string]any{rec}); err != nil {
				return err
			}
			c := e.newCW(o, rec, lk)
			h := r.op.p.hs
			r.cwRec, r.cwMod = rec, c.mod
			d := e.diff(o, diffInput{cw: c.vals, hs: h.vals, base: &snapshot{Fields: h.vals}, cwMod: c.mod,
				hsMod: h.rec.UpdatedAt, cwPass: c.pass, hsPass: h.pass})
			r.base = &snapshot{Fields: d.base}
			r.prev = h.vals
			r.toHS = d.toHS
			r.recordAssoc(SideConnectWise)
		}
	}
	return nil
}

// commitResults stores the outcome of every operation, 100 records per batch:
// links with their new base, dead letters put or cleared, intents settled,
// conflicts parked; the cursors go in the last batch, and only when the whole
// object went through (DESIGN.md: the cursor never skips a change that was
// neither applied nor dead-lettered). A record whose state the store refuses
// (a link that conflicts with another) is dead-lettered alone and the batch is
// committed without it: one bad record never stops the others.
func (e *Engine) commitResults(ctx context.Context, op *ObjectPlan, results []*result, withCursor bool) error {
	o := op.spec
	now := e.now()
	creating := map[string]bool{}
	items := make([]*owned, len(results))
	for i, r := range results {
		if r.op.Kind == OpCreate && r.op.Target == SideConnectWise {
			creating[r.hsID] = true
		}
		items[i] = e.stateOps(op, r, now)
	}
	var tail []Op
	for _, in := range op.intents {
		if !creating[in.SourceID] {
			tail = append(tail, IntentDelete{Object: o.name, Target: in.Target, SourceID: in.SourceID})
		}
	}
	if withCursor {
		for _, k := range sortedKeys(op.cursors) {
			tail = append(tail, CursorPut{Key: k, Value: op.cursors[k]})
		}
	}
	for start := 0; start == 0 || start < len(items); start += 100 {
		chunk := items[start:min(start+100, len(items))]
		last := start+100 >= len(items)
		for attempt := 0; ; attempt++ {
			b := new(Batch)
			var owners []*owned
			for _, it := range chunk {
				for _, x := range it.ops {
					b.Ops = append(b.Ops, x)
					owners = append(owners, it)
				}
			}
			if last {
				b.Ops = append(b.Ops, tail...)
			}
			if b.Len() == 0 {
				break
			}
			err := e.commit(ctx, b)
			if err == nil {
				break
			}
			var oe *OpError
			if errors.As(err, &oe) && (errors.Is(err, ErrConflict) || errors.Is(err, ErrInvalid)) &&
				oe.Index < len(owners) && attempt <= len(chunk) {
				it := owners[oe.Index]
				it.r.fail("", "", Terminal(fmt.Errorf("state store refused %s: %w", oe.Op, err)))
				it.ops = []Op{DeadLetterPut{DeadLetter: DeadLetter{Object: o.name, Side: it.dead.Side, SourceID: it.dead.SourceID,
					Err: sanitize(err.Error()), Attempts: 1, LastFailedAt: now, NextRetryAt: e.backoff(1, true, now)}}}
				if it.dead.SourceID == "" || it.dead.SourceID == "0" {
					it.ops = nil
				}
				continue
			}
			return fmt.Errorf("syncer: %s: commit results: %w", o.name, err)
		}
	}
	return nil
}

// owned is the state operations of one record.
type owned struct {
	r    *result
	ops  []Op
	dead DeadLetter // the record's dead-letter identity
}

// stateOps returns the store operations that record one result.
func (e *Engine) stateOps(op *ObjectPlan, r *result, now time.Time) *owned {
	o, x := op.spec, r.op
	srcID := r.hsID
	if x.Source == SideConnectWise {
		srcID = strconv.FormatInt(r.cwID, 10)
	}
	if x.Kind == OpCreate && x.Target == SideHubSpot {
		srcID = strconv.FormatInt(x.ConnectWiseID, 10)
	}
	it := &owned{r: r, dead: DeadLetter{Object: o.name, Side: x.Source, SourceID: srcID, LastFailedAt: now}}
	b := new(Batch)
	dl, hadDL := op.dead[deadKey(x.Source, srcID)]
	var others []DeadLetter // filed under the pair's other keys
	if x.p != nil {
		for _, k := range x.p.deadKeys() {
			if d, ok := op.dead[k]; ok && k != deadKey(x.Source, srcID) {
				others = append(others, d)
			}
		}
	}
	dead := it.dead
	switch {
	case srcID == "" || srcID == "0" || r.unsent:
	case r.failed():
		var msgs []string
		for _, err := range r.errs {
			msgs = append(msgs, err.Error())
		}
		dead.Err = sanitize(strings.Join(msgs, "; "))
		dead.Attempts = 1
		dead.NextRetryAt = e.backoff(dl.Attempts+1, r.terminal, now)
		b.PutDeadLetter(dead)
	case x.Kind == OpSkip && x.Reason == ReasonAmbiguous:
		dead.Err = sanitize("ambiguous: " + x.Detail)
		dead.Attempts = 1
		dead.NextRetryAt = e.backoff(dl.Attempts+1, true, now)
		b.PutDeadLetter(dead)
	case len(r.deferred) > 0:
		dead.Err = sanitize("deferred: association waits for " + strings.Join(r.deferred, ", "))
		b.PutDeadLetter(dead)
	case hadDL && x.Reason != ReasonDeadLettered:
		b.DeleteDeadLetter(o.name, x.Source, srcID)
	}
	if !r.failed() && len(r.deferred) == 0 && x.Reason != ReasonDeadLettered && x.Reason != ReasonAmbiguous {
		for _, d := range others {
			b.DeleteDeadLetter(o.name, d.Side, d.SourceID)
		}
	}
	mergeOps(b, o.name, x.p, r)
	if x.data != nil && x.data.unlink {
		b.DeleteLink(o.name, r.hsID, r.cwID)
	}
	linked := r.base != nil && r.hsID != "" && r.cwID > 0 && !(x.Kind == OpLink && r.failed())
	if linked {
		b.PutLink(Link{Object: o.name, HubSpotID: r.hsID, ConnectWiseID: r.cwID, Base: r.base.encode(),
			SyncedAt: now, HubSpotModifiedAt: r.hsMod, ConnectWiseModifiedAt: r.cwMod})
	}
	// A create intent settles with the link of the record it created, or with
	// a refused create. A record created whose link is not stored (the pass
	// stopped before its HubSpot write-back) keeps its intent, so the next pass
	// looks it up instead of leaving it unlinked to be copied back to HubSpot.
	if r.intentDone && (linked || r.cwID == 0) {
		b.DeleteIntent(o.name, SideConnectWise, r.hsID)
	}
	if x.p != nil && x.p.hs != nil && x.p.cw != nil && r.hsID != "" && r.cwID > 0 {
		for _, f := range append(slices.Sorted(maps.Keys(r.settled)), r.unparked...) {
			if r.base != nil { // the settlement or parked set is in the link put above
				b.DeleteConflict(o.name, r.hsID, r.cwID, f)
			}
		}
		for _, f := range x.Conflicts {
			b.PutConflict(Conflict{Object: o.name, HubSpotID: r.hsID, ConnectWiseID: r.cwID, Field: f,
				HubSpotValue: []byte(x.p.hs.vals[f]), ConnectWiseValue: []byte(x.p.cw.vals[f]), BaseValue: []byte(r.prev[f])})
		}
	}
	it.ops = b.Ops
	return it
}

func sortedKeys(m map[string]string) []string {
	out := keys(m)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

package syncer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// result is the state of one operation while it is applied.
type result struct {
	op           *Operation
	hsID         string
	cwID         int64
	hsMod, cwMod time.Time
	cwRec        map[string]any
	base         *snapshot      // the base to store (nil: none to store)
	prev         mapping.Values // the base fields before the writes, to revert failed ones
	toHS         map[string]string
	toCW         []string
	cwValues     mapping.Values
	errs         []error
	terminal     bool
	deferred     []string
	intentDone   bool // the create intent can be deleted
	unsent       bool // the pass stopped before the write was sent
	hsSent       bool // the HubSpot write went through
	cwSent       bool // the ConnectWise patch went through (or had nothing to send)
	cwAssocOps   []mapping.PatchOp
	settled      map[string]settlement // Engine.Settle settlements this write applies
	unparked     []string              // fields parked before that no longer conflict
}

func (r *result) failed() bool { return len(r.errs) > 0 || r.unsent }

// abandonUnsent stops a result when the pass stopped before sending its
// writes toward one side: storing its base would record values that side
// never received, so the next pass would take that side's old value for a
// change and copy it over the other side's edit. The link keeps the stored
// base, and the next pass diffs again.
func (r *result) abandonUnsent() {
	if r.failed() {
		return
	}
	hsWork := (r.hsID != "" && len(r.toHS) > 0) || (r.op.Kind == OpCreate && r.op.Target == SideHubSpot)
	cwWork := r.cwRec != nil && (len(r.toCW) > 0 || len(r.cwAssocOps) > 0)
	if (hsWork && !r.hsSent) || (cwWork && !r.cwSent) {
		r.stop()
	}
}

// stop marks a write the pass never sent because it stopped (a daily limit,
// a cancelled context): not a failure of the record, so no dead letter; the
// cursor or checkpoint stays behind it and the next pass sends it.
func (r *result) stop() {
	r.unsent = true
	r.base = nil
}

// fail records a failure of the record on side; field "" takes the field a
// mapping error names.
func (r *result) fail(side Side, field string, err error) {
	if field == "" {
		field = fieldOf(err)
	}
	if len(r.errs) == 0 {
		r.terminal = true
	}
	r.terminal = r.terminal && IsTerminal(err)
	r.errs = append(r.errs, &RecordError{Object: r.op.Object, Side: side, HubSpotID: r.hsID, ConnectWiseID: r.cwID, Field: field, Err: err})
}

// revert puts the previous base values back for fields whose write failed.
func (r *result) revert(fields []string) {
	for _, f := range fields {
		if st, ok := r.settled[f]; ok && r.base != nil { // applied next time
			if r.base.Settle == nil {
				r.base.Settle = map[string]settlement{}
			}
			r.base.Settle[f] = st
			delete(r.settled, f)
		}
	}
	if r.base == nil {
		return
	}
	for _, f := range fields {
		if v, ok := r.prev[f]; ok {
			r.base.Fields[f] = v
		} else {
			delete(r.base.Fields, f)
		}
	}
}

func (e *Engine) newResult(x *Operation) *result {
	r := &result{op: x, hsID: x.HubSpotID, cwID: x.ConnectWiseID}
	if p := x.p; p != nil {
		if p.link != nil { // the times last seen, for the side not read now
			r.hsMod, r.cwMod = p.link.HubSpotModifiedAt, p.link.ConnectWiseModifiedAt
		}
		if p.hs != nil {
			r.hsMod = p.hs.rec.UpdatedAt
		}
		if p.cw != nil {
			r.cwMod, r.cwRec = p.cw.mod, p.cw.rec
		}
	}
	if x.data != nil {
		r.deferred = append(r.deferred, x.data.deferredCW...)
		r.cwAssocOps = x.data.cwAssocOps
	}
	switch {
	case x.Kind == OpSkip && x.Reason == ReasonInvalid:
		// Mapping errors are permanent (IsTerminal); a failed read is not.
		r.fail("", "", x.Err)
	case x.data == nil, x.data.unlink:
	case x.Kind == OpCreate && x.Target == SideHubSpot:
		r.base = &snapshot{Fields: maps.Clone(x.data.props)}
		r.prev = mapping.Values{}
	case x.Kind == OpCreate:
	default:
		r.base = x.data.base.clone()
		r.prev = maps.Clone(r.base.Fields)
		if x.data.d.base != nil {
			r.base.Fields = maps.Clone(x.data.d.base)
		}
		r.toHS, r.toCW, r.cwValues = x.data.d.toHS, x.data.d.toCW, x.data.d.cwValues
		for _, f := range x.data.d.settled {
			if st, ok := r.base.Settle[f]; ok {
				if r.settled == nil {
					r.settled = map[string]settlement{}
				}
				r.settled[f] = st
				delete(r.base.Settle, f)
			}
		}
		if x.data.d.base != nil { // the record was diffed: its parked set is known
			for _, f := range r.base.Parked {
				if _, ok := r.settled[f]; !ok && !slices.Contains(x.data.d.conflicts, f) {
					r.unparked = append(r.unparked, f)
				}
			}
			r.base.Parked = slices.Sorted(slices.Values(x.data.d.conflicts))
		}
	}
	return r
}

// applyObject carries out one object's plan: links found by matching first,
// then creates toward ConnectWise (each behind a committed intent), HubSpot
// upserts and updates in batches, ConnectWise patches, associations, and
// finally one commit per 100 records with links, bases, dead letters and, when
// the whole object went through, the cursors.
func (e *Engine) applyObject(ctx context.Context, p *Plan, op *ObjectPlan, rep *Report) error {
	o := op.spec
	results := make([]*result, 0, len(op.Operations))
	for _, x := range op.Operations {
		results = append(results, e.newResult(x))
	}
	abort := e.commitFreshLinks(ctx, o, results)
	if abort == nil {
		abort = e.createConnectWise(ctx, o, p.lk, results)
	}
	if abort == nil {
		abort = e.writeHubSpot(ctx, o, results)
	}
	if abort == nil {
		abort = e.patchConnectWise(ctx, o, p.lk, results)
	}
	if abort == nil {
		abort = e.writeAssociations(ctx, o, results)
	}
	if abort != nil {
		for _, r := range results {
			r.abandonUnsent()
		}
	}
	err := e.commitResults(ctx, op, results, abort == nil && op.complete)
	for _, r := range results {
		rr := r.record()
		if rr.Err != nil {
			e.log.Warn("syncer: record failed", "object", rr.Object, "hubspot_id", rr.HubSpotID, "connectwise_id", rr.ConnectWiseID, "err", rr.Err)
		}
		rep.add(rr)
		if e.cfg.Observe != nil {
			e.cfg.Observe(rr)
		}
	}
	if abort != nil {
		return abort
	}
	return err
}

// commitFreshLinks commits the links matching found, before anything depends
// on them, deleting the create intents they settle.
func (e *Engine) commitFreshLinks(ctx context.Context, o *objectSpec, results []*result) error {
	var fresh []*result
	for _, r := range results {
		if r.op.Kind == OpLink && r.op.p != nil && r.op.p.fresh {
			fresh = append(fresh, r)
		}
	}
	batch := func(rs []*result) *Batch {
		b := new(Batch)
		for _, r := range rs {
			b.PutLink(Link{Object: o.name, HubSpotID: r.hsID, ConnectWiseID: r.cwID})
			if in := r.op.p.intent; in != nil {
				b.DeleteIntent(o.name, in.Target, in.SourceID)
			}
		}
		return b
	}
	for len(fresh) > 0 {
		n := min(len(fresh), 100)
		chunk := fresh[:n]
		fresh = fresh[n:]
		err := e.commit(ctx, batch(chunk))
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrConflict) {
			return fmt.Errorf("syncer: %s: commit links: %w", o.name, err)
		}
		for _, r := range chunk { // find the link that conflicts
			if err := e.commit(ctx, batch([]*result{r})); err != nil {
				if !errors.Is(err, ErrConflict) {
					return fmt.Errorf("syncer: %s: commit link: %w", o.name, err)
				}
				r.base = nil
				r.fail("", "", Terminal(fmt.Errorf("link: %w", err)))
			}
		}
	}
	return nil
}

// writeHubSpot sends creates (upserts keyed on the ConnectWise-ID property,
// idempotent: hubspot-api.md §4) and updates by record ID, 100 per call.
func (e *Engine) writeHubSpot(ctx context.Context, o *objectSpec, results []*result) error {
	var ups, upd []HubSpotWrite
	var upR, updR []*result
	for _, r := range results {
		switch {
		case r.failed():
		case r.op.Kind == OpCreate && r.op.Target == SideHubSpot:
			ups = append(ups, HubSpotWrite{IDProperty: o.idProp, IDValue: idString(r.cwID), Properties: r.op.data.props,
				TraceID: o.name + "-" + idString(r.cwID)})
			upR = append(upR, r)
		case len(r.toHS) > 0 && r.hsID != "":
			upd = append(upd, HubSpotWrite{ID: r.hsID, Properties: r.toHS, TraceID: o.name + "-" + r.hsID})
			updR = append(updR, r)
		}
	}
	if len(ups) > 0 {
		res, err := e.hs.Upsert(ctx, o.hsType, ups)
		for i, x := range res[:min(len(res), len(upR))] {
			r := upR[i]
			switch {
			case x.Err != nil && (err == nil || x.Err != err):
				r.base = nil
				r.fail(SideHubSpot, "", x.Err)
			case x.Err != nil || x.Record == nil: // stopped with the call, or never sent
				r.stop()
			default:
				r.hsID, r.hsMod, r.hsSent = x.Record.ID, x.Record.UpdatedAt, true
				r.op.HubSpotID = r.hsID
			}
		}
		if err != nil {
			return fmt.Errorf("syncer: %s: hubspot upsert: %w", o.name, err)
		}
	}
	if len(upd) > 0 {
		res, err := e.hs.Update(ctx, o.hsType, upd)
		for i, x := range res[:min(len(res), len(updR))] {
			r := updR[i]
			switch {
			case x.Err != nil && (err == nil || x.Err != err):
				r.revert(keys(r.toHS))
				r.fail(SideHubSpot, "", x.Err)
			case x.Err != nil || x.Record == nil: // stopped with the call, or never sent
				r.stop()
			default:
				r.hsMod, r.hsSent = x.Record.UpdatedAt, true
			}
		}
		if err != nil {
			return fmt.Errorf("syncer: %s: hubspot update: %w", o.name, err)
		}
	}
	return nil
}

// patchConnectWise patches the changed fields of ConnectWise records, one call
// per record (ConnectWise has no batch write).
func (e *Engine) patchConnectWise(ctx context.Context, o *objectSpec, lk *mapping.Lookups, results []*result) error {
	for _, r := range results {
		if r.failed() {
			// Not sent (the HubSpot write of the record failed): the base
			// keeps the values ConnectWise still holds.
			r.revert(r.toCW)
			continue
		}
		if (len(r.toCW) == 0 && len(r.cwAssocOps) == 0) || r.cwRec == nil {
			r.cwSent = true
			continue
		}
		var ops []mapping.PatchOp
		if len(r.toCW) > 0 {
			var err error
			if ops, err = o.m.Patch(r.cwValues, r.cwRec, lk, r.toCW); err != nil {
				r.revert(r.toCW)
				r.fail(SideConnectWise, "", Terminal(err))
				continue
			}
		}
		ops = append(ops, r.cwAssocOps...)
		if len(ops) == 0 {
			r.cwSent = true
			continue
		}
		rec, err := e.cw.Patch(ctx, o.cwRes, r.cwID, ops)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.revert(r.toCW)
			r.fail(SideConnectWise, "", err)
			continue
		}
		if t := lastUpdated(rec); !t.IsZero() {
			r.cwMod = t
		}
		r.cwSent = true
		r.recordAssoc(SideConnectWise)
	}
	return nil
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// record turns a result into its report line.
func (r *result) record() RecordResult {
	x := r.op
	rr := RecordResult{Object: x.Object, Kind: x.Kind, Source: x.Source, HubSpotID: r.hsID, ConnectWiseID: r.cwID,
		Reason: x.Reason, Detail: x.Detail, Changes: x.Changes}
	switch {
	case r.unsent:
		rr.Outcome, rr.Reason, rr.Detail = OutcomeSkipped, ReasonStopped, "not sent: the pass stopped early"
	case r.failed():
		rr.Outcome = OutcomeFailed
		rr.Err = r.errs[0]
		if len(r.errs) > 1 {
			rr.Err = errors.Join(r.errs...)
		}
	case x.Kind == OpSkip && x.Reason == ReasonAmbiguous:
		rr.Outcome = OutcomeAmbiguous
	case x.Kind == OpSkip && (x.Reason == ReasonUnchanged || x.Reason == ReasonEcho):
		rr.Outcome = OutcomeUnchanged
		if len(x.Conflicts) > 0 {
			rr.Outcome = OutcomeConflict
		}
	case x.Kind == OpSkip:
		rr.Outcome = OutcomeSkipped
	case x.Kind == OpCreate && len(r.deferred) > 0 && (r.hsID == "" || r.cwID == 0):
		rr.Outcome = OutcomeDeferred
	case x.Kind == OpCreate:
		rr.Outcome = OutcomeCreated
	case x.Kind == OpLink:
		rr.Outcome = OutcomeLinked
	case x.Kind == OpAssociate && len(r.deferred) > 0:
		rr.Outcome = OutcomeDeferred
	case len(x.Conflicts) > 0: // the other fields were written
		rr.Outcome = OutcomeConflict
	default:
		rr.Outcome = OutcomeUpdated
	}
	if rr.Outcome == OutcomeConflict {
		rr.Detail = strings.TrimPrefix(rr.Detail+"; parked for review: "+strings.Join(x.Conflicts, ", "), "; ")
	}
	if rr.Err != nil {
		rr.Error = rr.Err.Error()
	}
	if len(r.deferred) > 0 {
		rr.Detail = strings.TrimPrefix(rr.Detail+"; association deferred: "+strings.Join(r.deferred, ", "), "; ")
	}
	return rr
}

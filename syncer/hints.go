package syncer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// Hints name records known to have changed, per object: the IDs a HubSpot
// webhook or a ConnectWise callback delivered. They are hints, not data: the
// engine re-reads every record (prior-art.md §6: webhooks arrive out of order
// and in batches; re-fetch by ID).
type Hints map[string]ObjectHints

// ObjectHints are the changed record IDs of one object on each side.
type ObjectHints struct {
	HubSpot     []string
	ConnectWise []int64

	// DeletedHubSpot and DeletedConnectWise are IDs that deletion events
	// named (HubSpot <type>.deletion and privacyDeletion, ConnectWise
	// callbacks with Action "deleted"). After the targeted pass over the
	// changed IDs, which relinks the survivors of HubSpot merges first, each
	// is read again and the linked ones still gone follow the object's
	// [DeletePolicy] under the mass-delete guard, as in
	// [Engine.HandleDeleted]. A deletion of an unlinked record, or of one that
	// is back (a restore), changes nothing.
	DeletedHubSpot     []string `json:",omitempty"`
	DeletedConnectWise []int64  `json:",omitempty"`
}

// RunHints runs a targeted pass over the hinted records only, in dependency
// order, with the same linking, matching, writing and dead letters as
// [Engine.Run]. Cursors do not move: the polling pass stays the safety net for
// anything a hint missed. Objects the engine does not sync are ignored.
//
// Deletions named by the hints are handled after the pass, in reverse
// dependency order (deals before the companies they belong to), and reported
// in [Report.Deletes]. A deletion that fails, or that the mass-delete guard
// stops ([ErrMassDelete]), makes RunHints return an error after every object
// has been through the pass; the links stay, so handling the same IDs again
// (or [Engine.SweepDeletes]) picks them up.
func (e *Engine) RunHints(ctx context.Context, h Hints) (*Report, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.newPlan(ctx)
	if err != nil {
		return nil, err
	}
	rep := e.newReport(p)
	for _, o := range e.objects {
		oh := h[o.name]
		if len(oh.HubSpot)+len(oh.ConnectWise) == 0 {
			continue
		}
		op, err := e.planHints(ctx, o, p, oh)
		if err != nil {
			return e.finish(rep, p, err), err
		}
		p.Objects = append(p.Objects, op)
		if err := e.applyObject(ctx, p, op, rep); err != nil {
			return e.finish(rep, p, err), err
		}
	}
	err = e.hintedDeletes(ctx, h, rep)
	return e.finish(rep, p, err), err
}

// hintedDeletes handles the deletions named by h, objects in reverse
// dependency order, and adds their reports to rep.
func (e *Engine) hintedDeletes(ctx context.Context, h Hints, rep *Report) error {
	var errs []error
	for _, o := range slices.Backward(e.objects) {
		oh := h[o.name]
		for _, side := range []Side{SideHubSpot, SideConnectWise} {
			ids := dedupe(oh.DeletedHubSpot)
			if side == SideConnectWise {
				ids = ids[:0:0]
				for _, id := range dedupe(oh.DeletedConnectWise) {
					ids = append(ids, strconv.FormatInt(id, 10))
				}
			}
			if len(ids) == 0 {
				continue
			}
			dr, err := e.handleDeleted(ctx, o, side, ids)
			if dr != nil && len(dr.Gone) > 0 {
				rep.Deletes = append(rep.Deletes, dr)
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func (e *Engine) planHints(ctx context.Context, o *objectSpec, p *Plan, h ObjectHints) (*ObjectPlan, error) {
	ps := e.newPassState(o, p)
	for d, err := range e.store.ListDeadLetters(ctx, e.tenant, &DeadLetterListOptions{Object: o.name}) {
		if err != nil {
			return nil, fmt.Errorf("syncer: %s: list dead letters: %w", o.name, err)
		}
		ps.plan.dead[deadKey(d.Side, d.SourceID)] = d
	}
	if o.cwToHS && len(h.ConnectWise) > 0 {
		recs, err := e.readConnectWise(ctx, o, h.ConnectWise)
		if err != nil {
			return nil, err
		}
		ids := slices.Sorted(maps.Keys(recs))
		for _, id := range ids {
			ps.cw[id] = e.newCW(o, recs[id], p.lk)
			ps.cwSrc = append(ps.cwSrc, id)
		}
	}
	if o.hsToCW && len(h.HubSpot) > 0 {
		recs, err := e.readHubSpot(ctx, o, h.HubSpot)
		if err != nil {
			return nil, err
		}
		for _, id := range dedupe(h.HubSpot) {
			if r, ok := recs[id]; ok {
				ps.hs[id] = e.newHS(o, r, p.lk)
				ps.hsSrc = append(ps.hsSrc, id)
			}
		}
	}
	if err := ps.planRest(ctx); err != nil {
		return nil, err
	}
	return ps.plan, nil
}

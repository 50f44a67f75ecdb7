package syncer

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
}

// RunHints runs a targeted pass over the hinted records only, in dependency
// order, with the same linking, matching, writing and dead letters as
// [Engine.Run]. Cursors do not move: the polling pass stays the safety net for
// anything a hint missed. Objects the engine does not sync are ignored.
func (e *Engine) RunHints(ctx context.Context, h Hints) (*Report, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.newPlan(ctx)
	if err != nil {
		return nil, err
	}
	rep := e.newReport(p)
	for _, o := range e.objects {
		oh, ok := h[o.name]
		if !ok {
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
	return e.finish(rep, p, nil), nil
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

package syncer

import (
	"context"
	"errors"
	"fmt"
	"maps"

	"github.com/hubwise/hubwise/mapping"
)

// opData is what Apply needs besides the exported plan.
type opData struct {
	d       diffResult
	base    *snapshot         // the stored base (nil for a new link)
	props   map[string]string // properties of a HubSpot create
	body    map[string]any    // body of a ConnectWise create
	lookup  intentLookup      // how a ConnectWise create is found again
	assocOK bool              // associations are evaluated for this record
	unlink  bool              // the record left its filter: remove the link

	cwAssocOps []mapping.PatchOp // reference patches toward ConnectWise
	deferredCW []string          // references waiting for a link
}

// ErrNoLookupKey reports a create toward ConnectWise that could not be found
// again after a crash: the mapping has neither a custom field holding the
// HubSpot ID nor a match key with a ConnectWise path and a value.
var ErrNoLookupKey = errors.New("syncer: no lookup key to make the ConnectWise create safe to replay")

// decide plans an operation for every pair without one yet.
func (ps *passState) decide(ctx context.Context) error {
	e, o := ps.e, ps.o
	for _, p := range ps.pairs {
		if p.merged || ps.hasOp(p) {
			continue
		}
		op := ps.opOf(p)
		switch {
		case p.cw != nil && p.hs != nil:
			if p.cw.err != nil || p.hs.err != nil {
				ps.invalid(p, errors.Join(p.cw.err, p.hs.err))
				continue
			}
			if !p.fresh && e.cfg.FilterExit[o.name] == FilterExitUnlink &&
				((o.cwToHS && !p.cw.pass) || (o.hsToCW && !p.hs.pass)) {
				op.Kind, op.Reason, op.Detail = OpSkip, ReasonFiltered, "left the filter: unlinked"
				op.HubSpotID, op.ConnectWiseID = p.hs.rec.ID, p.cw.id
				op.data = &opData{unlink: true}
				continue
			}
			var base *snapshot
			if !p.fresh {
				base = decodeSnapshot(p.link.Base)
			}
			d := e.diff(o, diffInput{cw: p.cw.vals, hs: p.hs.vals, base: base, cwMod: p.cw.mod,
				hsMod: p.hs.rec.UpdatedAt, cwPass: p.cw.pass, hsPass: p.hs.pass})
			op.data = &opData{d: d, base: base, assocOK: o.cwToHS && p.cw.pass}
			op.Changes, op.Conflicts = d.changes, d.conflicts
			op.HubSpotID, op.ConnectWiseID = p.hs.rec.ID, p.cw.id
			switch {
			case p.fresh:
				op.Kind = OpLink
			case len(d.changes) > 0:
				op.Kind = OpUpdate
			case (o.cwToHS && !p.cw.pass) || (o.hsToCW && !p.hs.pass):
				op.Kind, op.Reason, op.Detail = OpSkip, ReasonFiltered, "outside the filter: link kept"
			default:
				op.Kind, op.Reason = OpSkip, ReasonUnchanged
			}
		case p.cw != nil:
			if !o.cwToHS {
				ps.skip(p, ReasonDirection, "")
				continue
			}
			props := map[string]string{}
			for _, f := range o.fields {
				if v := p.cw.vals[f.HubSpot]; v != "" && (f.Direction == mapping.Both || f.Direction == mapping.ToHubSpot) {
					props[f.HubSpot] = v
					op.Changes = append(op.Changes, FieldChange{Field: f.HubSpot, Target: SideHubSpot, After: v})
				}
			}
			op.Kind, op.Target = OpCreate, SideHubSpot
			op.data = &opData{props: props, assocOK: true}
		case p.hs != nil:
			if !o.hsToCW {
				ps.skip(p, ReasonDirection, "")
				continue
			}
			l, ok := o.lookupFor(p.hs.vals)
			if !ok {
				ps.invalid(p, fmt.Errorf("%s %s: %w: store the HubSpot ID in a ConnectWise custom field (mapping.Spec.StoreHubSpotID(%q, caption)) or give the object a match key with a ConnectWise path",
					o.name, p.hs.rec.ID, ErrNoLookupKey, o.name))
				continue
			}
			vals := maps.Clone(p.hs.vals)
			vals["hs_object_id"] = p.hs.rec.ID
			body, err := o.m.CreateBody(vals, ps.lk)
			if err != nil {
				ps.invalid(p, err)
				continue
			}
			for _, f := range o.fields {
				if v := p.hs.vals[f.HubSpot]; v != "" && f.ConnectWise != "" && (f.Direction == mapping.Both || f.Direction == mapping.ToConnectWise) {
					op.Changes = append(op.Changes, FieldChange{Field: f.HubSpot, Target: SideConnectWise, After: v})
				}
			}
			op.Kind, op.Target = OpCreate, SideConnectWise
			op.data = &opData{body: body, lookup: l}
		}
	}
	// Associations wanted by ConnectWise records toward HubSpot.
	for _, op := range ps.plan.Operations {
		p := op.p
		if p == nil || p.cw == nil || !o.cwToHS || len(o.assocs) == 0 {
			continue
		}
		data := op.data
		if data == nil {
			// A settled record: only an association still waiting needs work.
			if op.Kind != OpSkip || (op.Reason != ReasonUnchanged && op.Reason != ReasonEcho) || p.link == nil || !p.cw.pass {
				continue
			}
			data = &opData{base: decodeSnapshot(p.link.Base), assocOK: true}
		}
		if !data.assocOK {
			continue
		}
		want := ps.wantAssoc(p.cw, data.base)
		if len(want) == 0 {
			continue
		}
		if err := e.resolveAssoc(ctx, want); err != nil {
			return err
		}
		op.data, op.Associations = data, want
		if op.Kind == OpSkip {
			op.Kind, op.Reason = OpAssociate, ""
		}
	}
	return ps.planConnectWiseAssoc(ctx)
}

package syncer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hubwise/hubwise/mapping"
)

// planConnectWiseAssoc plans the ConnectWise references (company/id,
// contact/id) that HubSpot associations ask for, for records flowing toward
// ConnectWise: set in the body of a create, patched on a linked record. The
// first (primary) association counts. ConnectWise stays the master of a
// reference it changed since the last sync, or holds on a new link, so the two
// directions never undo each other; a target that is not linked yet defers
// the record (a create waits, since ConnectWise may require the reference).
func (ps *passState) planConnectWiseAssoc(ctx context.Context) error {
	e, o := ps.e, ps.o
	if !o.hsToCW || len(o.assocs) == 0 {
		return nil
	}
	var ops []*Operation
	var ids []string
	for _, op := range ps.plan.Operations {
		p := op.p
		if p == nil || p.hs == nil || !p.hs.pass || p.hs.err != nil || op.data == nil || p.merged {
			continue
		}
		if (op.Kind == OpCreate && op.Target == SideConnectWise) || (p.cw != nil && p.link != nil) {
			ops = append(ops, op)
			ids = append(ids, p.hs.rec.ID)
		}
	}
	if len(ops) == 0 {
		return nil
	}
	for _, a := range o.assocs {
		to := e.byName[a.To]
		path, err := mapping.ParsePath(a.Path)
		if err != nil {
			return fmt.Errorf("syncer: association %s -> %s: %w", a.From, a.To, err)
		}
		got, err := e.hs.Associated(ctx, o.hsType, to.hsType, ids)
		if err != nil {
			return fmt.Errorf("syncer: %s: read associations with %s: %w", o.name, a.To, err)
		}
		for _, op := range ops {
			hsIDs := got[op.p.hs.rec.ID]
			if len(hsIDs) == 0 {
				continue
			}
			create := op.Kind == OpCreate
			var cur int64
			if op.p.cw != nil {
				if v, ok := path.Get(op.p.cw.rec); ok {
					cur = recordID(map[string]any{"id": v})
				}
			}
			if !create {
				b := op.data.base
				if cur != 0 && (b == nil || cur != b.Assoc[a.To].CW) {
					continue // ConnectWise's reference leads (see wantAssoc)
				}
			}
			l, err := e.store.LinkByHubSpotID(ctx, e.tenant, a.To, hsIDs[0])
			if errors.Is(err, ErrNotFound) {
				op.data.deferredCW = append(op.data.deferredCW, fmt.Sprintf("%s %s not linked yet", a.To, hsIDs[0]))
				continue
			}
			if err != nil {
				return fmt.Errorf("syncer: %s: look link up: %w", o.name, err)
			}
			if l.ConnectWiseID == cur {
				continue
			}
			op.Associations = append(op.Associations, AssociationChange{To: a.To, ConnectWiseID: l.ConnectWiseID,
				HubSpotID: hsIDs[0], Target: SideConnectWise})
			if create {
				if err := path.Set(op.data.body, l.ConnectWiseID); err != nil {
					return fmt.Errorf("syncer: %s: set %s: %w", o.name, a.Path, err)
				}
				continue
			}
			ref := strings.TrimSuffix(a.Path, "/id")
			if ref == a.Path || strings.Contains(ref, "/") {
				continue // only reference objects ({"id": n}) can be patched this way
			}
			op.data.cwAssocOps = append(op.data.cwAssocOps, mapping.PatchOp{Op: "replace", Path: "/" + ref, Value: map[string]any{"id": l.ConnectWiseID}})
			if op.Kind == OpSkip {
				op.Kind, op.Reason = OpAssociate, ""
			}
		}
	}
	return nil
}

// recordAssoc notes the associations written to target in the result's base.
func (r *result) recordAssoc(target Side) {
	if r.base == nil {
		return
	}
	for _, ch := range r.op.Associations {
		if ch.Target != target || ch.Remove {
			continue
		}
		if r.base.Assoc == nil {
			r.base.Assoc = map[string]assocRef{}
		}
		r.base.Assoc[ch.To] = assocRef{CW: ch.ConnectWiseID, HS: ch.HubSpotID}
	}
}

package syncer

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/hubwise/hubwise/mapping"
)

// matchFromHubSpot looks ConnectWise partners up for unlinked HubSpot records:
// a pending create intent first (a replay after a crash), then the
// ConnectWise-ID property on the record, then the match keys.
func (ps *passState) matchFromHubSpot(ctx context.Context, uhs []*pair) error {
	e, o := ps.e, ps.o
	claims := map[int64][]*pair{}
	claim := func(p *pair, r map[string]any) {
		c := ps.cw[recordID(r)]
		if c == nil {
			c = e.newCW(o, r, ps.lk)
			ps.cw[c.id] = c
		}
		claims[c.id] = append(claims[c.id], p)
		p.cw = c
	}
	var rest []*pair
	for _, p := range uhs {
		if p.merged {
			continue
		}
		in, ok := ps.intents[p.hs.rec.ID]
		if !ok {
			rest = append(rest, p)
			continue
		}
		l, ok := decodeLookup(in.Payload)
		if !ok {
			rest = append(rest, p)
			continue
		}
		recs, bad, err := e.findCW(ctx, o, Lookup{Path: l.Path, Values: []string{l.Value}})
		if err != nil {
			return err
		}
		if bad[l.Value] {
			ps.skip(p, ReasonAmbiguous, fmt.Sprintf("pending create: %s %q cannot be searched in ConnectWise", l.Path, l.Value))
			continue
		}
		if err := e.enrich(ctx, o, recs); err != nil {
			return err
		}
		switch len(recs) {
		case 0: // the create never reached ConnectWise: plan it again
			ps.plan.intents = append(ps.plan.intents, in)
			rest = append(rest, p)
		case 1:
			p.intent = &in
			claim(p, recs[0])
		default:
			ps.skip(p, ReasonAmbiguous, fmt.Sprintf("pending create: %d ConnectWise records have %s %q", len(recs), l.Path, l.Value))
		}
	}
	// The ConnectWise-ID property stored on the HubSpot record.
	var ids []int64
	for _, p := range rest {
		if n, err := strconv.ParseInt(p.hs.vals[o.idProp], 10, 64); err == nil && n > 0 {
			ids = append(ids, n)
		}
	}
	got, err := e.readConnectWise(ctx, o, ids)
	if err != nil {
		return err
	}
	var next []*pair
	for _, p := range rest {
		n, _ := strconv.ParseInt(p.hs.vals[o.idProp], 10, 64)
		if r, ok := got[n]; ok && o.idProp != "" {
			claim(p, r)
		} else {
			next = append(next, p)
		}
	}
	rest = next
	for _, k := range o.keys {
		path := o.keyPath[k]
		if k == o.idProp || path == "" || path == "id" || len(rest) == 0 {
			continue
		}
		groups, vals, next := groupByValue(rest, func(p *pair) string { return p.hs.vals[k] })
		found := map[string][]map[string]any{}
		if len(vals) > 0 {
			recs, bad, err := e.findCW(ctx, o, Lookup{Path: path, Values: vals})
			if err != nil {
				return err
			}
			for v := range bad {
				ps.unsearchable[v] = true
			}
			if err := e.enrich(ctx, o, recs); err != nil {
				return err
			}
			seen := map[int64]bool{}
			for _, r := range recs {
				// A soft-deleted company (deletedFlag) is listed but gone: a
				// HubSpot record never links to it.
				if seen[recordID(r)] || softDeleted(r) {
					continue
				}
				seen[recordID(r)] = true
				if v, err := o.m.FromConnectWise(r, ps.lk); err == nil && v[k] != "" {
					found[v[k]] = append(found[v[k]], r)
				}
			}
		}
		for _, v := range vals {
			g, cws := groups[v], found[v]
			switch {
			case ps.unsearchable[v]:
				for _, p := range g {
					ps.invalid(p, Terminal(fmt.Errorf("%s %q cannot be searched in ConnectWise, so a create could not be found again after a crash: %w", k, v, ErrNoLookupKey)))
				}
			case len(cws) == 0:
				next = append(next, g...)
			case len(cws) > 1 || len(g) > 1:
				for _, p := range g {
					ps.skip(p, ReasonAmbiguous, fmt.Sprintf("%s %q matches %d ConnectWise and %d HubSpot records", k, v, len(cws), len(g)))
				}
			default:
				claim(g[0], cws[0])
			}
		}
		rest = next
	}
	if err := ps.settleCWClaims(ctx, claims); err != nil {
		return err
	}
	// The rest are created in ConnectWise, unless two share a key value.
	ps.skipSharedKeys(rest, func(p *pair) mapping.Values { return p.hs.vals }, "HubSpot")
	return nil
}

func (ps *passState) settleCWClaims(ctx context.Context, claims map[int64][]*pair) error {
	e, o := ps.e, ps.o
	ids := make([]int64, 0, len(claims))
	for id := range claims {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	linked, err := e.store.LinksByConnectWiseIDs(ctx, e.tenant, o.name, ids)
	if err != nil {
		return fmt.Errorf("syncer: %s: look links up: %w", o.name, err)
	}
	for _, id := range ids {
		g := claims[id]
		other := ps.pairByCW[id]
		l, isLinked := linked[id]
		if isLinked || len(g) > 1 || (other != nil && other.link == nil && ps.hasOp(other)) {
			detail := fmt.Sprintf("ConnectWise record %d is claimed by %d HubSpot records", id, len(g))
			if len(g) == 1 && !isLinked {
				detail = fmt.Sprintf("ConnectWise record %d matches, but its own change in this pass comes first; matched again next pass", id)
			}
			if isLinked {
				detail = fmt.Sprintf("ConnectWise record %d is already linked to HubSpot record %s", id, l.HubSpotID)
			}
			for _, p := range g {
				p.cw = nil
				ps.skip(p, ReasonAmbiguous, detail)
			}
			continue
		}
		p := g[0]
		if other != nil && other != p && other.link == nil {
			// The ConnectWise record is in this pass too (unmatched so far).
			other.merged = true
		}
		p.link = &Link{Object: o.name, HubSpotID: p.hs.rec.ID, ConnectWiseID: id}
		p.fresh = true
		ps.pairByCW[id] = p
	}
	return nil
}

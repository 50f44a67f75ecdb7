package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// pair links the records read: stored links first. Linked records whose side
// did not change since the last sync are settled without reading the partner.
func (ps *passState) pair(ctx context.Context) error {
	e, o := ps.e, ps.o
	ps.pairByCW, ps.pairByHS = map[int64]*pair{}, map[string]*pair{}
	hsLinks, err := e.store.LinksByHubSpotIDs(ctx, e.tenant, o.name, ps.hsSrc)
	if err != nil {
		return fmt.Errorf("syncer: %s: look links up: %w", o.name, err)
	}
	if err := ps.relinkMerged(ctx, hsLinks); err != nil {
		return err
	}
	cwLinks, err := e.store.LinksByConnectWiseIDs(ctx, e.tenant, o.name, ps.cwSrc)
	if err != nil {
		return fmt.Errorf("syncer: %s: look links up: %w", o.name, err)
	}
	for _, id := range ps.cwSrc {
		p := &pair{cw: ps.cw[id], source: SideConnectWise}
		if l, ok := cwLinks[id]; ok {
			p.link = &l
		}
		ps.add(p)
	}
	for _, id := range ps.hsSrc {
		l, ok := hsLinks[id]
		if ok {
			if p := ps.pairByCW[l.ConnectWiseID]; p != nil && p.link != nil {
				p.hs = ps.hs[id]
				continue
			}
		}
		p := &pair{hs: ps.hs[id], source: SideHubSpot}
		if ok {
			p.link = &l
		}
		ps.add(p)
	}
	ps.fixMerged()
	for _, p := range ps.pairs {
		ps.notDue(p)
	}
	// Partners of linked records that changed.
	var needHS []string
	var needCW []int64
	for _, p := range ps.pairs {
		if p.link == nil || ps.hasOp(p) || ps.settled(p) {
			continue
		}
		if p.hs == nil {
			needHS = append(needHS, p.link.HubSpotID)
		}
		if p.cw == nil {
			needCW = append(needCW, p.link.ConnectWiseID)
		}
	}
	gotHS, err := e.readHubSpot(ctx, o, needHS)
	if err != nil {
		return err
	}
	gotCW, err := e.readConnectWise(ctx, o, needCW)
	if err != nil {
		return err
	}
	for _, p := range ps.pairs {
		if p.link == nil || p.settled() || ps.hasOp(p) {
			continue
		}
		if p.hs == nil {
			if r, ok := gotHS[p.link.HubSpotID]; ok {
				p.hs = e.newHS(o, r, ps.lk)
				ps.hs[r.ID] = p.hs
			}
		}
		if p.cw == nil {
			if r, ok := gotCW[p.link.ConnectWiseID]; ok {
				p.cw = e.newCW(o, r, ps.lk)
				ps.cw[p.cw.id] = p.cw
			}
		}
		if p.hs == nil || p.cw == nil {
			ps.skip(p, ReasonMissing, "the linked record was not found on the other side: Engine.HandleDeleted or Engine.SweepDeletes apply the delete policy")
		}
	}
	return nil
}

func (ps *passState) add(p *pair) {
	ps.pairs = append(ps.pairs, p)
	if p.cw != nil {
		ps.pairByCW[p.cw.id] = p
	}
	if p.link != nil {
		ps.pairByCW[p.link.ConnectWiseID] = p
		ps.pairByHS[p.link.HubSpotID] = p
	}
	if p.hs != nil {
		ps.pairByHS[p.hs.rec.ID] = p
	}
}

// op returns the pair's operation, creating it.
func (ps *passState) opOf(p *pair) *Operation {
	if p.op != nil {
		return p.op
	}
	op := &Operation{Object: ps.o.name, Source: p.source, p: p}
	p.op = op
	if p.link != nil {
		op.HubSpotID, op.ConnectWiseID = p.link.HubSpotID, p.link.ConnectWiseID
	}
	if p.hs != nil {
		op.HubSpotID = p.hs.rec.ID
	}
	if p.cw != nil {
		op.ConnectWiseID = p.cw.id
	}
	ps.plan.Operations = append(ps.plan.Operations, op)
	return op
}

func (ps *passState) skip(p *pair, r Reason, detail string) {
	op := ps.opOf(p)
	op.Kind, op.Reason, op.Detail = OpSkip, r, detail
}

// settled reports whether a linked pair needs no partner read: its changed
// side equals the base (an echo of the engine's own write, or a change to
// unmapped fields) and no association waits.
func (ps *passState) settled(p *pair) bool {
	if p.settledFlag != 0 {
		return p.settledFlag > 0
	}
	ok := ps.isSettled(p)
	p.settledFlag = -1
	if ok {
		p.settledFlag = 1
	}
	return ok
}

func (p *pair) settled() bool { return p.settledFlag > 0 }

func (ps *passState) isSettled(p *pair) bool {
	if p.cw != nil && p.hs != nil {
		return false
	}
	// A dead-lettered pair is retried with both sides read: its failure may be
	// the write of the other side's change (a HubSpot write-back refused after
	// a ConnectWise create), which the other feed has moved past since.
	for _, k := range p.deadKeys() {
		if _, ok := ps.plan.dead[k]; ok {
			return false
		}
	}
	b := decodeSnapshot(p.link.Base)
	var side Side
	switch {
	case p.cw != nil:
		if p.cw.err != nil || !p.cw.pass || !unchangedSince(ps.o, p.cw.vals, b, SideConnectWise) {
			return false
		}
		side = SideConnectWise
		if ps.o.cwToHS && len(ps.wantAssoc(p.cw, b)) > 0 {
			return false
		}
	case p.hs != nil:
		if p.hs.err != nil || !p.hs.pass || !unchangedSince(ps.o, p.hs.vals, b, SideHubSpot) {
			return false
		}
		side = SideHubSpot
	}
	reason, mod, seen := ReasonUnchanged, p.modOf(side), p.link.ConnectWiseModifiedAt
	if side == SideHubSpot {
		seen = p.link.HubSpotModifiedAt
	}
	if !mod.After(seen) {
		reason = ReasonEcho
	}
	ps.skip(p, reason, "")
	return true
}

func (p *pair) modOf(side Side) (t time.Time) {
	if side == SideConnectWise && p.cw != nil {
		return p.cw.mod
	}
	if side == SideHubSpot && p.hs != nil {
		return p.hs.rec.UpdatedAt
	}
	return t
}

// match looks partners up for unlinked records: through the ConnectWise-ID
// property stored on HubSpot records, then through the match keys. A match
// that is not one-to-one is reported as ambiguous, never guessed.
func (ps *passState) match(ctx context.Context) error {
	var ucw []*pair
	var uhs []*pair
	for _, p := range ps.pairs {
		if p.link != nil || ps.hasOp(p) {
			continue
		}
		switch {
		case p.cw != nil && p.cw.err != nil:
			ps.invalid(p, p.cw.err)
		case p.hs != nil && p.hs.err != nil:
			ps.invalid(p, p.hs.err)
		case p.cw != nil && !p.cw.pass:
			ps.skip(p, ReasonFiltered, "")
		case p.hs != nil && !p.hs.pass:
			ps.skip(p, ReasonFiltered, "")
		case p.cw != nil:
			ucw = append(ucw, p)
		default:
			uhs = append(uhs, p)
		}
	}
	if err := ps.matchFromConnectWise(ctx, ucw); err != nil {
		return err
	}
	return ps.matchFromHubSpot(ctx, uhs)
}

func (ps *passState) hasOp(p *pair) bool { return p.op != nil }

func (ps *passState) invalid(p *pair, err error) {
	op := ps.opOf(p)
	op.Kind, op.Reason, op.Err = OpSkip, ReasonInvalid, err
}

// candidate records that p's partner is the HubSpot record h (matched by how).
func (ps *passState) claimHS(p *pair, h *hsRecord, claims map[string][]*pair) {
	claims[h.rec.ID] = append(claims[h.rec.ID], p)
	if p.hs == nil {
		p.hs = h
	}
}

func (ps *passState) matchFromConnectWise(ctx context.Context, ucw []*pair) error {
	e, o := ps.e, ps.o
	if len(ucw) == 0 {
		return nil
	}
	claims := map[string][]*pair{}
	// 1. The ConnectWise-ID property on HubSpot records, read by unique value
	// (batch read with idProperty: exact, not subject to search indexing delay).
	ids := make([]string, 0, len(ucw))
	for _, p := range ucw {
		ids = append(ids, strconv.FormatInt(p.cw.id, 10))
	}
	recs, err := e.hs.Read(ctx, o.hsType, o.idProp, ids, o.props)
	if err != nil {
		return fmt.Errorf("syncer: %s: read hubspot by %s: %w", o.name, o.idProp, err)
	}
	byCW := map[int64]*hsRecord{}
	for _, r := range recs {
		h := e.newHS(o, r, ps.lk)
		if n, err := strconv.ParseInt(strings.TrimSpace(r.Properties[o.idProp]), 10, 64); err == nil {
			byCW[n] = h
		}
	}
	var rest []*pair
	for _, p := range ucw {
		if h := byCW[p.cw.id]; h != nil {
			ps.claimHS(p, h, claims)
		} else {
			rest = append(rest, p)
		}
	}
	// 2. Match keys in order; a key value shared by several records on either
	// side is ambiguous (ConnectWise allows duplicate emails, prior-art.md §8).
	for _, k := range o.keys {
		if k == o.idProp || len(rest) == 0 {
			continue
		}
		groups, vals, next := groupByValue(rest, func(p *pair) string { return p.cw.vals[k] })
		found, err := ps.findHubSpot(ctx, k, vals)
		if err != nil {
			return err
		}
		var dupCW map[string]int
		if path := o.keyPath[k]; path != "" && len(found) > 0 {
			var matched []string
			for v := range found {
				matched = append(matched, v)
			}
			slices.Sort(matched)
			if dupCW, err = ps.countConnectWise(ctx, k, path, matched); err != nil {
				return err
			}
		}
		for _, v := range vals {
			g, hs := groups[v], found[v]
			switch {
			case len(hs) == 0:
				next = append(next, g...)
			case len(hs) > 1 || len(g) > 1 || dupCW[v] > 1:
				for _, p := range g {
					ps.skip(p, ReasonAmbiguous, fmt.Sprintf("%s %q matches %d HubSpot and %d ConnectWise records", k, v, len(hs), max(len(g), dupCW[v])))
				}
			default:
				ps.claimHS(g[0], hs[0], claims)
			}
		}
		rest = next
	}
	if err := ps.settleClaims(ctx, claims); err != nil {
		return err
	}
	// 3. The rest are created in HubSpot, unless two of them share a key value.
	ps.skipSharedKeys(rest, func(p *pair) mapping.Values { return p.cw.vals }, "ConnectWise")
	return nil
}

// groupByValue groups pairs by the value of a key, values in first-seen
// order; the pairs without a value are returned apart, in order.
func groupByValue(ps []*pair, value func(*pair) string) (groups map[string][]*pair, vals []string, none []*pair) {
	groups = map[string][]*pair{}
	for _, p := range ps {
		v := value(p)
		if v == "" {
			none = append(none, p)
			continue
		}
		if groups[v] == nil {
			vals = append(vals, v)
		}
		groups[v] = append(groups[v], p)
	}
	return groups, vals, none
}

// settleClaims turns candidate HubSpot partners into fresh links, unless the
// HubSpot record is claimed twice or already linked to another record.
func (ps *passState) settleClaims(ctx context.Context, claims map[string][]*pair) error {
	e, o := ps.e, ps.o
	ids := make([]string, 0, len(claims))
	for id := range claims {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	linked, err := e.store.LinksByHubSpotIDs(ctx, e.tenant, o.name, ids)
	if err != nil {
		return fmt.Errorf("syncer: %s: look links up: %w", o.name, err)
	}
	for _, id := range ids {
		g := claims[id]
		if l, ok := linked[id]; ok || len(g) > 1 {
			detail := fmt.Sprintf("HubSpot record %s is claimed by %d ConnectWise records", id, len(g))
			if ok {
				detail = fmt.Sprintf("HubSpot record %s is already linked to ConnectWise record %d", id, l.ConnectWiseID)
			}
			for _, p := range g {
				p.hs = nil
				ps.skip(p, ReasonAmbiguous, detail)
			}
			continue
		}
		p := g[0]
		if other := ps.pairByHS[id]; other != nil && other != p && other.link == nil && other.cw == nil {
			// The HubSpot record is in this pass too: one pair, not two.
			other.merged = true
			p.hs = other.hs
		}
		p.link = &Link{Object: o.name, HubSpotID: id, ConnectWiseID: p.cw.id}
		p.fresh = true
		if in, ok := ps.intents[id]; ok {
			p.intent = &in // a create replayed from the other side: settle its intent
		}
		ps.pairByHS[id] = p
	}
	return nil
}

// findHubSpot returns the HubSpot records whose property k (canonically) has
// one of vals, grouped by value: a batch read by unique value when k is
// unique, a search otherwise.
func (ps *passState) findHubSpot(ctx context.Context, k string, vals []string) (map[string][]*hsRecord, error) {
	e, o := ps.e, ps.o
	out := map[string][]*hsRecord{}
	if len(vals) == 0 {
		return out, nil
	}
	var recs []*HubSpotRecord
	var err error
	if o.unique[k] {
		recs, err = e.hs.Read(ctx, o.hsType, k, vals, o.props)
	} else {
		recs, err = e.hs.Find(ctx, o.hsType, k, vals, o.props)
	}
	if err != nil {
		return nil, fmt.Errorf("syncer: %s: find hubspot records by %s: %w", o.name, k, err)
	}
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		h := e.newHS(o, r, ps.lk)
		if v := h.vals[k]; v != "" {
			out[v] = append(out[v], h)
		}
	}
	return out, nil
}

// countConnectWise counts the ConnectWise records holding each key value.
func (ps *passState) countConnectWise(ctx context.Context, k, path string, vals []string) (map[string]int, error) {
	e, o := ps.e, ps.o
	recs, bad, err := e.findCW(ctx, o, Lookup{Path: path, Values: vals})
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for v := range bad {
		out[v] = 2 // cannot be verified one-to-one: treated as ambiguous
	}
	seen := map[int64]bool{}
	for _, r := range recs {
		id := recordID(r)
		if seen[id] {
			continue
		}
		seen[id] = true
		if v, err := o.m.FromConnectWise(r, ps.lk); err == nil && v[k] != "" {
			out[v[k]]++
		}
	}
	return out, nil
}

func decodeLookup(b []byte) (intentLookup, bool) {
	var l intentLookup
	if json.Unmarshal(b, &l) != nil || l.Path == "" {
		return l, false
	}
	return l, true
}

// findCW runs a ConnectWise lookup and returns, besides the records, the values
// that could not be searched (see UnsearchableError).
func (e *Engine) findCW(ctx context.Context, o *objectSpec, l Lookup) ([]map[string]any, map[string]bool, error) {
	recs, err := e.cw.Find(ctx, o.cwRes, l)
	var ue *UnsearchableError
	if errors.As(err, &ue) {
		bad := map[string]bool{}
		for _, v := range ue.Values {
			bad[v] = true
		}
		return recs, bad, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("syncer: %s: find connectwise records by %s: %w", o.name, l.Path, err)
	}
	return recs, nil, nil
}

// skipSharedKeys reports as ambiguous the records about to be created on the
// other side that share a match-key value with another of them: creating both
// would make a pair that no key can tell apart. side names where they come from.
func (ps *passState) skipSharedKeys(rest []*pair, vals func(*pair) mapping.Values, side string) {
	o := ps.o
	seen := map[string][]*pair{}
	for _, p := range rest {
		for _, k := range o.keys {
			if v := vals(p)[k]; v != "" && k != o.idProp {
				seen[k+"\x00"+v] = append(seen[k+"\x00"+v], p)
			}
		}
	}
	for kv, g := range seen {
		if len(g) > 1 {
			k, v, _ := strings.Cut(kv, "\x00")
			for _, p := range g {
				ps.skip(p, ReasonAmbiguous, fmt.Sprintf("%s %q is shared by %d %s records", k, v, len(g), side))
			}
		}
	}
}

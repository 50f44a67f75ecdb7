package syncer

import (
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// snapshot is the base of a link: the canonical values both sides held after
// the last successful sync, and the associations written from the link's
// HubSpot record. It is stored as JSON in Link.Base.
type snapshot struct {
	Fields mapping.Values      `json:"f"`
	Assoc  map[string]assocRef `json:"a,omitempty"`
	// Settle holds parked conflicts settled by Engine.Settle, by field, until a
	// pass applies them.
	Settle map[string]settlement `json:"s,omitempty"`
	// Parked lists the fields parked for review at the last sync, so a field
	// that stops conflicting (both sides agree, or one returns to the base)
	// leaves the review queue.
	Parked []string `json:"p,omitempty"`
}

// settlement is how a parked conflict was settled: a side whose current value
// wins, or a value of its own.
type settlement struct {
	Side  Side   `json:"w,omitempty"`
	Value string `json:"v,omitempty"`
}

// assocRef is one association written: the partner's IDs on both sides.
type assocRef struct {
	CW int64  `json:"c"`
	HS string `json:"h"`
}

// decodeSnapshot returns the base stored in a link, or nil when the link has
// none yet (made by matching, not synced).
func decodeSnapshot(b []byte) *snapshot {
	if len(b) == 0 {
		return nil
	}
	s := new(snapshot)
	if json.Unmarshal(b, s) != nil {
		return nil
	}
	if s.Fields == nil {
		s.Fields = mapping.Values{}
	}
	return s
}

func (s *snapshot) encode() []byte {
	if s.Fields == nil {
		s.Fields = mapping.Values{}
	}
	b, _ := json.Marshal(s) // maps of strings always marshal; keys are sorted
	return b
}

func (s *snapshot) clone() *snapshot {
	if s == nil {
		return &snapshot{Fields: mapping.Values{}}
	}
	return &snapshot{Fields: maps.Clone(s.Fields), Assoc: maps.Clone(s.Assoc), Settle: maps.Clone(s.Settle), Parked: slices.Clone(s.Parked)}
}

// FieldChange is one field a write changes: the value the target side holds
// (Before) and the value written (After), both in canonical HubSpot form; ""
// means no value.
type FieldChange struct {
	Field  string
	Target Side
	Before string
	After  string
	// Conflict reports that the field changed on both sides and Resolution
	// settled it ("preferHubSpot", "preferConnectWise", "mostRecent", "custom"
	// for a user's Resolver, "review" for a conflict settled by Engine.Settle).
	Conflict   bool
	Resolution mapping.Conflict `json:",omitempty"`
}

// diffInput is one pair of records to reconcile.
type diffInput struct {
	cw, hs         mapping.Values
	base           *snapshot // nil: the link is new
	cwMod, hsMod   time.Time
	cwPass, hsPass bool // the record passes its side's filter toward the other
}

// diffResult is what reconciling a pair asks for.
type diffResult struct {
	toHS      map[string]string // properties to write to HubSpot ("" clears)
	toCW      []string          // HubSpot property names of fields to write to ConnectWise
	cwValues  mapping.Values    // the HubSpot-form values those fields take
	changes   []FieldChange
	conflicts []string       // fields parked for review
	settled   []string       // fields whose Engine.Settle settlement this write applies
	base      mapping.Values // the base once every write succeeded
}

// diff reconciles one pair field by field against the base snapshot. One-way
// fields always take the master side's value (a change on the other side is
// drift and is reverted); fields flowing both ways follow a three-way merge:
// a change on one side propagates, a change on both is settled by the field's
// field's Resolver ([Review] parks it and writes nothing). On a new
// link a value never overwrites with emptiness.
//
// Conflicts go to the field's [Resolver] (see Engine.resolverFor); a field
// settled by [Engine.Settle] takes the settlement instead.
func (e *Engine) diff(o *objectSpec, in diffInput) diffResult {
	r := diffResult{toHS: map[string]string{}, cwValues: mapping.Values{}, base: mapping.Values{}}
	fresh := in.base == nil
	var base mapping.Values
	if !fresh {
		base = in.base.Fields
	}
	for _, f := range o.fields {
		p := f.HubSpot
		cv, hv := in.cw[p], in.hs[p]
		bv := base[p]
		st, hasSettle := settlement{}, false
		if !fresh {
			st, hasSettle = in.base.Settle[p]
		}
		if hasSettle {
			r.settled = append(r.settled, p)
		}
		if cv == hv {
			if cv != "" {
				r.base[p] = cv
			}
			continue
		}
		if bv != "" {
			r.base[p] = bv
		}
		toHS := (f.Direction == mapping.Both || f.Direction == mapping.ToHubSpot) && o.cwToHS && in.cwPass
		toCW := (f.Direction == mapping.Both || f.Direction == mapping.ToConnectWise) && o.hsToCW && in.hsPass && f.ConnectWise != ""
		var winner Side
		var conflict bool
		var res mapping.Conflict
		switch {
		case f.Direction == mapping.ToHubSpot:
			winner = SideConnectWise
		case f.Direction == mapping.ToConnectWise:
			winner = SideHubSpot
		case fresh && cv == "":
			winner = SideHubSpot
		case fresh && hv == "":
			winner = SideConnectWise
		case hasSettle && f.Direction == mapping.Both:
			conflict, res = true, mapping.Review
			winner = st.Side
			if winner == "" { // a value of its own goes to both sides
				e.settleValue(&r, f, st.Value, cv, hv, toHS, toCW)
				continue
			}
		case !fresh && cv != bv && hv == bv:
			winner = SideConnectWise
		case !fresh && hv != bv && cv == bv:
			winner = SideHubSpot
		default:
			conflict = true
			rv := e.resolverFor(o, f)
			res = label(rv)
			winner = rv.Resolve(FieldConflict{Object: o.name, Field: p, HubSpot: hv, ConnectWise: cv, Base: bv,
				HubSpotModifiedAt: in.hsMod, ConnectWiseModifiedAt: in.cwMod})
			if winner != SideHubSpot && winner != SideConnectWise {
				winner = ""
			}
		}
		if winner == "" { // parked for review
			r.conflicts = append(r.conflicts, p)
			continue
		}
		if fresh && ((winner == SideConnectWise && cv == "") || (winner == SideHubSpot && hv == "")) {
			continue // a new link never clears the other side
		}
		switch {
		case winner == SideConnectWise && toHS:
			r.toHS[p] = cv
			r.base[p] = cv
			r.changes = append(r.changes, FieldChange{Field: p, Target: SideHubSpot, Before: hv, After: cv, Conflict: conflict, Resolution: res})
		case winner == SideHubSpot && toCW:
			r.toCW = append(r.toCW, p)
			if hv != "" {
				r.cwValues[p] = hv
			}
			r.base[p] = hv
			r.changes = append(r.changes, FieldChange{Field: p, Target: SideConnectWise, Before: cv, After: hv, Conflict: conflict, Resolution: res})
		}
		if r.base[p] == "" {
			delete(r.base, p)
		}
	}
	return r
}

// settleValue writes a value chosen by Engine.Settle to both sides of a
// field (each only where it differs) and makes it the base.
func (e *Engine) settleValue(r *diffResult, f mapping.FieldInfo, v, cv, hv string, toHS, toCW bool) {
	p := f.HubSpot
	if hv != v && toHS {
		r.toHS[p] = v
		r.changes = append(r.changes, FieldChange{Field: p, Target: SideHubSpot, Before: hv, After: v, Conflict: true, Resolution: mapping.Review})
	}
	if cv != v && toCW {
		r.toCW = append(r.toCW, p)
		if v != "" {
			r.cwValues[p] = v
		}
		r.changes = append(r.changes, FieldChange{Field: p, Target: SideConnectWise, Before: cv, After: v, Conflict: true, Resolution: mapping.Review})
	}
	r.base[p] = v
	if v == "" {
		delete(r.base, p)
	}
}

// unchangedSince reports whether a side's values equal the base for every field
// flowing from that side: nothing changed there since the last sync.
func unchangedSince(o *objectSpec, v mapping.Values, b *snapshot, from Side) bool {
	if b == nil {
		return false
	}
	for _, f := range o.fields {
		flows := f.Direction == mapping.Both ||
			(from == SideConnectWise && f.Direction == mapping.ToHubSpot) ||
			(from == SideHubSpot && f.Direction == mapping.ToConnectWise)
		if flows && v[f.HubSpot] != b.Fields[f.HubSpot] {
			return false
		}
	}
	return true
}

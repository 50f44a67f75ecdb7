package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// passState is the working state of planning one object.
type passState struct {
	e     *Engine
	o     *objectSpec
	lk    *mapping.Lookups
	plan  *ObjectPlan
	start time.Time

	cw      map[int64]*cwRecord // every ConnectWise record read
	hs      map[string]*hsRecord
	cwSrc   []int64 // ConnectWise records to reconcile, in feed order
	hsSrc   []string
	intents map[string]Intent // pending ConnectWise creates by HubSpot source ID

	unsearchable map[string]bool      // key values ConnectWise cannot be asked for
	merges       map[string]*mergeFix // HubSpot merge survivors by ID

	pairs    []*pair
	pairByCW map[int64]*pair
	pairByHS map[string]*pair
}

// pair is one record, or two records known to be the same, being reconciled.
type pair struct {
	cw     *cwRecord
	hs     *hsRecord
	link   *Link // stored link, or the link matching made (fresh)
	fresh  bool
	source Side
	intent *Intent

	settledFlag int8      // 0 unknown, 1 settled, -1 not
	merged      bool      // folded into another pair by matching
	merge       *mergeFix // links to fix after a HubSpot merge
	op          *Operation
}

func deadKey(side Side, id string) string { return string(side) + ":" + id }

// feedState is what the chunks of one object's pass share: the dead letters
// and intents read at the start, the cursors to store at the end, the
// ConnectWise feed as a pull iterator and the HubSpot IDs still to handle.
type feedState struct {
	dead    map[string]DeadLetter
	intents map[string]Intent
	cursors map[string]string
	cwNext  func() (map[string]any, error, bool)
	cwStop  func()
	cwRetry []int64  // due dead letters from ConnectWise
	hsIDs   []string // HubSpot feed IDs, due dead letters and intents
}

func (f *feedState) close() {
	if f.cwStop != nil {
		f.cwStop()
	}
}

// openFeeds reads the dead letters and intents, opens the ConnectWise change
// feed and reads the IDs of the HubSpot change feed (IDs only: the records are
// read a chunk at a time).
func (e *Engine) openFeeds(ctx context.Context, o *objectSpec, start time.Time) (*feedState, error) {
	f := &feedState{dead: map[string]DeadLetter{}, intents: map[string]Intent{}, cursors: map[string]string{}}
	for d, err := range e.store.ListDeadLetters(ctx, e.tenant, &DeadLetterListOptions{Object: o.name}) {
		if err != nil {
			return nil, fmt.Errorf("syncer: %s: list dead letters: %w", o.name, err)
		}
		f.dead[deadKey(d.Side, d.SourceID)] = d
	}
	if o.cwToHS {
		cur, err := e.readCursor(ctx, cursorKey(o.name, SideConnectWise))
		if err != nil {
			return nil, err
		}
		from, to, next := e.window(cur, start)
		f.cwNext, f.cwStop = iter.Pull2(e.cw.Modified(ctx, o.cwRes, from, to))
		f.cursors[cursorKey(o.name, SideConnectWise)] = formatCursor(next)
	}
	if o.hsToCW {
		cur, err := e.readCursor(ctx, cursorKey(o.name, SideHubSpot))
		if err != nil {
			f.close()
			return nil, err
		}
		from, to, next := e.window(cur, start)
		if f.hsIDs, err = e.feedHubSpot(ctx, o, from, to); err != nil {
			f.close()
			return nil, err
		}
		f.cursors[cursorKey(o.name, SideHubSpot)] = formatCursor(next)
	}
	// Due dead letters are retried even when their record did not change.
	now := e.now()
	for _, k := range slices.Sorted(maps.Keys(f.dead)) {
		d := f.dead[k]
		if d.NextRetryAt.After(now) {
			continue
		}
		switch {
		case d.Side == SideConnectWise && o.cwToHS:
			if id, err := strconv.ParseInt(d.SourceID, 10, 64); err == nil {
				f.cwRetry = append(f.cwRetry, id)
			}
		case d.Side == SideHubSpot && o.hsToCW:
			f.hsIDs = append(f.hsIDs, d.SourceID)
		}
	}
	if o.hsToCW {
		for in, err := range e.store.ListIntents(ctx, e.tenant, o.name) {
			if err != nil {
				f.close()
				return nil, fmt.Errorf("syncer: %s: list intents: %w", o.name, err)
			}
			if in.Target == SideConnectWise {
				f.intents[in.SourceID] = in
				f.hsIDs = append(f.hsIDs, in.SourceID)
			}
		}
	}
	f.hsIDs = dedupe(f.hsIDs)
	return f, nil
}

// fill loads the next chunk into ps: up to n ConnectWise feed records and n
// HubSpot IDs (n <= 0: all of them), plus the due ConnectWise retries in the
// first chunk. It reports whether anything was loaded.
func (ps *passState) fill(ctx context.Context, f *feedState, n int, first bool) (bool, error) {
	e, o := ps.e, ps.o
	ps.plan.dead, ps.intents, ps.plan.cursors = f.dead, f.intents, f.cursors
	var cwRecs []map[string]any
	for f.cwNext != nil && (n <= 0 || len(cwRecs) < n) {
		rec, err, ok := f.cwNext()
		if !ok {
			f.cwNext = nil
			break
		}
		if err != nil {
			return false, fmt.Errorf("syncer: %s: connectwise change feed: %w", o.name, err)
		}
		cwRecs = append(cwRecs, rec)
	}
	if err := e.enrich(ctx, o, cwRecs); err != nil {
		return false, err
	}
	if first && len(f.cwRetry) > 0 {
		got, err := e.readConnectWise(ctx, o, f.cwRetry)
		if err != nil {
			return false, err
		}
		for _, id := range f.cwRetry {
			if r, ok := got[id]; ok {
				cwRecs = append(cwRecs, r)
			}
		}
	}
	k := len(f.hsIDs)
	if n > 0 {
		k = min(k, n)
	}
	hsIDs := f.hsIDs[:k]
	f.hsIDs = f.hsIDs[k:]
	hsRecs, err := e.readHubSpot(ctx, o, hsIDs)
	if err != nil {
		return false, err
	}
	for _, rec := range cwRecs {
		r := e.newCW(o, rec, ps.lk)
		if _, dup := ps.cw[r.id]; dup || r.id <= 0 {
			continue
		}
		ps.cw[r.id] = r
		ps.cwSrc = append(ps.cwSrc, r.id)
	}
	for _, id := range hsIDs {
		rec, ok := hsRecs[id]
		if !ok {
			continue
		}
		ps.hs[id] = e.newHS(o, rec, ps.lk)
		ps.hsSrc = append(ps.hsSrc, id)
	}
	return len(cwRecs) > 0 || len(hsIDs) > 0, nil
}

// more reports whether the feeds hold records not loaded yet.
func (f *feedState) more() bool { return f.cwNext != nil || len(f.hsIDs) > 0 }

// deadKeys returns the dead-letter keys of a pair: a failure is filed under
// the side whose change brought the record, which may be either.
func (p *pair) deadKeys() []string {
	var out []string
	if p.cw != nil {
		out = append(out, deadKey(SideConnectWise, strconv.FormatInt(p.cw.id, 10)))
	}
	if p.hs != nil {
		out = append(out, deadKey(SideHubSpot, p.hs.rec.ID))
	}
	if p.link != nil {
		out = append(out, deadKey(SideConnectWise, strconv.FormatInt(p.link.ConnectWiseID, 10)), deadKey(SideHubSpot, p.link.HubSpotID))
	}
	return dedupe(out)
}

// notDue reports (and plans a skip for) a dead-lettered pair that is not due
// for a retry and has not changed on either side since it failed. A pending
// create intent is always replayed.
func (ps *passState) notDue(p *pair) bool {
	if p.hs != nil {
		if _, pending := ps.intents[p.hs.rec.ID]; pending {
			return false
		}
	}
	now := ps.e.now()
	for _, k := range p.deadKeys() {
		d, ok := ps.plan.dead[k]
		if !ok || !d.NextRetryAt.After(now) {
			continue
		}
		if (p.cw != nil && p.cw.mod.After(d.LastFailedAt)) || (p.hs != nil && p.hs.rec.UpdatedAt.After(d.LastFailedAt)) {
			return false
		}
		ps.skip(p, ReasonDeadLettered, "next retry at "+d.NextRetryAt.UTC().Format(time.RFC3339)+": "+d.Err)
		return true
	}
	return false
}

// intentLookup is the Payload of a ConnectWise create intent: how to find the
// record on replay.
type intentLookup struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// lookupFor returns the lookup that finds the ConnectWise record created from
// a HubSpot record: a custom field mapped from hs_object_id, else the first
// match key with a value and a ConnectWise path.
func (o *objectSpec) lookupFor(v mapping.Values) (intentLookup, bool) {
	for _, f := range o.fields {
		if f.HubSpot == "hs_object_id" && f.ConnectWise != "" && v["hs_object_id"] != "" {
			return intentLookup{Path: f.ConnectWise, Value: v["hs_object_id"]}, true
		}
	}
	for _, k := range o.keys {
		if path := o.keyPath[k]; path != "" && path != "id" && v[k] != "" {
			return intentLookup{Path: path, Value: v[k]}, true
		}
	}
	return intentLookup{}, false
}

func (l intentLookup) encode() []byte {
	b, _ := json.Marshal(l)
	return b
}

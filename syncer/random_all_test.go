package syncer_test

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// Random creates, edits of mapped fields and deletes of companies, contacts
// and deals on both fakes, interleaved with passes, ID sweeps and HubSpot
// deletion events, under injected faults: whole calls spoiled (429, 5xx,
// dropped connections, answers lost after the write), single inputs of batch
// calls failed in a 207 answer (hubspottest FailInputs: transient, or a
// VALIDATION_ERROR), and crashes between the writes and the state commit;
// half of the seeds run with HubSpot's search index lagging 90 s behind
// writes (longer than the default 1-minute safety lag; the change feed's
// 5-minute overlap covers it). Once the faults stop, under each conflict
// policy: both sides agree on every mapped field of every link (with Review,
// a difference is a parked conflict, and other policies park none), every
// live record is linked once (no duplicates, no orphans), no dead letter is
// left, a quiet pass writes nothing, and no edit is lost silently (see
// checkEdits for what counts as a reported loss). Seeded and reproducible:
// the subtest name holds policy, seed and index lag, and
// HUBWISE_RANDOM_TRACE=1 logs every edit, injected input failure and pass of
// the subtests run.
func TestRandomAllObjectsWithFaults(t *testing.T) {
	seeds, rounds := uint64(6), 80
	if testing.Short() {
		seeds, rounds = 2, 30
	}
	st := &rStats{}
	start := time.Now()
	t.Cleanup(func() {
		t.Logf("%d runs x %d rounds in %s: %d passes (%d ended by a fault or with failed records), %d crashes before the state commit, "+
			"%d whole-call faults armed, %d per-input injections armed failing %d inputs, %d creates, %d edits, %d deletes (%d propagated), "+
			"%d conflicts settled by the policy, %d parked for review, %d edits putting back the base value lost to the other side and %d cleared fields filled where the link had no base value",
			st.runs, rounds, time.Since(start).Round(time.Millisecond), st.passes, st.failedPasses, st.crashes, st.faults, st.inputFaults,
			st.inputsFailed, st.creates, st.edits, st.deletes, st.deletesPropagated, st.resolved, st.parked, st.reverts, st.filled)
	})
	for _, policy := range []mapping.Conflict{mapping.PreferConnectWise, mapping.PreferHubSpot, mapping.MostRecent, mapping.Review} {
		for seed := uint64(1); seed <= seeds; seed++ {
			var lag time.Duration
			if seed%2 == 0 {
				lag = 90 * time.Second
			}
			t.Run(fmt.Sprintf("%s/seed%d/indexlag%s", policy, seed, lag), func(t *testing.T) {
				w := newWorld(t, policy, seed, lag, st)
				st.runs++
				for range rounds {
					w.e.clk.Add(time.Minute)
					w.step()
					if w.r.IntN(3) == 0 {
						w.pass()
					}
				}
				w.settle()
				w.check()
			})
		}
	}
}

// pass runs one pass with random faults armed, then HubSpot deletion events
// and sometimes an ID sweep, and disarms the faults.
func (w *rWorld) pass() {
	e, r := w.e, w.r
	var injs []*hubspottest.InputInjection
	if r.IntN(2) == 0 {
		randomFault(r, e)
		w.stats.faults++
	}
	for range r.IntN(3) { // zero to two batch operations with failing inputs
		injs = append(injs, w.failInputs())
	}
	if r.IntN(4) == 0 {
		w.fs.mu.Lock()
		w.fs.fails = 1
		w.fs.mu.Unlock()
		w.stats.crashes++
	}
	e.clk.Add(time.Minute)
	rep, err := w.run() // faults may end a pass; the next one resumes
	w.stats.passes++
	if err != nil || rep == nil || len(rep.Errors()) > 0 {
		w.stats.failedPasses++
	}
	w.deleteEvents(false)
	if r.IntN(4) == 0 {
		object := rObjects[r.IntN(len(rObjects))]
		if dr, _ := e.eng.SweepDeletes(e.ctx, object); dr != nil {
			w.stats.deletesPropagated += dr.Propagated
		}
	}
	for _, inj := range injs {
		w.stats.inputsFailed += inj.Hits()
	}
	e.hsSrv.ClearFaults()
	e.cwSrv.ClearFaults()
}

// run runs one pass and notes what it did.
func (w *rWorld) run() (*syncer.Report, error) {
	w.noteBaseValues()
	rep, err := w.e.eng.Run(w.e.ctx)
	w.collect(rep)
	w.trace(rep, err)
	w.lastPass = w.seq
	return rep, err
}

// noteBaseValues runs before a pass: an edit made since the previous pass
// whose value is the link's base value (what both sides held at the last sync
// of the link) is no change for a merge by value, so the other side's edit of
// the field wins without a conflict. That happens when a user puts back the
// value of the last sync, after an edit of their own or after an engine write
// that was not committed (a crash before the state commit): a limit of
// three-way merging by value (the A-B-A case), which the test counts instead
// of failing on. The base is read from the link as the engine stores it.
func (w *rWorld) noteBaseValues() {
	w.bases = map[string]map[string]string{}
	for _, object := range rObjects {
		for l, err := range w.e.store.ListLinks(w.e.ctx, "acme", object, nil) {
			require.NoError(w.t, err)
			var base struct {
				Fields map[string]string `json:"f"`
			}
			// A link stored without a base (committed by matching, then the
			// pass crashed before the results) has every field empty.
			if len(l.Base) > 0 && json.Unmarshal(l.Base, &base) != nil {
				continue
			}
			w.bases[object+"/"+l.HubSpotID] = base.Fields
			for _, rec := range []string{rRec(object, syncer.SideHubSpot, l.HubSpotID),
				rRec(object, syncer.SideConnectWise, strconv.FormatInt(l.ConnectWiseID, 10))} {
				for field, ed := range w.last[rec] {
					if ed.seq > w.lastPass && tracing() {
						w.t.Logf("BASE %s %s edit %q base %s", rec, field, ed.value, l.Base)
					}
					if ed.seq > w.lastPass && ed.value == base.Fields[field] {
						w.restores[rec+"/"+field] = ed.seq
					}
				}
			}
		}
	}
}

// tracing reports whether HUBWISE_RANDOM_TRACE asks for a trace of the run.
func tracing() bool { return os.Getenv("HUBWISE_RANDOM_TRACE") != "" }

// trace logs a pass and the records it did something to.
func (w *rWorld) trace(rep *syncer.Report, err error) {
	if tracing() {
		w.t.Logf("PASS at step %d err=%v\n%s", w.seq, err, rep)
		if rep != nil {
			for _, rr := range rep.Records {
				if rr.Outcome != syncer.OutcomeUnchanged {
					w.t.Logf("  %s %s hs=%s cw=%d %s %s %+v", rr.Object, rr.Kind, rr.HubSpotID, rr.ConnectWiseID, rr.Outcome, rr.Reason, rr.Changes)
				}
			}
		}
	}
}

// failInputs arms a per-input fault on one HubSpot batch operation for one to
// three calls: about half of the inputs fail, chosen by a hash of the input
// (not by call order, which the engine does not promise), mostly with the
// fake's transient error and sometimes with a permanent VALIDATION_ERROR.
func (w *rWorld) failInputs() *hubspottest.InputInjection {
	// The engine writes through upsert and update; create and archive are
	// armed less often (create is unused by the engine today).
	ops := []string{hubspottest.OpBatchUpsert, hubspottest.OpBatchUpsert, hubspottest.OpBatchUpdate, hubspottest.OpBatchUpdate,
		hubspottest.OpBatchCreate, hubspottest.OpBatchArchive, hubspottest.OpBatchRead}
	op := ops[w.r.IntN(len(ops))]
	salt := w.r.Uint64()
	fault := &hubspottest.InputFault{}
	if w.r.IntN(4) == 0 {
		fault = &hubspottest.InputFault{Category: hubspot.CategoryValidation, Message: "Property values were not valid (injected)", Status: 400}
	}
	w.stats.inputFaults++
	return w.e.hsSrv.FailInputs(op, 1+w.r.IntN(3), func(in hubspottest.BatchInput) *hubspottest.InputFault {
		h := fnv.New64a()
		fmt.Fprint(h, salt, in.ObjectType, in.ID, in.Properties)
		if h.Sum64()%2 == 0 {
			if tracing() {
				w.t.Logf("FAILINPUT %s %+v", op, in)
			}
			return fault
		}
		return nil
	})
}

// collect notes the conflicts a pass settled, per record and field.
func (w *rWorld) collect(rep *syncer.Report) {
	if rep == nil {
		return
	}
	for _, rr := range rep.Records {
		for _, c := range rr.Changes {
			if base := w.bases[rr.Object+"/"+rr.HubSpotID]; c.Before == "" && !c.Conflict && base[c.Field] == "" {
				// An empty field filled from the other side where the link
				// had no base value (no link or no base at the pass start).
				side := syncer.SideHubSpot
				id := rr.HubSpotID
				if c.Target == syncer.SideConnectWise {
					side, id = syncer.SideConnectWise, strconv.FormatInt(rr.ConnectWiseID, 10)
				}
				w.filled[rRec(rr.Object, side, id)+"/"+c.Field] = w.seq
			}
			if !c.Conflict || c.Resolution == "" {
				continue
			}
			w.stats.resolved++
			if rr.HubSpotID != "" {
				w.resolved[rRec(rr.Object, syncer.SideHubSpot, rr.HubSpotID)+"/"+c.Field] = w.seq
			}
			if rr.ConnectWiseID != 0 {
				w.resolved[rRec(rr.Object, syncer.SideConnectWise, strconv.FormatInt(rr.ConnectWiseID, 10))+"/"+c.Field] = w.seq
			}
		}
	}
}

// deleteEvents hands the HubSpot records the test archived to HandleDeleted,
// as a webhook would; a call that fails is repeated later (redelivery).
func (w *rWorld) deleteEvents(must bool) {
	for _, object := range rObjects {
		ids := w.pendingHS[object]
		if len(ids) == 0 {
			continue
		}
		dr, err := w.e.eng.HandleDeleted(w.e.ctx, object, syncer.SideHubSpot, ids)
		if dr != nil {
			w.stats.deletesPropagated += dr.Propagated
		}
		if must {
			require.NoError(w.t, err, "seed %d: %s", w.seed, dr)
		}
		if err == nil {
			delete(w.pendingHS, object)
		}
	}
}

// settle stops the faults and lets the engine catch up: deletion events and
// sweeps, dead letters made due, and passes ten minutes apart.
func (w *rWorld) settle() {
	e := w.e
	e.hsSrv.ClearFaults()
	e.cwSrv.ClearFaults()
	w.fs.mu.Lock()
	w.fs.fails = 0
	w.fs.mu.Unlock()
	// Three rounds: a pass may link a record whose partner was deleted
	// meanwhile (a create replayed after a crash, matched by the ConnectWise
	// ID to a soft-deleted company once its ambiguous dead letter is retried),
	// which the next sweep propagates.
	for range 3 {
		w.deleteEvents(true)
		for _, object := range rObjects {
			dr, err := e.eng.SweepDeletes(e.ctx, object)
			require.NoError(w.t, err, "seed %d", w.seed)
			w.stats.deletesPropagated += dr.Propagated
		}
		_, err := e.eng.RetryNow(e.ctx, "")
		require.NoError(w.t, err)
		for range 2 {
			e.clk.Add(10 * time.Minute)
			rep, err := w.run()
			require.NoError(w.t, err, "seed %d: %v", w.seed, rep)
		}
	}
	e.resetCalls()
	rep := e.run()
	assert.Zero(w.t, e.writes(), "seed %d: quiet pass wrote:\n%s", w.seed, rep)
	assert.Empty(w.t, rep.Errors(), "seed %d", w.seed)
}

// check compares both sides link by link.
func (w *rWorld) check() {
	t, e := w.t, w.e
	e.assertNoDuplicates()
	for _, object := range rObjects {
		obj := e.cfg.Mapping.Object(object)
		conflicts, err := e.eng.Conflicts(e.ctx, object)
		require.NoError(t, err)
		if w.policy != mapping.Review {
			assert.Empty(t, conflicts, "seed %d: %s conflicts parked under %s", w.seed, object, w.policy)
		}
		w.stats.parked += len(conflicts)
		parked := map[string]bool{}
		for _, c := range conflicts {
			parked[fmt.Sprint(c.HubSpotID, "/", c.ConnectWiseID, "/", c.Field)] = true
		}
		hs := map[string]map[string]string{}
		for _, o := range e.hsAll(object, obj.Properties()...) {
			hs[o.ID] = o.Properties
		}
		cw := map[int]map[string]any{}
		for _, r := range w.cwLive(object) {
			cw[cwRecID(r)] = r
		}
		links := 0
		for l, err := range e.store.ListLinks(e.ctx, "acme", object, nil) {
			require.NoError(t, err)
			links++
			c, ok := cw[int(l.ConnectWiseID)]
			if !assert.True(t, ok, "seed %d: %s link %v: the ConnectWise record is gone", w.seed, object, l) {
				continue
			}
			h, ok := hs[l.HubSpotID]
			if !assert.True(t, ok, "seed %d: %s link %v: the HubSpot record is gone", w.seed, object, l) {
				continue
			}
			cv, err := obj.FromConnectWise(c, w.lk)
			require.NoError(t, err)
			hv, err := obj.FromHubSpot(h, w.lk)
			require.NoError(t, err)
			for _, f := range obj.Fields() {
				if !f.Projected || strings.HasPrefix(f.ConnectWise, mapping.ForecastKey+"/") {
					continue // the amount comes from the forecast, read apart
				}
				if !parked[fmt.Sprint(l.HubSpotID, "/", l.ConnectWiseID, "/", f.HubSpot)] {
					assert.Equal(t, cv[f.HubSpot], hv[f.HubSpot], "seed %d: %s %s of link %s/%d differs without a parked conflict (base %s)",
						w.seed, object, f.HubSpot, l.HubSpotID, l.ConnectWiseID, l.Base)
				}
			}
			w.checkEdits(object, l, hv, parked)
		}
		assert.Equal(t, len(cw), links, "seed %d: every live ConnectWise %s is linked", w.seed, object)
		assert.Equal(t, len(hs), links, "seed %d: every active HubSpot %s is linked", w.seed, object)
	}
	dls, err := e.eng.DeadLetters(e.ctx, "")
	require.NoError(t, err)
	for _, d := range dls {
		assert.Fail(t, "dead letter left", "seed %d: %+v", w.seed, d)
	}
}

// checkEdits fails when the last edit of a field on either record of link l
// is not its final value, unless the loss was reported or is a known limit:
//   - the field is parked for review;
//   - a pass reported a conflict on it settled by the policy after the edit;
//   - the edit put back the link's base value (see noteBaseValues);
//   - the edit cleared the field, and a pass then filled it from the other
//     side while the link had no base value for it: a first link (a create
//     replayed after a crash before the state commit) or a link that matching
//     committed before such a crash. With no base, an empty field reads as
//     "no value yet" and is filled, which undoes a clearing made in the crash
//     window.
func (w *rWorld) checkEdits(object string, l syncer.Link, final mapping.Values, parked map[string]bool) {
	hsRec := rRec(object, syncer.SideHubSpot, l.HubSpotID)
	cwRec := rRec(object, syncer.SideConnectWise, strconv.FormatInt(l.ConnectWiseID, 10))
	for _, f := range rEditable[object] {
		field := f[0]
		h, hasH := w.last[hsRec][field]
		c, hasC := w.last[cwRec][field]
		if !hasH && !hasC {
			continue
		}
		latest, other, hasOther := h, c, hasC
		if !hasH || hasC && c.seq > h.seq {
			latest, other, hasOther = c, h, hasH
		}
		got := final[field]
		if got == latest.value || parked[fmt.Sprint(l.HubSpotID, "/", l.ConnectWiseID, "/", field)] {
			continue
		}
		settled := max(w.resolved[hsRec+"/"+field], w.resolved[cwRec+"/"+field])
		if settled >= latest.seq {
			continue // the policy chose the other side's value, and the report said so
		}
		rec := map[syncer.Side]string{syncer.SideHubSpot: hsRec, syncer.SideConnectWise: cwRec}[latest.side]
		if w.restores[rec+"/"+field] == latest.seq {
			w.stats.reverts++
			continue // the edit put back the base value: see noteBaseValues
		}
		if latest.value == "" && w.filled[rec+"/"+field] >= latest.seq {
			w.stats.filled++
			continue
		}
		assert.Fail(w.t, "edit lost silently", "seed %d, policy %s: %s link %s/%d field %s: last edit %q on %s at step %d, final %q "+
			"(other side's last edit %+v, present %v; last conflict settled at step %d)", w.seed, w.policy, object, l.HubSpotID,
			l.ConnectWiseID, field, latest.value, latest.side, latest.seq, got, other, hasOther, settled)
	}
}

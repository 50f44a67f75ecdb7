package syncer_test

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/memstore"
)

// The world of the randomized test over companies, contacts and deals: the
// edits the test made on both fakes (to tell afterwards whether one was lost)
// and the conflicts the passes reported.

// rObjects lists the synced objects in dependency order.
var rObjects = []string{"companies", "contacts", "deals"}

// rCW maps an object to its ConnectWise fake resource.
var rCW = map[string]connectwisetest.Resource{
	"companies": connectwisetest.Companies, "contacts": connectwisetest.Contacts, "deals": connectwisetest.Opportunities,
}

// rStages is the deal stage table (ConnectWise stage id -> HubSpot dealstage).
var rStages = map[string]string{"1": "appointmentscheduled", "2": "qualifiedtobuy"}

// rDealCaption is the ConnectWise custom field holding HubSpot deal IDs.
const rDealCaption = "HubSpot Deal ID"

// rEditable lists, per object, the fields the test edits: HubSpot property and
// ConnectWise top-level field. Both flow both ways in the default mapping.
var rEditable = map[string][][2]string{
	"companies": {{"name", "name"}, {"city", "city"}},
	"contacts":  {{"firstname", "firstName"}, {"lastname", "lastName"}, {"jobtitle", "title"}, {"city", "city"}},
	"deals":     {{"dealname", "name"}, {"description", "notes"}, {"dealstage", "stage"}},
}

// rEdit is one value the test wrote, in HubSpot form.
type rEdit struct {
	seq   int // the test's step counter when it was written
	side  syncer.Side
	value string
}

// rRec names a record on one side: "companies/hubspot/1001".
func rRec(object string, side syncer.Side, id string) string {
	return object + "/" + string(side) + "/" + id
}

// rWorld drives one seeded run.
type rWorld struct {
	t      *testing.T
	r      *rand.Rand
	e      *env
	fs     *flakyStore
	policy mapping.Conflict
	lk     *mapping.Lookups
	owner  string // the HubSpot owner matching ConnectWise member 244
	seq    int
	// last holds the last edit per record (rRec) and HubSpot property.
	last map[string]map[string]rEdit
	// resolved holds, per record (rRec) and field, the step of the last pass
	// that reported a conflict settled by the policy.
	resolved map[string]int
	// restores holds, per record (rRec) and field, the step of an edit that
	// put back the link's base value (see noteBaseValues).
	restores map[string]int
	// filled holds, per record (rRec) and field, the step of the last pass
	// that filled the empty field from the other side while the link had no
	// base value for it (see checkEdits).
	filled   map[string]int
	lastPass int // the step of the last pass
	// bases holds the base values of every link ("object/hubspotID") at the
	// start of the current pass.
	bases map[string]map[string]string
	// pendingHS lists HubSpot records archived by the test whose deletion was
	// not handled yet (a HandleDeleted call failed, as a webhook would be
	// delivered again).
	pendingHS map[string][]string
	stats     *rStats
	seed      uint64
}

// rStats are the figures the test logs.
type rStats struct {
	runs, passes, failedPasses, crashes, faults, inputFaults, inputsFailed        int
	deletesPropagated, resolved, parked, edits, creates, deletes, reverts, filled int
}

// newWorld builds the env of one run: both fakes (HubSpot's search index
// lagging indexDelay), a store that can be made to fail its next commit,
// deletes propagated for every object, policy for every conflict, and the
// owner and stage tables deals need.
func newWorld(t *testing.T, policy mapping.Conflict, seed uint64, indexDelay time.Duration, st *rStats) *rWorld {
	w := &rWorld{t: t, r: rand.New(rand.NewPCG(seed, 11)), seed: seed, policy: policy, last: map[string]map[string]rEdit{},
		resolved: map[string]int{}, restores: map[string]int{}, filled: map[string]int{}, pendingHS: map[string][]string{}, stats: st}
	var e *env
	owners := map[string]string{}
	s := spec(rObjects...)
	// HubSpot-born deals need their ID in a ConnectWise custom field, so that a
	// create can be found again after a crash (syncer: ErrNoLookupKey).
	require.NoError(t, s.StoreHubSpotID(mapping.ObjectDeals, rDealCaption))
	e = newEnvWith(t, s, hubspottest.Options{Search: hubspottest.SearchLimits{IndexDelay: indexDelay}},
		func(c *syncer.Config) {
			w.fs = &flakyStore{StateStore: memstore.New(&memstore.Options{Clock: c.Clock}), match: hasBase}
			c.Store = w.fs
			c.Deletes = map[string]syncer.DeletePolicy{}
			for _, o := range rObjects {
				c.Deletes[o] = syncer.DeletePropagate
			}
			c.MaxDeleteShare = -1
			c.DefaultConflict = policy
			c.Lookups = tableLookups(owners, rStages)
		})
	e.store = w.fs
	w.e = e
	_, err := e.cwSrv.Create(connectwisetest.UserDefinedFields, map[string]any{"podId": 7, "podDescription": "Opportunity Overview",
		"caption": rDealCaption, "sequenceNumber": 2, "screenId": "op100", "screenDescription": "Opportunity",
		"fieldTypeIdentifier": "Text", "entryTypeIdentifier": "EntryField"})
	require.NoError(t, err)
	w.owner = e.hsSrv.AddOwner(hubspottest.Owner{Email: "JSmith@example.com", FirstName: "John", LastName: "Smith"})
	owners["244"] = w.owner
	w.lk = mapping.NewLookups()
	w.lk.SetTable(mapping.TableOwners, owners)
	w.lk.SetTable(mapping.TableDealStages, rStages)
	return w
}

// note records an edit of record rec.
func (w *rWorld) note(rec string, side syncer.Side, props map[string]string) {
	if tracing() {
		w.t.Logf("EDIT step %d %s %v", w.seq, rec, props)
	}
	if w.last[rec] == nil {
		w.last[rec] = map[string]rEdit{}
	}
	for k, v := range props {
		w.last[rec][k] = rEdit{seq: w.seq, side: side, value: v}
	}
}

func (w *rWorld) word() string {
	words := []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay"}
	return fmt.Sprintf("%s %d", words[w.r.IntN(len(words))], w.seq)
}

func (w *rWorld) city() string {
	cities := []string{"Springfield", "Shelbyville", "Ogdenville", ""}
	return cities[w.r.IntN(len(cities))]
}

// cwLive returns the live ConnectWise records of object (companies are
// soft-deleted: deletedFlag).
func (w *rWorld) cwLive(object string) []connectwisetest.Record {
	var out []connectwisetest.Record
	for _, r := range w.e.cwSrv.Records(rCW[object]) {
		if r["deletedFlag"] != true {
			out = append(out, r)
		}
	}
	return out
}

func cwRecID(r connectwisetest.Record) int { return int(r["id"].(float64)) }

// refID reads a reference's id ("company" -> its id), 0 when absent.
func refID(r connectwisetest.Record, ref string) int {
	if m, ok := r[ref].(map[string]any); ok {
		if id, ok := m["id"].(float64); ok {
			return int(id)
		}
	}
	return 0
}

// hsLive returns the active HubSpot records of object, oldest first.
func (w *rWorld) hsLive(object string) []*hubspot.Object {
	return w.e.hsAll(object, "email")
}

// cwDependents reports whether live ConnectWise records refer to record id.
func (w *rWorld) cwDependents(object string, id int) bool {
	for _, o := range rObjects {
		for _, r := range w.cwLive(o) {
			if (object == "companies" && refID(r, "company") == id) || (object == "contacts" && o == "deals" && refID(r, "contact") == id) {
				return true
			}
		}
	}
	return false
}

// hsDependents reports whether live HubSpot records are associated with id
// (a company's contacts and deals, a contact's deals).
func (w *rWorld) hsDependents(object, id string) bool {
	var to []string
	switch object {
	case "companies":
		to = []string{"contacts", "deals"}
	case "contacts":
		to = []string{"deals"}
	}
	for _, t := range to {
		if len(w.e.hsSrv.AssociatedIDs(object, id, t)) > 0 {
			return true
		}
	}
	return false
}

// partnerDependents reports whether the partner of a linked record has dependents.
func (w *rWorld) partnerDependents(object string, side syncer.Side, id string) bool {
	var l syncer.Link
	var err error
	if side == syncer.SideConnectWise {
		n, _ := strconv.Atoi(id)
		l, err = w.e.store.LinkByConnectWiseID(w.e.ctx, "acme", object, int64(n))
		if err != nil {
			return false
		}
		return w.hsDependents(object, l.HubSpotID)
	}
	l, err = w.e.store.LinkByHubSpotID(w.e.ctx, "acme", object, id)
	if err != nil {
		return false
	}
	return w.cwDependents(object, int(l.ConnectWiseID))
}

// step makes one random change on one of the fakes.
func (w *rWorld) step() {
	w.seq++
	e, r := w.e, w.r
	object := rObjects[r.IntN(len(rObjects))]
	switch r.IntN(12) {
	case 0, 1: // create in ConnectWise
		w.cwCreate(object)
	case 2, 3: // create in HubSpot
		w.hsCreate(object)
	case 10, 11: // the same field of a linked pair edited on both sides
		w.editBoth(object)
	case 4, 5, 6: // edit in ConnectWise
		live := w.cwLive(object)
		if len(live) == 0 {
			return
		}
		id := cwRecID(live[r.IntN(len(live))])
		f := rEditable[object][r.IntN(len(rEditable[object]))]
		v, hv := w.value(object, f[0])
		w.cwEdit(object, id, f, v, hv)
	case 7, 8: // edit in HubSpot
		live := w.hsLive(object)
		if len(live) == 0 {
			return
		}
		id := live[r.IntN(len(live))].ID
		f := rEditable[object][r.IntN(len(rEditable[object]))]
		_, hv := w.value(object, f[0])
		w.hsEdit(object, id, f[0], hv)
	case 9: // delete on either side, a record nothing depends on
		if r.IntN(2) == 0 {
			live := w.cwLive(object)
			if len(live) < 3 {
				return
			}
			id := cwRecID(live[r.IntN(len(live))])
			if w.cwDependents(object, id) || w.partnerDependents(object, syncer.SideConnectWise, strconv.Itoa(id)) {
				return
			}
			require.NoError(w.t, e.cwSrv.Delete(rCW[object], id))
			if tracing() {
				w.t.Logf("CWDELETE %s %d", object, id)
			}
		} else {
			live := w.hsLive(object)
			if len(live) < 3 {
				return
			}
			id := live[r.IntN(len(live))].ID
			if w.hsDependents(object, id) || w.partnerDependents(object, syncer.SideHubSpot, id) {
				return
			}
			require.NoError(w.t, e.hsSrv.ArchiveRecord(object, id))
			if tracing() {
				w.t.Logf("HSDELETE %s %s", object, id)
			}
			w.pendingHS[object] = append(w.pendingHS[object], id)
		}
		w.stats.deletes++
	}
}

// editBoth edits both records of a random link: the same field to different
// values (a conflict for the next pass to settle), or, half the time, two
// different fields (writes toward both sides for one record in one pass).
func (w *rWorld) editBoth(object string) {
	var links []syncer.Link
	for l, err := range w.e.store.ListLinks(w.e.ctx, "acme", object, nil) {
		require.NoError(w.t, err)
		links = append(links, l)
	}
	if len(links) == 0 {
		return
	}
	l := links[w.r.IntN(len(links))]
	f := rEditable[object][w.r.IntN(len(rEditable[object]))]
	cwv, cwh := w.value(object, f[0])
	if !w.cwEdit(object, int(l.ConnectWiseID), f, cwv, cwh) {
		return
	}
	w.seq++
	w.e.clk.Add(time.Second)
	if fields := rEditable[object]; w.r.IntN(2) == 0 {
		g := fields[w.r.IntN(len(fields))]
		if g != f {
			_, hsv := w.value(object, g[0])
			w.hsEdit(object, l.HubSpotID, g[0], hsv)
			return
		}
	}
	_, hsv := w.value(object, f[0])
	if f[0] == "dealstage" { // two stages only: make them differ
		hsv = rStages["1"]
		if cwh == hsv {
			hsv = rStages["2"]
		}
	}
	w.hsEdit(object, l.HubSpotID, f[0], hsv)
}

// cwEdit sets field f of ConnectWise record id to v (in ConnectWise form; hv
// in HubSpot form) as a user would, and notes the edit. It reports false when
// the record is gone or already holds the value (no edit at all).
func (w *rWorld) cwEdit(object string, id int, f [2]string, v, hv string) bool {
	cur, ok := w.e.cwSrv.Get(rCW[object], id)
	if !ok || cur["deletedFlag"] == true {
		return false
	}
	var val any = v
	if f[1] == "stage" {
		n, _ := strconv.Atoi(v)
		if refID(cur, "stage") == n {
			return false
		}
		val = map[string]any{"id": n}
	} else if s, _ := cur[f[1]].(string); s == v {
		return false
	}
	if _, err := w.e.cwSrv.Update(rCW[object], id, map[string]any{f[1]: val}); err != nil {
		return false
	}
	w.note(rRec(object, syncer.SideConnectWise, strconv.Itoa(id)), syncer.SideConnectWise, map[string]string{f[0]: hv})
	w.stats.edits++
	return true
}

// hsEdit sets a HubSpot property as a user would and notes the edit; false
// when the record is archived or already holds the value.
func (w *rWorld) hsEdit(object, id, field, hv string) bool {
	cur, ok := w.e.hsSrv.Record(object, id)
	if !ok || cur.Archived || cur.Properties[field] == hv {
		return false
	}
	require.NoError(w.t, w.e.hsSrv.UpdateRecord(object, id, map[string]string{field: hv}))
	w.note(rRec(object, syncer.SideHubSpot, id), syncer.SideHubSpot, map[string]string{field: hv})
	w.stats.edits++
	return true
}

// value returns a new value of field in ConnectWise form (a stage id for
// dealstage) and in HubSpot form.
func (w *rWorld) value(object, field string) (string, string) {
	switch field {
	case "city":
		c := w.city()
		return c, c
	case "dealstage":
		id := strconv.Itoa(1 + w.r.IntN(2))
		return id, rStages[id]
	case "name", "dealname":
		v := w.word()
		return v, v
	}
	v := fmt.Sprintf("%s%d", field[:2], w.seq)
	return v, v
}

// cwUsable reports whether a new record may refer to ConnectWise record id:
// when it is linked, its HubSpot partner is not archived. (A reference to a
// record whose deletion is not synced yet makes the other side refuse the
// create for good: a dead letter the test does not want.)
func (w *rWorld) cwUsable(object string, id int) bool {
	l, err := w.e.store.LinkByConnectWiseID(w.e.ctx, "acme", object, int64(id))
	if err != nil {
		return true
	}
	r, ok := w.e.hsSrv.Record(object, l.HubSpotID)
	return ok && !r.Archived
}

// hsUsable is cwUsable for a HubSpot record: its ConnectWise partner is live.
func (w *rWorld) hsUsable(object, id string) bool {
	l, err := w.e.store.LinkByHubSpotID(w.e.ctx, "acme", object, id)
	if err != nil {
		return true
	}
	r, ok := w.e.cwSrv.Get(rCW[object], int(l.ConnectWiseID))
	return ok && r["deletedFlag"] != true
}

func (w *rWorld) cwCreate(object string) {
	e := w.e
	switch object {
	case "companies":
		name, ident := w.word(), fmt.Sprintf("CW%d", w.seq)
		id := e.cwCompany(name, ident)
		w.note(rRec(object, syncer.SideConnectWise, strconv.Itoa(id)), syncer.SideConnectWise, map[string]string{"name": name, "city": "Springfield"})
	case "contacts":
		company := 0
		if cs := w.cwLive("companies"); len(cs) > 0 && w.r.IntN(4) > 0 {
			if c := cwRecID(cs[w.r.IntN(len(cs))]); w.cwUsable("companies", c) {
				company = c
			}
		}
		first, last := fmt.Sprintf("Fi%d", w.seq), fmt.Sprintf("La%d", w.seq)
		id := e.cwContact(first, last, fmt.Sprintf("cw%d@example.com", w.seq), company)
		w.note(rRec(object, syncer.SideConnectWise, strconv.Itoa(id)), syncer.SideConnectWise, map[string]string{"firstname": first, "lastname": last})
	case "deals":
		cs := w.cwLive("companies")
		if len(cs) == 0 {
			return
		}
		company := cwRecID(cs[w.r.IntN(len(cs))])
		contact := 0
		for _, c := range w.cwLive("contacts") {
			if refID(c, "company") == company && w.cwUsable("contacts", cwRecID(c)) {
				contact = cwRecID(c)
			}
		}
		if contact == 0 || !w.cwUsable("companies", company) {
			return // an opportunity needs a contact (connectwise-api.md §5, spec 2025.8)
		}
		name := w.word()
		id := e.cwOpportunity(name, company, contact, 0)
		w.note(rRec(object, syncer.SideConnectWise, strconv.Itoa(id)), syncer.SideConnectWise, map[string]string{"dealname": name, "dealstage": rStages["1"]})
	}
	w.stats.creates++
}

func (w *rWorld) hsCreate(object string) {
	e := w.e
	var props map[string]string
	switch object {
	case "companies":
		props = map[string]string{"name": w.word(), "cw_company_identifier": fmt.Sprintf("HS%d", w.seq), "address": "2 Side St", "city": w.city()}
	case "contacts":
		props = map[string]string{"email": fmt.Sprintf("hs%d@example.com", w.seq), "firstname": fmt.Sprintf("Fi%d", w.seq), "lastname": fmt.Sprintf("La%d", w.seq)}
	case "deals":
		props = map[string]string{"dealname": w.word(), "dealstage": rStages["1"], "pipeline": "default", "hubspot_owner_id": w.owner,
			"closedate": "2026-12-15T00:00:00.000Z"}
	}
	var company, contact string
	if object != "companies" {
		cs := w.hsLive("companies")
		if len(cs) > 0 {
			if c := cs[w.r.IntN(len(cs))].ID; w.hsUsable("companies", c) {
				company = c
			}
		}
	}
	if object == "deals" { // an opportunity needs its company and a contact
		if company == "" {
			return
		}
		for _, id := range e.hsSrv.AssociatedIDs("companies", company, "contacts") {
			if r, ok := e.hsSrv.Record("contacts", id); ok && !r.Archived && w.hsUsable("contacts", id) {
				contact = id
			}
		}
		if contact == "" {
			return
		}
	}
	id, err := e.hsSrv.CreateRecord(object, props)
	require.NoError(w.t, err)
	switch object {
	case "contacts":
		if company != "" && w.r.IntN(4) > 0 {
			require.NoError(w.t, e.hsSrv.Associate("contacts", id, "companies", company, 279))
		}
	case "deals":
		require.NoError(w.t, e.hsSrv.Associate("deals", id, "companies", company, 341))
		require.NoError(w.t, e.hsSrv.Associate("deals", id, "contacts", contact, 3))
	}
	if tracing() {
		w.t.Logf("HSCREATE %s %s company %s contact %s", object, id, company, contact)
	}
	tracked := map[string]string{}
	for _, f := range rEditable[object] {
		if v, ok := props[f[0]]; ok {
			tracked[f[0]] = v
		}
	}
	w.note(rRec(object, syncer.SideHubSpot, id), syncer.SideHubSpot, tracked)
	w.stats.creates++
}

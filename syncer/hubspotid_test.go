package syncer_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// dealCaption is the Text custom field the tests store HubSpot deal IDs in.
const dealCaption = "HubSpot Deal ID"

// idEnv is an env syncing companies, contacts and deals both ways, with one
// ConnectWise company and contact already linked to HubSpot and a HubSpot
// owner matching a ConnectWise member.
type idEnv struct {
	*env
	acme, ann            int    // ConnectWise company and contact IDs
	hsCompany, hsContact string // their HubSpot partners
	owner                string // HubSpot owner of ConnectWise member 244
}

// newIDEnv builds the env. caption names the opportunities' HubSpot-ID custom
// field ("" for none); a caption that is not seeded in the fake is created as
// a Text field on the Opportunity screen first, the way an admin would.
func newIDEnv(t *testing.T, caption string, tweak func(*syncer.Config)) *idEnv {
	t.Helper()
	s := spec("companies", "contacts", "deals")
	if caption != "" {
		require.NoError(t, s.StoreHubSpotID(mapping.ObjectDeals, caption))
	}
	var e *env
	e = newEnv(t, s, func(c *syncer.Config) {
		c.Lookups = dealLookups(&e, map[string]string{"1": "appointmentscheduled", "2": "qualifiedtobuy"})
		if tweak != nil {
			tweak(c)
		}
	})
	if caption != "" && caption != "hubspot_deal_id" {
		_, err := e.cwSrv.Create(connectwisetest.UserDefinedFields, map[string]any{"podId": 7, "podDescription": "Opportunity Overview",
			"caption": caption, "sequenceNumber": 2, "screenId": "op100", "screenDescription": "Opportunity",
			"fieldTypeIdentifier": "Text", "entryTypeIdentifier": "EntryField"})
		require.NoError(t, err)
	}
	ie := &idEnv{env: e}
	ie.owner = e.hsSrv.AddOwner(hubspottest.Owner{Email: "JSmith@example.com", FirstName: "John", LastName: "Smith"})
	ie.acme = e.cwCompany("Acme Corp", "AcmeCorp")
	ie.ann = e.cwContact("Ann", "Lee", "ann@acme.example", ie.acme)
	rep := e.run()
	require.Empty(t, rep.Errors(), rep.String())
	ie.hsCompany, ie.hsContact = e.link("companies", ie.acme).HubSpotID, e.link("contacts", ie.ann).HubSpotID
	return ie
}

// hsDeal creates a HubSpot deal owned by the env's owner and associated with
// its company and contact.
func (e *idEnv) hsDeal(name string) string {
	e.t.Helper()
	id := e.hsCreate("deals", map[string]string{"dealname": name, "dealstage": "qualifiedtobuy",
		"hubspot_owner_id": e.owner, "closedate": "2026-12-15T00:00:00Z"})
	for to, toID := range map[string]string{"companies": e.hsCompany, "contacts": e.hsContact} {
		_, _, err := e.hsc.Associations.CreateDefaultBatch(e.ctx, "deals", to, []hubspot.AssociationPair{{FromID: id, ToID: toID}})
		require.NoError(e.t, err)
	}
	return id
}

// opportunitiesWithID returns the ConnectWise opportunities whose custom field
// caption holds the HubSpot ID id.
func (e *idEnv) opportunitiesWithID(caption, id string) []connectwisetest.Record {
	var out []connectwisetest.Record
	for _, r := range e.cwSrv.Records(connectwisetest.Opportunities) {
		if customValue(r, caption) == id {
			out = append(out, r)
		}
	}
	return out
}

// customValue renders the value of the custom field caption of rec ("" when
// absent or null).
func customValue(rec map[string]any, caption string) string {
	items, _ := rec["customFields"].([]any)
	for _, it := range items {
		m, _ := it.(map[string]any)
		if m["caption"] != caption {
			continue
		}
		switch v := m["value"].(type) {
		case nil:
			return ""
		case float64: // a Number custom field
			return strconv.FormatFloat(v, 'f', -1, 64)
		default:
			return fmt.Sprint(v)
		}
	}
	return ""
}

// requireQuiet runs n passes and requires that none writes anything.
func (e *idEnv) requireQuiet(n int) {
	e.t.Helper()
	e.resetCalls()
	for i := range n {
		rep := e.run()
		require.Empty(e.t, rep.Errors(), rep.String())
		require.Zero(e.t, e.writes(), "pass %d wrote:\n%s", i, rep)
	}
}

// A HubSpot-born deal becomes a ConnectWise opportunity carrying its HubSpot
// ID, linked, with the company and contact references from the links; the
// next pass writes nothing. Both a Text custom field created by the admin and
// the seeded Number field (hubspot_deal_id, as observed in a live tenant,
// connectwise-api.md §7) work.
func TestHubSpotDealCreatedWithHubSpotID(t *testing.T) {
	for _, caption := range []string{dealCaption, "hubspot_deal_id"} {
		t.Run(caption, func(t *testing.T) {
			e := newIDEnv(t, caption, nil)
			deal := e.hsDeal("Firewall refresh")
			rep := e.run()
			t.Log("\n" + rep.String())
			require.Empty(t, rep.Errors())
			assert.Equal(t, 1, rep.Count("deals", syncer.OutcomeCreated))

			opps := e.opportunitiesWithID(caption, deal)
			require.Len(t, opps, 1)
			o := opps[0]
			id := int(o["id"].(float64))
			assert.Equal(t, "Firewall refresh", o["name"])
			assert.EqualValues(t, e.acme, o["company"].(map[string]any)["id"])
			assert.EqualValues(t, e.ann, o["contact"].(map[string]any)["id"])
			assert.EqualValues(t, 244, o["primarySalesRep"].(map[string]any)["id"])
			assert.EqualValues(t, 2, o["stage"].(map[string]any)["id"])
			assert.Equal(t, deal, e.link("deals", id).HubSpotID)
			got := e.hsAll("deals", mapping.PropCWOpportunityID)
			require.Len(t, got, 1)
			assert.Equal(t, fmt.Sprint(id), got[0].Properties[mapping.PropCWOpportunityID], "the rec ID flows back")

			e.requireQuiet(3) // the create's own echoes included
			assert.Len(t, e.cwSrv.Records(connectwisetest.Opportunities), 1)
		})
	}
}

// ConnectWise applies the opportunity POST but the answer is lost: the intent
// recorded before the POST makes the rerun find the opportunity by the HubSpot
// ID in its custom field; exactly one exists, linked, and no HubSpot deal is
// created from it.
func TestHubSpotDealCreateAnswerLost(t *testing.T) {
	e := newIDEnv(t, dealCaption, nil)
	deal := e.hsDeal("Managed services")
	e.cwSrv.Inject(connectwisetest.Route("POST", "sales/opportunities"), 1, connectwisetest.Fault{Status: 502, AfterHandler: true})
	rep := e.run()
	t.Log("\n" + rep.String())
	assert.Equal(t, 1, rep.Count("deals", syncer.OutcomeFailed))
	require.Len(t, e.opportunitiesWithID(dealCaption, deal), 1, "the lost create happened")
	intents := 0
	for in, err := range e.store.ListIntents(e.ctx, "acme", "deals") {
		require.NoError(t, err)
		assert.Equal(t, deal, in.SourceID)
		intents++
	}
	require.Equal(t, 1, intents, "the intent outlives the failed answer")

	e.resetCalls()
	for range 2 {
		rep = e.run()
		t.Log("\n" + rep.String())
		require.Empty(t, rep.Errors())
	}
	e.assertFoundByHubSpotID(deal, true)
	e.assertOneLinkedDeal(deal)
}

// dealStateWrite matches the batches that settle a deal create: its link or
// the deletion of its intent.
func dealStateWrite(b *syncer.Batch) bool {
	for _, op := range b.Ops {
		switch x := op.(type) {
		case syncer.LinkPut:
			if x.Link.Object == "deals" && len(x.Link.Base) > 0 {
				return true
			}
		case syncer.IntentDelete:
			if x.Object == "deals" {
				return true
			}
		}
	}
	return false
}

// The opportunity POST succeeds but the pass dies before the state commit.
// If the rec ID reached the HubSpot deal first, the rerun links through it;
// if the pass died before that write too, the rerun finds the opportunity by
// the HubSpot ID in its custom field. Either way exactly one opportunity
// exists, linked, and HubSpot holds one deal.
func TestHubSpotDealCrashBeforeStateCommit(t *testing.T) {
	for _, tc := range []struct {
		name         string
		hubspotFails bool // the rec ID write-back to HubSpot fails
		storeFails   bool // the state commit after the writes fails (a crash)
	}{
		{name: "store fails after the HubSpot write-back", storeFails: true},
		{name: "crash before the HubSpot write-back", hubspotFails: true, storeFails: true},
		// The pass ends on the HubSpot error and commits what it has: the
		// intent must outlive the create whose link is not stored (commit.go
		// stateOps), or the rerun would copy the orphan opportunity into a
		// second deal and the deal into a second opportunity.
		{name: "HubSpot write-back fails", hubspotFails: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := &flakyStore{match: dealStateWrite}
			e := newIDEnv(t, dealCaption, func(c *syncer.Config) {
				fs.StateStore = c.Store
				c.Store = fs
			})
			deal := e.hsDeal("Managed services")
			if tc.hubspotFails {
				for _, op := range []string{hubspottest.OpBatchUpdate, hubspottest.OpBatchUpsert} {
					e.hsSrv.InjectOp(op, 0, hubspottest.Fault{Status: 503})
				}
			}
			if tc.storeFails {
				fs.mu.Lock()
				fs.fails = 1
				fs.mu.Unlock()
			}
			rep, err := e.eng.Run(e.ctx)
			t.Logf("%v\n%s", err, rep)
			require.Error(t, err, "the pass ends before the deal's link is stored")
			require.Len(t, e.opportunitiesWithID(dealCaption, deal), 1, "the create happened")
			if tc.hubspotFails {
				require.Empty(t, e.hsAll("deals", mapping.PropCWOpportunityID)[0].Properties[mapping.PropCWOpportunityID])
				e.hsSrv.ClearFaults()
			}
			fs.mu.Lock()
			fs.fails = 0 // the crashed process restarts
			fs.mu.Unlock()
			e.resetCalls()
			for range 2 {
				rep := e.run()
				t.Log("\n" + rep.String())
				require.Empty(t, rep.Errors())
			}
			e.assertFoundByHubSpotID(deal, tc.hubspotFails)
			e.assertOneLinkedDeal(deal)
		})
	}
}

// assertFoundByHubSpotID checks that the replay created no opportunity and
// searched them by customFieldConditions on the HubSpot ID exactly when want.
func (e *idEnv) assertFoundByHubSpotID(deal string, want bool) {
	e.t.Helper()
	var searches []string
	for _, c := range e.cwSrv.Calls(connectwisetest.Route("GET", "sales/opportunities")) {
		q, err := url.ParseQuery(c.Query)
		require.NoError(e.t, err)
		if cf := q.Get("customFieldConditions"); cf != "" {
			searches = append(searches, cf)
		}
	}
	if want {
		assert.Equal(e.t, []string{fmt.Sprintf(`caption = "%s" AND value = "%s"`, dealCaption, deal)}, searches)
	} else {
		assert.Empty(e.t, searches)
	}
	assert.Zero(e.t, e.cwSrv.Count(connectwisetest.Route("POST", "sales/opportunities")), "no second create")
}

// assertOneLinkedDeal checks that exactly one opportunity exists, carries the
// deal's HubSpot ID, is linked to it, that HubSpot holds one deal, that no
// intent is left and that a further pass writes nothing.
func (e *idEnv) assertOneLinkedDeal(deal string) {
	t := e.t
	opps := e.cwSrv.Records(connectwisetest.Opportunities)
	require.Len(t, opps, 1)
	assert.Equal(t, deal, customValue(opps[0], dealCaption))
	assert.Equal(t, deal, e.link("deals", int(opps[0]["id"].(float64))).HubSpotID)
	deals := e.hsAll("deals", mapping.PropCWOpportunityID)
	require.Len(t, deals, 1, "no HubSpot deal is created from the replayed opportunity")
	assert.Equal(t, fmt.Sprint(opps[0]["id"]), deals[0].Properties[mapping.PropCWOpportunityID])
	for _, err := range e.store.ListIntents(e.ctx, "acme", "") {
		require.NoError(t, err)
		t.Error("intent left after replay")
	}
	e.requireQuiet(2)
}

// Without the HubSpot-ID field a HubSpot-born deal is refused before any
// POST: ErrNoLookupKey, terminal, with a message naming the fix.
func TestHubSpotDealWithoutHubSpotIDField(t *testing.T) {
	e := newIDEnv(t, "", nil)
	deal := e.hsDeal("Managed services")
	e.resetCalls()
	rep := e.run()
	t.Log("\n" + rep.String())
	require.Equal(t, 1, rep.Count("deals", syncer.OutcomeFailed))
	var re *syncer.RecordError
	require.ErrorAs(t, rep.Errors()[0], &re)
	assert.Equal(t, deal, re.HubSpotID)
	assert.ErrorIs(t, re, syncer.ErrNoLookupKey)
	assert.True(t, syncer.IsTerminal(re))
	assert.Contains(t, re.Error(), `mapping.Spec.StoreHubSpotID("deals", caption)`)
	assert.Zero(t, e.cwSrv.Count(connectwisetest.Route("POST", "sales/opportunities")))
	assert.Zero(t, e.cwSrv.Len(connectwisetest.Opportunities))

	rep = e.run()
	assert.Equal(t, 1, rep.Count("deals", syncer.OutcomeSkipped), "dead-lettered until it changes:\n%s", rep)
	assert.Zero(t, e.cwSrv.Len(connectwisetest.Opportunities))
}

// A ConnectWise-born opportunity synced to a new HubSpot deal gets that deal's
// HubSpot ID written into its custom field once (a ToConnectWise field
// write); the write is not echoed back: 100 quiet passes make zero writes.
func TestConnectWiseBornOpportunityGetsHubSpotID(t *testing.T) {
	e := newIDEnv(t, dealCaption, nil)
	opp := e.cwOpportunity("Managed services", e.acme, e.ann, 1500)

	e.resetCalls()
	rep := e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("deals", syncer.OutcomeCreated))
	deal := e.link("deals", opp).HubSpotID
	require.NotEmpty(t, deal)

	assert.Empty(t, customValue(mustGet(t, e, opp), dealCaption), "the HubSpot ID is known once the deal is read back")

	// The next pass reads the new deal, whose hs_object_id differs from the
	// empty custom field: one PATCH toward ConnectWise, nothing toward HubSpot.
	e.resetCalls()
	rep = e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("deals", syncer.OutcomeUpdated))
	assert.Equal(t, deal, customValue(mustGet(t, e, opp), dealCaption), "the engine fills the HubSpot ID")
	assert.Equal(t, 1, e.cwSrv.Count(connectwisetest.Route("PATCH", "sales/opportunities/{id}")))
	assert.Equal(t, 1, e.cwWrites(), rep.String())
	assert.Zero(t, e.hsWrites(), rep.String())

	e.requireQuiet(100) // the write's own echo included
	assert.Len(t, e.hsAll("deals"), 1)
	assert.Len(t, e.cwSrv.Records(connectwisetest.Opportunities), 1)

	// Someone clears the field in ConnectWise. A one-way field's target is
	// not reverted on its own (the engine reads only the side that changed,
	// and nothing flows from ConnectWise here); the link, not the field,
	// pairs the records from now on. The next HubSpot edit restores it.
	cur := mustGet(t, e, opp)
	items := cur["customFields"].([]any)
	for _, it := range items {
		if m := it.(map[string]any); m["caption"] == dealCaption {
			m["value"] = nil
		}
	}
	_, err := e.cwSrv.Update(connectwisetest.Opportunities, opp, map[string]any{"customFields": items})
	require.NoError(t, err)
	require.Empty(t, customValue(mustGet(t, e, opp), dealCaption))
	e.requireQuiet(2)
	_, _, err = e.hsc.Deals.Update(e.ctx, deal, map[string]string{"dealname": "Managed services 2027"}, nil)
	require.NoError(t, err)
	e.resetCalls()
	rep = e.run()
	require.Empty(t, rep.Errors())
	o := mustGet(t, e, opp)
	assert.Equal(t, "Managed services 2027", o["name"])
	assert.Equal(t, deal, customValue(o, dealCaption))
	assert.Equal(t, 1, e.cwWrites(), rep.String())
	assert.Zero(t, e.hsWrites(), rep.String())
	e.requireQuiet(3)
}

func mustGet(t *testing.T, e *idEnv, opp int) connectwisetest.Record {
	t.Helper()
	r, ok := e.cwSrv.Get(connectwisetest.Opportunities, opp)
	require.True(t, ok)
	return r
}

// EnsureSchema reports the opportunities' HubSpot-ID custom field as missing
// until an admin creates it, then as present.
func TestEnsureSchemaHubSpotIDField(t *testing.T) {
	s := spec("companies", "contacts", "deals")
	require.NoError(t, s.StoreHubSpotID(mapping.ObjectDeals, dealCaption))
	e := newEnv(t, s, nil)
	missing := func() []syncer.SchemaItem {
		rep, err := e.eng.EnsureSchema(e.ctx)
		require.NoError(t, err)
		var out []syncer.SchemaItem
		for _, it := range rep.Items {
			if it.Kind == "custom field" && it.Outcome == syncer.SchemaMissing {
				out = append(out, it)
			}
		}
		return out
	}
	got := missing()
	require.Len(t, got, 1)
	assert.Equal(t, dealCaption, got[0].Name)
	assert.Equal(t, "sales/opportunities", got[0].Object)

	_, err := e.cwSrv.Create(connectwisetest.UserDefinedFields, map[string]any{"podId": 7, "caption": dealCaption,
		"sequenceNumber": 2, "screenId": "op100", "fieldTypeIdentifier": "Text"})
	require.NoError(t, err)
	assert.Empty(t, missing())
}

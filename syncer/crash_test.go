package syncer_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/syncer"
)

// flakyStore fails the next matching Commits, like a crash between an external
// write and the state commit.
type flakyStore struct {
	syncer.StateStore
	mu    sync.Mutex
	fails int
	match func(*syncer.Batch) bool
}

func (s *flakyStore) Commit(ctx context.Context, tenant string, b *syncer.Batch) error {
	s.mu.Lock()
	if s.fails > 0 && s.match(b) {
		s.fails--
		s.mu.Unlock()
		return fmt.Errorf("flaky: %w", syncer.ErrUnavailable)
	}
	s.mu.Unlock()
	return s.StateStore.Commit(ctx, tenant, b)
}

// hasBase matches the batches that store synced links (the final commit).
func hasBase(b *syncer.Batch) bool {
	for _, op := range b.Ops {
		if lp, ok := op.(syncer.LinkPut); ok && len(lp.Link.Base) > 0 {
			return true
		}
	}
	return false
}

func (e *env) assertNoDuplicates() {
	e.t.Helper()
	seen := map[string]bool{}
	for _, o := range e.hsAll("companies", "cw_company_identifier") {
		id := o.Properties["cw_company_identifier"]
		assert.False(e.t, seen[id], "duplicate HubSpot company %s", id)
		seen[id] = true
	}
	seen = map[string]bool{}
	for _, o := range e.hsAll("contacts", "email") {
		assert.False(e.t, seen[o.Properties["email"]], "duplicate HubSpot contact %s", o.Properties["email"])
		seen[o.Properties["email"]] = true
	}
	seen = map[string]bool{}
	for _, r := range e.cwSrv.Records(connectwisetest.Companies) {
		id := fmt.Sprint(r["identifier"])
		assert.False(e.t, seen[id], "duplicate ConnectWise company %s", id)
		seen[id] = true
	}
}

// seedBoth puts records on both sides that must cross over.
func (e *env) seedBoth() {
	acme := e.cwCompany("Acme Corp", "AcmeCorp")
	e.cwContact("Ann", "Lee", "ann@acme.example", acme)
	e.hsCreate("companies", map[string]string{"name": "Globex", "cw_company_identifier": "Globex", "address": "2 Side St", "city": "Shelbyville"})
	e.hsCreate("contacts", map[string]string{"email": "hank@globex.example", "firstname": "Hank"})
}

// A pass dies after both sides accepted every write but before the state
// commit; the rerun links what exists and duplicates nothing.
func TestCrashBeforeStateCommit(t *testing.T) {
	var fs *flakyStore
	e := newEnv(t, spec("companies", "contacts"), func(c *syncer.Config) {
		fs = &flakyStore{StateStore: c.Store, fails: 1, match: hasBase}
		c.Store = fs
	})
	e.seedBoth()
	cwBefore := e.cwSrv.Len(connectwisetest.Companies)
	_, err := e.eng.Run(e.ctx)
	require.ErrorIs(t, err, syncer.ErrUnavailable)

	rep := e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	rep = e.run()
	require.Empty(t, rep.Errors())
	e.assertNoDuplicates()
	assert.Equal(t, cwBefore+1, e.cwSrv.Len(connectwisetest.Companies), "the company created before the crash is reused")
	assert.Len(t, e.hsAll("companies"), 2)
	assert.Len(t, e.hsAll("contacts"), 2)
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	e.run()
	assert.Zero(t, e.writes())
}

// HubSpot applies the upsert but the answer is lost (every attempt): the pass
// ends; the rerun finds the records through the ConnectWise-ID property.
func TestCrashHubSpotAnswerLost(t *testing.T) {
	e := newEnv(t, spec("companies", "contacts"), nil)
	e.seedBoth()
	e.hsSrv.InjectOp(hubspottest.OpBatchUpsert, 2, hubspottest.Fault{Status: 502, AfterHandler: true})
	_, err := e.eng.Run(e.ctx)
	require.Error(t, err)
	e.hsSrv.ClearFaults()
	rep := e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	e.run()
	e.assertNoDuplicates()
	assert.Len(t, e.hsAll("companies"), 2)
}

// ConnectWise creates the record but the answer is lost: the intent recorded
// before the POST makes the rerun look it up instead of creating a second one.
func TestCrashConnectWiseAnswerLost(t *testing.T) {
	e := newEnv(t, spec("companies", "contacts"), nil)
	e.seedBoth()
	cwBefore := e.cwSrv.Len(connectwisetest.Companies)
	e.cwSrv.Inject(connectwisetest.Route("POST", "company/companies"), 1, connectwisetest.Fault{Status: 502, AfterHandler: true})
	rep := e.run()
	t.Log("\n" + rep.String())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeFailed))
	assert.Equal(t, cwBefore+1, e.cwSrv.Len(connectwisetest.Companies), "the lost create happened")
	var intents int
	for _, err := range e.store.ListIntents(e.ctx, "acme", "") {
		require.NoError(t, err)
		intents++
	}
	assert.Equal(t, 1, intents, "the intent outlives the failed answer")

	rep = e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeLinked))
	assert.Equal(t, cwBefore+1, e.cwSrv.Len(connectwisetest.Companies))
	e.assertNoDuplicates()
	for _, err := range e.store.ListIntents(e.ctx, "acme", "") {
		require.NoError(t, err)
		t.Error("intent left after replay")
	}
}

// The same crash for contacts: the ConnectWise contact created from HubSpot is
// found again by email on replay.
func TestCrashBeforeStateCommitContacts(t *testing.T) {
	var fs *flakyStore
	e := newEnv(t, spec("companies", "contacts"), func(c *syncer.Config) {
		fs = &flakyStore{StateStore: c.Store, fails: 1, match: func(b *syncer.Batch) bool {
			for _, op := range b.Ops {
				if lp, ok := op.(syncer.LinkPut); ok && lp.Link.Object == "contacts" && len(lp.Link.Base) > 0 {
					return true
				}
			}
			return false
		}}
		c.Store = fs
	})
	e.seedBoth()
	_, err := e.eng.Run(e.ctx)
	require.ErrorIs(t, err, syncer.ErrUnavailable)
	assert.Equal(t, 1, countEmail(e.cwSrv.Records(connectwisetest.Contacts), "hank@globex.example"))
	rep := e.run()
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, countEmail(e.cwSrv.Records(connectwisetest.Contacts), "hank@globex.example"))
	assert.Len(t, e.hsAll("contacts"), 2)
	e.assertNoDuplicates()
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	e.run()
	assert.Zero(t, e.writes())
}

// A ten-secondly 429 is waited out by the client and the pass completes with
// nothing duplicated.
func TestRateLimitIsABudget(t *testing.T) {
	e := newEnv(t, spec("companies", "contacts"), nil)
	e.seedBoth()
	e.hsSrv.InjectOp(hubspottest.OpBatchUpsert, 1, hubspottest.Fault{Status: 429,
		Body: []byte(`{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"x","policyName":"TEN_SECONDLY_ROLLING"}`)})
	e.cwSrv.ThrottleNext(connectwisetest.Route("POST", "company/companies"), 1, 1, true)
	rep := e.run()
	require.Empty(t, rep.Errors(), rep.String())
	e.assertNoDuplicates()
	assert.Len(t, e.hsAll("companies"), 2)
}

// Quotes and accents survive the trip and the replay lookup (condition
// quoting); a key that ConnectWise cannot be searched by is refused up front
// rather than risking a duplicate on replay.
func TestQuotesAndAccents(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	name, ident := `Café "Zürich" & O'Brien`, `Zür'ich 1`
	e.hsCreate("companies", map[string]string{"name": name, "cw_company_identifier": ident, "address": "Bahnhofstr. 1", "city": "Zürich"})
	unsafe := e.hsCreate("companies", map[string]string{"name": "Both", "cw_company_identifier": `A'b"c`, "address": "x", "city": "y"})
	before := e.cwSrv.Len(connectwisetest.Companies)
	e.cwSrv.Inject(connectwisetest.Route("POST", "company/companies"), 1, connectwisetest.Fault{Status: 502, AfterHandler: true})
	rep := e.run()
	require.Equal(t, 2, rep.Count("companies", syncer.OutcomeFailed), rep.String())
	var refused bool
	for _, err := range rep.Errors() {
		var re *syncer.RecordError
		require.ErrorAs(t, err, &re)
		if re.HubSpotID == unsafe {
			refused = true
			assert.ErrorIs(t, re, syncer.ErrNoLookupKey)
			assert.True(t, syncer.IsTerminal(re))
		}
	}
	assert.True(t, refused)
	rep = e.run()
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeLinked), rep.String())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeSkipped), "dead-lettered until it changes")
	n := 0
	for _, r := range e.cwSrv.Records(connectwisetest.Companies) {
		if r["identifier"] == ident {
			n++
			assert.Equal(t, name, r["name"])
		}
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, before+1, e.cwSrv.Len(connectwisetest.Companies))
}

package syncer_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/syncer"
)

// dailyLimit is HubSpot's 429 body for the daily limit (hubspot-api.md §2).
var dailyLimit = []byte(`{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","correlationId":"c0ffee","policyName":"DAILY","groupName":"api-calls-daily"}`)

// seedCompanies stores n companies with contacts in ConnectWise.
func (e *env) seedCompanies(n, contactsEach int) {
	e.t.Helper()
	for i := range n {
		co, err := e.cwSrv.Seed(connectwisetest.Companies, map[string]any{"name": fmt.Sprintf("Company %03d", i),
			"identifier": fmt.Sprintf("Co%03d", i), "city": "Springfield", "addressLine1": "1 Main St"})
		require.NoError(e.t, err)
		for j := range contactsEach {
			_, err := e.cwSrv.Seed(connectwisetest.Contacts, map[string]any{"firstName": fmt.Sprintf("First%d", j),
				"lastName": fmt.Sprintf("Last%03d", i), "company": map[string]any{"id": co["id"]},
				"communicationItems": []any{map[string]any{"type": map[string]any{"id": 1, "name": "Email"}, "communicationType": "Email",
					"value": fmt.Sprintf("p%d.c%d@example.com", j, i), "defaultFlag": true}}})
			require.NoError(e.t, err)
		}
	}
}

func TestBackfillResumesAfterDailyLimit(t *testing.T) {
	e := newEnv(t, spec("companies", "contacts"), nil)
	e.seedCompanies(120, 2)
	// Two companies already exist in HubSpot without the rec ID: matched, not duplicated.
	e.hsCreate("companies", map[string]string{"name": "Company 005", "cw_company_identifier": "Co005"})
	e.hsCreate("contacts", map[string]string{"email": "p0.c7@example.com", "firstname": "First0"})

	// A dry run writes nothing and says what the migration would do.
	dry, err := e.eng.Backfill(e.ctx, &syncer.BackfillOptions{DryRun: true})
	require.NoError(t, err)
	assert.True(t, dry.DryRun)
	assert.Equal(t, 119, dry.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, dry.Count("companies", syncer.OutcomeLinked))
	assert.Len(t, e.hsAll("companies"), 1)
	_, err = e.store.Cursor(e.ctx, "acme", "companies/backfill")
	require.ErrorIs(t, err, syncer.ErrNotFound)

	var last syncer.Progress
	armed := false
	// The daily limit strikes after the first page.
	_, err = e.eng.Backfill(e.ctx, &syncer.BackfillOptions{PageSize: 50, Progress: func(p syncer.Progress) {
		last = p
		if !armed {
			armed = true
			e.hsSrv.InjectOp(hubspottest.OpBatchUpsert, 1, hubspottest.Fault{Status: 429, Body: dailyLimit})
		}
	}})
	var rl *hubspot.RateLimitError
	require.True(t, errors.As(err, &rl), "got %v", err)
	assert.True(t, rl.Daily())
	assert.Less(t, last.Done, 120)

	rep, err := e.eng.Backfill(e.ctx, &syncer.BackfillOptions{PageSize: 50, Progress: func(p syncer.Progress) { last = p }})
	require.NoError(t, err)
	require.Empty(t, rep.Errors())
	assert.Equal(t, "contacts", last.Object)
	assert.Equal(t, 240, last.Total)
	assert.Equal(t, 240, last.Done)
	e.assertNoDuplicates()
	assert.Len(t, e.hsAll("companies"), 120)
	assert.Len(t, e.hsAll("contacts"), 240)

	// Finished objects are skipped; the next pass is incremental and quiet.
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	_, err = e.eng.Backfill(e.ctx, nil)
	require.NoError(t, err)
	assert.Zero(t, e.writes())
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Zero(t, e.writes(), rep.String())

	// A reset backfill goes over everything again and finds nothing to write.
	require.NoError(t, e.eng.ResetBackfill(e.ctx, "companies"))
	rep, err = e.eng.Backfill(e.ctx, &syncer.BackfillOptions{Objects: []string{"companies"}})
	require.NoError(t, err)
	assert.Equal(t, 120, rep.Count("companies", syncer.OutcomeUnchanged))
	assert.Zero(t, e.writes())
}

package syncer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/syncer"
)

// assertCallsMatchFakes checks a report's call figures against the requests
// each fake recorded since its last ResetCalls.
func (e *env) assertCallsMatchFakes(rep *syncer.Report, hsRetries, cwRetries int64) {
	e.t.Helper()
	assert.EqualValues(e.t, len(e.hsSrv.Calls()), rep.Calls[syncer.SideHubSpot], "HubSpot calls: every attempt the fake saw")
	assert.EqualValues(e.t, len(e.cwSrv.Calls()), rep.Calls[syncer.SideConnectWise], "ConnectWise calls: every attempt the fake saw")
	assert.Equal(e.t, hsRetries, rep.Retries[syncer.SideHubSpot], "HubSpot retries")
	assert.Equal(e.t, cwRetries, rep.Retries[syncer.SideConnectWise], "ConnectWise retries")
}

// A pass through a 429 on each side reports every attempt the APIs received,
// the retried ones included, and the retries on their own.
func TestReportCallsIncludeRetries(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	for i := range 3 {
		e.cwCompany(fmt.Sprintf("Retry Co %d", i), fmt.Sprintf("RetryCo%d", i))
	}
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	hs0, cw0 := e.hs.Calls(), e.cw.Calls()

	tooMany := http.Header{"Retry-After": {"0"}}
	hsFault := e.hsSrv.InjectOp(hubspottest.OpBatchUpsert, 1, hubspottest.Fault{Status: http.StatusTooManyRequests, Header: tooMany})
	cwFault := e.cwSrv.Inject(connectwisetest.Route("GET", "company/companies"), 1,
		connectwisetest.Fault{Status: http.StatusTooManyRequests, Header: tooMany})
	rep := e.run()
	require.Equal(t, 1, hsFault.Hits(), "the HubSpot 429 was served")
	require.Equal(t, 1, cwFault.Hits(), "the ConnectWise 429 was served")
	assert.Equal(t, 3, rep.Count("companies", syncer.OutcomeCreated), "both 429s were retried through")

	e.assertCallsMatchFakes(rep, 1, 1)
	assert.Equal(t, rep.Calls[syncer.SideHubSpot], e.hs.Calls()-hs0, "the adapter's own figure agrees")
	assert.Equal(t, rep.Calls[syncer.SideConnectWise], e.cw.Calls()-cw0)
	assert.EqualValues(t, 1, e.hs.Retries())
	assert.EqualValues(t, 1, e.cw.Retries())

	assert.Contains(t, rep.String(), fmt.Sprintf("API calls: hubspot %d, connectwise %d; retries: hubspot 1, connectwise 1;",
		rep.Calls[syncer.SideHubSpot], rep.Calls[syncer.SideConnectWise]))
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(b), fmt.Sprintf(`"Calls":{"connectwise":%d,"hubspot":%d}`,
		rep.Calls[syncer.SideConnectWise], rep.Calls[syncer.SideHubSpot]), "the JSON field keeps its name")
	assert.Contains(t, string(b), `"Retries":{"connectwise":1,"hubspot":1}`)

	// A quiet pass after it counts no retries, and still every call.
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	rep = e.run()
	e.assertCallsMatchFakes(rep, 0, 0)
}

// Server errors and dropped connections on repeatable requests are retried
// by the clients; each retry is one more call, and the figures stay exact.
func TestReportCallsThroughServerErrorsAndDrops(t *testing.T) {
	for _, f := range []struct {
		name  string
		fault hubspottest.Fault
	}{
		{"502", hubspottest.Fault{Status: http.StatusBadGateway}},
		{"503", hubspottest.Fault{Status: http.StatusServiceUnavailable}},
		{"dropped connection", hubspottest.Fault{Drop: true}},
	} {
		t.Run(f.name, func(t *testing.T) {
			e := newEnv(t, spec("companies"), nil)
			e.cwCompany("Drop Co", "DropCo")
			e.hsSrv.ResetCalls()
			e.cwSrv.ResetCalls()
			// Searches and batch reads are repeatable (GET, or marked idempotent
			// by the clients), as are ConnectWise GETs.
			e.hsSrv.Inject(hubspottest.AnyRoute, 1, f.fault)
			e.cwSrv.Inject(connectwisetest.Route("GET", "company/companies"), 1, f.fault)
			rep := e.run()
			require.Empty(t, rep.Errors())
			assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
			e.assertCallsMatchFakes(rep, 1, 1)
		})
	}
}

// Backfill reports exact figures too, through a throttled page.
func TestBackfillCallsIncludeRetries(t *testing.T) {
	e := newEnv(t, spec("companies"), nil)
	for i := range 5 {
		e.cwCompany(fmt.Sprintf("Backfill Co %d", i), fmt.Sprintf("BackfillCo%d", i))
	}
	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	tooMany := http.Header{"Retry-After": {"0"}}
	e.cwSrv.Inject(connectwisetest.Route("GET", "company/companies"), 1, connectwisetest.Fault{Status: http.StatusTooManyRequests, Header: tooMany})
	e.hsSrv.InjectOp(hubspottest.OpBatchUpsert, 1, hubspottest.Fault{Status: http.StatusTooManyRequests, Header: tooMany})
	rep, err := e.eng.Backfill(e.ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 5, rep.Count("companies", syncer.OutcomeCreated))
	e.assertCallsMatchFakes(rep, 1, 1)
}

// Sides that count calls but not retries keep working: their retries read 0.
func TestReportRetriesOfSidesWithoutACounter(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
	rep, err := e.eng.Run(context.Background())
	require.NoError(t, err)
	assert.Positive(t, rep.Calls[syncer.SideHubSpot])
	assert.Positive(t, rep.Calls[syncer.SideConnectWise])
	assert.Zero(t, rep.Retries[syncer.SideHubSpot])
	assert.Zero(t, rep.Retries[syncer.SideConnectWise])
}

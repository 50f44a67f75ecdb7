package syncer_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

// A HubSpot contact is created in ConnectWise, but HubSpot refuses the
// write-back of the new ConnectWise ID (one input of the batch update fails in
// a 207). The record is dead-lettered; when it is retried, after the
// ConnectWise feed moved past the new record, the write-back is sent: the
// retry reads both sides instead of taking the unchanged HubSpot record for
// an echo (found by TestRandomAllObjectsWithFaults).
func TestDeadLetterRetryWritesBack(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault hubspottest.InputFault
	}{
		{"transient", hubspottest.InputFault{}},
		{"refused", hubspottest.InputFault{Category: hubspot.CategoryValidation}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, spec("companies", "contacts"), nil)
			hs := e.hsCreate("contacts", map[string]string{"email": "hank@globex.example", "firstname": "Hank"})
			inj := e.hsSrv.FailInputs(hubspottest.OpBatchUpdate, 1, func(hubspottest.BatchInput) *hubspottest.InputFault {
				return &tc.fault
			})
			rep := e.run()
			require.Equal(t, 1, inj.Hits())
			require.Len(t, rep.Errors(), 1)
			cw := e.link("contacts", 58000)
			require.Equal(t, hs, cw.HubSpotID)
			for range 3 { // the ConnectWise feed moves past the new record
				e.clk.Add(10 * time.Minute)
				e.run()
			}
			_, err := e.eng.RetryNow(e.ctx, "")
			require.NoError(t, err)
			rep = e.run()
			require.Empty(t, rep.Errors(), rep.String())
			r, _ := e.hsSrv.Record("contacts", hs)
			assert.Equal(t, "58000", r.Properties["cw_contact_id"], rep.String())
			dls, err := e.eng.DeadLetters(e.ctx, "")
			require.NoError(t, err)
			assert.Empty(t, dls)
			e.resetCalls()
			rep = e.run()
			assert.Zero(t, e.writes(), rep.String())
		})
	}
}

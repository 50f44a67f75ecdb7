package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/syncer"
)

// Duplicate emails in ConnectWise are reported as ambiguous, never guessed.
func TestAmbiguousMatches(t *testing.T) {
	e := newEnv(t, spec("contacts"), nil)
	e.cwContact("Dee", "One", "dup@example.com", 0)
	e.cwContact("Dee", "Two", "dup@example.com", 0)
	e.cwContact("Eve", "One", "eve@example.com", 0)
	e.cwContact("Eve", "Two", "eve@example.com", 0)
	e.hsCreate("contacts", map[string]string{"email": "eve@example.com", "firstname": "Eve"})

	rep := e.run()
	t.Log("\n" + rep.String())
	assert.Equal(t, 5, rep.Count("contacts", syncer.OutcomeAmbiguous), "4 in ConnectWise, 1 in HubSpot")
	assert.Len(t, e.hsAll("contacts"), 1, "nothing created for ambiguous records")
	for _, r := range rep.Records {
		if r.Outcome == syncer.OutcomeAmbiguous {
			assert.Contains(t, r.Detail, "@example.com")
		}
	}
	assert.Equal(t, 1, countEmail(e.cwSrv.Records(connectwisetest.Contacts), "eve@example.com")-1)
}

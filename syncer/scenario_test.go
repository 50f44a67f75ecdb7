package syncer_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// The quickstart's story with the default mapping both ways: a realistic MSP
// dataset is migrated (some HubSpot records exist already, ConnectWise has
// duplicate emails, a name has quotes and accents), edits are made in
// ConnectWise, an incremental pass carries them, and a quiet pass writes
// nothing.
func TestMSPScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("larger dataset")
	}
	var e *env
	e = newEnv(t, mapping.Default(), func(c *syncer.Config) {
		c.Lookups = dealLookups(&e, map[string]string{"1": "appointmentscheduled", "2": "qualifiedtobuy",
			"3": "presentationscheduled", "4": "decisionmakerboughtin", "5": "contractsent", "6": "closedwon", "7": "closedlost"})
	})
	e.hsSrv.AddOwner(hubspottest.Owner{Email: "jsmith@example.com", FirstName: "John", LastName: "Smith"})
	e.hsSrv.AddOwner(hubspottest.Owner{Email: "amiller@example.com", FirstName: "Anna", LastName: "Miller"})
	const companies, contactsEach = 200, 5
	e.seedCompanies(companies, contactsEach)
	quoted, err := e.cwSrv.Create(connectwisetest.Companies, map[string]any{"name": `Café "Zürich" & Söhne`, "identifier": "CafeZurich",
		"addressLine1": "Bahnhofstr. 1", "city": "Zürich"})
	require.NoError(t, err)
	// Two ConnectWise contacts share an email.
	e.cwContact("Dana", "Dup", "dup@example.com", int(quoted["id"].(float64)))
	e.cwContact("Dana", "Dupe", "dup@example.com", int(quoted["id"].(float64)))
	contacts := e.cwSrv.Records(connectwisetest.Contacts)
	for i := range 50 {
		ct := contacts[i*contactsEach]
		co := int(ct["company"].(map[string]any)["id"].(float64))
		e.cwOpportunity(fmt.Sprintf("Deal %d", i), co, int(ct["id"].(float64)), float64(1000+i))
	}
	firstCompany := int(e.cwSrv.Records(connectwisetest.Companies)[0]["id"].(float64))
	firstContact := int(contacts[0]["id"].(float64))
	// HubSpot already holds some companies and contacts.
	for i := range 10 {
		e.hsCreate("companies", map[string]string{"name": fmt.Sprintf("Company %03d", i), "cw_company_identifier": fmt.Sprintf("Co%03d", i)})
		e.hsCreate("contacts", map[string]string{"email": fmt.Sprintf("p0.c%d@example.com", i), "firstname": "First0"})
	}

	var last syncer.Progress
	rep, err := e.eng.Backfill(e.ctx, &syncer.BackfillOptions{Progress: func(p syncer.Progress) { last = p }})
	require.NoError(t, err)
	t.Log("\n" + rep.String())
	assert.Equal(t, 2, rep.Count("contacts", syncer.OutcomeAmbiguous))
	assert.Len(t, rep.Errors(), 0)
	assert.Equal(t, 10, rep.Count("companies", syncer.OutcomeLinked))
	assert.Equal(t, 10, rep.Count("contacts", syncer.OutcomeLinked))
	assert.Equal(t, 50, rep.Count("deals", syncer.OutcomeCreated))
	assert.Equal(t, "deals", last.Object)
	e.assertNoDuplicates()

	// Edits in ConnectWise, then an incremental pass.
	e.clk.Add(10 * 60e9)
	_, err = e.cwSrv.Update(connectwisetest.Companies, firstCompany, map[string]any{"name": "Company 000 Ltd"})
	require.NoError(t, err)
	_, err = e.cwSrv.Update(connectwisetest.Contacts, firstContact, map[string]any{"title": "CIO"})
	require.NoError(t, err)
	rep = e.run()
	t.Log("\n" + rep.String())
	require.Empty(t, rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeUpdated))
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeUpdated))

	e.hsSrv.ResetCalls()
	e.cwSrv.ResetCalls()
	rep = e.run()
	require.Empty(t, rep.Errors())
	assert.Zero(t, e.writes(), rep.String())
}

package syncer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
)

// EnsureSchema creates what is missing once, reports drift without changing
// it, and reports ConnectWise custom fields that do not exist.
func TestEnsureSchema(t *testing.T) {
	s := spec("companies", "contacts")
	s.Objects[0].Fields = append(s.Objects[0].Fields,
		mapping.FieldMapping{HubSpot: "cw_partner", ConnectWise: "customFields[caption=Partner Name]/value",
			Property: &mapping.PropertyDef{Label: "Partner", Type: "string", FieldType: "text"}},
		mapping.FieldMapping{HubSpot: "cw_tier", ConnectWise: "customFields[caption=Tier]/value",
			Property: &mapping.PropertyDef{Label: "Tier", Type: "string", FieldType: "text"}})
	e := newEnv(t, s, func(c *syncer.Config) {})
	// newEnv ensured the schema once already: everything exists now.
	rep, err := e.eng.EnsureSchema(e.ctx)
	require.NoError(t, err)
	t.Log("\n" + rep.String())
	assert.Zero(t, rep.Count(syncer.SchemaCreated))
	assert.Zero(t, rep.Count(syncer.SchemaDrift))
	require.Equal(t, 1, rep.Count(syncer.SchemaMissing), "Tier is not a ConnectWise custom field")
	for _, it := range rep.Items {
		if it.Outcome == syncer.SchemaMissing {
			assert.Equal(t, "Tier", it.Name)
			assert.Equal(t, "company/companies", it.Object)
		}
	}
	p, _, err := e.hsc.Properties.Get(e.ctx, "companies", mapping.PropCWCompanyID)
	require.NoError(t, err)
	assert.True(t, p.HasUniqueValue, "identity properties are unique")

	// A property someone changed by hand is reported, not overwritten.
	_, _, err = e.hsc.Properties.Update(e.ctx, "companies", "cw_company_status", &hubspot.PropertyUpdate{Label: hubspot.Ptr("Status (edited)")})
	require.NoError(t, err)
	rep, err = e.eng.EnsureSchema(e.ctx)
	require.NoError(t, err)
	require.Equal(t, 1, rep.Count(syncer.SchemaDrift), rep.String())
	p, _, err = e.hsc.Properties.Get(e.ctx, "companies", "cw_company_status")
	require.NoError(t, err)
	assert.Equal(t, "Status (edited)", p.Label)
}

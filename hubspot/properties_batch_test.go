package hubspot

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPropertiesBatchCreateMapsExistingNames(t *testing.T) {
	c, mux, _ := setup(t)
	answer, err := os.ReadFile("testdata/properties-batch-create-207-exists.json")
	require.NoError(t, err)
	mux.HandleFunc("POST /crm/properties/2026-09/companies/batch/create", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"inputs":[
			{"name":"cw_company_id","label":"ConnectWise id","type":"string","fieldType":"text","groupName":"companyinformation","hasUniqueValue":true},
			{"name":"cw_site","label":"ConnectWise site","type":"string","fieldType":"text","groupName":"companyinformation"}]}`)
		writeJSON(w, 207, string(answer))
	})
	defs := []*PropertyCreate{
		{Name: "cw_company_id", Label: "ConnectWise id", Type: PropertyTypeString, FieldType: FieldTypeText, GroupName: "companyinformation", HasUniqueValue: true},
		{Name: "cw_site", Label: "ConnectWise site", Type: PropertyTypeString, FieldType: FieldTypeText, GroupName: "companyinformation"},
		{Name: "cw_site", Label: "again", Type: PropertyTypeString, FieldType: FieldTypeText, GroupName: "companyinformation"},
		{Name: "no_type", Label: "x", GroupName: "companyinformation"},
	}
	got, _, err := c.Properties.BatchCreate(context.Background(), ObjectCompanies, defs)
	require.Len(t, got, 1)
	assert.Equal(t, "cw_site", got[0].Name)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Failures, 3)
	assert.Equal(t, 0, be.Failures[0].Index, "the existing name maps back to its input through context.name")
	assert.ErrorIs(t, be.Failures[0].Err, ErrConflict)
	assert.Equal(t, 2, be.Failures[1].Index, "a repeated name is rejected before sending")
	assert.Equal(t, 3, be.Failures[2].Index, "an incomplete definition is rejected before sending")
	var ie *InputError
	require.ErrorAs(t, be.Failures[2].Err, &ie)
	assert.Equal(t, "type", ie.Field)
}

func TestPropertiesBatchArchive(t *testing.T) {
	c, mux, _ := setup(t, WithAPIVersion(VersionLegacy))
	mux.HandleFunc("POST /crm/v3/properties/deals/batch/archive", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"inputs":[{"name":"a"},{"name":"b"}]}`)
		w.WriteHeader(http.StatusNoContent)
	})
	_, err := c.Properties.BatchArchive(context.Background(), ObjectDeals, []string{"a", "b", "a"})
	var be *BatchError
	require.ErrorAs(t, err, &be, "the repeated name is rejected; the others are archived")
	require.Len(t, be.Failures, 1)
	assert.Equal(t, 2, be.Failures[0].Index)
}

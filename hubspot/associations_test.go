package hubspot

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssociationsCreateBatchLabelled(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/associations/2026-09/contacts/companies/batch/create", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"inputs":[
			{"from":{"id":"211762804612"},"to":{"id":"29013756946"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]},
			{"from":{"id":"211762804612"},"to":{"id":"211762804612"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]},
			{"from":{"id":"5"},"to":{"id":"unknown_1"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}]}]}`)
		writeJSON(w, 207, `{"status":"COMPLETE","results":[{"fromObjectTypeId":"0-1","fromObjectId":211762804612,"toObjectTypeId":"0-2","toObjectId":29013756946,"labels":["Primary"]}],
			"errors":[{"status":"error","category":"VALIDATION_ERROR","subCategory":"crm.associations.INVALID_IDENTIFIER","message":"unknown_1 is not a valid ID","context":{"id":["unknown_1"]}},
			{"status":"error","category":"VALIDATION_ERROR","message":"Object 211762804612 cannot be associated to itself (211762804612)"}],"numErrors":2}`)
	})
	res, _, err := c.Associations.CreateBatch(context.Background(), ObjectContacts, ObjectCompanies, []AssociationInput{
		{FromID: "211762804612", ToID: "29013756946", Types: []AssociationSpec{DefinedType(ContactToCompanyPrimary)}},
		{FromID: "211762804612", ToID: "211762804612", Types: []AssociationSpec{DefinedType(ContactToCompany)}},
		{FromID: "5", ToID: "unknown_1", Types: []AssociationSpec{DefinedType(ContactToCompany)}},
		{FromID: "6", ToID: "7"},
	})
	require.Len(t, res, 1)
	assert.Equal(t, AssociationResult{FromObjectTypeID: "0-1", FromID: "211762804612", ToObjectTypeID: "0-2", ToID: "29013756946", Labels: []string{"Primary"}}, res[0])
	var be *BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Failures, 3)
	assert.Equal(t, 2, be.Failures[0].Index, "unknown to-id maps to its input")
	assert.Equal(t, 3, be.Failures[1].Index, "input without types rejected before sending")
	assert.Equal(t, -1, be.Failures[2].Index, "an error naming no id stays unmatched")
}

func TestAssociationsCreateDefaultBatchLegacyPath(t *testing.T) {
	c, mux, _ := setup(t, WithAPIVersion(VersionLegacy))
	mux.HandleFunc("POST /crm/v4/associations/deals/contacts/batch/associate/default", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"inputs":[{"from":{"id":"1"},"to":{"id":"2"}}]}`)
		writeJSON(w, 200, `{"status":"COMPLETE","results":[{"fromObjectTypeId":"0-3","fromObjectId":1,"toObjectTypeId":"0-1","toObjectId":2,"labels":[]}]}`)
	})
	res, _, err := c.Associations.CreateDefaultBatch(context.Background(), ObjectDeals, ObjectContacts, []AssociationPair{{FromID: "1", ToID: "2"}})
	require.NoError(t, err)
	assert.Equal(t, "2", res[0].ToID)
}

func TestAssociationsReadBatchPagesAndTreatsNoAssociationsAsEmpty(t *testing.T) {
	c, mux, _ := setup(t)
	var bodies []string
	mux.HandleFunc("POST /crm/associations/2026-09/contacts/companies/batch/read", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Inputs []struct {
				ID    string `json:"id"`
				After string `json:"after"`
			} `json:"inputs"`
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		b, _ := json.Marshal(body)
		bodies = append(bodies, string(b))
		if body.Inputs[0].After == "" {
			writeJSON(w, 207, `{"status":"COMPLETE","results":[{"from":{"id":"501"},"to":[{"toObjectId":29022297485,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":1,"label":"Primary"},{"category":"HUBSPOT_DEFINED","typeId":279,"label":null}]}],"paging":{"next":{"after":"MjkwMjIyOTc0ODU%3D"}}}],
				"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","subCategory":"crm.associations.NO_ASSOCIATIONS_FOUND","message":"No company is associated with contact 103107104018.","context":{"fromObjectId":["103107104018"],"fromObjectType":["contact"],"toObjectType":["company"]}}],"numErrors":1}`)
			return
		}
		writeJSON(w, 200, `{"status":"COMPLETE","results":[{"from":{"id":"501"},"to":[{"toObjectId":"77","associationTypes":[{"category":"USER_DEFINED","typeId":9,"label":"Billing"}]}]}]}`)
	})
	got, _, err := c.Associations.ReadBatch(context.Background(), ObjectContacts, ObjectCompanies, []string{"501", "103107104018"})
	require.NoError(t, err)
	require.Len(t, bodies, 2)
	assert.JSONEq(t, `{"inputs":[{"id":"501","after":"MjkwMjIyOTc0ODU%3D"}]}`, bodies[1])
	assert.Equal(t, []AssociatedObject{
		{ID: "29022297485", Types: []AssociationType{{Category: "HUBSPOT_DEFINED", TypeID: 1, Label: "Primary"}, {Category: "HUBSPOT_DEFINED", TypeID: 279}}},
		{ID: "77", Types: []AssociationType{{Category: "USER_DEFINED", TypeID: 9, Label: "Billing"}}},
	}, got["501"])
	assert.Empty(t, got["103107104018"])
	assert.Contains(t, got, "103107104018")
}

func TestAssociationsReadBatchSplitsAt1000(t *testing.T) {
	c, mux, _ := setup(t)
	var sizes []int
	mux.HandleFunc("POST /crm/associations/2026-09/deals/companies/batch/read", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Inputs []json.RawMessage `json:"inputs"`
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		sizes = append(sizes, len(body.Inputs))
		writeJSON(w, 200, `{"status":"COMPLETE","results":[]}`)
	})
	uniq := make([]string, 2500)
	for i := range uniq {
		uniq[i] = strconv.Itoa(i + 1)
	}
	_, _, err := c.Associations.ReadBatch(context.Background(), ObjectDeals, ObjectCompanies, uniq)
	require.NoError(t, err)
	total := 0
	for _, s := range sizes {
		assert.LessOrEqual(t, s, MaxAssociationReadInputs)
		total += s
	}
	assert.Equal(t, len(uniq), total)
}

func TestAssociationsArchiveGroupsByFrom(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/associations/2026-09/contacts/companies/batch/archive", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"inputs":[{"from":{"id":"1"},"to":[{"id":"10"},{"id":"11"}]},{"from":{"id":"2"},"to":[{"id":"10"}]}]}`)
		w.WriteHeader(204)
	})
	_, err := c.Associations.ArchiveBatch(context.Background(), ObjectContacts, ObjectCompanies, []AssociationPair{{"1", "10"}, {"2", "10"}, {"1", "11"}})
	require.NoError(t, err)
}

func TestAssociationsArchiveLabels(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/associations/2026-09/contacts/companies/batch/labels/archive", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"inputs":[{"from":{"id":"1"},"to":{"id":"10"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":9}]}]}`)
		w.WriteHeader(204)
	})
	_, err := c.Associations.ArchiveLabelsBatch(context.Background(), ObjectContacts, ObjectCompanies, []AssociationInput{{FromID: "1", ToID: "10", Types: []AssociationSpec{{Category: AssociationUserDefined, TypeID: 9}}}})
	require.NoError(t, err)
}

func TestAssociationLabels(t *testing.T) {
	for _, tc := range []struct {
		v    APIVersion
		path string
	}{{Version202603, "/crm/associations/2026-03/contacts/companies/labels"}, {VersionLegacy, "/crm/associations/v4/contacts/companies/labels"}} {
		c, mux, _ := setup(t, WithAPIVersion(tc.v))
		mux.HandleFunc("GET "+tc.path, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"results":[{"category":"HUBSPOT_DEFINED","typeId":279,"label":null},{"category":"USER_DEFINED","typeId":9,"label":"Billing"}]}`)
		})
		labels, _, err := c.Associations.Labels(context.Background(), ObjectContacts, ObjectCompanies)
		require.NoError(t, err)
		assert.Equal(t, AssociationLabel{Category: "USER_DEFINED", TypeID: 9, Label: "Billing"}, labels[1])
	}
}

func TestAssociationTypeConstants(t *testing.T) {
	// hubspot-api.md §7 table.
	assert.Equal(t, 279, ContactToCompany)
	assert.Equal(t, 1, ContactToCompanyPrimary)
	assert.Equal(t, 280, CompanyToContact)
	assert.Equal(t, 341, DealToCompany)
	assert.Equal(t, 5, DealToCompanyPrimary)
	assert.Equal(t, 3, DealToContact)
	assert.Equal(t, 4, ContactToDeal)
	assert.Equal(t, 339, TicketToCompany)
	assert.Equal(t, "HUBSPOT_DEFINED/279", DefinedType(ContactToCompany).String())
}

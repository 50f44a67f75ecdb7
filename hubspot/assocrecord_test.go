package hubspot

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssociationsRecordLevelPaths(t *testing.T) {
	for _, tc := range []struct {
		version APIVersion
		prefix  string
	}{{Version202609, "/crm/objects/2026-09"}, {Version202603, "/crm/objects/2026-03"}, {VersionLegacy, "/crm/v4/objects"}} {
		t.Run(string(tc.version), func(t *testing.T) {
			c, mux, _ := setup(t, WithAPIVersion(tc.version))
			base := tc.prefix + "/contacts/11/associations/"
			mux.HandleFunc("GET "+base+"companies", func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, "7", r.URL.Query().Get("after"))
				assert.Equal(t, "2", r.URL.Query().Get("limit"))
				// v4 sends toObjectId as a number, newer specs as a string.
				writeJSON(w, 200, `{"results":[{"toObjectId":22,"associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":1,"label":"Primary"},{"category":"HUBSPOT_DEFINED","typeId":279,"label":null}]},
					{"toObjectId":"23","associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":279,"label":null}]}],"paging":{"next":{"after":"23","link":"x"}}}`)
			})
			mux.HandleFunc("PUT "+base+"companies/22", func(w http.ResponseWriter, r *http.Request) {
				testJSONBody(t, r, `[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":1}]`)
				writeJSON(w, 200, `{"fromObjectTypeId":"0-1","fromObjectId":11,"toObjectTypeId":"0-2","toObjectId":22,"labels":["Primary"]}`)
			})
			mux.HandleFunc("PUT "+base+"default/companies/22", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, 200, `{"status":"COMPLETE","results":[{"from":{"id":"11"},"to":{"id":"22"},"associationSpec":{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":279}}]}`)
			})
			mux.HandleFunc("DELETE "+base+"companies/22", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
			ctx := context.Background()

			got, resp, err := c.Associations.List(ctx, ObjectContacts, "11", ObjectCompanies, &AssociationListOptions{Limit: 2, After: "7"})
			require.NoError(t, err)
			assert.Equal(t, "23", resp.NextAfter)
			require.Len(t, got, 2)
			assert.Equal(t, "22", got[0].ID)
			assert.Equal(t, "23", got[1].ID)
			assert.Equal(t, AssociationType{Category: "HUBSPOT_DEFINED", TypeID: 1, Label: "Primary"}, got[0].Types[0])

			res, _, err := c.Associations.Create(ctx, ObjectContacts, "11", ObjectCompanies, "22", []AssociationSpec{DefinedType(ContactToCompanyPrimary)})
			require.NoError(t, err)
			assert.Equal(t, &AssociationResult{FromObjectTypeID: "0-1", FromID: "11", ToObjectTypeID: "0-2", ToID: "22", Labels: []string{"Primary"}}, res)
			_, err = c.Associations.CreateDefault(ctx, ObjectContacts, "11", ObjectCompanies, "22")
			require.NoError(t, err)
			_, err = c.Associations.Delete(ctx, ObjectContacts, "11", ObjectCompanies, "22")
			require.NoError(t, err)

			_, _, err = c.Associations.Create(ctx, ObjectContacts, "11", ObjectCompanies, "22", nil)
			var ie *InputError
			assert.ErrorAs(t, err, &ie, "no types: refused before sending")
			_, err = c.Associations.Delete(ctx, ObjectContacts, "", ObjectCompanies, "22")
			assert.Error(t, err)
		})
	}
}

package hubspottest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOwners(t *testing.T) {
	s := NewServer(t, Options{})
	for _, p := range []string{"/crm/v3/owners", "/crm/owners/2026-09", "/crm/owners/2026-03"} {
		r := call(t, s, "GET", p, nil)
		require.Equal(t, http.StatusOK, r.Status, p)
		res := r.list("results")
		require.Len(t, res, 2, "archived owners are listed only with archived=true")
		o := res[0]
		assert.IsType(t, "", o["id"])
		assert.IsType(t, float64(0), o["userId"])
		assert.Equal(t, "PERSON", o["type"])
		assert.NotEmpty(t, o["teams"])
	}
	r := call(t, s, "GET", "/crm/v3/owners?archived=true", nil)
	arch := r.list("results")
	require.Len(t, arch, 1)
	assert.Nil(t, arch[0]["userId"])
	assert.Equal(t, true, arch[0]["archived"])

	r = call(t, s, "GET", "/crm/v3/owners?limit=1", nil)
	require.Len(t, r.list("results"), 1)
	after := r.JSON["paging"].(map[string]any)["next"].(map[string]any)["after"].(string)
	r = call(t, s, "GET", "/crm/v3/owners?limit=1&after="+after, nil)
	assert.Equal(t, after, r.list("results")[0]["id"])
	assert.NotContains(t, r.JSON, "paging")

	r = call(t, s, "GET", "/crm/v3/owners?email=SAM.SALES@example.com", nil)
	require.Len(t, r.list("results"), 1)
	id := r.list("results")[0]["id"].(string)
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/owners/2026-09/"+id, nil).Status)
	assert.Equal(t, http.StatusNotFound, call(t, s, "GET", "/crm/owners/2026-09/1", nil).Status)
}

func TestPipelines(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "GET", "/crm/v3/pipelines/deals", nil)
	require.Equal(t, http.StatusOK, r.Status)
	p := r.list("results")[0]
	assert.Equal(t, "default", p["id"])
	stages := p["stages"].([]any)
	require.Len(t, stages, 7)
	won := stages[5].(map[string]any)
	assert.Equal(t, map[string]any{"isClosed": "true", "probability": "1.0"}, won["metadata"])
	assert.Equal(t, "1970-01-01T00:00:00Z", won["createdAt"])
	assert.Equal(t, http.StatusOK, call(t, s, "GET", "/crm/pipelines/2026-09/tickets/0", nil).Status)
	r = call(t, s, "GET", "/crm/pipelines/2026-03/0-3/default/stages", nil)
	assert.Len(t, r.list("results"), 7)
	assert.Equal(t, http.StatusNotFound, call(t, s, "GET", "/crm/v3/pipelines/deals/nope", nil).Status)

	require.NoError(t, s.AddPipeline("deals", Pipeline{ID: "msp", Label: "MSP", Stages: []Stage{
		{ID: "new", Label: "New", Metadata: map[string]string{"isClosed": "false", "probability": "0.1"}},
		{ID: "won", Label: "Won", DisplayOrder: 1, Metadata: map[string]string{"isClosed": "true", "probability": "1.0"}},
	}}))
	assert.Error(t, s.AddPipeline("contacts", Pipeline{ID: "x"}))
	r = call(t, s, "POST", "/crm/v3/objects/deals", map[string]any{"properties": map[string]string{"dealname": "x", "pipeline": "msp", "dealstage": "closedwon"}})
	assert.Equal(t, http.StatusBadRequest, r.Status, "the stage must belong to the deal's pipeline")
	r = call(t, s, "POST", "/crm/v3/objects/deals", map[string]any{"properties": map[string]string{"dealname": "x", "pipeline": "msp", "dealstage": "won"}})
	require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
	assert.Equal(t, "true", props(r.JSON)["hs_is_closed_won"])
}

func TestListsAndMemberships(t *testing.T) {
	s := NewServer(t, Options{})
	var ids []string
	for i := range 5 {
		ids = append(ids, mustCreate(t, s, "contacts", map[string]string{"email": fmt.Sprintf("l%d@example.com", i)}))
	}
	listID, err := s.CreateList("contacts", "Sync to ConnectWise", ids[:3]...)
	require.NoError(t, err)
	r := call(t, s, "GET", "/crm/lists/2026-09/"+listID, nil)
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	l := r.JSON["list"].(map[string]any)
	assert.Equal(t, "0-1", l["objectTypeId"])
	assert.Equal(t, "MANUAL", l["processingType"])
	assert.EqualValues(t, 3, l["size"])

	r = call(t, s, "GET", "/crm/v3/lists/"+listID+"/memberships?limit=2", nil)
	require.Equal(t, http.StatusOK, r.Status)
	res := r.list("results")
	require.Len(t, res, 2)
	assert.Equal(t, ids[0], res[0]["recordId"])
	assert.NotEmpty(t, res[0]["membershipTimestamp"])
	assert.EqualValues(t, 3, r.JSON["total"])
	next := r.JSON["paging"].(map[string]any)["next"].(map[string]any)
	link, err := url.Parse(next["link"].(string))
	require.NoError(t, err)
	r = call(t, s, "GET", link.RequestURI(), nil)
	assert.Equal(t, ids[2], r.list("results")[0]["recordId"])

	r = call(t, s, "PUT", "/crm/lists/2026-03/"+listID+"/memberships/add", []string{ids[3], "999"})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	assert.Equal(t, []any{ids[3]}, r.JSON["recordsIdsAdded"], "spelled as in HubSpot's spec")
	assert.Equal(t, []any{"999"}, r.JSON["recordIdsMissing"])
	r = call(t, s, "PUT", "/crm/lists/2026-03/"+listID+"/memberships/add-and-remove", map[string]any{"recordIdsToAdd": []string{ids[4]}, "recordIdsToRemove": []string{ids[0]}})
	assert.Equal(t, []any{ids[0]}, r.JSON["recordIdsRemoved"])
	call(t, s, "PUT", "/crm/v3/lists/"+listID+"/memberships/remove", []string{ids[1]})
	assert.Equal(t, []string{ids[2], ids[3], ids[4]}, s.ListMembers(listID))
	assert.Equal(t, http.StatusNotFound, call(t, s, "GET", "/crm/v3/lists/424242", nil).Status)

	r = call(t, s, "POST", "/crm/lists/2026-09", map[string]any{"name": "Dynamic", "objectTypeId": "0-2", "processingType": "DYNAMIC"})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	dyn := r.JSON["list"].(map[string]any)["listId"].(string)
	assert.Equal(t, http.StatusBadRequest, call(t, s, "PUT", "/crm/lists/2026-09/"+dyn+"/memberships/add", []string{"1"}).Status)
	assert.Equal(t, http.StatusBadRequest, call(t, s, "POST", "/crm/lists/2026-09", map[string]any{"name": "Dynamic", "objectTypeId": "0-2", "processingType": "MANUAL"}).Status)
	assert.True(t, strings.HasPrefix(listID, "1"))
}

package hubspot

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cwIDProperty = `{"name":"cw_company_id","label":"ConnectWise company ID","type":"string","fieldType":"text","description":"","groupName":"connectwise","options":[],"displayOrder":-1,"calculated":false,"externalOptions":false,"hasUniqueValue":true,"hidden":false,"modificationMetadata":{"archivable":true,"readOnlyDefinition":false,"readOnlyValue":false},"formField":false,"dataSensitivity":"non_sensitive","createdUserId":"76070032","updatedUserId":"76070032"}`

func cwIDCreate() *PropertyCreate {
	return &PropertyCreate{Name: "cw_company_id", Label: "ConnectWise company ID", Type: PropertyTypeString, FieldType: FieldTypeText, GroupName: "connectwise", HasUniqueValue: true}
}

func TestPropertiesListGetCreateUpdateArchive(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /crm/properties/2026-09/companies", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, url.Values{"archived": {"true"}, "dataSensitivity": {"sensitive"}})
		writeJSON(w, 200, `{"results":[`+cwIDProperty+`]}`)
	})
	mux.HandleFunc("GET /crm/properties/2026-09/companies/cw_company_id", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, cwIDProperty)
	})
	mux.HandleFunc("POST /crm/properties/2026-09/companies", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"name":"cw_company_id","label":"ConnectWise company ID","type":"string","fieldType":"text","groupName":"connectwise","hasUniqueValue":true}`)
		writeJSON(w, 201, cwIDProperty)
	})
	mux.HandleFunc("PATCH /crm/properties/2026-09/companies/cw_company_id", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"label":"CW id","hidden":false}`)
		writeJSON(w, 200, cwIDProperty)
	})
	mux.HandleFunc("DELETE /crm/properties/2026-09/companies/cw_company_id", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(204)
	})
	ctx := context.Background()
	list, _, err := c.Properties.List(ctx, ObjectCompanies, &PropertyListOptions{Archived: true, DataSensitivity: "sensitive"})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.True(t, list[0].HasUniqueValue)
	assert.Equal(t, "76070032", list[0].CreatedUserID)
	p, _, err := c.Properties.Get(ctx, ObjectCompanies, "cw_company_id")
	require.NoError(t, err)
	assert.Equal(t, "connectwise", p.GroupName)
	_, _, err = c.Properties.Create(ctx, ObjectCompanies, cwIDCreate())
	require.NoError(t, err)
	_, _, err = c.Properties.Update(ctx, ObjectCompanies, "cw_company_id", &PropertyUpdate{Label: Ptr("CW id"), Hidden: Ptr(false)})
	require.NoError(t, err)
	_, err = c.Properties.Archive(ctx, ObjectCompanies, "cw_company_id")
	require.NoError(t, err)
}

func TestPropertyCreateValidation(t *testing.T) {
	c, _, _ := setup(t)
	_, _, err := c.Properties.Create(context.Background(), ObjectContacts, &PropertyCreate{Name: "x", Label: "X", Type: "string", FieldType: "text"})
	require.ErrorIs(t, err, ErrValidation)
	assert.Contains(t, err.Error(), "groupName")
	_, _, err = c.Properties.Create(context.Background(), ObjectContacts, &PropertyCreate{Name: "x", Label: "X", Type: PropertyTypeEnumeration, FieldType: FieldTypeSelect, GroupName: "g"})
	require.ErrorIs(t, err, ErrValidation)
	assert.Contains(t, err.Error(), "options")
}

func TestEnsurePropertyOutcomes(t *testing.T) {
	ctx := context.Background()
	t.Run("created", func(t *testing.T) {
		c, mux, _ := setup(t)
		mux.HandleFunc("GET /crm/properties/2026-09/companies/cw_company_id", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 404, `{"status":"error","message":"Unable to find property","category":"OBJECT_NOT_FOUND"}`)
		})
		mux.HandleFunc("POST /crm/properties/2026-09/companies", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 201, cwIDProperty)
		})
		p, out, err := c.Properties.EnsureProperty(ctx, ObjectCompanies, cwIDCreate())
		require.NoError(t, err)
		assert.Equal(t, EnsureCreated, out)
		assert.Equal(t, "cw_company_id", p.Name)
	})
	t.Run("unchanged", func(t *testing.T) {
		c, mux, _ := setup(t)
		mux.HandleFunc("GET /crm/properties/2026-09/companies/cw_company_id", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, cwIDProperty)
		})
		mux.HandleFunc("POST /crm/properties/2026-09/companies", func(w http.ResponseWriter, r *http.Request) {
			t.Error("must not create an existing property")
		})
		_, out, err := c.Properties.EnsureProperty(ctx, ObjectCompanies, cwIDCreate())
		require.NoError(t, err)
		assert.Equal(t, EnsureUnchanged, out)
	})
	t.Run("drift is reported, not fixed", func(t *testing.T) {
		c, mux, _ := setup(t)
		mux.HandleFunc("GET /crm/properties/2026-09/companies/cw_company_id", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"name":"cw_company_id","label":"Old label","type":"number","fieldType":"number","groupName":"connectwise","hasUniqueValue":false}`)
		})
		mux.HandleFunc("PATCH /crm/properties/2026-09/companies/cw_company_id", func(w http.ResponseWriter, r *http.Request) {
			t.Error("must not change a drifted property")
		})
		p, out, err := c.Properties.EnsureProperty(ctx, ObjectCompanies, cwIDCreate())
		assert.Equal(t, EnsureDrift, out)
		require.NotNil(t, p)
		assert.ErrorIs(t, err, ErrDrift)
		var de *DriftError
		require.ErrorAs(t, err, &de)
		fields := map[string]FieldDiff{}
		for _, d := range de.Diffs {
			fields[d.Field] = d
		}
		assert.Equal(t, FieldDiff{"type", "string", "number"}, fields["type"])
		assert.Equal(t, FieldDiff{"hasUniqueValue", "true", "false"}, fields["hasUniqueValue"])
		assert.Contains(t, fields, "label")
		assert.Contains(t, fields, "fieldType")
		assert.Contains(t, err.Error(), "companies.cw_company_id")
	})
	t.Run("created concurrently", func(t *testing.T) {
		c, mux, _ := setup(t)
		gets := 0
		mux.HandleFunc("GET /crm/properties/2026-09/companies/cw_company_id", func(w http.ResponseWriter, r *http.Request) {
			gets++
			if gets == 1 {
				writeJSON(w, 404, `{"category":"OBJECT_NOT_FOUND","message":"no"}`)
				return
			}
			writeJSON(w, 200, cwIDProperty)
		})
		mux.HandleFunc("POST /crm/properties/2026-09/companies", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 409, `{"status":"error","message":"A property named 'cw_company_id' already exists.","category":"OBJECT_ALREADY_EXISTS","subCategory":"Properties.PROPERTY_WITH_NAME_EXISTS"}`)
		})
		_, out, err := c.Properties.EnsureProperty(ctx, ObjectCompanies, cwIDCreate())
		require.NoError(t, err)
		assert.Equal(t, EnsureUnchanged, out)
	})
}

func TestEnsurePropertyComparesOptionsAsSet(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /crm/properties/2026-09/contacts/cw_type", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"name":"cw_type","label":"Type","type":"enumeration","fieldType":"select","groupName":"g","options":[
			{"label":"B","value":"b","displayOrder":2,"hidden":false},{"label":"A","value":"a","displayOrder":1,"hidden":false}]}`)
	})
	want := &PropertyCreate{Name: "cw_type", Label: "Type", Type: PropertyTypeEnumeration, FieldType: FieldTypeSelect, GroupName: "g",
		Options: []PropertyOption{{Label: "A", Value: "a"}, {Label: "B", Value: "b"}}}
	_, out, err := c.Properties.EnsureProperty(context.Background(), ObjectContacts, want)
	require.NoError(t, err)
	assert.Equal(t, EnsureUnchanged, out)
	want.Options = append(want.Options, PropertyOption{Label: "C", Value: "c"})
	_, out, err = c.Properties.EnsureProperty(context.Background(), ObjectContacts, want)
	assert.Equal(t, EnsureDrift, out)
	assert.ErrorIs(t, err, ErrDrift)
}

func TestPropertyGroups(t *testing.T) {
	c, mux, _ := setup(t)
	group := `{"name":"connectwise","label":"ConnectWise","displayOrder":9,"archived":false}`
	mux.HandleFunc("GET /crm/properties/2026-09/contacts/groups", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"results":[`+group+`]}`)
	})
	mux.HandleFunc("GET /crm/properties/2026-09/contacts/groups/connectwise", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, group)
	})
	mux.HandleFunc("GET /crm/properties/2026-09/contacts/groups/missing", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 404, `{"category":"OBJECT_NOT_FOUND","message":"no group"}`)
	})
	mux.HandleFunc("POST /crm/properties/2026-09/contacts/groups", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"name":"missing","label":"Missing"}`)
		writeJSON(w, 201, `{"name":"missing","label":"Missing","displayOrder":10,"archived":false}`)
	})
	mux.HandleFunc("PATCH /crm/properties/2026-09/contacts/groups/connectwise", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"displayOrder":3}`)
		writeJSON(w, 200, group)
	})
	ctx := context.Background()
	gs, _, err := c.Properties.ListGroups(ctx, ObjectContacts)
	require.NoError(t, err)
	assert.Equal(t, 9, gs[0].DisplayOrder)
	_, _, err = c.Properties.UpdateGroup(ctx, ObjectContacts, "connectwise", &PropertyGroupUpdate{DisplayOrder: Ptr(3)})
	require.NoError(t, err)

	_, out, err := c.Properties.EnsureGroup(ctx, ObjectContacts, &PropertyGroupCreate{Name: "connectwise", Label: "ConnectWise"})
	require.NoError(t, err)
	assert.Equal(t, EnsureUnchanged, out)
	_, out, err = c.Properties.EnsureGroup(ctx, ObjectContacts, &PropertyGroupCreate{Name: "missing", Label: "Missing"})
	require.NoError(t, err)
	assert.Equal(t, EnsureCreated, out)
	_, out, err = c.Properties.EnsureGroup(ctx, ObjectContacts, &PropertyGroupCreate{Name: "connectwise", Label: "CW", DisplayOrder: Ptr(1)})
	assert.Equal(t, EnsureDrift, out)
	var de *DriftError
	require.ErrorAs(t, err, &de)
	assert.Len(t, de.Diffs, 2)
	_, _, err = c.Properties.EnsureGroup(ctx, ObjectContacts, &PropertyGroupCreate{Name: "x"})
	require.ErrorIs(t, err, ErrValidation)
}

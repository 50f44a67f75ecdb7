package connectwise

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// payloadDir holds the recorded ConnectWise payloads of the reference set; the test
// reads them in place when present and skips otherwise.
const payloadDir = "/work/shared/reference/payloads/connectwise"

// decodePayload decodes one payload file by its name, the way the client would.
func decodePayload(t *testing.T, name string, b []byte) any {
	t.Helper()
	strict := func(v any) any {
		require.NoError(t, json.Unmarshal(b, v), name)
		return v
	}
	switch {
	case strings.Contains(name, "error"):
		var e APIError
		e.decodeErrorBody(b)
		require.True(t, e.JSON, name)
		require.NotEmpty(t, e.Code, name)
		return &e
	case strings.HasPrefix(name, "callback-payload"), strings.HasPrefix(name, "callback-company"):
		ev, err := ParseCallback(b)
		require.NoError(t, err, name)
		if ev.Entity != "" {
			var m map[string]any
			require.NoError(t, ev.DecodeEntity(&m), name)
			var c Contact
			require.NoError(t, ev.DecodeEntity(&c), name)
		}
		return ev
	case strings.HasPrefix(name, "callback"):
		return strict(&CallbackEntry{})
	case strings.HasPrefix(name, "communicationtypes"), strings.HasPrefix(name, "communication-types"):
		return strict(&[]CommunicationType{})
	case strings.HasPrefix(name, "company"):
		return strict(&Company{})
	case strings.HasPrefix(name, "contact-communicationitems-patch"), strings.HasPrefix(name, "patch"):
		return strict(&[]PatchOp{})
	case strings.HasPrefix(name, "contact-communicationitems"):
		return strict(&[]CommunicationItem{})
	case strings.HasPrefix(name, "contacts-list"):
		return strict(&[]Contact{})
	case strings.HasPrefix(name, "contact"):
		return strict(&Contact{})
	case strings.HasPrefix(name, "userdefinedfields"):
		return strict(&[]UserDefinedField{})
	case strings.HasPrefix(name, "opportunity"):
		return strict(&Opportunity{})
	case strings.HasPrefix(name, "forecast"):
		f, err := decodeForecast(b)
		require.NoError(t, err, name)
		return f
	}
	t.Fatalf("no model known for payload %s: add it to decodePayload", name)
	return nil
}

func decodeDir(t *testing.T, dir string) map[string]any {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]any{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		out[filepath.Base(f)] = decodePayload(t, filepath.Base(f), b)
	}
	return out
}

// TestReferencePayloadsDecode decodes every recorded payload of the reference set.
func TestReferencePayloadsDecode(t *testing.T) {
	if _, err := os.Stat(payloadDir); err != nil {
		t.Skip("reference payloads not present")
	}
	got := decodeDir(t, payloadDir)

	company := got["company-get.json"].(*Company)
	assert.Equal(t, 200, company.ID)
	assert.Equal(t, "1", *company.UserDefinedField5)
	assert.True(t, *company.DeletedFlag)
	require.NotEmpty(t, company.CustomFields)
	assert.Nil(t, company.CustomFields[0].Value, "no value key at all")
	assert.Equal(t, "CONVERSION", company.Info.EnteredBy)
	assert.NotEmpty(t, company.Info.Extra["contacts_href"])

	contacts := *got["contacts-list-one-with-customfields.json"].(*[]Contact)
	f, ok := contacts[0].CustomFields.ByCaption("is_synced")
	require.True(t, ok)
	assert.Equal(t, "false", f.Value)
	assert.Equal(t, "contact_detail", *f.PodID)

	req := got["contact-create-request.json"].(*Contact)
	assert.Equal(t, 13, req.CommunicationItems[0].Type.ID, "string id decoded")

	udfs := *got["userdefinedfields-contact-screen.json"].(*[]UserDefinedField)
	assert.Equal(t, 4, *udfs[0].PodID)
	assert.Equal(t, "Number", udfs[0].FieldTypeIdentifier)

	ev := got["callback-payload-contact-updated.json"].(*CallbackEvent)
	assert.Equal(t, ActionUpdated, ev.Action)
	assert.Equal(t, 57961, ev.ID)
	assert.Equal(t, "Aurasell", ev.MemberID)
	del := got["callback-payload-contact-deleted.json"].(*CallbackEvent)
	assert.Empty(t, del.Entity)
	assert.ErrorIs(t, del.DecodeEntity(&Contact{}), ErrNoEntity)

	exists := got["callback-create-error-400-objectexists.json"].(*APIError)
	exists.StatusCode = 400
	assert.ErrorIs(t, exists, ErrConflict)
}

// TestOwnFixturesDecode decodes the package's own fixtures, written in the image of
// the recorded payloads.
func TestOwnFixturesDecode(t *testing.T) {
	got := decodeDir(t, "testdata")

	c := got["company.json"].(*Company)
	assert.Equal(t, "NorthwindTr", *c.Identifier)
	assert.InDelta(t, 125000.50, *c.AnnualRevenue, 0.001)
	assert.Equal(t, time.Date(2026, 5, 1, 10, 11, 12, 0, time.UTC), c.Info.LastUpdated.Time)
	assert.Equal(t, "apiuser", c.Info.UpdatedBy)
	tier, _ := c.CustomFields.ByCaption("tier")
	assert.Nil(t, tier.Value)
	assert.False(t, tier.IsSet())
	seats, _ := c.CustomFields.ByID(11)
	assert.Equal(t, "42", seats.String())
	managed, _ := c.CustomFields.ByCaption("Managed")
	assert.Equal(t, "true", managed.String())

	contacts := *got["contacts-list.json"].(*[]Contact)
	require.Len(t, contacts, 2)
	email, ok := contacts[0].DefaultEmail()
	assert.True(t, ok)
	assert.Equal(t, "ada@northwind.example", email)
	assert.Equal(t, []string{"ada.old@northwind.example", "ada@northwind.example"}, contacts[0].Emails())
	phone, _ := contacts[0].DefaultItem(CommunicationPhone)
	assert.Equal(t, 31, phone.Type.ID)
	assert.Nil(t, contacts[1].Company)
	_, ok = contacts[1].DefaultEmail()
	assert.False(t, ok)

	o := got["opportunity.json"].(*Opportunity)
	assert.Equal(t, "jdoe", *o.PrimarySalesRep.Identifier)
	assert.Equal(t, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), o.ExpectedCloseDate.Time)

	fc := got["forecast.json"].(*Forecast)
	require.Len(t, fc.ForecastItems, 2)
	assert.InDelta(t, 14100, *fc.Totals["forecastRevenueTotals"].Revenue, 0.001)

	ev := got["callback-company-updated.json"].(*CallbackEvent)
	var ec Company
	require.NoError(t, ev.DecodeEntity(&ec))
	assert.Equal(t, `Northwind "Traders"`, *ec.Name)
}

func TestLenientDecoding(t *testing.T) {
	var c Contact
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"unknownField":{"x":[1,2]},"company":{"id":"12","name":null},"_info":{"lastUpdated":"not a date","weird":5,"n":null},"customFields":[{"id":"3","value":{"nested":true},"podId":7}]}`), &c))
	assert.Equal(t, 12, c.Company.ID)
	assert.Nil(t, c.Info.LastUpdated)
	assert.Equal(t, "5", c.Info.Extra["weird"])
	assert.Equal(t, 3, c.CustomFields[0].ID)
	assert.Equal(t, "7", *c.CustomFields[0].PodID)
	assert.Equal(t, `{"nested":true}`, c.CustomFields[0].String())

	var tm Time
	for _, s := range []string{`"2026-01-02T03:04:05Z"`, `"2026-01-02T03:04:05"`, `"2026-01-02"`, `"2026-01-02T04:04:05+01:00"`} {
		require.NoError(t, json.Unmarshal([]byte(s), &tm))
		assert.Equal(t, 2026, tm.Year(), s)
	}
	b, err := json.Marshal(NewTime(time.Date(2026, 1, 2, 4, 4, 5, 123, time.FixedZone("x", 3600))))
	require.NoError(t, err)
	assert.Equal(t, `"2026-01-02T03:04:05Z"`, string(b))

	// Info round-trips.
	in := Info{LastUpdated: NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), UpdatedBy: "me", Extra: map[string]string{"a_href": "x"}}
	b, err = json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"lastUpdated":"2026-01-01T00:00:00Z","updatedBy":"me","a_href":"x"}`, string(b))
}

func TestPatchOpJSON(t *testing.T) {
	b, err := json.Marshal([]PatchOp{Replace("status", Ref(3)), Replace("/site", nil), Remove("site"), Add("types/0", Ref(1))})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"op":"replace","path":"/status","value":{"id":3}},{"op":"replace","path":"/site","value":null},{"op":"remove","path":"/site"},{"op":"add","path":"/types/0","value":{"id":1}}]`, string(b))
	assert.Error(t, validatePatch(nil))
	assert.Error(t, validatePatch([]PatchOp{{Op: "move", Path: "/a"}}))
	assert.Error(t, validatePatch([]PatchOp{{Op: "replace", Path: "/"}}))
}

func TestCustomFieldTypedAccess(t *testing.T) {
	var cf CustomFields
	require.NoError(t, json.Unmarshal([]byte(`[{"id":1,"value":42},{"id":2,"value":"3.5"},{"id":3,"value":true},{"id":4,"value":"false"},{"id":5,"value":"2026-02-01T00:00:00Z"},{"id":6,"value":"2026-02-01"},{"id":7},{"id":8,"value":"x"}]`), &cf))
	get := func(id int) CustomField { f, ok := cf.ByID(id); require.True(t, ok); return f }
	n, ok := get(1).Float()
	assert.True(t, ok)
	assert.Equal(t, 42.0, n)
	n, ok = get(2).Float()
	assert.True(t, ok)
	assert.Equal(t, 3.5, n)
	b, ok := get(3).Bool()
	assert.True(t, ok && b)
	b, ok = get(4).Bool()
	assert.True(t, ok && !b)
	tm, ok := get(5).Time()
	assert.True(t, ok)
	assert.Equal(t, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), tm)
	tm2, ok := get(6).Time()
	assert.True(t, ok)
	assert.Equal(t, tm, tm2)
	_, ok = get(7).Float()
	assert.False(t, ok)
	_, ok = get(8).Bool()
	assert.False(t, ok)
	_, ok = get(1).Time()
	assert.False(t, ok)
	assert.Equal(t, "", get(7).String())
}

func TestWithCustomFieldsOp(t *testing.T) {
	name := []PatchOp{Replace("name", "x")}
	got := withCustomFieldsOp("company/companies", name)
	require.Len(t, got, 2)
	assert.Equal(t, Replace("/customFields", []CustomFieldValue{}), got[1])
	assert.Len(t, name, 1, "the caller's slice is left alone")
	b, err := json.Marshal(got[1])
	require.NoError(t, err)
	assert.JSONEq(t, `{"op":"replace","path":"/customFields","value":[]}`, string(b))

	set := []PatchOp{Replace("name", "x"), SetCustomFields(CustomFieldValue{ID: 4, Value: "Gold"})}
	assert.Equal(t, set, withCustomFieldsOp("company/contacts", set), "one /customFields op only")
	assert.Len(t, withCustomFieldsOp("procurement/catalog", name), 2)
	assert.Len(t, withCustomFieldsOp("service/tickets", name), 2)
	assert.Equal(t, name, withCustomFieldsOp("system/callbacks", name), "no custom fields there")
	assert.Equal(t, name, withCustomFieldsOp("sales/opportunities/7/forecast", name))
}

func TestLegacyUserDefinedFields(t *testing.T) {
	var co Company
	require.NoError(t, json.Unmarshal([]byte(`{"id":1,"userDefinedField5":"1","userDefinedField10":"ten"}`), &co))
	assert.Equal(t, "1", *co.UserDefinedField5)
	assert.Equal(t, "ten", *co.UserDefinedField10)
	var ct Contact
	require.NoError(t, json.Unmarshal([]byte(`{"id":2,"userDefinedField1":"a","userDefinedField10":"b"}`), &ct))
	assert.Equal(t, "a", *ct.UserDefinedField1)
	assert.Equal(t, "b", *ct.UserDefinedField10)
	b, err := json.Marshal(Contact{FirstName: Ptr("Ann")})
	require.NoError(t, err)
	assert.NotContains(t, string(b), "userDefinedField", "unset fields are not sent")
}

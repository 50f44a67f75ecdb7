package mapping

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const pathRecord = `{
  "id": 58118, "firstName": "Emma", "nullField": null, "score": 12.50,
  "status": {"id": 1, "name": "Active"},
  "company": {"id": 250, "identifier": "Bob Technology Service"},
  "types": [{"id": 1, "name": "Client"}, {"id": 4, "name": "Prospect"}],
  "communicationItems": [
    {"id": 1, "value": "+1661", "defaultFlag": true, "communicationType": "Phone"},
    {"id": 2, "value": "old@test.com", "defaultFlag": false, "communicationType": "Email"},
    {"id": 3, "value": "emma@test.com", "defaultFlag": true, "communicationType": "Email", "domain": "@test.com"}
  ],
  "customFields": [
    {"id": 15, "caption": "Industry", "type": "Text", "value": "Legal"},
    {"id": 16, "caption": "a,b]=c", "type": "Text", "value": "odd"},
    {"id": 17, "caption": "Seats", "type": "Number"}
  ]
}`

func decode(t testing.TB, s string, useNumber bool) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	if useNumber {
		dec.UseNumber()
	}
	var m map[string]any
	require.NoError(t, dec.Decode(&m))
	return m
}

func TestPathGet(t *testing.T) {
	for _, useNumber := range []bool{false, true} {
		rec := decode(t, pathRecord, useNumber)
		tests := []struct {
			path string
			want string
			ok   bool
		}{
			{"firstName", "Emma", true},
			{"/firstName", "Emma", true},
			{"id", "58118", true},
			{"score", "12.5", true},
			{"nullField", "", false},
			{"missing", "", false},
			{"status/name", "Active", true},
			{"company/id", "250", true},
			{"company/missing", "", false},
			{"firstName/deeper", "", false},
			{"types[0]/name", "Client", true},
			{"types[1]/name", "Prospect", true},
			{"types[2]/name", "", false},
			{"types[name=Client]/id", "1", true},
			{"types[name=Nope]/id", "", false},
			{"communicationItems[communicationType=Email,defaultFlag=true]/value", "emma@test.com", true},
			{"communicationItems[communicationType=Email]/value", "old@test.com", true},
			{"communicationItems[communicationType=Fax]/value", "", false},
			{"customFields[caption=Industry]/value", "Legal", true},
			{"customFields[id=15]/value", "Legal", true},
			{"customFields[caption='a,b]=c']/value", "odd", true},
			{`customFields[caption="a,b]=c"]/value`, "odd", true},
			{"customFields[caption=Seats]/value", "", false},
			{"status[0]/name", "", false}, // not an array
			{"firstName[0]", "", false},
		}
		for _, tt := range tests {
			p, err := ParsePath(tt.path)
			require.NoError(t, err, tt.path)
			v, ok := p.Get(rec)
			assert.Equal(t, tt.ok, ok, tt.path)
			if tt.ok {
				s, _ := scalarString(v)
				if useNumber && tt.path == "score" {
					tt.want = "12.50" // json.Number keeps the literal
				}
				assert.Equal(t, tt.want, s, tt.path)
			}
		}
	}
}

func TestParsePathErrors(t *testing.T) {
	for _, raw := range []string{
		"", "/", "a/", "a//b", "a[", "a[]", "a[x]", "a[=1]", "a[x=1,]", "a[x='1]",
		"a]b", "a[0]b", "a[-1]", "a[x='1'y]", "a=b", "[x=1]",
	} {
		_, err := ParsePath(raw)
		assert.Error(t, err, raw)
		assert.True(t, errors.Is(err, ErrPathSyntax), raw)
	}
	assert.Panics(t, func() { MustParsePath("a[") })
	assert.Equal(t, "a/b", MustParsePath("a/b").String())
	assert.True(t, Path{}.IsZero())
}

func TestPathSet(t *testing.T) {
	rec := map[string]any{}
	require.NoError(t, MustParsePath("firstName").Set(rec, "Ann"))
	require.NoError(t, MustParsePath("status/name").Set(rec, "Active"))
	require.NoError(t, MustParsePath("status/id").Set(rec, json.Number("3")))
	email := MustParsePath("communicationItems[communicationType=Email,defaultFlag=true]/value")
	require.NoError(t, email.Set(rec, "a@b.com"))
	require.NoError(t, MustParsePath("communicationItems[communicationType=Email,defaultFlag=true]/extension").Set(rec, "12"))
	require.NoError(t, MustParsePath("communicationItems[communicationType=Phone,defaultFlag=true]/value").Set(rec, "+1"))
	require.NoError(t, email.Set(rec, "c@d.com")) // overwrites the same element
	err := MustParsePath("types[3]/name").Set(rec, "x")
	assert.ErrorIs(t, err, ErrNotWritable)

	got, err := json.Marshal(rec)
	require.NoError(t, err)
	assert.JSONEq(t, `{"firstName":"Ann","status":{"name":"Active","id":3},
	  "communicationItems":[
	    {"communicationType":"Email","defaultFlag":true,"value":"c@d.com","extension":"12"},
	    {"communicationType":"Phone","defaultFlag":true,"value":"+1"}]}`, string(got))
	v, ok := email.Get(rec)
	assert.True(t, ok)
	assert.Equal(t, "c@d.com", v)

	// Overwrite a scalar in the way of a nested write.
	rec2 := map[string]any{"status": "x", "arr": []any{"scalar"}}
	require.NoError(t, MustParsePath("status/name").Set(rec2, "y"))
	require.NoError(t, MustParsePath("arr[0]/name").Set(rec2, "z"))
	assert.Equal(t, map[string]any{"name": "y"}, rec2["status"])
	assert.Equal(t, []any{map[string]any{"name": "z"}}, rec2["arr"])
	assert.ErrorIs(t, Path{}.Set(rec2, 1), ErrNotWritable)
	assert.ErrorIs(t, MustParsePath("a").Set(nil, 1), ErrNotWritable)
	_, ok = MustParsePath("a/b").Get(nil)
	assert.False(t, ok)
}

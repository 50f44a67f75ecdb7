package connectwisetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseConditions(t *testing.T) {
	cases := []struct{ in, want string }{
		{`name = "Acme"`, `name = "Acme"`},
		{`name='Acme'`, `name = "Acme"`},
		{`company/id = 5`, `company/id = 5`},
		{`id != -12.5`, `id != -12.5`},
		{`id<3 AND id>=1`, `(id < 3 and id >= 1)`},
		{`a = 1 or b = 2 and c = 3`, `(a = 1 or (b = 2 and c = 3))`},
		{`(a = 1 Or b = 2) AnD c = 3`, `((a = 1 or b = 2) and c = 3)`},
		{`lastUpdated > [2016-08-20T18:04:26Z]`, `lastUpdated > [2016-08-20T18:04:26Z]`},
		{`lastUpdated >= [2016-08-20T18:04:26.5+02:00]`, `lastUpdated >= [2016-08-20T16:04:26Z]`},
		{`board/id in (3,2,4)`, `board/id in (3, 2, 4)`},
		{`status/name not in ("Won", 'Lost')`, `status/name not in ("Won", "Lost")`},
		{`name like "Fred%"`, `name like "Fred%"`},
		{`name NOT LIKE 'x*'`, `name not like "x*"`},
		{`summary contains "test"`, `summary contains "test"`},
		{`summary not contains "test"`, `summary not contains "test"`},
		{`not (a = 1)`, `not a = 1`},
		{`closedFlag = false and deletedFlag = TRUE`, `(closedFlag = false and deletedFlag = true)`},
		{`value != null`, `value != null`},
		{`name = "O\"Brien [x] (y), and 'z'"`, `name = "O\"Brien [x] (y), and 'z'"`},
		{`name = 'O\'Brien'`, `name = "O'Brien"`},
		{`name = 'O''Brien'`, `name = "O'Brien"`},
		{`name = "back\\slash"`, `name = "back\\slash"`},
		{`  `, ``},
		// The example from connectwise-rest's README (connectwise-api.md §4).
		{`(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test" AND summary != "Some Summary"`,
			`(((contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z]) or (summary contains "test" and summary != "Some Summary"))`},
	}
	for _, tc := range cases {
		e, err := ParseConditions(tc.in)
		require.NoError(t, err, tc.in)
		if tc.want == "" {
			assert.Nil(t, e)
			continue
		}
		assert.Equal(t, tc.want, e.String(), tc.in)
		// The canonical form parses back to itself.
		e2, err := ParseConditions(e.String())
		require.NoError(t, err)
		assert.Equal(t, e.String(), e2.String())
	}
}

func TestParseConditionsErrors(t *testing.T) {
	cases := []struct{ in, msg string }{
		{`name = Acme`, "Acme is not a recognized name."},
		{`name = "Acme`, "Unterminated string"},
		{`name = 'Acme\'`, "Unterminated string"},
		{`lastUpdated > [2016-08-20`, "Unterminated DateTime"},
		{`lastUpdated > [yesterday]`, "yesterday is not a valid DateTime. " + LiteralRules},
		{`id = 12abc`, "12abc is not a valid number"},
		{`id = 1.2.3`, "1.2.3 is not a valid number"},
		{`(id = 1`, "Expected ')'"},
		{`id = 1)`, "Unexpected"},
		{`id =`, "Expected a value at the end of conditions. " + LiteralRules},
		{`id`, "Expected an operator"},
		{`id ~ 1`, "Unexpected"},
		{`id ! 1`, "Unexpected '!'"},
		{`id in 1`, "Expected '('"},
		{`id in (1 2)`, "Expected ',' or ')'"},
		{`id not = 1`, "Expected like, contains or in after not"},
		{`id = 1 and`, "Unexpected end of conditions."},
		{`= 1`, "Expected a field name"},
		{`id between 1`, "between is not a recognized operator."},
	}
	for _, tc := range cases {
		_, err := ParseConditions(tc.in)
		var ce *ConditionError
		require.ErrorAs(t, err, &ce, tc.in)
		assert.Equal(t, "ApiFindCondition", ce.Code)
		assert.Contains(t, ce.Message, tc.msg, tc.in)
	}
}

func TestEval(t *testing.T) {
	rec := map[string]any{
		"id": 7.0, "name": "O'Brien & Sons [EU]", "closedFlag": false, "annualRevenue": 1200.5,
		"status":  map[string]any{"id": 1.0, "name": "Active"},
		"company": map[string]any{"id": 250.0},
		"website": nil,
		"types":   []any{map[string]any{"id": 1.0, "name": "Client"}, map[string]any{"id": 3.0, "name": "Vendor"}},
		"_info":   map[string]any{"lastUpdated": "2026-06-09T21:59:49Z"},
		"communicationItems": []any{
			map[string]any{"value": "a@x.com", "communicationType": "Email", "defaultFlag": true},
			map[string]any{"value": "555", "communicationType": "Phone", "defaultFlag": true},
		},
		"customFields": []any{
			map[string]any{"id": 15.0, "caption": "hubspot_contact_id", "value": 42.0},
			map[string]any{"id": 16.0, "caption": "is_synced", "value": "false"},
			map[string]any{"id": 17.0, "caption": "Empty", "value": nil},
		},
	}
	cases := []struct {
		cond string
		want bool
	}{
		{`id = 7`, true},
		{`ID = 7`, true},
		{`id != 7`, false},
		{`id in (1, 7)`, true},
		{`id not in (1, 7)`, false},
		{`id > 6 and id < 8`, true},
		{`id >= 8 or id <= 6`, false},
		{`name = "o'brien & sons [eu]"`, true},
		{`name = 'O''Brien & Sons [EU]'`, true},
		{`name = "O\'Brien & Sons [EU]"`, true},
		{`name like "O'Brien%"`, true},
		{`name like "*Sons*"`, true},
		{`name like "%EU]"`, true},
		{`name like "Sons%"`, false},
		{`name not like "Sons%"`, true},
		{`name contains "sons ["`, true},
		{`name not contains "sons"`, false},
		{`name > "N"`, true},
		{`status/name = "Active"`, true},
		{`status/id = 2`, false},
		{`company/id = 250 and status/id = 1`, true},
		{`types/id = 3`, true},
		{`types/name = "Prospect"`, false},
		{`closedFlag = false`, true},
		{`not closedFlag = true`, true},
		{`website = null`, true},
		{`website != null`, false},
		{`website like "%"`, false},
		{`website not like "x%"`, false},
		{`missing = null`, true},
		{`name = null`, false},
		{`name != null`, true},
		{`annualRevenue > 1200`, true},
		{`annualRevenue = 1200.5`, true},
		{`id = "7"`, true},
		{`lastUpdated > [2026-06-09T21:59:48Z]`, true},
		{`LastUpdated >= [2026-06-09T21:59:49Z] and lastUpdated <= [2026-06-09T21:59:49Z]`, true},
		{`lastUpdated < [2026-01-01T00:00:00Z]`, false},
		{`(id = 1 or id = 7) and not (name = "x")`, true},
	}
	for _, tc := range cases {
		e, err := ParseConditions(tc.cond)
		require.NoError(t, err, tc.cond)
		assert.Equal(t, tc.want, Eval(e, rec), tc.cond)
	}

	child := []struct {
		cond string
		want bool
	}{
		{`communicationItems/value = "a@x.com"`, true},
		{`communicationItems/value like "A@X%" AND communicationItems/communicationType = "Email"`, true},
		// Both tests must hold for the same item.
		{`communicationItems/value = "555" AND communicationItems/communicationType = "Email"`, false},
		{`communicationItems/defaultFlag = true`, true},
	}
	for _, tc := range child {
		e, err := ParseConditions(tc.cond)
		require.NoError(t, err)
		assert.Equal(t, tc.want, EvalChild(e, rec), tc.cond)
	}
	custom := []struct {
		cond string
		want bool
	}{
		{`caption = "hubspot_contact_id" AND value = 42`, true},
		{`caption = "hubspot_contact_id" AND value != null`, true},
		{`caption = "Empty" AND value != null`, false},
		{`caption = "is_synced" AND value = false`, true},
		{`caption = "is_synced" AND value = "false"`, true},
		{`caption = 'nope'`, false},
	}
	for _, tc := range custom {
		e, err := ParseConditions(tc.cond)
		require.NoError(t, err)
		assert.Equal(t, tc.want, EvalCustomFields(e, rec), tc.cond)
	}
	assert.True(t, Eval(nil, rec))
	assert.True(t, EvalChild(nil, rec))
	assert.True(t, EvalCustomFields(nil, rec))
}

// TestQuoteRoundTrip checks the escaping rule the client relies on: any value
// quoted with Quote parses back to itself and matches only itself.
func TestQuoteRoundTrip(t *testing.T) {
	for _, v := range []string{``, `plain`, `O'Brien`, `say "hi"`, `back\slash`, `trailing\`, `[2026-01-01T00:00:00Z]`,
		`a) or (1 = 1`, `x" or name != "`, `%_*`, "uni\u00e9code \u2603", `' and '`} {
		e, err := ParseConditions("name = " + Quote(v))
		require.NoError(t, err, v)
		c := e.(*Comparison)
		assert.Equal(t, v, c.Value.Str)
		assert.True(t, Eval(e, map[string]any{"name": v}), v)
		assert.False(t, Eval(e, map[string]any{"name": v + "x"}), v)
	}
}

func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", "O'Brien", `"`, `\`, "]", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		e, err := ParseConditions("name = " + Quote(v))
		if err != nil {
			t.Fatalf("Quote(%q) does not parse: %v", v, err)
		}
		if got := e.(*Comparison).Value.Str; got != v {
			t.Fatalf("Quote(%q) parses to %q", v, got)
		}
	})
}

func FuzzParseConditions(f *testing.F) {
	for _, s := range []string{`a = 1`, `(a like "x%" or b in (1,2)) and not c = [2020-01-01T00:00:00Z]`, `a = 'O''B'`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseConditions(s)
		if err != nil || e == nil {
			return
		}
		e2, err := ParseConditions(e.String())
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", e.String(), s, err)
		}
		if e2.String() != e.String() {
			t.Fatalf("canonical form not stable: %q vs %q", e.String(), e2.String())
		}
	})
}

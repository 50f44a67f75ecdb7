package connectwise

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConditionForms(t *testing.T) {
	ts := time.Date(2026, 1, 2, 3, 4, 5, 999, time.FixedZone("CET", 3600))
	cases := []struct {
		name string
		c    Condition
		want string
	}{
		{"eq string", Eq("identifier", "ACME"), `identifier = "ACME"`},
		{"ne string", Ne("name", "x"), `name != "x"`},
		{"eq int", Eq("company/id", 250), `company/id = 250`},
		{"eq int64", Eq("id", int64(-7)), `id = -7`},
		{"eq uint", Eq("id", uint16(7)), `id = 7`},
		{"float", Gt("annualRevenue", 1234.5), `annualRevenue > 1234.5`},
		{"float whole", Lt("annualRevenue", 1e6), `annualRevenue < 1000000`},
		{"json number", Le("probability", json.Number("-0.25")), `probability <= -0.25`},
		{"bool", Eq("inactiveFlag", false), `inactiveFlag = false`},
		{"null", Eq("site", nil), `site = null`},
		{"not null", Ne("value", nil), `value != null`},
		{"datetime utc", Ge("lastUpdated", ts), `lastUpdated >= [2026-01-02T02:04:05Z]`},
		{"datetime ptr", Ge("lastUpdated", &ts), `lastUpdated >= [2026-01-02T02:04:05Z]`},
		{"cw time", Lt("_info/lastUpdated", NewTime(ts)), `_info/lastUpdated < [2026-01-02T02:04:05Z]`},
		{"nil time ptr", Eq("closedDate", (*time.Time)(nil)), `closedDate = null`},
		{"like", Like("name", "Fred%"), `name like "Fred%"`},
		{"contains", Contains("summary", "test"), `summary contains "test"`},
		{"in ints", In("id", 1, 2, 3), `id in (1, 2, 3)`},
		{"in strings", In("status/name", "Active", "Lead"), `status/name in ("Active", "Lead")`},
		{"and", And(Eq("a", 1), Eq("b", 2)), `a = 1 AND b = 2`},
		{"or", Or(Eq("a", 1), Eq("b", 2)), `a = 1 OR b = 2`},
		{"grouping", And(Or(Eq("a", 1), Eq("b", 2)), Eq("c", true)), `(a = 1 OR b = 2) AND c = true`},
		{"nested", Or(And(Eq("a", 1), Eq("b", 2)), And(Eq("c", 3), Or(Eq("d", 4), Eq("e", 5)))), `(a = 1 AND b = 2) OR (c = 3 AND (d = 4 OR e = 5))`},
		{"skip zero", And(Condition{}, Eq("a", 1), Condition{}), `a = 1`},
		{"empty and", And(), ``},
		{"not eq", Not(Eq("a", 1)), `a != 1`},
		{"not lt", Not(Lt("a", 1)), `a >= 1`},
		{"not gt", Not(Gt("a", 1)), `a <= 1`},
		{"not like", Not(Like("name", "A%")), `name not like "A%"`},
		{"not contains", Not(Contains("name", "x")), `name not contains "x"`},
		{"not in", Not(In("id", 1, 2)), `id not in (1, 2)`},
		{"double not", Not(Not(In("id", 1))), `id in (1)`},
		{"de morgan", Not(And(Eq("a", 1), Or(Eq("b", 2), Eq("c", 3)))), `a != 1 OR (b != 2 AND c != 3)`},
		{"raw", Raw(`board/name='Integration'`), `board/name='Integration'`},
		{"raw grouped", And(Raw(`a = 1 or b = 2`), Eq("c", 3)), `(a = 1 or b = 2) AND c = 3`},
		{"email child", EmailCondition(" x@y.com "), `communicationItems/value = "x@y.com" AND communicationItems/communicationType = "Email"`},
		{"custom field", CustomFieldCondition("hubspot_contact_id", 42), `caption = "hubspot_contact_id" AND value = 42`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.c.Build()
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.want, tc.c.String())
		})
	}
}

func TestConditionQuotesAndBrackets(t *testing.T) {
	// A name with a quote and brackets is enclosed in the quote kind it lacks; the
	// brackets stay literal inside the string.
	got, err := Eq("name", `O'Brien [Holdings] (UK) and "co"`).Build()
	require.ErrorIs(t, err, ErrInvalidCondition, "both quote kinds cannot be quoted safely")
	assert.Empty(t, got)

	got, err = Eq("name", `O'Brien [Holdings] (UK) or x = 1`).Build()
	require.NoError(t, err)
	assert.Equal(t, `name = "O'Brien [Holdings] (UK) or x = 1"`, got)

	got, err = Eq("name", `The "Best" [Co]`).Build()
	require.NoError(t, err)
	assert.Equal(t, `name = 'The "Best" [Co]'`, got)
}

func TestConditionErrors(t *testing.T) {
	cases := map[string]Condition{
		"bad field":       Eq("name = 1 or x", 1),
		"empty field":     Eq("", 1),
		"field with dot":  Eq("a.b", 1),
		"empty in":        In[int]("id"),
		"unsupported":     Eq("a", struct{}{}),
		"nan":             Eq("a", math.NaN()),
		"inf":             Eq("a", math.Inf(1)),
		"bad json number": Eq("a", json.Number("1e5")),
		"backslash":       Eq("a", `C:\temp`),
		"both quotes":     Eq("a", `'"`),
		"like non string": cmp("a", "like", 5),
		"not raw":         Not(Raw("a = 1")),
		"nested error":    And(Eq("a", 1), Or(Eq("b", 2), Eq("c d", 3))),
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.Build()
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalidCondition)
			var ce *ConditionError
			assert.ErrorAs(t, err, &ce)
			assert.Contains(t, c.String(), "invalid condition")
		})
	}
	assert.True(t, Condition{}.IsZero())
	assert.True(t, Raw("  ").IsZero())
	assert.False(t, Eq("a", 1).IsZero())
}

package connectwisetest

import (
	"context"
	"testing"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func ptr[T any](v T) *T { return &v }

// TestClientAgainstFake drives the real client through the fake: discovery,
// create, a condition with quotes and brackets, paging past 1000, forecast.
func TestClientAgainstFake(t *testing.T) {
	s := NewServer(t, Options{})
	cw := s.Client(connectwise.WithRateLimit(rate.Inf, 0))
	ctx := context.Background()

	name := `O'Brien [EU] (Holdings), "Ltd"`
	co, _, err := cw.Companies.Create(ctx, &connectwise.Company{Identifier: ptr("OBrien"), Name: ptr("Bracket [EU] (x)"), City: ptr("Cork")})
	require.NoError(t, err)
	assert.Equal(t, 250, co.ID)
	_, err = s.Seed(Companies, map[string]any{"identifier": "Q1", "name": `O'Brien [EU]`, "city": "X"})
	require.NoError(t, err)

	// A value with both quote kinds is refused by the client; one kind works.
	_, _, err = cw.Companies.List(ctx, &connectwise.ListOptions{Conditions: connectwise.Eq("name", name)})
	require.Error(t, err)
	got, _, err := cw.Companies.List(ctx, &connectwise.ListOptions{Conditions: connectwise.Eq("name", `O'Brien [EU]`)})
	require.NoError(t, err)
	require.Len(t, got, 1, "the name neither breaks the query nor changes its meaning")
	assert.Equal(t, "Q1", *got[0].Identifier)
	got, _, err = cw.Companies.List(ctx, &connectwise.ListOptions{Conditions: connectwise.Eq("name", `Bracket [EU] (x)`)})
	require.NoError(t, err)
	require.Len(t, got, 1)

	seedCompanies(t, s, 1500)
	n := 0
	for c, err := range cw.Companies.ListIter(ctx, &connectwise.ListOptions{Conditions: connectwise.Gt("id", 0)}) {
		require.NoError(t, err)
		require.NotNil(t, c)
		n++
	}
	assert.Equal(t, 1502, n)
	count, _, err := cw.Companies.Count(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1502, count)
}

// FuzzClientConditions feeds values through the client's condition builder
// and checks that the fake parses the result to the same comparison.
func FuzzClientConditions(f *testing.F) {
	for _, v := range []string{"", "Acme", "O'Brien", `say "hi"`, "[x] (y), and z", "a%b*"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		s, err := connectwise.Eq("name", v).Build()
		if err != nil {
			return // the builder refuses values it cannot quote safely
		}
		e, perr := ParseConditions(s)
		if perr != nil {
			t.Fatalf("builder output %q does not parse: %v", s, perr)
		}
		c, ok := e.(*Comparison)
		if !ok || c.Field != "name" || c.Op != "=" || c.Value.Kind != StringLit || c.Value.Str != v {
			t.Fatalf("builder output %q for %q parses to %s", s, v, e)
		}
	})
}

package dataset

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func encode(t *testing.T, d *Dataset) []byte {
	t.Helper()
	var all []any
	for c := range d.Companies() {
		all = append(all, c)
	}
	for c := range d.Contacts() {
		all = append(all, c)
	}
	for o := range d.Opportunities() {
		all = append(all, o.Record, o.Forecast)
	}
	for h := range d.HubSpotCompanies() {
		all = append(all, h)
	}
	for h := range d.HubSpotContacts() {
		all = append(all, h)
	}
	for h := range d.HubSpotDeals() {
		all = append(all, h)
	}
	b, err := json.Marshal(all)
	require.NoError(t, err)
	return b
}

func TestGenerateIsDeterministic(t *testing.T) {
	opts := Options{Seed: 7, Companies: 40, ContactsPerCompany: 3}
	a, b := encode(t, Generate(opts)), encode(t, Generate(opts))
	assert.Equal(t, string(a), string(b), "same seed, same data")
	opts.Seed = 8
	assert.NotEqual(t, string(a), string(encode(t, Generate(opts))), "another seed, other data")

	// Records are independent of iteration order: random access agrees.
	d := Generate(Options{Seed: 7, Companies: 40, ContactsPerCompany: 3})
	i := 0
	for c := range d.Contacts() {
		if i == 17 {
			assert.Equal(t, d.Contact(17), c)
			break
		}
		i++
	}
}

func TestDefaults(t *testing.T) {
	o := Generate(Options{}).Options()
	assert.Equal(t, 300, o.Companies)
	assert.Equal(t, 1200, o.Contacts)
	assert.Equal(t, 150, o.Opportunities)
	assert.InDelta(t, 0.1, o.ExistingHubSpotShare, 1e-9)
	o = Generate(Options{Contacts: 10, Companies: 2, DuplicateEmailShare: -1}).Options()
	assert.Equal(t, 10, o.Contacts)
	assert.Zero(t, o.DuplicateEmailShare)
	d := Generate(Options{Companies: 5, Contacts: -1})
	assert.Zero(t, d.Options().Contacts)
	assert.Zero(t, d.Options().Opportunities, "no opportunity without a contact")
	assert.Zero(t, d.Stats().Opportunities)
	assert.Zero(t, Generate(Options{Companies: 5, Opportunities: -1}).Options().Opportunities)
}

func runes(t *testing.T, rec map[string]any, field string, max int) {
	t.Helper()
	s, _ := rec[field].(string)
	assert.LessOrEqual(t, utf8.RuneCountInString(s), max, "%s %q", field, s)
}

func TestInvariants(t *testing.T) {
	d := Generate(Options{Seed: 42, Companies: 500, ContactsPerCompany: 5, DuplicateEmailShare: 0.05})
	idents, ids := map[string]bool{}, map[float64]bool{}
	var sawQuotedCompany bool
	for c := range d.Companies() {
		ident := c["identifier"].(string)
		require.NotEmpty(t, ident)
		assert.False(t, idents[strings.ToLower(ident)], "identifier %q repeats", ident)
		idents[strings.ToLower(ident)] = true
		assert.False(t, ids[c["id"].(float64)])
		ids[c["id"].(float64)] = true
		// Company limits (connectwise-api.md §5, S10).
		runes(t, c, "identifier", 30)
		runes(t, c, "name", 50)
		for _, f := range []string{"addressLine1", "addressLine2", "city", "state"} {
			runes(t, c, f, 50)
		}
		runes(t, c, "zip", 12)
		runes(t, c, "phoneNumber", 30)
		runes(t, c, "faxNumber", 30)
		sawQuotedCompany = sawQuotedCompany || c["name"] == quotedCompany
	}
	assert.True(t, sawQuotedCompany)

	st := d.Stats()
	assert.Equal(t, 2500, st.Contacts)
	// Shares within a loose binomial band.
	assert.InDelta(t, 0.05*2500, st.DuplicateEmailContacts, 45, "duplicates %d", st.DuplicateEmailContacts)
	assert.InDelta(t, 0.03*2500, st.OrphanContacts, 35)
	assert.InDelta(t, 0.02*500, st.DeletedCompanies, 12)
	assert.Positive(t, st.DeletedCompanies)
	assert.Positive(t, st.HubSpotCompanies)
	assert.Positive(t, st.HubSpotContacts)
	assert.Positive(t, st.HubSpotDeals)

	emails := map[string]int{}
	contactIDs := map[float64]bool{}
	for c := range d.Contacts() {
		assert.False(t, contactIDs[c["id"].(float64)])
		contactIDs[c["id"].(float64)] = true
		require.NotEmpty(t, c["firstName"])
		runes(t, c, "firstName", 30)
		runes(t, c, "lastName", 30)
		defaults := map[string]int{}
		for _, it := range c["communicationItems"].([]any) {
			m := it.(Record)
			assert.LessOrEqual(t, utf8.RuneCountInString(m["value"].(string)), 250)
			if m["defaultFlag"] == true {
				defaults[m["communicationType"].(string)]++
				if m["communicationType"] == "Email" {
					emails[strings.ToLower(m["value"].(string))]++
				}
			}
		}
		for k, n := range defaults {
			assert.Equal(t, 1, n, "one default %s per contact", k)
		}
		if comp, ok := c["company"].(Record); ok {
			assert.True(t, ids[comp["id"].(float64)], "contact's company exists")
		}
	}
	dups := 0
	for _, n := range emails {
		dups += n - 1
	}
	assert.Equal(t, st.DuplicateEmailContacts, dups)

	c0 := d.Contact(0)
	assert.Equal(t, QuotedFirstName, c0["firstName"])
	assert.Equal(t, QuotedLastName, c0["lastName"])
	assert.Contains(t, d.ContactEmail(0), "zoe.obrien-mueller@")

	for o := range d.Opportunities() {
		r := o.Record
		runes(t, r, "name", 100)
		assert.True(t, ids[r["company"].(Record)["id"].(float64)])
		assert.True(t, contactIDs[r["contact"].(Record)["id"].(float64)])
		require.NotNil(t, r["primarySalesRep"])
		ecd, err := time.Parse(time.RFC3339, r["expectedCloseDate"].(string))
		require.NoError(t, err)
		assert.Equal(t, ecd.Truncate(24*time.Hour), ecd, "expectedCloseDate at midnight Z")
		assert.True(t, strings.HasSuffix(r["expectedCloseDate"].(string), "T00:00:00Z"))
		require.NotEmpty(t, o.Forecast)
		assert.Positive(t, o.Revenue())
		for _, f := range o.Forecast {
			runes(t, f, "forecastDescription", 50)
		}
	}

	// HubSpot emails are unique (the contact email is unique in HubSpot).
	hs := map[string]bool{}
	for h := range d.HubSpotContacts() {
		e := strings.ToLower(h.Properties["email"])
		assert.False(t, hs[e], "HubSpot email %q repeats", e)
		hs[e] = true
	}
	for h := range d.HubSpotCompanies() {
		keys := slices.Collect(maps.Keys(h.Properties))
		assert.True(t, slices.Contains(keys, PropCompanyIdentifier) || slices.Contains(keys, PropCompanyRecID), "%v", keys)
	}
}

func TestIteratorsStop(t *testing.T) {
	d := Generate(Options{Seed: 1, Companies: 10})
	n := 0
	for range d.Contacts() {
		n++
		if n == 3 {
			break
		}
	}
	assert.Equal(t, 3, n)
}

func TestTruncateAndSquash(t *testing.T) {
	assert.Equal(t, "Müll", truncate("Müller", 4))
	assert.Equal(t, "MuellerOBrienCafeIT", squash(quotedCompany))
	assert.Equal(t, "OBrien-Mueller", squashName(QuotedLastName))
	assert.Equal(t, "Zoe", squashName(QuotedFirstName))
}

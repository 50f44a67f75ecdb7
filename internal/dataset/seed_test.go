package dataset

import (
	"context"
	"maps"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

// TestFakeValidationAcceptsEveryRecord creates every record of a small
// dataset through the ConnectWise fake's API validation (Server.Create runs
// the checks of POST: required fields, maximum lengths, references).
func TestFakeValidationAcceptsEveryRecord(t *testing.T) {
	s := connectwisetest.NewServer(t, connectwisetest.Options{})
	d := Generate(Options{Seed: 3, Companies: 60, ContactsPerCompany: 3})
	for m := range d.Members() {
		_, err := s.Seed(connectwisetest.Members, m) // members are read-only in the API
		require.NoError(t, err)
	}
	strip := func(r Record) Record {
		c := maps.Clone(r)
		delete(c, "_info")
		return c
	}
	for c := range d.Companies() {
		_, err := s.Create(connectwisetest.Companies, strip(c))
		require.NoError(t, err, "company %v", c["identifier"])
	}
	for c := range d.Contacts() {
		_, err := s.Create(connectwisetest.Contacts, strip(c))
		require.NoError(t, err, "contact %v %v", c["firstName"], c["lastName"])
	}
	for o := range d.Opportunities() {
		_, err := s.Create(connectwisetest.Opportunities, strip(o.Record))
		require.NoError(t, err, "opportunity %v", o.Record["name"])
	}
	got, ok := s.Get(connectwisetest.Contacts, ContactFirstID)
	require.True(t, ok)
	assert.Equal(t, QuotedFirstName, got["firstName"])
}

func TestSeedBothFakes(t *testing.T) {
	ctx := context.Background()
	cw := connectwisetest.NewServer(t, connectwisetest.Options{})
	hs := hubspottest.NewServer(t, hubspottest.Options{})
	d := Generate(Options{Seed: 11, Companies: 30, ContactsPerCompany: 4, ExistingHubSpotShare: 0.3})
	want := d.Stats()

	st, err := SeedConnectWise(ctx, cw, d)
	require.NoError(t, err)
	assert.Equal(t, want.Companies, st.Companies)
	assert.Equal(t, want.Contacts, st.Contacts)
	assert.Equal(t, want.Opportunities, st.Opportunities)
	assert.Equal(t, want.ForecastItems, st.ForecastItems)
	assert.Equal(t, want.Companies, cw.Len(connectwisetest.Companies))
	assert.Equal(t, want.Contacts, cw.Len(connectwisetest.Contacts))
	assert.Equal(t, want.Opportunities, cw.Len(connectwisetest.Opportunities))

	// Through the real client: the list leaves soft-deleted companies out, and
	// the forecast carries the money.
	client := cw.Client()
	n := 0
	for _, err := range client.Companies.ListIter(ctx, nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, want.Companies-want.DeletedCompanies, n)
	// Every seeded record decodes into the client's typed models.
	n = 0
	for c, err := range client.Contacts.ListIter(ctx, nil) {
		require.NoError(t, err)
		require.NotEmpty(t, c.FirstName)
		n++
	}
	assert.Equal(t, want.Contacts, n)
	n = 0
	for _, err := range client.Opportunities.ListIter(ctx, nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, want.Opportunities, n)
	found := 0
	for c, err := range client.Contacts.FindByEmail(ctx, d.ContactEmail(0), nil) {
		require.NoError(t, err)
		assert.Equal(t, QuotedLastName, *c.LastName)
		found++
	}
	assert.Equal(t, 1, found, "the quoted, accented contact is found by email")

	o := d.Opportunity(0)
	f, _, err := client.Opportunities.Forecast(ctx, OpportunityFirstID)
	require.NoError(t, err)
	assert.Len(t, f.ForecastItems, len(o.Forecast))
	require.NotNil(t, f.Totals["forecastRevenueTotals"].Revenue)
	assert.InDelta(t, o.Revenue(), *f.Totals["forecastRevenueTotals"].Revenue, 0.001)

	hst, err := SeedHubSpot(hs, d)
	require.NoError(t, err)
	assert.Equal(t, want.HubSpotCompanies, hst.HubSpotCompanies)
	assert.Equal(t, want.HubSpotContacts, hst.HubSpotContacts)
	assert.Equal(t, want.HubSpotDeals, hst.HubSpotDeals)
	assert.Equal(t, want.HubSpotCompanies, hs.RecordCount("companies"))
	assert.Equal(t, want.HubSpotContacts, hs.RecordCount("contacts"))
	assert.Equal(t, want.HubSpotDeals, hs.RecordCount("deals"))
	for h := range d.HubSpotContacts() {
		recs := hs.FindRecords("contacts", "email", h.Properties["email"])
		require.Len(t, recs, 1, h.Properties["email"])
		break
	}
	_, ok := hs.Property("companies", PropCompanyIdentifier)
	assert.True(t, ok)

	// Seeding HubSpot twice finds the properties in place.
	_, err = SeedHubSpot(hubspottest.NewServer(t, hubspottest.Options{}), d)
	require.NoError(t, err)
}

func BenchmarkGenerate(b *testing.B) {
	d := Generate(Options{Seed: 1, Companies: 1000, ContactsPerCompany: 3, Opportunities: 500})
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for range d.Companies() {
			n++
		}
		for range d.Contacts() {
			n++
		}
		for range d.Opportunities() {
			n++
		}
		b.ReportMetric(float64(n), "records/op")
	}
}

// BenchmarkStream100kContacts walks a 100,000-contact dataset and reports
// the largest live heap seen: streaming keeps it flat, whatever the size.
func BenchmarkStream100kContacts(b *testing.B) {
	d := Generate(Options{Seed: 1, Companies: 25000, Contacts: 100000})
	var ms runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapAlloc, uint64(0)
		i := 0
		for range d.Contacts() {
			if i++; i%10000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
			}
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	}
}

// BenchmarkContact measures one contact: the per-record cost of streaming
// a large dataset.
func BenchmarkContact(b *testing.B) {
	d := Generate(Options{Seed: 1, Companies: 10000, Contacts: 100000})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = d.Contact(i % 100000)
		i++
	}
}

package main

import (
	"context"
	"flag"
	"io"
	"path/filepath"
	"strconv"
	"testing"
)

// benchSize picks the dataset of BenchmarkMigration: "quickstart" (300
// companies, 1200 contacts, 150 opportunities), "medium" (3000, 9000, 1500)
// or "issue" (10,000 companies, 30,000 contacts, 5,000 opportunities, the
// figures issue 5 asks for).
var benchSize = flag.String("quickstart.size", "quickstart", "BenchmarkMigration dataset: quickstart, medium or issue")

// BenchmarkMigration measures the historical migration of a seeded dataset
// through Engine.Backfill: API calls per side against the minimum the APIs allow
// (ConnectWise pages of 1000, HubSpot batches of 100), and time and
// allocations per record. Seeding is outside the timer.
func BenchmarkMigration(b *testing.B) {
	args := []string{"-progress", "0", "-quiet"}
	switch *benchSize {
	case "issue":
		args = append(args, "-companies", "10000", "-contacts-per-company", "3", "-opportunities", "5000")
	case "medium":
		args = append(args, "-companies", "3000", "-contacts-per-company", "3", "-opportunities", "1500")
	}
	o, err := parseFlags(args, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	var hsCalls, cwCalls, records float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f, err := startFakes(ctx, o, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		hsc, cwc, err := f.clients()
		if err != nil {
			b.Fatal(err)
		}
		s, err := newSession(hsc, cwc, filepath.Join(b.TempDir(), strconv.Itoa(i)+".db"), "bench")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.eng.EnsureSchema(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := s.eng.Backfill(ctx, nil)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		hsCalls += float64(rep.Calls["hubspot"])
		cwCalls += float64(rep.Calls["connectwise"])
		for _, or := range rep.Objects {
			for _, n := range or.Counts {
				records += float64(n)
			}
		}
		s.Close()
		f.Close()
	}
	st := dataMinimum(o)
	b.ReportMetric(hsCalls/float64(b.N), "hubspot-calls/op")
	b.ReportMetric(cwCalls/float64(b.N), "connectwise-calls/op")
	b.ReportMetric(st.hubspot, "hubspot-min-calls")
	b.ReportMetric(st.connectwise, "connectwise-min-calls")
	b.ReportMetric(records/float64(b.N), "records/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/records, "ns/record")
}

type minimum struct{ hubspot, connectwise float64 }

// dataMinimum is the fewest calls a migration of the dataset could make:
// ConnectWise reads in pages of 1000 per object plus one forecast read per
// opportunity (the amount lives in the forecast, connectwise-api.md §5);
// HubSpot writes in batches of 100 per object and association type
// (hubspot-api.md §4), reads and searches not counted.
func dataMinimum(o *options) minimum {
	ceil := func(n, d int) float64 { return float64((n + d - 1) / d) }
	companies, contacts := o.companies, max(0, contactsFor(o))
	opps := o.opportunities
	switch {
	case contacts == 0:
		opps = 0
	case opps == 0:
		opps = companies / 2
	}
	cw := ceil(companies, 1000) + ceil(contacts, 1000) + ceil(opps, 1000) + float64(opps)
	// Records, then associations contact->company, deal->company, deal->contact.
	hs := ceil(companies, 100) + ceil(contacts, 100) + ceil(opps, 100) + ceil(contacts, 100) + 2*ceil(opps, 100)
	return minimum{hubspot: hs, connectwise: cw}
}

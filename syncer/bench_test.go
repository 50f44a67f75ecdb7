package syncer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/boltstore"
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// BenchmarkBackfillAPICalls migrates companies, contacts and opportunities
// from the ConnectWise fake into the HubSpot fake and reports the API calls
// made (retries included; the report's figures must equal the fakes' own
// counts) and the retries among them, against the minimum the APIs allow:
// ConnectWise pages of 1000 and HubSpot batches of 100 for the upserts and
// for each association type.
// Sizes: HUBWISE_BENCH_COMPANIES (default 200; contacts x3, deals x1/2).
func BenchmarkBackfillAPICalls(b *testing.B) {
	nCo := envInt("HUBWISE_BENCH_COMPANIES", 200)
	nCt, nOpp := 3*nCo, nCo/2
	for b.Loop() {
		b.StopTimer()
		s := spec("companies", "contacts", "deals")
		for i := range s.Objects {
			s.Objects[i].Direction = mapping.ToHubSpot
		}
		owners := map[string]string{}
		e := newEnv(b, s, func(c *syncer.Config) {
			c.Lookups = tableLookups(owners, map[string]string{"1": "appointmentscheduled"})
		})
		owners["244"] = e.hsSrv.AddOwner(hubspottest.Owner{Email: "jsmith@example.com"})
		e.seedCompanies(nCo, 3)
		for i := range nOpp {
			_, err := e.cwSrv.Seed(connectwisetest.Opportunities, map[string]any{"name": fmt.Sprintf("Deal %d", i),
				"company": map[string]any{"id": 250 + 4*i}, "contact": map[string]any{"id": 251 + 4*i},
				"primarySalesRep": map[string]any{"id": 244}, "stage": map[string]any{"id": 1}})
			require.NoError(b, err)
		}
		e.hsSrv.ResetCalls()
		e.cwSrv.ResetCalls()
		b.StartTimer()
		rep, err := e.eng.Backfill(e.ctx, nil)
		b.StopTimer()
		require.NoError(b, err)
		require.Zero(b, len(rep.Errors()), "first error: %v", rep.Errors())
		n := nCo + nCt + nOpp
		hs, cw := len(e.hsSrv.Calls()), len(e.cwSrv.Calls())
		require.EqualValues(b, hs, rep.Calls[syncer.SideHubSpot], "the report counts every call the HubSpot fake saw")
		require.EqualValues(b, cw, rep.Calls[syncer.SideConnectWise], "the report counts every call the ConnectWise fake saw")
		minHS := ceilDiv(nCo, 100) + ceilDiv(nCt, 100) + ceilDiv(nOpp, 100) + // upserts
			ceilDiv(nCt, 100) + 2*ceilDiv(nOpp, 100) // contact-company, deal-company, deal-contact
		minCW := ceilDiv(nCo, 1000) + ceilDiv(nCt, 1000) + ceilDiv(nOpp, 1000) + nOpp // + one forecast per opportunity
		b.ReportMetric(float64(n), "records")
		b.ReportMetric(float64(hs), "hs-calls")
		b.ReportMetric(float64(minHS), "hs-min")
		b.ReportMetric(float64(cw), "cw-calls")
		b.ReportMetric(float64(minCW), "cw-min")
		b.ReportMetric(float64(rep.Retries[syncer.SideHubSpot]), "hs-retries")
		b.ReportMetric(float64(rep.Retries[syncer.SideConnectWise]), "cw-retries")
		b.ReportMetric(float64(hs+cw)/float64(n), "calls/record")
		b.StartTimer()
	}
}

// BenchmarkInitialPass measures the engine's own CPU and allocations per record
// for a first pass over in-memory sides (no HTTP): HUBWISE_BENCH_RECORDS
// companies (default 2000).
func BenchmarkInitialPass(b *testing.B) {
	n := envInt("HUBWISE_BENCH_RECORDS", 2000)
	var ns, allocs float64
	for b.Loop() {
		b.StopTimer()
		e := newMemEnv(b, spec("companies"), nil)
		for i := range n {
			e.cw.put("company/companies", map[string]any{"name": fmt.Sprintf("Company %d", i), "identifier": fmt.Sprintf("Co%d", i),
				"city": "Springfield", "website": "https://example.com"})
		}
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		start := time.Now()
		b.StartTimer()
		rep, err := e.eng.Run(context.Background())
		b.StopTimer()
		ns += float64(time.Since(start).Nanoseconds()) / float64(n)
		runtime.ReadMemStats(&m1)
		allocs += float64(m1.Mallocs-m0.Mallocs) / float64(n)
		require.NoError(b, err)
		require.Equal(b, n, rep.Count("companies", syncer.OutcomeCreated))
		b.StartTimer()
	}
	b.ReportMetric(ns/float64(b.N), "ns/record")
	b.ReportMetric(allocs/float64(b.N), "allocs/record")
}

// BenchmarkBackfillPeakMemory migrates HUBWISE_BENCH_CONTACTS contacts (default
// 20000; the figure is 100000) from an in-memory ConnectWise side into
// a sink HubSpot side with state in a bbolt file, and reports the peak live
// heap above the source data, sampled after every page: it is bounded by the
// page size, not by the number of records.
func BenchmarkBackfillPeakMemory(b *testing.B) {
	n := envInt("HUBWISE_BENCH_CONTACTS", 20000)
	for b.Loop() {
		b.StopTimer()
		e := newMemEnv(b, spec("contacts"), nil)
		e.hs.sink = true // HubSpot's copy is not this process's memory
		// State lives in the bbolt file (the embedded default), not on the heap.
		st, err := boltstore.Open(filepath.Join(b.TempDir(), "state.db"), nil)
		require.NoError(b, err)
		b.Cleanup(func() { _ = st.Close() })
		e.store = st
		e.eng, err = syncer.New(syncer.Config{Tenant: "t1", HubSpot: e.hs, ConnectWise: e.cw, Mapping: compile(b, spec("contacts")), Store: st, Clock: e.clk.Now})
		require.NoError(b, err)
		for i := range n {
			e.cw.put("company/contacts", map[string]any{"firstName": "First", "lastName": fmt.Sprintf("Last%d", i),
				"communicationItems": []any{map[string]any{"communicationType": "Email", "value": fmt.Sprintf("c%d@example.com", i), "defaultFlag": true}}})
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		base, peak := m.HeapAlloc, m.HeapAlloc
		b.StartTimer()
		_, err = e.eng.Backfill(context.Background(), &syncer.BackfillOptions{Progress: func(syncer.Progress) {
			runtime.GC() // live heap only, sampled with the page's data still referenced
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
		}})
		b.StopTimer()
		require.NoError(b, err)
		b.ReportMetric(float64(n), "records")
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-MB-over-data")
		var links int
		for _, err := range e.store.ListLinks(context.Background(), "t1", "contacts", nil) {
			require.NoError(b, err)
			links++
		}
		b.ReportMetric(float64(links), "links-in-store")
		b.StartTimer()
	}
}

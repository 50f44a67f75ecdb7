package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/mapping"
)

// verify checks, while the fakes are up, that no record is duplicated on
// either side and that no two leases of one tenant overlapped in time.
func (r *result) verify(f *fakeSet) {
	for _, t := range f.tenants {
		r.duplicates = append(r.duplicates, duplicates(t)...)
	}
	r.overlaps, r.untagged = overlaps(r.calls)
}

// duplicates lists the duplicated records of one tenant. HubSpot: no two
// records carry one ConnectWise ID, and no object has more records than
// ConnectWise has (every HubSpot record of the dataset has a ConnectWise
// original). ConnectWise: no record was created (every ConnectWise record
// was seeded; a create would be a second copy of a HubSpot record's partner).
func duplicates(t *tenantFakes) []string {
	var out []string
	for _, o := range []struct {
		hsType, prop string
		res          connectwisetest.Resource
	}{
		{"companies", mapping.PropCWCompanyID, connectwisetest.Companies},
		{"contacts", mapping.PropCWContactID, connectwisetest.Contacts},
		{"deals", mapping.PropCWOpportunityID, connectwisetest.Opportunities},
	} {
		recs := t.cw.Records(o.res)
		if n := len(recs); n != t.seededCW[o.res] {
			out = append(out, fmt.Sprintf("%s: ConnectWise %s: %d records, %d seeded", t.info.Key, o.res, n, t.seededCW[o.res]))
		}
		for _, rec := range recs {
			id := fmt.Sprint(rec["id"])
			if hs := t.hs.FindRecords(o.hsType, o.prop, id); len(hs) > 1 {
				out = append(out, fmt.Sprintf("%s: HubSpot %s with %s=%s: %d records", t.info.Key, o.hsType, o.prop, id, len(hs)))
			}
		}
		if n := t.hs.RecordCount(o.hsType); n > len(recs) {
			out = append(out, fmt.Sprintf("%s: HubSpot %s: %d records for %d in ConnectWise", t.info.Key, o.hsType, n, len(recs)))
		}
	}
	return out
}

// span is the time one lease (worker and generation) of a tenant was seen
// working on the fakes.
type span struct {
	worker     string
	gen        int64
	start, end time.Time
	calls      int
}

// overlaps lists, per tenant, leases whose requests overlapped in time with
// another lease's, and counts requests that carried no worker header.
func overlaps(calls []call) (found []string, untagged int) {
	spans := map[string]map[string]*span{}
	for _, c := range calls {
		if c.Worker == "" {
			untagged++
			continue
		}
		key := fmt.Sprintf("%s/%d", c.Worker, c.Generation)
		if spans[c.Tenant] == nil {
			spans[c.Tenant] = map[string]*span{}
		}
		s := spans[c.Tenant][key]
		if s == nil {
			s = &span{worker: c.Worker, gen: c.Generation, start: c.Start, end: c.End}
			spans[c.Tenant][key] = s
		}
		s.start, s.end = minTime(s.start, c.Start), maxTime(s.end, c.End)
		s.calls++
	}
	tenants := make([]string, 0, len(spans))
	for t := range spans {
		tenants = append(tenants, t)
	}
	slices.Sort(tenants)
	for _, t := range tenants {
		var list []*span
		for _, s := range spans[t] {
			list = append(list, s)
		}
		slices.SortFunc(list, func(a, b *span) int { return a.start.Compare(b.start) })
		for i := 1; i < len(list); i++ {
			prev, cur := list[i-1], list[i]
			if cur.start.Before(prev.end) {
				found = append(found, fmt.Sprintf("%s: %s gen %d (%s..%s) and %s gen %d (%s..%s)", t,
					prev.worker, prev.gen, prev.start.Format(time.StampMicro), prev.end.Format(time.StampMicro),
					cur.worker, cur.gen, cur.start.Format(time.StampMicro), cur.end.Format(time.StampMicro)))
			}
			if cur.end.Before(prev.end) {
				list[i] = prev // keep the furthest end for the next comparison
			}
		}
	}
	return found, untagged
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// print writes a table per tenant and the run's figures.
func (r *result) print(out io.Writer) {
	fmt.Fprintf(out, "\n%-11s %6s %8s %8s %9s  %s\n", "tenant", "passes", "records", "created", "finished", "workers (generation)")
	for _, t := range r.tenants {
		ls := r.byTenant[t]
		created, records := 0, 0
		var ws []string
		for _, l := range ls {
			created += l.Counts["created"]
			records += l.Records
			ws = append(ws, fmt.Sprintf("%s(%d)", l.Worker, l.Generation))
		}
		fmt.Fprintf(out, "%-11s %6d %8d %8d %9v  %s\n", t, len(ls), records, created, r.converged[t], strings.Join(ws, " "))
	}
	passes, records := r.passCount()
	secs := max(r.elapsed.Seconds(), 1e-9)
	fmt.Fprintf(out, "\n%d tenant passes, %d records in %s: %.1f passes/s, %.0f records/s\n", passes, records,
		r.elapsed.Round(time.Millisecond), float64(passes)/secs, float64(records)/secs)
	if r.killed != "" {
		fmt.Fprintf(out, "worker %s was killed (SIGKILL) in the middle of a pass\n", r.killed)
	}
	for _, l := range r.fenced() {
		fmt.Fprintf(out, "stale worker %s (generation %d of %s) was fenced: %s\n", l.Worker, l.Generation, l.Tenant, l.Err)
	}
	fmt.Fprintf(out, "duplicates: %d, overlapping leases: %d (from %d requests)\n", len(r.duplicates), len(r.overlaps), len(r.calls))
}

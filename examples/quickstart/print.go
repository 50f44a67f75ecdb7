package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hubwise/hubwise/syncer"
)

// columns are the outcomes the report table shows, in order.
var columns = []syncer.Outcome{syncer.OutcomeCreated, syncer.OutcomeUpdated, syncer.OutcomeLinked,
	syncer.OutcomeUnchanged, syncer.OutcomeSkipped, syncer.OutcomeAmbiguous, syncer.OutcomeFailed, syncer.OutcomeDeferred}

// maxDetails bounds the ambiguous and failed records listed per report.
const maxDetails = 5

func heading(out io.Writer, title string) {
	fmt.Fprintf(out, "\n== %s ==\n", title)
}

// printReport prints a pass report as a table with totals, the API calls per
// side (every request sent, retries included) and the first ambiguous and
// failed records.
func printReport(out io.Writer, title string, r *syncer.Report) {
	heading(out, title)
	fmt.Fprintf(out, "%-10s", "object")
	for _, c := range columns {
		fmt.Fprintf(out, " %9s", c)
	}
	fmt.Fprintln(out)
	for _, o := range r.Objects {
		fmt.Fprintf(out, "%-10s", o.Object)
		for _, c := range columns {
			fmt.Fprintf(out, " %9d", o.Counts[c])
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "%-10s", "total")
	for _, c := range columns {
		fmt.Fprintf(out, " %9d", r.Total(c))
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "API calls: HubSpot %s, ConnectWise %s; %d records written; took %s\n",
		calls(r, syncer.SideHubSpot), calls(r, syncer.SideConnectWise), r.Writes(), r.Duration.Round(1e6))
	listRecords(out, r, syncer.OutcomeAmbiguous)
	listRecords(out, r, syncer.OutcomeFailed)
	listRecords(out, r, syncer.OutcomeDeferred)
	if r.Total(syncer.OutcomeDeferred) > 0 {
		fmt.Fprintln(out, "  (a deferred association is written once the other record is linked; records the filters keep out,\n"+
			"   such as soft-deleted ConnectWise companies, are never linked, so theirs stay deferred)")
	}
	if r.Err != nil {
		fmt.Fprintf(out, "pass ended early: %v\n", r.Err)
	}
}

// calls renders the API calls of one side, retries included, naming the
// retries when there were any: "68" or "70 (2 retries)".
func calls(r *syncer.Report, side syncer.Side) string {
	n := fmt.Sprint(r.Calls[side])
	switch retries := r.Retries[side]; retries {
	case 0:
		return n
	case 1:
		return n + " (1 retry)"
	default:
		return fmt.Sprintf("%s (%d retries)", n, retries)
	}
}

func listRecords(out io.Writer, r *syncer.Report, o syncer.Outcome) {
	n := r.Total(o)
	if n == 0 {
		return
	}
	fmt.Fprintf(out, "%s (%d", o, n)
	if n > maxDetails {
		fmt.Fprintf(out, ", first %d", maxDetails)
	}
	fmt.Fprintln(out, "):")
	shown := 0
	for _, rr := range r.Records {
		if rr.Outcome != o || shown == maxDetails {
			continue
		}
		shown++
		fmt.Fprintf(out, "  %s %s\n", recordName(rr.Object, rr.ConnectWiseID, rr.HubSpotID), detail(rr))
	}
}

func recordName(object string, cw int64, hs string) string {
	var parts []string
	if cw != 0 {
		parts = append(parts, fmt.Sprintf("ConnectWise #%d", cw))
	}
	if hs != "" {
		parts = append(parts, "HubSpot "+hs)
	}
	return object + " " + strings.Join(parts, " / ")
}

func detail(rr syncer.RecordResult) string {
	switch {
	case rr.Err != nil:
		return rr.Err.Error()
	case rr.Detail != "":
		return rr.Detail
	}
	return string(rr.Reason)
}

// printPlan summarises a dry run: operations per object by kind and skip
// reason, and a few sample operations with their field changes.
func printPlan(out io.Writer, p *syncer.Plan) {
	heading(out, "dry run: what a pass would do")
	for _, op := range p.Objects {
		kinds := map[string]int{}
		var order []string
		for _, x := range op.Operations {
			k := string(x.Kind)
			if x.Kind == syncer.OpSkip {
				k += ":" + string(x.Reason)
			}
			if kinds[k] == 0 {
				order = append(order, k)
			}
			kinds[k]++
		}
		fmt.Fprintf(out, "%-10s", op.Object)
		for _, k := range order {
			fmt.Fprintf(out, " %s=%d", k, kinds[k])
		}
		fmt.Fprintln(out)
		shown := 0
		for _, x := range op.Operations {
			if x.Kind == syncer.OpSkip && x.Reason != syncer.ReasonAmbiguous && x.Reason != syncer.ReasonInvalid || shown == 3 {
				continue
			}
			shown++
			fmt.Fprintf(out, "  %s %s", x.Kind, recordName(x.Object, x.ConnectWiseID, x.HubSpotID))
			if x.Detail != "" {
				fmt.Fprintf(out, ": %s", x.Detail)
			}
			if x.Err != nil {
				fmt.Fprintf(out, ": %v", x.Err)
			}
			fmt.Fprintf(out, " (%d field changes)\n", len(x.Changes))
		}
	}
}

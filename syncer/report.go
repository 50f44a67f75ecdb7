package syncer

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Outcome is what happened to one record in a pass.
type Outcome string

// Outcomes.
const (
	OutcomeCreated   Outcome = "created"   // created on the other side
	OutcomeUpdated   Outcome = "updated"   // changed fields or associations written
	OutcomeLinked    Outcome = "linked"    // matched to an existing partner and linked
	OutcomeUnchanged Outcome = "unchanged" // nothing to write (including echoes)
	OutcomeSkipped   Outcome = "skipped"   // filtered, direction, dead-lettered, partner missing
	OutcomeAmbiguous Outcome = "ambiguous" // several candidate partners; nothing guessed
	OutcomeConflict  Outcome = "conflict"  // a field parked for review
	OutcomeFailed    Outcome = "failed"    // dead-lettered; retried on a later pass
	OutcomeDeferred  Outcome = "deferred"  // an association waits for its partner's link
)

var outcomeOrder = []Outcome{OutcomeCreated, OutcomeUpdated, OutcomeLinked, OutcomeUnchanged, OutcomeSkipped,
	OutcomeAmbiguous, OutcomeConflict, OutcomeFailed, OutcomeDeferred}

// RecordResult is the outcome of one record.
type RecordResult struct {
	Object        string
	Kind          OpKind
	Source        Side
	HubSpotID     string `json:",omitempty"`
	ConnectWiseID int64  `json:",omitempty"`
	Outcome       Outcome
	Reason        Reason        `json:",omitempty"`
	Detail        string        `json:",omitempty"`
	Changes       []FieldChange `json:",omitempty"`
	// Err is a *RecordError naming the record and, when known, the field;
	// Error is its text, for JSON renderings of the report.
	Err   error  `json:"-"`
	Error string `json:",omitempty"`
}

// ObjectReport counts the outcomes of one object.
type ObjectReport struct {
	Object string
	Counts map[Outcome]int
}

// Report describes one pass: counts per object and outcome, per-record
// outcomes, API calls and retries made per side and the duration.
type Report struct {
	Tenant    string
	StartedAt time.Time
	Duration  time.Duration
	Objects   []ObjectReport
	Records   []RecordResult
	// Calls is the number of HTTP attempts made per side, retries included,
	// when the sides count them ([CallCounter]; the adapters count every
	// attempt their client sends, so the figure matches the API's own count).
	// Requests a Config.Lookups function sends through the clients themselves
	// (such as [OwnerTable]) do not pass through the adapters and are not counted.
	Calls map[Side]int64
	// Retries is how many of Calls repeated a request already sent (after a
	// 429, a 5xx or a dropped connection), when the sides count them
	// ([RetryCounter]; the adapters do).
	Retries map[Side]int64
	// Deletes reports the deletions a targeted pass handled ([ObjectHints]
	// DeletedHubSpot and DeletedConnectWise), one per object and side with
	// linked records gone.
	Deletes []*DeleteReport `json:",omitempty"`
	// Err is the error that ended the pass early, if any; Error is its text.
	Err   error  `json:"-"`
	Error string `json:",omitempty"`
	// DryRun reports that nothing was written: the outcomes are what a real
	// run would do (Backfill with DryRun).
	DryRun bool `json:",omitempty"`

	problemsOnly bool // keep per-record results only for problems (backfills)
}

// RetryCounter is implemented by sides that also count, among their
// [CallCounter] calls, the ones that repeated a request already sent.
// Reports show the difference over a pass.
type RetryCounter interface {
	Retries() int64
}

func retries(side any) int64 {
	if c, ok := side.(RetryCounter); ok {
		return c.Retries()
	}
	return 0
}

// sideCounts is what the sides had counted when a pass started.
type sideCounts [2]struct{ calls, retries int64 }

func (e *Engine) sideCounts() sideCounts {
	var c sideCounts
	c[0].calls, c[0].retries = calls(e.hs), retries(e.hs)
	c[1].calls, c[1].retries = calls(e.cw), retries(e.cw)
	return c
}

func (e *Engine) newReport(p *Plan) *Report {
	return &Report{Tenant: e.tenant, StartedAt: p.StartedAt, Calls: map[Side]int64{}, Retries: map[Side]int64{}}
}

func (e *Engine) finish(r *Report, p *Plan, err error) *Report {
	r.Duration = e.now().Sub(r.StartedAt)
	now := e.sideCounts()
	for i, side := range []Side{SideHubSpot, SideConnectWise} {
		r.Calls[side] = now[i].calls - p.calls0[i].calls
		r.Retries[side] = now[i].retries - p.calls0[i].retries
	}
	r.Err = err
	if err != nil {
		r.Error = err.Error()
	}
	attrs := []any{"tenant", e.tenant, "duration", r.Duration, "hubspot_calls", r.Calls[SideHubSpot],
		"hubspot_retries", r.Retries[SideHubSpot], "connectwise_calls", r.Calls[SideConnectWise],
		"connectwise_retries", r.Retries[SideConnectWise]}
	for _, o := range outcomeOrder {
		if n := r.Total(o); n > 0 {
			attrs = append(attrs, string(o), n)
		}
	}
	if err != nil {
		e.log.Error("syncer: pass ended early", append(attrs, "err", err)...)
	} else {
		e.log.Info("syncer: pass done", attrs...)
	}
	return r
}

func (r *Report) add(rr RecordResult) {
	switch rr.Outcome {
	case OutcomeFailed, OutcomeAmbiguous, OutcomeConflict, OutcomeDeferred:
		r.Records = append(r.Records, rr)
	default:
		if !r.problemsOnly {
			r.Records = append(r.Records, rr)
		}
	}
	i := slices.IndexFunc(r.Objects, func(o ObjectReport) bool { return o.Object == rr.Object })
	if i < 0 {
		r.Objects = append(r.Objects, ObjectReport{Object: rr.Object, Counts: map[Outcome]int{}})
		i = len(r.Objects) - 1
	}
	r.Objects[i].Counts[rr.Outcome]++
}

// Count returns how many records of object had outcome o.
func (r *Report) Count(object string, o Outcome) int {
	for _, or := range r.Objects {
		if or.Object == object {
			return or.Counts[o]
		}
	}
	return 0
}

// Total returns how many records of every object had outcome o.
func (r *Report) Total(o Outcome) int {
	n := 0
	for _, or := range r.Objects {
		n += or.Counts[o]
	}
	return n
}

// Errors returns the errors of the failed records.
func (r *Report) Errors() []error {
	var out []error
	for _, rr := range r.Records {
		if rr.Err != nil {
			out = append(out, rr.Err)
		}
	}
	return out
}

// Writes returns how many records had something written to either side.
func (r *Report) Writes() int {
	return r.Total(OutcomeCreated) + r.Total(OutcomeUpdated) + r.Total(OutcomeLinked)
}

// String renders the report as a small table: one line per object with its
// counts, then the API calls and retries per side and the duration, then the
// errors.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s", "object")
	for _, o := range outcomeOrder {
		fmt.Fprintf(&b, " %9s", o)
	}
	b.WriteByte('\n')
	for _, or := range r.Objects {
		fmt.Fprintf(&b, "%-12s", or.Object)
		for _, o := range outcomeOrder {
			fmt.Fprintf(&b, " %9d", or.Counts[o])
		}
		b.WriteByte('\n')
	}
	if r.DryRun {
		b.WriteString("dry run: nothing was written\n")
	}
	fmt.Fprintf(&b, "API calls: hubspot %d, connectwise %d; retries: hubspot %d, connectwise %d; duration %s\n",
		r.Calls[SideHubSpot], r.Calls[SideConnectWise], r.Retries[SideHubSpot], r.Retries[SideConnectWise],
		r.Duration.Round(time.Millisecond))
	for _, d := range r.Deletes {
		fmt.Fprintf(&b, "deletes: %s\n", d)
	}
	for _, err := range r.Errors() {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	if r.Err != nil {
		fmt.Fprintf(&b, "pass ended early: %v\n", r.Err)
	}
	return b.String()
}

// LogValue renders the report's counts for log/slog.
func (r *Report) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("tenant", r.Tenant), slog.Duration("duration", r.Duration)}
	for _, o := range outcomeOrder {
		if n := r.Total(o); n > 0 {
			attrs = append(attrs, slog.Int(string(o), n))
		}
	}
	return slog.GroupValue(attrs...)
}

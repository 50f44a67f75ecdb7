package main

import (
	"fmt"
	"io"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// progressPrinter prints the engine's backfill progress (done/total, rate,
// ETA) at most once per interval per object, and always when an object
// completes.
type progressPrinter struct {
	out      io.Writer
	interval time.Duration
	last     map[string]time.Time
}

func newProgressPrinter(out io.Writer, interval time.Duration) *progressPrinter {
	return &progressPrinter{out: out, interval: interval, last: map[string]time.Time{}}
}

// report is a syncer.BackfillOptions.Progress callback.
func (p *progressPrinter) report(pr syncer.Progress) {
	if p.interval <= 0 {
		return
	}
	now := time.Now()
	if pr.Done < pr.Total && now.Sub(p.last[pr.Object]) < p.interval {
		return
	}
	p.last[pr.Object] = now
	fmt.Fprintln(p.out, progressLine(pr))
}

func progressLine(pr syncer.Progress) string {
	pct := 100.0
	if pr.Total > 0 {
		pct = min(100, 100*float64(pr.Done)/float64(pr.Total))
	}
	return fmt.Sprintf("  %-10s %7d/%-7d %3.0f%%  %6.0f rec/s  ETA %s",
		pr.Object, pr.Done, pr.Total, pct, pr.Rate, pr.ETA.Round(time.Second))
}

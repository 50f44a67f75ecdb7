package main

import (
	"context"
	"fmt"
	"io"
	"iter"
	"sync/atomic"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// countingConnectWise counts the ConnectWise records the engine reads
// through its change feed, for the progress display. Everything else is the
// engine's own adapter.
type countingConnectWise struct {
	*syncer.ConnectWiseAdapter
	read atomic.Int64
}

// Modified counts each record the feed yields.
func (c *countingConnectWise) Modified(ctx context.Context, resource string, from, to time.Time) iter.Seq2[map[string]any, error] {
	return func(yield func(map[string]any, error) bool) {
		for rec, err := range c.ConnectWiseAdapter.Modified(ctx, resource, from, to) {
			if err == nil {
				c.read.Add(1)
			}
			if !yield(rec, err) {
				return
			}
		}
	}
}

// Page counts the records of each page.
func (c *countingConnectWise) Page(ctx context.Context, resource string, afterID int64, size int) ([]map[string]any, error) {
	recs, err := c.ConnectWiseAdapter.Page(ctx, resource, afterID, size)
	c.read.Add(int64(len(recs)))
	return recs, err
}

// countingHubSpot counts the records the engine writes to HubSpot.
type countingHubSpot struct {
	*syncer.HubSpotAdapter
	written atomic.Int64
}

// Upsert counts the records written.
func (h *countingHubSpot) Upsert(ctx context.Context, objectType string, in []syncer.HubSpotWrite) ([]syncer.HubSpotResult, error) {
	res, err := h.HubSpotAdapter.Upsert(ctx, objectType, in)
	h.add(res)
	return res, err
}

// Update counts the records written.
func (h *countingHubSpot) Update(ctx context.Context, objectType string, in []syncer.HubSpotWrite) ([]syncer.HubSpotResult, error) {
	res, err := h.HubSpotAdapter.Update(ctx, objectType, in)
	h.add(res)
	return res, err
}

func (h *countingHubSpot) add(res []syncer.HubSpotResult) {
	for _, r := range res {
		if r.Err == nil {
			h.written.Add(1)
		}
	}
}

// progress prints "done/total, rate, ETA" lines while a pass runs: done
// counts the ConnectWise records read, total comes from ConnectWise /count.
type progress struct {
	out   io.Writer
	cw    *countingConnectWise
	hs    *countingHubSpot
	total int
	start time.Time
	read0 int64
	wr0   int64
}

func newProgress(out io.Writer, s *session, total int) *progress {
	return &progress{out: out, cw: s.cw, hs: s.hs, total: total, start: time.Now(),
		read0: s.cw.read.Load(), wr0: s.hs.written.Load()}
}

// line renders the current figures.
func (p *progress) line() string {
	done := p.cw.read.Load() - p.read0
	written := p.hs.written.Load() - p.wr0
	el := time.Since(p.start)
	rate := float64(done) / max(el.Seconds(), 1e-3)
	eta := "-"
	if rate > 0 && int(done) < p.total {
		eta = (time.Duration(float64(p.total-int(done))/rate) * time.Second).Round(time.Second).String()
	} else if int(done) >= p.total {
		eta = "0s"
	}
	pct := 100.0
	if p.total > 0 {
		pct = min(100, 100*float64(done)/float64(p.total))
	}
	return fmt.Sprintf("  %6d/%d ConnectWise records read (%3.0f%%), %d written to HubSpot, %.0f rec/s, ETA %s",
		done, p.total, pct, written, rate, eta)
}

// run prints a line every interval until stop is closed, then a last one.
func (p *progress) run(interval time.Duration, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	if interval > 0 {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-stop:
				fmt.Fprintln(p.out, p.line())
				return
			case <-t.C:
				fmt.Fprintln(p.out, p.line())
			}
		}
	}
	<-stop
	fmt.Fprintln(p.out, p.line())
}

// withProgress runs f while printing progress against total.
func withProgress(out io.Writer, s *session, total int, interval time.Duration, f func() error) error {
	p := newProgress(out, s, total)
	stop, done := make(chan struct{}), make(chan struct{})
	go p.run(interval, stop, done)
	err := f()
	close(stop)
	<-done
	return err
}

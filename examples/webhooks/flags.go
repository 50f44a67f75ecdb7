package main

import (
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// options are the command-line flags.
type options struct {
	addr      string
	window    time.Duration
	maxDelay  time.Duration
	poll      time.Duration
	sweep     time.Duration
	deletes   string
	delDelay  time.Duration
	relay     time.Duration
	grace     time.Duration
	state     string
	companies int
	seed      uint64
}

func parseFlags(args []string, out io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("webhooks", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "listen address")
	fs.DurationVar(&o.window, "window", 2e9, "debounce window: a targeted pass starts after this long without new events")
	fs.DurationVar(&o.maxDelay, "max-delay", 10e9, "longest wait of an event for its pass")
	fs.DurationVar(&o.poll, "poll", 5*time.Minute, "interval of the full polling pass (the safety net)")
	fs.DurationVar(&o.sweep, "sweep", time.Hour, "interval of the ConnectWise ID sweep that finds deleted records (0: never)")
	fs.StringVar(&o.deletes, "deletes", "ignore", "what a deletion on one side does to the other: ignore, unlink or propagate (archive in HubSpot, delete in ConnectWise)")
	fs.DurationVar(&o.delDelay, "delete-delay", time.Minute, "how long a HubSpot deletion event waits for a merge event that explains it")
	fs.DurationVar(&o.relay, "relay", 500*time.Millisecond, "demo only: how often the HubSpot fake's webhook journal is delivered")
	fs.DurationVar(&o.grace, "grace", 30*time.Second, "how long shutdown waits for the pass in flight and the last pass")
	fs.StringVar(&o.state, "state", "", "state file (default: ./hubwise-state.db with real accounts, a temporary file with the fakes)")
	fs.IntVar(&o.companies, "companies", 10, "demo only: ConnectWise companies seeded (2 contacts each)")
	fs.Uint64Var(&o.seed, "seed", 1, "demo only: dataset seed")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch syncer.DeletePolicy(o.deletes) {
	case syncer.DeleteIgnore, syncer.DeleteUnlink, syncer.DeletePropagate:
	default:
		return nil, fmt.Errorf("-deletes %q: want ignore, unlink or propagate", o.deletes)
	}
	return o, nil
}

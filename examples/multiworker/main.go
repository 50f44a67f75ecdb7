// Command multiworker runs several worker processes that share many tenants
// through one PostgreSQL database ([syncer.Worker] over syncer/pgstore),
// against in-process fakes of HubSpot and ConnectWise.
//
// # Running it
//
// It needs a PostgreSQL database: -dsn, or HUBWISE_PG_DSN. From a checkout,
// `.ci/postgres` starts a throwaway server and sets the variable:
//
//	.ci/postgres go run ./examples/multiworker -tenants 12 -workers 3
//
// The parent process starts one HubSpot fake and one ConnectWise fake per
// tenant on 127.0.0.1, each seeded with its own realistic MSP dataset
// (companies, contacts, opportunities, records already in HubSpot, shared
// emails, soft-deleted companies), writes the tenants' endpoints to a file and
// starts -workers copies of itself in worker mode (os/exec). Every worker
// opens the same store (a fresh schema per run, -schema to choose one) and runs
// a syncer.Worker: it leases due tenants (least recently run first, at most
// -max-tenants at a time), syncs them with mapping.Default in both directions,
// renews the lease while it works, releases it after each pass so the others
// get their turns, and prints one JSON line per tenant pass. The parent prints
// those reports as they arrive, waits until every tenant has converged (a
// clean pass that had nothing left to write), stops the workers with SIGTERM
// (they release their leases and exit), then prints a table per tenant and
// checks the run: no record duplicated on either side, and no two workers ever
// ran one tenant at once, from the fakes' request logs (every request carries
// the worker and its lease generation in an X-Hubwise-Worker header).
//
// # Crashes and stale workers
//
// -kill-after N sends SIGKILL to the first worker when the fakes receive its
// Nth write, after the write is applied and before the answer goes back: the
// worst moment for a sync. Its tenants come back after the lease TTL, and
// another worker resumes them from the last committed batch without a
// duplicate. -stall-after N makes the second worker freeze at its Nth commit
// (renewals included) for twice the lease TTL, as a long GC pause or a
// partition would; when it wakes, its commit is refused with syncer.ErrFenced
// and it drops the tenant.
//
// # Modes
//
//	multiworker [flags]               parent: fakes, workers, reports, checks
//	multiworker -serve-fakes [flags]  fakes only: writes -tenants-file and serves until interrupted
//	multiworker -worker -tenants-file F -id ID [flags]  one worker (what the parent starts)
//
// With -serve-fakes, run workers by hand in other terminals with -worker and
// the same -tenants-file and -schema, kill them, start more, and watch the
// tenants move.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// options are the command-line flags.
type options struct {
	dsn         string
	schema      string
	tenants     int
	workers     int
	maxTenants  int
	companies   int
	seed        uint64
	latency     time.Duration
	leaseTTL    time.Duration
	poll        time.Duration
	timeout     time.Duration
	killAfter   int
	stallAfter  int
	serveFakes  bool
	worker      bool
	id          string
	tenantsFile string
	quiet       bool
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("multiworker", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.dsn, "dsn", os.Getenv("HUBWISE_PG_DSN"), "PostgreSQL DSN (default $HUBWISE_PG_DSN)")
	fs.StringVar(&o.schema, "schema", "", "store schema (default: a fresh one per run)")
	fs.IntVar(&o.tenants, "tenants", 12, "number of tenants (one HubSpot and one ConnectWise fake each)")
	fs.IntVar(&o.workers, "workers", 3, "number of worker processes")
	fs.IntVar(&o.maxTenants, "max-tenants", 4, "tenants one worker runs at a time")
	fs.IntVar(&o.companies, "companies", 8, "ConnectWise companies per tenant (4 contacts each, half as many opportunities)")
	fs.Uint64Var(&o.seed, "seed", 1, "dataset seed (tenant i uses seed+i)")
	fs.DurationVar(&o.latency, "latency", 5*time.Millisecond, "latency the fakes add to every request")
	fs.DurationVar(&o.leaseTTL, "lease-ttl", 3*time.Second, "lease TTL (renewed every third)")
	fs.DurationVar(&o.poll, "poll", 500*time.Millisecond, "rest between two passes of a tenant")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Minute, "give up when the tenants have not converged by then")
	fs.IntVar(&o.killAfter, "kill-after", 0, "SIGKILL the first worker at its Nth write to the fakes (0: never)")
	fs.IntVar(&o.stallAfter, "stall-after", 0, "freeze the second worker at its Nth commit for twice the lease TTL (0: never)")
	fs.BoolVar(&o.serveFakes, "serve-fakes", false, "only serve the fakes and write -tenants-file")
	fs.BoolVar(&o.worker, "worker", false, "run one worker (started by the parent)")
	fs.StringVar(&o.id, "id", "", "worker ID (worker mode)")
	fs.StringVar(&o.tenantsFile, "tenants-file", "", "tenants file (written by the parent or -serve-fakes)")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the summary")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case o.worker && (o.id == "" || o.tenantsFile == ""):
		return nil, fmt.Errorf("-worker needs -id and -tenants-file")
	case o.serveFakes && o.tenantsFile == "":
		return nil, fmt.Errorf("-serve-fakes needs -tenants-file")
	case !o.serveFakes && o.dsn == "":
		return nil, fmt.Errorf("no database: set -dsn or HUBWISE_PG_DSN (`.ci/postgres go run ./examples/multiworker` starts a throwaway PostgreSQL)")
	case o.tenants < 1 || o.workers < 1 || o.maxTenants < 1:
		return nil, fmt.Errorf("-tenants, -workers and -max-tenants must be positive")
	}
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch {
	case o.worker:
		err = runWorker(ctx, o, os.Stdout, os.Stderr)
	case o.serveFakes:
		err = serveFakes(ctx, o, os.Stdout)
	default:
		var res *result
		res, err = runParent(ctx, o, os.Args[0], os.Stdout)
		if err == nil {
			err = res.check()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "multiworker:", err)
		os.Exit(1)
	}
}

// Command quickstart is hubwise's main demo: a historical migration from
// ConnectWise PSA to HubSpot CRM followed by incremental passes, run by the
// syncer engine.
//
//	go run ./examples/quickstart
//
// With no credentials in the environment it needs no account: it starts the
// HubSpot and ConnectWise fakes in-process, seeds them with a realistic MSP
// dataset (internal/dataset: a few hundred companies, over a thousand
// contacts, opportunities with forecasts, HubSpot records that exist already,
// duplicate emails, a name with quotes and accents), ensures the HubSpot
// schema, migrates with a progress display, makes a few edits in ConnectWise,
// runs an incremental pass and a pass with nothing to do, and prints a report
// after each (created, updated, unchanged, ambiguous, failed; API calls per
// side).
//
// With credentials in the environment it runs against real accounts:
//
//	HUBSPOT_ACCESS_TOKEN     private app token
//	CONNECTWISE_SITE         e.g. na.myconnectwise.net
//	CONNECTWISE_COMPANY_ID   the company ID typed at login
//	CONNECTWISE_PUBLIC_KEY   API member keys
//	CONNECTWISE_PRIVATE_KEY
//	CONNECTWISE_CLIENT_ID    from developer.connectwise.com
//
// (HUBSPOT_BASE_URL and CONNECTWISE_BASE_URL override the API origins, for
// proxies and for examples/fakeserver.) Against real accounts it only plans
// (a dry run: what it would create, link and update, and why it would skip)
// unless -apply is given. Secrets are never printed.
//
// State (links, base snapshots, cursors, migration checkpoints) lives in a
// bbolt file (-state, default ./hubwise-state.db), so a second run against
// the same accounts is incremental and an interrupted migration resumes.
// The fakes start empty on every run, so with them the state goes to a
// temporary file and the demo shows incrementality within the run: an
// incremental pass after the edits, then a pass that writes nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the whole program: it parses args, picks the fakes or the accounts
// of the environment, and writes its output to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	return runEnv(ctx, args, stdout, os.LookupEnv)
}

func runEnv(ctx context.Context, args []string, stdout io.Writer, env func(string) (string, bool)) error {
	o, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	creds, live, err := credentialsFrom(env)
	if err != nil {
		return err
	}
	if live {
		return runLive(ctx, o, creds, stdout)
	}
	return runDemo(ctx, o, stdout)
}

// Command webhooks is an HTTP service that keeps HubSpot CRM and ConnectWise
// PSA in sync within seconds: it receives HubSpot webhooks and ConnectWise
// callbacks, verifies them, and runs targeted passes over just the records
// they name through a syncer.Dispatcher (debounced, deduplicated, one pass at
// a time), with a periodic full poll as the safety net for anything a
// delivery missed.
//
//	go run ./examples/webhooks
//
// # Endpoints
//
//   - POST /webhooks/hubspot: HubSpot webhook deliveries, v3 signature
//     (X-HubSpot-Signature-v3, HMAC-SHA256 keyed with the app client secret,
//     timestamp within 5 minutes; hubspot-api.md §10).
//   - POST /callbacks/connectwise: ConnectWise callbacks; the key URL must
//     point at the tenant's own host before the signing key is fetched, then
//     x-content-signature is checked (connectwise-api.md §9).
//   - GET /healthz: JSON with the last targeted pass and the last poll (their
//     reports), the last deletion sweep and the dispatcher's counters.
//
// # Deletes
//
// Deletions are ignored unless -deletes says otherwise (unlink, or propagate:
// archive in HubSpot, delete in ConnectWise). They arrive as HubSpot deletion
// webhooks and ConnectWise "deleted" callbacks, and from a sweep of the
// ConnectWise IDs every -sweep interval, under the engine's mass-delete guard.
// A HubSpot deletion waits -delete-delay for a merge event that explains it:
// HubSpot reports a merged-away record as deleted too.
//
// On SIGINT or SIGTERM the service stops accepting deliveries (in-flight
// requests drain), lets the pass in flight finish, runs a last pass over the
// hints still pending, and closes the state store.
//
// # Demo
//
// With no credentials in the environment it needs no account: it starts the
// HubSpot and ConnectWise fakes in-process, seeds them lightly
// (internal/dataset), registers its callback URL with the ConnectWise fake
// (system/callbacks, isSelfSuppressedFlag set), and relays the HubSpot fake's
// webhook journal to its own endpoint every -relay interval (HubSpot pushes
// to the app's target URL; the fake keeps a journal instead). Edit a record in
// either fake (the demo prints their URLs and credentials are the fakes'
// own) and watch /healthz.
//
// # Real accounts
//
// With credentials in the environment it runs against real accounts:
//
//	HUBSPOT_ACCESS_TOKEN     private or public app access token
//	HUBSPOT_CLIENT_SECRET    the app's client secret (webhook signatures)
//	HUBSPOT_APP_ID           the app id: events whose sourceId is it are the
//	                         service's own writes and start no pass
//	CONNECTWISE_SITE         e.g. na.myconnectwise.net
//	CONNECTWISE_COMPANY_ID   the company ID typed at login
//	CONNECTWISE_PUBLIC_KEY   API member keys
//	CONNECTWISE_PRIVATE_KEY
//	CONNECTWISE_CLIENT_ID    from developer.connectwise.com
//	CONNECTWISE_MEMBER       the API member's identifier (optional; its
//	                         callbacks are dropped as echoes)
//	PUBLIC_URL               https origin HubSpot and ConnectWise reach the
//	                         service at; callbacks are registered under it
//
// HubSpot webhook subscriptions (company and contact creation,
// propertyChange, deletion, merge, restore, associationChange) are set in the
// app's settings with target PUBLIC_URL/webhooks/hubspot. Secrets are never
// printed. State lives in a bbolt file (-state).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhooks:", err)
		os.Exit(1)
	}
}

// run is the whole program: it parses args, starts the service against the
// fakes or the accounts of the environment, and serves until ctx is done.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	o, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	svc, err := newService(ctx, o, os.LookupEnv, stdout)
	if err != nil {
		return err
	}
	return svc.serve(ctx)
}

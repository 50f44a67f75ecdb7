package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/boltstore"
)

// A sync pass records an intent before creating a ConnectWise company, then
// commits the link, its base snapshot and the feed cursor together, removing
// the intent in the same batch. A second link for the same HubSpot ID is refused.
func Example() {
	dir, err := os.MkdirTemp("", "boltstore-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	clock := func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) }
	store, err := boltstore.Open(filepath.Join(dir, "state.db"), &boltstore.Options{Clock: clock})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	const tenant = "acme-msp"

	// Before the POST to ConnectWise: the intent alone.
	intent := syncer.Intent{Object: "companies", Target: syncer.SideConnectWise, SourceID: "1001", LookupKey: "ACME"}
	if err := store.Commit(ctx, tenant, new(syncer.Batch).PutIntent(intent)); err != nil {
		log.Fatal(err)
	}

	// ConnectWise answered with company 250: link, snapshot, cursor, intent gone.
	err = store.Commit(ctx, tenant, new(syncer.Batch).
		PutLink(syncer.Link{Object: "companies", HubSpotID: "1001", ConnectWiseID: 250, Base: []byte(`{"name":"Acme"}`)}).
		DeleteIntent("companies", syncer.SideConnectWise, "1001").
		PutCursor("companies/hubspot", "2026-11-27T11:59:00Z"))
	if err != nil {
		log.Fatal(err)
	}

	link, err := store.LinkByConnectWiseID(ctx, tenant, "companies", 250)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("hubspot %s <-> connectwise %d, version %d, synced %s, base %s\n",
		link.HubSpotID, link.ConnectWiseID, link.Version, link.SyncedAt.Format(time.RFC3339), link.Base)

	for in, err := range store.ListIntents(ctx, tenant, "") {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("pending intent:", in.SourceID)
	}

	err = store.Commit(ctx, tenant, new(syncer.Batch).
		PutLink(syncer.Link{Object: "companies", HubSpotID: "1001", ConnectWiseID: 251}))
	fmt.Println("duplicate refused:", errors.Is(err, syncer.ErrConflict))
	fmt.Println(err)

	// Output:
	// hubspot 1001 <-> connectwise 250, version 1, synced 2026-11-27T12:00:00Z, base {"name":"Acme"}
	// duplicate refused: true
	// boltstore: commit: syncer: batch op 0 (put link companies hubspot=1001 connectwise=251): hubspot ID 1001 is already linked to connectwise ID 250: syncer: conflict
}

// Package hubwise is an SDK that keeps HubSpot CRM and ConnectWise PSA (Manage) in
// sync. This root package holds no code; the work is done by its sub-packages.
//
// # Packages
//
//   - [github.com/hubwise/hubwise/hubspot]: typed HubSpot CRM client (objects, batch,
//     search, properties, associations, owners, pipelines, lists, OAuth, webhooks).
//   - [github.com/hubwise/hubwise/hubspot/hubspottest]: a stateful in-process fake of
//     the HubSpot API, also runnable as a standalone server.
//   - [github.com/hubwise/hubwise/connectwise]: typed ConnectWise PSA client (companies,
//     contacts, opportunities and forecasts, lookups, tickets, catalog, callbacks,
//     conditions builder).
//   - [github.com/hubwise/hubwise/connectwise/connectwisetest]: a stateful in-process
//     fake of the ConnectWise API.
//   - [github.com/hubwise/hubwise/mapping]: declarative field mappings with a direction
//     per field, transforms, value maps, filters and the HubSpot properties to create.
//   - [github.com/hubwise/hubwise/mapping/mappingtest]: helpers to unit-test mappings.
//   - [github.com/hubwise/hubwise/syncer]: the sync engine: change feeds, linking and
//     matching, diff against base snapshots, plan and batched apply, reports, dead
//     letters, historical migration (Backfill), and workers that share tenants
//     under leases.
//   - [github.com/hubwise/hubwise/syncer/memstore], [github.com/hubwise/hubwise/syncer/boltstore],
//     [github.com/hubwise/hubwise/syncer/pgstore]: state-store drivers (memory, one
//     bbolt file, PostgreSQL), all passing [github.com/hubwise/hubwise/syncer/storetest].
//
// The README's quickstart (go run ./examples/quickstart) runs a historical migration
// and incremental passes against the fakes, with no account.
//
// Dependencies point one way: the engine depends on the mapping and on small
// interfaces it declares itself; the mapping depends on nothing of ours; the clients
// never import the engine or the mapping.
package hubwise

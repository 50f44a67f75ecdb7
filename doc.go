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
//   - [github.com/hubwise/hubwise/syncer]: the sync engine's state-store contract and
//     drivers (memstore, boltstore), with a conformance suite.
//
// Dependencies point one way: the engine depends on the mapping and on small
// interfaces it declares itself; the mapping depends on nothing of ours; the clients
// never import the engine or the mapping.
package hubwise

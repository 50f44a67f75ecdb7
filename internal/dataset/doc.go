// Package dataset generates a realistic, deterministic MSP dataset for the
// quickstart, the end-to-end tests and the benchmarks: ConnectWise PSA
// companies, contacts, opportunities with forecast items and sales reps, and
// the share of them that already exists in HubSpot.
//
//	d := dataset.Generate(dataset.Options{Seed: 1, Companies: 300, ContactsPerCompany: 4})
//	for c := range d.Companies() { ... }
//
// # Determinism
//
// Every record is computed from the seed and its own index with a PCG
// generator (math/rand/v2), so the same Options always give the same data,
// records can be produced in any order, and any one of them can be
// recomputed alone ([Dataset.Company], [Dataset.Contact],
// [Dataset.Opportunity]).
//
// # Streaming
//
// A [Dataset] holds no records. [Dataset.Companies], [Dataset.Contacts],
// [Dataset.Opportunities] and the HubSpot iterators yield one record at a
// time, so a 100,000-contact migration can be fed without the data ever
// sitting in memory.
//
// # Shapes
//
// ConnectWise records are map[string]any values in the JSON shape of the API
// (field names, references, communicationItems, customFields, _info, as in
// connectwise-api.md §6 and the recorded payloads), within the API's
// length limits (identifier 30, name 50, opportunity name 100, forecast
// description 50) and referring to the lookup records (statuses, types,
// communication types, stages, custom fields) of connectwisetest's default
// tenant. HubSpot records are property maps in string form.
//
// # Awkward data
//
// The data carries what real tenants have and naive syncs trip over:
// soft-deleted companies, contacts without a company or without email,
// contacts sharing an email (sometimes in another letter case), a contact
// named Zoë "Bob" O'Brien-Müller and a company named Müller & O'Brien "Café" IT,
// and HubSpot records that exist already, keyed the way the commercial
// integration asks users to key them: ConnectWise Company ID or Rec ID on
// companies, email on contacts, Rec ID on deals.
//
// # Seeding the fakes
//
// [SeedConnectWise] and [SeedHubSpot] load a dataset into
// connectwisetest and hubspottest servers.
package dataset

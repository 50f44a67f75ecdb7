package dataset

import (
	"iter"
	"math/rand/v2"
	"time"
)

// Record is one ConnectWise record in the JSON shape of the API: field names
// exactly as ConnectWise sends them (connectwise-api.md §6, payload
// company-get.json), references as {"id": N, "name": ...} objects, numbers as
// float64 like encoding/json decodes them.
type Record = map[string]any

// First record ids. They follow the fake's first ids (connectwisetest:
// companies 250, contacts 58000, opportunities 1000) so seeded records look
// like the fake's own; members start above the fake's default members
// (243-245).
const (
	CompanyFirstID     = 250
	ContactFirstID     = 58000
	OpportunityFirstID = 1000
	MemberFirstID      = 300
)

// Options sizes and shapes a dataset. The zero value (after defaults) is the
// quickstart's dataset: 300 companies, 4 contacts per company, 150
// opportunities. Shares are fractions in [0, 1]; a negative share means none.
type Options struct {
	// Seed selects the dataset: the same Options always give the same records.
	Seed uint64
	// Companies is the number of ConnectWise companies (default 300).
	Companies int
	// ContactsPerCompany is used when Contacts is 0 (default 4).
	ContactsPerCompany int
	// Contacts is the total number of contacts; it overrides ContactsPerCompany.
	// A negative value means none.
	Contacts int
	// Opportunities is the number of opportunities (default Companies/2; a
	// negative value means none, and there are none without contacts, since
	// the API requires a contact).
	Opportunities int
	// Members is the number of sales reps (default 6, at most 12).
	Members int
	// ExistingHubSpotShare is the share of companies, contacts and
	// opportunities that already exist in HubSpot (default 0.1).
	ExistingHubSpotShare float64
	// DuplicateEmailShare is the share of contacts whose default email repeats
	// an earlier contact's (sometimes in other letter case) (default 0.02).
	DuplicateEmailShare float64
	// DeletedCompanyShare is the share of soft-deleted companies (default 0.02).
	DeletedCompanyShare float64
	// OrphanContactShare is the share of contacts without a company (default 0.03).
	OrphanContactShare float64
	// NoEmailShare is the share of contacts without any email (default 0.02).
	NoEmailShare float64
	// Epoch is the time the data was exported: every timestamp lies before it
	// (default 2024-06-01T00:00:00Z, in the past of any clock the data meets).
	Epoch time.Time
}

// Dataset is a generated MSP dataset. Records are computed on demand from the
// seed and the record's index, so a Dataset holds no records: iterating a
// 100,000-contact dataset keeps one record in memory at a time, and any
// record can be recomputed by index.
type Dataset struct {
	opts Options
}

func share(v, def float64) float64 {
	switch {
	case v < 0:
		return 0
	case v == 0:
		return def
	case v > 1:
		return 1
	}
	return v
}

// Generate returns the dataset Options describe, with defaults filled in.
func Generate(opts Options) *Dataset {
	if opts.Companies <= 0 {
		opts.Companies = 300
	}
	switch {
	case opts.Contacts < 0:
		opts.Contacts = 0
	case opts.Contacts == 0:
		if opts.ContactsPerCompany <= 0 {
			opts.ContactsPerCompany = 4
		}
		opts.Contacts = opts.Companies * opts.ContactsPerCompany
	}
	switch {
	case opts.Contacts == 0 || opts.Opportunities < 0:
		opts.Opportunities = 0 // an opportunity needs a contact (§5)
	case opts.Opportunities == 0:
		opts.Opportunities = opts.Companies / 2
	}
	if opts.Members <= 0 {
		opts.Members = 6
	}
	opts.Members = min(opts.Members, len(memberNames))
	opts.ExistingHubSpotShare = share(opts.ExistingHubSpotShare, 0.1)
	opts.DuplicateEmailShare = share(opts.DuplicateEmailShare, 0.02)
	opts.DeletedCompanyShare = share(opts.DeletedCompanyShare, 0.02)
	opts.OrphanContactShare = share(opts.OrphanContactShare, 0.03)
	opts.NoEmailShare = share(opts.NoEmailShare, 0.02)
	if opts.Epoch.IsZero() {
		opts.Epoch = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	}
	opts.Epoch = opts.Epoch.UTC()
	return &Dataset{opts: opts}
}

// Options returns the options with defaults filled in.
func (d *Dataset) Options() Options { return d.opts }

// Record kinds, mixed into each record's random stream.
const (
	kindCompany uint64 = iota + 1
	kindContact
	kindOpportunity
	kindMember
	kindHubSpot
)

// rng returns the random stream of one record: a PCG seeded with the dataset
// seed and the record's kind and index, so records are independent of the
// order they are generated in.
func (d *Dataset) rng(kind uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(d.opts.Seed, kind<<48|uint64(i)))
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// seq turns an indexed generator into an iterator over n records.
func seq[T any](n int, f func(int) T) iter.Seq[T] {
	return func(yield func(T) bool) {
		for i := range n {
			if !yield(f(i)) {
				return
			}
		}
	}
}

// stamp renders t as ConnectWise renders datetimes: second precision, "Z".
func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// midnight renders the date of t at midnight UTC, the form ConnectWise uses
// for date-only fields such as expectedCloseDate (connectwise-api.md §6).
func midnight(t time.Time) string {
	y, m, dd := t.UTC().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
}

// info builds the _info block of a record entered and last updated in the
// past of the epoch (payload company-get.json).
func (d *Dataset) info(r *rand.Rand, enteredBy string) map[string]any {
	entered := d.opts.Epoch.Add(-time.Duration(30+r.IntN(3000)) * 24 * time.Hour).Add(time.Duration(r.IntN(86400)) * time.Second)
	updated := entered.Add(time.Duration(r.Int64N(int64(d.opts.Epoch.Sub(entered)))))
	return map[string]any{
		"dateEntered": stamp(entered), "enteredBy": enteredBy,
		"lastUpdated": stamp(updated), "updatedBy": enteredBy,
	}
}

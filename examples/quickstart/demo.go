package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/time/rate"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/internal/dataset"
	"github.com/hubwise/hubwise/syncer"
)

// fakes are the two in-process fakes seeded with a dataset.
type fakes struct {
	hs   *hubspottest.Server
	cw   *connectwisetest.Server
	data *dataset.Dataset
}

func (f *fakes) Close() {
	f.cw.Close()
	_ = f.hs.Close()
}

// startFakes starts both fakes (standalone constructors, no testing.T) and
// seeds them with the dataset the options describe.
func startFakes(ctx context.Context, o *options, out io.Writer) (*fakes, error) {
	d := dataset.Generate(dataset.Options{Seed: o.seed, Companies: o.companies,
		ContactsPerCompany: o.contactsPerCompany, Contacts: contactsFor(o), Opportunities: o.opportunities,
		ExistingHubSpotShare: shareFlag(o.existing), DuplicateEmailShare: shareFlag(o.duplicates)})
	f := &fakes{hs: hubspottest.New(hubspottest.Options{}), cw: connectwisetest.New(connectwisetest.Options{}), data: d}
	if err := f.seed(ctx, o, out); err != nil {
		f.Close()
		return nil, err
	}
	// Seeding is not part of the sync: count only the sync's calls.
	f.hs.ResetCalls()
	f.cw.ResetCalls()
	return f, nil
}

func (f *fakes) seed(ctx context.Context, o *options, out io.Writer) error {
	cst, err := dataset.SeedConnectWise(ctx, f.cw, f.data)
	if err != nil {
		return err
	}
	hst, err := dataset.SeedHubSpot(f.hs, f.data)
	if err != nil {
		return err
	}
	if o.quiet {
		return nil
	}
	st := f.data.Stats()
	fmt.Fprintf(out, "ConnectWise fake: %d companies (%d soft-deleted), %d contacts (%d without a company, %d sharing an email), %d opportunities with %d forecast items, %d sales reps\n",
		cst.Companies, st.DeletedCompanies, cst.Contacts, st.OrphanContacts, st.DuplicateEmailContacts,
		cst.Opportunities, cst.ForecastItems, cst.Members)
	fmt.Fprintf(out, "HubSpot fake: %d companies, %d contacts and %d deals exist already; %d owners\n",
		hst.HubSpotCompanies, hst.HubSpotContacts, hst.HubSpotDeals, hst.Owners)
	return nil
}

// contactsFor returns the dataset's Contacts option: -1 (none) for
// -contacts-per-company 0.
func contactsFor(o *options) int {
	if o.contactsPerCompany == 0 {
		return -1
	}
	return o.companies * o.contactsPerCompany
}

// shareFlag maps a 0 flag to "none" (the dataset reads 0 as its default).
func shareFlag(v float64) float64 {
	if v == 0 {
		return -1
	}
	return v
}

// clients returns real clients for the fakes, without a request budget (the
// fakes do not throttle unless asked).
func (f *fakes) clients() (*hubspot.Client, *connectwise.Client, error) {
	hsc, err := hubspot.NewClient(hubspot.WithBaseURL(f.hs.URL()), hubspot.WithAccessToken(f.hs.Token()),
		hubspot.WithoutRateLimit())
	if err != nil {
		return nil, nil, err
	}
	cr := f.cw.Credentials()
	cwc, err := connectwise.NewClient(connectwise.Credentials{CompanyID: cr.CompanyID, Site: cr.Site,
		PublicKey: cr.PublicKey, PrivateKey: cr.PrivateKey, ClientID: cr.ClientID},
		connectwise.WithBaseURL(f.cw.URL()), connectwise.WithRateLimit(rate.Inf, 1))
	if err != nil {
		return nil, nil, err
	}
	return hsc, cwc, nil
}

// runDemo is the no-account path: fakes, migration, edits, incremental passes.
func runDemo(ctx context.Context, o *options, out io.Writer) error {
	path := o.state
	if path == "" {
		dir, err := os.MkdirTemp("", "hubwise-quickstart-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "hubwise-state.db")
	} else if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		// The fakes start empty on every run, so state from an earlier run
		// would link records that no longer exist.
		return fmt.Errorf("state file %s exists: the in-process fakes start empty on every run, so give a new path (or none)", path)
	}
	if !o.quiet {
		fmt.Fprintln(out, "hubwise quickstart: no credentials in the environment, so HubSpot and ConnectWise are in-process fakes")
	}
	f, err := startFakes(ctx, o, out)
	if err != nil {
		return err
	}
	defer f.Close()
	hsc, cwc, err := f.clients()
	if err != nil {
		return err
	}
	s, err := newSession(hsc, cwc, path, cmpOr(o.tenant, "quickstart"))
	if err != nil {
		return err
	}
	defer s.Close()
	if !o.quiet {
		fmt.Fprintf(out, "state: %s\n", path)
	}
	if _, err := ensureSchema(ctx, out, s, o); err != nil {
		return err
	}
	if _, err := migrate(ctx, out, s, o); err != nil {
		return err
	}
	edits, err := f.edit()
	if err != nil {
		return err
	}
	if !o.quiet {
		heading(out, "edits in ConnectWise (as a user in the UI)")
		for _, e := range edits {
			fmt.Fprintln(out, "  "+e)
		}
	}
	if _, err := pass(ctx, out, s, "incremental pass"); err != nil {
		return err
	}
	_, err = pass(ctx, out, s, "another pass, nothing changed")
	return err
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ensureSchema creates the HubSpot properties the mapping needs.
func ensureSchema(ctx context.Context, out io.Writer, s *session, o *options) (*syncer.SchemaReport, error) {
	rep, err := s.eng.EnsureSchema(ctx)
	if err != nil {
		return nil, fmt.Errorf("ensure schema: %w", err)
	}
	if !o.quiet {
		heading(out, "HubSpot schema")
		fmt.Fprint(out, rep.String())
	}
	return rep, nil
}

// migrate runs the historical migration (syncer.Engine.Backfill): every
// ConnectWise record of the synced objects, in pages of 1000 with a
// checkpoint after each, matching existing HubSpot records by their keys
// before creating any. It prints the engine's progress as it goes.
func migrate(ctx context.Context, out io.Writer, s *session, o *options) (*syncer.Report, error) {
	heading(out, "historical migration, ConnectWise -> HubSpot")
	interval := o.progress
	if o.quiet {
		interval = 0
	}
	pp := newProgressPrinter(out, interval)
	rep, err := s.eng.Backfill(ctx, &syncer.BackfillOptions{Progress: pp.report})
	if err != nil {
		// A crash, an interrupt or HubSpot's daily limit: what was applied is
		// checkpointed, and running again resumes from there.
		if rep != nil {
			printReport(out, "migration report (stopped)", rep)
		}
		return nil, fmt.Errorf("migration stopped (run again with the same -state to resume from its checkpoint): %w", err)
	}
	if len(rep.Objects) == 0 {
		fmt.Fprintln(out, "already complete: the state file holds its checkpoints; later passes are incremental")
		return rep, nil
	}
	printReport(out, "migration report", rep)
	return rep, nil
}

// pass runs one incremental pass and prints its report.
func pass(ctx context.Context, out io.Writer, s *session, title string) (*syncer.Report, error) {
	rep, err := s.eng.Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", title, err)
	}
	printReport(out, title, rep)
	return rep, nil
}

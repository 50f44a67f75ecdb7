package main

import (
	"flag"
	"fmt"
	"io"
	"time"
)

// options are the command-line flags.
type options struct {
	state              string
	apply              bool
	seed               uint64
	companies          int
	contactsPerCompany int
	opportunities      int
	existing           float64
	duplicates         float64
	progress           time.Duration
	tenant             string
	quiet              bool
}

func parseFlags(args []string, out io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&o.state, "state", "", "state file (bbolt); default: a fresh temporary file with the fakes, ./hubwise-state.db with real accounts")
	fs.BoolVar(&o.apply, "apply", false, "with real accounts: write (the default is a dry run)")
	fs.Uint64Var(&o.seed, "seed", 1, "dataset seed (fakes only)")
	fs.IntVar(&o.companies, "companies", 300, "ConnectWise companies to generate (fakes only)")
	fs.IntVar(&o.contactsPerCompany, "contacts-per-company", 4, "contacts per company (fakes only)")
	fs.IntVar(&o.opportunities, "opportunities", 0, "opportunities (fakes only; default companies/2)")
	fs.Float64Var(&o.existing, "existing", 0.1, "share of records that already exist in HubSpot (fakes only)")
	fs.Float64Var(&o.duplicates, "duplicates", 0.02, "share of ConnectWise contacts sharing an email (fakes only)")
	fs.DurationVar(&o.progress, "progress", 500*time.Millisecond, "interval between progress lines (0: none)")
	fs.StringVar(&o.tenant, "tenant", "", "tenant key in the state file (default: the ConnectWise company ID)")
	fs.BoolVar(&o.quiet, "quiet", false, "print only the reports")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.companies < 1 || o.contactsPerCompany < 0 || o.opportunities < 0 {
		return nil, fmt.Errorf("-companies must be positive and -contacts-per-company, -opportunities not negative")
	}
	return o, nil
}

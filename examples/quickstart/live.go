package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
)

// defaultLiveState is the state file against real accounts: beside the
// working directory, so the next run finds it and is incremental.
const defaultLiveState = "hubwise-state.db"

// runLive runs against the accounts of the environment: a dry run, or with
// -apply the schema, the historical migration (resumed from its checkpoint,
// or skipped once complete) and an incremental pass.
func runLive(ctx context.Context, o *options, c credentials, out io.Writer) error {
	hopts := []hubspot.Option{hubspot.WithAccessToken(c.hubspotToken)}
	if c.hubspotBaseURL != "" {
		hopts = append(hopts, hubspot.WithBaseURL(c.hubspotBaseURL))
	}
	hsc, err := hubspot.NewClient(hopts...)
	if err != nil {
		return fmt.Errorf("HubSpot client: %w", err)
	}
	var copts []connectwise.Option
	if c.cwBaseURL != "" {
		copts = append(copts, connectwise.WithBaseURL(c.cwBaseURL))
	}
	cwc, err := connectwise.NewClient(connectwise.Credentials{CompanyID: c.cwCompanyID, Site: c.cwSite,
		PublicKey: c.cwPublicKey, PrivateKey: c.cwPrivateKey, ClientID: c.cwClientID}, copts...)
	if err != nil {
		return fmt.Errorf("ConnectWise client: %w", err)
	}
	path := cmpOr(o.state, defaultLiveState)
	s, err := newSession(hsc, cwc, path, cmpOr(o.tenant, c.cwCompanyID))
	if err != nil {
		return err
	}
	defer s.Close()
	mode := "dry run (nothing is written; add -apply to write)"
	if o.apply {
		mode = "applying"
	}
	fmt.Fprintf(out, "hubwise quickstart: real accounts (ConnectWise company %s at %s), %s\nstate: %s\n",
		c.cwCompanyID, c.cwSite, mode, path)
	owners, stages, err := s.tables(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "lookups: %d ConnectWise members matched to HubSpot owners by email; sales stages -> deal stages %v\n",
		len(owners), stages)
	if !o.apply {
		missing, err := missingProperties(ctx, s)
		if err != nil {
			return err
		}
		if len(missing) > 0 {
			// The engine reads and matches HubSpot records through these
			// properties, so a plan cannot run before they exist.
			fmt.Fprintf(out, "schema: HubSpot lacks %d properties the mapping needs (%s); -apply creates them first.\n"+
				"A dry run of the records needs them: run with -apply to create the schema and migrate, or create them yourself.\n",
				len(missing), strings.Join(missing, ", "))
			return nil
		}
		fmt.Fprintln(out, "schema: every property the mapping needs exists in HubSpot")
		p, err := s.eng.Plan(ctx)
		if err != nil {
			return fmt.Errorf("plan: %w", err)
		}
		printPlan(out, p)
		return nil
	}
	if _, err := ensureSchema(ctx, out, s, o); err != nil {
		return err
	}
	if _, err := migrate(ctx, out, s, o); err != nil {
		return err
	}
	_, err = pass(ctx, out, s, "incremental pass")
	return err
}

// missingProperties lists the HubSpot properties of the mapping's property
// plan that do not exist yet, as object.name.
func missingProperties(ctx context.Context, s *session) ([]string, error) {
	var missing []string
	for _, p := range s.m.PropertyPlan().Properties {
		_, _, err := s.hsc.Properties.Get(ctx, p.Object, p.Property.Name)
		switch {
		case errors.Is(err, hubspot.ErrNotFound):
			missing = append(missing, p.Object+"."+p.Property.Name)
		case err != nil:
			return nil, fmt.Errorf("HubSpot property %s.%s: %w", p.Object, p.Property.Name, err)
		}
	}
	return missing, nil
}

package dataset

import (
	"context"
	"errors"
	"fmt"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/mapping"
	"golang.org/x/time/rate"
)

// SeedStats counts what a seed function stored.
type SeedStats struct {
	Companies, Contacts, Opportunities, ForecastItems, Members int
	HubSpotCompanies, HubSpotContacts, HubSpotDeals, Owners    int
}

// SeedConnectWise stores the dataset in a ConnectWise fake started with
// default Options (its lookup records are the ones the dataset refers to).
// Companies, contacts, opportunities and members are stored as they are
// (Server.Seed: no callbacks, record ids kept); forecast items have no seed
// helper, so they are created through the fake's API
// (POST /sales/opportunities/{id}/forecast), one call per item.
func SeedConnectWise(ctx context.Context, s *connectwisetest.Server, d *Dataset) (SeedStats, error) {
	var st SeedStats
	for m := range d.Members() {
		if _, err := s.Seed(connectwisetest.Members, m); err != nil {
			return st, fmt.Errorf("dataset: seed member %v: %w", m["identifier"], err)
		}
		st.Members++
	}
	for c := range d.Companies() {
		if _, err := s.Seed(connectwisetest.Companies, c); err != nil {
			return st, fmt.Errorf("dataset: seed company %v: %w", c["identifier"], err)
		}
		st.Companies++
	}
	for c := range d.Contacts() {
		if _, err := s.Seed(connectwisetest.Contacts, c); err != nil {
			return st, fmt.Errorf("dataset: seed contact %v: %w", c["id"], err)
		}
		st.Contacts++
	}
	// The fake needs no request budget (the client defaults to 5 a second).
	cw := s.Client(connectwise.WithRateLimit(rate.Inf, 0))
	for o := range d.Opportunities() {
		rec, err := s.Seed(connectwisetest.Opportunities, o.Record)
		if err != nil {
			return st, fmt.Errorf("dataset: seed opportunity %v: %w", o.Record["id"], err)
		}
		st.Opportunities++
		id := int(rec["id"].(float64))
		for _, f := range o.Forecast {
			if _, _, err := cw.Opportunities.CreateForecastItem(ctx, id, forecastItem(f)); err != nil {
				return st, fmt.Errorf("dataset: forecast item of opportunity %d: %w", id, err)
			}
			st.ForecastItems++
		}
	}
	return st, nil
}

func forecastItem(f Record) *connectwise.ForecastItem {
	status := int(f["status"].(Record)["id"].(float64))
	return &connectwise.ForecastItem{
		ForecastDescription: connectwise.Ptr(f["forecastDescription"].(string)),
		ForecastType:        connectwise.Ptr(f["forecastType"].(string)),
		Status:              &connectwise.Reference{ID: status},
		Quantity:            connectwise.Ptr(f["quantity"].(float64)),
		Revenue:             connectwise.Ptr(f["revenue"].(float64)),
		Cost:                connectwise.Ptr(f["cost"].(float64)),
		IncludeFlag:         connectwise.Ptr(f["includeFlag"].(bool)),
	}
}

// SeedHubSpot stores the dataset's existing HubSpot records in a HubSpot
// fake, and one owner per sales rep (same email, as when reps are HubSpot
// users). The identity properties the records carry are created first, with
// the definitions of mapping.Default, as a user following the commercial
// guide would have; a later schema ensure then finds them unchanged.
func SeedHubSpot(s *hubspottest.Server, d *Dataset) (SeedStats, error) {
	var st SeedStats
	if err := ensureIdentityProperties(s); err != nil {
		return st, err
	}
	for m := range d.Members() {
		s.AddOwner(hubspottest.Owner{Email: m["primaryEmail"].(string), FirstName: m["firstName"].(string),
			LastName: m["lastName"].(string)})
		st.Owners++
	}
	counts := map[string]*int{"companies": &st.HubSpotCompanies, "contacts": &st.HubSpotContacts, "deals": &st.HubSpotDeals}
	for _, recs := range []func(func(HubSpotRecord) bool){d.HubSpotCompanies(), d.HubSpotContacts(), d.HubSpotDeals()} {
		for r := range recs {
			if _, err := s.CreateRecord(r.ObjectType, r.Properties); err != nil {
				return st, fmt.Errorf("dataset: seed HubSpot %s of ConnectWise %d: %w", r.ObjectType, r.ConnectWiseID, err)
			}
			*counts[r.ObjectType]++
		}
	}
	return st, nil
}

// ensureIdentityProperties creates the groups and identity properties the
// existing records carry, from mapping.Default's property plan.
func ensureIdentityProperties(s *hubspottest.Server) error {
	plan := mapping.PlanProperties(mapping.Default(), nil)
	want := map[string]bool{PropCompanyRecID: true, PropCompanyIdentifier: true, PropOpportunityRecID: true}
	var errs []error
	for _, g := range plan.Groups {
		// The fake has no group lookup; a group that exists already is
		// refused, which is what "ensure" wants, so that error is not kept.
		// A missing group shows up below as a property error.
		_ = s.CreatePropertyGroup(g.Group.Object, hubspottest.PropertyGroup{Name: g.Group.Name,
			Label: g.Group.Label, DisplayOrder: g.Group.DisplayOrder})
	}
	for _, p := range plan.Properties {
		if !want[p.Property.Name] {
			continue
		}
		if _, ok := s.Property(p.Object, p.Property.Name); ok {
			continue
		}
		def := p.Property
		errs = append(errs, s.CreateProperty(p.Object, hubspottest.Property{Name: def.Name, Label: def.Label,
			Description: def.Description, GroupName: def.GroupName, Type: def.Type, FieldType: def.FieldType,
			HasUniqueValue: def.HasUniqueValue}))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("dataset: create HubSpot identity properties: %w", err)
	}
	return nil
}

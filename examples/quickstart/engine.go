package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/syncer"
	"github.com/hubwise/hubwise/syncer/boltstore"
)

// session is one tenant's engine with its clients, store and counted sides.
type session struct {
	hsc   *hubspot.Client
	cwc   *connectwise.Client
	hs    *syncer.HubSpotAdapter
	cw    *syncer.ConnectWiseAdapter
	store *boltstore.Store
	m     *mapping.Mapping
	eng   *syncer.Engine
}

// quickstartSpec is mapping.Default with every object flowing from
// ConnectWise to HubSpot: a historical migration and one-way sync, as the
// commercial integration starts.
func quickstartSpec() *mapping.Spec {
	s := mapping.Default()
	for i := range s.Objects {
		s.Objects[i].Direction = mapping.ToHubSpot
	}
	return s
}

func newSession(hsc *hubspot.Client, cwc *connectwise.Client, statePath, tenant string) (*session, error) {
	m, err := mapping.Compile(quickstartSpec(), nil)
	if err != nil {
		return nil, fmt.Errorf("compile mapping: %w", err)
	}
	store, err := boltstore.Open(statePath, nil)
	if err != nil {
		return nil, fmt.Errorf("open state %s: %w", statePath, err)
	}
	s := &session{hsc: hsc, cwc: cwc, store: store, m: m,
		hs: syncer.NewHubSpot(hsc), cw: syncer.NewConnectWise(cwc)}
	s.eng, err = syncer.New(syncer.Config{Tenant: tenant, HubSpot: s.hs, ConnectWise: s.cw, Mapping: m,
		Store: store, Lookups: s.lookups})
	if err != nil {
		store.Close()
		return nil, err
	}
	return s, nil
}

func (s *session) Close() error { return s.store.Close() }

// lookups builds the tables the default deal mapping needs: ConnectWise
// members to HubSpot owners by email (syncer.OwnerTable), and ConnectWise sales stages to the
// stages of HubSpot's default deal pipeline, by label when one matches and
// otherwise in order (open stages only). Review them for a real account; the
// quickstart prints them.
func (s *session) lookups(ctx context.Context) (*mapping.Lookups, error) {
	owners, stages, err := s.tables(ctx)
	if err != nil {
		return nil, err
	}
	lk := mapping.NewLookups()
	lk.SetTable(mapping.TableOwners, owners)
	lk.SetTable(mapping.TableDealStages, stages)
	return lk, nil
}

func (s *session) tables(ctx context.Context) (owners, stages map[string]string, err error) {
	owners, err = syncer.OwnerTable(ctx, s.hsc, s.cwc)
	if err != nil {
		return nil, nil, err
	}
	cwStages, err := s.cwc.SalesStages.All(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("ConnectWise sales stages: %w", err)
	}
	pipes, _, err := s.hsc.Pipelines.List(ctx, "deals")
	if err != nil {
		return nil, nil, fmt.Errorf("HubSpot deal pipelines: %w", err)
	}
	var open []hubspot.PipelineStage
	for _, p := range pipes {
		if p.ID != "default" {
			continue
		}
		for _, st := range p.Stages {
			if !st.Archived && st.Metadata["isClosed"] != "true" {
				open = append(open, st)
			}
		}
	}
	slices.SortFunc(open, func(a, b hubspot.PipelineStage) int { return cmp.Compare(a.DisplayOrder, b.DisplayOrder) })
	slices.SortFunc(cwStages, func(a, b *connectwise.SalesStage) int {
		return cmp.Compare(deref(a.SequenceNumber), deref(b.SequenceNumber))
	})
	stages = map[string]string{}
	for i, st := range cwStages {
		if len(open) == 0 {
			break
		}
		to := open[min(i, len(open)-1)].ID
		for _, h := range open {
			if strings.EqualFold(h.Label, st.Name) {
				to = h.ID
			}
		}
		stages[strconv.Itoa(st.ID)] = to
	}
	return owners, stages, nil
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

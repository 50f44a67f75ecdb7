package syncer

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/hubwise/hubwise/mapping"
)

// Association is an association the engine keeps from records of one object to
// records of another: the ConnectWise record of From holds the ID of the To
// record at Path, and the HubSpot partners get HubSpot's default association
// between their object types.
type Association struct {
	// From and To are object mapping names ("contacts", "companies").
	From, To string
	// Path is the ConnectWise path on the From record holding the To record's ID.
	Path string
}

// DefaultAssociations returns contact to company, deal to company and deal to
// contact, read from the ConnectWise references company/id and contact/id
// (connectwise-api.md §6): what mapping.Default declares, for
// Config.Associations when a mapping declares none.
func DefaultAssociations() []Association {
	return []Association{
		{From: mapping.ObjectContacts, To: mapping.ObjectCompanies, Path: "company/id"},
		{From: mapping.ObjectDeals, To: mapping.ObjectCompanies, Path: "company/id"},
		{From: mapping.ObjectDeals, To: mapping.ObjectContacts, Path: "contact/id"},
	}
}

// wantAssoc returns the association changes a ConnectWise record asks for
// compared with what the base says was written.
func (ps *passState) wantAssoc(c *cwRecord, base *snapshot) []AssociationChange {
	var out []AssociationChange
	for _, a := range ps.o.assocs {
		path, err := mapping.ParsePath(a.Path)
		if err != nil {
			continue
		}
		var id int64
		if v, ok := path.Get(c.rec); ok {
			id = recordID(map[string]any{"id": v})
		}
		var old assocRef
		if base != nil {
			old = base.Assoc[a.To]
		}
		if id == old.CW {
			continue
		}
		if id > 0 {
			out = append(out, AssociationChange{To: a.To, ConnectWiseID: id, Target: SideHubSpot})
		}
		if old.CW > 0 {
			out = append(out, AssociationChange{To: a.To, ConnectWiseID: old.CW, HubSpotID: old.HS, Remove: true, Target: SideHubSpot})
		}
	}
	return out
}

// resolveAssoc fills in the HubSpot partner of each association target that is
// linked; the others stay "" and are deferred.
func (e *Engine) resolveAssoc(ctx context.Context, want []AssociationChange) error {
	for i := range want {
		a := &want[i]
		if a.Remove || a.HubSpotID != "" || a.Target != SideHubSpot {
			continue
		}
		l, err := e.store.LinkByConnectWiseID(ctx, e.tenant, a.To, a.ConnectWiseID)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("syncer: resolve association to %s %d: %w", a.To, a.ConnectWiseID, err)
		}
		a.HubSpotID = l.HubSpotID
	}
	return nil
}

// assocWork is one association write of an operation.
type assocWork struct {
	r  *result
	ch AssociationChange
}

// writeAssociations writes the associations of the operations that reached
// HubSpot, batched per object pair, and records them in each result's base.
// An association whose target is not linked yet is deferred.
func (e *Engine) writeAssociations(ctx context.Context, o *objectSpec, results []*result) error {
	groups := map[string][]assocWork{}
	for _, r := range results {
		if r.failed() || r.hsID == "" || r.base == nil || len(r.op.Associations) == 0 {
			continue
		}
		if err := e.resolveAssoc(ctx, r.op.Associations); err != nil {
			return err
		}
		for _, ch := range r.op.Associations {
			if ch.Target != SideHubSpot {
				continue
			}
			if !ch.Remove && ch.HubSpotID == "" {
				r.deferred = append(r.deferred, fmt.Sprintf("%s %d not linked yet", ch.To, ch.ConnectWiseID))
				continue
			}
			key := ch.To + "\x00add"
			if ch.Remove {
				key = ch.To + "\x00remove"
			}
			groups[key] = append(groups[key], assocWork{r: r, ch: ch})
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys) // adds sort before removes of the same object
	for _, k := range keys {
		work := groups[k]
		to := e.byName[work[0].ch.To]
		pairs := make([]AssociationPair, len(work))
		for i, w := range work {
			pairs[i] = AssociationPair{FromID: w.r.hsID, ToID: w.ch.HubSpotID}
		}
		if work[0].ch.Remove {
			if err := e.hs.Dissociate(ctx, o.hsType, to.hsType, pairs); err != nil {
				for _, w := range work {
					w.r.fail(SideHubSpot, "", fmt.Errorf("remove association to %s %s: %w", w.ch.To, w.ch.HubSpotID, err))
				}
				continue
			}
			for _, w := range work {
				if cur, ok := w.r.base.Assoc[w.ch.To]; ok && cur.CW == w.ch.ConnectWiseID {
					delete(w.r.base.Assoc, w.ch.To)
				}
			}
			continue
		}
		errs, err := e.hs.Associate(ctx, o.hsType, to.hsType, pairs)
		if err != nil && len(errs) != len(pairs) {
			return fmt.Errorf("syncer: %s: associate with %s: %w", o.name, to.name, err)
		}
		for i, w := range work {
			if errs[i] != nil {
				w.r.fail(SideHubSpot, "", fmt.Errorf("associate with %s %s: %w", w.ch.To, w.ch.HubSpotID, errs[i]))
				continue
			}
			if w.r.base.Assoc == nil {
				w.r.base.Assoc = map[string]assocRef{}
			}
			w.r.base.Assoc[w.ch.To] = assocRef{CW: w.ch.ConnectWiseID, HS: w.ch.HubSpotID}
		}
		if err != nil {
			return fmt.Errorf("syncer: %s: associate with %s: %w", o.name, to.name, err)
		}
	}
	return nil
}

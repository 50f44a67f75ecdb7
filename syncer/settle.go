package syncer

import (
	"context"
	"fmt"
	"slices"

	"github.com/hubwise/hubwise/mapping"
)

// Settlement settles one parked conflict: the side whose value wins (its value
// when the settlement is applied), or, when Side is "", Value written to both
// sides ("" clears the field).
type Settlement struct {
	Side  Side
	Value string
}

// Conflicts returns the conflicts parked for review ([Review]) of object, or of
// every object when object is "", ordered by object, HubSpot ID, ConnectWise
// ID and field.
func (e *Engine) Conflicts(ctx context.Context, object string) ([]Conflict, error) {
	var out []Conflict
	for c, err := range e.store.ListConflicts(ctx, e.tenant, object) {
		if err != nil {
			return nil, fmt.Errorf("syncer: list conflicts: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// Settle settles a parked conflict c (as [Engine.Conflicts] returned it) with
// s. The settlement is stored in the link's base snapshot and the record is
// queued for the next pass ([Engine.Run] or [Engine.RunHints]), which writes the
// chosen value where a side differs and then removes the parked conflict. Until
// then the record is listed by [Engine.DeadLetters] with the reason "settled
// conflict". A conflict that is no longer parked, or a link that changed
// partner, gives an error wrapping [ErrNotFound]; a link committed by a pass
// running at the same time gives one wrapping [ErrConflict] (settle again).
func (e *Engine) Settle(ctx context.Context, c Conflict, s Settlement) error {
	o := e.byName[c.Object]
	switch {
	case o == nil:
		return fmt.Errorf("syncer: settle: object %q is not synced: %w", c.Object, ErrInvalid)
	case s.Side != "" && !s.Side.Valid():
		return fmt.Errorf("syncer: settle %s %s: side %q: %w", c.Object, c.HubSpotID, s.Side, ErrInvalid)
	case !ValidString(s.Value):
		return fmt.Errorf("syncer: settle %s %s field %s: value is not valid UTF-8: %w", c.Object, c.HubSpotID, c.Field, ErrInvalid)
	case !slices.ContainsFunc(o.fields, func(f mapping.FieldInfo) bool { return f.HubSpot == c.Field && f.Direction == mapping.Both }):
		return fmt.Errorf("syncer: settle %s %s: field %q does not sync both ways: %w", c.Object, c.HubSpotID, c.Field, ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	parked, err := e.Conflicts(ctx, c.Object)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(parked, func(p Conflict) bool {
		return p.HubSpotID == c.HubSpotID && p.ConnectWiseID == c.ConnectWiseID && p.Field == c.Field
	}) {
		return fmt.Errorf("syncer: settle %s %s field %s: no parked conflict: %w", c.Object, c.HubSpotID, c.Field, ErrNotFound)
	}
	l, err := e.store.LinkByHubSpotID(ctx, e.tenant, c.Object, c.HubSpotID)
	if err != nil {
		return fmt.Errorf("syncer: settle %s %s: %w", c.Object, c.HubSpotID, err)
	}
	if l.ConnectWiseID != c.ConnectWiseID {
		return fmt.Errorf("syncer: settle %s %s: linked to ConnectWise %d now: %w", c.Object, c.HubSpotID, l.ConnectWiseID, ErrNotFound)
	}
	snap := decodeSnapshot(l.Base).clone()
	if snap.Settle == nil {
		snap.Settle = map[string]settlement{}
	}
	snap.Settle[c.Field] = settlement(s)
	l.Base = snap.encode()
	now := e.now()
	b := new(Batch).PutLinkIfVersion(l, l.Version).
		PutDeadLetter(DeadLetter{Object: c.Object, Side: SideHubSpot, SourceID: c.HubSpotID,
			Err: "settled conflict: " + c.Field, FirstFailedAt: now, LastFailedAt: now})
	return e.commit(ctx, b)
}

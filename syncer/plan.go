package syncer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// OpKind is what an [Operation] does.
type OpKind string

// Operation kinds.
const (
	// OpCreate creates the record on Target.
	OpCreate OpKind = "create"
	// OpUpdate writes changed fields (see Changes for each field's target).
	OpUpdate OpKind = "update"
	// OpLink links two existing records found by matching, writing any fields
	// that differ.
	OpLink OpKind = "link"
	// OpAssociate only writes associations.
	OpAssociate OpKind = "associate"
	// OpSkip writes nothing; Reason says why.
	OpSkip OpKind = "skip"
)

// Reason says why an operation skips a record.
type Reason string

// Skip reasons.
const (
	ReasonFiltered     Reason = "filtered"      // the record does not pass the object's filter
	ReasonUnchanged    Reason = "unchanged"     // both sides already agree
	ReasonEcho         Reason = "echo"          // the change is the engine's own write coming back
	ReasonAmbiguous    Reason = "ambiguous"     // several candidate partners; nothing guessed
	ReasonDeadLettered Reason = "dead-lettered" // failed earlier, not due for a retry yet
	ReasonDirection    Reason = "direction"     // the object does not sync this way
	ReasonMissing      Reason = "partner-missing"
	ReasonInvalid      Reason = "invalid" // the record cannot be mapped (see Err)
	ReasonStopped      Reason = "stopped" // the pass stopped before the write was sent
)

// AssociationChange is an association the operation writes or waits for.
type AssociationChange struct {
	// To is the associated object ("companies").
	To string
	// ConnectWiseID is the associated record on ConnectWise; HubSpotID its
	// partner, "" while it is not linked yet (the association is deferred).
	ConnectWiseID int64
	HubSpotID     string
	// Remove is set for an association that is removed (the partner changed).
	Remove bool `json:",omitempty"`
	// Target is the side written: HubSpot (an association) or ConnectWise (the
	// reference field of the record, such as company/id).
	Target Side
}

// Operation is one planned change to one record pair.
type Operation struct {
	Object string
	Kind   OpKind
	// Target is the side a create writes to.
	Target Side `json:",omitempty"`
	// Source is the side whose record brought the operation into the pass.
	Source        Side
	HubSpotID     string `json:",omitempty"`
	ConnectWiseID int64  `json:",omitempty"`
	Reason        Reason `json:",omitempty"`
	// Detail explains a skip (the candidates of an ambiguous match).
	Detail       string              `json:",omitempty"`
	Changes      []FieldChange       `json:",omitempty"`
	Associations []AssociationChange `json:",omitempty"`
	// Conflicts lists fields changed on both sides and parked for review.
	Conflicts []string `json:",omitempty"`
	// Err is the record's error (a mapping error naming the field).
	Err error `json:"-"`

	p    *pair
	data *opData
}

// ObjectPlan is the plan of one object.
type ObjectPlan struct {
	Object     string
	Operations []*Operation

	spec     *objectSpec
	cursors  map[string]string // cursor key -> value to commit when the object completes
	dead     map[string]DeadLetter
	intents  []Intent // resolved intents to delete
	complete bool     // every change seen is in Operations
}

// Plan is a dry run: every operation a pass would make, with field-level before
// and after values and the reason for every skip. Apply carries it out.
type Plan struct {
	Tenant    string
	StartedAt time.Time
	Objects   []*ObjectPlan

	lk     *mapping.Lookups
	calls0 sideCounts
}

// Plan plans one pass over every object without writing anything to either
// side or to the store.
func (e *Engine) Plan(ctx context.Context) (*Plan, error) {
	p, err := e.newPlan(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range e.objects {
		op, err := e.planObject(ctx, o, p)
		if err != nil {
			return p, err
		}
		p.Objects = append(p.Objects, op)
	}
	return p, nil
}

func (e *Engine) newPlan(ctx context.Context) (*Plan, error) {
	p := &Plan{Tenant: e.tenant, StartedAt: e.now(), calls0: e.sideCounts()}
	lk, err := e.lookups(ctx)
	if err != nil {
		return nil, err
	}
	p.lk = lk
	return p, nil
}

// Run plans and applies one pass for every enabled object, in dependency order,
// so that associations find the links made earlier in the same pass.
func (e *Engine) Run(ctx context.Context) (*Report, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	p, err := e.newPlan(ctx)
	if err != nil {
		return nil, err
	}
	rep := e.newReport(p)
	for _, o := range e.objects {
		if err := e.runObject(ctx, o, p, rep); err != nil {
			return e.finish(rep, p, err), err
		}
	}
	return e.finish(rep, p, nil), nil
}

// runChunk is how many changed records of each side a pass plans and applies
// at a time, so a large first pass holds one chunk in memory, not the feed.
const runChunk = 1000

// runObject plans and applies one object's changes a chunk at a time and
// stores its cursors once every chunk went through.
func (e *Engine) runObject(ctx context.Context, o *objectSpec, p *Plan, rep *Report) error {
	f, err := e.openFeeds(ctx, o, p.StartedAt)
	if err != nil {
		return err
	}
	defer f.close()
	for first := true; first || f.more(); first = false {
		ps := e.newPassState(o, p)
		if _, err := ps.fill(ctx, f, runChunk, first); err != nil {
			return err
		}
		if err := ps.planRest(ctx); err != nil {
			return err
		}
		if err := e.applyObject(ctx, p, ps.plan, rep); err != nil {
			return err
		}
	}
	b := new(Batch)
	for _, k := range sortedKeys(f.cursors) {
		b.PutCursor(k, f.cursors[k])
	}
	if err := e.commit(ctx, b); err != nil {
		return fmt.Errorf("syncer: %s: commit cursors: %w", o.name, err)
	}
	return nil
}

// Apply carries out a plan made by [Engine.Plan] and reports the outcome of
// every operation. Associations are resolved at apply time, so links made
// earlier in the same Apply count.
func (e *Engine) Apply(ctx context.Context, p *Plan) (*Report, error) {
	if p == nil || p.Tenant != e.tenant {
		return nil, fmt.Errorf("syncer: Apply: plan is nil or of another tenant")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	p.calls0 = e.sideCounts()
	rep := e.newReport(p)
	for _, op := range p.Objects {
		if err := e.applyObject(ctx, p, op, rep); err != nil {
			return e.finish(rep, p, err), err
		}
	}
	return e.finish(rep, p, nil), nil
}

// planObject reads the object's changes and plans an operation per record.
func (e *Engine) planObject(ctx context.Context, o *objectSpec, p *Plan) (*ObjectPlan, error) {
	f, err := e.openFeeds(ctx, o, p.StartedAt)
	if err != nil {
		return nil, err
	}
	defer f.close()
	ps := e.newPassState(o, p)
	if _, err := ps.fill(ctx, f, 0, true); err != nil {
		return nil, err
	}
	if err := ps.planRest(ctx); err != nil {
		return nil, err
	}
	ps.plan.complete = true
	return ps.plan, nil
}

func (e *Engine) newPassState(o *objectSpec, p *Plan) *passState {
	op := &ObjectPlan{Object: o.name, spec: o, cursors: map[string]string{}, dead: map[string]DeadLetter{}}
	return &passState{e: e, o: o, lk: p.lk, plan: op, start: p.StartedAt,
		cw: map[int64]*cwRecord{}, hs: map[string]*hsRecord{}, intents: map[string]Intent{}, unsearchable: map[string]bool{}}
}

// planRest links, matches and decides the records gathered.
func (ps *passState) planRest(ctx context.Context) error {
	if err := ps.pair(ctx); err != nil {
		return err
	}
	if err := ps.match(ctx); err != nil {
		return err
	}
	return ps.decide(ctx)
}

// Count returns how many operations of the plan have kind k.
func (p *Plan) Count(k OpKind) int {
	n := 0
	for _, o := range p.Objects {
		for _, op := range o.Operations {
			if op.Kind == k {
				n++
			}
		}
	}
	return n
}

// String renders the plan for people: one line per operation that writes or
// skips for a reason other than "unchanged"/"echo", with its field changes
// (before -> after) indented below.
func (p *Plan) String() string {
	var b strings.Builder
	for _, o := range p.Objects {
		for _, op := range o.Operations {
			if op.Kind == OpSkip && (op.Reason == ReasonUnchanged || op.Reason == ReasonEcho) {
				continue
			}
			fmt.Fprintf(&b, "%s %s", op.Object, op.Kind)
			if op.Target != "" {
				fmt.Fprintf(&b, " in %s", op.Target)
			}
			if op.HubSpotID != "" {
				fmt.Fprintf(&b, " hubspot=%s", op.HubSpotID)
			}
			if op.ConnectWiseID > 0 {
				fmt.Fprintf(&b, " connectwise=%d", op.ConnectWiseID)
			}
			if op.Reason != "" {
				fmt.Fprintf(&b, " (%s", op.Reason)
				if op.Detail != "" {
					fmt.Fprintf(&b, ": %s", op.Detail)
				}
				b.WriteString(")")
			}
			if op.Err != nil {
				fmt.Fprintf(&b, ": %v", op.Err)
			}
			b.WriteByte('\n')
			for _, ch := range op.Changes {
				fmt.Fprintf(&b, "    %s.%s: %q -> %q\n", ch.Target, ch.Field, ch.Before, ch.After)
			}
			for _, a := range op.Associations {
				verb := "associate"
				if a.Remove {
					verb = "dissociate"
				}
				fmt.Fprintf(&b, "    %s %s %s connectwise=%d hubspot=%s\n", a.Target, verb, a.To, a.ConnectWiseID, a.HubSpotID)
			}
		}
	}
	fmt.Fprintf(&b, "%d to create, %d to update, %d to link, %d associations only, %d skipped\n",
		p.Count(OpCreate), p.Count(OpUpdate), p.Count(OpLink), p.Count(OpAssociate), p.Count(OpSkip))
	return b.String()
}

package syncer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hubwise/hubwise/hubspot"
)

// SchemaItem is one definition EnsureSchema looked at.
type SchemaItem struct {
	// Object is the HubSpot object type, or the ConnectWise resource for
	// custom fields.
	Object string
	// Kind is "group", "property" or "custom field".
	Kind string
	// Name is the group or property name, or the custom field caption.
	Name    string
	Outcome SchemaOutcome
	// Detail describes a drift (how the existing definition differs).
	Detail string `json:",omitempty"`
}

// SchemaReport lists what [Engine.EnsureSchema] found and did.
type SchemaReport struct {
	Items []SchemaItem
}

// Count returns how many items had the outcome.
func (r *SchemaReport) Count(o SchemaOutcome) int {
	n := 0
	for _, it := range r.Items {
		if it.Outcome == o {
			n++
		}
	}
	return n
}

// String renders one line per item that is not unchanged.
func (r *SchemaReport) String() string {
	var b strings.Builder
	for _, it := range r.Items {
		if it.Outcome == SchemaUnchanged {
			continue
		}
		fmt.Fprintf(&b, "%s %s %s.%s", it.Outcome, it.Kind, it.Object, it.Name)
		if it.Detail != "" {
			fmt.Fprintf(&b, ": %s", it.Detail)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "%d created, %d unchanged, %d drift, %d missing\n", r.Count(SchemaCreated), r.Count(SchemaUnchanged), r.Count(SchemaDrift), r.Count(SchemaMissing))
	return b.String()
}

// EnsureSchema creates the HubSpot property groups and properties of the
// mapping's property plan that do not exist yet (groups first; identity
// properties with hasUniqueValue), idempotently. A definition that exists with
// a different shape is reported as drift and left alone. ConnectWise custom
// fields the mapping addresses by caption are checked: the API cannot create
// them (commercial-setup-guide.txt: "SyncSmart cannot auto-create custom
// ConnectWise fields"), so missing ones are reported as SchemaMissing.
func (e *Engine) EnsureSchema(ctx context.Context) (*SchemaReport, error) {
	rep := &SchemaReport{}
	synced := map[string]bool{}
	for _, o := range e.objects {
		synced[o.hsType] = true
	}
	plan := e.cfg.Mapping.PropertyPlan()
	if plan != nil {
		for _, g := range plan.Groups {
			if !synced[g.Group.Object] {
				continue
			}
			out, err := e.hs.EnsureGroup(ctx, g.Group.Object, g.Group)
			it := SchemaItem{Object: g.Group.Object, Kind: "group", Name: g.Group.Name, Outcome: out}
			if err := drift(&it, err); err != nil {
				return rep, fmt.Errorf("syncer: ensure group %s.%s: %w", g.Group.Object, g.Group.Name, err)
			}
			rep.Items = append(rep.Items, it)
		}
		for _, p := range plan.Properties {
			if !synced[p.Object] {
				continue
			}
			out, err := e.hs.EnsureProperty(ctx, p.Object, p.Property)
			it := SchemaItem{Object: p.Object, Kind: "property", Name: p.Property.Name, Outcome: out}
			if err := drift(&it, err); err != nil {
				return rep, fmt.Errorf("syncer: ensure property %s.%s: %w", p.Object, p.Property.Name, err)
			}
			rep.Items = append(rep.Items, it)
		}
	}
	for _, o := range e.objects {
		if !o.customCaps {
			continue
		}
		ids, err := e.cw.CustomFields(ctx, o.cwRes)
		if err != nil {
			return rep, fmt.Errorf("syncer: custom fields of %s: %w", o.cwRes, err)
		}
		for _, f := range o.fields {
			if !containsCustomCaption(f.ConnectWise) {
				continue
			}
			caption, _, _ := strings.Cut(strings.TrimPrefix(f.ConnectWise, "customFields[caption="), "]")
			caption = strings.Trim(caption, `"'`)
			it := SchemaItem{Object: o.cwRes, Kind: "custom field", Name: caption, Outcome: SchemaUnchanged}
			if _, ok := ids[caption]; !ok {
				it.Outcome = SchemaMissing
				it.Detail = "hubwise does not create ConnectWise custom fields (POST /system/userDefinedFields needs Table Setup rights and the pod id of the screen: connectwise-api.md §7); add it in ConnectWise (Setup Tables, User Defined Fields)"
			}
			rep.Items = append(rep.Items, it)
		}
	}
	e.log.Info("syncer: schema ensured", "created", rep.Count(SchemaCreated), "drift", rep.Count(SchemaDrift), "missing", rep.Count(SchemaMissing))
	return rep, nil
}

// drift records a drift in it and returns any other error.
func drift(it *SchemaItem, err error) error {
	if err == nil {
		return nil
	}
	var de *hubspot.DriftError
	if errors.As(err, &de) || it.Outcome == SchemaDrift {
		it.Outcome = SchemaDrift
		it.Detail = err.Error()
		return nil
	}
	return err
}

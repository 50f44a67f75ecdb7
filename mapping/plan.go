package mapping

import "slices"

// PropertyPlan is the set of HubSpot property groups and properties a spec
// needs, as data the engine can ensure (create what is missing, in order:
// groups first, then properties).
type PropertyPlan struct {
	Groups     []PlannedGroup    // groups to ensure first
	Properties []PlannedProperty // then the properties
}

// PlannedGroup is a property group the spec needs.
type PlannedGroup struct {
	Group  PropertyGroup // the group definition
	Exists bool          // present in the live schema given to the plan
}

// PlannedProperty is a HubSpot property the spec defines.
type PlannedProperty struct {
	Object   string      // HubSpot object type
	Property PropertyDef // Name and GroupName filled in
	Exists   bool        // present in the live schema given to the plan
}

// Missing returns the groups and properties that do not exist yet.
func (p *PropertyPlan) Missing() *PropertyPlan {
	out := &PropertyPlan{}
	for _, g := range p.Groups {
		if !g.Exists {
			out.Groups = append(out.Groups, g)
		}
	}
	for _, pp := range p.Properties {
		if !pp.Exists {
			out.Properties = append(out.Properties, pp)
		}
	}
	return out
}

// PropertyPlan returns the plan computed at compile time (against the
// Options.Schema given to Compile, if any).
func (m *Mapping) PropertyPlan() *PropertyPlan { return m.plan }

// PlanProperties computes the property plan of s against a live schema (nil
// means nothing exists yet). Only enabled objects and active fields count;
// a group is planned when declared in the spec or used by a definition.
func PlanProperties(s *Spec, sc *Schema) *PropertyPlan { return planProperties(s, sc) }

func planProperties(s *Spec, sc *Schema) *PropertyPlan {
	p := &PropertyPlan{}
	groupExists := func(obj, name string) bool {
		return sc != nil && slices.Contains(sc.HubSpotGroups[obj], name)
	}
	addGroup := func(g PropertyGroup) {
		for _, have := range p.Groups {
			if have.Group.Object == g.Object && have.Group.Name == g.Name {
				return
			}
		}
		p.Groups = append(p.Groups, PlannedGroup{Group: g, Exists: groupExists(g.Object, g.Name)})
	}
	declared := func(obj, name string) (PropertyGroup, bool) {
		for _, g := range s.Groups {
			if g.Object == obj && g.Name == name {
				return g, true
			}
		}
		return PropertyGroup{}, false
	}
	for _, om := range s.Objects {
		if !om.IsEnabled() || om.Direction == Off {
			continue
		}
		for _, fm := range om.Fields {
			if fm.Property == nil || effective(om.Direction, fm.Direction) == Off {
				continue
			}
			def := *fm.Property
			def.Name = fm.HubSpot
			if def.GroupName == "" {
				def.GroupName = GroupConnectWise
			}
			def.Options = slices.Clone(def.Options)
			if g, ok := declared(om.HubSpot, def.GroupName); ok {
				addGroup(g)
			} else if def.GroupName == GroupConnectWise {
				addGroup(PropertyGroup{Object: om.HubSpot, Name: GroupConnectWise, Label: "ConnectWise"})
			}
			exists := false
			if sc != nil {
				exists = slices.ContainsFunc(sc.HubSpot[om.HubSpot], func(hp HubSpotProperty) bool { return hp.Name == def.Name })
			}
			p.Properties = append(p.Properties, PlannedProperty{Object: om.HubSpot, Property: def, Exists: exists})
		}
	}
	for _, g := range s.Groups {
		addGroup(g)
	}
	return p
}

package mapping

import (
	"fmt"
	"strconv"
)

// Association declares that a record of one object mapping references a
// record of another: on the ConnectWise side through a reference field
// holding the other record's id, on the HubSpot side through an
// association of a given type. The engine links both ends first (objects
// sync in spec order) and then writes the association on the side that
// lacks it.
type Association struct {
	// To names the other object mapping ("companies").
	To string `json:"to" yaml:"to"`
	// ConnectWise is the path of the other record's ConnectWise id
	// ("company/id"). It must be a plain field or reference path.
	ConnectWise string `json:"connectwise" yaml:"connectwise"`
	// HubSpotTypeID is the HUBSPOT_DEFINED association type id from this
	// object to the other (contact to company 279, deal to company 341,
	// deal to contact 3; hubspot-api.md §7).
	HubSpotTypeID int `json:"hubspotTypeId" yaml:"hubspotTypeId"`
}

type association struct {
	Association
	path Path
}

func compileAssociations(s *Spec, om *ObjectMapping, o *Object, loc string, is *issues) {
	seen := map[string]bool{}
	for i, a := range om.Associations {
		aloc := loc + ".associations[" + strconv.Itoa(i) + "]"
		if s.Object(a.To) == nil {
			is.errorf(CodeSpec, om.Name, "", aloc+".to", "association target %q is not an object mapping of the spec", a.To)
		}
		if seen[a.To] {
			is.errorf(CodeDuplicateTarget, om.Name, "", aloc, "association to %q is declared twice", a.To)
		}
		seen[a.To] = true
		if a.HubSpotTypeID <= 0 {
			is.errorf(CodeSpec, om.Name, "", aloc+".hubspotTypeId", "association to %q needs a positive HubSpot association type id", a.To)
		}
		p, err := ParsePath(a.ConnectWise)
		if err != nil {
			is.errorf(CodeBadPath, om.Name, "", aloc+".connectwise", "%v", err)
			continue
		}
		for _, seg := range p.segs {
			if seg.array() {
				is.errorf(CodeNotWritable, om.Name, "", aloc+".connectwise", "association path %q must not address array elements", a.ConnectWise)
			}
		}
		o.assoc = append(o.assoc, association{Association: a, path: p})
	}
}

// Associations returns the declared associations in spec order.
func (o *Object) Associations() []Association {
	out := make([]Association, len(o.assoc))
	for i, a := range o.assoc {
		out[i] = a.Association
	}
	return out
}

func (o *Object) association(to string) (*association, error) {
	for i := range o.assoc {
		if o.assoc[i].To == to {
			return &o.assoc[i], nil
		}
	}
	return nil, fmt.Errorf("mapping: %s has no association to %q", o.name, to)
}

// AssociatedIDs returns, per associated object mapping name, the ConnectWise
// id the record references; references that are absent or null are left out.
func (o *Object) AssociatedIDs(rec map[string]any) map[string]string {
	out := make(map[string]string, len(o.assoc))
	for _, a := range o.assoc {
		v, ok := a.path.Get(rec)
		if !ok {
			continue
		}
		if s, ok := scalarString(v); ok && s != "" {
			out[a.To] = s
		}
	}
	return out
}

// SetAssociated writes the ConnectWise id of the associated record into a
// create body ({"company": {"id": 250}}). Integer ids are written as JSON
// numbers.
func (o *Object) SetAssociated(body map[string]any, to, connectWiseID string) error {
	a, err := o.association(to)
	if err != nil {
		return err
	}
	return a.path.Set(body, literalID(connectWiseID))
}

// AssociationPatch returns the operation that makes the current ConnectWise
// record reference connectWiseID, replacing the whole reference
// ("replace /company" with {"id": 250}); ok is false when it already does.
func (o *Object) AssociationPatch(to, connectWiseID string, current map[string]any) (op PatchOp, ok bool, err error) {
	a, err := o.association(to)
	if err != nil {
		return PatchOp{}, false, err
	}
	if v, present := a.path.Get(current); present {
		if s, _ := scalarString(v); s == connectWiseID {
			return PatchOp{}, false, nil
		}
	}
	segs := a.path.segs
	if len(segs) == 1 {
		return PatchOp{Op: "replace", Path: "/" + ptr(segs[0].key), Value: literalID(connectWiseID)}, true, nil
	}
	ref := map[string]any{}
	_ = Path{raw: a.path.raw, segs: segs[1:]}.Set(ref, literalID(connectWiseID))
	return PatchOp{Op: "replace", Path: "/" + ptr(segs[0].key), Value: ref}, true, nil
}

func literalID(id string) any {
	if isJSONInt(id) {
		return literal(id)
	}
	return id
}

package mapping

import (
	"strconv"
)

// classify decides how the field's path is written toward ConnectWise.
func (f *field) classify() {
	segs := f.path.segs
	first := segs[0]
	for _, s := range segs[1:] {
		if s.array() {
			return // arrays below the first segment: not writable
		}
	}
	switch {
	case len(segs) == 1 && !first.array():
		f.shape = shapeTop
	case len(segs) == 1:
		if first.index >= 0 {
			f.shape = shapeTopArray
		}
	case !first.array():
		f.shape = shapeNested
		f.rest = Path{raw: f.path.raw, segs: segs[1:]}
	case first.key == "customFields" && len(segs) == 2 && segs[1].key == "value" && len(first.conds) == 1:
		switch first.conds[0].key {
		case "id":
			f.shape, f.cfID = shapeCustom, first.conds[0].val
		case "caption":
			f.shape, f.cfCap = shapeCustom, first.conds[0].val
		}
	default:
		f.shape = shapeElement
		f.rest = Path{raw: f.path.raw, segs: segs[1:]}
	}
}

// canonical renders the path for duplicate detection.
func (p Path) canonical() string {
	s := ""
	for i, seg := range p.segs {
		if i > 0 {
			s += "/"
		}
		s += seg.key
		if seg.index >= 0 {
			s += "[" + strconv.Itoa(seg.index) + "]"
		}
		for k, c := range seg.conds {
			if k == 0 {
				s += "["
			} else {
				s += ","
			}
			s += c.key + "=" + c.val
		}
		if len(seg.conds) > 0 {
			s += "]"
		}
	}
	return s
}

// FieldInfo describes a compiled field for the engine.
type FieldInfo struct {
	HubSpot     string    // HubSpot property name (the key in Values)
	ConnectWise string    // ConnectWise path, "" for computed fields
	Direction   Direction // effective direction (object direction applied)
	Conflict    Conflict  // conflict preference ("" = engine default)
	Kind        Kind      // HubSpot value kind produced by the transforms
	// Projected is false when the field cannot be projected from
	// ConnectWise (a transform of its chain only runs toward ConnectWise,
	// such as join): FromConnectWise leaves it out, so the engine decides
	// its writes from the HubSpot side alone, and Patch compares the raw
	// ConnectWise value instead.
	Projected bool
}

func (f *field) info() FieldInfo {
	return FieldInfo{HubSpot: f.prop, ConnectWise: f.path.raw, Direction: f.dir, Conflict: f.conflict, Kind: f.kind, Projected: f.fwdOK}
}

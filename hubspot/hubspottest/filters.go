package hubspottest

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
)

// checkFilter validates one filter's property and operands; "" means valid.
func (s *Server) checkFilter(st *store, f searchFilter) string {
	if typ, ok := strings.CutPrefix(f.PropertyName, "associations."); ok {
		// Pseudo-property associations.{objectType} EQ <id> (hubspot-api.md §5).
		if s.objectType(typ) == nil {
			return "Unable to infer object type from: " + typ
		}
		if f.Operator != "EQ" || f.Value == nil {
			return "associations." + typ + " supports only EQ with a value"
		}
		return ""
	}
	if _, ok := st.props[f.PropertyName]; !ok {
		return fmt.Sprintf("Property %q does not exist and cannot be filtered on.", f.PropertyName)
	}
	switch f.Operator {
	case "HAS_PROPERTY", "NOT_HAS_PROPERTY":
	case "IN", "NOT_IN":
		if len(f.Values) == 0 {
			return f.Operator + " requires values"
		}
	case "BETWEEN":
		if f.Value == nil || f.HighValue == nil {
			return "BETWEEN requires value and highValue"
		}
	default:
		if f.Value == nil {
			return f.Operator + " requires a value"
		}
	}
	return ""
}

func (s *Server) matchFilter(st *store, rec *record, f searchFilter) bool {
	if typ, ok := strings.CutPrefix(f.PropertyName, "associations."); ok {
		t := s.objectType(typ)
		id, err := strconv.ParseInt(string(*f.Value), 10, 64)
		return err == nil && s.liveAssociated(st.typ.id, rec.id, t.id, id)
	}
	p := st.props[f.PropertyName]
	v, has := rec.props[f.PropertyName]
	val := func(x *flexString) string { return string(*x) }
	switch f.Operator {
	case "HAS_PROPERTY":
		return has
	case "NOT_HAS_PROPERTY":
		return !has
	case "EQ":
		return has && equalValue(p, v, val(f.Value))
	case "NEQ":
		// Records without the property match NEQ (not documented; assumed).
		return !has || !equalValue(p, v, val(f.Value))
	case "LT":
		return has && compareValues(p, v, val(f.Value)) < 0
	case "LTE":
		return has && compareValues(p, v, val(f.Value)) <= 0
	case "GT":
		return has && compareValues(p, v, val(f.Value)) > 0
	case "GTE":
		return has && compareValues(p, v, val(f.Value)) >= 0
	case "BETWEEN":
		return has && compareValues(p, v, val(f.Value)) >= 0 && compareValues(p, v, val(f.HighValue)) <= 0
	case "IN":
		return has && inValues(p, v, f.Values)
	case "NOT_IN":
		return !has || !inValues(p, v, f.Values)
	case "CONTAINS_TOKEN":
		return has && containsToken(v, val(f.Value))
	case "NOT_CONTAINS_TOKEN":
		return !has || !containsToken(v, val(f.Value))
	}
	return false
}

// equalValue compares for EQ: "Values in filters are case-insensitive" for
// strings, while enumeration values must match exactly (hubspot-api.md §5).
func equalValue(p *Property, stored, want string) bool {
	switch p.Type {
	case "string":
		return strings.EqualFold(stored, want)
	case "enumeration":
		if p.FieldType == "checkbox" {
			return slices.Contains(strings.Split(stored, ";"), want)
		}
		return stored == want
	}
	return compareValues(p, stored, want) == 0
}

// inValues implements IN: string properties need lowercase values, since the
// stored value is compared lowercased (hubspot-api.md §5 "… IN/NOT_IN, which need
// lowercase values for string properties").
func inValues(p *Property, stored string, values []flexString) bool {
	for _, x := range values {
		want := string(x)
		switch p.Type {
		case "string":
			if strings.ToLower(stored) == want {
				return true
			}
		case "enumeration":
			if equalValue(p, stored, want) {
				return true
			}
		default:
			if compareValues(p, stored, want) == 0 {
				return true
			}
		}
	}
	return false
}

// containsToken matches a whole word of the value, case-insensitively; a
// value with '*' is a wildcard pattern over the whole value (e.g. "*@hubspot.com").
func containsToken(stored, token string) bool {
	stored, token = strings.ToLower(stored), strings.ToLower(token)
	if strings.Contains(token, "*") {
		ok, _ := path.Match(token, stored)
		return ok
	}
	words := strings.FieldsFunc(stored, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
	for _, tok := range strings.Fields(token) {
		if stored != tok && !slices.Contains(words, tok) {
			return false
		}
	}
	return true
}

// compareValues orders two values of property p: numerically for numbers,
// by instant for dates (epoch ms or ISO 8601 accepted), textually otherwise.
func compareValues(p *Property, a, b string) int {
	switch p.Type {
	case "number":
		x, err1 := strconv.ParseFloat(a, 64)
		y, err2 := strconv.ParseFloat(b, 64)
		if err1 == nil && err2 == nil {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	case "datetime", "date":
		x, ok1 := parseTime(a)
		y, ok2 := parseTime(b)
		if ok1 && ok2 {
			return x.Compare(y)
		}
	}
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

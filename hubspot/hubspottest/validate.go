package hubspottest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// propProblem is one invalid property value.
type propProblem struct {
	Name, Code, Message string
}

// Error codes of property validation. PROPERTY_DOESNT_EXIST is recorded
// (contacts-batch-create-400-validation.json) and INVALID_DATE with "not midnight!"
// is observed (hubspot-api.md §8, 3p HubSpot.NET#98). The other codes are HubSpot's
// property-validation names as seen in third-party reports; their exact message texts
// were not recorded, so clients must not parse them.
const (
	codeNoProperty   = "PROPERTY_DOESNT_EXIST"
	codeReadOnly     = "READ_ONLY_VALUE"
	codeBadOption    = "INVALID_OPTION"
	codeBadNumber    = "INVALID_DECIMAL"
	codeBadDate      = "INVALID_DATE"
	codeBadDatetime  = "INVALID_LONG"
	codeBadBool      = "INVALID_BOOLEAN"
	codeBadEmail     = "INVALID_EMAIL"
	codeMissing      = "MISSING_REQUIRED_PROPERTY" // 3p transcription of the 2026-09 changelog
	maxPropertyValue = 65536                       // string values: HubSpot caps text at 65,536 characters
)

// Numbers: digits with at most one period and no thousands separators
// (hubspot-api.md §6, cl: upcoming-increased-validation-for-contact-updates…).
var numberRE = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// validate checks props against st's definitions and returns the normalised
// values (dates as YYYY-MM-DD, datetimes as ISO 8601 UTC with milliseconds,
// booleans lowercase) and the problems found. Callers hold s.mu.
func (s *Server) validate(st *store, props map[string]string, current map[string]string) (map[string]string, []propProblem) {
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make(map[string]string, len(props))
	var probs []propProblem
	bad := func(n, code, format string, a ...any) {
		probs = append(probs, propProblem{Name: n, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	for _, n := range names {
		v := props[n]
		p := st.props[n]
		if p == nil || p.Archived != nil && *p.Archived {
			bad(n, codeNoProperty, "Property %q does not exist", n)
			continue
		}
		if p.ModificationMetadata.ReadOnlyValue || p.Calculated {
			bad(n, codeReadOnly, "%q is a read only property; its value cannot be set.", n)
			continue
		}
		if v == "" { // an empty string clears the value
			out[n] = ""
			continue
		}
		norm, code, msg := s.checkValue(st, p, v, mergedValue(props, current, "pipeline"), mergedValue(props, current, "hs_pipeline"))
		if code != "" {
			bad(n, code, "%s", msg)
			continue
		}
		if n == "lifecyclestage" && backward(p, current[n], norm) {
			if s.opts.LifecycleBackward == LifecycleBackwardRejected {
				bad(n, codeBadOption, "lifecyclestage can only move forward: %s is before %s; clear the value first", norm, current[n])
			}
			continue // ignored: the stage stays
		}
		out[n] = norm
	}
	return out, probs
}

// backward reports whether setting enumeration p from cur to next moves it to an
// earlier option (lifecyclestage only moves forward unless cleared first,
// hubspot-api.md §8). Setting it from empty is never backward.
func backward(p *Property, cur, next string) bool {
	if cur == "" {
		return false
	}
	order := map[string]int{}
	for _, o := range p.Options {
		order[o.Value] = o.DisplayOrder
	}
	c, ok1 := order[cur]
	n, ok2 := order[next]
	return ok1 && ok2 && n < c
}

func mergedValue(props, current map[string]string, name string) string {
	if v, ok := props[name]; ok {
		return v
	}
	return current[name]
}

// checkValue validates one non-empty value of property p.
func (s *Server) checkValue(st *store, p *Property, v, dealPipeline, ticketPipeline string) (norm, code, msg string) {
	switch p.Type {
	case "number":
		if !numberRE.MatchString(v) {
			return "", codeBadNumber, fmt.Sprintf("%s is not a valid number. Numbers may not contain thousands separators or more than one decimal point.", v)
		}
	case "bool":
		switch strings.ToLower(v) {
		case "true", "false":
			return strings.ToLower(v), "", ""
		}
		return "", codeBadBool, fmt.Sprintf("%s is not a valid boolean value; use true or false", v)
	case "date":
		// date properties must be midnight UTC (hubspot-api.md §8 Timestamps).
		t, ok := parseTime(v)
		if !ok {
			return "", codeBadDate, fmt.Sprintf("%s is not a valid date", v)
		}
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
			return "", codeBadDate, fmt.Sprintf("%s is at %d:%d:%d.%d UTC, not midnight!", v, t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e6)
		}
		return t.Format("2006-01-02"), "", ""
	case "datetime":
		t, ok := parseTime(v)
		if !ok {
			return "", codeBadDatetime, fmt.Sprintf("%s is not a valid datetime; use epoch milliseconds or ISO 8601", v)
		}
		return isoTime(t), "", ""
	case "enumeration":
		allowed := s.allowedOptions(st, p, dealPipeline, ticketPipeline)
		vals := []string{v}
		if p.FieldType == "checkbox" { // multi-select values are joined with ';' (hubspot-api.md §8)
			vals = strings.Split(v, ";")
		}
		for _, one := range vals {
			if !slices.Contains(allowed, one) {
				return "", codeBadOption, fmt.Sprintf("%s was not one of the allowed options: [%s]", one, strings.Join(allowed, ", "))
			}
		}
	case "string":
		if len(v) > maxPropertyValue {
			return "", "INVALID_STRING", fmt.Sprintf("value of %s is longer than %d characters", p.Name, maxPropertyValue)
		}
		if p.Name == "email" && st.typ.name == "contacts" && !emailRE.MatchString(v) {
			return "", codeBadEmail, fmt.Sprintf("Email address %s is invalid", v)
		}
	}
	return v, "", ""
}

// allowedOptions lists the values an enumeration accepts: its options, or for
// external options the owners, pipelines or stages they reference.
func (s *Server) allowedOptions(st *store, p *Property, dealPipeline, ticketPipeline string) []string {
	var out []string
	switch {
	case p.ReferencedObjectType == "OWNER":
		for _, o := range s.owners {
			if !o.Archived {
				out = append(out, o.ID)
			}
		}
	case p.ReferencedObjectType == "PIPELINE":
		for _, pl := range s.pipes[st.typ.id] {
			out = append(out, pl.ID)
		}
	case p.ReferencedObjectType == "PIPELINE_STAGE":
		pipe := dealPipeline
		if st.typ.name == "tickets" {
			pipe = ticketPipeline
		}
		for _, pl := range s.pipes[st.typ.id] {
			if pipe == "" || pl.ID == pipe {
				for _, stg := range pl.Stages {
					out = append(out, stg.ID)
				}
			}
		}
	default:
		for _, o := range p.Options {
			out = append(out, o.Value)
		}
	}
	return out
}

// parseTime accepts epoch milliseconds, YYYY-MM-DD and ISO 8601 / RFC 3339
// (hubspot-api.md §8: ms timestamps; ISO 8601 accepted on v3 writes).
func parseTime(v string) (time.Time, bool) {
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// validationBody is the 400 body for invalid property values, in the image of
// contacts-batch-create-400-validation.json: the message embeds a JSON array of
// the problems and errors[] lists them with context.propertyName.
func validationBody(probs []propProblem) apiError {
	type embedded struct {
		IsValid bool   `json:"isValid"`
		Message string `json:"message"`
		Error   string `json:"error"`
		Name    string `json:"name"`
	}
	list := make([]embedded, len(probs))
	details := make([]errorDetail, len(probs))
	for i, p := range probs {
		list[i] = embedded{Message: p.Message, Error: p.Code, Name: p.Name}
		details[i] = errorDetail{Message: p.Message, Code: p.Code, Context: map[string][]string{"propertyName": {p.Name}}}
	}
	b, _ := json.Marshal(list)
	return apiError{Message: "Property values were not valid: " + string(b), Errors: details, Category: catValidation}
}

// requiredFor returns the required properties enforced for a write on r's
// path: only on 2026-09 paths (hubspot-api.md §0 "2026-09 breaking change").
func (s *Server) requiredFor(r *http.Request, st *store) []string {
	if r.PathValue("version") != "2026-09" {
		return nil
	}
	return s.require[st.typ.id]
}

// missingIdentity reports a contact create without email, firstname or lastname
// when Options.RequireContactIdentity is set (hubspot-api.md §4 Create).
func (s *Server) missingIdentity(st *store, props map[string]string) []propProblem {
	if !s.opts.RequireContactIdentity || st.typ.name != "contacts" {
		return nil
	}
	for _, n := range []string{"email", "firstname", "lastname"} {
		if props[n] != "" {
			return nil
		}
	}
	return []propProblem{{Name: "email", Code: codeMissing, Message: "A contact needs at least one of email, firstname or lastname"}}
}

// missingRequired reports required properties that a write leaves empty;
// current holds the record's values (nil on create).
func missingRequired(required []string, props, current map[string]string) []propProblem {
	var probs []propProblem
	for _, n := range required {
		v, set := props[n]
		if !set {
			if current == nil {
				v = ""
			} else {
				continue // an update that does not touch it
			}
		}
		if v == "" {
			probs = append(probs, propProblem{Name: n, Code: codeMissing, Message: fmt.Sprintf("Property %q is required", n)})
		}
	}
	return probs
}

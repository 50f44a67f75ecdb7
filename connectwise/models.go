package connectwise

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Models are lenient: every field that real payloads omit or send as null is a
// pointer or a slice, unknown fields are ignored, and ids arrive as numbers or
// numeric strings (contact POST bodies send communication type ids as "13",
// SOURCES.md contact-create-request.json). Decoding never fails on a shape the
// published spec does not describe (connectwise-api.md §11).

// Reference is a link to another record: {id, name, identifier, _info}.
type Reference struct {
	ID         int     `json:"id,omitempty"`
	Name       *string `json:"name,omitempty"`
	Identifier *string `json:"identifier,omitempty"`
	Info       *Info   `json:"_info,omitempty"`
}

// Ref returns a reference by id, the form writes use ({"id": N}).
func Ref(id int) *Reference { return &Reference{ID: id} }

// UnmarshalJSON accepts the id as a number or a numeric string.
func (r *Reference) UnmarshalJSON(b []byte) error {
	var raw struct {
		ID         flexInt `json:"id"`
		Name       *string `json:"name"`
		Identifier *string `json:"identifier"`
		Info       *Info   `json:"_info"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*r = Reference{ID: int(raw.ID), Name: raw.Name, Identifier: raw.Identifier, Info: raw.Info}
	return nil
}

// flexInt decodes a JSON number or numeric string; null, "" and other text are 0.
type flexInt int

// UnmarshalJSON reads a number, a numeric string, null or "" (lenient).
func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		*f = 0 // lenient: an unreadable id never sinks the record
		return nil
	}
	*f = flexInt(n)
	return nil
}

// Info is the _info object of a record: audit fields plus every other key (mostly
// *_href links) in Extra.
type Info struct {
	LastUpdated *Time  `json:"lastUpdated,omitempty"`
	UpdatedBy   string `json:"updatedBy,omitempty"`
	DateEntered *Time  `json:"dateEntered,omitempty"`
	EnteredBy   string `json:"enteredBy,omitempty"`
	// Extra holds the other keys; non-string values are kept in their JSON text.
	Extra map[string]string `json:"-"`
}

// UnmarshalJSON keeps unknown keys in Extra and tolerates odd value types.
func (in *Info) UnmarshalJSON(b []byte) error {
	*in = Info{}
	// Fast path: _info is a string-to-string map on every payload seen.
	var flat map[string]string
	if json.Unmarshal(b, &flat) == nil {
		for k, v := range flat {
			switch k {
			case "lastUpdated":
				in.LastUpdated = parseTimePtr(v)
			case "updatedBy":
				in.UpdatedBy = v
			case "dateEntered":
				in.DateEntered = parseTimePtr(v)
			case "enteredBy":
				in.EnteredBy = v
			default:
				continue
			}
			delete(flat, k)
		}
		if len(flat) > 0 {
			in.Extra = flat
		}
		return nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, v := range m {
		var s string
		if json.Unmarshal(v, &s) != nil {
			if string(v) == "null" {
				continue
			}
			s = string(v)
		}
		switch k {
		case "lastUpdated":
			in.LastUpdated = parseTimePtr(s)
		case "updatedBy":
			in.UpdatedBy = s
		case "dateEntered":
			in.DateEntered = parseTimePtr(s)
		case "enteredBy":
			in.EnteredBy = s
		default:
			if in.Extra == nil {
				in.Extra = map[string]string{}
			}
			in.Extra[k] = s
		}
	}
	return nil
}

// MarshalJSON writes the audit fields and Extra back as one object.
func (in Info) MarshalJSON() ([]byte, error) {
	m := map[string]string{}
	for k, v := range in.Extra {
		m[k] = v
	}
	if in.LastUpdated != nil {
		m["lastUpdated"] = in.LastUpdated.String()
	}
	if in.UpdatedBy != "" {
		m["updatedBy"] = in.UpdatedBy
	}
	if in.DateEntered != nil {
		m["dateEntered"] = in.DateEntered.String()
	}
	if in.EnteredBy != "" {
		m["enteredBy"] = in.EnteredBy
	}
	return json.Marshal(m)
}

// Time is a ConnectWise date-time. It is written as UTC with second precision,
// "2006-01-02T15:04:05Z" (connectwise-api.md §10), and read leniently (RFC 3339,
// without zone as UTC, or a bare date).
type Time struct{ time.Time }

// TimeLayout is the wire layout of date-times.
const TimeLayout = "2006-01-02T15:04:05Z"

// NewTime returns t as a Time (converted to UTC, truncated to seconds).
func NewTime(t time.Time) *Time { return &Time{t.UTC().Truncate(time.Second)} }

// String formats t in the wire layout.
func (t Time) String() string { return t.UTC().Format(TimeLayout) }

// MarshalJSON writes the wire layout.
func (t Time) MarshalJSON() ([]byte, error) { return []byte(`"` + t.String() + `"`), nil }

// UnmarshalJSON reads RFC 3339, a zone-less date-time (as UTC) or a bare date.
// Decoding is lenient: null, "" and values that are not a date-time leave t zero
// rather than failing the whole record.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil || s == "" {
		return nil
	}
	if p, ok := parseTime(s); ok {
		t.Time = p
	}
	return nil
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if p, err := time.Parse(layout, s); err == nil {
			return p.UTC(), true
		}
	}
	return time.Time{}, false
}

func parseTimePtr(s string) *Time {
	if p, ok := parseTime(s); ok {
		return &Time{p}
	}
	return nil
}

// Count is the body of a /count call.
type Count struct {
	Count int `json:"count"`
}

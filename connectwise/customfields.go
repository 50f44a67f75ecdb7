package connectwise

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CustomField is one entry of a record's customFields array (connectwise-api.md §7,
// S9 model_custom_field_value.go). Every field defined on the screen is returned,
// set or not; Value is any JSON type (string, number, bool) or nil, and older
// codebases omit the value key when unset (SOURCES.md company-get.json), newer ones
// send "value": null (contact files).
type CustomField struct {
	ID               int     `json:"id"`
	Caption          string  `json:"caption,omitempty"`
	Type             string  `json:"type,omitempty"`        // Text, Number, Date, Checkbox, ...
	EntryMethod      string  `json:"entryMethod,omitempty"` // EntryField, List, Option, Date
	NumberOfDecimals *int    `json:"numberOfDecimals,omitempty"`
	Value            any     `json:"value"`
	ConnectWiseID    *string `json:"connectWiseId,omitempty"`
	RowNum           *int    `json:"rowNum,omitempty"`
	PodID            *string `json:"podId,omitempty"`
	// UserDefinedFieldRecID repeats ID on records of newer codebases.
	UserDefinedFieldRecID *int `json:"userDefinedFieldRecId,omitempty"`
}

// UnmarshalJSON tolerates odd shapes (a numeric podId, a string id).
func (f *CustomField) UnmarshalJSON(b []byte) error {
	type plain CustomField
	var raw struct {
		plain
		ID    flexInt         `json:"id"`
		PodID json.RawMessage `json:"podId"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*f = CustomField(raw.plain)
	f.ID = int(raw.ID)
	if len(raw.PodID) > 0 && string(raw.PodID) != "null" {
		var s string
		if json.Unmarshal(raw.PodID, &s) != nil {
			s = string(raw.PodID)
		}
		f.PodID = &s
	}
	return nil
}

// String returns Value as text: "" for nil, numbers without exponent, true/false.
func (f CustomField) String() string {
	switch v := f.Value.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// Float returns a numeric value (a JSON number or a numeric string).
func (f CustomField) Float() (float64, bool) {
	switch v := f.Value.(type) {
	case float64:
		return v, true
	case json.Number:
		n, err := v.Float64()
		return n, err == nil
	case string:
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return n, err == nil
	}
	return 0, false
}

// Bool returns a checkbox value: a JSON bool, or the strings "true"/"false" that List
// fields hold (SOURCES.md: is_synced = "false").
func (f CustomField) Bool() (bool, bool) {
	switch v := f.Value.(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		return b, err == nil
	}
	return false, false
}

// Time returns a Date value ("2026-02-01T00:00:00Z" or a bare date), in UTC.
func (f CustomField) Time() (time.Time, bool) {
	if s, ok := f.Value.(string); ok {
		return parseTime(strings.TrimSpace(s))
	}
	return time.Time{}, false
}

// IsSet reports whether the field holds a value (not nil, not "").
func (f CustomField) IsSet() bool { return f.Value != nil && f.Value != "" }

// CustomFields is a record's customFields array.
type CustomFields []CustomField

// ByCaption returns the field with the caption (case-insensitive).
func (cf CustomFields) ByCaption(caption string) (CustomField, bool) {
	for _, f := range cf {
		if strings.EqualFold(f.Caption, caption) {
			return f, true
		}
	}
	return CustomField{}, false
}

// ByID returns the field with the id.
func (cf CustomFields) ByID(id int) (CustomField, bool) {
	for _, f := range cf {
		if f.ID == id {
			return f, true
		}
	}
	return CustomField{}, false
}

// CustomFieldValue is one {id, value} entry of a custom field update.
type CustomFieldValue struct {
	ID    int `json:"id"`
	Value any `json:"value"`
}

// SetCustomFields returns the PATCH operation that writes custom fields:
// {"op":"replace","path":"/customFields","value":[{"id":15,"value":...}]}, the form
// the API accepts (amp-labs builds exactly this, connectwise-api.md §7, S11). Fields
// left out keep their values; a nil Value clears one. At least one value is needed
// (an empty array changes nothing, S11).
func SetCustomFields(values ...CustomFieldValue) PatchOp {
	return Replace("/customFields", values)
}

// Values resolves captions to ids using the record's own customFields
// (every defined field is present on the record) and returns the update values. An
// unknown caption is an error naming it.
func (cf CustomFields) Values(byCaption map[string]any) ([]CustomFieldValue, error) {
	out := make([]CustomFieldValue, 0, len(byCaption))
	for caption, v := range byCaption {
		f, ok := cf.ByCaption(caption)
		if !ok {
			return nil, fmt.Errorf("connectwise: no custom field with caption %q on this record", caption)
		}
		out = append(out, CustomFieldValue{ID: f.ID, Value: v})
	}
	sortValues(out)
	return out, nil
}

func sortValues(v []CustomFieldValue) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j].ID < v[j-1].ID; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// CustomFieldCondition matches records whose custom field caption has value v, for
// ListOptions.CustomFieldConditions: caption = "X" AND value = v
// (connectwise-api.md §4, S24).
func CustomFieldCondition(caption string, v any) Condition {
	return And(Eq("caption", caption), Eq("value", v))
}

// UserDefinedField is a custom field definition from system/userDefinedFields. Its
// keys differ from a record's customFields entries (SOURCES.md
// userdefinedfields-contact-screen.json): fieldTypeIdentifier (type),
// entryTypeIdentifier (entryMethod), numberDecimals (numberOfDecimals), connectWiseID
// (connectWiseId), and podId is a number here but a string on records.
type UserDefinedField struct {
	ID                  int                      `json:"id"`
	PodID               *int                     `json:"podId,omitempty"`
	PodDescription      *string                  `json:"podDescription,omitempty"`
	Caption             string                   `json:"caption"`
	SequenceNumber      *int                     `json:"sequenceNumber,omitempty"`
	ScreenID            *string                  `json:"screenId,omitempty"` // "ct300" = Contact
	ScreenDescription   *string                  `json:"screenDescription,omitempty"`
	FieldTypeIdentifier string                   `json:"fieldTypeIdentifier"`
	NumberDecimals      *int                     `json:"numberDecimals,omitempty"`
	EntryTypeIdentifier *string                  `json:"entryTypeIdentifier,omitempty"`
	RequiredFlag        *bool                    `json:"requiredFlag,omitempty"`
	DisplayOnScreenFlag *bool                    `json:"displayOnScreenFlag,omitempty"`
	ReadOnlyFlag        *bool                    `json:"readOnlyFlag,omitempty"`
	ListViewFlag        *bool                    `json:"listViewFlag,omitempty"`
	Options             []UserDefinedFieldOption `json:"options,omitempty"`
	BusinessUnitIDs     []int                    `json:"businessUnitIds,omitempty"`
	LocationIDs         []int                    `json:"locationIds,omitempty"`
	ConnectWiseID       *string                  `json:"connectWiseID,omitempty"`
	DateCreated         *Time                    `json:"dateCreated,omitempty"`
	Info                *Info                    `json:"_info,omitempty"`
}

// UnmarshalJSON tolerates podId as a number or a string.
func (u *UserDefinedField) UnmarshalJSON(b []byte) error {
	type plain UserDefinedField
	var raw struct {
		plain
		PodID *flexInt `json:"podId"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*u = UserDefinedField(raw.plain)
	if raw.PodID != nil {
		n := int(*raw.PodID)
		u.PodID = &n
	}
	return nil
}

// UserDefinedFieldOption is one choice of a List or Option field.
type UserDefinedFieldOption struct {
	ID           int    `json:"id"`
	OptionValue  string `json:"optionValue"`
	DefaultFlag  bool   `json:"defaultFlag"`
	InactiveFlag bool   `json:"inactiveFlag"`
	SortOrder    int    `json:"sortOrder"`
}

package mapping

import (
	"fmt"
	"strconv"
	"strings"
)

// Severity grades an Issue.
type Severity string

// Severities. Only errors fail Validate and Compile.
const (
	SeverityError Severity = "error"
	SeverityInfo  Severity = "info"
)

// Issue codes reported by Check, Validate and Compile.
const (
	CodeSpec             = "spec"              // structural problem (missing name, duplicate object, ...)
	CodeDirection        = "direction"         // unknown direction
	CodeConflict         = "conflict"          // unknown conflict preference
	CodeBadPath          = "bad_path"          // path syntax
	CodeNotWritable      = "not_writable"      // path cannot be written toward ConnectWise
	CodeUnknownTransform = "unknown_transform" // transform name not registered
	CodeBadTransform     = "bad_transform"     // transform parameters refused
	CodeOneWay           = "one_way_transform" // transform cannot run in a needed direction
	CodeLossy            = "lossy_transform"   // bidirectional field without a reversible chain
	CodeDuplicateTarget  = "duplicate_target"  // two fields write the same property or path
	CodeMatchKey         = "match_key"         // match key not mapped
	CodeBadFilter        = "bad_filter"        // filter cannot compile
	CodePropertyName     = "property_name"     // HubSpot would refuse the name
	CodePropertyType     = "property_type"     // bad type / fieldType / unique flag
	CodePropertyOptions  = "property_options"  // enumeration without (valid) options
	CodePropertyGroup    = "property_group"    // unknown property group
	CodeTypeMismatch     = "type_mismatch"     // transform output vs property or custom field type
	CodeUnknownProperty  = "unknown_property"  // property neither in the live schema nor defined
	CodeReadOnly         = "read_only"         // property is read-only in HubSpot
	CodeUnknownCustom    = "unknown_custom_field"
	CodeWillCreate       = "will_create" // info: the property will be created
)

// Issue is one problem found in a spec, with its location. Location is a
// path into the spec ("objects[1].fields[3].transform[0]"); File and Line
// are set for specs read by Load.
type Issue struct {
	Severity Severity `json:"severity"`         // error or info
	Code     string   `json:"code"`             // one of the Code constants
	Object   string   `json:"object,omitempty"` // object mapping name
	Field    string   `json:"field,omitempty"`  // HubSpot property of the field
	Location string   `json:"location"`         // path into the spec
	File     string   `json:"file,omitempty"`   // file given to Load
	Line     int      `json:"line,omitempty"`   // line in File, 0 when unknown
	Message  string   `json:"message"`          // what is wrong
}

// String renders the issue as "file:line: object.field: message [code at location]".
func (i Issue) String() string {
	var b strings.Builder
	if i.File != "" {
		b.WriteString(i.File)
		b.WriteString(":")
		if i.Line > 0 {
			b.WriteString(strconv.Itoa(i.Line))
			b.WriteString(":")
		}
		b.WriteString(" ")
	}
	if i.Object != "" {
		b.WriteString(i.Object)
		if i.Field != "" {
			b.WriteString(".")
			b.WriteString(i.Field)
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s [%s at %s]", i.Message, i.Code, i.Location)
	return b.String()
}

// ValidationError lists every error-severity issue of a spec.
type ValidationError struct {
	Issues []Issue // error-severity issues, in spec order
}

// Error renders one issue per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mapping: invalid spec: %d issue(s)", len(e.Issues))
	for _, i := range e.Issues {
		b.WriteString("\n  ")
		b.WriteString(i.String())
	}
	return b.String()
}

// issues collects issues while compiling.
type issues struct {
	src  *source
	list []Issue
}

func (is *issues) add(sev Severity, code, object, field, loc, format string, args ...any) {
	i := Issue{Severity: sev, Code: code, Object: object, Field: field, Location: loc, Message: fmt.Sprintf(format, args...)}
	if is.src != nil {
		i.File = is.src.file
		i.Line = is.src.line(loc)
	}
	is.list = append(is.list, i)
}

func (is *issues) errorf(code, object, field, loc, format string, args ...any) {
	is.add(SeverityError, code, object, field, loc, format, args...)
}

func (is *issues) err() error {
	var errs []Issue
	for _, i := range is.list {
		if i.Severity == SeverityError {
			errs = append(errs, i)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Issues: errs}
}

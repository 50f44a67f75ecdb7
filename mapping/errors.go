package mapping

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. FieldError and Issue values unwrap to them where it fits,
// so callers can write errors.Is(err, mapping.ErrUnmapped).
var (
	// ErrUnmapped: a value map or lookup has no entry for the value and no default.
	ErrUnmapped = errors.New("value not mapped")
	// ErrInvalidValue: the value cannot be converted (not a number, date, email...).
	ErrInvalidValue = errors.New("invalid value")
	// ErrAmbiguous: a reverse lookup or value map has several candidates.
	ErrAmbiguous = errors.New("ambiguous reverse mapping")
	// ErrNotWritable: the path cannot be written (for example no custom field id).
	ErrNotWritable = errors.New("path not writable")
	// ErrRequired: a field required on create has no value.
	ErrRequired = errors.New("required field has no value")
	// ErrNoTable: a lookup names a table the engine did not supply.
	ErrNoTable = errors.New("lookup table not supplied")
)

// maxErrValue bounds the part of a value quoted in an error message, so that
// errors never carry arbitrary large (or sensitive-looking) data.
const maxErrValue = 32

// FieldError is a problem with one field of one record. Value is the offending
// value shortened to at most 32 bytes.
type FieldError struct {
	Object   string // object mapping name
	RecordID string // ConnectWise id or HubSpot hs_object_id, when known
	Field    string // HubSpot property name
	Path     string // ConnectWise field path
	Value    string // offending value, truncated
	Err      error  // cause; unwraps to a sentinel such as ErrUnmapped
}

// Error returns a one-line description naming the record and the field.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("mapping: ")
	b.WriteString(e.Object)
	if e.RecordID != "" {
		b.WriteString(" record ")
		b.WriteString(e.RecordID)
	}
	b.WriteString(" field ")
	b.WriteString(e.Field)
	if e.Path != "" {
		b.WriteString(" (")
		b.WriteString(e.Path)
		b.WriteString(")")
	}
	if e.Value != "" {
		b.WriteString(" value ")
		b.WriteString(strconv.Quote(e.Value))
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *FieldError) Unwrap() error { return e.Err }

// RecordErrors collects the field errors of one record. Projection returns it
// together with the values of all fields that did map, so one bad field
// neither hides the others nor loses the good ones.
type RecordErrors []*FieldError

// Error joins the field errors, one per line.
func (r RecordErrors) Error() string {
	parts := make([]string, len(r))
	for i, e := range r {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the field errors for errors.Is and errors.As.
func (r RecordErrors) Unwrap() []error {
	out := make([]error, len(r))
	for i, e := range r {
		out[i] = e
	}
	return out
}

// orNil returns nil for an empty list so callers can compare with nil.
func (r RecordErrors) orNil() error {
	if len(r) == 0 {
		return nil
	}
	return r
}

// short renders a value for an error message, truncated to maxErrValue bytes
// on a rune boundary.
func short(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		s = x
	default:
		if str, ok := scalarString(v); ok {
			s = str
		} else {
			return fmt.Sprintf("<%T>", v)
		}
	}
	if len(s) <= maxErrValue {
		return s
	}
	cut := maxErrValue
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// invalid builds an ErrInvalidValue error with a reason.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidValue}, args...)...)
}

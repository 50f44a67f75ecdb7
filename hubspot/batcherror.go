package hubspot

import (
	"fmt"
	"strconv"
	"strings"
)

// BatchError reports the inputs of a batch call that failed while the others
// succeeded (a 207 answer, an input rejected before sending, or a request of the
// call that failed as a whole), and, in Abort, an error that stopped the call early.
type BatchError struct {
	// Op names the call, e.g. "batch upsert contacts".
	Op string
	// Inputs is the number of inputs the call was given.
	Inputs int
	// Failures lists the failed inputs in input order (unmatched failures last).
	Failures []BatchFailure
	// Abort is the error that stopped the call (a DAILY rate limit, a 401, a
	// transport error after retries, the same request-level 4xx twice in a row).
	Abort error
	// Unsent is, when Abort is set, the index from which inputs were not sent;
	// those that are not in Failures have no outcome and can be sent again.
	Unsent int
}

// BatchFailure is one failed input of a batch call.
type BatchFailure struct {
	// Index is the position of the input in the slice the caller passed, or -1 when
	// HubSpot's error could not be matched to an input.
	Index int
	// ID is the input's id (or idProperty value) when it has one.
	ID string
	// TraceID is the objectWriteTraceId sent with the input.
	TraceID string
	// Err is an *APIError from HubSpot or an *InputError found before sending.
	Err error
}

// Error returns one line: how many inputs failed, the first failure, and the abort.
func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hubspot: %s: %d of %d inputs failed", e.Op, len(e.Failures), e.Inputs)
	if len(e.Failures) > 0 {
		f := e.Failures[0]
		b.WriteString(" (")
		if f.Index >= 0 {
			b.WriteString("input " + strconv.Itoa(f.Index))
		} else {
			b.WriteString("unmatched")
		}
		if f.ID != "" {
			b.WriteString(" id " + f.ID)
		}
		b.WriteString(": " + strings.TrimPrefix(f.Err.Error(), "hubspot: "))
		if len(e.Failures) > 1 {
			fmt.Fprintf(&b, "; and %d more", len(e.Failures)-1)
		}
		b.WriteString(")")
	}
	if e.Abort != nil {
		fmt.Fprintf(&b, "; stopped before input %d: %s", e.Unsent, strings.TrimPrefix(e.Abort.Error(), "hubspot: "))
	}
	return b.String()
}

// Unwrap returns the failures' errors and the abort error, so errors.Is(err,
// ErrConflict) holds when any input conflicted.
func (e *BatchError) Unwrap() []error {
	errs := make([]error, 0, len(e.Failures)+1)
	for _, f := range e.Failures {
		errs = append(errs, f.Err)
	}
	if e.Abort != nil {
		errs = append(errs, e.Abort)
	}
	return errs
}

// Failed reports whether the input at index failed, and how.
func (e *BatchError) Failed(index int) (error, bool) {
	for _, f := range e.Failures {
		if f.Index == index {
			return f.Err, true
		}
	}
	return nil, false
}

// InputError is an input of a batch call (or of a search) rejected before sending.
type InputError struct {
	// Index is the input's position; Field names what is wrong with it.
	Index  int
	ID     string
	Field  string
	Reason string
}

// Error names the input and the field.
func (e *InputError) Error() string {
	s := "hubspot: input " + strconv.Itoa(e.Index)
	if e.ID != "" {
		s += " (id " + e.ID + ")"
	}
	return s + ": " + e.Field + ": " + e.Reason
}

// Unwrap returns ErrValidation.
func (e *InputError) Unwrap() error { return ErrValidation }

package syncer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/mapping"
)

// TerminalError marks a failure that repeating cannot fix (a validation error,
// a 4xx answer other than 429, a mapping error): the record is dead-lettered
// with the longest backoff instead of being retried in a hot loop
// (controller-runtime's TerminalError, STYLE.md "The engine").
type TerminalError struct{ Err error }

// Error returns the cause's text.
func (e *TerminalError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *TerminalError) Unwrap() error { return e.Err }

// Terminal wraps err as a [TerminalError]; nil stays nil.
func Terminal(err error) error {
	if err == nil {
		return nil
	}
	return &TerminalError{Err: err}
}

// IsTerminal reports whether err is permanent: a [TerminalError], a mapping
// field error or a missing lookup key.
func IsTerminal(err error) bool {
	var t *TerminalError
	var fe *mapping.FieldError
	return errors.As(err, &t) || errors.As(err, &fe) || errors.Is(err, ErrNoLookupKey)
}

// RecordError is the failure of one record: which object and record, on which
// side it failed, the field when one is known, and the cause.
type RecordError struct {
	Object        string
	Side          Side // the side the failing call went to
	HubSpotID     string
	ConnectWiseID int64
	Field         string
	Err           error
}

// Error returns one line naming the record and the field.
func (e *RecordError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "syncer: %s", e.Object)
	if e.HubSpotID != "" {
		fmt.Fprintf(&b, " hubspot=%s", e.HubSpotID)
	}
	if e.ConnectWiseID > 0 {
		fmt.Fprintf(&b, " connectwise=%d", e.ConnectWiseID)
	}
	if e.Side != "" {
		fmt.Fprintf(&b, " (writing to %s)", e.Side)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " field %s", e.Field)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns the cause.
func (e *RecordError) Unwrap() error { return e.Err }

// fieldOf returns the field an error names, if any: a mapping field error,
// the propertyName of a HubSpot validation detail (hubspot-api.md §3), or the
// field of a ConnectWise error entry (connectwise-api.md §8).
func fieldOf(err error) string {
	var fe *mapping.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	var he *hubspot.APIError
	if errors.As(err, &he) {
		for _, d := range he.Details {
			if p := d.Context["propertyName"]; len(p) > 0 {
				return p[0]
			}
		}
		if p := he.Context["propertyName"]; len(p) > 0 {
			return p[0]
		}
	}
	var ce *connectwise.APIError
	if errors.As(err, &ce) {
		for _, e := range ce.Errors {
			if e.Field != "" {
				return e.Field
			}
		}
	}
	return ""
}

// backoff returns when a record that failed for the attempts-th time is due.
func (e *Engine) backoff(attempts int, terminal bool, now time.Time) time.Time {
	if terminal {
		return now.Add(e.cfg.MaxRetryBackoff)
	}
	d := e.cfg.RetryBackoff
	for i := 1; i < attempts && d < e.cfg.MaxRetryBackoff; i++ {
		d *= 2
	}
	return now.Add(min(d, e.cfg.MaxRetryBackoff))
}

// sanitize makes an error text storable: valid UTF-8, no NUL, at most 1 KiB.
// Errors of the clients are already redacted (no tokens or keys).
func sanitize(s string) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
	if len(s) > 1024 {
		s = s[:1024]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// DeadLetters lists the tenant's dead letters of object ("" for all objects):
// failed records waiting for a retry, with their error and schedule, and
// records whose associations wait for a partner (Err starts with "deferred:").
func (e *Engine) DeadLetters(ctx context.Context, object string) ([]DeadLetter, error) {
	var out []DeadLetter
	for d, err := range e.store.ListDeadLetters(ctx, e.tenant, &DeadLetterListOptions{Object: object}) {
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// RetryNow makes every dead letter of object ("" for all) due at once, for
// example after the cause of a permanent failure was fixed.
func (e *Engine) RetryNow(ctx context.Context, object string) (int, error) {
	dls, err := e.DeadLetters(ctx, object)
	if err != nil {
		return 0, err
	}
	b := new(Batch)
	for _, d := range dls {
		// A put of an existing dead letter replaces NextRetryAt and adds Attempts.
		d.Attempts, d.NextRetryAt = 0, time.Time{}
		b.PutDeadLetter(d)
	}
	if b.Len() == 0 {
		return 0, nil
	}
	if err := e.commit(ctx, b); err != nil {
		return 0, fmt.Errorf("syncer: RetryNow: %w", err)
	}
	return len(dls), nil
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

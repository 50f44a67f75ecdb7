package hubspot

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HubSpot stores every property value as a string (hubspot-api.md §4, spec:
// SimplePublicObject). These helpers format Go values the way HubSpot accepts them
// and parse every form HubSpot is seen to return.

// ErrNotMidnightUTC is returned by FormatDate for a time that is not midnight UTC:
// HubSpot rejects such values for date properties with INVALID_DATE
// (hubspot-api.md §8, doc: how-should-timestamps-be-formatted; 3p: HubSpot.NET#98).
var ErrNotMidnightUTC = errors.New("hubspot: date value is not midnight UTC")

// FormatDate formats a date property value: epoch milliseconds of midnight UTC. t must
// be midnight UTC; use DateOf to truncate a time to its calendar day first.
func FormatDate(t time.Time) (string, error) {
	u := t.UTC()
	if u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
		return "", fmt.Errorf("%w: %s", ErrNotMidnightUTC, t.Format(time.RFC3339Nano))
	}
	return strconv.FormatInt(u.UnixMilli(), 10), nil
}

// DateOf returns midnight UTC of t's calendar day in t's own location, the value a
// date property holds for "the day t falls on".
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a date property value: epoch milliseconds ("1572480000000"),
// "YYYY-MM-DD", or an ISO 8601 datetime; HubSpot returns dates in more than one form
// (hubspot-api.md §8; 3p: airbyte #10576, belong-inc/go-hubspot PR #45). The result
// is midnight UTC of the day. An empty value gives the zero time and no error.
func ParseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := ParseDateTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("hubspot: parse date %q: want epoch ms or YYYY-MM-DD", s)
	}
	return DateOf(t.UTC()), nil
}

// FormatDateTime formats a datetime property value as epoch milliseconds, the form
// every endpoint accepts (hubspot-api.md §8, doc: how-should-timestamps-be-formatted).
func FormatDateTime(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// ParseDateTime reads a datetime property value: epoch milliseconds or ISO 8601
// (v3 responses return ISO 8601, e.g. "2022-06-01T14:31:48.469Z"). An empty value
// gives the zero time and no error. The result is in UTC.
func ParseDateTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if isDigits(s) || (len(s) > 1 && s[0] == '-' && isDigits(s[1:])) {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("hubspot: parse datetime %q: %w", s, err)
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("hubspot: parse datetime %q: want epoch ms or ISO 8601", s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatNumber formats a number property value: no thousands separators, at most one
// period, no exponent (hubspot-api.md §6, cl: upcoming-increased-validation…).
func FormatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// FormatInt formats an integer number property value.
func FormatInt(n int64) string { return strconv.FormatInt(n, 10) }

// ParseNumber reads a number property value. Empty gives 0 and ok false.
func ParseNumber(s string) (f float64, ok bool, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, nil
	}
	f, err = strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false, fmt.Errorf("hubspot: parse number %q: %w", s, err)
	}
	return f, true, nil
}

// FormatBool formats a bool property value: "true" or "false" (hubspot-api.md §8).
func FormatBool(b bool) string { return strconv.FormatBool(b) }

// ParseBool reads a bool property value ("true"/"false", case-insensitive). Empty
// gives false and ok false.
func ParseBool(s string) (b bool, ok bool, err error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return false, false, nil
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, false, fmt.Errorf("hubspot: parse bool %q: want true or false", s)
}

// FormatMultiSelect joins the internal values of a multi-select (checkbox
// enumeration) property with ";" (hubspot-api.md §8). Values must not contain ";".
func FormatMultiSelect(values []string) (string, error) {
	for _, v := range values {
		if strings.Contains(v, ";") {
			return "", fmt.Errorf("hubspot: multi-select value %q contains ';'", v)
		}
	}
	return strings.Join(values, ";"), nil
}

// ParseMultiSelect splits a multi-select value on ";", dropping empty entries.
func ParseMultiSelect(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

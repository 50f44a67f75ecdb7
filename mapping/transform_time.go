package mapping

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cwTimeLayout is ConnectWise's wire format: ISO-8601 UTC, second precision
// (connectwise-api.md §10, S2/S10).
const cwTimeLayout = "2006-01-02T15:04:05Z"

// parseCWTime reads a ConnectWise date or datetime. ConnectWise sends
// "2026-06-09T21:59:49Z"; custom-field dates may arrive as bare dates
// (connectwise-api.md §10, S20). A time without a zone is read in loc.
func parseCWTime(v any, loc *time.Location) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, invalid("date must be a string")
	}
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, invalid("not an ISO-8601 date")
}

// parseHSTime reads a HubSpot date or datetime value: epoch milliseconds,
// YYYY-MM-DD or ISO 8601. v3 responses use either form depending on the
// property (hubspot-api.md §8, "Parse both").
func parseHSTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s != "" && digits(strings.TrimPrefix(s, "-")) && s != "-" {
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, invalid("epoch milliseconds out of range")
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, invalid("not epoch milliseconds or ISO-8601")
}

func midnightMS(y int, m time.Month, d int) string {
	return strconv.FormatInt(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).UnixMilli(), 10)
}

// normalizeDate returns the canonical HubSpot date: midnight UTC in epoch
// milliseconds. HubSpot refuses date values that are not midnight UTC
// (INVALID_DATE "not midnight!", hubspot-api.md §8), so a non-midnight
// instant is an error rather than silently truncated.
func normalizeDate(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := parseHSTime(s)
	if err != nil {
		return "", err
	}
	if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
		return "", invalid("date is not midnight UTC")
	}
	return midnightMS(t.Date()), nil
}

// normalizeDatetime returns epoch milliseconds for any HubSpot datetime form.
func normalizeDatetime(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := parseHSTime(s)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(t.UnixMilli(), 10), nil
}

// startOfDay returns the first instant of t's UTC calendar date in loc.
// Midnight does not exist on days when clocks jump from 00:00 (Sao Paulo
// until 2019, Beirut, Santiago); time.Date's choice is then unspecified and
// may land on the previous day, so step forward to the first instant that
// reads as the wanted date.
func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.Date()
	s := time.Date(y, m, d, 0, 0, 0, 0, loc)
	for i := 0; i < 96; i++ {
		if sy, sm, sd := s.Date(); sy == y && sm == m && sd == d {
			return s
		}
		s = s.Add(15 * time.Minute).Truncate(15 * time.Minute)
	}
	return s
}

func loadZone(a *args) (*time.Location, error) {
	name := a.get("zone", "UTC")
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown zone %q", name)
	}
	return loc, nil
}

// newDate maps a ConnectWise datetime to a HubSpot date. ConnectWise keeps
// calendar dates as instants: date-only fields are often midnight UTC
// (expectedCloseDate "…T00:00:00Z"), but some are midnight of the server's
// zone (dateAcquired "2006-06-21T04:00:00Z" is midnight in New York). The
// "zone" argument (IANA name, default UTC) says in which zone the calendar
// date is read and, toward ConnectWise, in which zone midnight is written.
func newDate(st Step) (*Transform, error) {
	a := argsOf(st)
	loc, err := loadZone(a)
	if err != nil {
		return nil, err
	}
	if err := a.done(false); err != nil {
		return nil, err
	}
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				return nil, nil
			}
			t, err := parseCWTime(v, loc)
			if err != nil {
				return nil, err
			}
			return midnightMS(t.In(loc).Date()), nil
		},
		ToConnectWise: func(v any, _ *Env) (any, error) {
			s, ok := v.(string)
			if !ok || s == "" {
				return v, nil
			}
			ms, err := normalizeDate(s)
			if err != nil {
				return nil, err
			}
			t, _ := parseHSTime(ms)
			return startOfDay(t, loc).UTC().Format(cwTimeLayout), nil
		},
		Reversible: true,
		Kind:       KindDate,
		Normalize:  normalizeDate,
	}, nil
}

// newDatetime maps a ConnectWise datetime to HubSpot epoch milliseconds and
// back to ConnectWise's second-precision UTC form (milliseconds are dropped:
// ConnectWise does not store them). "zone" is used only for ConnectWise
// values without an offset.
func newDatetime(st Step) (*Transform, error) {
	a := argsOf(st)
	loc, err := loadZone(a)
	if err != nil {
		return nil, err
	}
	if err := a.done(false); err != nil {
		return nil, err
	}
	return &Transform{
		ToHubSpot: func(v any, _ *Env) (any, error) {
			if v == nil {
				return nil, nil
			}
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				return nil, nil
			}
			t, err := parseCWTime(v, loc)
			if err != nil {
				return nil, err
			}
			return strconv.FormatInt(t.UnixMilli(), 10), nil
		},
		ToConnectWise: func(v any, _ *Env) (any, error) {
			s, ok := v.(string)
			if !ok || s == "" {
				return v, nil
			}
			t, err := parseHSTime(s)
			if err != nil {
				return nil, err
			}
			return t.UTC().Truncate(time.Second).Format(cwTimeLayout), nil
		},
		Reversible: true,
		Kind:       KindDatetime,
		// ConnectWise keeps seconds, so HubSpot values compare at second
		// precision: a HubSpot edit with milliseconds does not come back
		// from ConnectWise as a different value.
		Normalize: normalizeDatetimeSeconds,
	}, nil
}

// normalizeDatetimeSeconds is normalizeDatetime truncated to whole seconds.
func normalizeDatetimeSeconds(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	t, err := parseHSTime(s)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(t.Truncate(time.Second).UnixMilli(), 10), nil
}

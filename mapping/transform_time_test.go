package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ms returns the epoch-ms string of a UTC RFC 3339 instant.
const (
	ms20260609      = "1780963200000" // 2026-06-09T00:00:00Z
	ms20060621      = "1150848000000" // 2006-06-21T00:00:00Z
	ms20060121      = "1137801600000" // 2006-01-21T00:00:00Z
	ms20260609at215 = "1781042389000" // 2026-06-09T21:59:49Z
)

func TestDateUTC(t *testing.T) {
	tr := build(t, S("date"))
	runHS(t, tr, nil, []tcase{
		{"2026-06-09T00:00:00Z", ms20260609, nil},
		{"2026-06-09T21:59:49Z", ms20260609, nil}, // the UTC calendar date
		{"2026-06-09", ms20260609, nil},           // bare custom-field date
		{"2026-06-09T02:00:00+02:00", ms20260609, nil},
		{"", nil, nil},
		{nil, nil, nil},
		{"09/06/2026", nil, ErrInvalidValue},
		{20260609.0, nil, ErrInvalidValue},
	})
	runCW(t, tr, nil, []tcase{
		{ms20260609, "2026-06-09T00:00:00Z", nil},
		{"2026-06-09", "2026-06-09T00:00:00Z", nil},
		{"2026-06-09T00:00:00.000Z", "2026-06-09T00:00:00Z", nil},
		{ms20260609at215, nil, ErrInvalidValue}, // HubSpot refuses non-midnight dates
		{"nope", nil, ErrInvalidValue},
		{"", "", nil},
	})
}

// ConnectWise stores local calendar dates as instants of the server zone
// (company-get.json: dateAcquired "2006-06-21T04:00:00Z" is midnight EDT).
func TestDateZonesAndDST(t *testing.T) {
	ny := build(t, S("date", "zone", "America/New_York"))
	runHS(t, ny, nil, []tcase{
		{"2006-06-21T04:00:00Z", ms20060621, nil}, // EDT, UTC-4
		{"2006-01-21T05:00:00Z", ms20060121, nil}, // EST, UTC-5
		{"2006-06-21T03:59:59Z", "1150761600000", nil},
		{"2006-06-21T00:00:00", ms20060621, nil}, // no zone: read in New York
	})
	runCW(t, ny, nil, []tcase{
		{ms20060621, "2006-06-21T04:00:00Z", nil},
		{ms20060121, "2006-01-21T05:00:00Z", nil},
		// DST starts 2026-03-08 at 02:00 in New York: midnight still exists, UTC-5.
		{"2026-03-08", "2026-03-08T05:00:00Z", nil},
		{"2026-03-09", "2026-03-09T04:00:00Z", nil},
		// DST ends 2026-11-01 at 02:00: midnight is still EDT (UTC-4).
		{"2026-11-01", "2026-11-01T04:00:00Z", nil},
		{"2026-11-02", "2026-11-02T05:00:00Z", nil},
	})
	// Sao Paulo moved clocks from 00:00 to 01:00 on 2018-11-04: midnight did
	// not exist. The reverse writes 01:00 local (03:00Z), which maps back to
	// the same calendar date.
	sp := build(t, S("date", "zone", "America/Sao_Paulo"))
	cw, err := sp.ToConnectWise("2018-11-04", nil)
	require.NoError(t, err)
	assert.Equal(t, "2018-11-04T03:00:00Z", cw)
	hs, err := sp.ToHubSpot(cw, nil)
	require.NoError(t, err)
	assert.Equal(t, "1541289600000", hs) // 2018-11-04T00:00:00Z

	// East of UTC: midnight in Sydney is the previous UTC day.
	syd := build(t, S("date", "zone", "Australia/Sydney"))
	runHS(t, syd, nil, []tcase{{"2026-06-08T14:00:00Z", ms20260609, nil}})
	runCW(t, syd, nil, []tcase{{ms20260609, "2026-06-08T14:00:00Z", nil}})

	// Round trip every day of a year across both DST changes.
	for _, tr := range []*Transform{ny, sp, syd, build(t, S("date", "zone", "Europe/London"))} {
		for day := 0; day < 366; day++ {
			d := 1767225600000 + int64(day)*86400000 // from 2026-01-01
			in := formatMS(d)
			cwv, err := tr.ToConnectWise(in, nil)
			require.NoError(t, err)
			back, err := tr.ToHubSpot(cwv, nil)
			require.NoError(t, err)
			require.Equal(t, in, back, "day %d via %v", day, cwv)
		}
	}
}

func formatMS(ms int64) string {
	s, _ := scalarString(ms)
	return s
}

func TestDatetime(t *testing.T) {
	tr := build(t, S("datetime"))
	runHS(t, tr, nil, []tcase{
		{"2026-06-09T21:59:49Z", ms20260609at215, nil},
		{"2026-06-09T23:59:49+02:00", ms20260609at215, nil},
		{"2026-06-09T21:59:49", ms20260609at215, nil}, // zone defaults to UTC
		{"", nil, nil},
		{"yesterday", nil, ErrInvalidValue},
	})
	runCW(t, tr, nil, []tcase{
		{ms20260609at215, "2026-06-09T21:59:49Z", nil},
		{"1781042389999", "2026-06-09T21:59:49Z", nil}, // ms dropped
		{"2026-06-09T21:59:49.469Z", "2026-06-09T21:59:49Z", nil},
		{"2026-06-09T23:59:49+02:00", "2026-06-09T21:59:49Z", nil},
		{"99999999999999999999", nil, ErrInvalidValue},
	})
	n, err := tr.Normalize("2022-06-01T14:31:48.469Z")
	require.NoError(t, err)
	assert.Equal(t, "1654093908000", n, "compared at ConnectWise's second precision")
	n, err = tr.Normalize("")
	require.NoError(t, err)
	assert.Empty(t, n)
	_, err = tr.Normalize("soon")
	assert.ErrorIs(t, err, ErrInvalidValue)
	tz := build(t, S("datetime", "zone", "Europe/Berlin"))
	runHS(t, tz, nil, []tcase{{"2026-06-09T23:59:49", ms20260609at215, nil}})

	for in, want := range map[string]string{
		"2022-06-01T14:31:48.469Z": "1654093908469",
		"1654093908469":            "1654093908469",
		"":                         "",
	} {
		got, err := normalizeDatetime(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	for in, want := range map[string]string{
		"2026-06-09":           ms20260609,
		ms20260609:             ms20260609,
		"2026-06-09T00:00:00Z": ms20260609,
	} {
		got, err := normalizeDate(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err = normalizeDate("2026-06-09T10:00:00Z")
	assert.ErrorIs(t, err, ErrInvalidValue)
}

package hubspot

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDateValues(t *testing.T) {
	d := time.Date(2019, 10, 31, 0, 0, 0, 0, time.UTC)
	s, err := FormatDate(d)
	require.NoError(t, err)
	assert.Equal(t, "1572480000000", s)
	_, err = FormatDate(d.Add(time.Hour))
	require.ErrorIs(t, err, ErrNotMidnightUTC)
	berlin := time.FixedZone("CET", 3600)
	_, err = FormatDate(time.Date(2019, 10, 31, 0, 0, 0, 0, berlin))
	require.ErrorIs(t, err, ErrNotMidnightUTC, "midnight in another zone is not midnight UTC")
	assert.Equal(t, d, DateOf(time.Date(2019, 10, 31, 23, 59, 0, 0, berlin)))

	for _, in := range []string{"1572480000000", "2019-10-31", "2019-10-31T00:00:00Z", "2019-10-31T15:04:05.123Z"} {
		got, err := ParseDate(in)
		require.NoError(t, err, in)
		assert.Equal(t, d, got, in)
	}
	z, err := ParseDate("")
	require.NoError(t, err)
	assert.True(t, z.IsZero())
	_, err = ParseDate("31/10/2019")
	require.Error(t, err)
}

func TestDateTimeValues(t *testing.T) {
	ts := time.Date(2022, 6, 1, 14, 31, 48, 469e6, time.UTC)
	assert.Equal(t, "1654093908469", FormatDateTime(ts))
	for _, in := range []string{"1654093908469", "2022-06-01T14:31:48.469Z", "2022-06-01T16:31:48.469+02:00", "2022-06-01T14:31:48.469"} {
		got, err := ParseDateTime(in)
		require.NoError(t, err, in)
		assert.Equal(t, ts, got, in)
	}
	neg, err := ParseDateTime("-1000")
	require.NoError(t, err)
	assert.Equal(t, time.UnixMilli(-1000).UTC(), neg)
	_, err = ParseDateTime("yesterday")
	require.Error(t, err)
	_, err = ParseDateTime("99999999999999999999")
	require.Error(t, err)
}

func TestNumberBoolMultiSelect(t *testing.T) {
	assert.Equal(t, "1000.5", FormatNumber(1000.50))
	assert.Equal(t, "0.000001", FormatNumber(1e-6), "no exponent")
	assert.Equal(t, "12345678901", FormatInt(12345678901))
	f, ok, err := ParseNumber(" 17 ")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, 17.0, f)
	_, ok, err = ParseNumber("")
	require.NoError(t, err)
	assert.False(t, ok)
	_, _, err = ParseNumber("1,000")
	require.Error(t, err)

	assert.Equal(t, "true", FormatBool(true))
	b, ok, err := ParseBool("TRUE")
	require.NoError(t, err)
	assert.True(t, b && ok)
	b, ok, err = ParseBool("false")
	require.NoError(t, err)
	assert.True(t, !b && ok)
	_, ok, err = ParseBool("")
	require.NoError(t, err)
	assert.False(t, ok)
	_, _, err = ParseBool("yes")
	require.Error(t, err)

	s, err := FormatMultiSelect([]string{"a", "b"})
	require.NoError(t, err)
	assert.Equal(t, "a;b", s)
	_, err = FormatMultiSelect([]string{"a;b"})
	require.Error(t, err)
	assert.Equal(t, []string{"a", "b"}, ParseMultiSelect("a;;b;"))
	assert.Nil(t, ParseMultiSelect(""))
}

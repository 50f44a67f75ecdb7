package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain runs the test binary as a worker when the parent started it.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// dsn returns HUBWISE_PG_DSN or skips (fails under HUBWISE_PG_REQUIRED).
func dsn(tb testing.TB) string {
	tb.Helper()
	v := os.Getenv("HUBWISE_PG_DSN")
	if v == "" {
		if os.Getenv("HUBWISE_PG_REQUIRED") != "" {
			tb.Fatal("HUBWISE_PG_REQUIRED is set but HUBWISE_PG_DSN is not: run the tests through `.ci/postgres`")
		}
		tb.Skip("needs PostgreSQL: run `.ci/postgres go test ./examples/multiworker/` (starts a throwaway server), " +
			"or set HUBWISE_PG_DSN=postgres://user@host:port/db?sslmode=disable")
	}
	return v
}

func testOptions(t testing.TB, args ...string) *options {
	t.Helper()
	o, err := parseFlags(append([]string{"-dsn", dsn(t)}, args...), os.Stderr)
	require.NoError(t, err)
	return o
}

func self(t testing.TB) string {
	exe, err := os.Executable()
	require.NoError(t, err)
	return exe
}

// Three worker processes share thirty tenants. The first is killed with
// SIGKILL at its 12th write (applied, unanswered); the second freezes at its
// 6th commit for twice the lease TTL. Every tenant still finishes, nothing is
// duplicated on either side, the fakes' logs show no two leases of a tenant
// working at once, and the frozen worker's late commit is refused.
func TestThreeWorkersOneKilled(t *testing.T) {
	o := testOptions(t, "-tenants", "30", "-workers", "3", "-companies", "5", "-max-tenants", "4",
		"-latency", "5ms", "-lease-ttl", "2s", "-poll", "300ms", "-timeout", "45s",
		"-kill-after", "12", "-stall-after", "6", "-quiet")
	var out bytes.Buffer
	res, err := runParent(context.Background(), o, self(t), &out)
	if res != nil {
		for id, l := range res.logs {
			t.Logf("worker %s log:\n%s", id, l.String())
		}
	}
	require.NoError(t, err)
	require.NoError(t, res.check())
	assert.Equal(t, "w1", res.killed)
	assert.Len(t, res.converged, 30)
	assert.Empty(t, res.duplicates)
	assert.Empty(t, res.overlaps)
	assert.Zero(t, res.untagged)

	fenced := res.fenced()
	require.NotEmpty(t, fenced)
	var stale bool
	for _, l := range fenced {
		if l.Worker == "w2" && strings.Contains(l.Err, "fenced") {
			stale = true
		}
	}
	assert.True(t, stale, "the frozen worker's commit was refused: %+v", fenced)
	assert.Contains(t, res.logs["w2"].String(), "worker lost the lease")

	// The killed worker's last tenants were finished by the others.
	lastByTenant := map[string]string{}
	for _, l := range res.passes {
		lastByTenant[l.Tenant] = l.Worker
	}
	var w1Passes int
	for _, l := range res.passes {
		if l.Worker == "w1" {
			w1Passes++
		}
	}
	for tenant, w := range lastByTenant {
		assert.NotEqual(t, "w1", w, tenant)
	}
	t.Logf("%d passes in %s; w1 reported %d before it was killed; %d requests logged",
		len(res.passes), res.elapsed, w1Passes, len(res.calls))
}

// The parent's output names every tenant and the run's figures.
func TestParentOutput(t *testing.T) {
	o := testOptions(t, "-tenants", "3", "-workers", "2", "-companies", "3", "-latency", "0", "-lease-ttl", "2s",
		"-poll", "200ms", "-timeout", "30s")
	var out bytes.Buffer
	res, err := runParent(context.Background(), o, self(t), &out)
	require.NoError(t, err)
	require.NoError(t, res.check())
	for _, tenant := range []string{"tenant-001", "tenant-002", "tenant-003"} {
		assert.Contains(t, out.String(), tenant)
	}
	assert.Contains(t, out.String(), "duplicates: 0, overlapping leases: 0")
	assert.Contains(t, out.String(), "passes/s")
}

func TestFlags(t *testing.T) {
	t.Setenv("HUBWISE_PG_DSN", "")
	var stderr bytes.Buffer
	_, err := parseFlags(nil, &stderr)
	assert.ErrorContains(t, err, "HUBWISE_PG_DSN")
	_, err = parseFlags([]string{"-worker", "-dsn", "x"}, &stderr)
	assert.ErrorContains(t, err, "-id")
	_, err = parseFlags([]string{"-serve-fakes"}, &stderr)
	assert.ErrorContains(t, err, "-tenants-file")
	o, err := parseFlags([]string{"-serve-fakes", "-tenants-file", "f.json"}, &stderr)
	require.NoError(t, err)
	assert.Equal(t, 12, o.tenants)
}

// The overlap check finds two leases of one tenant working at once, and
// accepts leases that follow each other.
func TestOverlaps(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	at := func(s, e int) (time.Time, time.Time) {
		return t0.Add(time.Duration(s) * time.Millisecond), t0.Add(time.Duration(e) * time.Millisecond)
	}
	mk := func(tenant, worker string, gen int64, s, e int) call {
		c := call{Tenant: tenant, Worker: worker, Generation: gen}
		c.Start, c.End = at(s, e)
		return c
	}
	calls := []call{
		mk("a", "w1", 1, 0, 10), mk("a", "w1", 1, 20, 30), mk("a", "w2", 2, 31, 40), mk("a", "w1", 3, 41, 50),
		mk("b", "w1", 1, 0, 100), mk("b", "w2", 2, 50, 60),
		mk("c", "w1", 1, 0, 100), mk("c", "w2", 2, 100, 110), mk("c", "w3", 3, 105, 120),
		{Tenant: "a"},
	}
	found, untagged := overlaps(calls)
	require.Len(t, found, 2)
	assert.Contains(t, found[0], "b: w1 gen 1")
	assert.Contains(t, found[1], "c: w2 gen 2")
	assert.Equal(t, 1, untagged)
}

func TestIsWrite(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         bool
	}{
		{"POST", "/crm/v3/objects/contacts/search", false},
		{"POST", "/crm/objects/2026-03/contacts/batch/read", false},
		{"POST", "/crm/v3/objects/contacts/batch/upsert", true},
		{"GET", "/v4_6_release/apis/3.0/company/companies", false},
		{"PATCH", "/v4_6_release/apis/3.0/company/companies/250", true},
	} {
		assert.Equal(t, tc.want, isWrite(httptest.NewRequest(tc.method, tc.path, nil)), tc.path)
	}
	w, g := parseWorker("w2/17")
	assert.Equal(t, "w2", w)
	assert.EqualValues(t, 17, g)
}

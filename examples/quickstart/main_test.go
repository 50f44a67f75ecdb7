package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/syncer"
)

var small = []string{"-companies", "40", "-contacts-per-company", "3", "-opportunities", "20", "-existing", "0.2", "-progress", "0"}

func noEnv(string) (string, bool) { return "", false }

// writes counts the write calls both fakes received since their last reset.
func writes(f *fakes) int {
	n := 0
	for _, op := range []string{hubspottest.OpCreate, hubspottest.OpUpdate, hubspottest.OpBatchCreate, hubspottest.OpBatchUpdate,
		hubspottest.OpBatchUpsert, hubspottest.OpAssocCreate, hubspottest.OpAssocDefault, hubspottest.OpAssocArchive} {
		n += f.hs.CountOp(op)
	}
	for _, c := range f.cw.Calls() {
		if c.Method != "GET" {
			n++
		}
	}
	return n
}

// TestQuickstartEndToEnd runs the quickstart's steps against the fakes and
// then a second run on the same state file, which must be incremental.
func TestQuickstartEndToEnd(t *testing.T) {
	ctx := context.Background()
	o, err := parseFlags(small, io.Discard)
	require.NoError(t, err)
	var out bytes.Buffer
	f, err := startFakes(ctx, o, &out)
	require.NoError(t, err)
	defer f.Close()
	st := f.data.Stats()
	hsc, cwc, err := f.clients()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "state.db")

	s, err := newSession(hsc, cwc, path, "quickstart")
	require.NoError(t, err)
	_, err = ensureSchema(ctx, &out, s, o)
	require.NoError(t, err)
	rep, err := migrate(ctx, &out, s, o)
	require.NoError(t, err)
	t.Log("\n" + out.String())
	assert.Zero(t, rep.Total(syncer.OutcomeFailed), "%v", rep.Errors())
	live := st.Companies - st.DeletedCompanies
	assert.Equal(t, live, rep.Count("companies", syncer.OutcomeCreated)+rep.Count("companies", syncer.OutcomeLinked))
	assert.Equal(t, st.HubSpotCompanies, rep.Count("companies", syncer.OutcomeLinked), "existing companies matched, not duplicated")
	assert.Equal(t, live, f.hs.RecordCount("companies"), "one HubSpot company per live ConnectWise company")
	assert.Equal(t, st.Opportunities, rep.Count("deals", syncer.OutcomeCreated)+rep.Count("deals", syncer.OutcomeLinked))
	assert.Equal(t, st.HubSpotDeals, rep.Count("deals", syncer.OutcomeLinked))
	contacts := rep.Count("contacts", syncer.OutcomeCreated) + rep.Count("contacts", syncer.OutcomeLinked)
	assert.Equal(t, st.Contacts, contacts+rep.Count("contacts", syncer.OutcomeAmbiguous), "every contact created, linked or reported ambiguous")
	if st.DuplicateEmailContacts > 0 {
		assert.Positive(t, rep.Count("contacts", syncer.OutcomeAmbiguous), "duplicate emails are not guessed")
	}
	recs := f.hs.FindRecords("contacts", "lastname", "O'Brien-Müller")
	require.Len(t, recs, 1, "the quoted, accented name arrives intact")

	// Edits in ConnectWise reach HubSpot in one incremental pass.
	_, err = f.edit()
	require.NoError(t, err)
	rep, err = pass(ctx, io.Discard, s, "incremental")
	require.NoError(t, err)
	assert.Zero(t, rep.Total(syncer.OutcomeFailed), "%v", rep.Errors())
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeUpdated))
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeCreated))
	assert.Equal(t, 1, rep.Count("contacts", syncer.OutcomeUpdated))
	assert.Equal(t, 1, rep.Count("deals", syncer.OutcomeUpdated))
	require.NoError(t, s.Close())

	// A second run on the same state file writes nothing.
	f.hs.ResetCalls()
	f.cw.ResetCalls()
	s, err = newSession(hsc, cwc, path, "quickstart")
	require.NoError(t, err)
	defer s.Close()
	rep, err = pass(ctx, io.Discard, s, "second run")
	require.NoError(t, err)
	assert.Zero(t, rep.Writes())
	assert.Zero(t, rep.Total(syncer.OutcomeCreated))
	assert.Zero(t, rep.Total(syncer.OutcomeFailed))
	assert.Zero(t, writes(f), "a second run makes no write call")
}

// TestRun runs the program as `go run ./examples/quickstart` does, with a
// small dataset, and checks its printed report.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	args := append([]string{"-state", filepath.Join(t.TempDir(), "s.db")}, small...)
	require.NoError(t, runEnv(context.Background(), args, &out, noEnv))
	got := out.String()
	t.Log("\n" + got)
	for _, want := range []string{"in-process fakes", "== HubSpot schema ==", "== migration report ==",
		"== edits in ConnectWise", "== incremental pass ==", "== another pass, nothing changed ==",
		"O'Brien-Müller", "API calls: HubSpot"} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "failed (")
	last := got[strings.LastIndex(got, "== another pass"):]
	assert.Contains(t, last, "; 0 records written;")

	// The state file exists now; the fakes would start empty, so reusing it is refused.
	err := runEnv(context.Background(), args, io.Discard, noEnv)
	assert.ErrorContains(t, err, "exists")
}

func TestFlags(t *testing.T) {
	_, err := parseFlags([]string{"-companies", "0"}, io.Discard)
	assert.Error(t, err)
	_, err = parseFlags([]string{"extra"}, io.Discard)
	assert.Error(t, err)
	o, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 300, o.companies)
	assert.Equal(t, 1200, contactsFor(o))
}

func TestPartialCredentialsNameVariablesNotValues(t *testing.T) {
	env := map[string]string{"HUBSPOT_ACCESS_TOKEN": "pat-na1-SECRET-TOKEN", "CONNECTWISE_PRIVATE_KEY": "SECRET-PRIVATE"}
	var out bytes.Buffer
	err := runEnv(context.Background(), nil, &out, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CONNECTWISE_SITE")
	assert.NotContains(t, err.Error()+out.String(), "SECRET")
	c, live, err := credentialsFrom(func(k string) (string, bool) { return "SECRET-" + k, true })
	require.NoError(t, err)
	assert.True(t, live)
	assert.NotContains(t, c.String(), "SECRET")
	assert.NotContains(t, fmt.Sprintf("%#v %v %+v", c, c, c), "SECRET")
}

// TestLiveDryRunThenApply runs the real-account path against the fakes
// through the base-URL overrides: the dry run writes nothing and -apply
// migrates; no secret is printed.
func TestLiveDryRunThenApply(t *testing.T) {
	ctx := context.Background()
	o, err := parseFlags(small, io.Discard)
	require.NoError(t, err)
	f, err := startFakes(ctx, o, io.Discard)
	require.NoError(t, err)
	defer f.Close()
	cr := f.cw.Credentials()
	env := map[string]string{
		"HUBSPOT_ACCESS_TOKEN": f.hs.Token(), "HUBSPOT_BASE_URL": f.hs.URL(),
		"CONNECTWISE_SITE": cr.Site, "CONNECTWISE_COMPANY_ID": cr.CompanyID, "CONNECTWISE_PUBLIC_KEY": cr.PublicKey,
		"CONNECTWISE_PRIVATE_KEY": cr.PrivateKey, "CONNECTWISE_CLIENT_ID": cr.ClientID, "CONNECTWISE_BASE_URL": f.cw.URL(),
	}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	state := filepath.Join(t.TempDir(), "live.db")

	var out bytes.Buffer
	require.NoError(t, runEnv(ctx, []string{"-state", state, "-progress", "0"}, &out, getenv))
	t.Log("\n" + out.String())
	assert.Contains(t, out.String(), "dry run")
	assert.Contains(t, out.String(), "HubSpot lacks")
	assert.Zero(t, writes(f), "a dry run writes nothing")

	out.Reset()
	require.NoError(t, runEnv(ctx, []string{"-state", state, "-apply", "-progress", "0"}, &out, getenv))
	assert.Contains(t, out.String(), "== migration report ==")
	assert.Positive(t, f.hs.RecordCount("companies"))

	// With the schema in place, a dry run plans; after the migration it has
	// nothing to create.
	f.hs.ResetCalls()
	f.cw.ResetCalls()
	out.Reset()
	require.NoError(t, runEnv(ctx, []string{"-state", state}, &out, getenv))
	assert.Contains(t, out.String(), "every property the mapping needs exists")
	assert.Contains(t, out.String(), "== dry run: what a pass would do ==")
	assert.NotContains(t, out.String(), "create=")
	assert.Zero(t, writes(f))

	// A second -apply run is incremental: the migration is complete and the
	// pass writes nothing.
	out.Reset()
	require.NoError(t, runEnv(ctx, []string{"-state", state, "-apply", "-progress", "0"}, &out, getenv))
	assert.Contains(t, out.String(), "already complete")
	assert.Contains(t, out.String(), "; 0 records written;")
	assert.Zero(t, writes(f))
	for _, secret := range []string{f.hs.Token(), cr.PrivateKey, cr.PublicKey} {
		assert.NotContains(t, out.String(), secret)
	}
	_, err = os.Stat(state)
	assert.NoError(t, err)
}

// TestWrongCredentialsNeverPrinted uses keys the fakes refuse, one side at a
// time: the error names the failure, never the secrets.
func TestWrongCredentialsNeverPrinted(t *testing.T) {
	ctx := context.Background()
	o, err := parseFlags(small, io.Discard)
	require.NoError(t, err)
	f, err := startFakes(ctx, o, io.Discard)
	require.NoError(t, err)
	defer f.Close()
	cr := f.cw.Credentials()
	for _, wrong := range []string{"HUBSPOT_ACCESS_TOKEN", "CONNECTWISE_PRIVATE_KEY"} {
		t.Run(wrong, func(t *testing.T) {
			env := map[string]string{
				"HUBSPOT_ACCESS_TOKEN": f.hs.Token(), "HUBSPOT_BASE_URL": f.hs.URL(),
				"CONNECTWISE_SITE": cr.Site, "CONNECTWISE_COMPANY_ID": cr.CompanyID, "CONNECTWISE_PUBLIC_KEY": cr.PublicKey,
				"CONNECTWISE_PRIVATE_KEY": cr.PrivateKey, "CONNECTWISE_CLIENT_ID": cr.ClientID, "CONNECTWISE_BASE_URL": f.cw.URL(),
			}
			env[wrong] = "WRONG-SECRET-VALUE-1234"
			var out bytes.Buffer
			err := runEnv(ctx, []string{"-state", filepath.Join(t.TempDir(), "s.db")}, &out,
				func(k string) (string, bool) { v, ok := env[k]; return v, ok })
			require.Error(t, err)
			t.Log(err)
			assert.NotContains(t, err.Error()+out.String(), "SECRET")
			for _, v := range []string{f.hs.Token(), cr.PrivateKey} {
				assert.NotContains(t, err.Error()+out.String(), v)
			}
		})
	}
}

// TestMigrationResumesAfterInterrupt stops the migration part-way (the
// context is cancelled by the progress callback after the first page) and
// runs it again on the same state: it resumes, and the end result has no
// duplicate.
func TestMigrationResumesAfterInterrupt(t *testing.T) {
	ctx := context.Background()
	o, err := parseFlags([]string{"-companies", "1200", "-contacts-per-company", "0", "-existing", "0", "-progress", "1ns"}, io.Discard)
	require.NoError(t, err)
	f, err := startFakes(ctx, o, io.Discard)
	require.NoError(t, err)
	defer f.Close()
	hsc, cwc, err := f.clients()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := newSession(hsc, cwc, path, "quickstart")
	require.NoError(t, err)
	_, err = ensureSchema(ctx, io.Discard, s, o)
	require.NoError(t, err)

	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var out bytes.Buffer
	_, err = s.eng.Backfill(cctx, &syncer.BackfillOptions{Progress: func(p syncer.Progress) {
		out.WriteString(progressLine(p) + "\n")
		cancel()
	}})
	require.Error(t, err)
	first := f.hs.RecordCount("companies")
	assert.Positive(t, first)
	require.NoError(t, s.Close())

	s, err = newSession(hsc, cwc, path, "quickstart")
	require.NoError(t, err)
	defer s.Close()
	rep, err := migrate(ctx, &out, s, o)
	require.NoError(t, err)
	t.Log("\n" + out.String())
	st := f.data.Stats()
	assert.Equal(t, st.Companies-st.DeletedCompanies, f.hs.RecordCount("companies"), "resumed without duplicates")
	assert.Zero(t, rep.Total(syncer.OutcomeFailed))
	assert.Contains(t, out.String(), "ETA")
}

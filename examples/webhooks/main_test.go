package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/syncer"
)

// syncBuffer is a bytes.Buffer safe for the service's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func noEnv(string) (string, bool) { return "", false }

// started is a demo service serving in the background.
type started struct {
	*service
	out    *syncBuffer
	cancel context.CancelFunc
	done   chan error
}

func startService(t testing.TB, extra ...string) *started {
	t.Helper()
	args := append([]string{"-addr", "127.0.0.1:0", "-window", "20ms", "-relay", "20ms", "-poll", "1h", "-companies", "3"}, extra...)
	o, err := parseFlags(args, &bytes.Buffer{})
	require.NoError(t, err)
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := newService(ctx, o, noEnv, out)
	require.NoError(t, err)
	s := &started{service: svc, out: out, cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- svc.serve(ctx) }()
	t.Cleanup(func() { s.stop(t) })
	// The first poll migrates the seed.
	require.Eventually(t, func() bool { return svc.health.polls() > 0 }, 30*time.Second, 5*time.Millisecond)
	return s
}

func (s *started) stop(t testing.TB) {
	s.cancel()
	select {
	case err, ok := <-s.done:
		if ok {
			require.NoError(t, err)
			close(s.done)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no graceful shutdown within 30 s")
	}
}

// companyPair returns a seeded ConnectWise company and its HubSpot partner.
func (s *started) companyPair(t testing.TB) (int, string) {
	t.Helper()
	for _, rec := range s.demo.cw.Records(connectwisetest.Companies) {
		id := int(rec["id"].(float64))
		l, err := s.store.LinkByConnectWiseID(context.Background(), "default", "companies", int64(id))
		if err == nil {
			return id, l.HubSpotID
		}
	}
	t.Fatal("no linked company")
	return 0, ""
}

func (s *started) healthz(t testing.TB) healthBody {
	t.Helper()
	resp, err := http.Get(s.url + "/healthz")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var b healthBody
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&b))
	return b
}

// An edit in either fake reaches the other through a signed delivery and a
// targeted pass; /healthz reports it; shutdown is graceful.
func TestEndToEnd(t *testing.T) {
	s := startService(t)
	cwID, hsID := s.companyPair(t)

	// HubSpot -> signed webhook (relayed from the fake's journal) -> ConnectWise.
	require.NoError(t, s.demo.hs.UpdateRecord("companies", hsID, map[string]string{"city": "Capital City"}))
	require.Eventually(t, func() bool {
		rec, _ := s.demo.cw.Get(connectwisetest.Companies, cwID)
		return rec["city"] == "Capital City"
	}, 10*time.Second, 5*time.Millisecond)
	// The pass reports once it has ended, just after its write landed.
	var h healthBody
	require.Eventually(t, func() bool {
		h = s.healthz(t)
		return h.LastPass != nil && h.LastPass.Report != nil && h.LastPass.Report.Count("companies", syncer.OutcomeUpdated) == 1
	}, 10*time.Second, 5*time.Millisecond)
	assert.Equal(t, "ok", h.Status)
	assert.Equal(t, "webhook", h.LastPass.Trigger)
	require.NotNil(t, h.LastPoll)
	assert.Positive(t, h.Dispatcher.Passes)
	assert.Positive(t, h.Dispatcher.Echoes, "the engine's own writes came back as events and were dropped")

	// ConnectWise -> signed callback -> HubSpot.
	_, err := s.demo.cw.Update(connectwisetest.Companies, cwID, map[string]any{"name": "Renamed In ConnectWise"})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		rec, _ := s.demo.hs.Record("companies", hsID)
		return rec.Properties["name"] == "Renamed In ConnectWise"
	}, 10*time.Second, 5*time.Millisecond)

	s.stop(t)
	out := s.out.String()
	assert.Contains(t, out, "listening on http://127.0.0.1:")
	assert.Contains(t, out, "stopped:")
	for _, secret := range []string{s.demo.hs.ClientSecret(), s.demo.hs.Token(), s.demo.cw.Credentials().PrivateKey, s.demo.cw.SigningKey()} {
		assert.NotContains(t, out, secret)
	}
	// The state store was closed: another process can open it now.
	_, err = s.store.Cursor(context.Background(), "default", "companies/connectwise")
	assert.Error(t, err)
}

// Deliveries with a bad signature or a foreign key URL are refused.
func TestRejectsForgedDeliveries(t *testing.T) {
	s := startService(t, "-relay", "1h") // no genuine deliveries meanwhile
	before := s.disp.Stats().Events
	req, err := http.NewRequest(http.MethodPost, s.url+"/webhooks/hubspot", strings.NewReader(`[{"eventId":1,"subscriptionType":"company.propertyChange","objectId":5}]`))
	require.NoError(t, err)
	req.Header.Set("X-HubSpot-Signature-v3", "AAAA")
	req.Header.Set("X-HubSpot-Request-Timestamp", "1")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	body := `{"Action":"updated","Type":"company","ID":5,"MemberId":"x","MessageId":"m1","Metadata":{"key_url":"https://evil.example/v2025_1//system/callbackkey/index.rails?companyName=hubwise&id=1"}}`
	req, err = http.NewRequest(http.MethodPost, s.url+"/callbacks/connectwise?recordId=5", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("x-content-signature", "AAAA")
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, before, s.disp.Stats().Events)
}

// run serves until its context ends and then returns without error.
func TestRunShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-companies", "2", "-poll", "1h"}, out) }()
	require.Eventually(t, func() bool { return strings.Contains(out.String(), "listening on") }, 30*time.Second, 5*time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("run did not return")
	}
	assert.Contains(t, out.String(), "stopped:")
}

func TestCredentialsPartial(t *testing.T) {
	env := func(k string) (string, bool) {
		if k == "HUBSPOT_ACCESS_TOKEN" {
			return "pat-na1-secret-value", true
		}
		return "", false
	}
	_, _, err := credentialsFrom(env)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "HUBSPOT_CLIENT_SECRET")
	assert.NotContains(t, err.Error(), "pat-na1-secret-value")
}

// Shutdown lets the targeted pass in flight finish its write.
func TestShutdownFinishesPassInFlight(t *testing.T) {
	s := startService(t)
	cwID, hsID := s.companyPair(t)
	// The pass's ConnectWise write takes 300 ms.
	s.demo.cw.Inject(connectwisetest.Route(http.MethodPatch, "company/companies/{id}"), 1, connectwisetest.Fault{Latency: 300 * time.Millisecond})
	require.NoError(t, s.demo.hs.UpdateRecord("companies", hsID, map[string]string{"city": "In Flight"}))
	require.Eventually(t, func() bool { return s.disp.Stats().Running }, 10*time.Second, time.Millisecond)
	s.stop(t)
	rec, ok := s.demo.cw.Get(connectwisetest.Companies, cwID)
	require.True(t, ok)
	assert.Equal(t, "In Flight", rec["city"])
	assert.Contains(t, s.out.String(), "stopped:")
}

// With -deletes propagate, a company deleted in either fake is deleted in the
// other through the delivery of the deletion; the start-up sweep reports.
func TestDeletesEndToEnd(t *testing.T) {
	s := startService(t, "-deletes", "propagate", "-delete-delay", "20ms")
	require.Eventually(t, func() bool { return len(s.healthz(t).LastSweep) == 4 }, 10*time.Second, 5*time.Millisecond)
	for _, rep := range s.healthz(t).LastSweep {
		assert.Empty(t, rep.Gone, rep.String())
	}
	cwID, hsID := s.companyPair(t)
	require.NoError(t, s.demo.cw.Delete(connectwisetest.Companies, cwID))
	require.Eventually(t, func() bool {
		rec, _ := s.demo.hs.Record("companies", hsID)
		_, err := s.store.LinkByConnectWiseID(context.Background(), "default", "companies", int64(cwID))
		return rec.Archived && err != nil // archived, then unlinked
	}, 10*time.Second, 5*time.Millisecond)

	cwID, hsID = s.companyPair(t)
	require.NoError(t, s.demo.hs.ArchiveRecord("companies", hsID))
	require.Eventually(t, func() bool {
		rec, _ := s.demo.cw.Get(connectwisetest.Companies, cwID)
		return rec["deletedFlag"] == true
	}, 10*time.Second, 5*time.Millisecond)
	// /healthz shows the pass that handled the HubSpot deletion.
	require.Eventually(t, func() bool {
		h := s.healthz(t)
		if h.LastPass == nil || h.LastPass.Report == nil || len(h.LastPass.Report.Deletes) != 1 {
			return false
		}
		d := h.LastPass.Report.Deletes[0]
		return d.Side == syncer.SideHubSpot && len(d.Gone) == 1 && d.Gone[0] == "hubspot:"+hsID && d.Propagated == 1
	}, 10*time.Second, 5*time.Millisecond)
	assert.Positive(t, s.disp.Stats().Deletions)
}

func TestDeletesFlag(t *testing.T) {
	_, err := parseFlags([]string{"-deletes", "purge"}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want ignore, unlink or propagate")
}

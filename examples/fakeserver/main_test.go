package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func TestRunServesSeededHubSpotFake(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-hubspot-addr", "127.0.0.1:0", "-token", "pat-na1-dev", "-seed", "testdata/seed.json"}, &out)
	}()
	line := regexp.MustCompile(`hubspot (http://\S+) token=pat-na1-dev`)
	require.Eventually(t, func() bool { return line.MatchString(out.String()) }, 5*time.Second, 10*time.Millisecond, out.String())
	base := line.FindStringSubmatch(out.String())[1]
	assert.Contains(t, out.String(), "hubspot seeded 3 records")

	req, _ := http.NewRequest("GET", base+"/crm/objects/2026-09/companies/19?idProperty=cw_company_id&properties=name", nil)
	req.Header.Set("Authorization", "Bearer pat-na1-dev")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var company struct {
		Properties map[string]string `json:"properties"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&company))
	res.Body.Close()
	assert.Equal(t, "Acme Managed IT", company.Properties["name"])

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	_, err = http.Get(base + "/crm/v3/owners")
	assert.Error(t, err, "the server is closed")
}

func TestRunRejectsBadSeed(t *testing.T) {
	var out syncBuffer
	err := run(context.Background(), []string{"-hubspot-addr", "127.0.0.1:0", "-seed", "testdata/missing.json"}, &out)
	assert.Error(t, err)
	err = run(context.Background(), []string{"-nope"}, &out)
	assert.Error(t, err)
}

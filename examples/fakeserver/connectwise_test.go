package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunServesConnectWiseFake(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-hubspot-addr", "127.0.0.1:0", "-connectwise-addr", "127.0.0.1:0",
			"-connectwise-company", "acme", "-connectwise-public-key", "pub", "-connectwise-private-key", "priv",
			"-connectwise-client-id", "cid"}, &out)
	}()
	line := regexp.MustCompile(`connectwise (http://\S+) company=acme public_key=pub private_key=priv client_id=cid`)
	require.Eventually(t, func() bool { return line.MatchString(out.String()) }, 5*time.Second, 10*time.Millisecond, out.String())
	base := line.FindStringSubmatch(out.String())[1]

	res, err := http.Get(base + "/login/companyinfo/acme")
	require.NoError(t, err)
	var info struct{ Codebase string }
	require.NoError(t, json.NewDecoder(res.Body).Decode(&info))
	res.Body.Close()
	assert.Equal(t, "v2025_1/", info.Codebase)

	req, _ := http.NewRequest("GET", base+"/v4_6_release/apis/3.0/company/companies/count", nil)
	req.SetBasicAuth("acme+pub", "priv")
	req.Header.Set("clientId", "cid")
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

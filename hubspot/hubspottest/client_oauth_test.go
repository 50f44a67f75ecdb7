package hubspottest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func TestClientOAuthAgainstFake(t *testing.T) {
	ctx := context.Background()
	clk := &testClock{t: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	s := hubspottest.NewServer(t, hubspottest.Options{Now: clk.Now, OAuth: hubspottest.OAuthOptions{
		ClientID: "cid", ClientSecret: "csecret", RotateRefreshTokens: true}})

	// Install flow: the code from the authorize redirect is exchanged for tokens.
	app := &hubspot.OAuthApp{ClientID: "cid", ClientSecret: "csecret", RedirectURI: "https://svc.example/oauth/callback", Scopes: []string{"crm.objects.contacts.read"}}
	installer, err := hubspot.NewClient(hubspot.WithBaseURL(s.URL()), hubspot.WithClock(clk.Now))
	require.NoError(t, err)
	tok, err := installer.ExchangeCode(ctx, app, s.IssueAuthCode(app.RedirectURI))
	require.NoError(t, err)
	assert.Equal(t, s.PortalID(), tok.HubID)
	assert.EqualValues(t, 1800, tok.ExpiresIn)

	// Refreshing ahead of expiry, persisting the rotated refresh token.
	var rotated []string
	c, err := hubspot.NewClient(hubspot.WithBaseURL(s.URL()), hubspot.WithClock(clk.Now), hubspot.WithoutRateLimit(),
		hubspot.WithOAuth(hubspot.OAuthConfig{ClientID: "cid", ClientSecret: "csecret", RefreshToken: tok.RefreshToken,
			OnRefresh: func(_ context.Context, t *hubspot.Token) error { rotated = append(rotated, t.RefreshToken); return nil }}))
	require.NoError(t, err)
	_, _, err = c.Owners.List(ctx, nil)
	require.NoError(t, err)
	clk.Add(10 * time.Minute)
	_, _, err = c.Owners.List(ctx, nil)
	require.NoError(t, err)
	clk.Add(20 * time.Minute) // past the 30-minute lifetime
	_, _, err = c.Owners.List(ctx, nil)
	require.NoError(t, err, "the client refreshed before the fake's expiry")
	assert.Len(t, rotated, 2)
	assert.NotEqual(t, rotated[0], rotated[1])
	assert.Equal(t, 3, s.CountOp(hubspottest.OpOAuthToken), "one exchange and two refreshes")
}

// The daily rate-limit headers are not sent on OAuth calls (hubspot-api.md §2
// "Response headers"); the ten-secondly ones are.
func TestOAuthCallsCarryNoDailyHeaders(t *testing.T) {
	ctx := context.Background()
	s := hubspottest.NewServer(t, hubspottest.Options{OAuth: hubspottest.OAuthOptions{ClientID: "cid", ClientSecret: "csecret"}})
	app := &hubspot.OAuthApp{ClientID: "cid", ClientSecret: "csecret", RedirectURI: "https://svc.example/cb"}
	installer, err := hubspot.NewClient(hubspot.WithBaseURL(s.URL()))
	require.NoError(t, err)
	tok, err := installer.ExchangeCode(ctx, app, s.IssueAuthCode(app.RedirectURI))
	require.NoError(t, err)
	c, err := hubspot.NewClient(hubspot.WithBaseURL(s.URL()), hubspot.WithoutRateLimit(),
		hubspot.WithOAuth(hubspot.OAuthConfig{ClientID: "cid", ClientSecret: "csecret", RefreshToken: tok.RefreshToken}))
	require.NoError(t, err)
	_, resp, err := c.Owners.List(ctx, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, resp.Header.Get("X-HubSpot-RateLimit-Remaining"))
	assert.Empty(t, resp.Header.Get("X-HubSpot-RateLimit-Daily"))
	assert.Empty(t, resp.Header.Get("X-HubSpot-RateLimit-Daily-Remaining"))

	_, resp, err = s.Client(hubspot.WithoutRateLimit()).Owners.List(ctx, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, resp.Header.Get("X-HubSpot-RateLimit-Daily"), "static tokens get them")
}

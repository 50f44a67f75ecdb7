package hubspottest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClientWebhookHandlerVerifiesFakeDeliveries checks the fake's signer against
// the client's verifier: two independent implementations of HubSpot's algorithm.
func TestClientWebhookHandlerVerifiesFakeDeliveries(t *testing.T) {
	ctx := context.Background()
	clk := &testClock{t: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)}
	s := hubspottest.NewServer(t, hubspottest.Options{Now: clk.Now, OAuth: hubspottest.OAuthOptions{ClientSecret: "app-secret"}})
	var mu sync.Mutex
	var got []hubspot.Event
	h := hubspot.NewWebhookHandler(&hubspot.WebhookVerifier{ClientSecret: "app-secret", Now: clk.Now},
		func(_ context.Context, evs []hubspot.Event) error {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, evs...)
			return nil
		}, nil)
	hook := httptest.NewServer(h)
	defer hook.Close()

	c := s.Client(hubspot.WithoutRateLimit())
	obj, _, err := c.Contacts.Create(ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "hook@example.com"}})
	require.NoError(t, err)
	_, _, err = c.Contacts.Update(ctx, obj.ID, map[string]string{"firstname": "Hook"}, nil)
	require.NoError(t, err)
	require.NoError(t, s.DeliverJournal(ctx, hook.URL+"/webhooks/hubspot?portal=a%3Ab"))
	require.Len(t, got, 2)
	assert.Equal(t, "contact.creation", got[0].SubscriptionType)
	assert.Equal(t, "contact.propertyChange", got[1].SubscriptionType)
	assert.Equal(t, "Hook", got[1].PropertyValue)
	assert.Equal(t, "INTEGRATION", got[1].ChangeSource)
	assert.Equal(t, clk.Now(), got[1].OccurredAt.UTC())

	// A redelivery of the same events is deduplicated; a stale one is refused.
	evs := []hubspottest.Event{{EventID: 1, SubscriptionType: "company.creation", ObjectID: 5}}
	require.NoError(t, s.Deliver(ctx, hook.URL+"/w", evs))
	require.NoError(t, s.Deliver(ctx, hook.URL+"/w", evs))
	assert.Len(t, got, 3)
	reqs, err := s.SignedRequests(ctx, hook.URL+"/w", []hubspottest.Event{{EventID: 2, SubscriptionType: "company.creation", ObjectID: 6}})
	require.NoError(t, err)
	clk.Add(6 * time.Minute)
	res, err := http.DefaultClient.Do(reqs[0])
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "older than 5 minutes")
	assert.Len(t, got, 3)

	// A wrong secret fails.
	wrong := hubspottest.NewServer(t, hubspottest.Options{Now: clk.Now})
	err = wrong.Deliver(ctx, hook.URL+"/w", []hubspottest.Event{{EventID: 3, SubscriptionType: "company.creation"}})
	assert.Error(t, err)
	assert.False(t, errors.Is(err, context.Canceled))
}

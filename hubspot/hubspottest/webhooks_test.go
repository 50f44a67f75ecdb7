package hubspottest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiver verifies deliveries with its own implementation of HubSpot's documented
// algorithms, independent of SignatureV3/SignatureV1.
type receiver struct {
	secret string
	mu     sync.Mutex
	events []map[string]any
	bad    []string
	reqs   int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs++
	ts := r.Header.Get("X-HubSpot-Request-Timestamp")
	uri := "http://" + r.Host + r.URL.RequestURI()
	// The documented step: decode these URL-encoded characters before hashing.
	for _, enc := range []string{"%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B"} {
		b, _ := hex.DecodeString(enc[1:])
		uri = strings.ReplaceAll(uri, enc, string(b))
	}
	mac := hmac.New(sha256.New, []byte(rc.secret))
	_, _ = io.WriteString(mac, r.Method+uri+string(body)+ts)
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(r.Header.Get("X-HubSpot-Signature-v3"))) {
		rc.bad = append(rc.bad, "v3")
	}
	sum := sha256.Sum256([]byte(rc.secret + string(body)))
	if r.Header.Get("X-HubSpot-Signature-Version") != "v1" || r.Header.Get("X-HubSpot-Signature") != hex.EncodeToString(sum[:]) {
		rc.bad = append(rc.bad, "v1")
	}
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
		rc.bad = append(rc.bad, "timestamp")
	}
	var evs []map[string]any
	if err := json.Unmarshal(body, &evs); err != nil {
		rc.bad = append(rc.bad, "body is not a JSON array")
	}
	rc.events = append(rc.events, evs...)
	w.WriteHeader(http.StatusNoContent)
}

func TestWebhookDeliverySignatures(t *testing.T) {
	clk := newClock()
	s := NewServer(t, Options{Now: clk.Now, OAuth: OAuthOptions{ClientSecret: "app-secret"}})
	rc := &receiver{secret: "app-secret"}
	hook := httptest.NewServer(rc)
	defer hook.Close()

	id := mustCreate(t, s, "contacts", map[string]string{"email": "w@example.com"})
	s.TakeEvents()
	call(t, s, "PATCH", "/crm/v3/objects/contacts/"+id, map[string]any{"properties": map[string]string{"firstname": "W", "email": "w@example.com"}})
	call(t, s, "DELETE", "/crm/v3/objects/contacts/"+id, nil)
	evs := s.Events()
	require.Len(t, evs, 2, "only changed properties produce events")
	assert.Equal(t, "contact.propertyChange", evs[0].SubscriptionType)
	assert.Equal(t, "firstname", evs[0].PropertyName)
	assert.Equal(t, "W", *evs[0].PropertyValue)
	assert.Equal(t, "INTEGRATION", evs[0].ChangeSource)
	assert.Equal(t, "1160452", evs[0].SourceID, "API writes name the app, for echo suppression")
	assert.Equal(t, "contact.deletion", evs[1].SubscriptionType)
	assert.Equal(t, clk.Now().UnixMilli(), evs[0].OccurredAt)
	assert.EqualValues(t, s.PortalID(), evs[0].PortalID)

	require.NoError(t, s.DeliverJournal(context.Background(), hook.URL+"/hooks/hubspot?tenant=a%3Ab"))
	assert.Empty(t, s.Events())
	assert.Empty(t, rc.bad)
	require.Len(t, rc.events, 2)
	assert.Equal(t, "contact.propertyChange", rc.events[0]["subscriptionType"])
	assert.IsType(t, float64(0), rc.events[0]["objectId"], "ids are JSON numbers")

	// 150 events go in two requests of at most 100.
	many := make([]Event, 150)
	for i := range many {
		many[i] = Event{SubscriptionType: "company.creation", ObjectID: int64(i + 1)}
	}
	rc.reqs, rc.events = 0, nil
	require.NoError(t, s.Deliver(context.Background(), hook.URL+"/h", many))
	assert.Equal(t, 2, rc.reqs)
	assert.Len(t, rc.events, 150)
	assert.Empty(t, rc.bad)
	seen := map[float64]bool{}
	for _, e := range rc.events {
		seen[e["eventId"].(float64)] = true
	}
	assert.Len(t, seen, 150, "event ids are unique")

	// A wrong secret is caught by the independent check.
	wrong := NewServer(t, Options{OAuth: OAuthOptions{ClientSecret: "other"}})
	require.NoError(t, wrong.Deliver(context.Background(), hook.URL+"/h", many[:1]))
	assert.Equal(t, []string{"v3", "v1"}, rc.bad)
}

func TestWebhookDeliveryFailureAndTampering(t *testing.T) {
	s := NewServer(t, Options{})
	fail := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	defer fail.Close()
	err := s.Deliver(context.Background(), fail.URL, []Event{{SubscriptionType: "deal.creation", ObjectID: 1}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "500")
	assert.NotContains(t, err.Error(), s.ClientSecret())

	reqs, err := s.SignedRequests(context.Background(), "https://hooks.example/x", []Event{{SubscriptionType: "deal.creation", ObjectID: 1}})
	require.NoError(t, err)
	require.Len(t, reqs, 1)
	body, _ := io.ReadAll(reqs[0].Body)
	ts := reqs[0].Header.Get("X-HubSpot-Request-Timestamp")
	assert.Equal(t, SignatureV3(s.ClientSecret(), "POST", "https://hooks.example/x", body, ts), reqs[0].Header.Get("X-HubSpot-Signature-v3"))
	assert.NotEqual(t, SignatureV3(s.ClientSecret(), "POST", "https://hooks.example/y", body, ts), reqs[0].Header.Get("X-HubSpot-Signature-v3"))
	// v2 = hex(SHA-256(secret + method + uri + body)).
	sum := sha256.Sum256([]byte("s" + "POST" + "https://h/x" + "{}"))
	assert.Equal(t, hex.EncodeToString(sum[:]), SignatureV2("s", "POST", "https://h/x", []byte("{}")))
	// Encoded characters of the listed set are decoded before signing.
	assert.Equal(t, SignatureV3("s", "POST", "https://h/a:b", nil, "1"), SignatureV3("s", "POST", "https://h/a%3Ab", nil, "1"))
}

func TestEventJournalIsBounded(t *testing.T) {
	s := NewServer(t, Options{Webhooks: WebhookOptions{MaxJournal: 20}})
	for i := range 50 {
		mustCreate(t, s, "companies", map[string]string{"name": strconv.Itoa(i)})
	}
	evs := s.Events()
	assert.LessOrEqual(t, len(evs), 20)
	assert.GreaterOrEqual(t, len(evs), 18)
	assert.Equal(t, "company.creation", evs[len(evs)-1].SubscriptionType)
}

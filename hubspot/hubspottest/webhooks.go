package hubspottest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// WebhookOptions configures webhook events and their delivery.
type WebhookOptions struct {
	// AppID and SubscriptionID stamped on events; 0 means 1160452 and 25.
	AppID, SubscriptionID int64
	// ClientSecret signs deliveries; empty means OAuth.ClientSecret (HubSpot signs
	// with the app's client secret, hubspot-api.md §10).
	ClientSecret string
	// HTTPClient delivers events; nil means a client with HubSpot's 5-second
	// response deadline (hubspot-api.md §10 Delivery).
	HTTPClient *http.Client
	// MaxJournal bounds the journal of events recorded from writes; 0 means 100,000.
	MaxJournal int
}

func (o WebhookOptions) withDefaults() WebhookOptions {
	if o.AppID == 0 {
		o.AppID = 1160452
	}
	if o.SubscriptionID == 0 {
		o.SubscriptionID = 25
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if o.MaxJournal == 0 {
		o.MaxJournal = 100_000
	}
	return o
}

// Event is one webhook event (payloads webhook-events-propertychange-creation.docs.json,
// webhook-event-propertychange-sensitive.docs.json; hubspot-api.md §10 Payload).
// Numbers are JSON numbers; propertyValue is always a string.
type Event struct {
	EventID          int64   `json:"eventId"`
	SubscriptionID   int64   `json:"subscriptionId"`
	PortalID         int64   `json:"portalId"`
	AppID            int64   `json:"appId"`
	OccurredAt       int64   `json:"occurredAt"`
	SubscriptionType string  `json:"subscriptionType"`
	AttemptNumber    int     `json:"attemptNumber"`
	ObjectID         int64   `json:"objectId"`
	ObjectTypeID     string  `json:"objectTypeId,omitempty"` // generic object.* events (custom objects)
	PropertyName     string  `json:"propertyName,omitempty"`
	PropertyValue    *string `json:"propertyValue,omitempty"`
	ChangeSource     string  `json:"changeSource,omitempty"`
	SourceID         string  `json:"sourceId,omitempty"`
	ChangeFlag       string  `json:"changeFlag,omitempty"`
	PrimaryObjectID  int64   `json:"primaryObjectId,omitempty"`
	MergedObjectIDs  []int64 `json:"mergedObjectIds,omitempty"`
	NewObjectID      int64   `json:"newObjectId,omitempty"`
}

// subscriptionType names an event: contact.creation, deal.propertyChange, …; custom
// objects use the generic object.* types (hubspot-api.md §10 Subscription types).
func subscriptionType(t *objectType, kind string) (string, string) {
	switch t.id {
	case "0-1", "0-2", "0-3", "0-5", "0-7", "0-8":
		return t.singular + "." + kind, ""
	}
	return "object." + kind, t.id
}

// emit records an event caused by a write. Callers hold s.mu.
func (s *Server) emit(st *store, kind string, id int64, prop, value string, src writeSource) {
	typ, typeID := subscriptionType(st.typ, kind)
	e := Event{SubscriptionType: typ, ObjectTypeID: typeID, ObjectID: id, ChangeSource: src.changeSource, SourceID: src.sourceID}
	if kind == "propertyChange" {
		e.PropertyName, e.PropertyValue = prop, &value
	}
	s.journal(e)
}

func (s *Server) emitMerge(st *store, primary, merged, survivor int64, src writeSource) {
	typ, typeID := subscriptionType(st.typ, "merge")
	s.journal(Event{SubscriptionType: typ, ObjectTypeID: typeID, ObjectID: survivor, ChangeSource: src.changeSource, SourceID: src.sourceID,
		PrimaryObjectID: primary, MergedObjectIDs: []int64{merged}, NewObjectID: survivor})
	s.emit(st, "deletion", merged, "", "", src)
	if survivor != primary {
		s.emit(st, "deletion", primary, "", "", src)
	}
}

func (s *Server) journal(e Event) {
	e.EventID = 3816279340 + s.eventID.Add(1)
	e.OccurredAt = s.now().UnixMilli()
	if limit := s.opts.Webhooks.MaxJournal; len(s.events) >= limit {
		// Drop the oldest tenth at once, so trimming stays cheap per event.
		drop := min(len(s.events), len(s.events)-limit+1+limit/10)
		s.events = append(s.events[:0], s.events[drop:]...)
	}
	s.events = append(s.events, e)
}

// Events returns the journal of events caused by writes so far (API writes carry
// changeSource INTEGRATION and the app id as sourceId; seeds carry CRM_UI), with
// portal, app and subscription ids filled in.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Event, len(s.events))
	for i, e := range s.events {
		out[i] = s.stamp(e)
	}
	return out
}

// TakeEvents returns the journal and empties it.
func (s *Server) TakeEvents() []Event {
	out := s.Events()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = s.events[len(out):]
	return out
}

func (s *Server) stamp(e Event) Event {
	if e.PortalID == 0 {
		e.PortalID = s.opts.PortalID
	}
	if e.AppID == 0 {
		e.AppID = s.opts.Webhooks.AppID
	}
	if e.SubscriptionID == 0 {
		e.SubscriptionID = s.opts.Webhooks.SubscriptionID
	}
	if e.OccurredAt == 0 {
		e.OccurredAt = s.now().UnixMilli()
	}
	if e.EventID == 0 {
		e.EventID = 3816279340 + s.eventID.Add(1)
	}
	return e
}

// maxEventsPerRequest: "Up to 100 events per request" (hubspot-api.md §10 Delivery).
const maxEventsPerRequest = 100

// SignedRequests builds the signed delivery requests for events (in batches of
// 100), without sending them, so tests can tamper with them. Zero ids and times
// are filled in. Each request carries the v3 signature (X-HubSpot-Signature-v3,
// X-HubSpot-Request-Timestamp) and the v1 signature (X-HubSpot-Signature with
// X-HubSpot-Signature-Version: v1).
func (s *Server) SignedRequests(ctx context.Context, targetURL string, events []Event) ([]*http.Request, error) {
	secret := s.opts.Webhooks.ClientSecret
	if secret == "" {
		secret = s.opts.OAuth.ClientSecret
	}
	var reqs []*http.Request
	for start := 0; start < len(events); start += maxEventsPerRequest {
		chunk := make([]Event, 0, maxEventsPerRequest)
		for _, e := range events[start:min(start+maxEventsPerRequest, len(events))] {
			chunk = append(chunk, s.stamp(e))
		}
		body, err := json.Marshal(chunk)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, targetURL, bytes.NewReader(body))
		if err != nil {
			return nil, fmt.Errorf("hubspottest: webhook request: %w", err)
		}
		ts := strconv.FormatInt(s.now().UnixMilli(), 10)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "HubSpot Connect 2.0 (http://dev.hubspot.com/) - hubspottest")
		req.Header.Set("X-HubSpot-Request-Timestamp", ts)
		req.Header.Set("X-HubSpot-Signature-v3", SignatureV3(secret, http.MethodPost, targetURL, body, ts))
		req.Header.Set("X-HubSpot-Signature", SignatureV1(secret, body))
		req.Header.Set("X-HubSpot-Signature-Version", "v1")
		reqs = append(reqs, req)
	}
	return reqs, nil
}

// Deliver POSTs events to targetURL as HubSpot does, signed with the app's client
// secret. It returns an error naming the first response that is not 2xx;
// HubSpot would retry such deliveries (hubspot-api.md §10).
func (s *Server) Deliver(ctx context.Context, targetURL string, events []Event) error {
	reqs, err := s.SignedRequests(ctx, targetURL, events)
	if err != nil {
		return err
	}
	for _, req := range reqs {
		resp, err := s.opts.Webhooks.HTTPClient.Do(req)
		if err != nil {
			return fmt.Errorf("hubspottest: deliver webhook: %w", err)
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		_ = resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("hubspottest: deliver webhook: %s answered %d", targetURL, resp.StatusCode)
		}
	}
	return nil
}

// DeliverJournal delivers and removes the journal's events (see [Server.Events]).
func (s *Server) DeliverJournal(ctx context.Context, targetURL string) error {
	return s.Deliver(ctx, targetURL, s.TakeEvents())
}

// uriDecodes are the URL-encoded characters HubSpot decodes in the request URI
// before signing (doc: request-validation, v3 step 3); hex digits of either case.
var uriDecodes = strings.NewReplacer("%3A", ":", "%3a", ":", "%2F", "/", "%2f", "/", "%3F", "?", "%3f", "?",
	"%40", "@", "%21", "!", "%24", "$", "%27", "'", "%28", "(", "%29", ")", "%2A", "*", "%2a", "*",
	"%2C", ",", "%2c", ",", "%3B", ";", "%3b", ";")

// SignatureV3 computes X-HubSpot-Signature-v3: base64(HMAC-SHA256(secret,
// method + uri + body + timestamp)), with uri the full URL called (hubspot-api.md §10).
func SignatureV3(secret, method, uri string, body []byte, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(method + uriDecodes.Replace(uri)))
	mac.Write(body)
	mac.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignatureV1 computes the v1 X-HubSpot-Signature: hex(SHA-256(secret + body)).
func SignatureV1(secret string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// SignatureV2 computes the v2 X-HubSpot-Signature: hex(SHA-256(secret + method +
// uri + body)), used by workflow webhooks and CRM cards.
func SignatureV2(secret, method, uri string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(secret + method + uri))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

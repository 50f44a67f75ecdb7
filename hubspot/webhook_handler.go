package hubspot

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/hubwise/hubwise/internal/httpx"
)

// WebhookHandlerOptions configures NewWebhookHandler.
type WebhookHandlerOptions struct {
	// MaxBody bounds the request body (default 1 MiB; a delivery holds at most 100
	// events).
	MaxBody int64
	// DedupeSize is how many recent event ids are remembered to drop redeliveries
	// (default 10,000). Memory stays bounded: the oldest ids are forgotten first.
	DedupeSize int
	// Logger receives one record per rejected or failed delivery; nil discards. The
	// client secret is never logged.
	Logger *slog.Logger
}

// NewWebhookHandler returns an http.Handler for HubSpot webhook deliveries: it reads
// the raw body (bounded), verifies it with v, decodes the events, drops events whose
// ids it has already handled, and passes the rest to handle. It answers 204 when
// handle succeeds, 401 for a bad signature, 400 for a bad body, 405 for non-POST,
// 413 for an oversized body, and 500 when handle fails, so that HubSpot retries
// (events of a failed call are not remembered as handled). HubSpot counts a reply
// slower than 5 s as a failure (hubspot-api.md §10, doc†: webhooks guide), so handle
// should queue work rather than do it.
func NewWebhookHandler(v *WebhookVerifier, handle func(ctx context.Context, events []Event) error, opts *WebhookHandlerOptions) http.Handler {
	o := WebhookHandlerOptions{}
	if opts != nil {
		o = *opts
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 1 << 20
	}
	if o.DedupeSize <= 0 {
		o.DedupeSize = 10000
	}
	red := httpx.NewRedactor()
	if v != nil {
		red.Add(v.ClientSecret)
	}
	return &webhookHandler{v: v, handle: handle, opts: o, seen: newIDSet(o.DedupeSize), log: httpx.NewLogger(o.Logger, red)}
}

type webhookHandler struct {
	v      *WebhookVerifier
	handle func(ctx context.Context, events []Event) error
	opts   WebhookHandlerOptions
	seen   *idSet
	log    *slog.Logger
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := httpx.ReadBody(r.Body, h.opts.MaxBody)
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, httpx.ErrBodyTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		h.log.WarnContext(r.Context(), "hubspot: webhook body rejected", "error", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	if h.v == nil {
		http.Error(w, "no verifier", http.StatusInternalServerError)
		return
	}
	if err := h.v.Verify(r, body); err != nil {
		h.log.WarnContext(r.Context(), "hubspot: webhook signature rejected", "error", err)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	events, err := ParseEvents(body)
	if err != nil {
		h.log.WarnContext(r.Context(), "hubspot: webhook body is not an event array", "error", err)
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	fresh := events[:0]
	var claimed []int64
	for _, e := range events {
		if h.seen.claim(e.EventID) {
			fresh = append(fresh, e)
			claimed = append(claimed, e.EventID)
		}
	}
	if len(fresh) > 0 {
		if err := h.handle(r.Context(), fresh); err != nil {
			h.seen.release(claimed)
			h.log.ErrorContext(r.Context(), "hubspot: webhook handler failed", "events", len(fresh), "error", err)
			http.Error(w, "handler failed", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// idSet remembers the last n ids in a ring, for bounded deduplication.
type idSet struct {
	mu   sync.Mutex
	ids  map[int64]struct{}
	ring []int64
	next int
	full bool
}

func newIDSet(n int) *idSet {
	return &idSet{ids: make(map[int64]struct{}, n), ring: make([]int64, n)}
}

// claim records id and reports whether it was new.
func (s *idSet) claim(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[id]; ok {
		return false
	}
	if s.full {
		delete(s.ids, s.ring[s.next])
	}
	s.ring[s.next] = id
	s.ids[id] = struct{}{}
	s.next++
	if s.next == len(s.ring) {
		s.next, s.full = 0, true
	}
	return true
}

// release forgets ids whose handling failed, so a redelivery is handled again. The
// ring slots stay; evicting a released id later is harmless.
func (s *idSet) release(ids []int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		delete(s.ids, id)
	}
}

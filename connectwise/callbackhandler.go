package connectwise

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/hubwise/hubwise/internal/httpx"
)

// Deduper remembers callback MessageIds, so a redelivered message is handled once.
// Seen is asked before handling; Mark is called after the handler succeeded (a failed
// message stays eligible for redelivery).
type Deduper interface {
	Seen(ctx context.Context, messageID string) (bool, error)
	Mark(ctx context.Context, messageID string) error
}

// MemoryDeduper is an in-process [Deduper] that keeps up to Max ids for TTL each.
type MemoryDeduper struct {
	max int
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	seen  map[string]time.Time
	order []string
}

// NewMemoryDeduper returns a deduper for up to max ids (default 10,000) kept for ttl
// (default 24h).
func NewMemoryDeduper(max int, ttl time.Duration) *MemoryDeduper {
	if max <= 0 {
		max = 10_000
	}
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	return &MemoryDeduper{max: max, ttl: ttl, now: time.Now, seen: map[string]time.Time{}}
}

// Seen reports whether id was marked within the TTL.
func (d *MemoryDeduper) Seen(_ context.Context, id string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.seen[id]
	return ok && d.now().Before(t.Add(d.ttl)), nil
}

// Mark remembers id, forgetting the oldest id beyond the capacity.
func (d *MemoryDeduper) Mark(_ context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.seen[id]; !ok {
		d.order = append(d.order, id)
	}
	d.seen[id] = d.now()
	for len(d.order) > d.max {
		delete(d.seen, d.order[0])
		d.order = d.order[1:]
	}
	return nil
}

// CallbackHandlerOptions configure [Client.CallbackHandler]. The zero value is the
// safe default.
type CallbackHandlerOptions struct {
	// Verifier options (allow-list, timeouts, key cache).
	Verifier *VerifierOptions
	// Deduper drops redelivered MessageIds. Nil means a [MemoryDeduper].
	Deduper Deduper
	// MaxBody bounds a delivery body (default 1 MiB).
	MaxBody int64
}

// CallbackHandler is [NewCallbackHandler] with a verifier for this client's tenant
// built from opts.Verifier.
func (c *Client) CallbackHandler(fn func(ctx context.Context, ev *CallbackEvent) error, opts *CallbackHandlerOptions) http.Handler {
	var vo *VerifierOptions
	if opts != nil {
		vo = opts.Verifier
	}
	return NewCallbackHandler(c.NewCallbackVerifier(vo), fn, opts)
}

// NewCallbackHandler returns an http.Handler for callback deliveries. It reads the
// raw body (at most MaxBody), verifies it with v, drops MessageIds already handled,
// and calls fn. Answers: 200 when fn succeeded or the message is a duplicate, 401 for
// a rejected delivery, 400 for an unreadable body, 413 for a body too large, 405 for
// methods other than POST, 500 when fn fails (fn's error is logged, redacted, not
// sent; the MessageId is not remembered, so a redelivery is handled). Like the
// HubSpot handler, fn should queue work rather than do it. opts.Verifier is ignored
// here (v is already built).
func NewCallbackHandler(v *CallbackVerifier, fn func(ctx context.Context, ev *CallbackEvent) error, opts *CallbackHandlerOptions) http.Handler {
	var o CallbackHandlerOptions
	if opts != nil {
		o = *opts
	}
	if o.MaxBody <= 0 {
		o.MaxBody = httpx.MaxErrorBody
	}
	if o.Deduper == nil {
		o.Deduper = NewMemoryDeduper(0, 0)
	}
	if v == nil || fn == nil {
		// A programming error; answer 500 so ConnectWise keeps the messages for later.
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "callback handler not configured", http.StatusInternalServerError)
		})
	}
	c := v.c
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, err := httpx.ReadBody(r.Body, o.MaxBody)
		if err != nil {
			if errors.Is(err, httpx.ErrBodyTooLarge) {
				http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		ev, err := v.Verify(ctx, body, r.Header.Get(SignatureHeader))
		if err != nil {
			c.logger.WarnContext(ctx, "connectwise: callback rejected", "error", err)
			status := http.StatusUnauthorized
			var ce *CallbackError
			if errors.As(err, &ce) && ce.Reason == "unreadable body" {
				status = http.StatusBadRequest
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
		if ev.MessageID != "" {
			if seen, err := o.Deduper.Seen(ctx, ev.MessageID); err == nil && seen {
				c.logger.DebugContext(ctx, "connectwise: duplicate callback dropped", "messageId", ev.MessageID)
				w.WriteHeader(http.StatusOK)
				return
			}
		}
		if err := fn(ctx, ev); err != nil {
			c.logger.ErrorContext(ctx, "connectwise: callback handler failed", "type", ev.Type, "id", ev.ID, "action", ev.Action, "error", err)
			http.Error(w, "handler failed", http.StatusInternalServerError)
			return
		}
		if ev.MessageID != "" {
			if err := o.Deduper.Mark(ctx, ev.MessageID); err != nil {
				c.logger.WarnContext(ctx, "connectwise: deduper mark failed", "messageId", ev.MessageID, "error", err)
			}
		}
		w.WriteHeader(http.StatusOK)
	})
}

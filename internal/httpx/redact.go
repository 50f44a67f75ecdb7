package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Redacted is what a secret is replaced with.
const Redacted = "[REDACTED]"

// minSecretLen is the shortest string treated as a secret: shorter values would
// redact ordinary text and cannot be meaningful credentials.
const minSecretLen = 4

// sensitiveParams are query parameters whose values are always redacted in URLs,
// whatever the Redactor knows: OAuth codes and tokens, HubSpot's legacy hapikey,
// and the generic names APIs use for credentials.
var sensitiveParams = map[string]bool{
	"access_token": true, "refresh_token": true, "code": true, "client_secret": true,
	"hapikey": true, "developer_hapikey": true, "key": true, "token": true, "api_key": true,
	"apikey": true, "password": true, "secret": true, "signature": true, "state": true,
}

// Redactor replaces known secrets with [Redacted]. It is safe for concurrent use;
// secrets can be added at any time (a refreshed OAuth token, for instance).
type Redactor struct {
	mu      sync.RWMutex
	secrets []string // longest first, so that a secret containing another is replaced whole
}

// NewRedactor returns a Redactor that knows the given secrets. Empty and very short
// strings are ignored.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add teaches r more secrets. Besides each secret itself, its URL-query-escaped and
// path-escaped forms are redacted too, since secrets travel in URLs and form bodies.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		for _, v := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			if len(v) < minSecretLen || slices.Contains(r.secrets, v) {
				continue
			}
			r.secrets = append(r.secrets, v)
		}
	}
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
}

// String returns s with every known secret replaced.
func (r *Redactor) String(s string) string {
	if r == nil || s == "" {
		return s
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, secret := range r.secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Redacted)
		}
	}
	return s
}

// URL renders u without secrets: known secrets anywhere in it, user information,
// and the values of sensitive query parameters (see the package documentation).
func (r *Redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		c.User = url.User(Redacted)
	}
	if c.RawQuery != "" {
		q := c.Query()
		changed := false
		for k := range q {
			if sensitiveParams[strings.ToLower(k)] {
				q[k] = []string{Redacted}
				changed = true
			}
		}
		if changed {
			c.RawQuery = q.Encode()
		}
	}
	return r.String(c.String())
}

// Error returns err with its message redacted. errors.Is and errors.As still see the
// original chain through Unwrap. A nil err gives nil; an error whose message holds no
// secret is returned as it is.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	var re *redactedError
	if errors.As(err, &re) && re.msg == err.Error() {
		return err
	}
	msg := r.String(err.Error())
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		// url.Error prints the whole URL, query included: rebuild its text with a
		// redacted URL before looking for known secrets.
		if u, perr := url.Parse(ue.URL); perr == nil {
			msg = strings.ReplaceAll(msg, r.String(ue.URL), r.URL(u))
		}
	}
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Format keeps %+v and friends from printing the unredacted chain.
func (e *redactedError) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(e.msg)) }

// Handler wraps h so that the message and every attribute value of each record are
// redacted before h sees them: strings, errors, fmt.Stringers, URLs and groups.
func (r *Redactor) Handler(h slog.Handler) slog.Handler {
	return &redactHandler{r: r, h: h}
}

type redactHandler struct {
	r *Redactor
	h slog.Handler
}

func (rh *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return rh.h.Enabled(ctx, l)
}

func (rh *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, rh.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(rh.attr(a))
		return true
	})
	return rh.h.Handle(ctx, out)
}

func (rh *redactHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = rh.attr(a)
	}
	return &redactHandler{r: rh.r, h: rh.h.WithAttrs(red)}
}

func (rh *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{r: rh.r, h: rh.h.WithGroup(name)}
}

func (rh *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, rh.r.String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, ga := range g {
			red[i] = rh.attr(ga)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case *url.URL:
			return slog.String(a.Key, rh.r.URL(x))
		case error:
			return slog.String(a.Key, rh.r.Error(x).Error())
		case fmt.Stringer:
			return slog.String(a.Key, rh.r.String(x.String()))
		case []byte:
			return slog.String(a.Key, rh.r.String(string(x)))
		default:
			return slog.String(a.Key, rh.r.String(fmt.Sprint(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// NewLogger returns l wrapped so that it never prints a secret r knows. A nil l gives
// a logger that discards everything.
func NewLogger(l *slog.Logger, r *Redactor) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(r.Handler(l.Handler()))
}

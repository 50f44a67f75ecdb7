package fakehttp

import (
	"bytes"
	"net/http"
	"strconv"
	"time"
)

// Fault describes how to spoil a call. Fields combine: Latency is applied first,
// then the handler runs (unless Status or Drop replaces it), then the response is
// replaced, dropped, truncated or malformed.
type Fault struct {
	// Status, when non-zero, is sent instead of the handler's response, with Body
	// and Header (the Content-Type defaults to application/json when Body is set).
	Status int
	Body   []byte
	Header http.Header
	// Latency delays the call. A client that gives up earlier cancels the wait.
	Latency time.Duration
	// Drop closes the connection without any response (hijack and close; an
	// aborted stream on HTTP/2).
	Drop bool
	// Truncate sends the headers with the full Content-Length but only half of
	// the body, then aborts the connection: the client sees an unexpected EOF.
	Truncate bool
	// Malformed sends a complete response whose body is cut in half, so it is
	// syntactically broken JSON (a lone "{" when the body was empty).
	Malformed bool
	// AfterHandler runs the real handler first even when Status or Drop is set, so
	// its effects (stored records, counters) persist and only the answer is lost.
	// Truncate and Malformed always run the handler unless Status is set.
	AfterHandler bool
}

// Injection is an armed [Fault], returned by [Mux.Inject].
type Injection struct {
	mux       *Mux
	match     Match
	fault     Fault
	remaining int // < 0: unlimited
	hits      int
}

// Inject arms f for the next n calls matching match; n <= 0 arms it until it is
// removed. Injections are tried in the order they were armed; a call is spoiled by
// at most one of them.
func (m *Mux) Inject(match Match, n int, f Fault) *Injection {
	if n <= 0 {
		n = -1
	}
	inj := &Injection{mux: m, match: match, fault: f, remaining: n}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults = append(m.faults, inj)
	return inj
}

// ClearFaults disarms every injection.
func (m *Mux) ClearFaults() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.faults = nil
}

// Hits returns how many calls this injection has spoiled.
func (i *Injection) Hits() int {
	i.mux.mu.Lock()
	defer i.mux.mu.Unlock()
	return i.hits
}

// Remaining returns how many more calls it will spoil (-1: unlimited).
func (i *Injection) Remaining() int {
	i.mux.mu.Lock()
	defer i.mux.mu.Unlock()
	return i.remaining
}

// Remove disarms the injection.
func (i *Injection) Remove() {
	i.mux.mu.Lock()
	defer i.mux.mu.Unlock()
	i.mux.removeLocked(i)
}

func (m *Mux) removeLocked(i *Injection) {
	for k, f := range m.faults {
		if f == i {
			m.faults = append(m.faults[:k:k], m.faults[k+1:]...)
			return
		}
	}
}

// take returns the first armed injection matching the call and consumes one use.
func (m *Mux) take(method, path, pattern string) *Injection {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, inj := range m.faults {
		if !inj.match.Matches(method, path, pattern) {
			continue
		}
		inj.hits++
		if inj.remaining > 0 {
			inj.remaining--
			if inj.remaining == 0 {
				m.removeLocked(inj)
			}
		}
		return inj
	}
	return nil
}

// serve applies f to one call; next is the real handler.
func (f Fault) serve(w *recorder, r *http.Request, next http.Handler) {
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			w.dropped = true
			return
		}
	}
	runHandler := f.AfterHandler || (f.Status == 0 && !f.Drop)
	spoil := f.Drop || f.Status != 0 || f.Truncate || f.Malformed
	if runHandler && !spoil {
		next.ServeHTTP(w, r)
		return
	}
	var resp buffer
	if runHandler {
		resp.header = http.Header{}
		next.ServeHTTP(&resp, r)
	}
	if f.Drop {
		w.dropped = true
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			// Closed by the Mux once the call is recorded, so that a client which
			// sees the dropped connection also sees the call in the log.
			w.hijacked = conn
			return
		}
		w.abort = true
		return
	}
	if f.Status != 0 {
		resp = buffer{status: f.Status, header: f.Header.Clone(), body: bytes.Clone(f.Body)}
		if resp.header == nil {
			resp.header = http.Header{}
		}
		if len(resp.body) > 0 && resp.header.Get("Content-Type") == "" {
			resp.header.Set("Content-Type", "application/json;charset=utf-8")
		}
	}
	if resp.status == 0 {
		resp.status = http.StatusOK
	}
	body := resp.body
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	switch {
	case f.Truncate:
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(resp.status)
		_, _ = w.Write(body[:len(body)/2])
		_ = http.NewResponseController(w).Flush()
		w.abort = true
		return
	case f.Malformed:
		if len(body) == 0 {
			body = []byte("{")
		} else {
			body = body[:len(body)/2]
		}
		h.Del("Content-Length")
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(body)
}

// buffer is an in-memory http.ResponseWriter.
type buffer struct {
	status int
	header http.Header
	body   []byte
}

func (b *buffer) Header() http.Header { return b.header }

func (b *buffer) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *buffer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	b.body = append(b.body, p...)
	return len(p), nil
}

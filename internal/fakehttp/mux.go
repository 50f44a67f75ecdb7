package fakehttp

import (
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Match selects requests. Zero fields match anything, so the zero Match (see
// [AnyRoute]) matches every request.
type Match struct {
	// Pattern is the exact ServeMux pattern the route was registered with,
	// e.g. "POST /crm/objects/{version}/{objectType}/batch/upsert".
	Pattern string
	// Method is the HTTP method ("GET", "POST", ...).
	Method string
	// Path is the literal URL path, e.g. "/crm/v3/objects/contacts/batch/upsert".
	Path string
	// Patterns, when non-empty, matches a request routed to any of these
	// patterns (for one operation served under several path families).
	Patterns []string
}

// AnyRoute matches every request.
var AnyRoute = Match{}

// ByPattern matches requests routed to the registered ServeMux pattern p.
func ByPattern(p string) Match { return Match{Pattern: p} }

// ByPatterns matches requests routed to any of the registered patterns ps.
func ByPatterns(ps ...string) Match { return Match{Patterns: ps} }

// ByPath matches requests with the given method and literal URL path. An empty
// method matches every method.
func ByPath(method, path string) Match { return Match{Method: method, Path: path} }

// Matches reports whether a request with the given method, path and routed
// pattern is selected by m.
func (m Match) Matches(method, path, pattern string) bool {
	if len(m.Patterns) > 0 && !slices.Contains(m.Patterns, pattern) {
		return false
	}
	return (m.Pattern == "" || m.Pattern == pattern) &&
		(m.Method == "" || m.Method == method) &&
		(m.Path == "" || m.Path == path)
}

// Call is one request recorded by a [Mux].
type Call struct {
	Method  string
	Path    string
	Query   string
	Pattern string // registered pattern; "" when no route matched
	// Status is the status code sent; 0 when the connection was dropped before a
	// response was written.
	Status   int
	Time     time.Time // when the request arrived
	Duration time.Duration
	// Fault is true when an injected fault handled or altered this call.
	Fault bool
}

// Options configures a [Mux].
type Options struct {
	// MaxLog bounds the number of calls kept in the log; when it is reached the
	// oldest tenth is dropped. Counts returned by [Mux.Count] are unaffected.
	// Zero means 100,000.
	MaxLog int
	// Now is the clock used for call timestamps; nil means [time.Now].
	Now func() time.Time
}

// Mux is an [http.Handler] that routes with an [http.ServeMux], records calls and
// applies injected faults. The zero value is not usable; call [NewMux].
type Mux struct {
	mux    *http.ServeMux
	maxLog int
	now    func() time.Time

	mu     sync.Mutex
	log    []Call
	counts map[callKey]int
	faults []*Injection
}

type callKey struct{ method, path, pattern string }

// NewMux returns an empty Mux. opts may be nil.
func NewMux(opts *Options) *Mux {
	m := &Mux{mux: http.NewServeMux(), maxLog: 100_000, now: time.Now, counts: map[callKey]int{}}
	if opts != nil {
		if opts.MaxLog > 0 {
			m.maxLog = opts.MaxLog
		}
		if opts.Now != nil {
			m.now = opts.Now
		}
	}
	return m
}

// Handle registers h for the ServeMux pattern p.
func (m *Mux) Handle(p string, h http.Handler) { m.mux.Handle(p, h) }

// HandleFunc registers f for the ServeMux pattern p.
func (m *Mux) HandleFunc(p string, f func(http.ResponseWriter, *http.Request)) {
	m.mux.HandleFunc(p, f)
}

// ServeHTTP records the call, applies the first armed fault that matches it and
// otherwise dispatches to the registered handler.
//
// The call is recorded when the response status is written, before any byte
// reaches the client (a large body can be flushed before the handler returns):
// a client that has read a response always finds its call in the log. A call
// that writes no status (a dropped connection) is recorded when the handler
// returns, before the connection is closed. Call.Duration is therefore the time
// to the status line.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := m.now()
	_, pattern := m.mux.Handler(r)
	inj := m.take(r.Method, r.URL.Path, pattern)
	rec := &recorder{ResponseWriter: w}
	rec.onStatus = func(status int) {
		m.record(Call{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Pattern: pattern,
			Status: status, Time: start, Duration: m.now().Sub(start), Fault: inj != nil,
		})
	}
	if inj != nil {
		inj.fault.serve(rec, r, m.mux)
	} else {
		m.mux.ServeHTTP(rec, r)
	}
	if rec.status == 0 {
		status := http.StatusOK // a handler that wrote nothing answers 200
		if rec.dropped {
			status = 0
		}
		rec.setStatus(status)
	}
	if rec.hijacked != nil {
		_ = rec.hijacked.Close()
	}
	if rec.abort {
		// Abort after the call is recorded: the server closes the connection
		// without finishing the response.
		panic(http.ErrAbortHandler)
	}
}

func (m *Mux) record(c Call) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[callKey{c.Method, c.Path, c.Pattern}]++
	if len(m.log) >= m.maxLog {
		// Drop the oldest tenth at once, so trimming stays cheap per call.
		drop := min(len(m.log), len(m.log)-m.maxLog+1+m.maxLog/10)
		m.log = append(m.log[:0], m.log[drop:]...)
	}
	m.log = append(m.log, c)
}

// Calls returns the recorded calls, oldest first, that match every given Match
// (all calls when none is given).
func (m *Mux) Calls(match ...Match) []Call {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Call
	for _, c := range m.log {
		if matchAll(match, c.Method, c.Path, c.Pattern) {
			out = append(out, c)
		}
	}
	return out
}

// Count returns how many calls matched every given Match (all calls when none
// is given). Counts are not limited by [Options.MaxLog].
func (m *Mux) Count(match ...Match) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for k, v := range m.counts {
		if matchAll(match, k.method, k.path, k.pattern) {
			n += v
		}
	}
	return n
}

// ResetCalls clears the call log and the counters.
func (m *Mux) ResetCalls() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.log = nil
	m.counts = map[callKey]int{}
}

func matchAll(ms []Match, method, path, pattern string) bool {
	for _, m := range ms {
		if !m.Matches(method, path, pattern) {
			return false
		}
	}
	return true
}

// recorder captures the status code and whether the connection was dropped, and
// reports the status once, as soon as it is known.
type recorder struct {
	http.ResponseWriter
	status   int
	recorded bool
	onStatus func(status int)
	dropped  bool
	abort    bool
	hijacked net.Conn // a dropped connection, closed after the call is recorded
}

// setStatus records status as the call's (once).
func (r *recorder) setStatus(code int) {
	if r.recorded {
		return
	}
	r.recorded = true
	r.status = code
	r.onStatus(code)
}

func (r *recorder) WriteHeader(code int) {
	r.setStatus(code)
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.setStatus(http.StatusOK)
	return r.ResponseWriter.Write(b)
}

// Unwrap lets [http.ResponseController] reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

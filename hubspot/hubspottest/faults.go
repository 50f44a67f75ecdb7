package hubspottest

import (
	"github.com/hubwise/hubwise/internal/fakehttp"
)

// Fault describes how to spoil calls: a status with body and headers, latency, a
// dropped connection, a truncated or malformed body (see the field docs).
type Fault = fakehttp.Fault

// Match selects calls by registered route pattern, patterns, method or literal path.
type Match = fakehttp.Match

// Call is one recorded request: method, path, query, route pattern, status, time.
type Call = fakehttp.Call

// Injection is an armed fault; see Hits, Remaining and Remove.
type Injection = fakehttp.Injection

// AnyRoute matches every call.
var AnyRoute = fakehttp.AnyRoute

// Route matches calls routed to one registered pattern, e.g.
// "POST /crm/objects/{version}/{objectType}/batch/upsert".
func Route(pattern string) Match { return fakehttp.ByPattern(pattern) }

// Path matches calls with a method ("" for any) and literal URL path, e.g.
// Path("POST", "/crm/objects/2026-09/contacts/batch/upsert").
func Path(method, path string) Match { return fakehttp.ByPath(method, path) }

// Op matches every path family of an operation (see the Op constants), e.g.
// Op(OpBatchUpsert) counts upserts on /crm/v3/… and /crm/objects/{version}/… alike.
func (s *Server) Op(op string) Match {
	ps := s.ops[op]
	if len(ps) == 0 {
		return Match{Pattern: "\x00unknown operation " + op}
	}
	return fakehttp.ByPatterns(ps...)
}

// Patterns returns the route patterns registered for an operation.
func (s *Server) Patterns(op string) []string { return append([]string(nil), s.ops[op]...) }

// Inject arms f for the next n calls matching m (n <= 0: until removed).
// Faults apply before authentication and rate limiting.
func (s *Server) Inject(m Match, n int, f Fault) *Injection { return s.mux.Inject(m, n, f) }

// InjectOp arms f for the next n calls of an operation, on any path family.
func (s *Server) InjectOp(op string, n int, f Fault) *Injection { return s.mux.Inject(s.Op(op), n, f) }

// ClearFaults disarms every injected fault.
func (s *Server) ClearFaults() { s.mux.ClearFaults() }

// Calls returns the recorded calls matching every given Match, oldest first.
func (s *Server) Calls(m ...Match) []Call { return s.mux.Calls(m...) }

// Count returns how many calls matched every given Match.
func (s *Server) Count(m ...Match) int { return s.mux.Count(m...) }

// CountOp returns how many calls an operation received, on any path family.
func (s *Server) CountOp(op string) int { return s.mux.Count(s.Op(op)) }

// ResetCalls clears the call log and counters.
func (s *Server) ResetCalls() { s.mux.ResetCalls() }

package hubspottest

import (
	"net/http"

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

// ClearFaults disarms every injected fault, per-input ones included.
func (s *Server) ClearFaults() {
	s.mux.ClearFaults()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, inj := range s.inputFaults {
		inj.removed = true
	}
	s.inputFaults = nil
}

// Calls returns the recorded calls matching every given Match, oldest first.
func (s *Server) Calls(m ...Match) []Call { return s.mux.Calls(m...) }

// Count returns how many calls matched every given Match.
func (s *Server) Count(m ...Match) int { return s.mux.Count(m...) }

// CountOp returns how many calls an operation received, on any path family.
func (s *Server) CountOp(op string) int { return s.mux.Count(s.Op(op)) }

// ResetCalls clears the call log and counters.
func (s *Server) ResetCalls() { s.mux.ResetCalls() }

// InputFault is the failure a batch call reports for one of its inputs, as an
// entry of errors[] in a 207 Multi-Status answer while the other inputs are
// applied (hubspot-api.md §3 "Batch responses": StandardError{status, category,
// subCategory, message, context}). The zero value is a transient failure.
type InputFault struct {
	// Category is the StandardError category. Empty means "INTERNAL_ERROR":
	// HubSpot documents no category for an input that failed for a passing
	// reason (hubspot-api.md §3 lists only the categories observed), so this one
	// is a guess. Set CONFLICT or VALIDATION_ERROR to model a permanent refusal.
	Category string
	// SubCategory is optional.
	SubCategory string
	// Message empty means "Internal error while processing this input; retry it."
	// (a guess, as the category).
	Message string
	// Status is the HTTP status of the whole answer when the call cannot report
	// inputs one by one (inputs without objectWriteTraceId, or an upsert keyed on
	// email: hubspot-api.md §3 and §4 Batch upsert), so the input fails the whole
	// request. 0 means 500.
	Status int
}

// BatchInput is one input of a batch call, as a [Server.FailInputs] hook sees it.
type BatchInput struct {
	// ObjectType is the object type's name ("contacts"), whichever name or id the
	// path used.
	ObjectType string
	// Index is the input's position in the request.
	Index int
	// ID is the input's id: a record id, or the IDProperty value; "" on create.
	ID string
	// IDProperty is the input's (or, on batch read, the request's) idProperty.
	IDProperty string
	// TraceID is the objectWriteTraceId sent with the input ("" on read and archive).
	TraceID string
	// Properties are the values the input writes (nil on read and archive); a
	// JSON null reads as "".
	Properties map[string]string
}

// InputInjection is a per-input fault armed by [Server.FailInputs].
type InputInjection struct {
	s       *Server
	op      string
	calls   int // calls left; < 0 means until removed
	fail    func(BatchInput) *InputFault
	hits    int
	removed bool
}

// Hits returns how many inputs the injection failed.
func (i *InputInjection) Hits() int {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	return i.hits
}

// Remove disarms the injection.
func (i *InputInjection) Remove() {
	i.s.mu.Lock()
	defer i.s.mu.Unlock()
	i.removed = true
}

// FailInputs arms fail for the next n calls (n <= 0: until removed) of a batch
// operation on any path family: OpBatchCreate, OpBatchUpdate, OpBatchUpsert,
// OpBatchRead or OpBatchArchive. fail sees each input that passed the
// request-level checks and returns nil to let it through or the fault to report
// for it. Failed inputs are not written (or read, or archived) and are
// reported in errors[] of a 207 answer the way the fake reports its own input
// failures: writes carry context.objectWriteTraceId, reads and archives
// context.ids (payload contacts-batch-update-207-notfound). The other inputs
// are applied. An injected fault replaces the input's own outcome: a record
// that does not exist is still reported as not found by batch update and read.
//
// Batch archive is documented with a 204 answer only (spec: batch/archive), so
// its 207 with errors is modelled on the other batch calls, not observed.
//
// fail runs while the fake holds its lock: it must not call the Server.
// Faults from [Server.Inject] apply first, to the whole call.
func (s *Server) FailInputs(op string, n int, fail func(BatchInput) *InputFault) *InputInjection {
	switch op {
	case OpBatchCreate, OpBatchUpdate, OpBatchUpsert, OpBatchRead, OpBatchArchive:
	default:
		panic("hubspottest: FailInputs: " + op + " is not a batch operation on objects")
	}
	if n <= 0 {
		n = -1
	}
	inj := &InputInjection{s: s, op: op, calls: n, fail: fail}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inputFaults = append(s.inputFaults, inj)
	return inj
}

// inputFaults returns, for a call of op, each input's injected fault (nil
// entries let the input through); nil when no injection is armed for op.
// It counts the call against every armed injection of op. Callers hold s.mu.
func (s *Server) inputFaultsFor(op string, st *store, inputs []objectInput, idProperty string) []*InputFault {
	var out []*InputFault
	live := s.inputFaults[:0]
	for _, inj := range s.inputFaults {
		if inj.removed || inj.calls == 0 {
			continue
		}
		live = append(live, inj)
		if inj.op != op {
			continue
		}
		if inj.calls > 0 {
			inj.calls--
		}
		for i, in := range inputs {
			if out != nil && out[i] != nil {
				continue
			}
			bi := BatchInput{ObjectType: st.typ.name, Index: i, ID: in.ID, IDProperty: in.IDProperty, TraceID: in.ObjectWriteTraceID}
			if bi.IDProperty == "" {
				bi.IDProperty = idProperty
			}
			if op != OpBatchRead && op != OpBatchArchive {
				bi.Properties = in.values()
			}
			f := inj.fail(bi)
			if f == nil {
				continue
			}
			if out == nil {
				out = make([]*InputFault, len(inputs))
			}
			out[i] = f.withDefaults()
			inj.hits++
		}
	}
	clear(s.inputFaults[len(live):])
	s.inputFaults = live
	return out
}

func (f *InputFault) withDefaults() *InputFault {
	c := *f
	if c.Category == "" {
		c.Category = "INTERNAL_ERROR"
	}
	if c.Message == "" {
		c.Message = "Internal error while processing this input; retry it."
	}
	if c.Status == 0 {
		c.Status = http.StatusInternalServerError
	}
	return &c
}

// faultAt returns the injected fault of input i, if any.
func faultAt(faults []*InputFault, i int) *InputFault {
	if faults == nil {
		return nil
	}
	return faults[i]
}

// checkOrFail fails sp with the injected fault f when there is one, else
// validates it as usual. The caller holds s.mu.
func (s *Server) checkOrFail(st *store, c claims, sp *step, self int64, f *InputFault) {
	if f != nil {
		failStep(sp, f)
		return
	}
	s.check(st, c, sp, self)
}

// failStep marks a write step as failed by an injected fault, the way check
// marks a validation failure: the entry carries the input's objectWriteTraceId.
func failStep(sp *step, f *InputFault) {
	sp.fail = &standardError{Status: "error", Category: f.Category, SubCategory: f.SubCategory, Message: f.Message,
		Context: map[string][]string{"objectWriteTraceId": {sp.in.ObjectWriteTraceID}}}
	sp.code = f.Status
}

// keyedFault is the errors[] entry of an injected fault on a read or archive
// input, which carries no trace id: the input is named in context.ids.
func keyedFault(f *InputFault, id string) standardError {
	return standardError{Status: "error", Category: f.Category, SubCategory: f.SubCategory, Message: f.Message,
		Context: map[string][]string{"ids": {id}}}
}

// failInjected answers a batch that cannot report inputs one by one and has
// an input with an injected fault: the whole request fails with the first such
// fault (after failWhole found no validation failure or conflict).
func failInjected(w http.ResponseWriter, steps []*step) bool {
	for _, sp := range steps {
		if sp != nil && sp.fail != nil && sp.code != http.StatusBadRequest && sp.code != http.StatusConflict {
			writeError(w, sp.code, apiError{Message: sp.fail.Message, Category: sp.fail.Category, SubCategory: sp.fail.SubCategory})
			return true
		}
	}
	return false
}

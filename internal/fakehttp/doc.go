// Package fakehttp is the vendor-neutral plumbing shared by hubwise's API fakes
// (hubspot/hubspottest, connectwise/connectwisetest).
//
// A fake registers its routes on a [Mux] with Go 1.22+ [http.ServeMux] patterns
// ("POST /crm/objects/{version}/{objectType}/batch/upsert"). The Mux records every
// call, counts calls per route and applies the faults a test injected, before the
// fake's own handler runs.
//
// # Routes and matching
//
// A [Match] selects requests either by the pattern the fake registered
// ([ByPattern], or [ByPatterns] for an operation served under several path
// families) or by method and literal URL path ([ByPath]); [AnyRoute] selects
// every request. Matches are used both for fault injection and for reading the
// call log.
//
// # Faults
//
// [Mux.Inject] arms a [Fault] for the next N matching calls: a status code with an
// optional body and headers, added latency, a dropped connection (hijack and close),
// a truncated body (the declared Content-Length is not honoured and the connection
// is aborted) or a malformed body (syntactically broken JSON). Faults either replace
// the handler entirely or, with [Fault.AfterHandler], let the handler apply its
// effects first and spoil only the response, which is how "the write happened but the
// answer was lost" is tested.
//
// # Call log
//
// Every request is recorded as a [Call] (method, path, route pattern, status, start
// time, duration). [Mux.Calls] and [Mux.Count] filter by [Match]; both are safe for
// concurrent use.
//
// # Rate limits
//
// [Limiter] implements fixed and sliding windows with an injectable clock, so fakes
// can answer 429 with their vendor's headers and bodies and tests can use windows of
// a few milliseconds.
//
// # Serving
//
// [Start] runs a handler as a standalone [http.Server] on an address (for programs in
// examples/), [StartTest] runs it under [httptest], and [StartTB] does the same
// and registers cleanup with [testing.TB.Cleanup].
package fakehttp

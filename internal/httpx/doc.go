// Package httpx is the HTTP plumbing shared by the hubspot and connectwise clients.
//
// # Retries
//
// [Client] wraps go-retryablehttp with a [Policy] of the vendor's choosing. A policy
// sees every attempt (request, response or transport error) and returns a
// [Decision]: retry or not, how long to wait, and why. The reason is logged at Warn.
// The final response of a request that is not retried again (a 429 that outlived its
// retries, a 5xx, any 4xx) is handed back unchanged (retryablehttp's
// PassthroughErrorHandler), so the vendor package turns it into a typed error.
//
// [DefaultPolicy] retries 429 always (after Retry-After when the server sends it),
// and 502, 503, 504 and transport errors only for requests that cannot duplicate a
// write: GET, HEAD, OPTIONS, PUT and DELETE, or a request whose context was marked
// with [WithIdempotent].
//
// # Rate limits
//
// Limiters sit under the retry loop: every attempt, first or retried, waits for a
// token of each limiter that [Config.Limiters] returns for it.
//
// # Counting
//
// A [Counter] put in a request's context with [WithCounter] counts every attempt
// the client hands to the transport, and separately the attempts that repeat a
// request (retries after a 429, a 5xx or a transport error). Counters nest: each
// attempt counts once in every counter of the context. Callers such as the syncer
// adapters use them to report exact API-call figures.
//
// # Secrets
//
// A [Redactor] knows the secrets of one client (tokens, keys, the Basic auth value)
// and replaces them with "[REDACTED]" in strings, URLs, errors and log records. The
// client's logger is always wrapped with [Redactor.Handler]; transport errors are
// returned through [Redactor.Error]. The default logger discards everything.
//
// # Bodies
//
// [ReadBody] reads through a size limit; [PeekBody] lets a policy inspect an error
// body without consuming it.
package httpx

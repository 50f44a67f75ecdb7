package httpx

import (
	"context"
	"sync/atomic"
)

// Counter counts the HTTP attempts of the requests whose context carries it
// (see [WithCounter]). An attempt is counted when the [Client] hands it to the
// transport, after the rate limiters and with a live context: first attempts,
// retries after a 429, a 5xx or a transport error, and every redirect hop.
// When the transport itself sends a request again on a new connection (net/http
// repeats a replayable request whose reused keep-alive connection was closed
// under it; HTTP/2 repeats a refused stream), each extra connection it takes
// for the request counts as one more attempt and one retry.
// An attempt that never reaches the transport (the context ended while it
// waited for a limiter or a backoff) is not counted.
//
// The zero value is ready to use. A Counter is safe for concurrent use and
// must not be copied after first use.
type Counter struct {
	attempts atomic.Int64
	retries  atomic.Int64
}

// Attempts returns the number of attempts counted so far, retries included.
func (c *Counter) Attempts() int64 { return c.attempts.Load() }

// Retries returns how many of [Counter.Attempts] repeated a request that had
// already been sent: Attempts minus Retries is the number of requests.
func (c *Counter) Retries() int64 { return c.retries.Load() }

// counters is the chain of counters in a context, innermost first.
type counters struct {
	c      *Counter
	parent *counters
}

type counterKey struct{}

// WithCounter returns a context whose requests are counted by c, and also by
// every counter ctx already carries: an adapter's counter and a caller's
// counter over a whole job both see each attempt. Adding a counter the
// context already carries returns ctx unchanged, so nested calls never count
// an attempt twice. A nil c returns ctx.
func WithCounter(ctx context.Context, c *Counter) context.Context {
	if c == nil {
		return ctx
	}
	parent, _ := ctx.Value(counterKey{}).(*counters)
	for n := parent; n != nil; n = n.parent {
		if n.c == c {
			return ctx
		}
	}
	return context.WithValue(ctx, counterKey{}, &counters{c: c, parent: parent})
}

// countersIn returns the counters of ctx, nil when it carries none.
func countersIn(ctx context.Context) *counters {
	n, _ := ctx.Value(counterKey{}).(*counters)
	return n
}

// add counts attempts, retries among them, in every counter of the chain.
func (n *counters) add(attempts, retries int64) {
	for ; n != nil; n = n.parent {
		n.c.attempts.Add(attempts)
		if retries > 0 {
			n.c.retries.Add(retries)
		}
	}
}

package fakehttp

import (
	"sort"
	"sync"
	"time"
)

// WindowKind selects how a [Limiter] counts requests.
type WindowKind int

const (
	// Sliding (rolling) windows allow at most Limit requests in any span of
	// Interval; a slot frees Interval after the request that took it.
	Sliding WindowKind = iota
	// Fixed windows allow Limit requests per window [k*Interval, (k+1)*Interval)
	// measured from the Unix epoch, and reset at once at each boundary.
	Fixed
)

// Decision is the outcome of one [Limiter.Take].
type Decision struct {
	// Allowed reports whether the request may proceed.
	Allowed bool
	// Limit is the configured maximum per window.
	Limit int
	// Remaining is how many more requests the window allows after this one.
	Remaining int
	// RetryAfter is how long until a slot frees (0 when Allowed).
	RetryAfter time.Duration
	// Reset is when the current fixed window ends, or when the oldest counted
	// request leaves a sliding window.
	Reset time.Time
}

// Limiter counts requests in a fixed or sliding window. It is safe for
// concurrent use. A Limiter with Limit <= 0 allows everything.
type Limiter struct {
	limit    int
	interval time.Duration
	kind     WindowKind
	now      func() time.Time

	mu     sync.Mutex
	stamps []time.Time // sliding: ring of the last limit admissions
	head   int
	start  time.Time // fixed: start of the current window
	count  int
}

// NewLimiter returns a limiter allowing limit requests per interval. now may be
// nil (then [time.Now] is used).
func NewLimiter(limit int, interval time.Duration, kind WindowKind, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	l := &Limiter{limit: limit, interval: interval, kind: kind, now: now}
	if kind == Sliding && limit > 0 {
		l.stamps = make([]time.Time, 0, limit)
	}
	return l
}

// Limit returns the configured maximum per window.
func (l *Limiter) Limit() int { return l.limit }

// Interval returns the window length.
func (l *Limiter) Interval() time.Duration { return l.interval }

// Take counts one request if the window allows it and reports the outcome.
// Refused requests are not counted.
func (l *Limiter) Take() Decision {
	if l.limit <= 0 {
		return Decision{Allowed: true}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.kind == Fixed {
		return l.takeFixed(now)
	}
	return l.takeSliding(now)
}

func (l *Limiter) takeFixed(now time.Time) Decision {
	start := now.Truncate(l.interval)
	if !start.Equal(l.start) {
		l.start, l.count = start, 0
	}
	reset := start.Add(l.interval)
	if l.count >= l.limit {
		return Decision{Limit: l.limit, RetryAfter: reset.Sub(now), Reset: reset}
	}
	l.count++
	return Decision{Allowed: true, Limit: l.limit, Remaining: l.limit - l.count, Reset: reset}
}

func (l *Limiter) takeSliding(now time.Time) Decision {
	cutoff := now.Add(-l.interval)
	if len(l.stamps) == l.limit {
		oldest := l.stamps[l.head]
		if oldest.After(cutoff) {
			reset := oldest.Add(l.interval)
			return Decision{Limit: l.limit, RetryAfter: reset.Sub(now), Reset: reset}
		}
		l.stamps[l.head] = now
		l.head = (l.head + 1) % l.limit
	} else {
		l.stamps = append(l.stamps, now)
	}
	// Stamps are in admission order starting at head: binary-search the first
	// one still inside the window.
	n := len(l.stamps)
	at := func(i int) time.Time { return l.stamps[(l.head+i)%n] }
	expired := sort.Search(n, func(i int) bool { return at(i).After(cutoff) })
	used := n - expired
	oldest := at(expired)
	return Decision{Allowed: true, Limit: l.limit, Remaining: l.limit - used, Reset: oldest.Add(l.interval)}
}

// Reset forgets every counted request.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stamps = l.stamps[:0]
	l.head = 0
	l.count = 0
	l.start = time.Time{}
}

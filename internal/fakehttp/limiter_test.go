package fakehttp

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestLimiterSliding(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	l := NewLimiter(3, 10*time.Second, Sliding, clk.now)
	var remaining []int
	for range 3 {
		d := l.Take()
		assert.True(t, d.Allowed)
		remaining = append(remaining, d.Remaining)
		clk.add(time.Second)
	}
	assert.Equal(t, []int{2, 1, 0}, remaining)
	d := l.Take()
	assert.False(t, d.Allowed)
	assert.Equal(t, 7*time.Second, d.RetryAfter, "the first request leaves the window 10s after it was made")
	assert.Equal(t, 3, d.Limit)

	clk.add(7 * time.Second) // t=10s: first slot frees
	d = l.Take()
	assert.True(t, d.Allowed)
	assert.Equal(t, 0, d.Remaining)
	assert.False(t, l.Take().Allowed)

	clk.add(30 * time.Second) // everything expired
	d = l.Take()
	assert.True(t, d.Allowed)
	assert.Equal(t, 2, d.Remaining)

	l.Reset()
	assert.Equal(t, 2, l.Take().Remaining)
}

func TestLimiterFixed(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)} // a multiple of 10s
	l := NewLimiter(2, 10*time.Second, Fixed, clk.now)
	assert.True(t, l.Take().Allowed)
	clk.add(9 * time.Second)
	assert.True(t, l.Take().Allowed)
	d := l.Take()
	assert.False(t, d.Allowed)
	assert.Equal(t, time.Second, d.RetryAfter)
	clk.add(time.Second) // new window
	d = l.Take()
	assert.True(t, d.Allowed)
	assert.Equal(t, 1, d.Remaining)
	assert.Equal(t, clk.now().Add(10*time.Second), d.Reset)
}

func TestLimiterUnlimitedAndConcurrent(t *testing.T) {
	assert.True(t, NewLimiter(0, time.Second, Sliding, nil).Take().Allowed)
	l := NewLimiter(50, time.Hour, Sliding, nil)
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if l.Take().Allowed {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 50, allowed)
}

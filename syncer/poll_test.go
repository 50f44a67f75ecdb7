package syncer_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/hubwise/hubwise/syncer"
)

// Poll runs passes at its interval and returns the context's error once it is
// cancelled.
func TestPollStopsOnCancel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newMemEnv(t, spec("companies"), time.Now)
		e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
		ctx, cancel := context.WithCancel(context.Background())
		var passes int
		done := make(chan error)
		go func() {
			done <- e.eng.Poll(ctx, time.Minute, func(r *syncer.Report, err error) {
				if err == nil {
					passes++
				}
			})
		}()
		time.Sleep(3*time.Minute + time.Second)
		cancel()
		err := <-done
		assert.True(t, errors.Is(err, context.Canceled))
		assert.Equal(t, 4, passes)
		assert.Error(t, e.eng.Poll(ctx, 0, nil))
	})
}

package syncer

import (
	"context"
	"errors"
	"time"

	"github.com/hubwise/hubwise/hubspot"
)

// Poll runs a pass ([Engine.Run]) at once and then every interval until ctx is
// done, handing each report and error to onReport (which may be nil). A failed
// pass does not stop polling: its changes stay behind the cursor and the next
// pass retries them. After HubSpot's daily limit the next pass waits for the
// limit's reset instead of the interval (DESIGN.md: "a daily limit ends the
// pass with a checkpoint to resume from"). Poll returns ctx.Err() once the
// context is done; a pass in flight is cancelled through the same context.
func (e *Engine) Poll(ctx context.Context, interval time.Duration, onReport func(*Report, error)) error {
	if interval <= 0 {
		return errors.New("syncer: Poll: interval must be positive")
	}
	for {
		rep, err := e.Run(ctx)
		if onReport != nil {
			onReport(rep, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := interval
		var rl *hubspot.RateLimitError
		if errors.As(err, &rl) && rl.Daily() {
			if d := rl.ResetAt.Sub(e.now()); d > wait {
				wait = d
			}
			e.log.Warn("syncer: daily limit reached; polling resumes after the reset", "reset_at", rl.ResetAt)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

package syncer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

// The cursor stays behind the pass start by the safety lag, and does not move
// when a pass stops before its writes went through.
func TestCursorRules(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	ctx := context.Background()
	e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
	start := e.clk.Now()
	_, err := e.eng.Run(ctx)
	require.NoError(t, err)
	cur, err := e.store.Cursor(ctx, "t1", "companies/connectwise")
	require.NoError(t, err)
	assert.Equal(t, start.Add(-time.Minute).Format(time.RFC3339Nano), cur)

	e.clk.Add(10 * time.Minute)
	e.cw.put("company/companies", map[string]any{"name": "Globex", "identifier": "Globex"})
	e.hs.fail = errors.New("daily limit")
	e.clk.Add(10 * time.Minute)
	rep, err := e.eng.Run(ctx)
	require.Error(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeSkipped), "not sent, not failed")
	again, err := e.store.Cursor(ctx, "t1", "companies/connectwise")
	require.NoError(t, err)
	assert.Equal(t, cur, again, "the cursor did not pass the unsent change")
	dls, err := e.eng.DeadLetters(ctx, "")
	require.NoError(t, err)
	assert.Empty(t, dls, "an unsent write is not the record's failure")

	e.hs.fail = nil
	rep, err = e.eng.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
}

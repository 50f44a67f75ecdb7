package syncer_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

// A targeted pass handles the hinted records only and leaves the cursors.
func TestRunHints(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	ctx := context.Background()
	a := e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme"})
	e.cw.put("company/companies", map[string]any{"name": "Globex", "identifier": "Globex"})
	rep, err := e.eng.RunHints(ctx, syncer.Hints{"companies": {ConnectWise: []int64{a}}, "tickets": {}})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated))
	_, err = e.store.Cursor(ctx, "t1", "companies/connectwise")
	assert.ErrorIs(t, err, syncer.ErrNotFound)
	rep, err = e.eng.Run(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Count("companies", syncer.OutcomeCreated), "the poll catches the rest")
}

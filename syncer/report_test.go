package syncer_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A report renders as JSON with its errors as text.
func TestReportJSON(t *testing.T) {
	e := newMemEnv(t, spec("companies"), nil)
	e.cw.put("company/companies", map[string]any{"name": "Acme", "identifier": "Acme", "numberOfEmployees": "many"})
	rep, err := e.eng.Run(context.Background())
	require.NoError(t, err)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"Outcome":"failed"`)
	assert.Contains(t, string(b), `numberofemployees`)
}

package hubspottest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	s := NewServer(t, Options{})
	r := call(t, s, "POST", "/crm/v3/objects/contacts", map[string]any{"properties": map[string]string{"email": "a@example.com", "firstname": "A"}})
	require.Equal(t, 201, r.Status, string(r.Raw))
	t.Log(string(r.Raw))
	r = call(t, s, "GET", "/crm/objects/2026-09/contacts?limit=5", nil)
	require.Equal(t, 200, r.Status, string(r.Raw))
	t.Log(string(r.Raw), r.Header)
	assert.Equal(t, 1, s.RecordCount("contacts"))
}

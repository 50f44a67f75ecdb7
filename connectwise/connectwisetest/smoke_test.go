package connectwisetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSmoke(t *testing.T) {
	_, c := setup(t)
	r := c.do("POST", "company/companies", company("Acme", "Acme Inc"))
	require.Equal(t, 201, r.status, string(r.body))
	co := r.obj(t)
	t.Log(string(r.body))
	r = c.do("POST", "company/contacts", map[string]any{"firstName": "Ann", "lastName": "Lee", "company": map[string]any{"id": co["id"]},
		"communicationItems": []any{map[string]any{"type": map[string]any{"id": "1"}, "value": "ann@acme.com", "defaultFlag": true}}})
	require.Equal(t, 201, r.status, string(r.body))
	t.Log(string(r.body))
	r = c.do("GET", `company/contacts?childConditions=communicationItems/value="ann@acme.com"`, nil)
	assert.Equal(t, 200, r.status, string(r.body))
	assert.Len(t, r.list(t), 1)
}

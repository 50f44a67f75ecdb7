package mapping

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultCompiles(t *testing.T) {
	m, err := Compile(Default(), nil)
	require.NoError(t, err)
	require.Len(t, m.Objects(), 3)
}

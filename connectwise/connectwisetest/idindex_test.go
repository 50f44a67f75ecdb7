package connectwisetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The id shortcut narrows the records to evaluate; it must never change the answer.
func TestCandidateIDsMatchesFullScan(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	def := s.def(string(Companies))
	c := newCollection(def)
	for i := 1; i <= 40; i++ {
		c.put(Record{"id": float64(i), "name": "Co", "deletedFlag": i%7 == 0})
	}
	conds := []string{
		"id = 5", "id = 5.0", "id = 5.5", "id = 99", "ID = 5", "id = '5'",
		"id in (1, 3, 3, 50)", "id in (1, '2')", "id not in (1,2)", "id != 4",
		"id in (1,2,3,4,5) and name = 'Co'", "name = 'Co' and id in (8, 9)",
		"id = 1 or id = 2", "id = 1 or name = 'x'", "not id = 3", "id >= 38",
		"(id in (10, 14) and deletedFlag = true) or id = 21",
	}
	for _, cond := range conds {
		t.Run(cond, func(t *testing.T) {
			e, err := ParseConditions(cond)
			require.NoError(t, err)
			lq := &listQuery{cond: e}
			var scan []Record
			for _, rec := range c.sorted() {
				if lq.match(rec) {
					scan = append(scan, rec)
				}
			}
			var fast []Record
			all := c.sorted()
			if ids, ok := candidateIDs(e); ok {
				all = c.candidates(ids)
			}
			for _, rec := range all {
				if lq.match(rec) {
					fast = append(fast, rec)
				}
			}
			assert.Equal(t, scan, fast)
		})
	}
}

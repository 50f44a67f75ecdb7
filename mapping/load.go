package mapping

import "strings"

// source records where a loaded spec came from.
type source struct {
	file  string
	lines map[string]int // location ("objects[0].fields[2]") -> line
}

// line returns the line of loc, or of its closest enclosing location.
func (s *source) line(loc string) int {
	for loc != "" {
		if n, ok := s.lines[loc]; ok {
			return n
		}
		i := strings.LastIndexAny(loc, ".[")
		if i < 0 {
			break
		}
		loc = loc[:i]
	}
	return 0
}

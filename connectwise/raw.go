package connectwise

import (
	"encoding/json"
	"strings"
)

// RawRecord is a ConnectWise record as the server sent it, every field kept. The
// sync engine reads records this way, since mappings may address fields (custom
// fields, newer API fields) that the typed models do not name.
type RawRecord = map[string]json.RawMessage

// NewResource returns a service for any collection below apis/3.0, such as
// "company/companies" or "project/projects", with records decoded into T. Use
// [RawRecord] (or map[string]any) for T to keep every field; use a typed model to
// get typed fields. Leading and trailing slashes of path are ignored.
func NewResource[T any](c *Client, path string) *Resource[T] {
	r := newResource[T](c, strings.Trim(path, "/"))
	return &r
}

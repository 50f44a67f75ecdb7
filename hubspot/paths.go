package hubspot

import (
	"net/url"
)

// APIVersion selects the family of paths the client calls.
type APIVersion string

// API versions. HubSpot's date-based versions use paths such as
// /crm/objects/2026-09/contacts; the legacy family uses /crm/v3/… and /crm/v4/…,
// which lose support in 2027 (hubspot-api.md §0, cl: legacy-apis-and-legacy-apps).
const (
	Version202609 APIVersion = "2026-09"
	Version202603 APIVersion = "2026-03"
	VersionLegacy APIVersion = "legacy"
)

// DefaultAPIVersion is the version a client uses unless WithAPIVersion says otherwise.
const DefaultAPIVersion = Version202609

func (v APIVersion) valid() bool {
	switch v {
	case Version202609, Version202603, VersionLegacy:
		return true
	}
	return false
}

// paths is the one path builder: every endpoint's path comes from here, so the
// version decides all of them (hubspot-api.md §0 path map).
type paths struct{ version APIVersion }

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }

// api returns the versioned prefix of an API area: for area "objects",
// /crm/objects/2026-09 or /crm/v3/objects.
func (p paths) crm(area, legacy string) string {
	if p.version == VersionLegacy {
		return "/crm/" + legacy + "/" + area
	}
	return "/crm/" + area + "/" + string(p.version)
}

// objects returns the path of an object type's collection, followed by extra
// already-escaped segments.
func (p paths) objects(objectType string, rest ...string) string {
	s := p.crm("objects", "v3") + "/" + seg(objectType)
	for _, r := range rest {
		s += "/" + r
	}
	return s
}

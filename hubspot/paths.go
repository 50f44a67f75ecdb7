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

// properties returns the path of an object type's property definitions
// (/crm/properties/{ver}/{t} or /crm/v3/properties/{t}), followed by rest.
func (p paths) properties(objectType string, rest ...string) string {
	s := p.crm("properties", "v3") + "/" + seg(objectType)
	for _, r := range rest {
		s += "/" + r
	}
	return s
}

// owners returns /crm/owners/{ver} or /crm/v3/owners, followed by rest.
func (p paths) owners(rest ...string) string {
	s := p.crm("owners", "v3")
	for _, r := range rest {
		s += "/" + r
	}
	return s
}

// pipelines returns /crm/pipelines/{ver}/{t} or /crm/v3/pipelines/{t}, followed by rest.
func (p paths) pipelines(objectType string, rest ...string) string {
	s := p.crm("pipelines", "v3") + "/" + seg(objectType)
	for _, r := range rest {
		s += "/" + r
	}
	return s
}

// associations returns the association batch/labels prefix of a pair of object
// types: /crm/associations/{ver}/{f}/{t} or /crm/v4/associations/{f}/{t}.
func (p paths) associations(from, to string, rest ...string) string {
	s := p.crm("associations", "v4") + "/" + seg(from) + "/" + seg(to)
	for _, r := range rest {
		s += "/" + r
	}
	return s
}

// assocRecord returns the record-level associations prefix of record id of type
// objectType: /crm/objects/{ver}/{t}/{id}/associations, or
// /crm/v4/objects/{t}/{id}/associations on legacy paths (v4, not v3: hubspot-api.md
// §0 path map "assoc. record"), followed by rest.
func (p paths) assocRecord(objectType, id string, rest ...string) string {
	s := "/crm/objects/" + string(p.version)
	if p.version == VersionLegacy {
		s = "/crm/v4/objects"
	}
	s += "/" + seg(objectType) + "/" + seg(id) + "/associations"
	for _, r := range rest {
		s += "/" + r
	}
	return s
}

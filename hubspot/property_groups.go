package hubspot

import (
	"context"
	"errors"
	"net/http"
)

// PropertyGroup is a group of properties (payload property-group-create-response).
type PropertyGroup struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder int    `json:"displayOrder"`
	Archived     bool   `json:"archived"`
}

// PropertyGroupCreate is the body of a group create: name and label are required
// (spec: PropertyGroupCreate).
type PropertyGroupCreate struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder *int   `json:"displayOrder,omitempty"`
}

// PropertyGroupUpdate changes a group's label and display order, the only fields
// that can change (spec: PropertyGroupUpdate).
type PropertyGroupUpdate struct {
	Label        *string `json:"label,omitempty"`
	DisplayOrder *int    `json:"displayOrder,omitempty"`
}

// ListGroups returns the property groups of an object type.
func (s *PropertiesService) ListGroups(ctx context.Context, objectType string) ([]*PropertyGroup, *Response, error) {
	req, err := s.client.NewRequest(ctx, http.MethodGet, s.client.paths.properties(objectType, "groups"), nil, nil)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Results []*PropertyGroup `json:"results"`
	}
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}
	return out.Results, resp, nil
}

// GetGroup returns one property group; a missing one unwraps to ErrNotFound.
func (s *PropertiesService) GetGroup(ctx context.Context, objectType, name string) (*PropertyGroup, *Response, error) {
	if name == "" {
		return nil, nil, errors.New("hubspot: get property group: empty name")
	}
	return call[PropertyGroup](ctx, s.client, http.MethodGet, s.client.paths.properties(objectType, "groups", seg(name)), nil, nil)
}

// CreateGroup creates a property group.
func (s *PropertiesService) CreateGroup(ctx context.Context, objectType string, g *PropertyGroupCreate) (*PropertyGroup, *Response, error) {
	if g == nil || g.Name == "" || g.Label == "" {
		return nil, nil, &InputError{Field: "name/label", Reason: "a property group needs a name and a label"}
	}
	return call[PropertyGroup](ctx, s.client, http.MethodPost, s.client.paths.properties(objectType, "groups"), nil, g)
}

// UpdateGroup changes a property group's label or display order.
func (s *PropertiesService) UpdateGroup(ctx context.Context, objectType, name string, u *PropertyGroupUpdate) (*PropertyGroup, *Response, error) {
	if name == "" || u == nil {
		return nil, nil, errors.New("hubspot: update property group: empty name or nil update")
	}
	return call[PropertyGroup](idempotent(ctx), s.client, http.MethodPatch, s.client.paths.properties(objectType, "groups", seg(name)), nil, u)
}

// ArchiveGroup archives a property group. HubSpot refuses a group that still has
// active properties with 400 PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES
// (hubspot-api.md §6, 3p with live evidence): archive or move them first.
func (s *PropertiesService) ArchiveGroup(ctx context.Context, objectType, name string) (*Response, error) {
	if name == "" {
		return nil, errors.New("hubspot: archive property group: empty name")
	}
	req, err := s.client.NewRequest(ctx, http.MethodDelete, s.client.paths.properties(objectType, "groups", seg(name)), nil, nil)
	if err != nil {
		return nil, err
	}
	return s.client.Do(req, nil)
}

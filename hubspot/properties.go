package hubspot

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"
)

// Property types and field types (hubspot-api.md §6, spec: PropertyCreate).
const (
	PropertyTypeBool        = "bool"
	PropertyTypeDate        = "date"
	PropertyTypeDateTime    = "datetime"
	PropertyTypeEnumeration = "enumeration"
	PropertyTypeNumber      = "number"
	PropertyTypePhoneNumber = "phone_number"
	PropertyTypeString      = "string"

	FieldTypeBooleanCheckbox     = "booleancheckbox"
	FieldTypeCalculationEquation = "calculation_equation"
	FieldTypeCheckbox            = "checkbox"
	FieldTypeDate                = "date"
	FieldTypeFile                = "file"
	FieldTypeHTML                = "html"
	FieldTypeNumber              = "number"
	FieldTypePhoneNumber         = "phonenumber"
	FieldTypeRadio               = "radio"
	FieldTypeSelect              = "select"
	FieldTypeText                = "text"
	FieldTypeTextarea            = "textarea"
)

// Property is a property definition (spec: Property). Custom properties carry
// createdUserId/updatedUserId and no hubspotDefined (payload properties-contacts-list).
type Property struct {
	Name                 string                `json:"name"`
	Label                string                `json:"label"`
	Type                 string                `json:"type"`
	FieldType            string                `json:"fieldType"`
	Description          string                `json:"description"`
	GroupName            string                `json:"groupName"`
	Options              []PropertyOption      `json:"options"`
	DisplayOrder         int                   `json:"displayOrder"`
	Calculated           bool                  `json:"calculated"`
	ExternalOptions      bool                  `json:"externalOptions"`
	HasUniqueValue       bool                  `json:"hasUniqueValue"`
	Hidden               bool                  `json:"hidden"`
	HubSpotDefined       bool                  `json:"hubspotDefined,omitempty"`
	FormField            bool                  `json:"formField"`
	DataSensitivity      string                `json:"dataSensitivity,omitempty"`
	ReferencedObjectType string                `json:"referencedObjectType,omitempty"`
	CalculationFormula   string                `json:"calculationFormula,omitempty"`
	ShowCurrencySymbol   bool                  `json:"showCurrencySymbol,omitempty"`
	NumberDisplayHint    string                `json:"numberDisplayHint,omitempty"`
	TextDisplayHint      string                `json:"textDisplayHint,omitempty"`
	ModificationMetadata *ModificationMetadata `json:"modificationMetadata,omitempty"`
	CreatedAt            *time.Time            `json:"createdAt,omitempty"`
	UpdatedAt            *time.Time            `json:"updatedAt,omitempty"`
	ArchivedAt           *time.Time            `json:"archivedAt,omitempty"`
	Archived             bool                  `json:"archived"`
	CreatedUserID        string                `json:"createdUserId,omitempty"`
	UpdatedUserID        string                `json:"updatedUserId,omitempty"`
}

// PropertyOption is one option of an enumeration property. Values written to
// records must be the option's Value, not its Label (hubspot-api.md §6, doc†).
type PropertyOption struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	Description  string `json:"description,omitempty"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// ModificationMetadata says what may be changed; honour ReadOnlyValue when writing.
type ModificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// PropertyCreate is the body of a property create (spec: PropertyCreate). Name,
// Label, Type, FieldType and GroupName are required; Options for enumerations.
// HasUniqueValue cannot be changed once set (hubspot-api.md §6); up to ten unique
// properties per object.
type PropertyCreate struct {
	Name                 string           `json:"name"`
	Label                string           `json:"label"`
	Type                 string           `json:"type"`
	FieldType            string           `json:"fieldType"`
	GroupName            string           `json:"groupName"`
	Description          string           `json:"description,omitempty"`
	Options              []PropertyOption `json:"options,omitempty"`
	DisplayOrder         *int             `json:"displayOrder,omitempty"`
	HasUniqueValue       bool             `json:"hasUniqueValue,omitempty"`
	Hidden               bool             `json:"hidden,omitempty"`
	FormField            *bool            `json:"formField,omitempty"`
	CalculationFormula   string           `json:"calculationFormula,omitempty"`
	ExternalOptions      bool             `json:"externalOptions,omitempty"`
	ReferencedObjectType string           `json:"referencedObjectType,omitempty"`
	DataSensitivity      string           `json:"dataSensitivity,omitempty"`
}

// PropertyUpdate is the body of a property update (spec: PropertyUpdate); nil fields
// are left alone. Options, when set, replace the whole option list (3p with live
// evidence, hubspot-api.md §6).
type PropertyUpdate struct {
	Label              *string          `json:"label,omitempty"`
	Type               *string          `json:"type,omitempty"`
	FieldType          *string          `json:"fieldType,omitempty"`
	GroupName          *string          `json:"groupName,omitempty"`
	Description        *string          `json:"description,omitempty"`
	Options            []PropertyOption `json:"options,omitempty"`
	DisplayOrder       *int             `json:"displayOrder,omitempty"`
	Hidden             *bool            `json:"hidden,omitempty"`
	FormField          *bool            `json:"formField,omitempty"`
	CalculationFormula *string          `json:"calculationFormula,omitempty"`
}

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }

// PropertiesService manages property definitions and property groups.
type PropertiesService struct{ client *Client }

// PropertyListOptions filters List.
type PropertyListOptions struct {
	// Archived lists archived properties only.
	Archived bool
	// DataSensitivity is "non_sensitive" (HubSpot's default), "sensitive" or
	// "highly_sensitive".
	DataSensitivity string
}

// List returns the property definitions of an object type.
func (s *PropertiesService) List(ctx context.Context, objectType string, opts *PropertyListOptions) ([]*Property, *Response, error) {
	q := url.Values{}
	if opts != nil {
		if opts.Archived {
			q.Set("archived", "true")
		}
		if opts.DataSensitivity != "" {
			q.Set("dataSensitivity", opts.DataSensitivity)
		}
	}
	req, err := s.client.NewRequest(ctx, http.MethodGet, s.client.paths.properties(objectType), q, nil)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Results []*Property `json:"results"`
	}
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}
	return out.Results, resp, nil
}

// Get returns one property definition; a missing one unwraps to ErrNotFound.
func (s *PropertiesService) Get(ctx context.Context, objectType, name string) (*Property, *Response, error) {
	if name == "" {
		return nil, nil, errors.New("hubspot: get property: empty name")
	}
	return call[Property](ctx, s.client, http.MethodGet, s.client.paths.properties(objectType, seg(name)), nil, nil)
}

// Create creates a property. An existing name is a 409 OBJECT_ALREADY_EXISTS
// (ErrConflict); creating the name of an archived property restores it (3p,
// hubspot-api.md §6). Use EnsureProperty for idempotent set-up.
func (s *PropertiesService) Create(ctx context.Context, objectType string, p *PropertyCreate) (*Property, *Response, error) {
	if err := p.validate(); err != nil {
		return nil, nil, err
	}
	return call[Property](ctx, s.client, http.MethodPost, s.client.paths.properties(objectType), nil, p)
}

func (p *PropertyCreate) validate() error {
	if p == nil {
		return errors.New("hubspot: create property: nil definition")
	}
	for _, f := range []struct{ name, v string }{{"name", p.Name}, {"label", p.Label}, {"type", p.Type}, {"fieldType", p.FieldType}, {"groupName", p.GroupName}} {
		if f.v == "" {
			return &InputError{Index: 0, ID: p.Name, Field: f.name, Reason: "is required"}
		}
	}
	if p.Type == PropertyTypeEnumeration && len(p.Options) == 0 && !p.ExternalOptions {
		return &InputError{Index: 0, ID: p.Name, Field: "options", Reason: "are required for an enumeration"}
	}
	return nil
}

// Update changes a property definition (PATCH). HasUniqueValue cannot be changed.
func (s *PropertiesService) Update(ctx context.Context, objectType, name string, u *PropertyUpdate) (*Property, *Response, error) {
	if name == "" || u == nil {
		return nil, nil, errors.New("hubspot: update property: empty name or nil update")
	}
	return call[Property](idempotent(ctx), s.client, http.MethodPatch, s.client.paths.properties(objectType, seg(name)), nil, u)
}

// Archive archives a property definition.
func (s *PropertiesService) Archive(ctx context.Context, objectType, name string) (*Response, error) {
	if name == "" {
		return nil, errors.New("hubspot: archive property: empty name")
	}
	req, err := s.client.NewRequest(ctx, http.MethodDelete, s.client.paths.properties(objectType, seg(name)), nil, nil)
	if err != nil {
		return nil, err
	}
	return s.client.Do(req, nil)
}

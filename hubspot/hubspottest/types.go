package hubspottest

import (
	"strings"
)

// Property is a property definition as HubSpot serves it (payloads
// properties-contacts-list.json, properties-batch-create-200.json). It is both the
// wire shape and the seed type of [Server.CreateProperty].
type Property struct {
	UpdatedAt            string               `json:"updatedAt,omitempty"`
	CreatedAt            string               `json:"createdAt,omitempty"`
	Name                 string               `json:"name"`
	Label                string               `json:"label"`
	Type                 string               `json:"type"`
	FieldType            string               `json:"fieldType"`
	Description          string               `json:"description"`
	GroupName            string               `json:"groupName"`
	Options              []PropertyOption     `json:"options"`
	ReferencedObjectType string               `json:"referencedObjectType,omitempty"`
	DisplayOrder         int                  `json:"displayOrder"`
	Calculated           bool                 `json:"calculated"`
	ExternalOptions      bool                 `json:"externalOptions"`
	Archived             *bool                `json:"archived,omitempty"`
	HasUniqueValue       bool                 `json:"hasUniqueValue"`
	Hidden               bool                 `json:"hidden"`
	HubspotDefined       bool                 `json:"hubspotDefined,omitempty"`
	ModificationMetadata ModificationMetadata `json:"modificationMetadata"`
	FormField            bool                 `json:"formField"`
	DataSensitivity      string               `json:"dataSensitivity"`
	CreatedUserID        string               `json:"createdUserId,omitempty"`
	UpdatedUserID        string               `json:"updatedUserId,omitempty"`
}

// PropertyOption is one option of an enumeration property.
type PropertyOption struct {
	Label        string `json:"label"`
	Value        string `json:"value"`
	Description  string `json:"description,omitempty"`
	DisplayOrder int    `json:"displayOrder"`
	Hidden       bool   `json:"hidden"`
}

// ModificationMetadata says what API callers may change.
type ModificationMetadata struct {
	Archivable         bool `json:"archivable"`
	ReadOnlyDefinition bool `json:"readOnlyDefinition"`
	ReadOnlyValue      bool `json:"readOnlyValue"`
}

// PropertyGroup is a property group (payload property-group-create-response.json).
type PropertyGroup struct {
	Name         string `json:"name"`
	Label        string `json:"label"`
	DisplayOrder int    `json:"displayOrder"`
	Archived     bool   `json:"archived"`
}

// CustomObjectType registers a custom object type with [Options.CustomObjects].
type CustomObjectType struct {
	// ID is the object type id, "2-" followed by digits (e.g. "2-12345").
	ID string
	// Name is the plural name used in paths ("machines"); Singular ("machine")
	// and ID are accepted too.
	Name, Singular string
	// Label is the singular display label used in messages ("Machine").
	Label string
	// Properties are the custom type's property definitions, added to the
	// standard hs_object_id, hs_createdate and hs_lastmodifieddate.
	Properties []Property
}

// objectType describes one CRM object type.
type objectType struct {
	id       string // "0-1"
	name     string // "contacts"
	singular string // "contact"
	label    string // "Contact", used in conflict messages
	upper    string // "CONTACT", used in batch not-found messages
	created  string // creation-date property: createdate, or hs_createdate for custom objects
	lastMod  string // last-modified property (hubspot-api.md §5: contacts lastmodifieddate, others hs_lastmodifieddate)
	defaults []string
	group    string
}

// Standard object types and ids (hubspot-api.md §4 "Object types"; products 0-7 and
// line items 0-8 from HubSpot's object type id list in the same docs page).
func standardTypes() []*objectType {
	return []*objectType{
		{id: "0-1", name: "contacts", singular: "contact", label: "Contact", upper: "CONTACT", created: "createdate", lastMod: "lastmodifieddate", group: "contactinformation",
			// Search default properties for contacts (hubspot-api.md §5, doc: search-the-crm).
			defaults: []string{"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"}},
		{id: "0-2", name: "companies", singular: "company", label: "Company", upper: "COMPANY", created: "createdate", lastMod: "hs_lastmodifieddate", group: "companyinformation",
			defaults: []string{"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"}},
		{id: "0-3", name: "deals", singular: "deal", label: "Deal", upper: "DEAL", created: "createdate", lastMod: "hs_lastmodifieddate", group: "dealinformation",
			defaults: []string{"amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id", "pipeline"}},
		{id: "0-5", name: "tickets", singular: "ticket", label: "Ticket", upper: "TICKET", created: "createdate", lastMod: "hs_lastmodifieddate", group: "ticketinformation",
			defaults: []string{"content", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_pipeline", "hs_pipeline_stage", "hs_ticket_category", "hs_ticket_priority", "subject"}},
		{id: "0-7", name: "products", singular: "product", label: "Product", upper: "PRODUCT", created: "createdate", lastMod: "hs_lastmodifieddate", group: "productinformation",
			defaults: []string{"createdate", "description", "hs_lastmodifieddate", "hs_object_id", "name", "price"}},
		{id: "0-8", name: "line_items", singular: "line_item", label: "Line item", upper: "LINE_ITEM", created: "createdate", lastMod: "hs_lastmodifieddate", group: "lineiteminformation",
			defaults: []string{"amount", "createdate", "hs_lastmodifieddate", "hs_object_id", "hs_product_id", "name", "price", "quantity"}},
	}
}

func customType(c CustomObjectType) *objectType {
	label := c.Label
	if label == "" {
		label = c.Singular
	}
	return &objectType{
		id: c.ID, name: c.Name, singular: c.Singular, label: label,
		upper: strings.ToUpper(c.Singular), created: "hs_createdate", lastMod: "hs_lastmodifieddate",
		group:    c.Singular + "_information",
		defaults: []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"},
	}
}

// objectType resolves a path's object type by plural name, singular name or id,
// case-insensitively. Callers hold s.mu or use it on the immutable type table.
func (s *Server) objectType(name string) *objectType {
	return s.types[strings.ToLower(name)]
}

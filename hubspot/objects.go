package hubspot

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Object type names and ids (hubspot-api.md §4, doc: using-object-apis). Paths accept
// either form; custom objects are addressed by their type id ("2-…").
const (
	ObjectContacts  = "contacts"
	ObjectCompanies = "companies"
	ObjectDeals     = "deals"
	ObjectTickets   = "tickets"
	ObjectProducts  = "products"
	ObjectLineItems = "line_items"

	TypeIDContacts  = "0-1"
	TypeIDCompanies = "0-2"
	TypeIDDeals     = "0-3"
	TypeIDTickets   = "0-5"
)

// Object is a CRM record (spec: SimplePublicObject). Every property value is a
// string (numbers "17", booleans "true", dates "1572480000000"); use the value
// helpers (ParseDate, ParseDateTime, ParseNumber, ParseBool, ParseMultiSelect) to
// read them. A property that was requested but has no value is absent or "".
type Object struct {
	ID                    string                        `json:"id"`
	Properties            map[string]string             `json:"properties"`
	PropertiesWithHistory map[string][]PropertyVersion  `json:"propertiesWithHistory,omitempty"`
	Associations          map[string]ObjectAssociations `json:"associations,omitempty"`
	CreatedAt             time.Time                     `json:"createdAt"`
	UpdatedAt             time.Time                     `json:"updatedAt"`
	Archived              bool                          `json:"archived"`
	ArchivedAt            *time.Time                    `json:"archivedAt,omitempty"`
	// URL is the record's page in the HubSpot UI; its host varies by region.
	URL string `json:"url,omitempty"`
	// ObjectWriteTraceID echoes the trace id of the batch input that wrote the record.
	ObjectWriteTraceID string `json:"objectWriteTraceId,omitempty"`
}

// Get returns the value of property name, "" when it is absent or null.
func (o *Object) Get(name string) string { return o.Properties[name] }

// PropertyVersion is one entry of a property's history.
type PropertyVersion struct {
	Value           string    `json:"value"`
	Timestamp       time.Time `json:"timestamp"`
	SourceType      string    `json:"sourceType"`
	SourceID        string    `json:"sourceId,omitempty"`
	SourceLabel     string    `json:"sourceLabel,omitempty"`
	UpdatedByUserID int64     `json:"updatedByUserId,omitempty"`
}

// ObjectAssociations lists the records of one type associated with a record, as
// returned when a read asks for associations.
type ObjectAssociations struct {
	Results []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"results"`
	Paging *Paging `json:"paging,omitempty"`
}

// Paging is the paging block of list answers.
type Paging struct {
	Next *struct {
		After string `json:"after"`
		Link  string `json:"link,omitempty"`
	} `json:"next,omitempty"`
}

func (p *Paging) after() string {
	if p == nil || p.Next == nil {
		return ""
	}
	return p.Next.After
}

// ObjectsService manages the records of one object type. Obtain it from the client's
// fields (Contacts, Companies, …) or from Client.Objects for custom objects.
type ObjectsService struct {
	client     *Client
	objectType string
}

// ObjectType returns the object type name or id the service addresses.
func (s *ObjectsService) ObjectType() string { return s.objectType }

// GetOptions selects what a Get returns.
type GetOptions struct {
	// Properties to return; HubSpot's defaults when empty.
	Properties []string
	// PropertiesWithHistory to return with their history.
	PropertiesWithHistory []string
	// Associations names object types whose associated ids are returned.
	Associations []string
	// IDProperty makes the id argument a value of this unique property, e.g. "email"
	// (hubspot-api.md §4: `?idProperty=`).
	IDProperty string
	// Archived reads a record in the recycle bin: with archived=true HubSpot returns
	// only archived records (spec), so an active record is then not found.
	Archived bool
}

func (o *GetOptions) query() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	setList(q, "properties", o.Properties)
	setList(q, "propertiesWithHistory", o.PropertiesWithHistory)
	setList(q, "associations", o.Associations)
	if o.IDProperty != "" {
		q.Set("idProperty", o.IDProperty)
	}
	if o.Archived {
		q.Set("archived", "true")
	}
	return q
}

func setList(q url.Values, key string, vals []string) {
	if len(vals) > 0 {
		q.Set(key, strings.Join(vals, ","))
	}
}

// Get reads one record by id, or by a unique property value when opts.IDProperty is
// set. A missing record is an *APIError that unwraps to ErrNotFound.
func (s *ObjectsService) Get(ctx context.Context, id string, opts *GetOptions) (*Object, *Response, error) {
	if id == "" {
		return nil, nil, errors.New("hubspot: get " + s.objectType + ": empty id")
	}
	return call[Object](ctx, s.client, http.MethodGet, s.client.paths.objects(s.objectType, seg(id)), opts.query(), nil)
}

// ObjectCreateRequest is the body of a create: properties and, optionally,
// associations to existing records (hubspot-api.md §4).
type ObjectCreateRequest struct {
	Properties   map[string]string   `json:"properties"`
	Associations []CreateAssociation `json:"associations,omitempty"`
}

// CreateAssociation associates a new record with an existing one at creation.
type CreateAssociation struct {
	To    AssociationTarget `json:"to"`
	Types []AssociationSpec `json:"types"`
}

// AssociationTarget names the record an association points to.
type AssociationTarget struct {
	ID string `json:"id"`
}

// Create creates one record. Creating is not idempotent, so a 5xx or transport error
// is not retried: look the record up before trying again (or use BatchUpsert).
func (s *ObjectsService) Create(ctx context.Context, create *ObjectCreateRequest) (*Object, *Response, error) {
	if create == nil {
		return nil, nil, errors.New("hubspot: create " + s.objectType + ": nil request")
	}
	if create.Properties == nil {
		create = &ObjectCreateRequest{Properties: map[string]string{}, Associations: create.Associations}
	}
	return call[Object](ctx, s.client, http.MethodPost, s.client.paths.objects(s.objectType), nil, create)
}

// UpdateOptions modifies an Update.
type UpdateOptions struct {
	// IDProperty makes the id argument a value of this unique property.
	IDProperty string
}

// Update sets properties of one record (PATCH); properties not named keep their
// values, and "" clears a value.
func (s *ObjectsService) Update(ctx context.Context, id string, properties map[string]string, opts *UpdateOptions) (*Object, *Response, error) {
	if id == "" {
		return nil, nil, errors.New("hubspot: update " + s.objectType + ": empty id")
	}
	q := url.Values{}
	if opts != nil && opts.IDProperty == "hs_object_id" {
		return nil, nil, &InputError{ID: id, Field: "idProperty", Reason: nonUniqueObjectID}
	}
	if opts != nil && opts.IDProperty != "" {
		q.Set("idProperty", opts.IDProperty)
	}
	if properties == nil {
		properties = map[string]string{}
	}
	body := struct {
		Properties map[string]string `json:"properties"`
	}{properties}
	return call[Object](idempotent(ctx), s.client, http.MethodPatch, s.client.paths.objects(s.objectType, seg(id)), q, body)
}

// Archive moves one record to the recycle bin, where it stays restorable for 90 days
// (hubspot-api.md §4, doc: delete-contact). HubSpot answers 204 whether or not the
// record existed.
func (s *ObjectsService) Archive(ctx context.Context, id string) (*Response, error) {
	if id == "" {
		return nil, errors.New("hubspot: archive " + s.objectType + ": empty id")
	}
	req, err := s.client.NewRequest(ctx, http.MethodDelete, s.client.paths.objects(s.objectType, seg(id)), nil, nil)
	if err != nil {
		return nil, err
	}
	return s.client.Do(req, nil)
}

// Merge merges objectIDToMerge into primaryID and returns the surviving record. Its
// id may differ from both inputs (hubspot-api.md §4, doc†: contacts guide): follow
// the returned ID.
func (s *ObjectsService) Merge(ctx context.Context, primaryID, objectIDToMerge string) (*Object, *Response, error) {
	if primaryID == "" || objectIDToMerge == "" {
		return nil, nil, errors.New("hubspot: merge " + s.objectType + ": empty id")
	}
	body := struct {
		PrimaryObjectID string `json:"primaryObjectId"`
		ObjectIDToMerge string `json:"objectIdToMerge"`
	}{primaryID, objectIDToMerge}
	return call[Object](ctx, s.client, http.MethodPost, s.client.paths.objects(s.objectType, "merge"), nil, body)
}

// ListOptions selects a page of records.
type ListOptions struct {
	// Limit is the page size, at most 100 (hubspot-api.md §4, doc†: contacts guide);
	// 0 means 100 for ListIter and HubSpot's default (10) for List.
	Limit int
	// After is the cursor from Response.NextAfter.
	After string
	// Properties to return.
	Properties []string
	// PropertiesWithHistory to return; HubSpot then lowers the page size (spec).
	PropertiesWithHistory []string
	// Associations names object types whose associated ids are returned.
	Associations []string
	// Archived returns only archived records (spec: archived=true).
	Archived bool
}

// maxListLimit is the largest list page (hubspot-api.md §4, doc†: contacts guide).
const maxListLimit = 100

// List reads one page of records. Response.NextAfter is the cursor of the next page.
func (s *ObjectsService) List(ctx context.Context, opts *ListOptions) ([]*Object, *Response, error) {
	q := url.Values{}
	if opts != nil {
		if opts.Limit < 0 || opts.Limit > maxListLimit {
			return nil, nil, errors.New("hubspot: list " + s.objectType + ": limit must be 1.." + strconv.Itoa(maxListLimit))
		}
		if opts.Limit > 0 {
			q.Set("limit", strconv.Itoa(opts.Limit))
		}
		if opts.After != "" {
			q.Set("after", opts.After)
		}
		setList(q, "properties", opts.Properties)
		setList(q, "propertiesWithHistory", opts.PropertiesWithHistory)
		setList(q, "associations", opts.Associations)
		if opts.Archived {
			q.Set("archived", "true")
		}
	}
	return listPage[*Object](ctx, s.client, s.client.paths.objects(s.objectType), q)
}

// ListIter iterates lazily over all records, page by page, starting at opts.After.
// It yields an error once and stops; breaking out of the loop stops paging.
func (s *ObjectsService) ListIter(ctx context.Context, opts *ListOptions) iter.Seq2[*Object, error] {
	o := ListOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Limit == 0 {
		o.Limit = maxListLimit
	}
	return pages(o.After, func(after string) ([]*Object, *Response, error) {
		o.After = after
		return s.List(ctx, &o)
	})
}

// GDPRDelete permanently deletes a contact and its history (POST
// …/contacts/gdpr-delete {objectId, idProperty}; HubSpot answers 204 and fires
// contact.privacyDeletion; hubspot-api.md §9, spec). idProperty may be "" (record
// id) or a unique property such as "email". Only contacts support it. Repeating it
// cannot write anything, so failures are retried.
func (s *ObjectsService) GDPRDelete(ctx context.Context, id, idProperty string) (*Response, error) {
	if id == "" {
		return nil, errors.New("hubspot: gdpr-delete " + s.objectType + ": empty id")
	}
	body := struct {
		ObjectID   string `json:"objectId"`
		IDProperty string `json:"idProperty,omitempty"`
	}{id, idProperty}
	req, err := s.client.NewRequest(idempotent(ctx), http.MethodPost, s.client.paths.objects(s.objectType, "gdpr-delete"), nil, body)
	if err != nil {
		return nil, err
	}
	return s.client.Do(req, nil)
}

// LastModifiedProperty returns the property holding a record's last modification
// time, for change feeds: "lastmodifieddate" for contacts, "hs_lastmodifieddate" for
// every other object type (hubspot-api.md §5).
func LastModifiedProperty(objectType string) string {
	if objectType == ObjectContacts || objectType == TypeIDContacts {
		return "lastmodifieddate"
	}
	return "hs_lastmodifieddate"
}

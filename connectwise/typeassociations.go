package connectwise

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Company and contact types can be sent in the create body only: company types
// "can be passed in only during new company creation (post). To update existing
// companies type, use /company/companyTypeAssociations or
// /company/companies/{ID}/typeAssociations", and contact typeIds likewise, then
// /company/contacts/{ID}/typeAssociations (connectwise-api.md §5, S10). The methods
// here change them afterwards.

// CompanyTypeAssociation links a company to one company type: a record of
// company/companies/{id}/typeAssociations (S9, S10: type and company, plus id and
// _info).
type CompanyTypeAssociation struct {
	ID      int        `json:"id,omitempty"`
	Type    *Reference `json:"type,omitempty"`
	Company *Reference `json:"company,omitempty"`
	Info    *Info      `json:"_info,omitempty"`
}

// ContactTypeAssociation links a contact to one contact type: a record of
// company/contacts/{id}/typeAssociations (S10).
type ContactTypeAssociation struct {
	ID      int        `json:"id,omitempty"`
	Type    *Reference `json:"type,omitempty"`
	Contact *Reference `json:"contact,omitempty"`
	Info    *Info      `json:"_info,omitempty"`
}

func typeAssocPath(collection string, id int) string {
	return collection + "/" + strconv.Itoa(id) + "/typeAssociations"
}

func listTypeAssocs[T any](ctx context.Context, c *Client, path string) ([]*T, *Response, error) {
	var out []*T
	q := url.Values{"pageSize": {strconv.Itoa(MaxPageSize)}}
	resp, err := c.call(ctx, http.MethodGet, path, q, nil, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

func addTypeAssoc[T any](ctx context.Context, c *Client, path string, body *T) (*T, *Response, error) {
	out := new(T)
	resp, err := c.call(ctx, http.MethodPost, path, nil, body, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// typeLink is what setTypes needs of an association: its id and its type's id.
type typeLink struct{ assocID, typeID int }

func (a *CompanyTypeAssociation) link() (typeLink, bool) {
	return typeLink{a.ID, refID(a.Type)}, a.Type != nil
}

func (a *ContactTypeAssociation) link() (typeLink, bool) {
	return typeLink{a.ID, refID(a.Type)}, a.Type != nil
}

func refID(r *Reference) int {
	if r == nil {
		return 0
	}
	return r.ID
}

// setTypes makes the types of record kind/id exactly typeIDs through list, add and
// remove: it adds the missing types first, then removes the others, so the record
// never loses a type it keeps.
func setTypes[A interface{ link() (typeLink, bool) }](ctx context.Context, kind string, id int, typeIDs []int,
	list func(context.Context, int) ([]A, *Response, error),
	add func(context.Context, int, int) (A, *Response, error),
	remove func(context.Context, int, int) (*Response, error),
) error {
	as, _, err := list(ctx, id)
	if err != nil {
		return fmt.Errorf("connectwise: %s %d: list types: %w", kind, id, err)
	}
	want := make(map[int]bool, len(typeIDs))
	for _, t := range typeIDs {
		want[t] = true
	}
	var have []typeLink
	got := make(map[int]bool, len(as))
	for _, a := range as {
		if l, ok := a.link(); ok {
			have = append(have, l)
			got[l.typeID] = true
		}
	}
	for _, t := range typeIDs {
		if got[t] {
			continue
		}
		if _, _, err := add(ctx, id, t); err != nil {
			return fmt.Errorf("connectwise: %s %d: add type %d: %w", kind, id, t, err)
		}
		got[t] = true
	}
	for _, l := range have {
		if want[l.typeID] {
			continue
		}
		if _, err := remove(ctx, id, l.assocID); err != nil {
			return fmt.Errorf("connectwise: %s %d: remove type association %d: %w", kind, id, l.assocID, err)
		}
	}
	return nil
}

// TypeAssociations lists the type associations of a company.
func (s *CompaniesService) TypeAssociations(ctx context.Context, companyID int) ([]*CompanyTypeAssociation, *Response, error) {
	return listTypeAssocs[CompanyTypeAssociation](ctx, s.c, typeAssocPath(s.path, companyID))
}

// AddType associates the company type typeID with a company (POST with the type and
// company references the spec requires, S9).
func (s *CompaniesService) AddType(ctx context.Context, companyID, typeID int) (*CompanyTypeAssociation, *Response, error) {
	return addTypeAssoc(ctx, s.c, typeAssocPath(s.path, companyID), &CompanyTypeAssociation{Type: Ref(typeID), Company: Ref(companyID)})
}

// RemoveTypeAssociation deletes one type association of a company by the
// association's own id (not the type id).
func (s *CompaniesService) RemoveTypeAssociation(ctx context.Context, companyID, associationID int) (*Response, error) {
	return s.c.call(ctx, http.MethodDelete, typeAssocPath(s.path, companyID)+"/"+strconv.Itoa(associationID), nil, nil, nil)
}

// SetTypes makes the company's types exactly typeIDs: it lists the associations, adds
// the missing types first, then removes the others, so the company is never left
// without a type it should keep. It does nothing when the types already match. An
// error names the step that failed; steps before it stay applied, and calling SetTypes
// again finishes the work.
func (s *CompaniesService) SetTypes(ctx context.Context, companyID int, typeIDs ...int) error {
	return setTypes(ctx, "company", companyID, typeIDs, s.TypeAssociations, s.AddType, s.RemoveTypeAssociation)
}

// TypeAssociations lists the type associations of a contact.
func (s *ContactsService) TypeAssociations(ctx context.Context, contactID int) ([]*ContactTypeAssociation, *Response, error) {
	return listTypeAssocs[ContactTypeAssociation](ctx, s.c, typeAssocPath(s.path, contactID))
}

// AddType associates the contact type typeID with a contact.
func (s *ContactsService) AddType(ctx context.Context, contactID, typeID int) (*ContactTypeAssociation, *Response, error) {
	return addTypeAssoc(ctx, s.c, typeAssocPath(s.path, contactID), &ContactTypeAssociation{Type: Ref(typeID), Contact: Ref(contactID)})
}

// RemoveTypeAssociation deletes one type association of a contact by the
// association's own id (not the type id).
func (s *ContactsService) RemoveTypeAssociation(ctx context.Context, contactID, associationID int) (*Response, error) {
	return s.c.call(ctx, http.MethodDelete, typeAssocPath(s.path, contactID)+"/"+strconv.Itoa(associationID), nil, nil, nil)
}

// SetTypes makes the contact's types exactly typeIDs, like
// [CompaniesService.SetTypes].
func (s *ContactsService) SetTypes(ctx context.Context, contactID int, typeIDs ...int) error {
	return setTypes(ctx, "contact", contactID, typeIDs, s.TypeAssociations, s.AddType, s.RemoveTypeAssociation)
}

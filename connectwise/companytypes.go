package connectwise

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// CompanyTypeAssociation links a company to one company type: the record of
// company/companies/{id}/typeAssociations (S9, S10 CompanyTypeAssociation: type and
// company, plus id and _info). A company's types can be sent in the create body only
// ("can be passed in only during new company creation (post)", connectwise-api.md §5,
// S10); afterwards they change through these associations.
type CompanyTypeAssociation struct {
	ID      int        `json:"id,omitempty"`
	Type    *Reference `json:"type,omitempty"`
	Company *Reference `json:"company,omitempty"`
	Info    *Info      `json:"_info,omitempty"`
}

func (s *CompaniesService) typeAssocPath(companyID int) string {
	return s.path + "/" + strconv.Itoa(companyID) + "/typeAssociations"
}

// TypeAssociations lists the type associations of a company.
func (s *CompaniesService) TypeAssociations(ctx context.Context, companyID int) ([]*CompanyTypeAssociation, *Response, error) {
	var out []*CompanyTypeAssociation
	q := url.Values{"pageSize": {strconv.Itoa(MaxPageSize)}}
	resp, err := s.c.call(ctx, http.MethodGet, s.typeAssocPath(companyID), q, nil, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// AddType associates the company type typeID with a company (POST
// typeAssociations with the type and company references the spec requires, S9).
func (s *CompaniesService) AddType(ctx context.Context, companyID, typeID int) (*CompanyTypeAssociation, *Response, error) {
	body := &CompanyTypeAssociation{Type: Ref(typeID), Company: Ref(companyID)}
	out := new(CompanyTypeAssociation)
	resp, err := s.c.call(ctx, http.MethodPost, s.typeAssocPath(companyID), nil, body, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// RemoveTypeAssociation deletes one type association of a company by the
// association's own id (not the type id).
func (s *CompaniesService) RemoveTypeAssociation(ctx context.Context, companyID, associationID int) (*Response, error) {
	return s.c.call(ctx, http.MethodDelete, s.typeAssocPath(companyID)+"/"+strconv.Itoa(associationID), nil, nil, nil)
}

// SetTypes makes the company's types exactly typeIDs: it lists the associations, adds
// the missing types first, then removes the others, so the company is never left
// without a type it should keep. It does nothing when the types already match. An
// error names the step that failed; steps before it stay applied, and calling SetTypes
// again finishes the work.
func (s *CompaniesService) SetTypes(ctx context.Context, companyID int, typeIDs ...int) error {
	have, _, err := s.TypeAssociations(ctx, companyID)
	if err != nil {
		return fmt.Errorf("connectwise: company %d: list types: %w", companyID, err)
	}
	want := make(map[int]bool, len(typeIDs))
	for _, id := range typeIDs {
		want[id] = true
	}
	got := make(map[int]bool, len(have))
	for _, a := range have {
		if a.Type != nil {
			got[a.Type.ID] = true
		}
	}
	for _, id := range typeIDs {
		if got[id] {
			continue
		}
		if _, _, err := s.AddType(ctx, companyID, id); err != nil {
			return fmt.Errorf("connectwise: company %d: add type %d: %w", companyID, id, err)
		}
		got[id] = true
	}
	for _, a := range have {
		if a.Type != nil && want[a.Type.ID] {
			continue
		}
		if _, err := s.RemoveTypeAssociation(ctx, companyID, a.ID); err != nil {
			return fmt.Errorf("connectwise: company %d: remove type association %d: %w", companyID, a.ID, err)
		}
	}
	return nil
}

package connectwise

import "context"

// Company is a company/companies record (connectwise-api.md §6, S9 model_company.go;
// decoded leniently, see SOURCES.md company-get.json).
type Company struct {
	ID                 int          `json:"id,omitempty"`
	Identifier         *string      `json:"identifier,omitempty"` // required on create, max 30
	Name               *string      `json:"name,omitempty"`       // required on create, max 50
	Status             *Reference   `json:"status,omitempty"`
	Types              []Reference  `json:"types,omitempty"` // only on create (S10); then CompaniesService.SetTypes
	AddressLine1       *string      `json:"addressLine1,omitempty"`
	AddressLine2       *string      `json:"addressLine2,omitempty"`
	City               *string      `json:"city,omitempty"`
	State              *string      `json:"state,omitempty"`
	Zip                *string      `json:"zip,omitempty"`
	Country            *Reference   `json:"country,omitempty"`
	PhoneNumber        *string      `json:"phoneNumber,omitempty"`
	FaxNumber          *string      `json:"faxNumber,omitempty"`
	Website            *string      `json:"website,omitempty"`
	Territory          *Reference   `json:"territory,omitempty"`
	Market             *Reference   `json:"market,omitempty"`
	AccountNumber      *string      `json:"accountNumber,omitempty"`
	DefaultContact     *Reference   `json:"defaultContact,omitempty"`
	DateAcquired       *Time        `json:"dateAcquired,omitempty"`
	SICCode            *Reference   `json:"sicCode,omitempty"`
	ParentCompany      *Reference   `json:"parentCompany,omitempty"`
	AnnualRevenue      *float64     `json:"annualRevenue,omitempty"`
	NumberOfEmployees  *int         `json:"numberOfEmployees,omitempty"`
	YearEstablished    *int         `json:"yearEstablished,omitempty"`
	RevenueYear        *int         `json:"revenueYear,omitempty"`
	OwnershipType      *Reference   `json:"ownershipType,omitempty"`
	TimeZoneSetup      *Reference   `json:"timeZoneSetup,omitempty"`
	LeadSource         *string      `json:"leadSource,omitempty"`
	LeadFlag           *bool        `json:"leadFlag,omitempty"`
	UnsubscribeFlag    *bool        `json:"unsubscribeFlag,omitempty"`
	TaxCode            *Reference   `json:"taxCode,omitempty"`
	BillingTerms       *Reference   `json:"billingTerms,omitempty"`
	BillToCompany      *Reference   `json:"billToCompany,omitempty"`
	Currency           *Reference   `json:"currency,omitempty"`
	TerritoryManager   *Reference   `json:"territoryManager,omitempty"`
	Site               *Reference   `json:"site,omitempty"`
	IsVendorFlag       *bool        `json:"isVendorFlag,omitempty"`
	DeletedFlag        *bool        `json:"deletedFlag,omitempty"`
	DateDeleted        *Time        `json:"dateDeleted,omitempty"`
	DeletedBy          *string      `json:"deletedBy,omitempty"`
	FacebookURL        *string      `json:"facebookUrl,omitempty"`
	TwitterURL         *string      `json:"twitterUrl,omitempty"`
	LinkedInURL        *string      `json:"linkedInUrl,omitempty"`
	UserDefinedField1  *string      `json:"userDefinedField1,omitempty"`
	UserDefinedField2  *string      `json:"userDefinedField2,omitempty"`
	UserDefinedField3  *string      `json:"userDefinedField3,omitempty"`
	UserDefinedField4  *string      `json:"userDefinedField4,omitempty"`
	UserDefinedField5  *string      `json:"userDefinedField5,omitempty"`
	UserDefinedField6  *string      `json:"userDefinedField6,omitempty"`
	UserDefinedField7  *string      `json:"userDefinedField7,omitempty"`
	UserDefinedField8  *string      `json:"userDefinedField8,omitempty"`
	UserDefinedField9  *string      `json:"userDefinedField9,omitempty"`
	UserDefinedField10 *string      `json:"userDefinedField10,omitempty"`
	CustomFields       CustomFields `json:"customFields,omitempty"`
	Info               *Info        `json:"_info,omitempty"`
}

// CompaniesService manages company/companies.
type CompaniesService struct {
	Resource[Company]
}

func newCompanies(c *Client) *CompaniesService {
	return &CompaniesService{newResource[Company](c, "company/companies")}
}

// GetByIdentifier returns the company with the given identifier (the unique short
// name, max 30), or an error wrapping [ErrNotFound].
func (s *CompaniesService) GetByIdentifier(ctx context.Context, identifier string) (*Company, *Response, error) {
	items, resp, err := s.List(ctx, &ListOptions{Conditions: Eq("identifier", identifier), PageSize: 2})
	if err != nil {
		return nil, resp, err
	}
	if len(items) == 0 {
		return nil, resp, &NotFoundError{Resource: "company", Key: "identifier", Value: identifier}
	}
	return items[0], resp, nil
}

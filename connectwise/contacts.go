package connectwise

import (
	"context"
	"iter"
	"strings"
)

// Contact is a company/contacts record (connectwise-api.md §6, S9 ApiContact).
// Real payloads omit company, site and communicationItems when empty
// (SOURCES.md contacts-list-minimal.json), and list answers carry no
// communicationItems at all on some tenants, so every field is optional.
type Contact struct {
	ID                  int                 `json:"id,omitempty"`
	FirstName           *string             `json:"firstName,omitempty"` // required on create
	LastName            *string             `json:"lastName,omitempty"`
	Company             *Reference          `json:"company,omitempty"`
	Site                *Reference          `json:"site,omitempty"`
	AddressLine1        *string             `json:"addressLine1,omitempty"`
	AddressLine2        *string             `json:"addressLine2,omitempty"`
	City                *string             `json:"city,omitempty"`
	State               *string             `json:"state,omitempty"`
	Zip                 *string             `json:"zip,omitempty"`
	Country             *Reference          `json:"country,omitempty"`
	Relationship        *Reference          `json:"relationship,omitempty"`
	Department          *Reference          `json:"department,omitempty"`
	Title               *string             `json:"title,omitempty"`
	NickName            *string             `json:"nickName,omitempty"`
	Gender              *string             `json:"gender,omitempty"`
	InactiveFlag        *bool               `json:"inactiveFlag,omitempty"`
	DefaultFlag         *bool               `json:"defaultFlag,omitempty"`
	DefaultBillingFlag  *bool               `json:"defaultBillingFlag,omitempty"`
	DefaultPhoneType    *string             `json:"defaultPhoneType,omitempty"`
	DefaultPhoneNbr     *string             `json:"defaultPhoneNbr,omitempty"`
	DefaultPhoneExt     *string             `json:"defaultPhoneExtension,omitempty"`
	UnsubscribeFlag     *bool               `json:"unsubscribeFlag,omitempty"`
	CompanyLocation     *Reference          `json:"companyLocation,omitempty"`
	CommunicationItems  []CommunicationItem `json:"communicationItems,omitempty"`
	Types               []Reference         `json:"types,omitempty"`
	TypeIDs             []int               `json:"typeIds,omitempty"` // only on create (S10); then ContactsService.SetTypes
	IgnoreDuplicates    *bool               `json:"ignoreDuplicates,omitempty"`
	PortalSecurityLevel *int                `json:"portalSecurityLevel,omitempty"`
	MobileGUID          *string             `json:"mobileGuid,omitempty"`
	UserDefinedField1   *string             `json:"userDefinedField1,omitempty"`  // max 50
	UserDefinedField2   *string             `json:"userDefinedField2,omitempty"`  // max 50
	UserDefinedField3   *string             `json:"userDefinedField3,omitempty"`  // max 50
	UserDefinedField4   *string             `json:"userDefinedField4,omitempty"`  // max 50
	UserDefinedField5   *string             `json:"userDefinedField5,omitempty"`  // max 50
	UserDefinedField6   *string             `json:"userDefinedField6,omitempty"`  // max 50
	UserDefinedField7   *string             `json:"userDefinedField7,omitempty"`  // max 50
	UserDefinedField8   *string             `json:"userDefinedField8,omitempty"`  // max 50
	UserDefinedField9   *string             `json:"userDefinedField9,omitempty"`  // max 50
	UserDefinedField10  *string             `json:"userDefinedField10,omitempty"` // max 50
	CustomFields        CustomFields        `json:"customFields,omitempty"`
	Info                *Info               `json:"_info,omitempty"`
}

// ContactsService manages company/contacts.
type ContactsService struct {
	Resource[Contact]
}

func newContacts(c *Client) *ContactsService {
	return &ContactsService{newResource[Contact](c, contactsPath)}
}

// EmailCondition is the child condition that finds contacts by email:
// communicationItems/value = "x" AND communicationItems/communicationType = "Email"
// (connectwise-api.md §6, S24). Emails are not unique in ConnectWise: expect 0..n.
func EmailCondition(email string) Condition {
	return And(
		Eq("communicationItems/value", strings.TrimSpace(email)),
		Eq("communicationItems/communicationType", CommunicationEmail),
	)
}

// FindByEmail yields every contact with a communication item of type Email equal to
// email (0..n: emails are not unique in ConnectWise). opts may add conditions (for
// example company/id); its ChildConditions are replaced.
func (s *ContactsService) FindByEmail(ctx context.Context, email string, opts *ListOptions) iter.Seq2[*Contact, error] {
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	o.ChildConditions = EmailCondition(email)
	return s.ListIter(ctx, &o)
}

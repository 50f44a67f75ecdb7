package connectwise

// The lookup tables a field mapping needs (connectwise-api.md §6, S9). Each is read
// through a [LookupService] on the [Client].

// CompanyStatus is a company/companies/statuses record.
type CompanyStatus struct {
	ID                   int     `json:"id"`
	Name                 string  `json:"name"`
	DefaultFlag          bool    `json:"defaultFlag"`
	InactiveFlag         bool    `json:"inactiveFlag"`
	NotifyFlag           *bool   `json:"notifyFlag,omitempty"`
	DisallowSavingFlag   *bool   `json:"disallowSavingFlag,omitempty"`
	NotificationMessage  *string `json:"notificationMessage,omitempty"`
	CustomNoteFlag       *bool   `json:"customNoteFlag,omitempty"`
	CancelOpenTracksFlag *bool   `json:"cancelOpenTracksFlag,omitempty"`
	Info                 *Info   `json:"_info,omitempty"`
}

// CompanyType is a company/companies/types record.
type CompanyType struct {
	ID               int    `json:"id"`
	Name             string `json:"name"`
	DefaultFlag      bool   `json:"defaultFlag"`
	VendorFlag       *bool  `json:"vendorFlag,omitempty"`
	ServiceAlertFlag *bool  `json:"serviceAlertFlag,omitempty"`
	Info             *Info  `json:"_info,omitempty"`
}

// ContactType is a company/contacts/types record.
type ContactType struct {
	ID          int    `json:"id"`
	Description string `json:"description"`
	DefaultFlag bool   `json:"defaultFlag"`
	Info        *Info  `json:"_info,omitempty"`
}

// SalesStage is a sales/stages record.
type SalesStage struct {
	ID             int        `json:"id"`
	Name           string     `json:"name"`
	SequenceNumber *int       `json:"sequenceNumber,omitempty"`
	Probability    *Reference `json:"probability,omitempty"`
	DefaultFlag    bool       `json:"defaultFlag"`
	Info           *Info      `json:"_info,omitempty"`
}

// OpportunityStatus is a sales/opportunities/statuses record; the flags say what a
// status means (connectwise-api.md §5).
type OpportunityStatus struct {
	ID           int    `json:"id"`
	Name         string `json:"name"`
	WonFlag      bool   `json:"wonFlag"`
	LostFlag     bool   `json:"lostFlag"`
	ClosedFlag   bool   `json:"closedFlag"`
	InactiveFlag bool   `json:"inactiveFlag"`
	DefaultFlag  bool   `json:"defaultFlag"`
	Info         *Info  `json:"_info,omitempty"`
}

// Member is a system/members record (a ConnectWise user). LastName is optional: real
// members lack it (pyconnectwise#26).
type Member struct {
	ID           int     `json:"id"`
	Identifier   string  `json:"identifier"`
	FirstName    *string `json:"firstName,omitempty"`
	LastName     *string `json:"lastName,omitempty"`
	OfficeEmail  *string `json:"officeEmail,omitempty"`
	PrimaryEmail *string `json:"primaryEmail,omitempty"`
	InactiveFlag *bool   `json:"inactiveFlag,omitempty"`
	Title        *string `json:"title,omitempty"`
	LicenseClass *string `json:"licenseClass,omitempty"`
	Info         *Info   `json:"_info,omitempty"`
}

// Board is a service/boards record.
type Board struct {
	ID           int        `json:"id"`
	Name         string     `json:"name"`
	Location     *Reference `json:"location,omitempty"`
	Department   *Reference `json:"department,omitempty"`
	InactiveFlag bool       `json:"inactiveFlag"`
	Info         *Info      `json:"_info,omitempty"`
}

// BoardStatus is a service/boards/{id}/statuses record.
type BoardStatus struct {
	ID           int        `json:"id"`
	Name         string     `json:"name"`
	Board        *Reference `json:"board,omitempty"`
	SortOrder    *int       `json:"sortOrder,omitempty"`
	DefaultFlag  bool       `json:"defaultFlag"`
	InactiveFlag bool       `json:"inactiveFlag"`
	ClosedStatus bool       `json:"closedStatus"`
	Info         *Info      `json:"_info,omitempty"`
}

// Priority is a service/priorities record.
type Priority struct {
	ID          int     `json:"id"`
	Name        string  `json:"name"`
	Color       *string `json:"color,omitempty"`
	SortOrder   *int    `json:"sortOrder,omitempty"`
	DefaultFlag bool    `json:"defaultFlag"`
	Info        *Info   `json:"_info,omitempty"`
}

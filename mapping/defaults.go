package mapping

// Identity properties and names used by Default. The engine uses them for
// idempotent batch upserts (idProperty must be a hasUniqueValue property,
// hubspot-api.md §4) and to match existing HubSpot records
// (commercial-setup-guide.txt, "Existing HubSpot Records").
const (
	// GroupConnectWise is the HubSpot property group of the ConnectWise
	// properties, and the default group of property definitions.
	GroupConnectWise = "connectwise"

	PropCWCompanyID         = "cw_company_id"         // companies: ConnectWise company rec ID (unique)
	PropCWCompanyIdentifier = "cw_company_identifier" // companies: ConnectWise company identifier (unique)
	PropCWContactID         = "cw_contact_id"         // contacts: ConnectWise contact rec ID (unique)
	PropCWOpportunityID     = "cw_opportunity_id"     // deals: ConnectWise opportunity rec ID (unique)
)

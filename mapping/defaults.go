package mapping

// Identity properties and names used by Default. The engine uses them for
// idempotent batch upserts (idProperty must be a hasUniqueValue property,
// hubspot-api.md §4) and to match existing HubSpot records: "ConnectWise
// Company ID for companies, and ConnectWise Rec ID for opportunities/deals"
// (commercial-setup-guide.txt, "Existing HubSpot Records").
const (
	// GroupConnectWise is the HubSpot property group of the ConnectWise
	// properties, and the default group of property definitions.
	GroupConnectWise = "connectwise"

	PropCWCompanyID         = "cw_company_id"         // companies: ConnectWise company rec ID (unique)
	PropCWCompanyIdentifier = "cw_company_identifier" // companies: ConnectWise company identifier (unique)
	PropCWContactID         = "cw_contact_id"         // contacts: ConnectWise contact rec ID (unique)
	PropCWOpportunityID     = "cw_opportunity_id"     // deals: ConnectWise opportunity rec ID (unique)

	// Object mapping names of Default.
	ObjectCompanies = "companies"
	ObjectContacts  = "contacts"
	ObjectDeals     = "deals"

	// TableOwners maps ConnectWise member ids to HubSpot owner ids. The
	// engine builds it by joining ConnectWise members and HubSpot owners on
	// email; hubspot_owner_id takes the owner id, not the userId
	// (hubspot-api.md §8).
	TableOwners = "owners"
	// TableDealStages maps ConnectWise sales stage ids to HubSpot deal stage
	// ids. HubSpot needs internal stage ids, not labels (hubspot-api.md §8).
	TableDealStages = "deal_stages"

	// ForecastKey is where Default's deal mapping expects the opportunity's
	// forecast: ConnectWise keeps amounts in GET
	// /sales/opportunities/{id}/forecast, not on the opportunity
	// (connectwise-api.md §5). The engine stores that body under this key of
	// the opportunity record before projecting it; the spec declares the
	// response an array of Forecast while single objects are also reported,
	// so store the object (the first element of an array). Without it the
	// amount projects as "no value", which a diff would read as cleared:
	// fetch the forecast or drop the amount field.
	ForecastKey = "forecast"
)

func idProp(label string) *PropertyDef {
	return &PropertyDef{Label: label, Type: "string", FieldType: "text", HasUniqueValue: true,
		Description: "Set by hubwise; identifies the ConnectWise record. Do not edit."}
}

func textProp(label string) *PropertyDef {
	return &PropertyDef{Label: label, Type: "string", FieldType: "text"}
}

// Default returns a ready spec for the three standard pairs (companies,
// contacts, opportunities to deals) with the fields an MSP expects and the
// identity properties on the HubSpot side. It is a fresh value each call;
// adjust it freely before compiling.
//
// Run-time needs: deals use the TableOwners and TableDealStages lookup
// tables and read the amount from the forecast stored under ForecastKey.
// Contacts read email and phone from the default communication items;
// ConnectWise communication type ids are per tenant (connectwise-api.md §5),
// so a create body carries communicationType but no type id.
//
// Deals born in HubSpot are not created in ConnectWise under Default alone:
// opportunities have no identifier or email by which the engine could find
// a create again after a crash. Create a Text custom field on the
// Opportunity screen and call [Spec.StoreHubSpotID] with its caption; custom
// fields are per tenant, so Default cannot assume one.
func Default() *Spec {
	yes := true
	return &Spec{
		Groups: []PropertyGroup{
			{Object: "companies", Name: GroupConnectWise, Label: "ConnectWise"},
			{Object: "contacts", Name: GroupConnectWise, Label: "ConnectWise"},
			{Object: "deals", Name: GroupConnectWise, Label: "ConnectWise"},
		},
		Objects: []ObjectMapping{
			{
				Name: ObjectCompanies, HubSpot: "companies", ConnectWise: "company/companies",
				Enabled: &yes, Direction: Both,
				Match: []MatchKey{{HubSpot: PropCWCompanyID}, {HubSpot: PropCWCompanyIdentifier}},
				Filters: Filters{
					// Soft-deleted companies are still returned by id
					// (company-get.json: deletedFlag true).
					ToHubSpot: &Filter{Path: "deletedFlag", Op: Ne, Value: true},
				},
				Fields: []FieldMapping{
					{HubSpot: PropCWCompanyID, ConnectWise: "id", Direction: ToHubSpot, Property: idProp("ConnectWise Company Rec ID")},
					// identifier and name: required on create, max 30 and 50 (connectwise-api.md §5).
					{HubSpot: PropCWCompanyIdentifier, ConnectWise: "identifier", Required: true, Transform: []Step{S("trim"), S("maxlen", "n", "30")}, Property: idProp("ConnectWise Company ID")},
					{HubSpot: "name", ConnectWise: "name", Required: true, Transform: []Step{S("trim"), S("maxlen", "n", "50")}},
					{HubSpot: "website", ConnectWise: "website", Transform: []Step{S("trim"), S("maxlen", "n", "255")}},
					{HubSpot: "domain", ConnectWise: "website", Direction: ToHubSpot, Transform: []Step{S("domain")}},
					{HubSpot: "phone", ConnectWise: "phoneNumber", Transform: []Step{S("phone"), S("maxlen", "n", "30")}},
					// Address fields: max 50, zip 12 (connectwise-api.md §5).
					{HubSpot: "address", ConnectWise: "addressLine1", Transform: []Step{S("trim"), S("maxlen", "n", "50")}},
					{HubSpot: "address2", ConnectWise: "addressLine2", Transform: []Step{S("trim"), S("maxlen", "n", "50")}},
					{HubSpot: "city", ConnectWise: "city", Transform: []Step{S("trim"), S("maxlen", "n", "50")}},
					{HubSpot: "state", ConnectWise: "state", Transform: []Step{S("trim"), S("maxlen", "n", "50")}},
					{HubSpot: "zip", ConnectWise: "zip", Transform: []Step{S("trim"), S("maxlen", "n", "12")}},
					{HubSpot: "country", ConnectWise: "country/name", Direction: ToHubSpot},
					{HubSpot: "numberofemployees", ConnectWise: "numberOfEmployees", Transform: []Step{S("number")}},
					{HubSpot: "annualrevenue", ConnectWise: "annualRevenue", Transform: []Step{S("number")}},
					{HubSpot: "cw_company_status", ConnectWise: "status/name", Direction: ToHubSpot, Property: textProp("ConnectWise Status")},
					{HubSpot: "cw_company_type", ConnectWise: "types[0]/name", Direction: ToHubSpot, Property: textProp("ConnectWise Type")},
				},
			},
			{
				Name: ObjectContacts, HubSpot: "contacts", ConnectWise: "company/contacts",
				Enabled: &yes, Direction: Both,
				Match: []MatchKey{{HubSpot: "email"}},
				Associations: []Association{
					{To: ObjectCompanies, ConnectWise: "company/id", HubSpotTypeID: 279}, // contact to company (hubspot-api.md §7)
				},
				Fields: []FieldMapping{
					{HubSpot: PropCWContactID, ConnectWise: "id", Direction: ToHubSpot, Property: idProp("ConnectWise Contact Rec ID")},
					{HubSpot: "email", ConnectWise: "communicationItems[communicationType=Email,defaultFlag=true]/value", Transform: []Step{S("email")}},
					// firstName is required by the API on create (connectwise-api.md §5).
					{HubSpot: "firstname", ConnectWise: "firstName", Required: true, Transform: []Step{S("trim")}},
					{HubSpot: "lastname", ConnectWise: "lastName", Transform: []Step{S("trim")}},
					{HubSpot: "jobtitle", ConnectWise: "title", Transform: []Step{S("trim")}},
					{HubSpot: "phone", ConnectWise: "communicationItems[communicationType=Phone,defaultFlag=true]/value", Transform: []Step{S("phone")}},
					{HubSpot: "fax", ConnectWise: "communicationItems[communicationType=Fax,defaultFlag=true]/value", Transform: []Step{S("phone")}},
					{HubSpot: "address", ConnectWise: "addressLine1", Transform: []Step{S("trim")}},
					{HubSpot: "city", ConnectWise: "city", Transform: []Step{S("trim")}},
					{HubSpot: "state", ConnectWise: "state", Transform: []Step{S("trim")}},
					{HubSpot: "zip", ConnectWise: "zip", Transform: []Step{S("trim")}},
					{HubSpot: "company", ConnectWise: "company/name", Direction: ToHubSpot},
				},
			},
			{
				Name: ObjectDeals, HubSpot: "deals", ConnectWise: "sales/opportunities",
				Enabled: &yes, Direction: Both,
				Match: []MatchKey{{HubSpot: PropCWOpportunityID}},
				// Both are required on an opportunity create in spec 2025.8
				// (connectwise-api.md §5); the engine sets them from its links.
				Associations: []Association{
					{To: ObjectCompanies, ConnectWise: "company/id", HubSpotTypeID: 341}, // deal to company
					{To: ObjectContacts, ConnectWise: "contact/id", HubSpotTypeID: 3},    // deal to contact
				},
				Fields: []FieldMapping{
					{HubSpot: PropCWOpportunityID, ConnectWise: "id", Direction: ToHubSpot, Property: idProp("ConnectWise Rec ID (Opportunity #)")},
					// Opportunity name max 100 (connectwise-api.md §5).
					{HubSpot: "dealname", ConnectWise: "name", Required: true, Transform: []Step{S("trim"), S("maxlen", "n", "100")}},
					// closedate is a datetime property (hubspot-api.md §8);
					// expectedCloseDate is sent as midnight UTC (connectwise-api.md §10).
					{HubSpot: "closedate", ConnectWise: "expectedCloseDate", Transform: []Step{S("datetime")}},
					{HubSpot: "amount", ConnectWise: ForecastKey + "/forecastRevenueTotals/revenue", Direction: ToHubSpot, Transform: []Step{S("number")}},
					{HubSpot: "dealstage", ConnectWise: "stage/id", Transform: []Step{S("lookup", "table", TableDealStages, "cw", "number")}},
					{HubSpot: "pipeline", Direction: ToHubSpot, Transform: []Step{S("const", "value", "default")}},
					{HubSpot: "hubspot_owner_id", ConnectWise: "primarySalesRep/id", Transform: []Step{S("lookup", "table", TableOwners, "cw", "number")}},
					{HubSpot: "description", ConnectWise: "notes", Transform: []Step{S("trim")}},
					{HubSpot: "cw_opportunity_status", ConnectWise: "status/name", Direction: ToHubSpot, Property: textProp("ConnectWise Status")},
				},
			},
		},
	}
}

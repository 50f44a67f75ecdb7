package hubspottest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// seedTime is the createdAt of HubSpot-defined properties and default pipelines
// (pipelines-deals.json shows 1970-01-01T00:00:00Z for default pipelines).
var seedTime = time.Unix(0, 0).UTC()

var customTypeID = regexp.MustCompile(`^2-[0-9]+$`)

// prop builds a HubSpot-defined property definition.
func prop(name, label, typ, fieldType string, mods ...func(*Property)) Property {
	p := Property{
		Name: name, Label: label, Type: typ, FieldType: fieldType, Options: []PropertyOption{},
		DisplayOrder: -1, HubspotDefined: true, FormField: true, DataSensitivity: "non_sensitive",
		ModificationMetadata: ModificationMetadata{Archivable: true, ReadOnlyDefinition: true},
	}
	for _, m := range mods {
		m(&p)
	}
	return p
}

func readOnly(p *Property) {
	p.ModificationMetadata = ModificationMetadata{ReadOnlyDefinition: true, ReadOnlyValue: true}
	p.FormField = false
}

func calculated(p *Property) { readOnly(p); p.Calculated = true }

func options(values ...string) func(*Property) {
	return func(p *Property) {
		for i := 0; i+1 < len(values); i += 2 {
			p.Options = append(p.Options, PropertyOption{Label: values[i+1], Value: values[i], DisplayOrder: len(p.Options)})
		}
	}
}

func external(ref string) func(*Property) {
	return func(p *Property) { p.ExternalOptions = true; p.ReferencedObjectType = ref }
}

// commonProps are on every standard object type.
func commonProps(t *objectType) []Property {
	ps := []Property{
		prop("hs_object_id", "Record ID", "number", "number", readOnly),
		prop(t.created, "Create Date", "datetime", "date", readOnly),
		prop(t.lastMod, "Last Modified Date", "datetime", "date", readOnly),
		prop("hs_merged_object_ids", "Merged Record IDs", "enumeration", "checkbox", readOnly),
		prop("hs_object_source", "Record source", "string", "text", readOnly),
		prop("hs_object_source_id", "Record source detail 1", "string", "text", readOnly),
		prop("hs_object_source_label", "Record source", "enumeration", "select", readOnly,
			options("INTEGRATION", "Integration", "CRM_UI", "CRM UI", "IMPORT", "Import")),
		prop("hubspot_owner_id", "Owner", "enumeration", "select", external("OWNER")),
	}
	return ps
}

var lifecycle = options("subscriber", "Subscriber", "lead", "Lead", "marketingqualifiedlead", "Marketing Qualified Lead",
	"salesqualifiedlead", "Sales Qualified Lead", "opportunity", "Opportunity", "customer", "Customer",
	"evangelist", "Evangelist", "other", "Other")

// defaultProps are the sync-relevant HubSpot-defined properties of each standard
// type (names from hubspot-api.md §5/§8/§9 and payloads properties-contacts-list.json,
// schema-deals-trimmed.json).
func defaultProps(t *objectType) []Property {
	text := func(n, l string) Property { return prop(n, l, "string", "text") }
	num := func(n, l string) Property { return prop(n, l, "number", "number") }
	ps := commonProps(t)
	switch t.name {
	case "contacts":
		ps = append(ps, text("email", "Email"), text("firstname", "First Name"), text("lastname", "Last Name"),
			prop("phone", "Phone Number", "string", "phonenumber"), prop("mobilephone", "Mobile Phone Number", "string", "phonenumber"),
			// fax (contacts) and address2 (companies) are HubSpot default properties
			// (HubSpot's default-property lists; not in the reference), which
			// mapping.Default writes.
			prop("fax", "Fax Number", "string", "phonenumber"),
			text("company", "Company Name"), text("website", "Website URL"), text("jobtitle", "Job Title"),
			text("address", "Street Address"), text("city", "City"), text("state", "State/Region"), text("zip", "Postal Code"),
			text("country", "Country/Region"), prop("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", lifecycle),
			prop("associatedcompanyid", "Primary Associated Company ID", "number", "number", external("COMPANY")),
			prop("hs_email_domain", "Email Domain", "string", "text", readOnly),
			prop("hs_additional_emails", "Additional email addresses", "enumeration", "checkbox", readOnly))
	case "companies":
		ps = append(ps, text("name", "Company name"), text("domain", "Company Domain Name"),
			prop("phone", "Phone Number", "string", "phonenumber"), text("website", "Website URL"),
			text("address", "Street Address"), text("address2", "Street Address 2"), text("city", "City"), text("state", "State/Region"), text("zip", "Postal Code"),
			text("country", "Country/Region"), prop("description", "Description", "string", "textarea"),
			prop("industry", "Industry", "enumeration", "select", options("COMPUTER_SOFTWARE", "Computer Software",
				"INFORMATION_TECHNOLOGY_AND_SERVICES", "Information Technology and Services", "COMPUTER_NETWORK_SECURITY", "Computer & Network Security")),
			num("numberofemployees", "Number of Employees"), num("annualrevenue", "Annual Revenue"),
			prop("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", lifecycle))
	case "deals":
		ps = append(ps, text("dealname", "Deal Name"),
			prop("dealstage", "Deal Stage", "enumeration", "radio", external("PIPELINE_STAGE")),
			prop("pipeline", "Pipeline", "enumeration", "select", external("PIPELINE")),
			num("amount", "Amount"), prop("closedate", "Close Date", "datetime", "date"),
			prop("dealtype", "Deal Type", "enumeration", "radio", options("newbusiness", "New Business", "existingbusiness", "Existing Business")),
			prop("description", "Deal Description", "string", "textarea"),
			prop("hs_is_closed", "Is Deal Closed?", "bool", "booleancheckbox", calculated),
			prop("hs_is_closed_won", "Is Closed Won", "bool", "booleancheckbox", calculated),
			prop("hs_is_closed_lost", "Is Closed Lost", "bool", "booleancheckbox", calculated))
	case "tickets":
		ps = append(ps, text("subject", "Ticket name"), prop("content", "Ticket description", "string", "textarea"),
			prop("hs_pipeline", "Pipeline", "enumeration", "select", external("PIPELINE")),
			prop("hs_pipeline_stage", "Ticket status", "enumeration", "radio", external("PIPELINE_STAGE")),
			prop("hs_ticket_priority", "Priority", "enumeration", "select", options("LOW", "Low", "MEDIUM", "Medium", "HIGH", "High", "URGENT", "Urgent")),
			prop("hs_ticket_category", "Category", "enumeration", "checkbox", options("PRODUCT_ISSUE", "Product issue", "BILLING_ISSUE", "Billing issue",
				"FEATURE_REQUEST", "Feature request", "GENERAL_INQUIRY", "General inquiry")))
	case "products":
		ps = append(ps, text("name", "Name"), num("price", "Unit price"), prop("description", "Description", "string", "textarea"), text("hs_sku", "SKU"))
	case "line_items":
		ps = append(ps, text("name", "Name"), num("quantity", "Quantity"), num("price", "Unit price"), num("amount", "Net price"),
			num("hs_product_id", "Product ID"))
	}
	return ps
}

// initState builds the type table, default property definitions and (unless
// NoSeed) default owners, pipelines and lists.
func (s *Server) initState() error {
	s.types = map[string]*objectType{}
	s.stores = map[string]*store{}
	s.pipes = map[string][]*Pipeline{}
	s.lists = map[string]*objectList{}
	s.labels = map[string][]AssociationLabel{}
	s.assocs = newAssocStore()
	s.oauth = newOAuthState()
	add := func(t *objectType, props []Property) {
		keys := []string{t.id, t.name, t.singular}
		if strings.HasPrefix(t.id, "2-") { // fully qualified custom name: p{portalId}_{name}
			keys = append(keys, "p"+strconv.FormatInt(s.opts.PortalID, 10)+"_"+t.name)
		}
		for _, k := range keys {
			s.types[strings.ToLower(k)] = t
		}
		st := newStore(t)
		st.groups[t.group] = &PropertyGroup{Name: t.group, Label: t.label + " information", DisplayOrder: 0}
		for _, p := range props {
			p.GroupName = t.group
			p.CreatedAt, p.UpdatedAt = isoTime(seedTime), isoTime(seedTime)
			cp := p
			st.props[p.Name] = &cp
		}
		s.stores[t.id] = st
	}
	for _, t := range standardTypes() {
		add(t, defaultProps(t))
	}
	for _, c := range s.opts.CustomObjects {
		if !customTypeID.MatchString(c.ID) || c.Name == "" || c.Singular == "" {
			return fmt.Errorf("custom object type %q: need an id like 2-12345, a name and a singular name", c.ID)
		}
		t := customType(c)
		ps := []Property{
			prop("hs_object_id", "Record ID", "number", "number", readOnly),
			prop("hs_createdate", "Create Date", "datetime", "date", readOnly),
			prop("hs_lastmodifieddate", "Last Modified Date", "datetime", "date", readOnly),
			prop("hs_merged_object_ids", "Merged Record IDs", "enumeration", "checkbox", readOnly),
			prop("hubspot_owner_id", "Owner", "enumeration", "select", external("OWNER")),
		}
		for _, p := range c.Properties {
			p.HubspotDefined = false
			if p.Options == nil {
				p.Options = []PropertyOption{}
			}
			if p.DataSensitivity == "" {
				p.DataSensitivity = "non_sensitive"
			}
			p.ModificationMetadata = ModificationMetadata{Archivable: true}
			ps = append(ps, p)
		}
		add(t, ps)
	}
	s.require = map[string][]string{}
	for name, props := range s.opts.RequiredProperties {
		t := s.objectType(name)
		if t == nil {
			return fmt.Errorf("RequiredProperties: unknown object type %q", name)
		}
		s.require[t.id] = append(s.require[t.id], props...)
	}
	if !s.opts.NoSeed {
		s.seedOwners()
		s.seedPipelines()
	}
	return nil
}

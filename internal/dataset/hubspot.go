package dataset

import (
	"iter"
	"strconv"
	"strings"
)

// HubSpot identity properties the existing records carry, as the commercial
// integration asks users to pre-load them (commercial-setup-guide.txt,
// "Existing HubSpot Records"), with the names of mapping.Default.
const (
	PropCompanyRecID      = "cw_company_id"
	PropCompanyIdentifier = "cw_company_identifier"
	PropOpportunityRecID  = "cw_opportunity_id"
)

// HubSpotRecord is a record that already exists in HubSpot before the first
// sync, with the ConnectWise record it corresponds to.
type HubSpotRecord struct {
	// ObjectType is "companies", "contacts" or "deals".
	ObjectType string
	// Properties are HubSpot property values in string form.
	Properties map[string]string
	// ConnectWiseID is the id of the partner ConnectWise record.
	ConnectWiseID int
	// Index is the partner's index in the dataset.
	Index int
}

// existing reports whether record i of kind already exists in HubSpot.
func (d *Dataset) existing(kind uint64, i int) bool {
	return d.rng(kindHubSpot, int(kind)<<40|i).Float64() < d.opts.ExistingHubSpotShare
}

// HubSpotCompanies yields the companies that already exist in HubSpot: live
// ConnectWise companies whose HubSpot twin carries the ConnectWise Company ID
// (identifier) or, for every third one, the ConnectWise Rec ID, plus the
// domain and a name that may differ from ConnectWise's.
func (d *Dataset) HubSpotCompanies() iter.Seq[HubSpotRecord] {
	return func(yield func(HubSpotRecord) bool) {
		for i := range d.opts.Companies {
			core, _ := d.companyCore(i)
			if core.deleted || !d.existing(kindCompany, i) {
				continue
			}
			p := map[string]string{"name": core.name, "domain": core.domain}
			if i%3 == 2 {
				p[PropCompanyRecID] = strconv.Itoa(core.id)
			} else {
				p[PropCompanyIdentifier] = core.identifier
			}
			if i%2 == 0 {
				p["name"] = strings.ToUpper(core.name[:1]) + core.name[1:] + " (HubSpot)"
				p["lifecyclestage"] = "customer"
			}
			if !yield(HubSpotRecord{ObjectType: "companies", Properties: p, ConnectWiseID: core.id, Index: i}) {
				return
			}
		}
	}
}

// HubSpotContacts yields the contacts that already exist in HubSpot, matched
// by email (sometimes in other letter case); duplicate-email ConnectWise
// contacts are included, so their match is ambiguous. The HubSpot email is
// unique, so each address appears once.
func (d *Dataset) HubSpotContacts() iter.Seq[HubSpotRecord] {
	return func(yield func(HubSpotRecord) bool) {
		for i := range d.opts.Contacts {
			cc, _ := d.contactCore(i)
			if cc.email == "" || cc.duplicate || !d.existing(kindContact, i) {
				continue
			}
			email := cc.email
			if i%4 == 1 {
				email = strings.ToUpper(email[:1]) + email[1:]
			}
			p := map[string]string{"email": email, "firstname": fold(cc.first), "lastname": cc.last,
				"lifecyclestage": "lead"}
			if !yield(HubSpotRecord{ObjectType: "contacts", Properties: p, ConnectWiseID: cc.id, Index: i}) {
				return
			}
		}
	}
}

// HubSpotDeals yields the opportunities that already exist in HubSpot as
// deals carrying the ConnectWise Rec ID (Opportunity #).
func (d *Dataset) HubSpotDeals() iter.Seq[HubSpotRecord] {
	return func(yield func(HubSpotRecord) bool) {
		for i := range d.opts.Opportunities {
			if !d.existing(kindOpportunity, i) {
				continue
			}
			o := d.Opportunity(i)
			id := OpportunityFirstID + i
			p := map[string]string{"dealname": o.Record["name"].(string), PropOpportunityRecID: strconv.Itoa(id),
				"pipeline": "default", "dealstage": "appointmentscheduled"}
			if !yield(HubSpotRecord{ObjectType: "deals", Properties: p, ConnectWiseID: id, Index: i}) {
				return
			}
		}
	}
}

package dataset

import "strings"

// Stats counts the records of a dataset and its special cases.
type Stats struct {
	Companies        int
	DeletedCompanies int
	Contacts         int
	// OrphanContacts have no company.
	OrphanContacts int
	// NoEmailContacts have no email at all.
	NoEmailContacts int
	// DuplicateEmailContacts repeat the default email (compared in lower
	// case) of an earlier contact.
	DuplicateEmailContacts int
	Opportunities          int
	ForecastItems          int
	Members                int
	HubSpotCompanies       int
	HubSpotContacts        int
	HubSpotDeals           int
}

// Stats walks the dataset once and counts it. It holds one set of emails, so
// its memory grows with the number of contacts.
func (d *Dataset) Stats() Stats {
	st := Stats{Companies: d.opts.Companies, Contacts: d.opts.Contacts, Members: d.opts.Members}
	for i := range d.opts.Companies {
		if c, _ := d.companyCore(i); c.deleted {
			st.DeletedCompanies++
		}
	}
	seen := make(map[string]bool, d.opts.Contacts)
	for i := range d.opts.Contacts {
		cc, _ := d.contactCore(i)
		if cc.company < 0 {
			st.OrphanContacts++
		}
		if cc.email == "" {
			st.NoEmailContacts++
			continue
		}
		k := strings.ToLower(cc.email)
		if seen[k] {
			st.DuplicateEmailContacts++
		}
		seen[k] = true
	}
	for o := range d.Opportunities() {
		st.Opportunities++
		st.ForecastItems += len(o.Forecast)
	}
	for range d.HubSpotCompanies() {
		st.HubSpotCompanies++
	}
	for range d.HubSpotContacts() {
		st.HubSpotContacts++
	}
	for range d.HubSpotDeals() {
		st.HubSpotDeals++
	}
	return st
}

package dataset

import (
	"iter"
	"math/rand/v2"
	"strconv"
	"strings"
)

// QuotedFirstName and QuotedLastName are contact 0's name: quotes, an
// apostrophe, a hyphen and accents, the kind of name that breaks condition
// strings and naive matching.
const (
	QuotedFirstName = `Zoë "Bob"`
	QuotedLastName  = `O'Brien-Müller`
)

// contactCore is the part of a contact other records depend on.
type contactCore struct {
	id        int
	company   int // company index; -1 for a contact without a company
	co        companyCore
	first     string
	last      string
	email     string // default email; "" for none
	duplicate bool   // email repeats an earlier contact's
}

// contactCompany returns the company index of contact i before orphaning:
// contacts are dealt to companies in turn, so company c holds contacts
// c, c+Companies, c+2*Companies, ...
func (d *Dataset) contactCompany(i int) (company, k int) {
	return i % d.opts.Companies, i / d.opts.Companies
}

func (d *Dataset) contactCore(i int) (contactCore, *rand.Rand) {
	r := d.rng(kindContact, i)
	c, k := d.contactCompany(i)
	co, cr := d.companyCore(c)
	// Within a company first names step through the list, so first.last
	// emails never collide by accident; duplicates are made on purpose below.
	f := (cr.IntN(len(firstNames)) + 7*k) % len(firstNames)
	first, last := firstNames[f], pick(r, lastNames)
	if n := k / len(firstNames); n > 0 {
		last += " " + strconv.Itoa(n+1)
	}
	cc := contactCore{id: ContactFirstID + i, company: c, co: co, first: first, last: last}
	orphan := r.Float64() < d.opts.OrphanContactShare
	noEmail := r.Float64() < d.opts.NoEmailShare
	dup := r.Float64() < d.opts.DuplicateEmailShare
	target := i - 1 - r.IntN(min(i, 200)+1)
	upper := r.IntN(2) == 0
	if i == 0 {
		cc.first, cc.last, orphan, noEmail, dup = QuotedFirstName, QuotedLastName, false, false, false
	}
	if orphan {
		cc.company = -1
	}
	local := strings.ToLower(squashName(cc.first) + "." + squashName(cc.last))
	switch {
	case noEmail:
	case dup && target >= 0:
		t, _ := d.contactCore(target)
		if t.email != "" {
			cc.email, cc.duplicate = t.email, true
			if upper {
				cc.email = strings.ToUpper(t.email[:1]) + t.email[1:]
			}
			break
		}
		fallthrough
	default:
		if orphan {
			cc.email = local + strconv.Itoa(cc.id) + "@" + pick(r, freeMail)
		} else {
			cc.email = local + "@" + co.domain
		}
	}
	return cc, r
}

// squashName keeps letters, digits and hyphens of a name, folding accents.
func squashName(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(s) {
		if strings.HasPrefix(w, `"`) {
			continue // a nickname in quotes stays out of the address
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		for _, c := range fold(w) {
			if c == '-' || (c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
				b.WriteRune(c)
			}
		}
	}
	return b.String()
}

// Contact returns contact i (0 <= i < Contacts).
func (d *Dataset) Contact(i int) Record {
	cc, r := d.contactCore(i)
	rec := Record{
		"id":                     float64(cc.id),
		"firstName":              cc.first, // firstName is required (payload error-400-invalidobject-missingrequiredfield.json)
		"lastName":               cc.last,
		"title":                  pick(r, titles),
		"inactiveFlag":           false,
		"marriedFlag":            false,
		"childrenFlag":           false,
		"portalSecurityLevel":    float64(1),
		"disablePortalLoginFlag": true,
		"unsubscribeFlag":        false,
		"defaultBillingFlag":     false,
		"defaultFlag":            false,
		"types":                  []any{},
	}
	if cc.company >= 0 {
		rec["company"] = cc.co.ref()
		rec["site"] = Record{"id": float64(1000 + cc.company), "name": "Main"}
	}
	if r.IntN(25) == 0 {
		rec["inactiveFlag"] = true
	}
	// communicationItems: one default item per communicationType (payload
	// contact-communicationitems-after.json); item ids as the fake numbers them.
	var items []any
	item := func(t Ref, kind, value string, def bool) {
		it := Record{"id": float64(100000 + 4*i + len(items)), "type": t.record(), "value": value,
			"defaultFlag": def, "communicationType": kind}
		if kind == "Email" {
			it["domain"] = value[strings.LastIndex(value, "@"):]
		}
		items = append(items, it)
	}
	if cc.email != "" {
		item(EmailBusiness, "Email", cc.email, true)
	}
	p := phone(r)
	item(PhoneWork, "Phone", p, true)
	rec["defaultPhoneType"], rec["defaultPhoneNbr"] = PhoneWork.Name, p
	if r.IntN(6) == 0 {
		item(FaxWork, "Fax", phone(r), true)
	}
	if cc.email != "" && r.IntN(8) == 0 {
		item(EmailPrivate, "Email", strings.ToLower(squashName(cc.first))+strconv.Itoa(cc.id)+"@"+pick(r, freeMail), false)
	}
	rec["communicationItems"] = items
	rec["_info"] = d.info(r, "jsmith")
	synced := "false"
	rec["customFields"] = customFields(contactUDFs, map[int]any{16: synced})
	return rec
}

// Contacts yields every contact in id order.
func (d *Dataset) Contacts() iter.Seq[Record] { return seq(d.opts.Contacts, d.Contact) }

// ContactEmail returns the default email of contact i ("" for none).
func (d *Dataset) ContactEmail(i int) string {
	cc, _ := d.contactCore(i)
	return cc.email
}

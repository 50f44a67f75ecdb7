package dataset

import (
	"iter"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
)

// Ref is a ConnectWise reference: {"id": N, "name": "..."}.
type Ref struct {
	ID   int
	Name string
}

func (r Ref) record() Record { return Record{"id": float64(r.ID), "name": r.Name} }

// Lookup records the generated records refer to. Their ids and names are those
// of connectwisetest's default tenant (connectwisetest seedDefaults), so a fake
// started with default Options accepts every reference.
var (
	StatusActive   = Ref{1, "Active"}
	StatusInactive = Ref{2, "Inactive"}
	TypeClient     = Ref{1, "Client"}
	TypeProspect   = Ref{2, "Prospect"}
	TypeVendor     = Ref{3, "Vendor"}
	EmailBusiness  = Ref{1, "Email - Business"}
	EmailPrivate   = Ref{2, "Email - Private"}
	PhoneWork      = Ref{3, "Phone - Work"}
	FaxWork        = Ref{6, "Fax - Work"}
	OppOpen        = Ref{1, "Open"}
	OppWon         = Ref{2, "Won"}
	OppLost        = Ref{3, "Lost"}
	CountryUS      = Ref{1, "United States"}
)

// SalesStages returns the sales stages of the fake's default tenant in
// sequence order (a fresh slice each call).
func SalesStages() []Ref {
	return []Ref{{1, "Prospect"}, {2, "Qualified"}, {3, "Proposal"}, {4, "Negotiation"}}
}

// Custom fields (user-defined fields) of the fake's default tenant, by screen:
// companies cp100, contacts ct300, opportunities op100 (connectwisetest
// seedDefaults; shapes from payloads company-get.json and
// contacts-list-one-with-customfields.json).
type customField struct {
	id                  int
	caption, typ, entry string
}

var (
	companyUDFs = []customField{{20, "hubspot_company_id", "Number", "EntryField"}, {21, "Partner Name", "Text", "EntryField"}}
	contactUDFs = []customField{{15, "hubspot_contact_id", "Number", "EntryField"}, {16, "is_synced", "Text", "List"}}
	dealUDFs    = []customField{{30, "hubspot_deal_id", "Number", "EntryField"}}
)

func customFields(defs []customField, values map[int]any) []any {
	out := make([]any, len(defs))
	for i, f := range defs {
		out[i] = Record{"id": float64(f.id), "caption": f.caption, "type": f.typ, "entryMethod": f.entry,
			"numberOfDecimals": float64(0), "value": values[f.id]}
	}
	return out
}

// companyCore is the part of a company other records refer to; it is drawn
// first from the company's stream so it can be recomputed cheaply.
type companyCore struct {
	id         int
	name       string
	identifier string
	domain     string
	deleted    bool
}

// quotedCompany is company 1's name: quotes, an ampersand and accents.
const quotedCompany = `Müller & O'Brien "Café" IT`

func (d *Dataset) companyCore(i int) (companyCore, *rand.Rand) {
	r := d.rng(kindCompany, i)
	name := pick(r, companyFirst) + " " + pick(r, companyTrade)
	if suf := pick(r, companySuffix); r.IntN(3) > 0 && !strings.HasSuffix(name, suf) {
		name += " " + suf
	}
	if i == 1 {
		name = quotedCompany
	}
	name = truncate(name, 50) // Company name max 50 (connectwise-api.md §5, S10).
	deleted := r.Float64() < d.opts.DeletedCompanyShare && i > 1
	// Identifier: max 30 and unique (ObjectExists otherwise, §5). ConnectWise
	// users usually squash the name; the index keeps it unique.
	suffix := strconv.Itoa(i)
	ident := truncate(squash(name), 30-len(suffix)) + suffix
	return companyCore{id: CompanyFirstID + i, name: name, identifier: ident,
		domain: strings.ToLower(ident) + ".com", deleted: deleted}, r
}

// Company returns company i (0 <= i < Companies).
func (d *Dataset) Company(i int) Record {
	c, r := d.companyCore(i)
	city := pick(r, cities)
	rec := Record{
		"id":                float64(c.id),
		"identifier":        c.identifier,
		"name":              c.name,
		"status":            StatusActive.record(),
		"addressLine1":      strconv.Itoa(100+r.IntN(9800)) + " " + pick(r, streets) + " " + pick(r, streetKinds),
		"city":              city.city,
		"state":             city.state,
		"zip":               city.zip + strconv.Itoa(10+r.IntN(90)),
		"country":           CountryUS.record(),
		"phoneNumber":       phone(r),
		"faxNumber":         "",
		"website":           "www." + c.domain,
		"annualRevenue":     float64(50_000 * (1 + r.IntN(400))),
		"numberOfEmployees": float64(3 + r.IntN(250)),
		"dateAcquired":      midnight(d.opts.Epoch.AddDate(0, 0, -30-r.IntN(4000))),
		"leadFlag":          false,
		"unsubscribeFlag":   false,
		"isVendorFlag":      false,
		"deletedFlag":       false,
	}
	if r.IntN(4) == 0 {
		rec["addressLine2"] = "Suite " + strconv.Itoa(100+r.IntN(400))
	}
	if r.IntN(5) == 0 {
		rec["faxNumber"] = phone(r)
	}
	typ := TypeClient
	switch n := r.IntN(20); {
	case n < 4:
		typ = TypeProspect
	case n == 4:
		typ = TypeVendor
		rec["isVendorFlag"] = true
	}
	rec["types"] = []any{typ.record()}
	if r.IntN(15) == 0 {
		rec["status"] = StatusInactive.record()
	}
	in := d.info(r, "jsmith")
	rec["_info"] = in
	if c.deleted {
		rec["deletedFlag"] = true
		rec["dateDeleted"] = in["lastUpdated"]
		rec["deletedBy"] = "jsmith"
	}
	var partner any
	if r.IntN(3) == 0 {
		partner = pick(r, companyFirst) + " Technology Partners"
	}
	rec["customFields"] = customFields(companyUDFs, map[int]any{21: partner})
	return rec
}

// Companies yields every company in id order.
func (d *Dataset) Companies() iter.Seq[Record] { return seq(d.opts.Companies, d.Company) }

// CompanyRef returns the reference other records carry to company i:
// {"id", "identifier", "name"} (payload contacts-list-one-with-customfields.json).
func (d *Dataset) CompanyRef(i int) Record {
	c, _ := d.companyCore(i)
	return c.ref()
}

func (c companyCore) ref() Record {
	return Record{"id": float64(c.id), "identifier": c.identifier, "name": c.name}
}

// phone returns ten digits, the way ConnectWise stores phone numbers
// (payload contacts-list-one-with-customfields.json: "4842618200").
func phone(r *rand.Rand) string {
	return strconv.Itoa(200+r.IntN(800)) + strconv.Itoa(200+r.IntN(800)) + strconv.Itoa(1000+r.IntN(9000))
}

// squash keeps the ASCII letters and digits of s, folding common accents.
func squash(s string) string {
	var b strings.Builder
	for _, c := range fold(s) {
		if c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

var accents = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss",
	"é", "e", "è", "e", "ë", "e", "á", "a", "à", "a", "ó", "o", "í", "i", "ú", "u", "ñ", "n", "ç", "c",
	"É", "E", "Ñ", "N", "ø", "o", "Ø", "O", "å", "a")

func fold(s string) string { return accents.Replace(s) }

// truncate cuts s to at most n runes (ConnectWise counts characters).
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	i := 0
	for j := range s {
		if i == n {
			return strings.TrimSpace(s[:j])
		}
		i++
	}
	return s
}

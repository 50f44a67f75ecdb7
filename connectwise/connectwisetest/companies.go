package connectwisetest

import (
	"fmt"
	"slices"
	"strings"
)

// companyFields are the Company fields of spec 2025.8 (connectwise-api.md §6, S9).
const companyFields = `identifier name status addressLine1 addressLine2 city state zip country
phoneNumber faxNumber website territory market accountNumber defaultContact dateAcquired sicCode
parentCompany annualRevenue numberOfEmployees yearEstablished revenueYear ownershipType
timeZoneSetup leadSource leadFlag unsubscribeFlag calendar userDefinedField1 userDefinedField2
userDefinedField3 userDefinedField4 userDefinedField5 userDefinedField6 userDefinedField7
userDefinedField8 userDefinedField9 userDefinedField10 vendorIdentifier taxIdentifier taxCode
billingTerms invoiceTemplate pricingSchedule companyEntityType billToCompany billingSite
billingContact invoiceDeliveryMethod invoiceToEmailAddress invoiceCCEmailAddress deletedFlag
dateDeleted deletedBy mobileGuid facebookUrl twitterUrl linkedInUrl currency territoryManager
resellerIdentifier isVendorFlag types[] site integratorTags[] customFields[]`

// addressFields: "At least one address field is required -- addressLine1,
// addressLine2, city, state, zip and/or country" (spec text, §5, S10).
var addressFields = []string{"addressLine1", "addressLine2", "city", "state", "zip", "country"}

func companiesDef() *resourceDef {
	return &resourceDef{
		// 404 text "company 404 not found", lower case as captured (SOURCES.md
		// error-404-notfound-contact.json row), unlike "Contact 57919 not found".
		path: "company/companies", object: "company", label: "company",
		fieldList: companyFields,
		refs: map[string]string{
			"status": "company/companies/statuses", "defaultContact": "company/contacts",
			"parentCompany": "company/companies", "billToCompany": "company/companies",
			"billingContact": "company/contacts", "territoryManager": "system/members",
		},
		// Required identifier (max 30) and name (max 50), spec 2025.8 (§5, S9, S10);
		// address, phone, website, leadSource and userDefinedField lengths, S10.
		required: []string{"identifier", "name"},
		maxLen: map[string]int{
			"identifier": 30, "name": 50, "addressLine1": 50, "addressLine2": 50, "city": 50,
			"state": 50, "zip": 12, "phoneNumber": 30, "faxNumber": 30, "website": 255, "leadSource": 50,
			"userDefinedField1": 50, "userDefinedField2": 50, "userDefinedField3": 50, "userDefinedField4": 50,
			"userDefinedField5": 50, "userDefinedField6": 50, "userDefinedField7": 50, "userDefinedField8": 50,
			"userDefinedField9": 50, "userDefinedField10": 50,
		},
		forwardOnly: true, callbackType: "company", udfScreen: "cp100", subRoutes: true, firstID: 250, softDelete: true,
		summary: func(r Record) Record {
			return Record{"id": r["id"], "identifier": r["identifier"], "name": r["name"]}
		},
		prepare: prepareCompany,
	}
}

func prepareCompany(s *Server, w *write) []FieldError {
	var errs []FieldError
	hasAddr := false
	for _, f := range addressFields {
		if !isBlank(w.rec[f]) {
			hasAddr = true
		}
	}
	if !hasAddr {
		errs = append(errs, FieldError{
			Code:    "MissingRequiredField",
			Message: "At least one address field is required -- addressLine1, addressLine2, city, state, zip and/or country.",
			Field:   "addressLine1",
		})
	}
	if w.touched["country"] {
		// Countries are not served by the fake; keep the reference as sent.
		if m := obj(w.rec["country"]); m != nil && m["id"] == nil && m["name"] == nil {
			delete(w.rec, "country")
		}
	}
	// Duplicate identifier: 400 InvalidObject with errors[].code ObjectExists
	// (pyconnectwise raises ObjectExistsError on it, §5).
	ident := str(w.rec["identifier"])
	myID, _ := intOf(w.rec["id"])
	for id, other := range s.coll("company/companies").recs {
		if id != myID && ident != "" && strings.EqualFold(str(other["identifier"]), ident) {
			errs = append(errs, FieldError{
				Code: "ObjectExists", Message: fmt.Sprintf("The identifier '%s' is already in use.", ident), Field: "identifier",
			})
			break
		}
	}
	// types "can be passed in only during new company creation (post)" (§5, S10).
	if w.kind == opCreate {
		types, fe := s.resolveRefList("types", "company/companies/types", w.rec["types"])
		errs = append(errs, fe...)
		w.rec["types"] = types
	} else if !s.opts.IgnoreTypesOnUpdate && w.touched["types"] && !sameIDs(w.rec["types"], w.old["types"]) {
		errs = append(errs, invalidField("types",
			"types can only be set when a company is created; use /company/companies/{id}/typeAssociations."))
	} else {
		w.rec["types"] = cloneValue(w.old["types"])
	}
	// Company PATCH re-validates the whole stored record (§5, S20).
	errs = append(errs, checkRange(w.rec, "yearEstablished", 1900, 9999)...)
	errs = append(errs, checkRange(w.rec, "revenueYear", 1900, 9999)...)
	setDefaults(w.rec, map[string]any{
		"leadFlag": false, "unsubscribeFlag": false, "isVendorFlag": false, "deletedFlag": false,
	})
	if w.kind == opCreate {
		w.rec["mobileGuid"] = newGUID()
	}
	return errs
}

// resolveRefList resolves an array of references. The caller holds s.mu.
func (s *Server) resolveRefList(field, target string, v any) ([]any, []FieldError) {
	out := []any{}
	var errs []FieldError
	for i, e := range asSlice(v) {
		if n, ok := intOf(e); ok {
			e = map[string]any{"id": float64(n)}
		}
		ref, fe := s.resolveRef(field, target, e)
		if fe != nil {
			fe.Field = fmt.Sprintf("%s/%d/%s", field, i, strings.TrimPrefix(fe.Field, field+"/"))
			errs = append(errs, *fe)
			continue
		}
		if ref != nil {
			info(ref)["type_href"] = info(ref)[hrefName(field)]
			delete(info(ref), hrefName(field))
			out = append(out, ref)
		}
	}
	return out, errs
}

func sameIDs(a, b any) bool {
	ids := func(v any) []int {
		var out []int
		for _, e := range asSlice(v) {
			if n, ok := intOf(obj(e)["id"]); ok {
				out = append(out, n)
			} else if n, ok := intOf(e); ok {
				out = append(out, n)
			}
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(ids(a), ids(b))
}

func setDefaults(rec Record, defs map[string]any) {
	for k, v := range defs {
		if _, ok := rec[k]; !ok {
			rec[k] = v
		}
	}
}

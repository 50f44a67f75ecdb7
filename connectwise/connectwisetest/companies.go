package connectwisetest

import (
	"fmt"
	"net/http"
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
		path: "company/companies", object: "company", label: "Company",
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
	} else if w.touched["types"] && !sameIDs(w.rec["types"], w.old["types"]) {
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

// companySubRoutes serves /company/companies/{id}/typeAssociations, the way to
// change a company's types after creation (§5, S10). An association's id is
// the type's id in this fake.
func (s *Server) companySubRoutes() {
	const res = "company/companies"
	base := apiPrefix + res + "/{id}/{sub}"
	s.mux.HandleFunc("GET "+base, s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		co, err := s.typeAssocParent(r)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, typeAssociations(co))
		return nil
	}))
	s.mux.HandleFunc("POST "+base, s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		co, err := s.typeAssocParent(r)
		if err != nil {
			return err
		}
		var body struct {
			Type map[string]any `json:"type"`
		}
		if err := readJSON(r, &body); err != nil {
			return err
		}
		id, _ := intOf(co["id"])
		types := append(asSlice(cloneValue(co["types"])), body.Type)
		rec, err := s.setCompanyTypes(id, types)
		if err != nil {
			return err
		}
		as := typeAssociations(rec)
		writeJSON(w, http.StatusCreated, as[len(as)-1])
		return nil
	}))
	s.mux.HandleFunc("DELETE "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		co, err := s.typeAssocParent(r)
		if err != nil {
			return err
		}
		tid, err := pathID(r, "subid")
		if err != nil {
			return err
		}
		var keep []any
		found := false
		for _, t := range asSlice(co["types"]) {
			if n, _ := intOf(obj(t)["id"]); n == tid {
				found = true
				continue
			}
			keep = append(keep, t)
		}
		if !found {
			return notFound("Company Type Association", tid)
		}
		id, _ := intOf(co["id"])
		if _, err := s.setCompanyTypes(id, keep); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}))
}

func (s *Server) typeAssocParent(r *http.Request) (Record, error) {
	if r.PathValue("sub") != "typeAssociations" {
		return nil, endpointNotFound()
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	co, ok := s.coll("company/companies").recs[id]
	if !ok {
		return nil, notFound("Company", id)
	}
	return cloneRecord(co), nil
}

// setCompanyTypes replaces a company's types as the association endpoints do.
func (s *Server) setCompanyTypes(id int, types []any) (Record, error) {
	s.mu.Lock()
	co, ok := s.coll("company/companies").recs[id]
	if !ok {
		s.mu.Unlock()
		return nil, notFound("Company", id)
	}
	resolved, errs := s.resolveRefList("types", "company/companies/types", types)
	if len(errs) > 0 {
		s.mu.Unlock()
		return nil, invalidObject("companyTypeAssociation", errs)
	}
	co["types"] = resolved
	in := info(co)
	in["lastUpdated"], in["updatedBy"] = stamp(s.now()), s.opts.MemberIdentifier
	out := cloneRecord(co)
	s.mu.Unlock()
	s.notify(s.def("company/companies"), "updated", id, out, false)
	return out, nil
}

func typeAssociations(co Record) []Record {
	out := []Record{}
	for _, t := range asSlice(co["types"]) {
		tm := obj(t)
		out = append(out, Record{
			"id":      tm["id"],
			"type":    Record{"id": tm["id"], "name": tm["name"]},
			"company": Record{"id": co["id"], "identifier": co["identifier"], "name": co["name"]},
		})
	}
	return out
}

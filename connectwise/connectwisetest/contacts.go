package connectwisetest

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// contactFields are the ApiContact fields (connectwise-api.md §6, S9, S10) and
// the extras seen in recorded payloads (relationshipOverride, marriedFlag, ...).
const contactFields = `firstName lastName company site addressLine1 addressLine2 city state zip
country relationship relationshipOverride department inactiveFlag title nickName marriedFlag
childrenFlag significantOther portalSecurityLevel disablePortalLoginFlag unsubscribeFlag gender
birthDay anniversary presence mobileGuid facebookUrl twitterUrl linkedInUrl defaultPhoneType
defaultPhoneNbr defaultPhoneExtension defaultBillingFlag defaultFlag companyLocation
communicationItems[] types[] typeIds[] integratorTags[] customFields[] ignoreDuplicates
managerContact assistantContact securityIdentifier userDefinedField1 userDefinedField2
userDefinedField3 userDefinedField4 userDefinedField5 userDefinedField6 userDefinedField7
userDefinedField8 userDefinedField9 userDefinedField10`

func contactsDef() *resourceDef {
	return &resourceDef{
		path: "company/contacts", object: "contact", label: "Contact",
		fieldList: contactFields,
		refs: map[string]string{
			"company": "company/companies", "managerContact": "company/contacts", "assistantContact": "company/contacts",
		},
		// The spec marks nothing required, but the API answers MissingRequiredField
		// for firstName (payload error-400-invalidobject-missingrequiredfield.json).
		required: []string{"firstName"},
		// The spec gives contacts' legacy userDefinedField1-10 a maximum length of
		// 50 and no other limit (Jetbuilt/connect_wise docs/Contact.md, generated
		// from it, as for companies in S10).
		maxLen: map[string]int{
			"userDefinedField1": 50, "userDefinedField2": 50, "userDefinedField3": 50, "userDefinedField4": 50,
			"userDefinedField5": 50, "userDefinedField6": 50, "userDefinedField7": 50, "userDefinedField8": 50,
			"userDefinedField9": 50, "userDefinedField10": 50,
		},
		forwardOnly: true, callbackType: "contact", udfScreen: "ct300", firstID: 58000,
		// The recorded 201 has no communicationItems nor defaultPhone* (payload
		// contact-create-response.json, SOURCES.md).
		createOmits: []string{"communicationItems", "defaultPhoneType", "defaultPhoneNbr"},
		summary: func(r Record) Record {
			return Record{"id": r["id"], "name": strings.TrimSpace(str(r["firstName"]) + " " + str(r["lastName"]))}
		},
		prepare: prepareContact,
	}
}

func prepareContact(s *Server, w *write) []FieldError {
	var errs []FieldError
	// typeIds / types only on POST, then /company/contacts/{id}/typeAssociations (§5, S10).
	if w.kind == opCreate {
		ids := asSlice(w.rec["typeIds"])
		ids = append(ids, asSlice(w.rec["types"])...)
		types, fe := s.resolveRefList("types", "company/contacts/types", ids)
		errs = append(errs, fe...)
		w.rec["types"] = types
		delete(w.rec, "typeIds")
	} else if !s.opts.IgnoreTypesOnUpdate && ((w.touched["types"] && !sameIDs(w.rec["types"], w.old["types"])) || (w.touched["typeIds"] && len(asSlice(w.rec["typeIds"])) > 0)) {
		errs = append(errs, invalidField("types",
			"types can only be set when a contact is created; use /company/contacts/{id}/typeAssociations."))
	} else {
		w.rec["types"] = cloneValue(w.old["types"])
		delete(w.rec, "typeIds")
	}
	if w.kind == opCreate && s.opts.ContactDuplicateCheck && w.rec["ignoreDuplicates"] != true {
		co := mustInt(obj(w.rec["company"])["id"])
		for _, o := range s.coll("company/contacts").recs {
			if strings.EqualFold(str(o["firstName"]), str(w.rec["firstName"])) &&
				strings.EqualFold(str(o["lastName"]), str(w.rec["lastName"])) && mustInt(obj(o["company"])["id"]) == co {
				errs = append(errs, FieldError{Code: "ObjectExists",
					Message: "A contact with this name already exists for this company; set ignoreDuplicates to create it anyway.", Field: "firstName"})
				break
			}
		}
	}
	if w.touched["communicationItems"] || w.kind == opCreate {
		errs = append(errs, s.normalizeCommItems(w)...)
	}
	// Defaults as the recorded 201 body shows them (payload contact-create-response.json).
	setDefaults(w.rec, map[string]any{
		"portalSecurityLevel": float64(1),
		"inactiveFlag":        false, "marriedFlag": false, "childrenFlag": false, "disablePortalLoginFlag": true,
		"unsubscribeFlag": false, "defaultBillingFlag": false, "defaultFlag": false, "ignoreDuplicates": false,
	})
	if w.kind == opCreate {
		w.rec["mobileGuid"] = newGUID()
	}
	return errs
}

// normalizeCommItems maintains communicationItems: ids for new items, the
// type reference resolved (ids may come as strings, payload
// contact-create-request.json), communicationType and domain filled in, and
// one defaultFlag per communicationType: a later default item turns the
// earlier one off (payload contact-communicationitems-after.json). The
// default phone is copied to defaultPhoneType / defaultPhoneNbr as records show
// (SOURCES.md, contacts-list-one-with-customfields.json). The caller holds s.mu.
func (s *Server) normalizeCommItems(w *write) []FieldError {
	var errs []FieldError
	items := asSlice(w.rec["communicationItems"])
	if items == nil {
		if _, present := w.rec["communicationItems"]; present {
			w.rec["communicationItems"] = []any{}
		}
		return nil
	}
	maxID := 0
	for _, c := range s.coll("company/contacts").recs {
		for _, it := range asSlice(c["communicationItems"]) {
			if n, _ := intOf(obj(it)["id"]); n > maxID {
				maxID = n
			}
		}
	}
	if maxID < 99000 {
		maxID = 99000
	}
	lastDefault := map[string]int{}
	for i, it := range items {
		m := obj(it)
		field := fmt.Sprintf("communicationItems/%d", i)
		if m == nil {
			errs = append(errs, invalidField(field, "A communication item must be an object."))
			continue
		}
		ref, fe := s.resolveRef(field+"/type", "company/communicationTypes", m["type"])
		if fe != nil {
			errs = append(errs, *fe)
			continue
		}
		if ref == nil {
			errs = append(errs, missingField(field+"/type"))
			continue
		}
		ct := s.coll("company/communicationTypes").recs[mustInt(ref["id"])]
		ref["name"] = ct["description"]
		info(ref)["type_href"] = info(ref)[hrefName(field+"/type")]
		delete(info(ref), hrefName(field+"/type"))
		m["type"] = ref
		kind := "Phone"
		switch {
		case ct["emailFlag"] == true:
			kind = "Email"
		case ct["faxFlag"] == true:
			kind = "Fax"
		}
		m["communicationType"] = kind
		val := str(m["value"])
		if isBlank(m["value"]) {
			errs = append(errs, missingField(field+"/value"))
		} else if utf8.RuneCountInString(val) > 250 {
			// ContactCommunication value max 250, extension max 15 (§6).
			errs = append(errs, tooLong(field+"/value", 250))
		}
		if utf8.RuneCountInString(str(m["extension"])) > 15 {
			errs = append(errs, tooLong(field+"/extension", 15))
		}
		if kind == "Email" {
			if at := strings.LastIndex(val, "@"); at >= 0 {
				m["domain"] = val[at:]
			}
		} else {
			delete(m, "domain")
		}
		if id, ok := intOf(m["id"]); !ok || id <= 0 {
			maxID++
			m["id"] = float64(maxID)
		}
		if b, _ := m["defaultFlag"].(bool); b {
			lastDefault[kind] = i
		} else {
			m["defaultFlag"] = false
		}
	}
	for i, it := range items {
		if m := obj(it); m != nil {
			kind := str(m["communicationType"])
			if d, ok := lastDefault[kind]; ok {
				m["defaultFlag"] = d == i
			}
			if kind == "Phone" && m["defaultFlag"] == true {
				w.rec["defaultPhoneType"] = obj(m["type"])["name"]
				w.rec["defaultPhoneNbr"] = m["value"]
			}
		}
	}
	w.rec["communicationItems"] = items
	return errs
}

func mustInt(v any) int {
	n, _ := intOf(v)
	return n
}

package connectwisetest

import "fmt"

// ticketFields: service ticket fields of spec 2025.8 (S9) used by a
// ticket sync. Tickets use stateIdentifier where companies use state (SOURCES.md).
const ticketFields = `summary recordType board status workRole workType company site siteName
addressLine1 addressLine2 city stateIdentifier zip country contact contactName contactPhoneNumber
contactPhoneExtension contactEmailAddress type subType item team owner priority serviceLocation
source severity impact externalXRef poNumber knowledgeBaseCategoryId knowledgeBaseSubCategoryId
allowAllClientsPortalView customerUpdatedFlag automaticEmailContactFlag automaticEmailResourceFlag
automaticEmailCcFlag automaticEmailCc initialDescription initialInternalAnalysis
initialResolution contactEmailLookup processNotifications skipCallback closedDate closedBy
closedFlag actualHours approved estimatedExpenseCost estimatedExpenseRevenue
estimatedProductCost estimatedProductRevenue estimatedTimeCost estimatedTimeRevenue
billingMethod subBillingMethod resolveMinutes resPlanMinutes respondMinutes isInSla
hasChildTicket hasMergedChildTicketFlag billTime billExpenses billProducts predecessorType
lagDays lagNonworkingDaysFlag estimatedStartDate duration location department
mobileGuid requiredDate dateEntered customFields[]`

func ticketsDef() *resourceDef {
	return &resourceDef{
		path: "service/tickets", object: "ticket", label: "Service Ticket",
		fieldList: ticketFields,
		refs: map[string]string{
			"company": "company/companies", "contact": "company/contacts", "board": "service/boards",
			"priority": "service/priorities", "owner": "system/members",
		},
		// Required summary and company (spec NewTicket(summary, company), S9
		// docs); summary max 100 (captured MaxLengthField, docs.xyte.io kb-5017).
		required:    []string{"summary", "company"},
		maxLen:      map[string]int{"summary": 100},
		forwardOnly: true, callbackType: "ticket", udfScreen: "sr100", firstID: 500,
		summary: func(r Record) Record { return Record{"id": r["id"], "summary": r["summary"]} },
		prepare: prepareTicket,
	}
}

// prepareTicket defaults the board and checks that the status belongs to it:
// "Service Status 17 not found for Service Board 21" on field status/id
// (captured, docs.xyte.io kb-5017). The caller holds s.mu.
func prepareTicket(s *Server, w *write) []FieldError {
	var errs []FieldError
	if isBlank(w.rec["board"]) {
		for _, b := range s.coll("service/boards").sorted() {
			w.rec["board"] = Record{"id": b["id"], "name": b["name"], "_info": Record{"board_href": s.href("service/boards", b)}}
			break
		}
	}
	bid := mustInt(obj(w.rec["board"])["id"])
	statuses := s.coll("service/boards/statuses")
	st := obj(w.rec["status"])
	if w.touched["status"] || w.touched["board"] || w.kind == opCreate {
		if st == nil || (st["id"] == nil && st["name"] == nil) {
			for _, c := range statuses.sorted() {
				if mustInt(obj(c["board"])["id"]) == bid && c["defaultFlag"] == true {
					st = Record{"id": c["id"]}
					break
				}
			}
		}
		if st != nil {
			rec, key, found := s.findRef("service/boards/statuses", st)
			if !found || mustInt(obj(rec["board"])["id"]) != bid {
				errs = append(errs, FieldError{Code: "NotFound",
					Message: fmt.Sprintf("Service Status %v not found for Service Board %d", key, bid), Field: "status/id"})
			} else {
				w.rec["status"] = Record{"id": rec["id"], "name": rec["name"],
					"_info": Record{"status_href": s.href("service/boards/"+fmt.Sprint(bid)+"/statuses", rec)}}
				w.rec["closedFlag"] = rec["closedStatus"] == true
			}
		}
	}
	if w.kind == opCreate {
		w.rec["mobileGuid"] = newGUID()
	}
	return errs
}

func catalogDef() *resourceDef {
	return &resourceDef{
		path: "procurement/catalog", object: "catalogItem", label: "Catalog Item",
		fieldList: `identifier description inactiveFlag subcategory type productClass serialNumberFlag
serializedCostFlag phaseProductFlag unitOfMeasure minStockLevel price cost priceAttribute taxableFlag
dropShipFlag specialOrderFlag customerDescription manufacturer manufacturerPartNumber vendor vendorSku
notes integrationXRef sla entityType recurringFlag recurringRevenue recurringCost recurringOneTimeFlag
recurringBillCycle recurringCycleType calculatedPriceFlag calculatedCostFlag category calculatedPrice
calculatedCost billableOption connectWiseID agreementType markupPercentage markupFlag
autoUpdateUnitCostFlag autoUpdateUnitPriceFlag customFields[]`,
		refs: map[string]string{"vendor": "company/companies"},
		// Required identifier, description, subcategory, type, customerDescription
		// (spec NewCatalogItem, ai-connor/connectwise docs/CatalogItem.md).
		// Subcategories and product types are not served by the fake: their
		// references are stored as sent.
		required:    []string{"identifier", "description", "subcategory", "type", "customerDescription"},
		forwardOnly: true, udfScreen: "pr100", firstID: 700,
		summary: func(r Record) Record {
			return Record{"id": r["id"], "identifier": r["identifier"], "description": r["description"]}
		},
		prepare: func(s *Server, w *write) []FieldError {
			var errs []FieldError
			ident := str(w.rec["identifier"])
			myID, _ := intOf(w.rec["id"])
			for id, other := range s.coll("procurement/catalog").recs {
				if id != myID && ident != "" && str(other["identifier"]) == ident {
					errs = append(errs, FieldError{Code: "ObjectExists",
						Message: fmt.Sprintf("The identifier '%s' is already in use.", ident), Field: "identifier"})
					break
				}
			}
			setDefaults(w.rec, map[string]any{"inactiveFlag": false, "taxableFlag": false, "price": float64(0), "cost": float64(0)})
			if w.kind == opCreate {
				w.rec["connectWiseID"] = newGUID()
			}
			return errs
		},
	}
}

// allResources lists every resource the fake serves with the generic handlers.
func allResources() []*resourceDef {
	defs := []*resourceDef{companiesDef(), contactsDef(), opportunitiesDef(), ticketsDef(), catalogDef(), callbacksDef()}
	defs = append(defs, lookupDefs()...)
	for _, d := range defs {
		d.init()
	}
	return defs
}

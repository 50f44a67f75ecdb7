package connectwisetest

import (
	"math"
	"net/http"
	"strings"
	"time"
)

// opportunityFields: spec 2025.8 Opportunity (connectwise-api.md §6, S9). There
// is no amount field: money lives in the forecast (§5).
const opportunityFields = `name expectedCloseDate type stage status priority notes probability
source rating campaign primarySalesRep secondarySalesRep locationId businessUnitId company
contact site customerPO pipelineChangeDate dateBecameLead closedDate closedBy totalSalesTax
shipToCompany shipToContact shipToSite billToCompany billToContact billToSite billingTerms taxCode
currency companyLocationId technicalContact customFields[]`

func opportunitiesDef() *resourceDef {
	return &resourceDef{
		path: "sales/opportunities", object: "opportunity", label: "Opportunity",
		fieldList: opportunityFields,
		refs: map[string]string{
			"company": "company/companies", "contact": "company/contacts",
			"primarySalesRep": "system/members", "secondarySalesRep": "system/members",
			"status": "sales/opportunities/statuses", "stage": "sales/stages",
			"shipToCompany": "company/companies", "billToCompany": "company/companies",
			"shipToContact": "company/contacts", "billToContact": "company/contacts",
			"technicalContact": "company/contacts",
		},
		// Required name (max 100), primarySalesRep, company, contact (spec 2025.8
		// NewOpportunity, §5, S9); source max 50, customerPO max 25 (S10).
		required:    []string{"name", "company", "contact", "primarySalesRep"},
		maxLen:      map[string]int{"name": 100, "source": 50, "customerPO": 25},
		forwardOnly: true, callbackType: "opportunity", udfScreen: "op100", subRoutes: true, firstID: 1000,
		prepare: prepareOpportunity,
	}
}

func prepareOpportunity(s *Server, w *write) []FieldError {
	var errs []FieldError
	// expectedCloseDate, locationId and businessUnitId are "Required On
	// Updates" (pyconnectwise, connectwise-api.md §5, S10). Creates get
	// defaults (a date 30 days out at midnight, as date-only fields are sent,
	// §10; location and business unit 1: inferred), so a PATCH keeps them and
	// a PUT that drops them fails.
	if w.kind == opCreate {
		setDefaults(w.rec, map[string]any{
			"expectedCloseDate": stamp(s.now().AddDate(0, 0, 30).Truncate(24 * time.Hour)),
			"locationId":        float64(1), "businessUnitId": float64(1),
		})
	} else {
		for _, f := range []string{"expectedCloseDate", "locationId", "businessUnitId"} {
			if isBlank(w.rec[f]) {
				errs = append(errs, missingField(f))
			}
		}
	}
	// Status: the tenant's default status when none is sent (inferred; what the
	// API does without a status is not recorded, §11b).
	if isBlank(w.rec["status"]) {
		for _, st := range s.coll("sales/opportunities/statuses").sorted() {
			if st["defaultFlag"] == true {
				w.rec["status"] = Record{"id": st["id"], "name": st["name"],
					"_info": Record{"status_href": s.href("sales/opportunities/statuses", st)}}
				break
			}
		}
	}
	// Closing stamps closedDate/closedBy from the status flags (§5: status
	// semantics come from /sales/opportunities/statuses).
	if w.touched["status"] || w.kind == opCreate {
		st := s.coll("sales/opportunities/statuses").recs[mustInt(obj(w.rec["status"])["id"])]
		if st != nil && st["closedFlag"] == true {
			if w.old == nil || isBlank(w.old["closedDate"]) {
				w.rec["closedDate"] = stamp(s.now())
				w.rec["closedBy"] = Record{"identifier": s.member(w.user)}
			}
		} else {
			delete(w.rec, "closedDate")
			delete(w.rec, "closedBy")
		}
	}
	return errs
}

func (s *Server) member(user bool) string {
	if user {
		return s.opts.UserIdentifier
	}
	return s.opts.MemberIdentifier
}

// forecastItemFields: ForecastItem (§5, S9, S10).
const forecastItemFields = `forecastDescription opportunity quantity status catalogItem
productDescription productClass forecastType revenue cost margin percentage includeFlag linkFlag
recurringFlag taxableFlag recurringRevenue recurringCost cycleType cycleBasis cycles billCycle
billTerm sequenceNumber subNumber quoteWerksQuantity`

// forecastTypes are the allowed ForecastItem.forecastType values (§5, S9).
var forecastTypes = []string{"Other1", "Other2", "Agreement", "Product", "Service"}

func forecastItemsDef() *resourceDef {
	return &resourceDef{
		path: "sales/opportunities/forecast", object: "forecastItem", label: "Forecast Item",
		fieldList: forecastItemFields,
		refs:      map[string]string{"status": "sales/opportunities/statuses", "catalogItem": "procurement/catalog"},
		// Required opportunity (from the URL here), status, forecastType;
		// forecastDescription max 50 (§5, S9, S10).
		required: []string{"status", "forecastType"},
		maxLen:   map[string]int{"forecastDescription": 50},
		prepare: func(s *Server, w *write) []FieldError {
			var errs []FieldError
			if ft := str(w.rec["forecastType"]); ft != "" {
				ok := false
				for _, t := range forecastTypes {
					if strings.EqualFold(t, ft) {
						w.rec["forecastType"], ok = t, true
					}
				}
				if !ok {
					errs = append(errs, invalidField("forecastType",
						"forecastType must be one of Other1, Other2, Agreement, Product, Service."))
				}
			}
			opp := s.coll("sales/opportunities").recs[w.parent]
			w.rec["opportunity"] = Record{"id": opp["id"], "name": opp["name"]}
			rev, _ := asNumber(w.rec["revenue"])
			cost, _ := asNumber(w.rec["cost"])
			w.rec["revenue"], w.rec["cost"] = rev, cost
			w.rec["margin"] = rev - cost
			w.rec["percentage"] = pct(rev-cost, rev)
			setDefaults(w.rec, map[string]any{
				"quantity": float64(1), "includeFlag": true, "linkFlag": false, "recurringFlag": false, "taxableFlag": false,
			})
			return errs
		},
	}
}

func pct(margin, revenue float64) float64 {
	if revenue == 0 {
		return 0
	}
	return math.Round(margin/revenue*10000) / 100
}

// forecastColl returns the forecast items of opportunity id. The caller holds s.mu.
func (s *Server) forecastColl(id int) (*collection, error) {
	if _, ok := s.coll("sales/opportunities").recs[id]; !ok {
		return nil, notFound("Opportunity", id)
	}
	c := s.forecast[id]
	if c == nil {
		c = newCollection(s.forecastDef)
		c.nextID = id*100 + 1
		s.forecast[id] = c
	}
	return c, nil
}

// forecastOf renders the Forecast of an opportunity: the spec model
// Forecast{id, forecastItems[], productRevenue, serviceRevenue, ...} where each
// revenue is {revenue, cost, margin, percentage} (§5, S9). Whether live
// tenants answer GET .../forecast with this object or with an array of it is
// unverified (§11b); see Options.ForecastAsArray. The caller holds s.mu.
func (s *Server) forecastOf(id int, c *collection) Record {
	type sum struct{ rev, cost float64 }
	totals := map[string]*sum{}
	add := func(k string, rev, cost float64) {
		t := totals[k]
		if t == nil {
			t = &sum{}
			totals[k] = t
		}
		t.rev += rev
		t.cost += cost
	}
	kinds := map[string]string{"Product": "productRevenue", "Service": "serviceRevenue",
		"Agreement": "agreementRevenue", "Other1": "otherRevenue1", "Other2": "otherRevenue2"}
	items := []any{}
	for _, it := range c.sorted() {
		items = append(items, cloneRecord(it))
		rev, _ := asNumber(it["revenue"])
		cost, _ := asNumber(it["cost"])
		add(kinds[str(it["forecastType"])], rev, cost)
		add("forecastRevenueTotals", rev, cost)
		if it["includeFlag"] == true {
			add("inclusiveRevenueTotals", rev, cost)
		}
		if b, _ := it["recurringFlag"].(bool); b {
			add("recurringTotal", rev, cost)
		}
		st := s.coll("sales/opportunities/statuses").recs[mustInt(obj(it["status"])["id"])]
		switch {
		case st != nil && st["wonFlag"] == true:
			add("wonRevenue", rev, cost)
		case st != nil && st["lostFlag"] == true:
			add("lostRevenue", rev, cost)
		default:
			add("openRevenue", rev, cost)
		}
	}
	out := Record{"id": float64(id), "forecastItems": items}
	for _, k := range []string{"productRevenue", "serviceRevenue", "agreementRevenue", "timeRevenue",
		"expenseRevenue", "forecastRevenueTotals", "inclusiveRevenueTotals", "recurringTotal", "wonRevenue",
		"lostRevenue", "openRevenue", "otherRevenue1", "otherRevenue2", "salesTaxRevenue", "forecastTotalWithTaxes"} {
		t := totals[k]
		if k == "forecastTotalWithTaxes" {
			t = totals["forecastRevenueTotals"]
		}
		if t == nil {
			t = &sum{}
		}
		out[k] = Record{"revenue": t.rev, "cost": t.cost, "margin": t.rev - t.cost, "percentage": pct(t.rev-t.cost, t.rev)}
	}
	opp := s.coll("sales/opportunities").recs[id]
	if p, ok := asNumber(opp["probability"]); ok {
		out["expectedProbability"] = p
	}
	out["_info"] = Record{"opportunity_href": s.href("sales/opportunities", opp)}
	return out
}

// opportunityRoutes serves /sales/opportunities/{id}/forecast[/count|/{itemId}]
// (GET/POST/PUT/PATCH/DELETE, §5, S9 README).
func (s *Server) opportunityRoutes() {
	const res = "sales/opportunities"
	base := apiPrefix + res + "/{id}/{sub}"
	fd := s.forecastDef
	parent := func(r *http.Request) (int, error) {
		if r.PathValue("sub") != "forecast" {
			return 0, endpointNotFound()
		}
		return pathID(r, "id")
	}
	s.mux.HandleFunc("GET "+base, s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, err := parent(r)
		if err != nil {
			return err
		}
		s.mu.Lock()
		c, err := s.forecastColl(id)
		var f Record
		if err == nil {
			f = s.forecastOf(id, c)
		}
		s.mu.Unlock()
		if err != nil {
			return err
		}
		if s.opts.ForecastAsArray {
			writeJSON(w, http.StatusOK, []Record{f})
			return nil
		}
		writeJSON(w, http.StatusOK, f)
		return nil
	}))
	s.mux.HandleFunc("POST "+base, s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, err := parent(r)
		if err != nil {
			return err
		}
		return s.serveWrite(w, r, fd, id, opCreate, 0)
	}))
	item := func(r *http.Request) (int, int, error) {
		id, err := parent(r)
		if err != nil {
			return 0, 0, err
		}
		if r.PathValue("subid") == "count" && r.Method == http.MethodGet {
			return id, 0, nil
		}
		sub, err := pathID(r, "subid")
		return id, sub, err
	}
	s.mux.HandleFunc("GET "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, sub, err := item(r)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		c, err := s.forecastColl(id)
		if err != nil {
			return err
		}
		if sub == 0 {
			writeJSON(w, http.StatusOK, map[string]int{"count": len(c.recs)})
			return nil
		}
		rec, ok := c.recs[sub]
		if !ok {
			return notFound(fd.label, sub)
		}
		writeJSON(w, http.StatusOK, rec)
		return nil
	}))
	s.mux.HandleFunc("PUT "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, sub, err := item(r)
		if err != nil {
			return err
		}
		return s.serveWrite(w, r, fd, id, opPut, sub)
	}))
	s.mux.HandleFunc("PATCH "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, sub, err := item(r)
		if err != nil {
			return err
		}
		return s.serveWrite(w, r, fd, id, opPatch, sub)
	}))
	s.mux.HandleFunc("DELETE "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, sub, err := item(r)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		c, err := s.forecastColl(id)
		if err != nil {
			return err
		}
		if _, ok := c.recs[sub]; !ok {
			return notFound(fd.label, sub)
		}
		delete(c.recs, sub)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}))
}

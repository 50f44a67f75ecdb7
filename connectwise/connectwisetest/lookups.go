package connectwisetest

import (
	"net/http"
	"strings"
)

// Lookup resources a mapping needs (connectwise-api.md §6). Field lists follow
// spec 2025.8 (S9) and the recorded payloads communicationtypes-list.json and
// userdefinedfields-contact-screen.json.

func descSummary(r Record) Record { return Record{"id": r["id"], "name": r["description"]} }

func lookupDefs() []*resourceDef {
	return []*resourceDef{
		{
			path: "company/companies/statuses", object: "companyStatus", label: "Company Status",
			fieldList: "name defaultFlag inactiveFlag notifyFlag disallowSavingFlag notificationMessage customNoteFlag cancelOpenTracksFlag track",
			required:  []string{"name"}, maxLen: map[string]int{"name": 50},
		},
		{
			path: "company/companies/types", object: "companyType", label: "Company Type",
			fieldList: "name defaultFlag vendorFlag serviceAlertFlag serviceAlertMessage",
			required:  []string{"name"}, maxLen: map[string]int{"name": 50},
		},
		{
			path: "company/communicationTypes", object: "communicationType", label: "Communication Type",
			fieldList: "description phoneFlag faxFlag emailFlag defaultFlag exchangeXref",
			required:  []string{"description"}, summary: descSummary,
		},
		{
			path: "company/contacts/types", object: "contactType", label: "Contact Type",
			fieldList: "description defaultFlag serviceAlertFlag serviceAlertMessage",
			required:  []string{"description"}, summary: descSummary,
		},
		{
			path: "sales/stages", object: "opportunityStage", label: "Opportunity Stage",
			fieldList: "name sequenceNumber probability color defaultFlag",
			required:  []string{"name"},
		},
		{
			path: "sales/opportunities/statuses", object: "opportunityStatus", label: "Opportunity Status",
			fieldList: "name wonFlag lostFlag closedFlag inactiveFlag defaultFlag enteredBy dateEntered",
			required:  []string{"name"},
		},
		{
			path: "system/members", object: "member", label: "Member", readOnly: true, firstID: 243,
			fieldList: "identifier firstName lastName middleInitial title officeEmail primaryEmail defaultEmail inactiveFlag licenseClass memberType timeZone",
			summary: func(r Record) Record {
				return Record{"id": r["id"], "identifier": r["identifier"],
					"name": strings.TrimSpace(str(r["firstName"]) + " " + str(r["lastName"]))}
			},
		},
		{
			// POST /system/userDefinedFields exists (§7): required podId,
			// caption (max 25), sequenceNumber (1-500), fieldTypeIdentifier (S10, S9).
			path: "system/userDefinedFields", object: "userDefinedField", label: "User Defined Field", firstID: 15,
			fieldList: `podId podDescription caption sequenceNumber screenId screenDescription fieldTypeIdentifier
numberDecimals entryTypeIdentifier requiredFlag displayOnScreenFlag readOnlyFlag listViewFlag buttonUrl
options[] businessUnitIds[] locationIds[] connectWiseID displayScreenInASIO dateCreated`,
			required: []string{"podId", "caption", "sequenceNumber", "fieldTypeIdentifier"},
			maxLen:   map[string]int{"caption": 25},
			summary:  func(r Record) Record { return Record{"id": r["id"], "caption": r["caption"]} },
			prepare: func(s *Server, w *write) []FieldError {
				errs := checkRange(w.rec, "sequenceNumber", 1, 500)
				if w.kind == opCreate {
					w.rec["connectWiseID"] = newGUID()
					w.rec["dateCreated"] = stamp(s.now())
				}
				if str(w.rec["fieldTypeIdentifier"]) == "Button" && isBlank(w.rec["buttonUrl"]) {
					errs = append(errs, missingField("buttonUrl"))
				}
				setDefaults(w.rec, map[string]any{"businessUnitIds": []any{}, "locationIds": []any{},
					"requiredFlag": false, "displayOnScreenFlag": true, "readOnlyFlag": false, "listViewFlag": false,
					"numberDecimals": float64(0), "entryTypeIdentifier": "EntryField"})
				return errs
			},
		},
		{
			path: "service/boards", object: "board", label: "Service Board", subRoutes: true,
			fieldList: "name location department inactiveFlag projectFlag signOffTemplate",
			required:  []string{"name"},
		},
		{
			// Board statuses live at /service/boards/{id}/statuses; boardRoutes serves them.
			path: "service/boards/statuses", object: "boardStatus", label: "Service Status", internal: true,
			fieldList: "name board sortOrder displayOnBoard inactive closedStatus timeEntryNotAllowed defaultFlag escalationStatus customerPortalDescription",
		},
		{
			path: "service/priorities", object: "priority", label: "Priority",
			fieldList: "name color sortOrder defaultFlag imageLink urgencySortOrder level",
			required:  []string{"name"},
		},
	}
}

// systemInfo serves GET /system/info → {version, isCloud, serverTimeZone,
// licenseBits[], cloudRegion, maxWorkFlowRecordsAllowed} (§1, S9 model_info.go).
func (s *Server) systemInfo(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{
		"version":                   s.opts.VersionCode,
		"isCloud":                   !s.opts.OnPremise,
		"serverTimeZone":            "Eastern Standard Time",
		"licenseBits":               []any{},
		"cloudRegion":               "NA",
		"maxWorkFlowRecordsAllowed": 1000,
	})
	return nil
}

// boardRoutes serves /service/boards/{id}/statuses[/count|/{statusId}].
func (s *Server) boardRoutes() {
	const res = "service/boards"
	base := apiPrefix + res + "/{id}/{sub}"
	boardStatuses := func(r *http.Request) (int, error) {
		if r.PathValue("sub") != "statuses" {
			return 0, endpointNotFound()
		}
		id, err := pathID(r, "id")
		if err != nil {
			return 0, err
		}
		s.mu.Lock()
		_, ok := s.coll(res).recs[id]
		s.mu.Unlock()
		if !ok {
			return 0, notFound("Service Board", id)
		}
		return id, nil
	}
	sd := s.def("service/boards/statuses")
	s.mux.HandleFunc("GET "+base, s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, err := boardStatuses(r)
		if err != nil {
			return err
		}
		lq, err := s.parseListQuery(sd, r)
		if err != nil {
			return err
		}
		lq.cond = and(lq.cond, boardCond(id))
		s.mu.Lock()
		page := renderPage(w, r, lq, s.filtered(s.coll(sd.path), lq))
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, page)
		return nil
	}))
	s.mux.HandleFunc("GET "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, err := boardStatuses(r)
		if err != nil {
			return err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if r.PathValue("subid") == "count" {
			n := 0
			for _, st := range s.coll(sd.path).recs {
				if mustInt(obj(st["board"])["id"]) == id {
					n++
				}
			}
			writeJSON(w, http.StatusOK, map[string]int{"count": n})
			return nil
		}
		sid, err := pathID(r, "subid")
		if err != nil {
			return err
		}
		st, ok := s.coll(sd.path).recs[sid]
		if !ok || mustInt(obj(st["board"])["id"]) != id {
			return notFound("Service Status", sid)
		}
		writeJSON(w, http.StatusOK, st)
		return nil
	}))
}

func boardCond(id int) Expr {
	return &Comparison{Field: "board/id", Op: "=", Value: Literal{Kind: NumberLit, Num: float64(id)}}
}

func and(a, b Expr) Expr {
	if a == nil {
		return b
	}
	return &Logical{Op: "and", Left: a, Right: b}
}

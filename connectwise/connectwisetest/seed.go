package connectwisetest

import (
	"fmt"
	"strings"
)

// Resource names a collection of the fake by its API path.
type Resource string

// Resources the fake serves.
const (
	Companies           Resource = "company/companies"
	CompanyStatuses     Resource = "company/companies/statuses"
	CompanyTypes        Resource = "company/companies/types"
	Contacts            Resource = "company/contacts"
	ContactTypes        Resource = "company/contacts/types"
	CommunicationTypes  Resource = "company/communicationTypes"
	Opportunities       Resource = "sales/opportunities"
	OpportunityStatuses Resource = "sales/opportunities/statuses"
	SalesStages         Resource = "sales/stages"
	Members             Resource = "system/members"
	UserDefinedFields   Resource = "system/userDefinedFields"
	Callbacks           Resource = "system/callbacks"
	Tickets             Resource = "service/tickets"
	Boards              Resource = "service/boards"
	// BoardStatuses are served at /service/boards/{id}/statuses; records carry
	// "board": {"id": ...}.
	BoardStatuses Resource = "service/boards/statuses"
	Priorities    Resource = "service/priorities"
	Catalog       Resource = "procurement/catalog"
)

func (s *Server) mustDef(res Resource) (*resourceDef, error) {
	d := s.def(string(res))
	if d == nil {
		return nil, fmt.Errorf("connectwisetest: unknown resource %q", res)
	}
	return d, nil
}

// Create stores rec (any JSON-encodable value) through the same validation
// as POST, as the UI user (Options.UserIdentifier), and fires callbacks.
// Errors are *[APIError] values, as the API would send them.
func (s *Server) Create(res Resource, rec any) (Record, error) {
	d, err := s.mustDef(res)
	if err != nil {
		return nil, err
	}
	m, err := toRecord(rec)
	if err != nil {
		return nil, err
	}
	return unwrapHTTP(s.apply(d, opCreate, 0, m, nil, true))
}

// Update sets top-level fields of a record as the UI user, with PATCH
// validation, and fires callbacks.
func (s *Server) Update(res Resource, id int, fields map[string]any) (Record, error) {
	d, err := s.mustDef(res)
	if err != nil {
		return nil, err
	}
	ops := make([]PatchOp, 0, len(fields))
	for k, v := range fields {
		nv, err := normalize(v)
		if err != nil {
			return nil, err
		}
		ops = append(ops, PatchOp{Op: "replace", Path: k, Value: nv})
	}
	return unwrapHTTP(s.apply(d, opPatch, id, nil, ops, true))
}

// Delete removes a record as the UI user and fires callbacks.
func (s *Server) Delete(res Resource, id int) error {
	d, err := s.mustDef(res)
	if err != nil {
		return err
	}
	_, err = unwrapHTTP(nil, s.deleteRecord(d, id, true))
	return err
}

// Seed stores rec as it is, without validation or callbacks: for legacy data
// the API would refuse today (a company with yearEstablished 0, §5) and for
// bulk fixtures. A missing id is assigned; _info is stamped.
func (s *Server) Seed(res Resource, rec any) (Record, error) {
	d, err := s.mustDef(res)
	if err != nil {
		return nil, err
	}
	m, err := toRecord(rec)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.udfScreen != "" {
		if _, ok := m["customFields"]; !ok {
			m["customFields"] = s.udfsFor(d.udfScreen)
		}
	}
	in := info(m)
	now := stamp(s.now())
	setDefaults(in, map[string]any{"lastUpdated": now, "updatedBy": s.opts.UserIdentifier,
		"dateEntered": now, "enteredBy": s.opts.UserIdentifier})
	s.coll(d.path).put(m)
	s.addHrefs(d, m)
	if d.path == udfPath {
		s.resyncUDFs()
	}
	return cloneRecord(m), nil
}

// Get returns a copy of a stored record.
func (s *Server) Get(res Resource, id int) (Record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.coll(string(res))
	if c == nil {
		return nil, false
	}
	r, ok := c.recs[id]
	return cloneRecord(r), ok
}

// Records returns copies of every stored record of res, ordered by id.
func (s *Server) Records(res Resource) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.coll(string(res))
	if c == nil {
		return nil
	}
	var out []Record
	for _, r := range c.sorted() {
		out = append(out, cloneRecord(r))
	}
	return out
}

// Len returns how many records res holds.
func (s *Server) Len(res Resource) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.coll(string(res)); c != nil {
		return len(c.recs)
	}
	return 0
}

// ForecastItems returns copies of the forecast items of an opportunity.
func (s *Server) ForecastItems(opportunityID int) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Record
	if c := s.forecast[opportunityID]; c != nil {
		for _, r := range c.sorted() {
			out = append(out, cloneRecord(r))
		}
	}
	return out
}

func toRecord(v any) (Record, error) {
	n, err := normalize(v)
	if err != nil {
		return nil, fmt.Errorf("connectwisetest: encode record: %w", err)
	}
	m, ok := n.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("connectwisetest: a record must encode to a JSON object, not %T", n)
	}
	return m, nil
}

func unwrapHTTP(r Record, err error) (Record, error) {
	if he, ok := err.(*httpError); ok {
		return nil, he.body
	}
	return r, err
}

// seedDefaults loads the lookup records a fresh tenant has. Ids, names and
// flags are made up except where a payload gives them (communication types:
// communicationtypes-list.json; contact UDFs: userdefinedfields-contact-screen.json).
func (s *Server) seedDefaults() {
	must := func(res Resource, recs ...map[string]any) {
		for _, r := range recs {
			if _, err := s.Seed(res, r); err != nil {
				panic(err)
			}
		}
	}
	must(CompanyStatuses,
		map[string]any{"id": 1, "name": "Active", "defaultFlag": true, "inactiveFlag": false},
		map[string]any{"id": 2, "name": "Inactive", "defaultFlag": false, "inactiveFlag": true},
		map[string]any{"id": 3, "name": "Not-Approved", "defaultFlag": false, "inactiveFlag": false})
	must(CompanyTypes,
		map[string]any{"id": 1, "name": "Client", "defaultFlag": true, "vendorFlag": false},
		map[string]any{"id": 2, "name": "Prospect", "defaultFlag": false, "vendorFlag": false},
		map[string]any{"id": 3, "name": "Vendor", "defaultFlag": false, "vendorFlag": true})
	for i, d := range []string{"Email - Business", "Email - Private", "Phone - Work", "Phone - Home", "Phone - Landline", "Fax - Work"} {
		must(CommunicationTypes, map[string]any{"id": i + 1, "description": d,
			"emailFlag": strings.HasPrefix(d, "Email"), "phoneFlag": strings.HasPrefix(d, "Phone"), "faxFlag": strings.HasPrefix(d, "Fax"),
			"defaultFlag": i == 0 || i == 2 || i == 5, "exchangeXref": ""})
	}
	must(ContactTypes,
		map[string]any{"id": 1, "description": "Decision Maker", "defaultFlag": false},
		map[string]any{"id": 2, "description": "End User", "defaultFlag": true},
		map[string]any{"id": 3, "description": "Billing", "defaultFlag": false})
	for i, n := range []string{"Prospect", "Qualified", "Proposal", "Negotiation"} {
		must(SalesStages, map[string]any{"id": i + 1, "name": n, "sequenceNumber": i + 1, "defaultFlag": i == 0})
	}
	must(OpportunityStatuses,
		map[string]any{"id": 1, "name": "Open", "defaultFlag": true, "wonFlag": false, "lostFlag": false, "closedFlag": false, "inactiveFlag": false},
		map[string]any{"id": 2, "name": "Won", "defaultFlag": false, "wonFlag": true, "lostFlag": false, "closedFlag": true, "inactiveFlag": false},
		map[string]any{"id": 3, "name": "Lost", "defaultFlag": false, "wonFlag": false, "lostFlag": true, "closedFlag": true, "inactiveFlag": false},
		map[string]any{"id": 4, "name": "No Decision", "defaultFlag": false, "wonFlag": false, "lostFlag": false, "closedFlag": true, "inactiveFlag": false})
	must(Members,
		map[string]any{"id": 243, "identifier": s.opts.MemberIdentifier, "firstName": "Hubwise", "lastName": "API", "memberType": "API", "inactiveFlag": false},
		map[string]any{"id": 244, "identifier": s.opts.UserIdentifier, "firstName": "John", "lastName": "Smith", "primaryEmail": "jsmith@example.com", "inactiveFlag": false},
		map[string]any{"id": 245, "identifier": "amiller", "firstName": "Anna", "lastName": "Miller", "primaryEmail": "amiller@example.com", "inactiveFlag": false})
	udf := func(id int, screen, screenDesc string, pod int, podDesc, caption, typ, entry string, seq int, opts []any) map[string]any {
		m := map[string]any{"id": id, "podId": pod, "podDescription": podDesc, "caption": caption, "sequenceNumber": seq,
			"screenId": screen, "screenDescription": screenDesc, "fieldTypeIdentifier": typ, "numberDecimals": 0,
			"entryTypeIdentifier": entry, "requiredFlag": false, "displayOnScreenFlag": true, "readOnlyFlag": false,
			"listViewFlag": true, "businessUnitIds": []any{}, "locationIds": []any{}, "connectWiseID": newGUID(),
			"displayScreenInASIO": false, "dateCreated": "2024-06-28T17:39:02Z"}
		if opts != nil {
			m["options"] = opts
		}
		return m
	}
	must(UserDefinedFields,
		udf(15, "ct300", "Contact", 4, "Contact Overview", "hubspot_contact_id", "Number", "EntryField", 1, nil),
		udf(16, "ct300", "Contact", 5, "Contact Details", "is_synced", "Text", "List", 1, []any{
			map[string]any{"id": 5, "optionValue": "true", "defaultFlag": false, "inactiveFlag": false, "sortOrder": 0},
			map[string]any{"id": 6, "optionValue": "false", "defaultFlag": true, "inactiveFlag": false, "sortOrder": 1}}),
		udf(20, "cp100", "Company", 1, "Company Overview", "hubspot_company_id", "Number", "EntryField", 1, nil),
		udf(21, "cp100", "Company", 1, "Company Overview", "Partner Name", "Text", "EntryField", 2, nil),
		udf(30, "op100", "Opportunity", 7, "Opportunity Overview", "hubspot_deal_id", "Number", "EntryField", 1, nil))
	must(Boards,
		map[string]any{"id": 1, "name": "Professional Services", "inactiveFlag": false, "projectFlag": false},
		map[string]any{"id": 2, "name": "Help Desk", "inactiveFlag": false, "projectFlag": false})
	must(BoardStatuses,
		map[string]any{"id": 1, "name": "New", "board": map[string]any{"id": 1, "name": "Professional Services"}, "sortOrder": 0, "defaultFlag": true, "closedStatus": false},
		map[string]any{"id": 2, "name": "In Progress", "board": map[string]any{"id": 1, "name": "Professional Services"}, "sortOrder": 1, "defaultFlag": false, "closedStatus": false},
		map[string]any{"id": 3, "name": "Closed", "board": map[string]any{"id": 1, "name": "Professional Services"}, "sortOrder": 2, "defaultFlag": false, "closedStatus": true},
		map[string]any{"id": 11, "name": "New", "board": map[string]any{"id": 2, "name": "Help Desk"}, "sortOrder": 0, "defaultFlag": true, "closedStatus": false},
		map[string]any{"id": 12, "name": "Resolved", "board": map[string]any{"id": 2, "name": "Help Desk"}, "sortOrder": 1, "defaultFlag": false, "closedStatus": true})
	must(Priorities,
		map[string]any{"id": 1, "name": "Priority 1 - Emergency Response", "sortOrder": 1, "defaultFlag": false},
		map[string]any{"id": 4, "name": "Priority 3 - Normal Response", "sortOrder": 6, "defaultFlag": true},
		map[string]any{"id": 7, "name": "Do Not Respond", "sortOrder": 12, "defaultFlag": false})
}

package connectwisetest

import (
	"net/http"
	"strings"
)

// typeAssoc serves {parent}/{id}/typeAssociations, the way to change the types of
// a company or contact after creation: types (typeIds for contacts) "can be
// passed in only during new company creation (post). To update existing
// companies type, use ... /company/companies/{ID}/typeAssociations", and the
// same for contacts (connectwise-api.md §5, S10). An association is {id, type,
// company|contact} (S9 CompanyTypeAssociation); its id is the type's id in
// this fake.
type typeAssoc struct {
	parent    string // "company/companies"
	types     string // "company/companies/types"
	parentKey string // "company" or "contact"
	label     string // "Company" or "Contact"
	object    string // "companyTypeAssociation"
}

var (
	companyTypeAssoc = typeAssoc{"company/companies", "company/companies/types", "company", "Company", "companyTypeAssociation"}
	contactTypeAssoc = typeAssoc{"company/contacts", "company/contacts/types", "contact", "Contact", "contactTypeAssociation"}
)

// companySubRoutes registers the company typeAssociations routes.
func (s *Server) companySubRoutes() {
	ta := companyTypeAssoc
	base := apiPrefix + ta.parent + "/{id}/{sub}"
	s.mux.HandleFunc("GET "+base, s.api(ta.parent, func(w http.ResponseWriter, r *http.Request) error { return s.listTypeAssocs(ta, w, r) }))
	s.mux.HandleFunc("POST "+base, s.api(ta.parent, func(w http.ResponseWriter, r *http.Request) error { return s.addTypeAssoc(ta, w, r) }))
	s.mux.HandleFunc("DELETE "+base+"/{subid}", s.api(ta.parent, func(w http.ResponseWriter, r *http.Request) error { return s.removeTypeAssoc(ta, w, r) }))
}

func (s *Server) listTypeAssocs(ta typeAssoc, w http.ResponseWriter, r *http.Request) error {
	rec, err := s.typeAssocParent(ta, r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ta.associations(rec))
	return nil
}

func (s *Server) addTypeAssoc(ta typeAssoc, w http.ResponseWriter, r *http.Request) error {
	rec, err := s.typeAssocParent(ta, r)
	if err != nil {
		return err
	}
	var body struct {
		Type map[string]any `json:"type"`
	}
	if err := readJSON(r, &body); err != nil {
		return err
	}
	if body.Type == nil {
		return invalidObject(ta.object, []FieldError{missingField("type")})
	}
	id, _ := intOf(rec["id"])
	types := append(asSlice(cloneValue(rec["types"])), body.Type)
	out, err := s.setTypes(ta, id, types)
	if err != nil {
		return err
	}
	as := ta.associations(out)
	writeJSON(w, http.StatusCreated, as[len(as)-1])
	return nil
}

func (s *Server) removeTypeAssoc(ta typeAssoc, w http.ResponseWriter, r *http.Request) error {
	rec, err := s.typeAssocParent(ta, r)
	if err != nil {
		return err
	}
	tid, err := pathID(r, "subid")
	if err != nil {
		return err
	}
	var keep []any
	found := false
	for _, t := range asSlice(rec["types"]) {
		if n, _ := intOf(obj(t)["id"]); n == tid {
			found = true
			continue
		}
		keep = append(keep, t)
	}
	if !found {
		return notFound(ta.label+" Type Association", tid)
	}
	id, _ := intOf(rec["id"])
	if _, err := s.setTypes(ta, id, keep); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) typeAssocParent(ta typeAssoc, r *http.Request) (Record, error) {
	if r.PathValue("sub") != "typeAssociations" {
		return nil, endpointNotFound()
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.coll(ta.parent).recs[id]
	if !ok {
		return nil, notFound(ta.label, id)
	}
	return cloneRecord(rec), nil
}

// setTypes replaces a record's types as the association endpoints do.
func (s *Server) setTypes(ta typeAssoc, id int, types []any) (Record, error) {
	s.mu.Lock()
	rec, ok := s.coll(ta.parent).recs[id]
	if !ok {
		s.mu.Unlock()
		return nil, notFound(ta.label, id)
	}
	resolved, errs := s.resolveRefList("type", ta.types, types)
	if len(errs) > 0 {
		s.mu.Unlock()
		return nil, invalidObject(ta.object, errs)
	}
	rec["types"] = resolved
	in := info(rec)
	in["lastUpdated"], in["updatedBy"] = stamp(s.now()), s.opts.MemberIdentifier
	out := cloneRecord(rec)
	s.mu.Unlock()
	s.notify(s.def(ta.parent), "updated", id, out, false)
	return out, nil
}

func (ta typeAssoc) associations(rec Record) []Record {
	out := []Record{}
	parent := Record{"id": rec["id"], "name": rec["name"]}
	if ta.parentKey == "company" {
		parent["identifier"] = rec["identifier"]
	} else {
		parent["name"] = strings.TrimSpace(str(rec["firstName"]) + " " + str(rec["lastName"]))
	}
	for _, t := range asSlice(rec["types"]) {
		tm := obj(t)
		out = append(out, Record{
			"id":         tm["id"],
			"type":       Record{"id": tm["id"], "name": tm["name"]},
			ta.parentKey: parent,
		})
	}
	return out
}

package connectwisetest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// resourceDef describes one API resource; the generic handlers do the rest.
type resourceDef struct {
	path   string // "company/companies"
	object string // name in validation errors: "company"
	label  string // name in 404 messages: "Company"
	// fieldList lists the top-level fields the resource has (space separated);
	// conditions, orderBy and writes are checked against it.
	fieldList string
	refs      map[string]string // reference field -> target resource path
	required  []string
	maxLen    map[string]int
	readOnly  bool // lookups the fake serves read-only
	// forwardOnly marks endpoints that honour "pagination-type: forward-only".
	// Which endpoints do is not documented (connectwise-api.md §3); the fake
	// enables it on the large record resources.
	forwardOnly bool
	// callbackType is the callback "type" writes to this resource notify.
	callbackType string
	// udfScreen is the screenId of the user-defined fields that appear in the
	// records' customFields ("" when the resource has none).
	udfScreen string
	// summary renders a reference to a record of this resource; nil: id, name.
	summary func(rec Record) Record
	// prepare does resource-specific normalisation and validation of a write.
	prepare func(s *Server, w *write) []FieldError
	// subRoutes registers routes below /{id}/.
	subRoutes bool
	// softDelete keeps deleted records with deletedFlag, dateDeleted and
	// deletedBy: a deleted company is still returned by id (payload
	// company-get.json), and by lists (see Options.HideDeletedCompanies).
	softDelete bool
	// createOmits are fields the 201 answer of a create leaves out although
	// they are stored (contacts: communicationItems, see
	// Options.EchoContactCommunicationItems).
	createOmits []string
	// internal resources have no routes of their own (forecast items, board
	// statuses are served below their parents).
	internal bool
	firstID  int

	fieldSet map[string]string // lower-case name -> canonical
	arrays   map[string]bool
}

func (d *resourceDef) init() *resourceDef {
	d.fieldSet = map[string]string{"id": "id", "_info": "_info"}
	d.arrays = map[string]bool{}
	for _, f := range strings.Fields(d.fieldList) {
		if strings.HasSuffix(f, "[]") {
			f = strings.TrimSuffix(f, "[]")
			d.arrays[strings.ToLower(f)] = true
		}
		d.fieldSet[strings.ToLower(f)] = f
	}
	return d
}

// knows reports whether name is a field of the resource (case-insensitive);
// lastUpdated and its _info siblings are known everywhere (§4).
func (d *resourceDef) knows(path string) bool {
	top, _, _ := strings.Cut(path, "/")
	top = strings.ToLower(top)
	_, ok := d.fieldSet[top]
	return ok || infoFallback[top]
}

func (d *resourceDef) isArray(name string) bool { return d.arrays[strings.ToLower(name)] }

// isDate reports whether name is a datetime field: lastUpdated and the other
// _info stamps, and the resource's *Date fields (expectedCloseDate, dateAcquired).
func (d *resourceDef) isDate(name string) bool {
	l := strings.ToLower(name)
	if l == "lastupdated" || l == "dateentered" {
		return true
	}
	c, ok := d.fieldSet[l]
	return ok && (strings.HasSuffix(c, "Date") || strings.HasPrefix(c, "date"))
}

// isFlag reports whether name is one of the resource's boolean *Flag fields.
func (d *resourceDef) isFlag(name string) bool {
	c, ok := d.fieldSet[strings.ToLower(name)]
	return ok && strings.HasSuffix(c, "Flag")
}

// writeKind tells creates, replaces and patches apart.
type writeKind int

const (
	opCreate writeKind = iota
	opPut
	opPatch
)

// write is one create, PUT or PATCH in progress.
type write struct {
	kind writeKind
	def  *resourceDef
	rec  Record // the new state
	old  Record // the stored state (nil on create)
	// touched holds the top-level fields the request set (PATCH paths, POST
	// and PUT body keys).
	touched map[string]bool
	// user is set when the write stands for a UI user, not the API member.
	user bool
	// parent is the opportunity id of a forecast item write.
	parent int
}

func (s *Server) coll(path string) *collection { return s.colls[path] }

func (s *Server) def(path string) *resourceDef {
	if c := s.colls[path]; c != nil {
		return c.def
	}
	return nil
}

// routes registers every route on the mux.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /login/companyinfo/{companyId}", s.companyInfo)
	s.mux.HandleFunc("GET /{codebase}/system/callbackkey/index.rails", s.callbackKey)
	s.mux.HandleFunc(apiPrefix+"{rest...}", s.api("", func(_ http.ResponseWriter, r *http.Request) error {
		if s.knownPath(r.PathValue("rest")) {
			// S5: 405 for a method the resource lacks; the body follows
			// ASP.NET Web API, which the API's error shapes come from (inferred).
			return &httpError{http.StatusMethodNotAllowed, &APIError{Code: "ConnectWiseApi",
				Message: "The requested resource does not support http method '" + r.Method + "'."}}
		}
		return endpointNotFound()
	}))
	for _, d := range s.defs {
		s.registerResource(d)
	}
	s.mux.HandleFunc("GET "+apiPrefix+"system/info", s.api("system/info", s.systemInfo))
	s.opportunityRoutes()
	s.companySubRoutes()
	s.contactSubRoutes()
	s.boardRoutes()
}

// knownPath reports whether rest (the path under apis/3.0) names a resource
// the fake serves, as a collection, /count or a record.
func (s *Server) knownPath(rest string) bool {
	for _, d := range s.defs {
		if d.internal {
			continue
		}
		if rest == d.path {
			return true
		}
		if tail, ok := strings.CutPrefix(rest, d.path+"/"); ok && !strings.Contains(tail, "/") {
			if _, err := strconv.Atoi(tail); err == nil || tail == "count" {
				return true
			}
		}
	}
	return rest == "system/info"
}

func hasSubRoutes(path string) bool {
	return path == "company/companies" || path == "company/contacts" || path == "sales/opportunities" || path == "service/boards"
}

func (s *Server) registerResource(d *resourceDef) {
	if d.internal {
		return
	}
	base := apiPrefix + d.path
	s.mux.HandleFunc("GET "+base, s.api(d.path, func(w http.ResponseWriter, r *http.Request) error { return s.list(w, r, d) }))
	s.mux.HandleFunc("GET "+base+"/count", s.api(d.path, func(w http.ResponseWriter, r *http.Request) error { return s.count(w, r, d) }))
	s.mux.HandleFunc("GET "+base+"/{id}", s.api(d.path, func(w http.ResponseWriter, r *http.Request) error { return s.getOne(w, r, d) }))
	if d.readOnly {
		return
	}
	s.mux.HandleFunc("POST "+base, s.api(d.path, func(w http.ResponseWriter, r *http.Request) error { return s.create(w, r, d) }))
	s.mux.HandleFunc("PUT "+base+"/{id}", s.api(d.path, func(w http.ResponseWriter, r *http.Request) error { return s.replace(w, r, d) }))
	s.mux.HandleFunc("PATCH "+base+"/{id}", s.api(d.path, func(w http.ResponseWriter, r *http.Request) error { return s.patch(w, r, d) }))
	s.mux.HandleFunc("DELETE "+base+"/{id}", s.api(d.path, func(w http.ResponseWriter, r *http.Request) error { return s.remove(w, r, d) }))
}

// pathID reads the {id} path value; a non-numeric id is an unknown endpoint.
func pathID(r *http.Request, name string) (int, error) {
	id, err := strconv.Atoi(r.PathValue(name))
	if err != nil || id <= 0 {
		return 0, endpointNotFound()
	}
	return id, nil
}

// list serves GET {resource}: a bare JSON array, even for one record (payload
// contacts-list-one-with-customfields.json), with Link paging headers.
func (s *Server) list(w http.ResponseWriter, r *http.Request, d *resourceDef) error {
	lq, err := s.parseListQuery(d, r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	page := renderPage(w, r, lq, s.filtered(s.coll(d.path), lq))
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, page)
	return nil
}

// filtered returns the stored records of c matching lq, ordered. The caller
// holds s.mu and must not let the records escape uncopied.
func (s *Server) filtered(c *collection, lq *listQuery) []Record {
	var recs []Record
	all := c.sorted
	if ids, ok := candidateIDs(lq.cond); ok {
		all = func() []Record { return c.candidates(ids) }
	}
	for _, rec := range all() {
		if lq.match(rec) {
			recs = append(recs, rec)
		}
	}
	if !lq.forwardOnly {
		sortRecords(recs, lq.order)
	}
	return recs
}

// renderPage cuts the page, sets the Link header and returns deep copies of
// the page's records, projected on the requested fields. The caller holds s.mu.
func renderPage(w http.ResponseWriter, r *http.Request, lq *listQuery, recs []Record) []Record {
	page := pageOf(w, r, lq, recs)
	out := make([]Record, 0, len(page))
	for _, rec := range page {
		out = append(out, project(cloneRecord(rec), lq.fields))
	}
	return out
}

// count serves GET {resource}/count → {"count": N} with the same filters (§3).
func (s *Server) count(w http.ResponseWriter, r *http.Request, d *resourceDef) error {
	lq, err := s.parseListQuery(d, r)
	if err != nil {
		return err
	}
	s.mu.Lock()
	n := 0
	for _, rec := range s.coll(d.path).recs {
		if lq.match(rec) {
			n++
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]int{"count": n})
	return nil
}

func (s *Server) getOne(w http.ResponseWriter, r *http.Request, d *resourceDef) error {
	var rec Record
	var ok bool
	id, err := pathID(r, "id")
	if err != nil {
		if d.path != "system/members" {
			return err
		}
		// Members are also addressed by identifier (/system/members/{memberIdentifier}, S9).
		s.mu.Lock()
		rec = cloneRecord(s.memberRec(r.PathValue("id")))
		s.mu.Unlock()
		if rec == nil {
			return notFound(d.label, r.PathValue("id"))
		}
		ok = true
	} else {
		s.mu.Lock()
		rec, ok = s.coll(d.path).recs[id]
		rec = cloneRecord(rec)
		s.mu.Unlock()
	}
	if !ok {
		return notFound(d.label, id)
	}
	writeJSON(w, http.StatusOK, project(rec, parseFields(queryParam(r, "fields"))))
	return nil
}

// maxBody bounds request bodies.
const maxBody = 8 << 20

func readJSON(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return badRequest("ConnectWiseApi", "The request body could not be read.")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return badRequest("ConnectWiseApi", "The request is invalid: the body is not valid JSON of the expected shape.")
	}
	return nil
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, d *resourceDef) error {
	return s.serveWrite(w, r, d, 0, opCreate, 0)
}

func (s *Server) replace(w http.ResponseWriter, r *http.Request, d *resourceDef) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.serveWrite(w, r, d, 0, opPut, id)
}

func (s *Server) patch(w http.ResponseWriter, r *http.Request, d *resourceDef) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.serveWrite(w, r, d, 0, opPatch, id)
}

// serveWrite serves one POST (201), PUT or PATCH (200) of a record of d (of
// the child collection of parent when parent is not 0): it reads the body (a
// record, or the bare array of patch operations), applies it and answers the
// stored record.
func (s *Server) serveWrite(w http.ResponseWriter, r *http.Request, d *resourceDef, parent int, kind writeKind, id int) error {
	var body map[string]any
	var ops []PatchOp
	var err error
	if kind == opPatch {
		err = readJSON(r, &ops)
	} else {
		err = readJSON(r, &body)
	}
	if err != nil {
		return err
	}
	if kind == opPatch && parent == 0 && d.udfScreen != "" && !s.opts.AllowPatchWithoutCustomFields && !replacesCustomFields(ops) {
		s.mu.Lock()
		_, exists := s.coll(d.path).recs[id]
		s.mu.Unlock()
		if !exists {
			return notFound(d.label, id)
		}
		// The real error text is not recorded (Options.AllowPatchWithoutCustomFields).
		return invalidObject(d.object, []FieldError{invalidField("customFields",
			"The request must include a /customFields replace operation.")})
	}
	rec, err := s.applyIn(d, parent, kind, id, body, ops, false)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if kind == opCreate {
		status = http.StatusCreated
		if !s.opts.EchoContactCommunicationItems {
			for _, f := range d.createOmits {
				delete(rec, f)
			}
		}
	}
	writeJSON(w, status, rec)
	return nil
}

// replacesCustomFields reports whether ops hold a replace of the whole
// customFields array (the form amp-labs sends, S11).
func replacesCustomFields(ops []PatchOp) bool {
	for _, op := range ops {
		if strings.EqualFold(op.Op, "replace") && strings.EqualFold(strings.Trim(op.Path, "/"), "customFields") {
			return true
		}
	}
	return false
}

func (s *Server) remove(w http.ResponseWriter, r *http.Request, d *resourceDef) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.deleteRecord(d, id, false); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) deleteRecord(d *resourceDef, id int, user bool) error {
	s.mu.Lock()
	c := s.coll(d.path)
	rec, ok := c.recs[id]
	if ok && d.softDelete && !s.opts.HardDeleteCompanies {
		if rec["deletedFlag"] == true {
			s.mu.Unlock()
			return notFound(d.label, id)
		}
		now, member := stamp(s.now()), s.member(user)
		rec["deletedFlag"], rec["dateDeleted"], rec["deletedBy"] = true, now, member
		in := info(rec)
		in["lastUpdated"], in["updatedBy"] = now, member
	} else if ok {
		delete(c.recs, id)
		if d.path == "sales/opportunities" {
			delete(s.forecast, id)
		}
		if d.path == udfPath {
			s.resyncUDFs()
		}
	}
	s.mu.Unlock()
	if !ok {
		return notFound(d.label, id)
	}
	s.notify(d, "deleted", id, nil, user)
	return nil
}

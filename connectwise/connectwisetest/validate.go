package connectwisetest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// apply runs one create (id 0), PUT or PATCH through normalisation,
// validation, _info stamping and storage, then notifies callbacks. user marks
// writes made as the UI user rather than the API member.
func (s *Server) apply(d *resourceDef, kind writeKind, id int, body map[string]any, ops []PatchOp, user bool) (Record, error) {
	return s.applyIn(d, 0, kind, id, body, ops, user)
}

// applyIn is apply for a child collection (forecast items of opportunity
// parent); parent 0 means the resource's own collection.
func (s *Server) applyIn(d *resourceDef, parent int, kind writeKind, id int, body map[string]any, ops []PatchOp, user bool) (Record, error) {
	s.mu.Lock()
	c := s.coll(d.path)
	if parent != 0 {
		var err error
		if c, err = s.forecastColl(parent); err != nil {
			s.mu.Unlock()
			return nil, err
		}
	}
	w := &write{kind: kind, def: d, touched: map[string]bool{}, user: user, parent: parent}
	if kind != opCreate {
		old, ok := c.recs[id]
		if !ok {
			s.mu.Unlock()
			return nil, notFound(d.label, id)
		}
		w.old = old
	}
	switch kind {
	case opCreate, opPut:
		w.rec = Record{}
		for k, v := range body {
			canon, ok := d.fieldSet[strings.ToLower(k)]
			if !ok || canon == "id" || canon == "_info" {
				continue // the API ignores unknown and read-only members
			}
			w.rec[canon] = cloneValue(v)
			w.touched[canon] = true
		}
		if kind == opPut {
			w.rec["id"] = float64(id)
			w.rec["_info"] = cloneValue(w.old["_info"])
			// Server-maintained fields survive a PUT that does not send them.
			for _, f := range serverFields {
				if _, sent := w.rec[f]; !sent {
					if v, ok := w.old[f]; ok {
						w.rec[f] = cloneValue(v)
					}
				}
			}
		}
	case opPatch:
		w.rec = cloneRecord(w.old)
		if err := applyPatch(w, ops); err != nil {
			s.mu.Unlock()
			return nil, err
		}
	}
	if errs := s.validate(w); len(errs) > 0 {
		s.mu.Unlock()
		return nil, invalidObject(d.object, errs)
	}
	member := s.opts.MemberIdentifier
	if user {
		member = s.opts.UserIdentifier
	}
	now := stamp(s.now())
	in := info(w.rec)
	if kind == opCreate {
		in["dateEntered"], in["enteredBy"] = now, member
		delete(w.rec, "id")
		id = c.put(w.rec)
	} else {
		c.recs[id] = w.rec
	}
	in["lastUpdated"], in["updatedBy"] = now, member
	s.addHrefs(d, w.rec)
	if d.path == udfPath {
		s.resyncUDFs()
	}
	out := cloneRecord(w.rec)
	s.mu.Unlock()
	if parent != 0 {
		return out, nil
	}
	action := "updated"
	if kind == opCreate {
		action = "added"
	}
	s.notify(d, action, id, out, user)
	return out, nil
}

// serverFields are kept from the stored record on PUT when the body omits them.
var serverFields = []string{"mobileGuid", "deletedFlag", "dateDeleted", "deletedBy", "connectWiseID",
	"dateCreated", "closedDate", "closedBy", "defaultPhoneType", "defaultPhoneNbr", "memberId"}

// validate normalises w.rec and returns every validation failure. The caller
// holds s.mu.
func (s *Server) validate(w *write) []FieldError {
	d := w.def
	var errs []FieldError
	for field, target := range d.refs {
		v, ok := w.rec[field]
		if !ok || v == nil || !w.touched[field] {
			continue
		}
		ref, fe := s.resolveRef(field, target, v)
		if fe != nil {
			errs = append(errs, *fe)
			continue
		}
		if ref == nil {
			delete(w.rec, field)
			continue
		}
		w.rec[field] = ref
	}
	for f := range w.touched {
		if d.isFlag(f) {
			// *Flag fields are booleans. The API deserialises with Json.NET (its
			// error shapes are ASP.NET's, see routes), which reads true/false
			// strings and numbers as booleans and refuses other text (inferred:
			// no recorded answer); the record stores and returns a JSON boolean.
			switch v := w.rec[f].(type) {
			case float64:
				w.rec[f] = v != 0
			case string:
				switch strings.ToLower(strings.TrimSpace(v)) {
				case "true":
					w.rec[f] = true
				case "false":
					w.rec[f] = false
				default:
					errs = append(errs, invalidField(f, fmt.Sprintf("The field %s must be true or false.", f)))
				}
			case bool, nil:
			default:
				errs = append(errs, invalidField(f, fmt.Sprintf("The field %s must be true or false.", f)))
			}
			continue
		}
		// Date-times are ISO 8601 ("yyyy-MM-ddTHH:mm:ssZ", connectwise-api.md §10);
		// a bare date is midnight UTC (§10, S20). Anything else cannot be read
		// (the real message is not recorded), and stored values come back in
		// the API's own form.
		if !d.isDate(f) || isBlank(w.rec[f]) {
			continue
		}
		sv, ok := w.rec[f].(string)
		t, parsed := parseDateTime(sv)
		if !ok || !parsed {
			errs = append(errs, invalidField(f, fmt.Sprintf("The field %s must be a date-time such as 2026-01-31T00:00:00Z.", f)))
			continue
		}
		w.rec[f] = stamp(t)
	}
	for _, f := range d.required {
		if isBlank(w.rec[f]) {
			errs = append(errs, missingField(f))
		}
	}
	for f, n := range d.maxLen {
		if fv, ok := w.rec[f].(float64); ok {
			// String fields take numbers as Json.NET does ("13" works for ids the
			// other way round, payload contact-create-request.json).
			w.rec[f] = strconv.FormatFloat(fv, 'f', -1, 64)
		}
		if sv, ok := w.rec[f].(string); ok && utf8.RuneCountInString(sv) > n {
			errs = append(errs, tooLong(f, n))
		}
	}
	if d.udfScreen != "" {
		errs = append(errs, s.applyCustomFields(w)...)
	}
	if d.prepare != nil {
		errs = append(errs, d.prepare(s, w)...)
	}
	return errs
}

func isBlank(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(t) == ""
	case map[string]any:
		return len(t) == 0
	}
	return false
}

// resolveRef turns a reference as sent ({"id": 5}, {"id": "5"},
// {"identifier": "Acme"}, {"name": "Active"}, connectwise-api.md §5) into the
// summary the API stores and returns, or the nested NotFound error with a
// slash field path (payload error-400-invalidobject-reference-notfound.json).
// A reference without any key resolves to nil (field dropped).
func (s *Server) resolveRef(field, target string, v any) (Record, *FieldError) {
	td := s.def(target)
	m := obj(v)
	if m == nil {
		fe := invalidField(field, fmt.Sprintf("The field %s must be a reference object such as {\"id\": 1}.", field))
		return nil, &fe
	}
	rec, key, found := s.findRef(target, m)
	if key == nil {
		return nil, nil
	}
	if !found {
		fe := refNotFound(field, td.label, key)
		return nil, &fe
	}
	sum := summarize(td, rec)
	in := info(sum)
	in[hrefName(field)] = s.href(target, rec)
	return sum, nil
}

// findRef looks a reference up by id, identifier or name. The caller holds s.mu.
func (s *Server) findRef(target string, m map[string]any) (Record, any, bool) {
	c := s.coll(target)
	if raw, ok := m["id"]; ok && raw != nil {
		id, ok := intOf(raw)
		if !ok {
			return nil, raw, false
		}
		if id == 0 {
			// {"id": 0} is how some clients send "no reference".
			return nil, nil, false
		}
		rec, found := c.recs[id]
		return rec, id, found
	}
	for _, k := range []string{"identifier", "name"} {
		want, ok := m[k].(string)
		if !ok || want == "" {
			continue
		}
		for _, rec := range c.sorted() {
			if strings.EqualFold(str(rec[k]), want) {
				return rec, want, true
			}
		}
		return nil, want, false
	}
	return nil, nil, false
}

func summarize(d *resourceDef, rec Record) Record {
	if d.summary != nil {
		return d.summary(rec)
	}
	return Record{"id": rec["id"], "name": rec["name"]}
}

func hrefName(field string) string {
	switch field {
	case "primarySalesRep", "secondarySalesRep", "owner", "member", "closedBy":
		return "member_href"
	}
	return field + "_href"
}

// href is the record's URL in the form record bodies use:
// "https://host/v2025_1//apis/3.0/company/companies/250" (§1, payload hrefs).
func (s *Server) href(path string, rec Record) string {
	id, _ := intOf(rec["id"])
	return s.URL() + "/" + s.opts.Codebase + "/apis/3.0/" + path + "/" + strconv.Itoa(id)
}

// addHrefs sets the record's own links in _info. The caller holds s.mu.
func (s *Server) addHrefs(d *resourceDef, rec Record) {
	id, _ := intOf(rec["id"])
	base := s.URL() + "/" + s.opts.Codebase + "/apis/3.0/"
	in := info(rec)
	switch d.path {
	case "company/companies":
		in["contacts_href"] = fmt.Sprintf("%scompany/contacts?conditions=company/id=%d", base, id)
		in["opportunities_href"] = fmt.Sprintf("%ssales/opportunities?conditions=company/id=%d", base, id)
		in["tickets_href"] = fmt.Sprintf("%sservice/tickets?conditions=company/id=%d", base, id)
	case "company/contacts":
		in["communications_href"] = fmt.Sprintf("%scompany/contacts/%d/communications", base, id)
		in["opportunities_href"] = fmt.Sprintf("%ssales/opportunities?conditions=contact/id=%d", base, id)
		in["tickets_href"] = fmt.Sprintf("%sservice/tickets?conditions=contact/id=%d", base, id)
	case "sales/opportunities":
		in["forecast_href"] = fmt.Sprintf("%ssales/opportunities/%d/forecast", base, id)
	}
}

// checkRange reports an OutOfRange error when a present numeric field lies
// outside [lo, hi] (company yearEstablished/revenueYear: "must be between 1900
// and 9999", S20). Company PATCH re-validates the whole stored record, so an
// untouched legacy value fails an unrelated patch (§5).
func checkRange(rec Record, field string, lo, hi int) []FieldError {
	v, ok := rec[field]
	if !ok || v == nil {
		return nil
	}
	n, ok := intOf(v)
	if !ok || n < lo || n > hi {
		return []FieldError{outOfRange(field, lo, hi)}
	}
	return nil
}

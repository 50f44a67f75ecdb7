package connectwisetest

import (
	"net/http"
	"strconv"
)

// contactSubRoutes serves /company/contacts/{id}/communications[/count|/{itemId}]
// (per-item CRUD, connectwise-api.md §5, S9) and
// /company/contacts/{id}/typeAssociations (see typeAssoc). Communication writes
// go through the contact's communicationItems, so defaults stay one per
// communicationType and the contact's _info and callbacks are maintained.
func (s *Server) contactSubRoutes() {
	const res = "company/contacts"
	d := s.def(res)
	base := apiPrefix + res + "/{id}/{sub}"
	contact := func(r *http.Request) (int, Record, error) {
		if r.PathValue("sub") != "communications" {
			return 0, nil, endpointNotFound()
		}
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		rec, ok := s.Get(Contacts, id)
		if !ok {
			return 0, nil, notFound("Contact", id)
		}
		return id, rec, nil
	}
	index := func(rec Record, r *http.Request) (int, int, error) {
		iid, err := pathID(r, "subid")
		if err != nil {
			return 0, 0, err
		}
		for i, it := range asSlice(rec["communicationItems"]) {
			if mustInt(obj(it)["id"]) == iid {
				return i, iid, nil
			}
		}
		return 0, iid, notFound("Contact Communication", iid)
	}
	s.mux.HandleFunc("GET "+base, s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		if r.PathValue("sub") == "typeAssociations" {
			return s.listTypeAssocs(contactTypeAssoc, w, r)
		}
		_, rec, err := contact(r)
		if err != nil {
			return err
		}
		its := asSlice(rec["communicationItems"])
		if its == nil {
			its = []any{}
		}
		writeJSON(w, http.StatusOK, its)
		return nil
	}))
	s.mux.HandleFunc("GET "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		_, rec, err := contact(r)
		if err != nil {
			return err
		}
		if r.PathValue("subid") == "count" {
			writeJSON(w, http.StatusOK, map[string]int{"count": len(asSlice(rec["communicationItems"]))})
			return nil
		}
		i, _, err := index(rec, r)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, asSlice(rec["communicationItems"])[i])
		return nil
	}))
	s.mux.HandleFunc("POST "+base, s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		if r.PathValue("sub") == "typeAssociations" {
			return s.addTypeAssoc(contactTypeAssoc, w, r)
		}
		id, _, err := contact(r)
		if err != nil {
			return err
		}
		var item map[string]any
		if err := readJSON(r, &item); err != nil {
			return err
		}
		delete(item, "id")
		out, err := s.apply(d, opPatch, id, nil, []PatchOp{{Op: "add", Path: "communicationItems/-", Value: item}}, false)
		if err != nil {
			return err
		}
		its := asSlice(out["communicationItems"])
		writeJSON(w, http.StatusCreated, its[len(its)-1])
		return nil
	}))
	s.mux.HandleFunc("PUT "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		id, rec, err := contact(r)
		if err != nil {
			return err
		}
		i, iid, err := index(rec, r)
		if err != nil {
			return err
		}
		var item map[string]any
		if err := readJSON(r, &item); err != nil {
			return err
		}
		item["id"] = float64(iid)
		out, err := s.apply(d, opPatch, id, nil, []PatchOp{{Op: "replace", Path: "communicationItems/" + strconv.Itoa(i), Value: item}}, false)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, asSlice(out["communicationItems"])[i])
		return nil
	}))
	s.mux.HandleFunc("DELETE "+base+"/{subid}", s.api(res, func(w http.ResponseWriter, r *http.Request) error {
		if r.PathValue("sub") == "typeAssociations" {
			return s.removeTypeAssoc(contactTypeAssoc, w, r)
		}
		id, rec, err := contact(r)
		if err != nil {
			return err
		}
		i, _, err := index(rec, r)
		if err != nil {
			return err
		}
		if _, err := s.apply(d, opPatch, id, nil, []PatchOp{{Op: "remove", Path: "communicationItems/" + strconv.Itoa(i)}}, false); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}))
}

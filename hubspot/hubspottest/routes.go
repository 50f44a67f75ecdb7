package hubspottest

import (
	"net/http"
	"strings"
	"time"
)

// routeKind selects the middleware of a route.
type routeKind int

const (
	kindCRM    routeKind = iota // bearer auth, ten-secondly + daily limits, headers
	kindSearch                  // bearer auth, search per-second limit, no headers
	kindExempt                  // bearer auth, daily limit only (ten-secondly exempt)
	kindOAuth                   // no bearer auth, no limits
)

// Path families per API area: the legacy paths and the date-based ones
// (hubspot-api.md §0 "Path map from legacy to DBV").
var (
	famObjects    = []string{"/crm/v3/objects/{objectType}", "/crm/objects/{version}/{objectType}"}
	famProperties = []string{"/crm/v3/properties/{objectType}", "/crm/properties/{version}/{objectType}"}
	famAssocBatch = []string{"/crm/v4/associations/{fromType}/{toType}", "/crm/associations/{version}/{fromType}/{toType}"}
	famAssocRec   = []string{"/crm/v4/objects/{fromType}/{id}/associations", "/crm/objects/{version}/{fromType}/{id}/associations"}
	famOwners     = []string{"/crm/v3/owners", "/crm/owners/{version}"}
	famPipelines  = []string{"/crm/v3/pipelines/{objectType}", "/crm/pipelines/{version}/{objectType}"}
	famLists      = []string{"/crm/v3/lists", "/crm/lists/{version}"}
)

// Versions served on date-based paths (hubspot-api.md §0). "v4" is accepted
// on association paths because the legacy labels path is /crm/associations/v4/….
func versionOK(v string, assoc bool) bool {
	return v == "2026-03" || v == "2026-09" || (assoc && v == "v4")
}

// Operation names accepted by [Server.CountOp], [Server.CallsOp] and
// [Server.InjectOp]. Each covers the legacy and the date-based paths.
const (
	OpList            = "objects.list"
	OpCreate          = "objects.create"
	OpGet             = "objects.get"
	OpUpdate          = "objects.update"
	OpArchive         = "objects.archive"
	OpBatchRead       = "objects.batch.read"
	OpBatchCreate     = "objects.batch.create"
	OpBatchUpdate     = "objects.batch.update"
	OpBatchUpsert     = "objects.batch.upsert"
	OpBatchArchive    = "objects.batch.archive"
	OpSearch          = "objects.search"
	OpMerge           = "objects.merge"
	OpGDPRDelete      = "objects.gdpr-delete"
	OpProperties      = "properties"
	OpAssocCreate     = "associations.batch.create"
	OpAssocDefault    = "associations.batch.associate-default"
	OpAssocRead       = "associations.batch.read"
	OpAssocArchive    = "associations.batch.archive"
	OpAssocLabelsArch = "associations.batch.labels-archive"
	OpAssocLabels     = "associations.labels"
	OpAssocRecord     = "associations.record"
	OpOwners          = "owners"
	OpPipelines       = "pipelines"
	OpLists           = "lists"
	OpOAuthToken      = "oauth.token"
)

// handle registers h under every family prefix + suffix for method, as op.
func (s *Server) handle(op string, kind routeKind, method string, families []string, suffix string, h http.HandlerFunc) {
	for _, f := range families {
		p := method + " " + f + suffix
		s.ops[op] = append(s.ops[op], p)
		s.mux.Handle(p, s.wrap(op, kind, strings.Contains(f, "associations"), h))
	}
}

func (s *Server) wrap(op string, kind routeKind, assoc bool, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Every response carries a correlation id, echoed in error bodies.
		w.Header().Set("X-HubSpot-Correlation-Id", newUUID())
		if n := s.opts.MaxURLLength; n > 0 && len(r.URL.RequestURI()) > n {
			// The body of HubSpot's 414 is not recorded; like other errors without
			// a category (error-400-invalid-object-type.json) it has none here.
			writeError(w, http.StatusRequestURITooLong, apiError{Message: "URI Too Long"})
			return
		}
		if v := r.PathValue("version"); v != "" && !versionOK(v, assoc) {
			notFound(w)
			return
		}
		if kind != kindOAuth {
			granted, ok := s.authorize(w, r)
			if !ok || !checkScopes(w, granted, s.requiredScopes(op, r)) {
				return
			}
			// The associations API's own budget covers its batch and record-level
			// endpoints (hubspot-api.md §2 "Associations").
			assocBudget := strings.HasPrefix(op, "associations.") && op != OpAssocLabels
			call := admission{search: kind == kindSearch, exempt: kind == kindExempt, assoc: assocBudget, oauth: s.isOAuthToken(r)}
			if !s.limits.Load().admit(w, call) {
				return
			}
		}
		h(w, r)
	})
}

func notFound(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, apiError{Message: "Resource not found", Category: catNotFound})
}

// Messages of 401 answers. HubSpot's texts (3p transcriptions of its error
// responses); category INVALID_AUTHENTICATION / EXPIRED_AUTHENTICATION
// (hubspot-api.md §3).
const (
	msgNoAuth = "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)

// authorize checks the bearer token: the static token or an unexpired OAuth
// access token, and returns its scopes (nil: all). It answers 401 otherwise and
// never echoes the token.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	auth := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || tok == "" {
		writeError(w, http.StatusUnauthorized, apiError{Message: msgNoAuth, Category: catInvalidAuth})
		return nil, false
	}
	if tok == s.token {
		return s.opts.Scopes, true
	}
	s.mu.Lock()
	exp, known := s.oauth.access[tok]
	s.mu.Unlock()
	switch {
	case !known:
		writeError(w, http.StatusUnauthorized, apiError{Message: msgNoAuth, Category: catInvalidAuth})
		return nil, false
	case !s.now().Before(exp):
		ago := s.now().Sub(exp).Round(time.Minute)
		writeError(w, http.StatusUnauthorized, apiError{
			Message:  "The OAuth token used to make this call expired " + ago.String() + " ago.",
			Category: catExpiredAuth,
		})
		return nil, false
	}
	return s.opts.OAuth.Scopes, true
}

// isOAuthToken reports whether r authenticated with an OAuth access token rather
// than the static token.
func (s *Server) isOAuthToken(r *http.Request) bool {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return tok != s.token
}

// routes registers every endpoint.
func (s *Server) routes() {
	o := famObjects
	s.handle(OpList, kindCRM, "GET", o, "", s.handleList)
	s.handle(OpCreate, kindCRM, "POST", o, "", s.handleCreate)
	s.handle(OpGet, kindCRM, "GET", o, "/{id}", s.handleGet)
	s.handle(OpUpdate, kindCRM, "PATCH", o, "/{id}", s.handleUpdate)
	s.handle(OpArchive, kindCRM, "DELETE", o, "/{id}", s.handleArchive)
	s.handle(OpBatchRead, kindCRM, "POST", o, "/batch/read", s.handleBatchRead)
	s.handle(OpBatchCreate, kindCRM, "POST", o, "/batch/create", s.handleBatchCreate)
	s.handle(OpBatchUpdate, kindCRM, "POST", o, "/batch/update", s.handleBatchUpdate)
	s.handle(OpBatchUpsert, kindCRM, "POST", o, "/batch/upsert", s.handleBatchUpsert)
	s.handle(OpBatchArchive, kindCRM, "POST", o, "/batch/archive", s.handleBatchArchive)
	// Search is exempt from the ten-secondly window and has its own (hubspot-api.md §2).
	s.handle(OpSearch, kindSearch, "POST", o, "/search", s.handleSearch)
	s.handle(OpMerge, kindCRM, "POST", o, "/merge", s.handleMerge)
	s.handle(OpGDPRDelete, kindCRM, "POST", o, "/gdpr-delete", s.handleGDPRDelete)

	p := famProperties
	s.handle(OpProperties, kindCRM, "GET", p, "", s.handlePropertyList)
	s.handle(OpProperties, kindCRM, "POST", p, "", s.handlePropertyCreate)
	s.handle(OpProperties, kindCRM, "GET", p, "/{name}", s.handlePropertyGet)
	s.handle(OpProperties, kindCRM, "PATCH", p, "/{name}", s.handlePropertyUpdate)
	s.handle(OpProperties, kindCRM, "DELETE", p, "/{name}", s.handlePropertyArchive)
	s.handle(OpProperties, kindCRM, "POST", p, "/batch/read", s.handlePropertyBatchRead)
	s.handle(OpProperties, kindCRM, "POST", p, "/batch/create", s.handlePropertyBatchCreate)
	s.handle(OpProperties, kindCRM, "POST", p, "/batch/archive", s.handlePropertyBatchArchive)
	s.handle(OpProperties, kindCRM, "GET", p, "/groups", s.handleGroupList)
	s.handle(OpProperties, kindCRM, "POST", p, "/groups", s.handleGroupCreate)
	s.handle(OpProperties, kindCRM, "GET", p, "/groups/{group}", s.handleGroupGet)
	s.handle(OpProperties, kindCRM, "PATCH", p, "/groups/{group}", s.handleGroupUpdate)
	s.handle(OpProperties, kindCRM, "DELETE", p, "/groups/{group}", s.handleGroupArchive)

	// Association batch endpoints are ten-secondly exempt (spec; hubspot-api.md §2).
	a := famAssocBatch
	s.handle(OpAssocCreate, kindExempt, "POST", a, "/batch/create", s.handleAssocCreate)
	s.handle(OpAssocDefault, kindExempt, "POST", a, "/batch/associate/default", s.handleAssocDefault)
	s.handle(OpAssocRead, kindExempt, "POST", a, "/batch/read", s.handleAssocRead)
	s.handle(OpAssocArchive, kindExempt, "POST", a, "/batch/archive", s.handleAssocArchive)
	s.handle(OpAssocLabelsArch, kindExempt, "POST", a, "/batch/labels/archive", s.handleAssocLabelsArchive)
	s.handle(OpAssocLabels, kindExempt, "GET", a, "/labels", s.handleAssocLabels)
	s.handle(OpAssocRecord, kindCRM, "GET", famAssocRec, "/{toType}", s.handleAssocRecordList)
	s.handle(OpAssocRecord, kindCRM, "PUT", famAssocRec, "/default/{toType}/{toId}", s.handleAssocRecordDefault)
	s.handle(OpAssocRecord, kindCRM, "PUT", famAssocRec, "/{toType}/{toId}", s.handleAssocRecordPut)
	s.handle(OpAssocRecord, kindCRM, "DELETE", famAssocRec, "/{toType}/{toId}", s.handleAssocRecordDelete)

	s.handle(OpOwners, kindCRM, "GET", famOwners, "", s.handleOwnerList)
	s.handle(OpOwners, kindCRM, "GET", famOwners, "/{ownerId}", s.handleOwnerGet)
	s.handle(OpPipelines, kindCRM, "GET", famPipelines, "", s.handlePipelineList)
	s.handle(OpPipelines, kindCRM, "GET", famPipelines, "/{pipelineId}", s.handlePipelineGet)
	s.handle(OpPipelines, kindCRM, "GET", famPipelines, "/{pipelineId}/stages", s.handleStageList)

	l := famLists
	s.handle(OpLists, kindCRM, "POST", l, "", s.handleListCreate)
	s.handle(OpLists, kindCRM, "GET", l, "/{listId}", s.handleListGet)
	s.handle(OpLists, kindCRM, "GET", l, "/records/{objectTypeId}/{recordId}/memberships", s.handleRecordMemberships)
	s.handle(OpLists, kindCRM, "GET", l, "/{listId}/memberships", s.handleMemberships)
	s.handle(OpLists, kindCRM, "PUT", l, "/{listId}/memberships/add", s.handleMembershipsAdd)
	s.handle(OpLists, kindCRM, "PUT", l, "/{listId}/memberships/remove", s.handleMembershipsRemove)
	s.handle(OpLists, kindCRM, "PUT", l, "/{listId}/memberships/add-and-remove", s.handleMembershipsAddRemove)

	for _, v := range []string{"v1", "v3", "2026-03"} {
		s.handle(OpOAuthToken, kindOAuth, "POST", []string{"/oauth/" + v + "/token"}, "", s.handleToken(v))
	}
	s.handle(OpOAuthToken, kindOAuth, "GET", []string{"/oauth/v1/access-tokens/{token}"}, "", s.handleAccessTokenInfo)

	s.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { notFound(w) })
}

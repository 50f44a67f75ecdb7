package connectwisetest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Page sizes: default 25, hard maximum 1000 ("hard limit of 1,000 records for
// the protection of the Partner environments", connectwise-api.md §3, S6).
const (
	DefaultPageSize = 25
	MaxPageSize     = 1000
)

// listQuery is the parsed query of a list or count call (connectwise-api.md §3-§4).
type listQuery struct {
	cond, child, custom Expr
	order               []orderKey
	fields              []string
	page, pageSize      int
	pageID              int
	forwardOnly         bool
	// noLinks: forward-only was asked of an endpoint without support for it.
	noLinks bool
	// hideDeleted leaves soft-deleted records out.
	hideDeleted bool
	// anyChild: each child comparison may hold on a different element
	// (Options.ChildConditionsAnyElement).
	anyChild bool
}

type orderKey struct {
	path string
	desc bool
}

// parseListQuery reads conditions, childConditions, customFieldConditions,
// orderBy, fields, page, pageSize and pageId, and the pagination-type header.
// Parameter names are matched case-insensitively (PowerShell clients send
// "PageSize").
func (s *Server) parseListQuery(def *resourceDef, r *http.Request) (*listQuery, error) {
	q := map[string]string{}
	for k, v := range r.URL.Query() {
		q[strings.ToLower(k)] = v[len(v)-1]
	}
	lq := &listQuery{page: 1, pageSize: DefaultPageSize}
	var err error
	if lq.cond, err = s.parseFor(def, q["conditions"], false); err != nil {
		return nil, err
	}
	if def.softDelete && s.opts.HideDeletedCompanies {
		lq.hideDeleted = true
		for _, c := range fields(lq.cond) {
			if strings.EqualFold(c.Field, "deletedFlag") {
				lq.hideDeleted = false
			}
		}
	}
	if lq.child, err = s.parseFor(def, q["childconditions"], true); err != nil {
		return nil, err
	}
	lq.anyChild = s.opts.ChildConditionsAnyElement
	if c := q["customfieldconditions"]; c != "" {
		e, err := ParseConditions(c)
		if err != nil {
			return nil, condHTTP(err)
		}
		for _, cmp := range fields(e) {
			if !customFieldKeys[strings.ToLower(cmp.Field)] {
				return nil, badRequest("ApiFindCondition", cmp.Field+" is not a recognized name.")
			}
		}
		lq.custom = e
	}
	if o := q["orderby"]; o != "" {
		for _, part := range strings.Split(o, ",") {
			f := strings.Fields(part)
			if len(f) == 0 || len(f) > 2 || (len(f) == 2 && !isOneOf(f[1], "asc", "desc")) {
				return nil, badRequest("ApiFindCondition", fmt.Sprintf("%s is not a valid orderBy clause.", strings.TrimSpace(part)))
			}
			if !def.knows(f[0]) {
				// The answer to an unknown orderBy field is not recorded; the fake
				// gives the one recorded for an unknown conditions name
				// (payload error-400-apifindcondition.json).
				return nil, badRequest("ApiFindCondition", f[0]+" is not a recognized name.")
			}
			lq.order = append(lq.order, orderKey{path: f[0], desc: len(f) == 2 && strings.EqualFold(f[1], "desc")})
		}
	}
	lq.fields = parseFields(q["fields"])
	num := func(name string, dst *int) error {
		v, ok := q[strings.ToLower(name)]
		if !ok || v == "" {
			return nil
		}
		// Not a number or negative: refused. Neither answer is recorded (the
		// message is the fake's own); page=0 and pageSize=0 mean the defaults.
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return badRequest("ConnectWiseApi", fmt.Sprintf("The value '%s' is not valid for %s.", v, name))
		}
		*dst = n
		return nil
	}
	if err := num("page", &lq.page); err != nil {
		return nil, err
	}
	if err := num("pageSize", &lq.pageSize); err != nil {
		return nil, err
	}
	if err := num("pageId", &lq.pageID); err != nil {
		return nil, err
	}
	if lq.page == 0 {
		lq.page = 1
	}
	if lq.pageSize == 0 {
		lq.pageSize = DefaultPageSize
	}
	// The body of this refusal is not recorded in the reference; the limit is.
	if lq.pageSize > MaxPageSize {
		return nil, badRequest("ConnectWiseApi", fmt.Sprintf("The pageSize %d exceeds the maximum of %d records per page.", lq.pageSize, MaxPageSize))
	}
	// An endpoint without forward-only support answers the first page with no
	// Link header at all: that is how christaylorcodes detects it ("Endpoint
	// doesn't support 'forward-only' pagination", connectwise-api.md §3, S13).
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("pagination-type")), "forward-only") {
		lq.forwardOnly = def.forwardOnly
		lq.noLinks = !def.forwardOnly
	}
	return lq, nil
}

// customFieldKeys are the keys of a customFields entry (connectwise-api.md §7).
var customFieldKeys = map[string]bool{"id": true, "caption": true, "type": true, "entrymethod": true,
	"numberofdecimals": true, "value": true, "connectwiseid": true, "rownum": true,
	"userdefinedfieldrecid": true, "podid": true}

// parseFor parses a conditions string and checks its field names against def.
func (s *Server) parseFor(def *resourceDef, src string, child bool) (Expr, error) {
	e, err := ParseConditions(src)
	if err != nil {
		return nil, condHTTP(err)
	}
	for _, c := range fields(e) {
		top, _, _ := strings.Cut(c.Field, "/")
		if !def.knows(top) || (child && !def.isArray(top)) {
			return nil, badRequest("ApiFindCondition", top+" is not a recognized name.")
		}
		if !child && def.isArray(top) && !s.opts.AllowArrayConditions {
			// Arrays (communicationItems, types, customFields) are searched through
			// childConditions and customFieldConditions (connectwise-api.md §4, S24);
			// the answer to an array path in conditions is not recorded, so the
			// fake refuses it in the form of an unknown name
			// (Options.AllowArrayConditions).
			return nil, badRequest("ApiFindCondition", c.Field+" is not a recognized name.")
		}
		if strings.Contains(c.Field, "/") || c.Op == "like" || c.Op == "contains" {
			continue
		}
		want := LiteralKind(0)
		switch {
		case def.isFlag(top):
			want = BoolLit
		case def.isDate(top):
			want = DateTimeLit
		}
		for _, l := range append([]Literal{c.Value}, c.Values...) {
			if want != 0 && l.Kind != 0 && l.Kind != want && l.Kind != NullLit {
				// The recorded form is "Expected a boolean value, not a numeric."
				// (S12); the datetime variant follows it by analogy.
				return nil, badRequest("ApiFindCondition", "Expected a "+kindName(want)+" value, not a "+kindName(l.Kind)+". "+LiteralRules)
			}
		}
	}
	return e, nil
}

func kindName(k LiteralKind) string {
	switch k {
	case StringLit:
		return "string"
	case NumberLit:
		return "numeric"
	case DateTimeLit:
		return "datetime"
	case BoolLit:
		return "boolean"
	}
	return "value"
}

func condHTTP(err error) error {
	if ce, ok := err.(*ConditionError); ok {
		return badRequest(ce.Code, ce.Message)
	}
	return err
}

// match applies the three condition kinds.
func (lq *listQuery) match(rec Record) bool {
	if lq.hideDeleted && rec["deletedFlag"] == true {
		return false
	}
	child := EvalChild(lq.child, rec)
	if lq.anyChild {
		child = lq.child == nil || Eval(lq.child, rec)
	}
	return Eval(lq.cond, rec) && child && EvalCustomFields(lq.custom, rec)
}

// sortRecords orders recs by the orderBy keys, then by id.
func sortRecords(recs []Record, keys []orderKey) {
	slices.SortStableFunc(recs, func(a, b Record) int {
		for _, k := range keys {
			c := cmpValues(first(resolve(a, k.path)), first(resolve(b, k.path)))
			if k.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		ia, _ := intOf(a["id"])
		ib, _ := intOf(b["id"])
		return ia - ib
	})
}

func first(v []any) any {
	if len(v) == 0 {
		return nil
	}
	return v[0]
}

func cmpValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	if fa, ok := a.(float64); ok {
		if fb, ok := b.(float64); ok {
			return cmpFloat(fa, fb)
		}
	}
	if ba, ok := a.(bool); ok {
		if bb, ok := b.(bool); ok {
			return cmpBool(ba, bb)
		}
	}
	sa, _ := asText(a)
	sb, _ := asText(b)
	return strings.Compare(strings.ToLower(sa), strings.ToLower(sb))
}

// queryParam returns the last value of a query parameter, its name matched
// case-insensitively as in [Server.parseListQuery].
func queryParam(r *http.Request, name string) string {
	v := ""
	for k, vs := range r.URL.Query() {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			v = vs[len(vs)-1]
		}
	}
	return v
}

// parseFields splits the fields parameter ("id, name,status/id") into paths;
// list and get-by-id calls read it the same way.
func parseFields(f string) []string {
	var out []string
	for _, p := range strings.Split(f, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// project keeps only the requested field paths (fields=id,name,status/id).
func project(rec Record, paths []string) Record {
	if len(paths) == 0 {
		return rec
	}
	out := Record{}
	for _, p := range paths {
		copyPath(rec, out, strings.Split(p, "/"))
	}
	return out
}

func copyPath(src, dst map[string]any, segs []string) {
	k, ok := lookupKey(src, segs[0])
	if !ok {
		return
	}
	if len(segs) == 1 {
		dst[k] = src[k]
		return
	}
	if arr, ok := src[k].([]any); ok {
		// fields=communicationItems/value projects every element.
		out, _ := dst[k].([]any)
		if out == nil {
			out = make([]any, len(arr))
			for i := range out {
				out[i] = map[string]any{}
			}
			dst[k] = out
		}
		for i, e := range arr {
			if m := obj(e); m != nil {
				copyPath(m, out[i].(map[string]any), segs[1:])
			}
		}
		return
	}
	sub := obj(src[k])
	if sub == nil {
		return
	}
	d := obj(dst[k])
	if d == nil {
		d = map[string]any{}
		dst[k] = d
	}
	copyPath(sub, d, segs[1:])
}

// linkURL returns the request URL with page (or pageId) set to n, keeping
// every other parameter as sent, in the Link form
// <https://HOST/v4_6_release/apis/3.0/company/companies?pageSize=1000&page=2>
// (connectwise-api.md §3, S16).
func linkURL(r *http.Request, param string, n int) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	var keep []string
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if kv == "" || strings.EqualFold(k, "page") || strings.EqualFold(k, "pageId") {
			continue
		}
		keep = append(keep, kv)
	}
	keep = append(keep, param+"="+strconv.Itoa(n))
	u := url.URL{Scheme: scheme, Host: r.Host, Path: r.URL.Path, RawQuery: strings.Join(keep, "&")}
	return u.String()
}

// pageOf cuts one page out of the filtered, ordered records and sets the Link
// header: first/prev when not on the first page, next/last when not on the
// last one; forward-only pages carry only rel="next" with pageId = last id of
// the page, and only while records remain (S16, S13).
func pageOf(w http.ResponseWriter, r *http.Request, lq *listQuery, recs []Record) []Record {
	var links []string
	var out []Record
	if lq.forwardOnly {
		i := 0
		for i < len(recs) {
			id, _ := intOf(recs[i]["id"])
			if id > lq.pageID {
				break
			}
			i++
		}
		rest := recs[i:]
		out = rest[:min(lq.pageSize, len(rest))]
		// A full page always links to the next one, even when nothing is
		// left: forward-only paging has no total, so the last page may be
		// empty. (Inferred; no captured forward-only headers exist, SOURCES.md.)
		if len(out) == lq.pageSize && len(out) > 0 {
			last, _ := intOf(out[len(out)-1]["id"])
			links = append(links, fmt.Sprintf(`<%s>; rel="next"`, linkURL(r, "pageId", last)))
		}
	} else {
		pages := (len(recs) + lq.pageSize - 1) / lq.pageSize
		start := (lq.page - 1) * lq.pageSize
		if start < len(recs) {
			out = recs[start:min(start+lq.pageSize, len(recs))]
		}
		if lq.page > 1 && pages > 0 {
			links = append(links,
				fmt.Sprintf(`<%s>; rel="first"`, linkURL(r, "page", 1)),
				fmt.Sprintf(`<%s>; rel="prev"`, linkURL(r, "page", min(lq.page-1, pages))))
		}
		if lq.page < pages {
			links = append(links,
				fmt.Sprintf(`<%s>; rel="next"`, linkURL(r, "page", lq.page+1)),
				fmt.Sprintf(`<%s>; rel="last"`, linkURL(r, "page", pages)))
		}
	}
	if len(links) > 0 && !lq.noLinks {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	return out
}

package connectwisetest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// callbackLevels are the levels accepted per callback type. Company, activity
// and agreement come from the official table (connectwise-api.md §9, S7); the
// contact/opportunity/ticket lists were cut off in the mirror: owner is
// observed (S11), the record level and company are assumed.
var callbackLevels = map[string][]string{
	"company":       {"owner", "status", "type", "territory", "company", "integratortag"},
	"activity":      {"owner", "status", "type", "company", "activity"},
	"agreement":     {"owner", "type", "company", "agreement"},
	"contact":       {"owner", "company", "contact"},
	"opportunity":   {"owner", "company", "opportunity"},
	"ticket":        {"owner", "board", "status", "company", "ticket"},
	"configuration": {"owner", "company", "configuration"},
	"project":       {"owner", "company", "project"},
}

func callbacksDef() *resourceDef {
	return &resourceDef{
		path: "system/callbacks", object: "callbackEntry", label: "Callback Entry", firstID: 26559,
		fieldList: `description url objectId type level memberId payloadVersion inactiveFlag
isSoapCallbackFlag isSelfSuppressedFlag connectWiseID`,
		// url, objectId, type, level are "Required Reference"; description max 100 (§9, S9, S10).
		required: []string{"url", "type", "level"},
		maxLen:   map[string]int{"description": 100},
		summary:  func(r Record) Record { return Record{"id": r["id"], "url": r["url"]} },
		prepare:  prepareCallback,
	}
}

// prepareCallback validates a registration like the recorded errors: invalid
// url → InvalidField "Invalid URL"; level not valid for the type →
// InvalidObject "Unrecognized level for type, ..."; the same registration twice
// → ObjectExists "A matching callback entry already exists" on objectId
// (payloads callback-create-error-400-*.json). The server fills objectId (1 for
// owner level when 0 is sent), memberId, isSoapCallbackFlag and connectWiseID
// (payload callback-create-response.json). The caller holds s.mu.
func prepareCallback(s *Server, w *write) []FieldError {
	var errs []FieldError
	if raw := str(w.rec["url"]); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, invalidField("url", "Invalid URL"))
		}
	}
	typ := strings.ToLower(str(w.rec["type"]))
	lvl := strings.ToLower(str(w.rec["level"]))
	if typ != "" && lvl != "" {
		ok := false
		for _, l := range callbackLevels[typ] {
			ok = ok || l == lvl
		}
		if !ok {
			errs = append(errs, FieldError{Code: "InvalidObject",
				Message: "Unrecognized level for type, see documentation for supported levels for each type", Field: "level"})
		}
		w.rec["type"], w.rec["level"] = typ, lvl
	}
	if n, _ := intOf(w.rec["objectId"]); n == 0 && lvl == "owner" {
		w.rec["objectId"] = float64(1)
	}
	if w.kind == opCreate {
		w.rec["connectWiseID"] = newGUID()
		if m := s.memberRec(s.opts.MemberIdentifier); m != nil {
			w.rec["memberId"] = m["id"]
		}
	}
	setDefaults(w.rec, map[string]any{"inactiveFlag": false, "isSoapCallbackFlag": false,
		"isSelfSuppressedFlag": false, "payloadVersion": "3.0.0", "objectId": float64(0)})
	myID, _ := intOf(w.rec["id"])
	for id, o := range s.coll("system/callbacks").recs {
		if id != myID && strings.EqualFold(str(o["url"]), str(w.rec["url"])) && str(o["type"]) == typ &&
			str(o["level"]) == lvl && mustInt(o["objectId"]) == mustInt(w.rec["objectId"]) {
			errs = append(errs, FieldError{Code: "ObjectExists", Message: "A matching callback entry already exists", Field: "objectId"})
			break
		}
	}
	return errs
}

// memberRec finds a member by identifier. The caller holds s.mu.
func (s *Server) memberRec(ident string) Record {
	for _, m := range s.coll("system/members").recs {
		if strings.EqualFold(str(m["identifier"]), ident) {
			return m
		}
	}
	return nil
}

// Delivery is one callback POST the fake made.
type Delivery struct {
	CallbackID int
	URL        string // the registered url with the record id appended
	Action     string // added, updated, deleted
	Type       string // company, contact, opportunity, ticket
	ID         int
	Body       []byte // the raw body that was signed
	Signature  string // x-content-signature
	Status     int    // the receiver's status; 0 when the POST failed
	Err        error
}

type callbackState struct {
	mu      sync.Mutex
	keys    map[string]string // key id -> signing key
	keyID   string
	queue   []func() Delivery
	running bool
	log     []Delivery
	wg      sync.WaitGroup
}

func newCallbackState(key string) *callbackState {
	cs := &callbackState{keys: map[string]string{}}
	cs.rotate(key)
	return cs
}

func (cs *callbackState) rotate(key string) {
	if key == "" {
		key = randomHex(32)
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.keyID = newGUID()
	cs.keys[cs.keyID] = key
}

func (cs *callbackState) wait() { cs.wg.Wait() }

func (cs *callbackState) enqueue(f func() Delivery) {
	cs.wg.Add(1)
	cs.mu.Lock()
	cs.queue = append(cs.queue, f)
	start := !cs.running
	cs.running = true
	cs.mu.Unlock()
	if start {
		go cs.drain()
	}
}

// drain delivers queued callbacks one at a time, in order.
func (cs *callbackState) drain() {
	for {
		cs.mu.Lock()
		if len(cs.queue) == 0 {
			cs.running = false
			cs.mu.Unlock()
			return
		}
		f := cs.queue[0]
		cs.queue = cs.queue[1:]
		cs.mu.Unlock()
		d := f()
		cs.mu.Lock()
		cs.log = append(cs.log, d)
		cs.mu.Unlock()
		cs.wg.Done()
	}
}

// SigningKey returns the current callback signing key, the value served at
// the key URL.
func (s *Server) SigningKey() string {
	s.cb.mu.Lock()
	defer s.cb.mu.Unlock()
	return s.cb.keys[s.cb.keyID]
}

// RotateSigningKey switches to a new signing key and key URL; earlier key
// URLs keep answering with their own keys ("these URLs change", §9).
func (s *Server) RotateSigningKey(key string) { s.cb.rotate(key) }

// KeyURL returns the current key URL in the recorded form, with the double
// slash after the codebase: {origin}/v2025_1//system/callbackkey/index.rails?companyName=..&id=..
// (payload callback-payload-contact-updated.json).
func (s *Server) KeyURL() string {
	s.cb.mu.Lock()
	id := s.cb.keyID
	s.cb.mu.Unlock()
	return s.URL() + "/" + s.opts.Codebase + "/system/callbackkey/index.rails?companyName=" +
		url.QueryEscape(s.opts.CompanyID) + "&id=" + id
}

// Sign returns the x-content-signature of body under the current key:
// base64(HMAC-SHA256(key = SHA256(signing_key), body)) (§9, S12, S14).
func (s *Server) Sign(body []byte) string { return signBody(s.SigningKey(), body) }

func signBody(key string, body []byte) string {
	k := sha256.Sum256([]byte(key))
	m := hmac.New(sha256.New, k[:])
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// callbackKey serves the key URL without authentication: {"signing_key": "..."}.
func (s *Server) callbackKey(w http.ResponseWriter, r *http.Request) {
	if !s.knownCodebase(r.PathValue("codebase")) {
		http.Error(w, cannotRoute, http.StatusBadRequest)
		return
	}
	s.cb.mu.Lock()
	key, ok := s.cb.keys[r.URL.Query().Get("id")]
	s.cb.mu.Unlock()
	if !ok || !strings.EqualFold(r.URL.Query().Get("companyName"), s.opts.CompanyID) {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"signing_key": key})
}

// Deliveries returns the callback deliveries made so far, oldest first. Call
// [Server.WaitCallbacks] first to include the ones in flight.
func (s *Server) Deliveries() []Delivery {
	s.cb.mu.Lock()
	defer s.cb.mu.Unlock()
	return append([]Delivery(nil), s.cb.log...)
}

// WaitCallbacks blocks until every queued callback has been delivered.
func (s *Server) WaitCallbacks() { s.cb.wait() }

// notify queues a delivery to every active callback registered for the
// record's type and level. API writes are skipped for callbacks with
// isSelfSuppressedFlag (the registering member's own changes, §9).
func (s *Server) notify(d *resourceDef, action string, id int, rec Record, user bool) {
	if d == nil || d.callbackType == "" {
		return
	}
	s.mu.Lock()
	var targets []Record
	for _, cb := range s.coll("system/callbacks").sorted() {
		if cb["inactiveFlag"] == true || str(cb["type"]) != d.callbackType {
			continue
		}
		if cb["isSelfSuppressedFlag"] == true && !user {
			continue
		}
		if !levelMatches(cb, d.callbackType, id, rec) {
			continue
		}
		targets = append(targets, cloneRecord(cb))
	}
	s.mu.Unlock()
	for _, cb := range targets {
		s.enqueueDelivery(cb, d.callbackType, action, id, rec, s.member(user))
	}
}

func levelMatches(cb Record, typ string, id int, rec Record) bool {
	obj1 := mustInt(cb["objectId"])
	switch str(cb["level"]) {
	case "owner":
		return true
	case typ:
		return obj1 == id
	case "company":
		if typ == "company" {
			return obj1 == id
		}
		return rec != nil && mustInt(obj(rec["company"])["id"]) == obj1
	case "status":
		return rec != nil && mustInt(obj(rec["status"])["id"]) == obj1
	case "board":
		return rec != nil && mustInt(obj(rec["board"])["id"]) == obj1
	case "territory":
		return rec != nil && mustInt(obj(rec["territory"])["id"]) == obj1
	case "type":
		for _, t := range asSlice(rec["types"]) {
			if mustInt(obj(t)["id"]) == obj1 {
				return true
			}
		}
	}
	return false
}

// enqueueDelivery builds the PascalCase envelope (payload
// callback-payload-contact-*.json): Entity is the record as an escaped JSON
// string, null on delete. The recorded contact Entity is a summary: next to
// what a GET returns it lacks every array (communicationItems, customFields,
// and types, which GET always sends, "types": [] included) and
// ignoreDuplicates, so the fake leaves those out. ConnectWise appends the
// record id to the registered url as a raw string (§9, amp-labs
// subscriber/create.go).
func (s *Server) enqueueDelivery(cb Record, typ, action string, id int, rec Record, member string) {
	var entity any
	if rec != nil {
		e := cloneRecord(rec)
		for k, v := range e {
			if _, isArray := v.([]any); isArray || k == "ignoreDuplicates" {
				delete(e, k)
			}
		}
		b, _ := marshal(e)
		entity = string(b)
	}
	u, _ := url.Parse(s.URL())
	env := map[string]any{
		"Action": action, "CallbackObjectRecId": cb["id"], "CompanyId": s.opts.CompanyID,
		"Entity": entity, "FromUrl": u.Host, "ID": id, "MemberId": member, "MessageId": newGUID(),
		"Metadata": map[string]any{"key_url": s.KeyURL()}, "PartnerId": "", "ProductInstanceId": "", "Type": typ,
	}
	body, _ := marshal(env)
	sig := s.Sign(body)
	target := str(cb["url"]) + strconv.Itoa(id)
	client := s.opts.CallbackClient
	s.cb.enqueue(func() Delivery {
		d := Delivery{CallbackID: mustInt(cb["id"]), URL: target, Action: action, Type: typ, ID: id, Body: body, Signature: sig}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, target, bytes.NewReader(body))
		if err != nil {
			d.Err = err
			return d
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-content-signature", sig)
		resp, err := client.Do(req)
		if err != nil {
			d.Err = fmt.Errorf("connectwisetest: deliver callback %d: %w", d.CallbackID, err)
			return d
		}
		_ = resp.Body.Close()
		d.Status = resp.StatusCode
		return d
	})
}

func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

package connectwisetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiver records callback POSTs.
type receiver struct {
	mu   sync.Mutex
	got  []received
	srv  *httptest.Server
	code int
}

type received struct {
	path, query string
	body        []byte
	sig         string
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{code: 200}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{r.URL.Path, r.URL.RawQuery, b, r.Header.Get("X-Content-Signature")})
		code := rc.code
		rc.mu.Unlock()
		w.WriteHeader(code)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) all() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// verify checks a delivery independently of the fake's code: fetch the key
// URL over HTTP, then base64(HMAC-SHA256(SHA256(signing_key), raw body)).
func verify(t *testing.T, got received) map[string]any {
	t.Helper()
	var env map[string]any
	require.NoError(t, json.Unmarshal(got.body, &env))
	keyURL := env["Metadata"].(map[string]any)["key_url"].(string)
	res, err := http.Get(keyURL)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, 200, res.StatusCode)
	var key struct {
		SigningKey string `json:"signing_key"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&key))
	k := sha256.Sum256([]byte(key.SigningKey))
	m := hmac.New(sha256.New, k[:])
	m.Write(got.body)
	assert.Equal(t, base64.StdEncoding.EncodeToString(m.Sum(nil)), got.sig, "signature")
	return env
}

func TestCallbackRegistration(t *testing.T) {
	_, c := setup(t)
	// The recorded request (callback-create-request.json) and response shape.
	req := map[string]any{"id": 0, "inactiveFlag": false, "url": "https://test.com/webhook?recordId=", "objectId": 0,
		"type": "contact", "level": "owner", "payloadVersion": "3.0.0", "memberId": 0, "isSelfSuppressedFlag": false, "connectWiseID": ""}
	r := c.do("POST", "system/callbacks", req)
	require.Equal(t, 201, r.status, string(r.body))
	m := r.obj(t)
	assert.Equal(t, 26559, num(m["id"]))
	assert.Equal(t, 1, num(m["objectId"]))
	assert.Equal(t, 243, num(m["memberId"]))
	assert.Equal(t, false, m["isSoapCallbackFlag"])
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, m["connectWiseID"])
	assert.Equal(t, "HubwiseAPI", m["_info"].(map[string]any)["updatedBy"])

	r = c.do("POST", "system/callbacks", req)
	require.Equal(t, 400, r.status)
	assert.JSONEq(t, `{"code":"InvalidObject","message":"callbackEntry object is invalid","errors":[{"code":"ObjectExists","message":"A matching callback entry already exists","resource":"callbackEntry","field":"objectId"}]}`, string(r.body))

	r = c.do("POST", "system/callbacks", map[string]any{"url": "not a url", "objectId": 0, "type": "contact", "level": "board"})
	require.Equal(t, 400, r.status)
	assert.JSONEq(t, `{"code":"InvalidObject","message":"callbackEntry object is invalid","errors":[
		{"code":"InvalidField","message":"Invalid URL","resource":"callbackEntry","field":"url"},
		{"code":"InvalidObject","message":"Unrecognized level for type, see documentation for supported levels for each type","resource":"callbackEntry","field":"level"}]}`, string(r.body))

	assert.Len(t, c.do("GET", "system/callbacks", nil).list(t), 1)
	assert.Equal(t, 204, c.do("DELETE", "system/callbacks/26559", nil).status)
	assert.Len(t, c.do("GET", "system/callbacks", nil).list(t), 0)
}

func TestCallbackDelivery(t *testing.T) {
	s, c := setup(t)
	rc := newReceiver(t)
	r := c.do("POST", "system/callbacks", map[string]any{"url": rc.srv.URL + "/hook?recordId=", "objectId": 0, "type": "contact", "level": "owner"})
	require.Equal(t, 201, r.status)
	r = c.do("POST", "system/callbacks", map[string]any{"url": rc.srv.URL + "/company?id=", "type": "company", "level": "company", "objectId": 250})
	require.Equal(t, 201, r.status, string(r.body))

	r = c.do("POST", "company/contacts", map[string]any{"firstName": "Ann", "communicationItems": []any{
		map[string]any{"type": map[string]any{"id": 1}, "value": "ann@x.com", "defaultFlag": true}}})
	require.Equal(t, 201, r.status)
	require.Equal(t, 200, c.do("PATCH", "company/contacts/58000", cf(map[string]any{"op": "replace", "path": "lastName", "value": "Lee"})).status)
	require.Equal(t, 204, c.do("DELETE", "company/contacts/58000", nil).status)
	_, err := s.Create(Companies, company("A", "A")) // id 250: matches the company-level callback
	require.NoError(t, err)
	_, err = s.Create(Companies, company("B", "B")) // id 251: does not
	require.NoError(t, err)
	s.WaitCallbacks()

	got := rc.all()
	require.Len(t, got, 4)
	actions := []string{"added", "updated", "deleted"}
	for i, g := range got[:3] {
		assert.Equal(t, "/hook", g.path)
		assert.Equal(t, "recordId=58000", g.query, "the record id is appended to the url")
		env := verify(t, g)
		assert.Equal(t, actions[i], env["Action"])
		assert.Equal(t, "contact", env["Type"])
		assert.Equal(t, 58000.0, env["ID"])
		assert.Equal(t, "hubwise", env["CompanyId"])
		assert.Equal(t, "HubwiseAPI", env["MemberId"])
		assert.Equal(t, 26559.0, env["CallbackObjectRecId"])
		assert.Equal(t, s.Site(), env["FromUrl"])
		assert.NotEmpty(t, env["MessageId"])
		assert.Contains(t, env["Metadata"].(map[string]any)["key_url"], "/v2025_1//system/callbackkey/index.rails?companyName=hubwise&id=")
		if env["Action"] == "deleted" {
			assert.Nil(t, env["Entity"])
			continue
		}
		var entity map[string]any
		require.NoError(t, json.Unmarshal([]byte(env["Entity"].(string)), &entity), "Entity is a JSON string")
		assert.Equal(t, "Ann", entity["firstName"])
		for _, k := range []string{"communicationItems", "customFields", "types", "ignoreDuplicates"} {
			assert.NotContains(t, entity, k, "Entity is a summary (payload callback-payload-contact-updated.json)")
		}
		assert.NotContains(t, entity, "customFields")
	}
	env := verify(t, got[3])
	assert.Equal(t, "company", env["Type"])
	assert.Equal(t, "jsmith", env["MemberId"], "UI writes carry the UI member")
	assert.Equal(t, "id=250", got[3].query)

	ds := s.Deliveries()
	require.Len(t, ds, 4)
	assert.Equal(t, 200, ds[0].Status)
	assert.Equal(t, got[0].sig, ds[0].Signature)
	assert.Equal(t, s.Sign(ds[0].Body), ds[0].Signature)

	// Key URL: unknown ids and companies are refused, rotation keeps old URLs.
	old := s.KeyURL()
	s.RotateSigningKey("fresh-key")
	assert.Equal(t, "fresh-key", s.SigningKey())
	assert.NotEqual(t, old, s.KeyURL())
	res, err := http.Get(old)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 200, res.StatusCode)
	res, err = http.Get(s.URL() + "/v2025_1/system/callbackkey/index.rails?companyName=hubwise&id=nope")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 404, res.StatusCode)
}

func TestCallbackSelfSuppressed(t *testing.T) {
	s, c := setup(t)
	rc := newReceiver(t)
	rc.code = 500
	r := c.do("POST", "system/callbacks", map[string]any{"url": rc.srv.URL + "/?r=", "type": "opportunity", "level": "owner", "isSelfSuppressedFlag": true})
	require.Equal(t, 201, r.status)
	co, err := s.Create(Companies, company("Z", "Z"))
	require.NoError(t, err)
	ct, err := s.Create(Contacts, map[string]any{"firstName": "Q"})
	require.NoError(t, err)
	body := map[string]any{"name": "Deal", "company": map[string]any{"id": co["id"]}, "contact": map[string]any{"id": ct["id"]},
		"primarySalesRep": map[string]any{"id": 244}}
	require.Equal(t, 201, c.do("POST", "sales/opportunities", body).status)
	s.WaitCallbacks()
	assert.Empty(t, rc.all(), "the API member's own write is suppressed")
	_, err = s.Update(Opportunities, 1000, map[string]any{"name": "Changed in the UI"})
	require.NoError(t, err)
	s.WaitCallbacks()
	require.Len(t, rc.all(), 1)
	assert.Equal(t, 500, s.Deliveries()[0].Status, "receiver failures are recorded")
}

func TestCallbackBodyNotHTMLEscaped(t *testing.T) {
	s, c := setup(t)
	rc := newReceiver(t)
	require.Equal(t, 201, c.do("POST", "system/callbacks", map[string]any{"url": rc.srv.URL + "/?id=", "type": "company", "level": "owner"}).status)
	_, err := s.Create(Companies, company("A&B", "A & B <Ltd>"))
	require.NoError(t, err)
	s.WaitCallbacks()
	body := string(rc.all()[0].body)
	assert.Contains(t, body, "companyName=hubwise&id=", "key_url keeps a literal &")
	assert.Contains(t, body, `A & B <Ltd>`)
	r := c.do("GET", "company/companies/250", nil)
	assert.Contains(t, string(r.body), `"name":"A & B <Ltd>"`)
}

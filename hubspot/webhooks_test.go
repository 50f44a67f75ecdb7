package hubspot

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Test vectors from HubSpot's docs (doc: faq/v1-request-validation,
// faq/v2-request-validation).
const (
	docSecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
	docV1Body = `[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]`
)

func TestSignatureDocVectors(t *testing.T) {
	assert.Equal(t, "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de", SignV1(docSecret, []byte(docV1Body)))
	assert.Equal(t, "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e", SignV2(docSecret, "GET", "https://www.example.com/webhook_uri", nil))
}

func TestVerifyLegacySignatures(t *testing.T) {
	v := &WebhookVerifier{ClientSecret: docSecret, AllowLegacy: true, PublicURL: "https://www.example.com"}
	r := httptest.NewRequest(http.MethodPost, "/webhook_uri", strings.NewReader(docV1Body))
	r.Header.Set(HeaderSignatureVersion, "v1")
	r.Header.Set(HeaderSignature, "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de")
	require.NoError(t, v.Verify(r, []byte(docV1Body)))
	require.ErrorIs(t, v.Verify(r, []byte(docV1Body+" ")), ErrInvalidSignature)

	g := httptest.NewRequest(http.MethodGet, "/webhook_uri", nil)
	g.Header.Set(HeaderSignatureVersion, "v2")
	g.Header.Set(HeaderSignature, "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e")
	require.NoError(t, v.Verify(g, nil))

	strict := &WebhookVerifier{ClientSecret: docSecret}
	require.ErrorIs(t, strict.Verify(r, []byte(docV1Body)), ErrInvalidSignature, "v1 needs AllowLegacy")
}

func signedRequest(t *testing.T, secret, target string, body string, ts time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	r.Host = "hooks.example.com"
	tsv := strconv.FormatInt(ts.UnixMilli(), 10)
	r.Header.Set(HeaderRequestTimestamp, tsv)
	r.Header.Set(HeaderSignatureV3, SignV3(secret, http.MethodPost, "https://hooks.example.com"+target, []byte(body), tsv))
	return r
}

func TestVerifyV3(t *testing.T) {
	now := time.Date(2026, 11, 27, 21, 0, 0, 0, time.UTC)
	secret := "app-client-secret-1234"
	v := &WebhookVerifier{ClientSecret: secret, PublicURL: "https://hooks.example.com/", Now: func() time.Time { return now }}
	body := `[{"eventId":1}]`

	r := signedRequest(t, secret, "/hubspot?portal=1", body, now.Add(-4*time.Minute))
	require.NoError(t, v.Verify(r, []byte(body)))

	require.ErrorIs(t, v.Verify(r, []byte(body+"x")), ErrInvalidSignature, "body changed")
	old := signedRequest(t, secret, "/hubspot", body, now.Add(-6*time.Minute))
	err := v.Verify(old, []byte(body))
	require.ErrorIs(t, err, ErrInvalidSignature)
	assert.Contains(t, err.Error(), "window")
	future := signedRequest(t, secret, "/hubspot", body, now.Add(6*time.Minute))
	require.ErrorIs(t, v.Verify(future, []byte(body)), ErrInvalidSignature)
	wrong := signedRequest(t, "other-secret-9999", "/hubspot", body, now)
	require.ErrorIs(t, v.Verify(wrong, []byte(body)), ErrInvalidSignature)
	noTS := signedRequest(t, secret, "/hubspot", body, now)
	noTS.Header.Del(HeaderRequestTimestamp)
	require.ErrorIs(t, v.Verify(noTS, []byte(body)), ErrInvalidSignature)
	none := httptest.NewRequest(http.MethodPost, "/hubspot", nil)
	require.ErrorIs(t, v.Verify(none, nil), ErrInvalidSignature)
	assert.NotContains(t, v.Verify(wrong, []byte(body)).Error(), secret)
}

func TestVerifyV3DecodesListedCharacters(t *testing.T) {
	now := time.UnixMilli(1700000000000)
	secret := "s3cr3t-key"
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	body := []byte(`[]`)
	// HubSpot signs the decoded form; the request arrives percent-encoded.
	sig := SignV3(secret, "POST", "https://hooks.example.com/cb?x=a:b/c@d!e$f'g(h)i*j,k;l", body, ts)
	r := httptest.NewRequest(http.MethodPost, "/cb?x=a%3Ab%2Fc%40d%21e%24f%27g%28h%29i%2Aj%2Ck%3Bl", nil)
	r.Host = "hooks.example.com"
	r.TLS = nil
	r.Header.Set(HeaderRequestTimestamp, ts)
	r.Header.Set(HeaderSignatureV3, sig)
	v := &WebhookVerifier{ClientSecret: secret, PublicURL: "https://hooks.example.com", Now: func() time.Time { return now }}
	require.NoError(t, v.Verify(r, body))
	assert.Equal(t, "https://hooks.example.com/cb?x=a%3Ab%2Fc%40d%21e%24f%27g%28h%29i%2Aj%2Ck%3Bl", v.RequestURI(r))
	v.PublicURL = ""
	assert.Equal(t, "http://hooks.example.com/cb?x=a%3Ab%2Fc%40d%21e%24f%27g%28h%29i%2Aj%2Ck%3Bl", v.RequestURI(r))
}

func TestParseEventsTyped(t *testing.T) {
	body := `[
	 {"objectId":1246965,"propertyName":"lifecyclestage","propertyValue":"subscriber","changeSource":"ACADEMY","eventId":3816279340,"subscriptionId":25,"portalId":33,"appId":1160452,"occurredAt":1462216307945,"subscriptionType":"contact.propertyChange","attemptNumber":0},
	 {"objectId":1246978,"changeSource":"IMPORT","eventId":3816279480,"subscriptionId":22,"portalId":33,"appId":1160452,"occurredAt":1462216307945,"eventType":"contact.creation","attemptNumber":0},
	 {"eventId":5,"subscriptionType":"contact.merge","objectId":10,"primaryObjectId":10,"mergedObjectIds":[11,12],"newObjectId":13,"numberOfPropertiesMoved":4,"occurredAt":1},
	 {"eventId":6,"subscriptionType":"contact.associationChange","associationType":"CONTACT_TO_COMPANY","fromObjectId":10,"toObjectId":20,"associationRemoved":true,"isPrimaryAssociation":false,"occurredAt":1},
	 {"eventId":7,"subscriptionType":"contact.privacyDeletion","objectId":10,"occurredAt":1},
	 {"eventId":8,"subscriptionType":"deal.restore","objectId":99,"occurredAt":1},
	 {"eventId":9,"subscriptionType":"company.deletion","objectId":98,"occurredAt":1,"changeSource":"CRM_UI","sourceId":"userId:882761034"}]`
	evs, err := ParseEvents([]byte(body))
	require.NoError(t, err)
	require.Len(t, evs, 7)
	assert.Equal(t, EventPropertyChange, evs[0].Kind())
	assert.Equal(t, "contact", evs[0].ObjectType())
	assert.Equal(t, "1246965", evs[0].RecordID())
	assert.Equal(t, time.UnixMilli(1462216307945).UTC(), evs[0].OccurredAt)
	assert.Equal(t, EventCreation, evs[1].Kind(), "eventType is accepted for subscriptionType")
	assert.Equal(t, EventMerge, evs[2].Kind())
	assert.Equal(t, []int64{11, 12}, evs[2].MergedObjectIDs)
	assert.Equal(t, int64(13), evs[2].NewObjectID)
	assert.Equal(t, EventAssociationChange, evs[3].Kind())
	assert.True(t, evs[3].AssociationRemoved)
	assert.Equal(t, EventPrivacyDeletion, evs[4].Kind())
	assert.Equal(t, EventRestore, evs[5].Kind())
	assert.Equal(t, EventDeletion, evs[6].Kind())
	assert.Equal(t, "userId:882761034", evs[6].SourceID)

	b, err := evs[0].MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(b), `"occurredAt":1462216307945`)
	_, err = ParseEvents([]byte(`{"not":"an array"}`))
	require.Error(t, err)
}

func TestWebhookHandler(t *testing.T) {
	now := time.Date(2026, 11, 27, 21, 0, 0, 0, time.UTC)
	secret := "handler-secret-5678"
	v := &WebhookVerifier{ClientSecret: secret, PublicURL: "https://hooks.example.com", Now: func() time.Time { return now }}
	var got []int64
	var fail atomic.Bool
	h := NewWebhookHandler(v, func(ctx context.Context, events []Event) error {
		if fail.Load() {
			return errors.New("queue full")
		}
		for _, e := range events {
			got = append(got, e.EventID)
		}
		return nil
	}, &WebhookHandlerOptions{DedupeSize: 3, MaxBody: 4096})

	send := func(body string) int {
		r := signedRequest(t, secret, "/hooks/hubspot", body, now)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	assert.Equal(t, 204, send(`[{"eventId":1,"subscriptionType":"contact.creation"},{"eventId":2},{"eventId":1}]`))
	assert.Equal(t, []int64{1, 2}, got, "duplicate in one delivery dropped")
	assert.Equal(t, 204, send(`[{"eventId":2}]`))
	assert.Equal(t, []int64{1, 2}, got, "redelivery dropped")

	fail.Store(true)
	assert.Equal(t, 500, send(`[{"eventId":3}]`))
	fail.Store(false)
	assert.Equal(t, 204, send(`[{"eventId":3}]`), "a failed event is handled on retry")
	assert.Equal(t, []int64{1, 2, 3}, got)

	assert.Equal(t, 204, send(`[{"eventId":4},{"eventId":5}]`))
	assert.Equal(t, 204, send(`[{"eventId":1}]`), "oldest ids are forgotten: bounded memory")
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 1}, got)

	bad := signedRequest(t, "wrong-secret-000", "/hooks/hubspot", `[]`, now)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, bad)
	assert.Equal(t, 401, w.Code)

	assert.Equal(t, 400, send(`{"eventId":1}`))
	assert.Equal(t, 413, send(`[`+strings.Repeat(`{"eventId":1},`, 400)+`{"eventId":1}]`))

	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/hooks/hubspot", nil))
	assert.Equal(t, 405, w.Code)
}

package connectwisetest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func BenchmarkParseConditions(b *testing.B) {
	src := `(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test" AND summary != "Some Summary" and id in (1,2,3,4,5)`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseConditions(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEval(b *testing.B) {
	e, err := ParseConditions(`company/id = 250 and lastUpdated >= [2026-01-01T00:00:00Z] and name like "Acme%"`)
	if err != nil {
		b.Fatal(err)
	}
	rec := map[string]any{"name": "Acme Inc", "company": map[string]any{"id": 250.0}, "_info": map[string]any{"lastUpdated": "2026-06-09T21:59:49Z"}}
	b.ReportAllocs()
	for b.Loop() {
		if !Eval(e, rec) {
			b.Fatal("no match")
		}
	}
}

// BenchmarkListPage measures one filtered 1000-record page over 10,000
// companies, served in-process (no network).
func BenchmarkListPage(b *testing.B) {
	s := New(Options{})
	defer s.Close()
	for i := range 10000 {
		if _, err := s.Seed(Companies, map[string]any{"identifier": fmt.Sprint("C", i), "name": fmt.Sprint("Company ", i), "city": "X"}); err != nil {
			b.Fatal(err)
		}
	}
	cr := s.Credentials()
	u := s.BaseURL() + "/company/companies?pageSize=1000&page=3&conditions=" + url.QueryEscape(`name like "Company%" and id > 0`)
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", u, nil)
		req.SetBasicAuth(cr.CompanyID+"+"+cr.PublicKey, cr.PrivateKey)
		req.Header.Set("clientId", cr.ClientID)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code, rec.Body.String())
		}
	}
}

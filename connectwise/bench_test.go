package connectwise

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func BenchmarkConditionBuild(b *testing.B) {
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := And(UpdatedSince(since), Or(Eq("status/name", "Active"), In("type/id", 1, 2, 3)), Not(Contains("name", "O'Brien [old]")))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Build(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeContactsPage(b *testing.B) {
	one := `{"id":%d,"firstName":"Ada","lastName":"Okafor","company":{"id":310,"identifier":"NorthwindTr","name":"Northwind","_info":{}},"communicationItems":[{"id":1,"type":{"id":40,"name":"Work Email"},"value":"ada@northwind.example","defaultFlag":true,"communicationType":"Email"}],"customFields":[{"id":15,"caption":"hubspot_contact_id","type":"Number","entryMethod":"EntryField","numberOfDecimals":0,"value":null,"podId":"contact_overview"}],"_info":{"lastUpdated":"2026-05-02T08:00:00Z","updatedBy":"apiuser"}}`
	parts := make([]string, 1000)
	for i := range parts {
		parts[i] = fmt.Sprintf(one, i+1)
	}
	body := []byte("[" + strings.Join(parts, ",") + "]")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var cs []*Contact
		if err := json.Unmarshal(body, &cs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListIter(b *testing.B) {
	env := setup(b)
	page := make([]string, 1000)
	for i := range page {
		page[i] = fmt.Sprintf(`{"id":%d,"name":"C"}`, i)
	}
	body := "[" + strings.Join(page, ",") + "]"
	env.mux.HandleFunc("GET "+apiPrefix+"company/companies", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, body)
	})
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for _, err := range env.client.Companies.ListIter(context.Background(), nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
			if n == 1000 {
				break
			}
		}
	}
}

package hubspottest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
)

// BenchmarkBatchUpsert100Contacts measures one batch upsert of 100 contacts
// (half new, half updates after the first iteration) over HTTP against the fake.
// Allocations are per call of 100 records.
func BenchmarkBatchUpsert100Contacts(b *testing.B) {
	s := NewServer(b, Options{MaxCallLog: 1000})
	bodies := make([][]byte, 2)
	for k := range bodies {
		inputs := make([]map[string]any, 100)
		for i := range inputs {
			email := fmt.Sprintf("bench%03d@example.com", i+k*50)
			inputs[i] = map[string]any{"id": email, "idProperty": "email", "objectWriteTraceId": fmt.Sprint(i),
				"properties": map[string]string{"firstname": fmt.Sprint("F", k), "lifecyclestage": "lead"}}
		}
		bodies[k], _ = json.Marshal(map[string]any{"inputs": inputs})
	}
	url := s.URL() + "/crm/objects/2026-09/contacts/batch/upsert"
	auth := "Bearer " + s.Token()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest("POST", url, bytes.NewReader(bodies[i%2]))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatal(res.StatusCode)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*100), "ns/record")
}

package hubspot_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

// cannedTransport answers every batch upsert with the same 100-result body, so the
// benchmark measures the client alone (encoding, transport plumbing, decoding).
type cannedTransport struct{ body []byte }

func (t *cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(t.body)), Request: r}, nil
}

func cannedUpsertBody(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"status":"COMPLETE","startedAt":"2026-10-02T08:15:00.120Z","completedAt":"2026-10-02T08:15:00.410Z","results":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%d","new":true,"objectWriteTraceId":"%d","properties":{"cw_contact_id":"%d","email":"c%d@example.com","firstname":"First","lastname":"Last","hs_object_id":"%d","lastmodifieddate":"2026-10-02T08:15:00.301Z"},"createdAt":"2026-10-02T08:15:00.301Z","updatedAt":"2026-10-02T08:15:00.301Z","archived":false}`, 100000000000+i, i, i, i, 100000000000+i)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func benchInputs(n int) []hubspot.BatchUpsertInput {
	in := make([]hubspot.BatchUpsertInput, n)
	for i := range in {
		id := strconv.Itoa(i)
		in[i] = hubspot.BatchUpsertInput{ID: id, IDProperty: "cw_contact_id",
			Properties: map[string]string{"email": "c" + id + "@example.com", "firstname": "First", "lastname": "Last"}}
	}
	return in
}

// BenchmarkBatchUpsert measures the client's own cost per record: 1,000 records (10
// requests) per operation over an in-memory transport.
func BenchmarkBatchUpsert(b *testing.B) {
	const records = 1000
	hs, err := hubspot.NewClient(hubspot.WithBaseURL("https://api.hubapi.com"), hubspot.WithAccessToken("pat-na1-bench"),
		hubspot.WithoutRateLimit(), hubspot.WithHTTPClient(&http.Client{Transport: &cannedTransport{body: cannedUpsertBody(100)}}))
	if err != nil {
		b.Fatal(err)
	}
	inputs := benchInputs(records)
	ctx := context.Background()
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.Mallocs
	b.ResetTimer()
	for b.Loop() {
		res, _, err := hs.Contacts.BatchUpsert(ctx, inputs)
		if err != nil || len(res) != records {
			b.Fatalf("got %d results, %v", len(res), err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Mallocs-before)/float64(b.N*records), "allocs/record")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*records), "ns/record")
}

// BenchmarkBatchUpsertFake pushes records through the hubspottest fake: client and
// fake together, over loopback HTTP.
func BenchmarkBatchUpsertFake(b *testing.B) {
	const records = 1000
	fake := hubspottest.NewServer(b, hubspottest.Options{})
	hs := fake.Client(hubspot.WithoutRateLimit())
	ctx := context.Background()
	if _, _, err := hs.Properties.EnsureProperty(ctx, hubspot.ObjectContacts, &hubspot.PropertyCreate{
		Name: "cw_contact_id", Label: "ConnectWise contact ID", GroupName: "contactinformation",
		Type: hubspot.PropertyTypeString, FieldType: hubspot.FieldTypeText, HasUniqueValue: true,
	}); err != nil {
		b.Fatal(err)
	}
	inputs := benchInputs(records)
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.Mallocs
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := hs.Contacts.BatchUpsert(ctx, inputs); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Mallocs-before)/float64(b.N*records), "allocs/record")
}

package main

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
)

// BenchmarkWebhookLatency measures, per edit, the time from the edit in one
// fake to the write landing in the other, through the service: signed
// delivery (the HubSpot journal relayed every 5 ms; ConnectWise callbacks
// pushed at once), a 5 ms debounce window, the targeted pass. It reports
// p50 and p95 in milliseconds.
//
//	go test -run '^$' -bench WebhookLatency -benchtime 50x ./examples/webhooks/
func BenchmarkWebhookLatency(b *testing.B) {
	s := startService(b, "-window", "5ms", "-relay", "5ms", "-max-delay", "50ms")
	cwID, hsID := s.companyPair(b)

	b.Run("HubSpotToConnectWise", func(b *testing.B) {
		var lat []time.Duration
		for i := 0; b.Loop(); i++ {
			city := "Bench HS " + strconv.Itoa(i)
			t0 := time.Now()
			if err := s.demo.hs.UpdateRecord("companies", hsID, map[string]string{"city": city}); err != nil {
				b.Fatal(err)
			}
			for {
				if rec, _ := s.demo.cw.Get(connectwisetest.Companies, cwID); rec["city"] == city {
					break
				}
				if time.Since(t0) > 10*time.Second {
					b.Fatal("edit did not arrive")
				}
				time.Sleep(200 * time.Microsecond)
			}
			lat = append(lat, time.Since(t0))
		}
		report(b, lat)
	})
	b.Run("ConnectWiseToHubSpot", func(b *testing.B) {
		var lat []time.Duration
		for i := 0; b.Loop(); i++ {
			name := "Bench CW " + strconv.Itoa(i)
			t0 := time.Now()
			if _, err := s.demo.cw.Update(connectwisetest.Companies, cwID, map[string]any{"name": name}); err != nil {
				b.Fatal(err)
			}
			for {
				if rec, _ := s.demo.hs.Record("companies", hsID); rec.Properties["name"] == name {
					break
				}
				if time.Since(t0) > 10*time.Second {
					b.Fatal("edit did not arrive")
				}
				time.Sleep(200 * time.Microsecond)
			}
			lat = append(lat, time.Since(t0))
		}
		report(b, lat)
	})
}

func report(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(0, "ns/op")
}

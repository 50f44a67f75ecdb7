package mapping_test

import (
	"testing"

	"github.com/hubwise/hubwise/mapping"
	"github.com/hubwise/hubwise/mapping/mappingtest"
)

// BenchmarkDefault maps the default contact and opportunity records both
// ways; each op is one record.
func BenchmarkDefault(b *testing.B) {
	m := compileDefault(b)
	lk := defaultLookups()
	for _, c := range []struct{ object, cw, hs string }{
		{mapping.ObjectContacts, "contact.json", "contact.json"},
		{mapping.ObjectDeals, "opportunity.json", "deal.json"},
	} {
		obj := m.Object(c.object)
		rec := mappingtest.ConnectWise(b, fixture(b, "connectwise", c.cw))
		props := mappingtest.HubSpot(b, fixture(b, "hubspot", c.hs))
		b.Run(c.object+"/to-hubspot", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := obj.FromConnectWise(rec, lk); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.object+"/to-connectwise-patch", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := obj.FromHubSpot(props, lk)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := obj.Patch(v, rec, lk, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.object+"/to-connectwise-create", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := obj.FromHubSpot(props, lk)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := obj.CreateBody(v, lk); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package dataset_test

import (
	"context"
	"fmt"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/hubwise/hubwise/internal/dataset"
)

func ExampleGenerate() {
	d := dataset.Generate(dataset.Options{Seed: 1, Companies: 20, ContactsPerCompany: 3})
	c := d.Contact(0)
	fmt.Println(c["firstName"], c["lastName"])
	fmt.Println(d.ContactEmail(0))
	for o := range d.Opportunities() {
		fmt.Println(o.Record["expectedCloseDate"], len(o.Forecast) > 0)
		break
	}
	st := d.Stats()
	fmt.Println(st.Companies, st.Contacts, st.Opportunities)
	// Output:
	// Zoë "Bob" O'Brien-Müller
	// zoe.obrien-mueller@baysidetitleescrowpc0.com
	// 2024-07-16T00:00:00Z true
	// 20 60 10
}

func ExampleSeedConnectWise() {
	ctx := context.Background()
	cw := connectwisetest.New(connectwisetest.Options{})
	defer cw.Close()
	hs := hubspottest.New(hubspottest.Options{})
	defer hs.Close()
	d := dataset.Generate(dataset.Options{Seed: 1, Companies: 10, ContactsPerCompany: 2, ExistingHubSpotShare: 0.5})
	st, err := dataset.SeedConnectWise(ctx, cw, d)
	if err != nil {
		panic(err)
	}
	fmt.Println(st.Companies, st.Contacts, st.Opportunities, cw.Len(connectwisetest.Contacts))
	hst, err := dataset.SeedHubSpot(hs, d)
	if err != nil {
		panic(err)
	}
	fmt.Println(hst.HubSpotContacts == hs.RecordCount("contacts"), hst.Owners)
	// Output:
	// 10 20 5 20
	// true 6
}

package main

import (
	"fmt"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/internal/dataset"
)

// edit makes a few changes in ConnectWise as a user would in the UI. The
// change feed finds them by _info.lastUpdated; its overlap window covers
// edits made in the same second as the migration's start.
func (f *fakes) edit() ([]string, error) {
	var out []string
	c0 := f.data.Company(0)
	name := fmt.Sprint(c0["name"])
	newName := truncateRunes(name+" Holdings", 50)
	if _, err := f.cw.Update(connectwisetest.Companies, int(c0["id"].(float64)), map[string]any{"name": newName, "phoneNumber": "5125550100"}); err != nil {
		return nil, fmt.Errorf("edit company: %w", err)
	}
	out = append(out, fmt.Sprintf("company #%v renamed %q -> %q, new phone", c0["id"], name, newName))
	if f.data.Options().Contacts > 0 {
		k0 := f.data.Contact(0)
		if _, err := f.cw.Update(connectwisetest.Contacts, int(k0["id"].(float64)), map[string]any{"title": "Chief Technology Officer"}); err != nil {
			return nil, fmt.Errorf("edit contact: %w", err)
		}
		out = append(out, fmt.Sprintf("contact #%v (%s %s) is now Chief Technology Officer", k0["id"], k0["firstName"], k0["lastName"]))
	}
	if f.data.Options().Opportunities > 0 {
		op := f.data.Opportunity(0).Record
		negotiation := dataset.SalesStages()[3]
		if _, err := f.cw.Update(connectwisetest.Opportunities, int(op["id"].(float64)), map[string]any{
			"stage": map[string]any{"id": negotiation.ID}, "notes": "Verbal yes; contract out."}); err != nil {
			return nil, fmt.Errorf("edit opportunity: %w", err)
		}
		out = append(out, fmt.Sprintf("opportunity #%v moved to stage %s", op["id"], negotiation.Name))
	}
	nc, err := f.cw.Create(connectwisetest.Companies, map[string]any{"identifier": "NewLeafDental", "name": "New Leaf Dental",
		"addressLine1": "12 Orchard Rd", "city": "Boise", "state": "ID", "zip": "83702", "website": "www.newleafdental.example",
		"types": []any{map[string]any{"id": dataset.TypeProspect.ID}}})
	if err != nil {
		return nil, fmt.Errorf("create company: %w", err)
	}
	out = append(out, fmt.Sprintf("company #%v New Leaf Dental created", nc["id"]))
	nk, err := f.cw.Create(connectwisetest.Contacts, map[string]any{"firstName": "Renée", "lastName": "D'Angelo",
		"company":            map[string]any{"id": nc["id"]},
		"communicationItems": []any{map[string]any{"type": map[string]any{"id": dataset.EmailBusiness.ID}, "value": "renee.dangelo@newleafdental.example", "defaultFlag": true}}})
	if err != nil {
		return nil, fmt.Errorf("create contact: %w", err)
	}
	out = append(out, fmt.Sprintf("contact #%v Renée D'Angelo created at New Leaf Dental", nk["id"]))
	return out, nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

package mapping_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hubwise/hubwise/mapping"
)

// FuzzProject feeds arbitrary JSON and arbitrary paths through compiled
// paths, transforms, filters, projections and patches: nothing may panic.
func FuzzProject(f *testing.F) {
	for _, name := range []string{"company.json", "contact.json", "contact-minimal.json", "opportunity.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "connectwise", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "communicationItems[communicationType=Email,defaultFlag=true]/value")
	}
	f.Add([]byte(`{"id":null,"customFields":[null,1,{"caption":"Industry"}],"communicationItems":"x"}`), "customFields[caption=Industry]/value")
	f.Add([]byte(`{"expectedCloseDate":"9999-99-99","stage":{"id":1e400},"forecast":[]}`), "stage/id")
	f.Add([]byte(`{"a":[[{"b":1}]]}`), "a[0]/b")
	m, err := mapping.Compile(mapping.Default(), nil)
	if err != nil {
		f.Fatal(err)
	}
	lk := mapping.NewLookups()
	lk.SetTable(mapping.TableOwners, map[string]string{"1": "2"})
	lk.SetTable(mapping.TableDealStages, map[string]string{"1": "a", "2": "a"})
	f.Fuzz(func(t *testing.T, data []byte, rawPath string) {
		for _, useNumber := range []bool{false, true} {
			dec := json.NewDecoder(bytes.NewReader(data))
			if useNumber {
				dec.UseNumber()
			}
			var rec map[string]any
			if dec.Decode(&rec) != nil {
				return
			}
			if p, err := mapping.ParsePath(rawPath); err == nil {
				p.Get(rec)
				_ = p.Set(rec, "x")
				p.Get(rec)
			}
			props := map[string]string{}
			for k, v := range rec {
				if s, ok := v.(string); ok {
					props[k] = s
				}
			}
			for _, o := range m.Objects() {
				v, _ := o.FromConnectWise(rec, lk)
				_, _ = o.SelectConnectWise(rec, lk)
				_, _ = o.SelectHubSpot(props, lk)
				hv, _ := o.FromHubSpot(props, lk)
				// Whatever is produced must be sendable.
				for _, out := range []any{body(o.CreateBody(hv, lk)), ops(o.Patch(hv, rec, lk, nil)),
					ops(o.Patch(v, rec, lk, nil)), body(o.CreateBody(v, lk)), o.HubSpotChanges(v, hv, nil)} {
					if _, err := json.Marshal(out); err != nil {
						t.Fatalf("%s: output does not marshal: %v", o.Name(), err)
					}
				}
			}
		}
	})
}

func body(b map[string]any, _ error) any { return b }

func ops(o []mapping.PatchOp, _ error) any { return o }

// FuzzLoadAndCheck feeds arbitrary YAML and JSON specs through the loaders,
// validation and compilation: errors are fine, panics are not.
func FuzzLoadAndCheck(f *testing.F) {
	for _, name := range []string{"good.yaml", "good.json", "bad.yaml", "bad.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "specs", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, filepath.Ext(name) == ".json")
	}
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		name := "spec.yaml"
		if asJSON {
			name = "spec.json"
		}
		s, err := mapping.Load(name, data)
		if err != nil {
			return
		}
		_ = mapping.Check(s, &mapping.Options{Schema: &mapping.Schema{}})
		m, err := mapping.Compile(s, nil)
		if err != nil {
			return
		}
		rec := map[string]any{"id": 1.0, "customFields": []any{map[string]any{"id": 1.0, "caption": "x", "value": nil}}}
		for _, o := range m.Objects() {
			v, _ := o.FromConnectWise(rec, nil)
			hv, _ := o.FromHubSpot(map[string]string{"a": "1", "email": "x@y.z"}, nil)
			for _, out := range []any{body(o.CreateBody(v, nil)), ops(o.Patch(v, rec, nil, nil)),
				body(o.CreateBody(hv, nil)), ops(o.Patch(hv, rec, nil, nil))} {
				if _, err := json.Marshal(out); err != nil {
					t.Fatalf("%s: output does not marshal: %v", o.Name(), err)
				}
			}
			_, _ = o.SelectConnectWise(rec, nil)
			_, _ = o.SelectHubSpot(v, nil)
		}
		_ = m.PropertyPlan()
	})
}

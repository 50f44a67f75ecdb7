package mappingtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubwise/hubwise/mapping"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
	r.fatal = true
	panic(r)
}

// run calls f with a recorder and returns it after f ends or "fatals".
func run(t *testing.T, f func(tb testing.TB)) *recorder {
	r := &recorder{TB: t}
	func() {
		defer func() {
			if p := recover(); p != nil && p != r {
				panic(p)
			}
		}()
		f(r)
	}()
	return r
}

func object(t *testing.T, spec *mapping.Spec, name string) *mapping.Object {
	t.Helper()
	m, err := mapping.Compile(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m.Object(name)
}

const contact = `{"id": 5, "firstName": "Ann", "title": "CTO",
  "communicationItems": [{"value": "Ann@B.com", "defaultFlag": true, "communicationType": "Email"}],
  "customFields": [{"id": 3, "caption": "Tier", "value": "Gold"}]}`

func TestHelpersPass(t *testing.T) {
	obj := object(t, mapping.Default(), mapping.ObjectContacts)
	AssertToHubSpot(t, obj, []byte(contact), nil, map[string]string{
		"cw_contact_id": "5", "firstname": "Ann", "jobtitle": "CTO", "email": "ann@b.com",
	})
	AssertCreateBody(t, obj, map[string]string{"firstname": "Ann", "email": "ann@b.com"}, nil,
		`{"firstName":"Ann","communicationItems":[{"communicationType":"Email","defaultFlag":true,"value":"ann@b.com"}]}`)
	AssertPatch(t, obj, map[string]string{"firstname": "Ann", "jobtitle": "CEO", "email": "ann@b.com"}, []byte(contact), nil,
		`[{"op":"replace","path":"/title","value":"CEO"},{"op":"replace","path":"/customFields","value":[]}]`)
	AssertPatch(t, obj, map[string]string{"firstname": "Ann", "jobtitle": "CTO", "email": "ann@b.com"}, []byte(contact), nil, `[]`)
	RoundTrip(t, obj, []byte(contact), nil)

	props := HubSpot(t, []byte(`{"id": "1", "properties": {"email": "a@b.co", "phone": null}}`))
	if len(props) != 1 || props["email"] != "a@b.co" {
		t.Errorf("HubSpot: %v", props)
	}
	props = HubSpot(t, []byte(`{"email": "a@b.co"}`))
	if props["email"] != "a@b.co" {
		t.Errorf("HubSpot bare map: %v", props)
	}
}

func TestHelpersReportFailures(t *testing.T) {
	obj := object(t, mapping.Default(), mapping.ObjectContacts)
	r := run(t, func(tb testing.TB) {
		AssertToHubSpot(tb, obj, []byte(contact), nil, map[string]string{"firstname": "Bob"})
	})
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "- firstname: Bob") || !strings.Contains(r.errors[0], "+ firstname: Ann") {
		t.Errorf("AssertToHubSpot: %v", r.errors)
	}
	r = run(t, func(tb testing.TB) { ConnectWise(tb, []byte("{")) })
	if !r.fatal {
		t.Error("bad JSON must be fatal")
	}
	r = run(t, func(tb testing.TB) { HubSpot(tb, []byte(`{"a": 1}`)) })
	if !r.fatal || !strings.Contains(r.errors[0], "not a string") {
		t.Errorf("HubSpot non-string: %v", r.errors)
	}
	r = run(t, func(tb testing.TB) {
		ToHubSpot(tb, obj, []byte(`{"communicationItems":[{"value":"x","defaultFlag":true,"communicationType":"Email"}]}`), nil)
	})
	if !r.fatal || !strings.Contains(r.errors[0], "field email") {
		t.Errorf("ToHubSpot error: %v", r.errors)
	}
	r = run(t, func(tb testing.TB) {
		AssertCreateBody(tb, obj, map[string]string{"firstname": "Ann"}, nil, `{"firstName":"Bob"}`)
	})
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "create body differs") {
		t.Errorf("AssertCreateBody: %v", r.errors)
	}
	r = run(t, func(tb testing.TB) { ReadFile(tb, filepath.Join(t.TempDir(), "missing")) })
	if !r.fatal {
		t.Error("missing file must be fatal")
	}

	// A lossy round trip is caught: the reverse map sends every HubSpot
	// value to one ConnectWise value.
	lossy := &mapping.Spec{Objects: []mapping.ObjectMapping{{
		Name: "c", HubSpot: "contacts", ConnectWise: "company/contacts",
		Fields: []mapping.FieldMapping{{HubSpot: "tier", ConnectWise: "customFields[id=3]/value",
			Transform: []mapping.Step{{Name: "map", Values: map[string]string{"Gold": "gold", "Silver": "silver"}}},
			Reverse:   []mapping.Step{mapping.S("const", "value", "Silver")}}},
	}}}
	r = run(t, func(tb testing.TB) { RoundTrip(tb, object(t, lossy, "c"), []byte(contact), nil) })
	if len(r.errors) == 0 || !strings.Contains(strings.Join(r.errors, "\n"), "round trip through ConnectWise") {
		t.Errorf("RoundTrip: %v", r.errors)
	}
}

func TestGolden(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "g.json")
	t.Setenv(UpdateEnv, "1")
	Golden(t, path, map[string]string{"a": "1"})
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "{\n  \"a\": \"1\"\n}\n" {
		t.Fatalf("golden written: %q %v", b, err)
	}
	t.Setenv(UpdateEnv, "")
	Golden(t, path, map[string]string{"a": "1"})
	r := run(t, func(tb testing.TB) { Golden(tb, path, map[string]string{"a": "2"}) })
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "differs from the golden file") {
		t.Errorf("Golden mismatch: %v", r.errors)
	}
	r = run(t, func(tb testing.TB) { Golden(tb, path+".missing", 1) })
	if !r.fatal || !strings.Contains(r.errors[0], UpdateEnv) {
		t.Errorf("Golden missing: %v", r.errors)
	}
}

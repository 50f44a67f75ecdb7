// Package mappingtest helps users unit-test their hubwise mappings without
// any account: ConnectWise JSON in, expected HubSpot properties out, and the
// reverse; a round-trip check of every bidirectional field; and golden files.
//
// # Golden files
//
// Golden compares a value, rendered as indented JSON, with a file. Run the
// tests with HUBWISE_UPDATE_GOLDEN=1 to (re)write the files, then review the
// diff like code.
package mappingtest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hubwise/hubwise/mapping"
)

// UpdateEnv is the environment variable that makes Golden rewrite files.
const UpdateEnv = "HUBWISE_UPDATE_GOLDEN"

// ConnectWise decodes a ConnectWise JSON record the way a client does
// (numbers as json.Number). It fails the test on bad JSON.
func ConnectWise(t testing.TB, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var rec map[string]any
	if err := dec.Decode(&rec); err != nil {
		t.Fatalf("mappingtest: decode ConnectWise record: %v", err)
	}
	return rec
}

// HubSpot decodes HubSpot properties from either a record
// ({"id":..., "properties":{...}}) or a bare property map. JSON nulls are
// left out, as HubSpot clients do for requested properties without value.
func HubSpot(t testing.TB, data []byte) map[string]string {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatalf("mappingtest: decode HubSpot record: %v", err)
	}
	if p, ok := raw["properties"]; ok {
		raw = nil
		if err := json.Unmarshal(p, &raw); err != nil {
			t.Fatalf("mappingtest: decode HubSpot properties: %v", err)
		}
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if string(v) == "null" {
			continue
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			t.Fatalf("mappingtest: HubSpot property %q is not a string: %s", k, v)
		}
		out[k] = s
	}
	return out
}

// ReadFile reads a test fixture, failing the test when it cannot.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("mappingtest: %v", err)
	}
	return b
}

// ToHubSpot projects a ConnectWise JSON record and fails on any field error.
func ToHubSpot(t testing.TB, obj *mapping.Object, cwJSON []byte, lk *mapping.Lookups) mapping.Values {
	t.Helper()
	v, err := obj.FromConnectWise(ConnectWise(t, cwJSON), lk)
	if err != nil {
		t.Fatalf("mappingtest: %s: project ConnectWise record: %v", obj.Name(), err)
	}
	return v
}

// AssertToHubSpot checks that a ConnectWise JSON record projects to exactly
// the wanted HubSpot values.
func AssertToHubSpot(t testing.TB, obj *mapping.Object, cwJSON []byte, lk *mapping.Lookups, want map[string]string) {
	t.Helper()
	got := ToHubSpot(t, obj, cwJSON, lk)
	if diff := diffValues(want, got); diff != "" {
		t.Errorf("mappingtest: %s: ConnectWise to HubSpot differs (-want +got):\n%s", obj.Name(), diff)
	}
}

// AssertCreateBody checks the ConnectWise create body built from HubSpot
// properties against the wanted JSON.
func AssertCreateBody(t testing.TB, obj *mapping.Object, props map[string]string, lk *mapping.Lookups, wantJSON string) {
	t.Helper()
	v, err := obj.FromHubSpot(props, lk)
	if err != nil {
		t.Fatalf("mappingtest: %s: project HubSpot record: %v", obj.Name(), err)
	}
	body, err := obj.CreateBody(v, lk)
	if err != nil {
		t.Fatalf("mappingtest: %s: create body: %v", obj.Name(), err)
	}
	assertJSON(t, obj.Name()+" create body", wantJSON, body)
}

// AssertPatch checks the ConnectWise patch built from HubSpot properties
// against a current ConnectWise record.
func AssertPatch(t testing.TB, obj *mapping.Object, props map[string]string, current []byte, lk *mapping.Lookups, wantJSON string) {
	t.Helper()
	v, err := obj.FromHubSpot(props, lk)
	if err != nil {
		t.Fatalf("mappingtest: %s: project HubSpot record: %v", obj.Name(), err)
	}
	ops, err := obj.Patch(v, ConnectWise(t, current), lk, nil)
	if err != nil {
		t.Fatalf("mappingtest: %s: patch: %v", obj.Name(), err)
	}
	if ops == nil {
		ops = []mapping.PatchOp{}
	}
	assertJSON(t, obj.Name()+" patch", wantJSON, ops)
}

// RoundTrip checks every bidirectional field of obj on a ConnectWise
// record: the projected HubSpot values are already canonical (reading them
// back from HubSpot changes nothing), a ConnectWise create body built from
// them projects to the same values, and writing them back to either side
// (Patch of the original record, HubSpotChanges against the read-back
// values) is a no-op.
func RoundTrip(t testing.TB, obj *mapping.Object, cwJSON []byte, lk *mapping.Lookups) {
	t.Helper()
	rec := ConnectWise(t, cwJSON)
	v, err := obj.FromConnectWise(rec, lk)
	if err != nil {
		t.Fatalf("mappingtest: %s: project ConnectWise record: %v", obj.Name(), err)
	}
	var both []string
	for _, f := range obj.Fields() {
		if f.Direction == mapping.Both {
			both = append(both, f.HubSpot)
		}
	}
	fromHS, err := obj.FromHubSpot(v, lk)
	if err != nil {
		t.Fatalf("mappingtest: %s: canonical values do not read back: %v", obj.Name(), err)
	}
	body, err := obj.CreateBody(v, lk)
	if err != nil {
		t.Fatalf("mappingtest: %s: create body: %v", obj.Name(), err)
	}
	again, err := obj.FromConnectWise(roundJSON(t, body), lk)
	if err != nil {
		t.Fatalf("mappingtest: %s: project create body: %v", obj.Name(), err)
	}
	for _, p := range both {
		if fromHS[p] != v[p] {
			t.Errorf("mappingtest: %s.%s: not canonical: %q reads back from HubSpot as %q", obj.Name(), p, v[p], fromHS[p])
		}
		if again[p] != v[p] {
			t.Errorf("mappingtest: %s.%s: round trip through ConnectWise changed %q to %q", obj.Name(), p, v[p], again[p])
		}
	}
	if ch := obj.HubSpotChanges(v, fromHS, nil); len(ch) > 0 {
		t.Errorf("mappingtest: %s: writing canonical values back to HubSpot is not a no-op: %v", obj.Name(), ch)
	}
	ops, err := obj.Patch(v, rec, lk, both)
	if err != nil {
		t.Fatalf("mappingtest: %s: patch: %v", obj.Name(), err)
	}
	if len(ops) > 0 {
		b, _ := json.Marshal(ops)
		t.Errorf("mappingtest: %s: patching a record with its own values is not a no-op: %s", obj.Name(), b)
	}
}

// roundJSON sends a value through JSON, as the wire would.
func roundJSON(t testing.TB, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("mappingtest: marshal: %v", err)
	}
	return ConnectWise(t, b)
}

// Golden compares got, as indented JSON, with the file at path; with
// HUBWISE_UPDATE_GOLDEN=1 it writes the file instead.
func Golden(t testing.TB, path string, got any) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatalf("mappingtest: marshal golden value: %v", err)
	}
	b = append(b, '\n')
	if os.Getenv(UpdateEnv) != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatalf("mappingtest: %v", err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatalf("mappingtest: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("mappingtest: %v (run with %s=1 to create it)", err, UpdateEnv)
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(b)) {
		t.Errorf("mappingtest: %s differs from the golden file; got:\n%s\n(run with %s=1 to update)", path, b, UpdateEnv)
	}
}

func assertJSON(t testing.TB, what, wantJSON string, got any) {
	t.Helper()
	var want any
	if err := json.Unmarshal([]byte(wantJSON), &want); err != nil {
		t.Fatalf("mappingtest: bad wanted JSON for %s: %v", what, err)
	}
	gb, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("mappingtest: marshal %s: %v", what, err)
	}
	var gotAny any
	_ = json.Unmarshal(gb, &gotAny)
	wb, _ := json.Marshal(want)
	gb, _ = json.Marshal(gotAny)
	if !bytes.Equal(wb, gb) {
		t.Errorf("mappingtest: %s differs:\nwant %s\ngot  %s", what, wb, gb)
	}
}

func diffValues(want, got map[string]string) string {
	keys := map[string]bool{}
	for k := range want {
		keys[k] = true
	}
	for k := range got {
		keys[k] = true
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	var b strings.Builder
	for _, k := range sorted {
		w, wok := want[k]
		g, gok := got[k]
		if wok == gok && w == g {
			continue
		}
		if wok {
			b.WriteString("- " + k + ": " + w + "\n")
		}
		if gok {
			b.WriteString("+ " + k + ": " + g + "\n")
		}
	}
	return b.String()
}

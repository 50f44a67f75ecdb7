package hubspottest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func input(trace string, p map[string]string) map[string]any {
	in := map[string]any{"properties": p}
	if trace != "" {
		in["objectWriteTraceId"] = trace
	}
	return in
}

func TestBatchCreate(t *testing.T) {
	s := NewServer(t, Options{})
	existing := mustCreate(t, s, "contacts", map[string]string{"email": "taken@example.com"})

	t.Run("all good is 201 COMPLETE", func(t *testing.T) {
		r := call(t, s, "POST", "/crm/objects/2026-09/contacts/batch/create", map[string]any{"inputs": []any{
			input("", map[string]string{"email": "a1@example.com"}), input("", map[string]string{"email": "a2@example.com"}),
		}})
		require.Equal(t, http.StatusCreated, r.Status, string(r.Raw))
		assert.Equal(t, "COMPLETE", r.JSON["status"])
		assert.Len(t, r.list("results"), 2)
		assert.NotEmpty(t, r.JSON["startedAt"])
		assert.NotEmpty(t, r.JSON["completedAt"])
		assert.NotContains(t, r.JSON, "errors")
	})
	t.Run("conflict without trace ids fails the whole batch", func(t *testing.T) {
		n := s.RecordCount("contacts")
		r := call(t, s, "POST", "/crm/v3/objects/contacts/batch/create", map[string]any{"inputs": []any{
			input("", map[string]string{"email": "b1@example.com"}), input("", map[string]string{"email": "taken@example.com"}),
		}})
		assert.Equal(t, http.StatusConflict, r.Status)
		// contacts-batch-create-409-conflict.json: no "Existing ID" in this form.
		assert.Equal(t, "Contact already exists", r.JSON["message"])
		assert.Equal(t, "CONFLICT", r.JSON["category"])
		assert.Equal(t, n, s.RecordCount("contacts"), "nothing was written")
	})
	t.Run("conflict with trace ids is a 207", func(t *testing.T) {
		r := call(t, s, "POST", "/crm/v3/objects/contacts/batch/create", map[string]any{"inputs": []any{
			input("0", map[string]string{"email": "taken@example.com"}),
			input("1", map[string]string{"email": "c1@example.com"}),
			input("2", map[string]string{"email": "C1@example.com"}), // duplicate inside the batch
			input("3", map[string]string{"email": "c3@example.com", "nope": "x"}),
		}})
		require.Equal(t, http.StatusMultiStatus, r.Status, string(r.Raw))
		assert.Equal(t, "COMPLETE", r.JSON["status"])
		assert.EqualValues(t, 3, r.JSON["numErrors"])
		res := r.list("results")
		require.Len(t, res, 1)
		assert.Equal(t, "1", res[0]["objectWriteTraceId"])
		errs := r.list("errors")
		require.Len(t, errs, 3)
		assert.Equal(t, "CONFLICT", errs[0]["category"])
		assert.Equal(t, "Contact already exists. Existing ID: "+existing, errs[0]["message"])
		assert.Equal(t, map[string]any{"objectWriteTraceId": []any{"0"}, "existingId": []any{existing}}, errs[0]["context"])
		assert.Equal(t, "Contact already exists. Existing ID: "+res[0]["id"].(string), errs[1]["message"])
		assert.Equal(t, "VALIDATION_ERROR", errs[2]["category"])
		assert.Equal(t, []any{"3"}, errs[2]["context"].(map[string]any)["objectWriteTraceId"])
	})
	t.Run("validation without trace ids is the recorded 400", func(t *testing.T) {
		r := call(t, s, "POST", "/crm/v3/objects/contacts/batch/create", map[string]any{"inputs": []any{
			input("", map[string]string{"first000name": "x", "last000name": "y"}),
		}})
		assert.Equal(t, http.StatusBadRequest, r.Status)
		assert.Equal(t, "VALIDATION_ERROR", r.JSON["category"])
		assert.True(t, strings.HasPrefix(r.JSON["message"].(string), `Property values were not valid: [{"isValid":false,"message":"Property \"first000name\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"first000name"}`), r.JSON["message"])
		errs := r.list("errors")
		require.Len(t, errs, 2)
		assert.Equal(t, "PROPERTY_DOESNT_EXIST", errs[0]["code"])
		assert.Equal(t, map[string]any{"propertyName": []any{"first000name"}}, errs[0]["context"])
	})
	t.Run("more than 100 inputs is a 400", func(t *testing.T) {
		inputs := make([]any, 101)
		for i := range inputs {
			inputs[i] = input("", map[string]string{"firstname": "x"})
		}
		r := call(t, s, "POST", "/crm/v3/objects/contacts/batch/create", map[string]any{"inputs": inputs})
		assert.Equal(t, http.StatusBadRequest, r.Status)
		assert.Equal(t, "VALIDATION_ERROR", r.JSON["category"])
	})
}

func TestBatchReadUpdateArchive(t *testing.T) {
	s := NewServer(t, Options{})
	a := mustCreate(t, s, "contacts", map[string]string{"email": "a@example.com", "firstname": "A"})
	b := mustCreate(t, s, "contacts", map[string]string{"email": "b@example.com"})

	r := call(t, s, "POST", "/crm/objects/2026-03/contacts/batch/read", map[string]any{"properties": []string{"firstname"}, "inputs": []any{map[string]string{"id": a}, map[string]string{"id": "777"}}})
	require.Equal(t, http.StatusMultiStatus, r.Status, string(r.Raw))
	res := r.list("results")
	require.Len(t, res, 1)
	assert.Equal(t, "A", props(res[0])["firstname"])
	errs := r.list("errors")
	require.Len(t, errs, 1)
	assert.Equal(t, "OBJECT_NOT_FOUND", errs[0]["category"])
	assert.Equal(t, "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.", errs[0]["message"])
	assert.Equal(t, map[string]any{"ids": []any{"777"}}, errs[0]["context"])

	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/read", map[string]any{"idProperty": "email", "inputs": []any{map[string]string{"id": "B@example.com"}}})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	assert.Equal(t, b, r.list("results")[0]["id"])

	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/update", map[string]any{"inputs": []any{
		map[string]any{"id": a, "properties": map[string]string{"lastname": "Z"}},
		map[string]any{"id": "unknownIdentifier888", "properties": map[string]string{"lastname": "Q"}},
	}})
	require.Equal(t, http.StatusMultiStatus, r.Status, string(r.Raw))
	assert.Equal(t, map[string]any{"ids": []any{"unknownIdentifier888"}}, r.list("errors")[0]["context"])
	rec, _ := s.Record("contacts", a)
	assert.Equal(t, "Z", rec.Properties["lastname"])

	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/update", map[string]any{"inputs": []any{
		map[string]any{"id": a, "properties": map[string]string{"lastname": "1"}}, map[string]any{"id": a, "properties": map[string]string{"lastname": "2"}},
	}})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, fmt.Sprintf("Duplicate IDs found in batch input: [%s]. IDs must be unique", a), r.JSON["message"])
	assert.Equal(t, map[string]any{"ids": []any{a}}, r.JSON["context"])
	assert.NotContains(t, r.JSON, "errors")

	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/update", map[string]any{"inputs": []any{
		map[string]any{"id": b, "properties": map[string]string{"email": "a@example.com"}},
	}})
	assert.Equal(t, http.StatusConflict, r.Status, "unique values hold on update")

	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/archive", map[string]any{"inputs": []any{map[string]string{"id": a}, map[string]string{"id": "1"}}})
	assert.Equal(t, http.StatusNoContent, r.Status)
	assert.Equal(t, 1, s.RecordCount("contacts"))
}

func TestBatchUpsert(t *testing.T) {
	s := NewServer(t, Options{})
	require.NoError(t, s.CreateProperty("companies", Property{Name: "cw_company_id", Label: "CW id", Type: "string", FieldType: "text", HasUniqueValue: true}))
	old := mustCreate(t, s, "companies", map[string]string{"name": "Old", "cw_company_id": "CW-1"})
	up := func(body any) resp {
		return call(t, s, "POST", "/crm/objects/2026-09/companies/batch/upsert", body)
	}
	r := up(map[string]any{"inputs": []any{
		map[string]any{"id": "CW-1", "idProperty": "cw_company_id", "objectWriteTraceId": "t1", "properties": map[string]string{"name": "Renamed"}},
		map[string]any{"id": "CW-2", "idProperty": "cw_company_id", "objectWriteTraceId": "t2", "properties": map[string]string{"name": "New"}},
	}})
	require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
	res := r.list("results")
	require.Len(t, res, 2)
	assert.Equal(t, old, res[0]["id"])
	assert.Equal(t, false, res[0]["new"])
	assert.Equal(t, true, res[1]["new"])
	assert.Equal(t, "t2", res[1]["objectWriteTraceId"])
	assert.Equal(t, "CW-2", props(res[1])["cw_company_id"])
	assert.Equal(t, 2, s.RecordCount("companies"))

	r = up(map[string]any{"inputs": []any{map[string]any{"id": "Acme", "idProperty": "name", "properties": map[string]string{}}}})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "Unable to perform update/upsert by non-unique 0-2 property", r.JSON["message"])
	r = up(map[string]any{"inputs": []any{map[string]any{"id": "1", "idProperty": "hs_object_id", "properties": map[string]string{}}}})
	assert.Equal(t, http.StatusBadRequest, r.Status, "hs_object_id is not an upsert key")

	// With trace ids a bad input is a 207 and the others land.
	r = up(map[string]any{"inputs": []any{
		map[string]any{"id": "CW-3", "idProperty": "cw_company_id", "objectWriteTraceId": "a", "properties": map[string]string{"numberofemployees": "1,000"}},
		map[string]any{"id": "CW-4", "idProperty": "cw_company_id", "objectWriteTraceId": "b", "properties": map[string]string{"name": "Four"}},
	}})
	require.Equal(t, http.StatusMultiStatus, r.Status, string(r.Raw))
	assert.Len(t, r.list("results"), 1)
	assert.Equal(t, "INVALID_DECIMAL", r.list("errors")[0]["errors"].([]any)[0].(map[string]any)["code"])

	// Contacts by email: partial upserts are not supported, so one bad input fails all.
	r = call(t, s, "POST", "/crm/v3/objects/contacts/batch/upsert", map[string]any{"inputs": []any{
		map[string]any{"id": "x@example.com", "idProperty": "email", "objectWriteTraceId": "a", "properties": map[string]string{"lifecyclestage": "nope"}},
		map[string]any{"id": "y@example.com", "idProperty": "email", "objectWriteTraceId": "b", "properties": map[string]string{"firstname": "Y"}},
	}})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, 0, s.RecordCount("contacts"))
}

// TestBatchUpsert25000Contacts pushes 25,000 contacts through 250 batch upserts
// of 100 and checks the call count and the stored records.
func TestBatchUpsert25000Contacts(t *testing.T) {
	s := NewServer(t, Options{})
	const total, per = 25_000, 100
	for start := 0; start < total; start += per {
		inputs := make([]any, 0, per)
		for i := start; i < start+per; i++ {
			email := fmt.Sprintf("bulk%05d@example.com", i)
			inputs = append(inputs, map[string]any{"id": email, "idProperty": "email", "objectWriteTraceId": fmt.Sprint(i),
				"properties": map[string]string{"firstname": fmt.Sprint("F", i)}})
		}
		r := call(t, s, "POST", "/crm/objects/2026-09/contacts/batch/upsert", map[string]any{"inputs": inputs})
		require.Equal(t, http.StatusOK, r.Status, string(r.Raw))
		require.Len(t, r.list("results"), per)
	}
	assert.Equal(t, 250, s.CountOp(OpBatchUpsert))
	assert.Equal(t, 250, s.Count(Route("POST /crm/objects/{version}/{objectType}/batch/upsert")))
	assert.Equal(t, 250, s.Count(Path("POST", "/crm/objects/2026-09/contacts/batch/upsert")))
	assert.Equal(t, total, s.RecordCount("contacts"))
	rec := s.FindRecords("contacts", "email", "bulk12345@example.com")
	require.Len(t, rec, 1)
	assert.Equal(t, "F12345", rec[0].Properties["firstname"])
}

// TestConcurrentUpsertsNeverDuplicate races upserts of overlapping emails.
func TestConcurrentUpsertsNeverDuplicate(t *testing.T) {
	s := NewServer(t, Options{})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				inputs := []any{}
				for k := range 10 {
					email := fmt.Sprintf("race%02d@example.com", (i*10+k+g)%60)
					inputs = append(inputs, map[string]any{"id": email, "idProperty": "email", "properties": map[string]string{"firstname": fmt.Sprint(g)}})
				}
				r := call(t, s, "POST", "/crm/v3/objects/contacts/batch/upsert", map[string]any{"inputs": inputs})
				assert.Equal(t, http.StatusOK, r.Status)
				call(t, s, "POST", "/crm/v3/objects/contacts/search", map[string]any{"limit": 5})
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 60, s.RecordCount("contacts"))
	assert.Equal(t, 80, s.CountOp(OpBatchUpsert))
}

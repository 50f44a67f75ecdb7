package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type wireUpsertInput struct {
	ID         string            `json:"id"`
	IDProperty string            `json:"idProperty"`
	Properties map[string]string `json:"properties"`
	TraceID    string            `json:"objectWriteTraceId"`
}

// upsertServer answers batch upserts like HubSpot: inputs whose email contains
// "bad" fail with a 207 VALIDATION_ERROR carrying their objectWriteTraceId; ids
// seen before are updates (new=false), others creations.
type upsertServer struct {
	mu     sync.Mutex
	sizes  []int
	traces []string
	known  map[string]bool
}

func (s *upsertServer) handle(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Inputs []wireUpsertInput `json:"inputs"`
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.known == nil {
			s.known = map[string]bool{}
		}
		s.sizes = append(s.sizes, len(body.Inputs))
		var results, errs []string
		for _, in := range body.Inputs {
			s.traces = append(s.traces, in.TraceID)
			if strings.Contains(in.ID, "bad") {
				errs = append(errs, fmt.Sprintf(`{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: email %s","context":{"objectWriteTraceId":[%q]}}`, in.ID, in.TraceID))
				continue
			}
			isNew := !s.known[in.ID]
			s.known[in.ID] = true
			results = append(results, fmt.Sprintf(`{"id":"%d","new":%t,"objectWriteTraceId":%q,"properties":{"email":%q},"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z","archived":false}`, 1000+len(s.known), isNew, in.TraceID, in.ID))
		}
		status := 200
		tail := ""
		if len(errs) > 0 {
			status = 207
			tail = fmt.Sprintf(`,"errors":[%s],"numErrors":%d`, strings.Join(errs, ","), len(errs))
		}
		writeJSON(w, status, fmt.Sprintf(`{"status":"COMPLETE","startedAt":"2026-01-01T00:00:00Z","completedAt":"2026-01-01T00:00:01Z","results":[%s]%s}`, strings.Join(results, ","), tail))
	}
}

func upsertInputs(n int, bad ...int) []BatchUpsertInput {
	in := make([]BatchUpsertInput, n)
	for i := range in {
		email := fmt.Sprintf("c%d@example.com", i)
		for _, b := range bad {
			if b == i {
				email = fmt.Sprintf("bad%d@example", i)
			}
		}
		in[i] = BatchUpsertInput{ID: email, IDProperty: "email", Properties: map[string]string{"firstname": "N" + strconv.Itoa(i)}}
	}
	return in
}

func TestBatchUpsertSplitsAndMaps207(t *testing.T) {
	c, mux, _ := setup(t)
	srv := &upsertServer{}
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/upsert", srv.handle(t))

	inputs := upsertInputs(250, 7, 180)
	res, resp, err := c.Contacts.BatchUpsert(context.Background(), inputs)
	require.NotNil(t, resp)
	assert.Equal(t, []int{100, 100, 50}, srv.sizes)
	for i, tr := range srv.traces {
		assert.Equal(t, strconv.Itoa(i), tr, "trace id of input %d", i)
	}
	assert.Len(t, res, 248, "the other inputs land")
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.ErrorIs(t, err, ErrValidation)
	require.Len(t, be.Failures, 2)
	assert.Equal(t, 7, be.Failures[0].Index)
	assert.Equal(t, "bad7@example", be.Failures[0].ID)
	assert.Equal(t, 180, be.Failures[1].Index)
	assert.Nil(t, be.Abort)
	assert.Equal(t, 250, be.Inputs)
	ferr, failed := be.Failed(180)
	assert.True(t, failed)
	var ae *APIError
	require.ErrorAs(t, ferr, &ae)
	assert.Equal(t, CategoryValidation, ae.Category)
	assert.Contains(t, be.Error(), "2 of 250 inputs failed (input 7 id bad7@example")
	for _, r := range res {
		assert.True(t, r.New)
	}

	// Upserting again updates.
	res, _, err = c.Contacts.BatchUpsert(context.Background(), inputs[:5])
	require.NoError(t, err)
	require.Len(t, res, 5)
	for _, r := range res {
		assert.False(t, r.New, "second upsert of %s is an update", r.Get("email"))
	}
}

func TestBatchUpsertRejectsBadInputsBeforeSending(t *testing.T) {
	c, mux, _ := setup(t)
	srv := &upsertServer{}
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/upsert", srv.handle(t))
	inputs := []BatchUpsertInput{
		{ID: "a@x.io", IDProperty: "email"},
		{ID: "a@x.io", IDProperty: "email"},
		{ID: "", IDProperty: "email"},
		{ID: "b@x.io"},
		{ID: "c@x.io", IDProperty: "email", TraceID: "0"},
		{ID: "d@x.io", IDProperty: "email", TraceID: "t"},
		{ID: "e@x.io", IDProperty: "email", TraceID: "t"},
		{ID: "a@x.io", IDProperty: "cw_id"},
	}
	res, _, err := c.Contacts.BatchUpsert(context.Background(), inputs)
	assert.Len(t, res, 4)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	var idx []int
	for _, f := range be.Failures {
		idx = append(idx, f.Index)
		var ie *InputError
		require.ErrorAs(t, f.Err, &ie)
		assert.ErrorIs(t, f.Err, ErrValidation)
	}
	assert.Equal(t, []int{1, 2, 3, 6}, idx)
	assert.Equal(t, []int{4}, srv.sizes)
	assert.Equal(t, []string{"#0", "0", "t", "7"}, srv.traces, "a generated trace id never collides with a caller's")
	assert.Contains(t, be.Failures[0].Err.Error(), "duplicates input 0")
	assert.Contains(t, be.Failures[2].Err.Error(), "idProperty")
	assert.Contains(t, be.Failures[3].Err.Error(), "objectWriteTraceId")
}

func TestBatchCreateConflictReportsExistingID(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/create", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"inputs":[
			{"properties":{"email":"new@x.io"},"objectWriteTraceId":"0"},
			{"properties":{"email":"taken@x.io"},"objectWriteTraceId":"mine-1"}]}`)
		writeJSON(w, 207, `{"status":"COMPLETE","results":[{"id":"501","properties":{"email":"new@x.io"},"objectWriteTraceId":"0"}],
			"errors":[{"status":"error","category":"CONFLICT","message":"Contact already exists. Existing ID: 171591000198",
			"context":{"objectWriteTraceId":["mine-1"],"existingId":["171591000198"]}}],"numErrors":1}`)
	})
	res, _, err := c.Contacts.BatchCreate(context.Background(), []BatchCreateInput{
		{Properties: map[string]string{"email": "new@x.io"}},
		{Properties: map[string]string{"email": "taken@x.io"}, TraceID: "mine-1"},
	})
	require.Len(t, res, 1)
	assert.Equal(t, "0", res[0].ObjectWriteTraceID)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.ErrorIs(t, err, ErrConflict)
	require.Len(t, be.Failures, 1)
	f := be.Failures[0]
	assert.Equal(t, 1, f.Index)
	assert.Equal(t, "mine-1", f.TraceID)
	var ae *APIError
	require.ErrorAs(t, f.Err, &ae)
	assert.Equal(t, "171591000198", ae.ExistingID())
	assert.Equal(t, 207, ae.StatusCode)
}

func TestBatchUpdateNotFoundMappedByID(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/update", func(w http.ResponseWriter, r *http.Request) {
		testJSONBody(t, r, `{"inputs":[
			{"id":"171591000199","properties":{"firstname":"Siena"},"objectWriteTraceId":"0"},
			{"id":"888","properties":{},"objectWriteTraceId":"1"}]}`)
		writeJSON(w, 207, `{"status":"COMPLETE","results":[{"id":"171591000199","properties":{"firstname":"Siena"}}],
			"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some CONTACT objects, they may be deleted or not exist.","context":{"ids":["888"]}}],"numErrors":1}`)
	})
	res, _, err := c.Contacts.BatchUpdate(context.Background(), []BatchUpdateInput{
		{ID: "171591000199", Properties: map[string]string{"firstname": "Siena"}},
		{ID: "888"},
	})
	assert.Len(t, res, 1)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.ErrorIs(t, err, ErrNotFound)
	require.Len(t, be.Failures, 1)
	assert.Equal(t, 1, be.Failures[0].Index)
	assert.Equal(t, "888", be.Failures[0].ID)
}

func TestBatchUnmatchedErrorKept(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/deals/batch/update", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 207, `{"status":"COMPLETE","results":[],"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"something"}]}`)
	})
	_, _, err := c.Deals.BatchUpdate(context.Background(), []BatchUpdateInput{{ID: "1"}})
	var be *BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Failures, 1)
	assert.Equal(t, -1, be.Failures[0].Index)
	assert.Contains(t, be.Error(), "unmatched")
}

func TestBatchChunkLevel400FailsOnlyThatChunk(t *testing.T) {
	c, mux, _ := setup(t)
	calls := 0
	mux.HandleFunc("POST /crm/objects/2026-09/companies/batch/update", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			writeJSON(w, 400, `{"status":"error","message":"Duplicate IDs found in batch input: [123456]. IDs must be unique","correlationId":"d1","context":{"ids":["123456"]},"category":"VALIDATION_ERROR"}`)
			return
		}
		writeJSON(w, 200, `{"status":"COMPLETE","results":[{"id":"x"}]}`)
	})
	in := make([]BatchUpdateInput, 101)
	for i := range in {
		in[i] = BatchUpdateInput{ID: strconv.Itoa(i + 1)}
	}
	res, _, err := c.Companies.BatchUpdate(context.Background(), in)
	assert.Equal(t, 2, calls)
	assert.Len(t, res, 1)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.Len(t, be.Failures, 100)
	assert.Nil(t, be.Abort)
}

func TestBatchStopsOnRepeatedRequestLevelError(t *testing.T) {
	c, mux, _ := setup(t)
	calls := 0
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/upsert", func(w http.ResponseWriter, r *http.Request) {
		calls++
		writeJSON(w, 400, `{"status":"error","message":"Unable to perform update/upsert by non-unique 0-1 property","category":"VALIDATION_ERROR"}`)
	})
	in := make([]BatchUpsertInput, 450)
	for i := range in {
		in[i] = BatchUpsertInput{ID: strconv.Itoa(i), IDProperty: "firstname"} // not unique: HubSpot refuses the request
	}
	_, _, err := c.Contacts.BatchUpsert(context.Background(), in)
	assert.Equal(t, 2, calls, "a request-level error seen twice stops the call")
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.Len(t, be.Failures, 200)
	assert.Equal(t, 200, be.Unsent)
	require.Error(t, be.Abort)
	assert.ErrorIs(t, err, ErrValidation)
}

func TestBatchAbortsOnUnauthorized(t *testing.T) {
	c, mux, _ := setup(t)
	calls := 0
	mux.HandleFunc("POST /crm/objects/2026-09/companies/batch/upsert", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 2 {
			writeJSON(w, 401, `{"status":"error","message":"expired","category":"EXPIRED_AUTHENTICATION"}`)
			return
		}
		writeJSON(w, 200, `{"status":"COMPLETE","results":[]}`)
	})
	in := make([]BatchUpsertInput, 300)
	for i := range in {
		in[i] = BatchUpsertInput{ID: strconv.Itoa(i), IDProperty: "cw_company_id"}
	}
	_, _, err := c.Companies.BatchUpsert(context.Background(), in)
	assert.Equal(t, 2, calls, "the third chunk is not sent")
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 100, be.Unsent)
	assert.Empty(t, be.Failures)
	assert.Contains(t, be.Error(), "stopped before input 100")
}

func TestBatchReadReportsMissing(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /crm/objects/2026-09/contacts/batch/read", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, map[string][]string{"archived": {"true"}})
		testJSONBody(t, r, `{"properties":["email"],"propertiesWithHistory":[],"idProperty":"email","inputs":[{"id":"a@x.io"},{"id":"gone@x.io"}]}`)
		writeJSON(w, 207, `{"status":"COMPLETE","results":[{"id":"1","properties":{"email":"a@x.io"}}],
			"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some CONTACT objects","context":{"ids":["gone@x.io"]}}]}`)
	})
	res, _, err := c.Contacts.BatchRead(context.Background(), []string{"a@x.io", "gone@x.io"}, &BatchReadOptions{Properties: []string{"email"}, IDProperty: "email", Archived: true})
	assert.Len(t, res, 1)
	assert.ErrorIs(t, err, ErrNotFound)
	var be *BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 1, be.Failures[0].Index)
}

func TestBatchArchiveChunks(t *testing.T) {
	c, mux, _ := setup(t)
	var sizes []int
	mux.HandleFunc("POST /crm/objects/2026-09/deals/batch/archive", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Inputs []struct {
				ID string `json:"id"`
			} `json:"inputs"`
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		sizes = append(sizes, len(body.Inputs))
		w.WriteHeader(204)
	})
	ids := make([]string, 205)
	for i := range ids {
		ids[i] = strconv.Itoa(i + 1)
	}
	resp, err := c.Deals.BatchArchive(context.Background(), ids)
	require.NoError(t, err)
	assert.Equal(t, 204, resp.StatusCode)
	assert.Equal(t, []int{100, 100, 5}, sizes)
}

func TestBatchEmptyInputs(t *testing.T) {
	c, _, _ := setup(t)
	res, resp, err := c.Contacts.BatchUpsert(context.Background(), nil)
	require.NoError(t, err)
	assert.Nil(t, resp)
	assert.Empty(t, res)
	_, err = c.Contacts.BatchArchive(context.Background(), nil)
	require.NoError(t, err)
}

func TestBatchErrorUnwrapsAll(t *testing.T) {
	be := &BatchError{Op: "x", Inputs: 2, Failures: []BatchFailure{{Index: 0, Err: &APIError{StatusCode: 207, Category: CategoryConflict}}}, Abort: &APIError{StatusCode: 401}}
	assert.True(t, errors.Is(be, ErrConflict))
	assert.True(t, errors.Is(be, ErrUnauthorized))
	assert.False(t, errors.Is(be, ErrNotFound))
}

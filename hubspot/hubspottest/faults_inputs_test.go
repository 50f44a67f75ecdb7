package hubspottest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// inputFake is a fake with a unique company property and a real client.
func inputFake(t *testing.T) (*hubspottest.Server, *hubspot.Client) {
	s := hubspottest.NewServer(t, hubspottest.Options{})
	require.NoError(t, s.CreateProperty("companies", hubspottest.Property{Name: "ext_id", Label: "External ID", Type: "string",
		FieldType: "text", HasUniqueValue: true}))
	return s, s.Client(hubspot.WithoutRateLimit(), hubspot.WithSleep(noSleep))
}

// failure returns the *APIError of the input at index, requiring one.
func failure(t *testing.T, err error, index int) *hubspot.APIError {
	t.Helper()
	var be *hubspot.BatchError
	require.ErrorAs(t, err, &be)
	ferr, ok := be.Failed(index)
	require.True(t, ok, "input %d did not fail: %v", index, err)
	var ae *hubspot.APIError
	require.ErrorAs(t, ferr, &ae)
	return ae
}

func TestFailInputsUpsert(t *testing.T) {
	s, c := inputFake(t)
	var seen []hubspottest.BatchInput
	inj := s.FailInputs(hubspottest.OpBatchUpsert, 1, func(in hubspottest.BatchInput) *hubspottest.InputFault {
		seen = append(seen, in)
		if in.Properties["name"] == "Globex" {
			return &hubspottest.InputFault{}
		}
		return nil
	})
	inputs := []hubspot.BatchUpsertInput{
		{ID: "A1", IDProperty: "ext_id", Properties: map[string]string{"name": "Acme"}},
		{ID: "G1", IDProperty: "ext_id", Properties: map[string]string{"name": "Globex"}, TraceID: "globex-1"},
		{ID: "I1", IDProperty: "ext_id", Properties: map[string]string{"name": "Initech"}},
	}
	res, resp, err := c.Objects("companies").BatchUpsert(context.Background(), inputs)
	require.Error(t, err)
	assert.Equal(t, http.StatusMultiStatus, resp.StatusCode)
	ae := failure(t, err, 1)
	assert.Equal(t, http.StatusMultiStatus, ae.StatusCode)
	assert.Equal(t, "INTERNAL_ERROR", ae.Category)
	assert.Equal(t, []string{"globex-1"}, ae.Context["objectWriteTraceId"], "the error names the input as validation failures do")
	var be *hubspot.BatchError
	require.ErrorAs(t, err, &be)
	assert.Len(t, be.Failures, 1)
	assert.Nil(t, be.Abort)
	assert.False(t, errors.Is(err, hubspot.ErrValidation) || errors.Is(err, hubspot.ErrConflict), "a transient failure is not a refusal")
	require.Len(t, res, 2, "the other inputs are written")
	assert.Len(t, s.FindRecords("companies", "ext_id", "A1"), 1)
	assert.Len(t, s.FindRecords("companies", "ext_id", "I1"), 1)
	assert.Empty(t, s.FindRecords("companies", "ext_id", "G1"), "the failed input is not written")
	assert.Equal(t, 1, inj.Hits())

	// What the hook saw.
	require.Len(t, seen, 3)
	assert.Equal(t, hubspottest.BatchInput{ObjectType: "companies", Index: 1, ID: "G1", IDProperty: "ext_id", TraceID: "globex-1",
		Properties: map[string]string{"name": "Globex"}}, seen[1])

	// n = 1: the next call goes through and creates the record once.
	res, _, err = c.Objects("companies").BatchUpsert(context.Background(), inputs)
	require.NoError(t, err)
	require.Len(t, res, 3)
	assert.Len(t, s.FindRecords("companies", "ext_id", "G1"), 1)
	assert.Equal(t, 1, inj.Hits())
}

func TestFailInputsCreateUpdateRead(t *testing.T) {
	s, c := inputFake(t)
	ctx := context.Background()
	contacts := c.Objects("contacts")
	byEmail := func(in hubspottest.BatchInput) *hubspottest.InputFault {
		if strings.HasPrefix(in.Properties["email"], "bob@") {
			return &hubspottest.InputFault{Message: "try again"}
		}
		return nil
	}
	s.FailInputs(hubspottest.OpBatchCreate, 1, byEmail)
	created, _, err := contacts.BatchCreate(ctx, []hubspot.BatchCreateInput{
		{Properties: map[string]string{"email": "ann@example.com"}},
		{Properties: map[string]string{"email": "bob@example.com"}},
	})
	ae := failure(t, err, 1)
	assert.Equal(t, "try again", ae.Message)
	assert.Equal(t, []string{"1"}, ae.Context["objectWriteTraceId"])
	require.Len(t, created, 1)
	assert.Equal(t, 1, s.RecordCount("contacts"), "bob was not created")
	ann := created[0].ID

	bob, err := s.CreateRecord("contacts", map[string]string{"email": "bob@example.com"})
	require.NoError(t, err)
	inj := s.FailInputs(hubspottest.OpBatchUpdate, 0, func(in hubspottest.BatchInput) *hubspottest.InputFault {
		if in.ID == bob {
			return &hubspottest.InputFault{Category: hubspot.CategoryValidation, SubCategory: "x.y"}
		}
		return nil
	})
	for range 2 { // n = 0: armed until removed
		_, _, err = contacts.BatchUpdate(ctx, []hubspot.BatchUpdateInput{
			{ID: ann, Properties: map[string]string{"firstname": "Ann"}},
			{ID: bob, Properties: map[string]string{"firstname": "Bob"}},
		})
		ae = failure(t, err, 1)
		assert.ErrorIs(t, ae, hubspot.ErrValidation, "a permanent category the caller chose")
		assert.Equal(t, "x.y", ae.SubCategory)
	}
	assert.Equal(t, 2, inj.Hits())
	r, _ := s.Record("contacts", bob)
	assert.Empty(t, r.Properties["firstname"])
	r, _ = s.Record("contacts", ann)
	assert.Equal(t, "Ann", r.Properties["firstname"])
	inj.Remove()
	_, _, err = contacts.BatchUpdate(ctx, []hubspot.BatchUpdateInput{{ID: bob, Properties: map[string]string{"firstname": "Bob"}}})
	require.NoError(t, err)

	// Batch read: the input is named by id (reads carry no trace ids), next to
	// a record that does not exist.
	s.FailInputs(hubspottest.OpBatchRead, 1, func(in hubspottest.BatchInput) *hubspottest.InputFault {
		assert.Nil(t, in.Properties)
		if in.ID == ann {
			return &hubspottest.InputFault{}
		}
		return nil
	})
	objs, _, err := contacts.BatchRead(ctx, []string{ann, bob, "999"}, &hubspot.BatchReadOptions{Properties: []string{"firstname"}})
	require.Len(t, objs, 1)
	assert.Equal(t, "Bob", objs[0].Properties["firstname"])
	ae = failure(t, err, 0)
	assert.Equal(t, "INTERNAL_ERROR", ae.Category)
	assert.NotErrorIs(t, ae, hubspot.ErrNotFound)
	assert.ErrorIs(t, failure(t, err, 2), hubspot.ErrNotFound)
}

func TestFailInputsArchive(t *testing.T) {
	s, c := inputFake(t)
	a, _ := s.CreateRecord("companies", map[string]string{"name": "A"})
	b, _ := s.CreateRecord("companies", map[string]string{"name": "B"})
	s.FailInputs(hubspottest.OpBatchArchive, 1, func(in hubspottest.BatchInput) *hubspottest.InputFault {
		if in.ID == b {
			return &hubspottest.InputFault{}
		}
		return nil
	})
	_, err := c.Objects("companies").BatchArchive(context.Background(), []string{a, b})
	assert.Equal(t, "INTERNAL_ERROR", failure(t, err, 1).Category)
	ra, _ := s.Record("companies", a)
	rb, _ := s.Record("companies", b)
	assert.True(t, ra.Archived)
	assert.False(t, rb.Archived, "the failed input stays")
	_, err = c.Objects("companies").BatchArchive(context.Background(), []string{b})
	require.NoError(t, err, "204 again once the injection is used up")
}

// Without per-input reporting (an upsert keyed on email, hubspot-api.md §4) the
// input fails the whole request with the fault's status; the client retries
// the idempotent upsert and the retry, past the injection, writes both.
func TestFailInputsWholeRequest(t *testing.T) {
	s, c := inputFake(t)
	inj := s.FailInputs(hubspottest.OpBatchUpsert, 1, func(in hubspottest.BatchInput) *hubspottest.InputFault {
		if in.ID == "bob@example.com" {
			return &hubspottest.InputFault{Status: http.StatusServiceUnavailable}
		}
		return nil
	})
	_, _, err := c.Objects("contacts").BatchUpsert(context.Background(), []hubspot.BatchUpsertInput{
		{ID: "ann@example.com", IDProperty: "email"}, {ID: "bob@example.com", IDProperty: "email"}})
	require.NoError(t, err)
	calls := s.Calls(s.Op(hubspottest.OpBatchUpsert))
	require.Len(t, calls, 2)
	assert.Equal(t, http.StatusServiceUnavailable, calls[0].Status)
	assert.Equal(t, 2, s.RecordCount("contacts"))
	assert.Equal(t, 1, inj.Hits())

	// ClearFaults disarms per-input faults too.
	s.FailInputs(hubspottest.OpBatchUpsert, 0, func(hubspottest.BatchInput) *hubspottest.InputFault { return &hubspottest.InputFault{} })
	s.ClearFaults()
	_, _, err = c.Objects("contacts").BatchUpsert(context.Background(), []hubspot.BatchUpsertInput{{ID: "cy@example.com", IDProperty: "email"}})
	require.NoError(t, err)
	assert.Panics(t, func() { s.FailInputs(hubspottest.OpSearch, 1, nil) })
}

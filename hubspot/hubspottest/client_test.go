package hubspottest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests drive the fake through the real client, so the two
// implementations check each other.

func TestClientRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, v := range []hubspot.APIVersion{hubspot.Version202609, hubspot.Version202603, hubspot.VersionLegacy} {
		t.Run(string(v), func(t *testing.T) {
			s := hubspottest.NewServer(t, hubspottest.Options{})
			c := s.Client(hubspot.WithAPIVersion(v))
			created, _, err := c.Contacts.Create(ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "rt@example.com", "firstname": "R"}})
			require.NoError(t, err)
			got, _, err := c.Contacts.Get(ctx, created.ID, &hubspot.GetOptions{Properties: []string{"firstname"}})
			require.NoError(t, err)
			assert.Equal(t, "R", got.Properties["firstname"])
			_, _, err = c.Contacts.Get(ctx, "424242", nil)
			assert.True(t, errors.Is(err, hubspot.ErrNotFound), "%v", err)
			_, _, err = c.Contacts.Create(ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "RT@example.com"}})
			assert.True(t, errors.Is(err, hubspot.ErrConflict), "%v", err)
			assert.Equal(t, 2, s.CountOp(hubspottest.OpCreate))
		})
	}
}

func TestClientBatchUpsertThrough429And207(t *testing.T) {
	ctx := context.Background()
	s := hubspottest.NewServer(t, hubspottest.Options{})
	var waits []time.Duration
	c := s.Client(hubspot.WithoutRateLimit(), hubspot.WithSleep(func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}))
	body := []byte(`{"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"c033cdaa-2c40-4a64-ae48-b4cec88dad24","policyName":"TEN_SECONDLY_ROLLING","requestId":"3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd"}`)
	s.InjectOp(hubspottest.OpBatchUpsert, 1, hubspottest.Fault{Status: 429, Body: body})
	require.NoError(t, s.CreateProperty("companies", hubspottest.Property{Name: "cw_id", Label: "CW", Type: "string", FieldType: "text", HasUniqueValue: true}))
	var inputs []hubspot.BatchUpsertInput
	for i := range 150 {
		p := map[string]string{"name": fmt.Sprint("Co ", i)}
		if i == 7 {
			p["numberofemployees"] = "12,5"
		}
		inputs = append(inputs, hubspot.BatchUpsertInput{ID: fmt.Sprint("CW-", i), IDProperty: "cw_id", Properties: p})
	}
	res, _, err := c.Companies.BatchUpsert(ctx, inputs)
	var be *hubspot.BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Failures, 1)
	assert.Equal(t, 7, be.Failures[0].Index, "the 207 maps back to the failed input")
	assert.True(t, errors.Is(be.Failures[0].Err, hubspot.ErrValidation), "%v", be.Failures[0].Err)
	assert.Len(t, res, 149)
	assert.Equal(t, 149, s.RecordCount("companies"))
	assert.Equal(t, 3, s.CountOp(hubspottest.OpBatchUpsert), "one 429 waited out, then 2 calls of ≤100")
	assert.NotEmpty(t, waits)
}

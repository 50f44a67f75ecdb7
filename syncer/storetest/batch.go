package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

// fullBatch returns a valid batch touching every kind of record, tagged by n.
func fullBatch(n int) *syncer.Batch {
	id := int64(1000 + n)
	return new(syncer.Batch).
		PutLink(syncer.Link{Object: "companies", HubSpotID: fmt.Sprint("full-", n), ConnectWiseID: id, Base: []byte("base")}).
		PutCursor(fmt.Sprint("cursor-", n), "v").
		PutIntent(syncer.Intent{Object: "companies", Target: syncer.SideConnectWise, SourceID: fmt.Sprint("full-", n)}).
		PutDeadLetter(syncer.DeadLetter{Object: "companies", Side: syncer.SideHubSpot, SourceID: fmt.Sprint("dl-", n), Err: "e", Attempts: 1}).
		PutConflict(syncer.Conflict{Object: "companies", HubSpotID: fmt.Sprint("full-", n), ConnectWiseID: id, Field: "name"})
}

// requireEmpty asserts the tenant holds nothing the suite writes.
func (e *env) requireEmpty(tenant string) {
	e.t.Helper()
	for _, object := range []string{"companies", "contacts", "deals"} {
		assert.Empty(e.t, e.links(tenant, object, nil), "links of %s", object)
	}
	assert.Empty(e.t, e.intents(tenant, ""), "intents")
	assert.Empty(e.t, e.deadLetters(tenant, nil), "dead letters")
	assert.Empty(e.t, e.conflicts(tenant, ""), "conflicts")
	_, err := e.s.Cursor(e.ctx, tenant, "cursor-1")
	assert.ErrorIs(e.t, err, syncer.ErrNotFound, "cursor")
}

func (h *harness) testBatch(t *testing.T) {
	t.Run("Empty", func(t *testing.T) {
		e := h.env(t)
		e.commit(tenantA, &syncer.Batch{})
		e.commitErr(tenantA, nil, syncer.ErrInvalid)
		e.requireEmpty(tenantA)
	})
	t.Run("AllOrNothingOnConflict", func(t *testing.T) {
		e := h.env(t)
		e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "taken", ConnectWiseID: 1}))
		b := fullBatch(1).
			DeleteLink("contacts", "taken", 1).
			PutLink(syncer.Link{Object: "contacts", HubSpotID: "other", ConnectWiseID: 2}).
			PutLink(syncer.Link{Object: "contacts", HubSpotID: "other", ConnectWiseID: 3})
		err := e.commitErr(tenantA, b, syncer.ErrConflict)
		isOpError(t, err, 7)
		assert.Contains(t, err.Error(), "other", "the error names the record")
		_, err = e.link(tenantA, "contacts", "taken")
		assert.NoError(t, err, "the delete earlier in the failed batch was rolled back")
		e.requireNoLink(tenantA, "contacts", "other", 2)
		e.requireNoLink(tenantA, "companies", "full-1", 1001)
		assert.Empty(t, e.intents(tenantA, ""))
		assert.Empty(t, e.deadLetters(tenantA, nil))
		assert.Empty(t, e.conflicts(tenantA, ""))
		_, err = e.s.Cursor(e.ctx, tenantA, "cursor-1")
		assert.ErrorIs(t, err, syncer.ErrNotFound)
		e.commit(tenantA, fullBatch(1))
		_, err = e.link(tenantA, "companies", "full-1")
		assert.NoError(t, err, "the same batch without the bad op commits")
	})
	t.Run("UpsertsRolledBack", func(t *testing.T) {
		e := h.env(t)
		e.commit(tenantA, fullBatch(1))
		b := fullBatch(1).PutCursor("cursor-1", "changed").
			PutLinkIfVersion(syncer.Link{Object: "companies", HubSpotID: "full-1", ConnectWiseID: 1001}, 7)
		e.commitErr(tenantA, b, syncer.ErrConflict)
		v, err := e.s.Cursor(e.ctx, tenantA, "cursor-1")
		require.NoError(t, err)
		assert.Equal(t, "v", v)
		dl := e.deadLetters(tenantA, nil)
		require.Len(t, dl, 1)
		assert.Equal(t, 1, dl[0].Attempts, "the dead-letter increment was rolled back")
		l, err := e.link(tenantA, "companies", "full-1")
		require.NoError(t, err)
		assert.Equal(t, int64(1), l.Version)
	})
	t.Run("Validation", h.testValidation)
	t.Run("FenceWithoutLeaser", func(t *testing.T) {
		e := h.env(t)
		if _, ok := e.s.(syncer.Leaser); ok {
			t.Skip("the store implements syncer.Leaser; see the Leaser tests")
		}
		b := fullBatch(1)
		b.Fence = &syncer.Fence{Holder: "w1", Generation: 1}
		e.commitErr(tenantA, b, errors.ErrUnsupported)
		e.requireEmpty(tenantA)
	})
}

func (h *harness) testValidation(t *testing.T) {
	e := h.env(t)
	link := syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 1}
	bad := map[string]syncer.Op{
		"nil op":                nil,
		"empty object":          syncer.LinkPut{Link: syncer.Link{HubSpotID: "1", ConnectWiseID: 1}},
		"empty hubspot ID":      syncer.LinkPut{Link: syncer.Link{Object: "companies", ConnectWiseID: 1}},
		"zero connectwise ID":   syncer.LinkPut{Link: syncer.Link{Object: "companies", HubSpotID: "1"}},
		"negative cw ID":        syncer.LinkDelete{Object: "companies", HubSpotID: "1", ConnectWiseID: -4},
		"NUL in hubspot ID":     syncer.LinkPut{Link: syncer.Link{Object: "companies", HubSpotID: "1\x00", ConnectWiseID: 1}},
		"invalid UTF-8 object":  syncer.LinkPut{Link: syncer.Link{Object: "comp\xffanies", HubSpotID: "1", ConnectWiseID: 1}},
		"negative if-version":   syncer.LinkPut{Link: link, Conditional: true, IfVersion: -1},
		"empty cursor key":      syncer.CursorPut{Value: "x"},
		"NUL in cursor value":   syncer.CursorPut{Key: "k", Value: "a\x00b"},
		"empty cursor delete":   syncer.CursorDelete{},
		"bad intent side":       syncer.IntentPut{Intent: syncer.Intent{Object: "contacts", Target: "salesforce", SourceID: "1"}},
		"empty intent source":   syncer.IntentPut{Intent: syncer.Intent{Object: "contacts", Target: syncer.SideHubSpot}},
		"bad intent delete":     syncer.IntentDelete{Object: "contacts", SourceID: "1"},
		"negative attempts":     syncer.DeadLetterPut{DeadLetter: syncer.DeadLetter{Object: "c", Side: syncer.SideHubSpot, SourceID: "1", Attempts: -1}},
		"invalid UTF-8 error":   syncer.DeadLetterPut{DeadLetter: syncer.DeadLetter{Object: "c", Side: syncer.SideHubSpot, SourceID: "1", Err: "\xff"}},
		"bad dead-letter side":  syncer.DeadLetterDelete{Object: "c", Side: "", SourceID: "1"},
		"empty conflict field":  syncer.ConflictPut{Conflict: syncer.Conflict{Object: "c", HubSpotID: "1", ConnectWiseID: 1}},
		"bad conflict delete":   syncer.ConflictDelete{Object: "c", HubSpotID: "1", Field: "f"},
		"empty intent object":   syncer.IntentPut{Intent: syncer.Intent{Target: syncer.SideHubSpot, SourceID: "1"}},
		"NUL in lookup key":     syncer.IntentPut{Intent: syncer.Intent{Object: "c", Target: syncer.SideHubSpot, SourceID: "1", LookupKey: "\x00"}},
		"empty dead-letter obj": syncer.DeadLetterPut{DeadLetter: syncer.DeadLetter{Side: syncer.SideHubSpot, SourceID: "1"}},
	}
	for name, op := range bad {
		b := fullBatch(1)
		b.Ops = append(b.Ops, op)
		err := e.s.Commit(e.ctx, tenantA, b)
		if assert.ErrorIs(t, err, syncer.ErrInvalid, name) {
			isOpError(t, err, 5)
		}
	}
	e.requireEmpty(tenantA)
	for name, tenant := range map[string]string{"empty tenant": "", "NUL tenant": "a\x00", "invalid UTF-8 tenant": "\xfe"} {
		assert.ErrorIs(t, e.s.Commit(e.ctx, tenant, fullBatch(1)), syncer.ErrInvalid, name)
		_, err := e.s.Cursor(e.ctx, tenant, "k")
		assert.ErrorIs(t, err, syncer.ErrInvalid, name)
	}
	// Reads check their arguments too.
	_, err := e.s.LinkByHubSpotID(e.ctx, tenantA, "companies", "")
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = e.s.LinkByHubSpotID(e.ctx, tenantA, "", "1")
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = e.s.LinkByConnectWiseID(e.ctx, tenantA, "companies", 0)
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = e.s.LinksByHubSpotIDs(e.ctx, tenantA, "companies", []string{"1", ""})
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = e.s.LinksByConnectWiseIDs(e.ctx, tenantA, "companies", []int64{1, -1})
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = e.s.Cursor(e.ctx, tenantA, "")
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = seqErr(e.s.ListLinks(e.ctx, tenantA, "", nil))
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = seqErr(e.s.ListIntents(e.ctx, "", ""))
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = seqErr(e.s.ListDeadLetters(e.ctx, "", nil))
	assert.ErrorIs(t, err, syncer.ErrInvalid)
	_, err = seqErr(e.s.ListConflicts(e.ctx, "", ""))
	assert.ErrorIs(t, err, syncer.ErrInvalid)
}

func (h *harness) testConcurrency(t *testing.T) {
	e := h.env(t)
	const workers, perWorker = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*2)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				n := int64(w*perWorker + i + 1)
				b := new(syncer.Batch).
					PutLink(syncer.Link{Object: "contacts", HubSpotID: fmt.Sprint("c", n), ConnectWiseID: n}).
					PutCursor(fmt.Sprint("worker-", w), fmt.Sprint(i)).
					PutDeadLetter(syncer.DeadLetter{Object: "contacts", Side: syncer.SideHubSpot, SourceID: "shared", Err: "x", Attempts: 1})
				if err := e.s.Commit(e.ctx, tenantA, b); err != nil {
					errs <- err
				}
			}
		})
		wg.Go(func() { // readers alongside
			for range perWorker {
				if _, err := seqErr(e.s.ListLinks(e.ctx, tenantA, "contacts", nil)); err != nil {
					errs <- err
				}
				if _, err := e.s.LinkByConnectWiseID(e.ctx, tenantA, "contacts", 1); err != nil && !errors.Is(err, syncer.ErrNotFound) {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Len(t, e.links(tenantA, "contacts", nil), workers*perWorker)
	for w := range workers {
		v, err := e.s.Cursor(e.ctx, tenantA, fmt.Sprint("worker-", w))
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprint(perWorker-1), v)
	}
	dl := e.deadLetters(tenantA, nil)
	require.Len(t, dl, 1)
	assert.Equal(t, workers*perWorker, dl[0].Attempts, "no increment lost")

	t.Run("RaceForOneID", func(t *testing.T) {
		e := e.with(t)
		var wg sync.WaitGroup
		results := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				results <- e.s.Commit(e.ctx, tenantA, new(syncer.Batch).
					PutLink(syncer.Link{Object: "deals", HubSpotID: "contested", ConnectWiseID: int64(100 + w)}))
			})
		}
		wg.Wait()
		close(results)
		ok := 0
		for err := range results {
			if err == nil {
				ok++
				continue
			}
			assert.ErrorIs(t, err, syncer.ErrConflict)
		}
		assert.Equal(t, 1, ok, "exactly one link wins")
		assert.Len(t, e.links(tenantA, "deals", nil), 1)
	})
}

func (h *harness) testContext(t *testing.T) {
	e := h.env(t)
	e.commit(tenantA, fullBatch(1))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, e.s.Commit(ctx, tenantA, fullBatch(2)), context.Canceled)
	e.requireNoLink(tenantA, "companies", "full-2", 1002)

	_, err := e.s.LinkByHubSpotID(ctx, tenantA, "companies", "full-1")
	assert.ErrorIs(t, err, context.Canceled)
	_, err = e.s.LinkByConnectWiseID(ctx, tenantA, "companies", 1001)
	assert.ErrorIs(t, err, context.Canceled)
	_, err = e.s.LinksByHubSpotIDs(ctx, tenantA, "companies", []string{"full-1"})
	assert.ErrorIs(t, err, context.Canceled)
	_, err = e.s.LinksByConnectWiseIDs(ctx, tenantA, "companies", []int64{1001})
	assert.ErrorIs(t, err, context.Canceled)
	_, err = e.s.Cursor(ctx, tenantA, "cursor-1")
	assert.ErrorIs(t, err, context.Canceled)
	for name, seqErrFn := range map[string]func() (int, error){
		"links":        func() (int, error) { return seqErr(e.s.ListLinks(ctx, tenantA, "companies", nil)) },
		"intents":      func() (int, error) { return seqErr(e.s.ListIntents(ctx, tenantA, "")) },
		"dead letters": func() (int, error) { return seqErr(e.s.ListDeadLetters(ctx, tenantA, nil)) },
		"conflicts":    func() (int, error) { return seqErr(e.s.ListConflicts(ctx, tenantA, "")) },
	} {
		n, err := seqErrFn()
		assert.ErrorIs(t, err, context.Canceled, name)
		assert.Zero(t, n, name)
	}

	t.Run("CancelDuringIteration", func(t *testing.T) {
		e := e.with(t)
		b := new(syncer.Batch)
		for i := int64(1); i <= 1200; i++ {
			b.PutLink(syncer.Link{Object: "contacts", HubSpotID: fmt.Sprint(i), ConnectWiseID: i})
		}
		e.commit(tenantA, b)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n, errs := 0, 0
		for _, err := range e.s.ListLinks(ctx, tenantA, "contacts", nil) {
			if err != nil {
				assert.ErrorIs(t, err, context.Canceled)
				errs++
				continue
			}
			if n++; n == 5 {
				cancel()
			}
		}
		assert.Equal(t, 1, errs, "the error is yielded once, then the iterator stops")
		assert.Less(t, n, 1200, "iteration stops soon after cancel")
	})
}

func (h *harness) testTenantIsolation(t *testing.T) {
	e := h.env(t)
	e.commit(tenantA, fullBatch(1))
	e.requireEmpty(tenantB)
	// The same IDs linked differently in another tenant are no conflict.
	e.commit(tenantB, new(syncer.Batch).PutLink(syncer.Link{Object: "companies", HubSpotID: "full-1", ConnectWiseID: 5}).
		PutLink(syncer.Link{Object: "companies", HubSpotID: "other", ConnectWiseID: 1001}))
	a, err := e.link(tenantA, "companies", "full-1")
	require.NoError(t, err)
	b, err := e.link(tenantB, "companies", "full-1")
	require.NoError(t, err)
	assert.Equal(t, int64(1001), a.ConnectWiseID)
	assert.Equal(t, int64(5), b.ConnectWiseID)
	// Deleting in one tenant leaves the other alone.
	e.commit(tenantB, new(syncer.Batch).DeleteLink("companies", "other", 1001).DeleteCursor("cursor-1").
		DeleteIntent("companies", syncer.SideConnectWise, "full-1").DeleteDeadLetter("companies", syncer.SideHubSpot, "dl-1").
		DeleteConflict("companies", "full-1", 1001, "name"))
	_, err = e.linkCW(tenantA, "companies", 1001)
	assert.NoError(t, err)
	_, err = e.s.Cursor(e.ctx, tenantA, "cursor-1")
	assert.NoError(t, err)
	assert.Len(t, e.intents(tenantA, ""), 1)
	assert.Len(t, e.deadLetters(tenantA, nil), 1)
	assert.Len(t, e.conflicts(tenantA, ""), 1)
	// Tenant keys are compared exactly.
	e.requireEmpty("Tenant-A")
	e.requireEmpty("tenant-a ")
}

package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

func (h *harness) testCursors(t *testing.T) {
	e := h.env(t)
	_, err := e.s.Cursor(e.ctx, tenantA, "contacts/hubspot")
	assert.ErrorIs(t, err, syncer.ErrNotFound)

	e.commit(tenantA, new(syncer.Batch).PutCursor("contacts/hubspot", "2026-11-27T12:00:00Z").PutCursor("backfill/companies", "page=3"))
	v, err := e.s.Cursor(e.ctx, tenantA, "contacts/hubspot")
	require.NoError(t, err)
	assert.Equal(t, "2026-11-27T12:00:00Z", v)

	e.commit(tenantA, new(syncer.Batch).PutCursor("contacts/hubspot", "Zürich ✓"))
	v, err = e.s.Cursor(e.ctx, tenantA, "contacts/hubspot")
	require.NoError(t, err)
	assert.Equal(t, "Zürich ✓", v, "replaced, UTF-8 intact")

	e.commit(tenantA, new(syncer.Batch).PutCursor("empty", ""))
	v, err = e.s.Cursor(e.ctx, tenantA, "empty")
	require.NoError(t, err, "an empty value is a value")
	assert.Equal(t, "", v)

	e.commit(tenantA, new(syncer.Batch).DeleteCursor("backfill/companies").DeleteCursor("never-set"))
	_, err = e.s.Cursor(e.ctx, tenantA, "backfill/companies")
	assert.ErrorIs(t, err, syncer.ErrNotFound)
	_, err = e.s.Cursor(e.ctx, tenantB, "contacts/hubspot")
	assert.ErrorIs(t, err, syncer.ErrNotFound, "cursors are per tenant")
}

func (h *harness) testIntents(t *testing.T) {
	e := h.env(t)
	assert.Empty(t, e.intents(tenantA, ""))

	i1 := syncer.Intent{Object: "contacts", Target: syncer.SideConnectWise, SourceID: "hs-9", LookupKey: "ann@example.com", Payload: []byte(`{"op":"create"}`)}
	e.commit(tenantA, new(syncer.Batch).PutIntent(i1)) // an intent on its own, before the external write
	want1 := i1
	want1.CreatedAt = norm(t0)
	assert.Equal(t, []syncer.Intent{want1}, e.intents(tenantA, ""), "zero CreatedAt becomes now")

	e.clock.Advance(time.Second)
	i2 := syncer.Intent{Object: "companies", Target: syncer.SideHubSpot, SourceID: "250", CreatedAt: t0.Add(-time.Hour)}
	i3 := syncer.Intent{Object: "contacts", Target: syncer.SideConnectWise, SourceID: "hs-10"}
	i4 := syncer.Intent{Object: "contacts", Target: syncer.SideHubSpot, SourceID: "11"}
	e.commit(tenantA, new(syncer.Batch).PutIntent(i4).PutIntent(i3).PutIntent(i2))
	want2, want3, want4 := i2, i3, i4
	want2.CreatedAt = norm(i2.CreatedAt)
	want3.CreatedAt, want4.CreatedAt = norm(t0.Add(time.Second)), norm(t0.Add(time.Second))
	assert.Equal(t, []syncer.Intent{want2, want3, want1, want4}, e.intents(tenantA, ""), "ordered by object, target, source ID (bytewise: hs-10 < hs-9)")
	assert.Equal(t, []syncer.Intent{want3, want1, want4}, e.intents(tenantA, "contacts"))
	assert.Empty(t, e.intents(tenantB, ""), "intents are per tenant")

	// Replace keeps identity, takes the new fields.
	i1b := i1
	i1b.LookupKey = "ann@new.example.com"
	i1b.Payload = nil
	e.commit(tenantA, new(syncer.Batch).PutIntent(i1b))
	got := e.intents(tenantA, "contacts")
	require.Len(t, got, 3)
	assert.Equal(t, "ann@new.example.com", got[1].LookupKey)
	assert.Empty(t, got[1].Payload)

	// The create commits: link and intent removal in one batch.
	e.commit(tenantA, new(syncer.Batch).
		PutLink(syncer.Link{Object: "contacts", HubSpotID: "hs-9", ConnectWiseID: 900}).
		DeleteIntent("contacts", syncer.SideConnectWise, "hs-9").
		DeleteIntent("contacts", syncer.SideConnectWise, "missing"))
	assert.Equal(t, []syncer.Intent{want2, want3, want4}, e.intents(tenantA, ""))

	// Bytewise order, whatever the locale (SQL: COLLATE "C").
	ids := []string{"é", "a", "Z", "ä", "9", "10", "a b", "ab"}
	b := new(syncer.Batch)
	for _, id := range ids {
		b.PutIntent(syncer.Intent{Object: "order", Target: syncer.SideHubSpot, SourceID: id})
	}
	e.commit(tenantA, b)
	var order []string
	for _, in := range e.intents(tenantA, "order") {
		order = append(order, in.SourceID)
	}
	assert.Equal(t, []string{"10", "9", "Z", "a", "a b", "ab", "ä", "é"}, order)

	// Copies.
	p := []byte("payload")
	e.commit(tenantA, new(syncer.Batch).PutIntent(syncer.Intent{Object: "deals", Target: syncer.SideHubSpot, SourceID: "1", Payload: p}))
	p[0] = 'X'
	got = e.intents(tenantA, "deals")
	require.Len(t, got, 1)
	assert.Equal(t, []byte("payload"), got[0].Payload)
	got[0].Payload[0] = 'Y'
	assert.Equal(t, []byte("payload"), e.intents(tenantA, "deals")[0].Payload)
}

func (h *harness) testDeadLetters(t *testing.T) {
	e := h.env(t)
	d := syncer.DeadLetter{Object: "contacts", Side: syncer.SideHubSpot, SourceID: "77", Err: "connectwise: 400 email invalid", Attempts: 1,
		NextRetryAt: t0.Add(time.Minute)}
	e.commit(tenantA, new(syncer.Batch).PutDeadLetter(d))
	want := d
	want.FirstFailedAt, want.LastFailedAt, want.NextRetryAt = norm(t0), norm(t0), norm(d.NextRetryAt)
	assert.Equal(t, []syncer.DeadLetter{want}, e.deadLetters(tenantA, nil), "zero times default to now")

	// Fails again: attempts add up, first failure kept, the rest replaced.
	e.clock.Advance(2 * time.Minute)
	d2 := d
	d2.Err, d2.Attempts, d2.NextRetryAt = "connectwise: 500", 2, t0.Add(10*time.Minute)
	d2.FirstFailedAt = t0.Add(time.Hour) // ignored: the stored first failure wins
	e.commit(tenantA, new(syncer.Batch).PutDeadLetter(d2))
	want.Err, want.Attempts, want.LastFailedAt, want.NextRetryAt = "connectwise: 500", 3, norm(t0.Add(2*time.Minute)), norm(d2.NextRetryAt)
	assert.Equal(t, []syncer.DeadLetter{want}, e.deadLetters(tenantA, nil))

	// More records for ordering and filtering.
	explicit := syncer.DeadLetter{Object: "companies", Side: syncer.SideConnectWise, SourceID: "5", Err: "mapping: field name empty", Attempts: 1,
		FirstFailedAt: t0.Add(-time.Hour), LastFailedAt: t0.Add(-time.Minute)} // zero NextRetryAt: always due
	later := syncer.DeadLetter{Object: "contacts", Side: syncer.SideConnectWise, SourceID: "1", Err: "x", Attempts: 1, NextRetryAt: t0.Add(time.Hour)}
	e.commit(tenantA, new(syncer.Batch).PutDeadLetter(later).PutDeadLetter(explicit))
	all := e.deadLetters(tenantA, nil)
	require.Len(t, all, 3)
	assert.Equal(t, []string{"companies/connectwise/5", "contacts/connectwise/1", "contacts/hubspot/77"},
		[]string{key(all[0]), key(all[1]), key(all[2])}, "ordered by object, side, source ID")
	assert.Equal(t, norm(explicit.FirstFailedAt), all[0].FirstFailedAt)
	assert.Equal(t, norm(explicit.LastFailedAt), all[0].LastFailedAt)

	due := func(at time.Time, object string) []string {
		var out []string
		for _, d := range e.deadLetters(tenantA, &syncer.DeadLetterListOptions{DueAt: at, Object: object}) {
			out = append(out, key(d))
		}
		return out
	}
	assert.Equal(t, []string{"companies/connectwise/5"}, due(t0, ""))
	assert.Equal(t, []string{"companies/connectwise/5", "contacts/hubspot/77"}, due(t0.Add(10*time.Minute), ""), "due exactly at NextRetryAt")
	assert.Equal(t, []string{"contacts/hubspot/77"}, due(t0.Add(10*time.Minute), "contacts"))
	assert.Len(t, due(t0.Add(time.Hour), ""), 3)
	assert.Len(t, e.deadLetters(tenantA, &syncer.DeadLetterListOptions{Object: "contacts"}), 2)
	assert.Empty(t, e.deadLetters(tenantB, nil), "dead letters are per tenant")

	e.commit(tenantA, new(syncer.Batch).DeleteDeadLetter("contacts", syncer.SideHubSpot, "77").DeleteDeadLetter("contacts", syncer.SideHubSpot, "missing"))
	assert.Len(t, e.deadLetters(tenantA, nil), 2)

	// After a delete the record starts over.
	e.commit(tenantA, new(syncer.Batch).PutDeadLetter(d))
	got := e.deadLetters(tenantA, &syncer.DeadLetterListOptions{Object: "contacts", DueAt: t0.Add(time.Minute)})
	require.Len(t, got, 1)
	assert.Equal(t, 1, got[0].Attempts)
	assert.Equal(t, norm(t0.Add(2*time.Minute)), got[0].FirstFailedAt)
}

func key(d syncer.DeadLetter) string { return d.Object + "/" + string(d.Side) + "/" + d.SourceID }

func (h *harness) testConflicts(t *testing.T) {
	e := h.env(t)
	c1 := syncer.Conflict{Object: "contacts", HubSpotID: "9", ConnectWiseID: 90, Field: "phone",
		HubSpotValue: []byte(`"+1 555"`), ConnectWiseValue: []byte(`"+1 556"`), BaseValue: []byte(`"+1 554"`)}
	c2 := syncer.Conflict{Object: "contacts", HubSpotID: "9", ConnectWiseID: 90, Field: "email", HubSpotValue: []byte(`"a"`),
		ConnectWiseValue: []byte(`"b"`), DetectedAt: t0.Add(-time.Hour)}
	c3 := syncer.Conflict{Object: "companies", HubSpotID: "1", ConnectWiseID: 2, Field: "name"}
	e.commit(tenantA, new(syncer.Batch).PutConflict(c1).PutConflict(c2).PutConflict(c3))
	w1, w2, w3 := c1, c2, c3
	w1.DetectedAt, w2.DetectedAt, w3.DetectedAt = norm(t0), norm(c2.DetectedAt), norm(t0)
	assert.Equal(t, []syncer.Conflict{w3, w2, w1}, e.conflicts(tenantA, ""), "ordered by object, link, field")
	assert.Equal(t, []syncer.Conflict{w2, w1}, e.conflicts(tenantA, "contacts"))
	assert.Empty(t, e.conflicts(tenantB, ""), "conflicts are per tenant")

	c1.HubSpotValue[0] = 'X'
	c1.HubSpotValue = []byte(`"+1 557"`)
	e.commit(tenantA, new(syncer.Batch).PutConflict(c1))
	got := e.conflicts(tenantA, "contacts")
	require.Len(t, got, 2)
	assert.Equal(t, []byte(`"+1 557"`), got[1].HubSpotValue, "replaced")
	got[1].BaseValue[0] = 'Y'
	assert.Equal(t, []byte(`"+1 554"`), e.conflicts(tenantA, "contacts")[1].BaseValue, "returned slices are copies")

	e.commit(tenantA, new(syncer.Batch).DeleteConflict("contacts", "9", 90, "phone").DeleteConflict("contacts", "9", 90, "missing"))
	assert.Equal(t, []syncer.Conflict{w3, w2}, e.conflicts(tenantA, ""))
}

package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

const (
	tenantA = "tenant-a"
	tenantB = "tenant-b"
)

func (h *harness) testLinks(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		e := h.env(t)
		in := syncer.Link{
			Object: "companies", HubSpotID: "1001", ConnectWiseID: 7,
			Base:                  []byte(`{"name":"Acme"}`),
			SyncedAt:              t0.Add(-time.Minute),
			HubSpotModifiedAt:     t0.Add(-2 * time.Minute),
			ConnectWiseModifiedAt: t0.Add(-3 * time.Minute),
		}
		e.commit(tenantA, new(syncer.Batch).PutLink(in))
		want := in
		want.SyncedAt, want.HubSpotModifiedAt, want.ConnectWiseModifiedAt = norm(in.SyncedAt), norm(in.HubSpotModifiedAt), norm(in.ConnectWiseModifiedAt)
		want.Version = 1
		got, err := e.link(tenantA, "companies", "1001")
		require.NoError(t, err)
		assert.Equal(t, want, got)
		assert.Equal(t, time.UTC, got.SyncedAt.Location(), "times come back in UTC")
		got, err = e.linkCW(tenantA, "companies", 7)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	})
	t.Run("Defaults", func(t *testing.T) {
		e := h.env(t)
		e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "5", ConnectWiseID: 5}))
		got, err := e.link(tenantA, "contacts", "5")
		require.NoError(t, err)
		assert.Equal(t, syncer.Link{Object: "contacts", HubSpotID: "5", ConnectWiseID: 5, SyncedAt: norm(t0), Version: 1}, got,
			"zero SyncedAt becomes now; zero modified times stay zero; nil base stays empty")
	})
	t.Run("NotFound", func(t *testing.T) {
		e := h.env(t)
		_, err := e.link(tenantA, "companies", "1")
		assert.ErrorIs(t, err, syncer.ErrNotFound)
		_, err = e.linkCW(tenantA, "companies", 1)
		assert.ErrorIs(t, err, syncer.ErrNotFound)
		e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 1}))
		e.requireNoLink(tenantA, "contacts", "1", 1)
		e.requireNoLink(tenantA, "companies", "2", 2)
	})
	t.Run("ReplaceSamePair", func(t *testing.T) {
		e := h.env(t)
		l := syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 1, Base: []byte("v1")}
		e.commit(tenantA, new(syncer.Batch).PutLink(l))
		l.Base = []byte("v2")
		l.Version = 99 // ignored
		e.commit(tenantA, new(syncer.Batch).PutLink(l))
		got, err := e.link(tenantA, "companies", "1")
		require.NoError(t, err)
		assert.Equal(t, []byte("v2"), got.Base)
		assert.Equal(t, int64(2), got.Version)
	})
	t.Run("UniqueBothWays", func(t *testing.T) {
		e := h.env(t)
		orig := syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 1, Base: []byte("orig")}
		e.commit(tenantA, new(syncer.Batch).PutLink(orig))
		for name, l := range map[string]syncer.Link{
			"hubspot side":     {Object: "companies", HubSpotID: "1", ConnectWiseID: 2},
			"connectwise side": {Object: "companies", HubSpotID: "2", ConnectWiseID: 1},
		} {
			err := e.commitErr(tenantA, new(syncer.Batch).PutLink(l), syncer.ErrConflict)
			isOpError(t, err, 0)
			got, err := e.link(tenantA, "companies", "1")
			require.NoError(t, err)
			assert.Equal(t, []byte("orig"), got.Base, "%s: the stored link is unchanged", name)
			assert.Equal(t, int64(1), got.Version, name)
		}
		e.requireNoLink(tenantA, "companies", "2", 2)
		// The same IDs in another object are independent.
		e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "1", ConnectWiseID: 2}))
	})
	t.Run("DuplicateWithinBatch", func(t *testing.T) {
		e := h.env(t)
		b := new(syncer.Batch).
			PutLink(syncer.Link{Object: "deals", HubSpotID: "a", ConnectWiseID: 1}).
			PutLink(syncer.Link{Object: "deals", HubSpotID: "b", ConnectWiseID: 1})
		err := e.commitErr(tenantA, b, syncer.ErrConflict)
		isOpError(t, err, 1)
		e.requireNoLink(tenantA, "deals", "a", 1)
	})
	t.Run("Conditional", func(t *testing.T) {
		e := h.env(t)
		l := syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 1}
		e.commitErr(tenantA, new(syncer.Batch).PutLinkIfVersion(l, 1), syncer.ErrConflict)
		e.commit(tenantA, new(syncer.Batch).PutLinkIfVersion(l, 0))
		e.commitErr(tenantA, new(syncer.Batch).PutLinkIfVersion(l, 0), syncer.ErrConflict)
		e.commit(tenantA, new(syncer.Batch).PutLinkIfVersion(l, 1))
		e.commitErr(tenantA, new(syncer.Batch).PutLinkIfVersion(l, 1), syncer.ErrConflict)
		got, err := e.link(tenantA, "companies", "1")
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.Version)
	})
	t.Run("DeleteAndRelink", func(t *testing.T) {
		e := h.env(t)
		e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 1}))
		e.commitErr(tenantA, new(syncer.Batch).DeleteLink("companies", "1", 2), syncer.ErrConflict)
		e.commitErr(tenantA, new(syncer.Batch).DeleteLink("companies", "2", 1), syncer.ErrConflict)
		e.commit(tenantA, new(syncer.Batch).DeleteLink("companies", "9", 9)) // missing: no-op
		e.commit(tenantA, new(syncer.Batch).
			DeleteLink("companies", "1", 1).
			PutLink(syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 2}))
		got, err := e.link(tenantA, "companies", "1")
		require.NoError(t, err)
		assert.Equal(t, int64(2), got.ConnectWiseID)
		assert.Equal(t, int64(1), got.Version, "a relinked pair is a new link")
		_, err = e.linkCW(tenantA, "companies", 1)
		assert.ErrorIs(t, err, syncer.ErrNotFound, "the old ConnectWise index entry is gone")
		e.commit(tenantA, new(syncer.Batch).DeleteLink("companies", "1", 2))
		e.requireNoLink(tenantA, "companies", "1", 2)
	})
	t.Run("BulkLookup", func(t *testing.T) {
		e := h.env(t)
		b := new(syncer.Batch)
		for i := int64(1); i <= 5; i++ {
			b.PutLink(syncer.Link{Object: "contacts", HubSpotID: fmt.Sprint("hs", i), ConnectWiseID: i * 10})
		}
		e.commit(tenantA, b)
		byHS, err := e.s.LinksByHubSpotIDs(e.ctx, tenantA, "contacts", []string{"hs1", "hs3", "nope", "hs3"})
		require.NoError(t, err)
		assert.Len(t, byHS, 2)
		assert.Equal(t, int64(30), byHS["hs3"].ConnectWiseID)
		byCW, err := e.s.LinksByConnectWiseIDs(e.ctx, tenantA, "contacts", []int64{50, 20, 999})
		require.NoError(t, err)
		assert.Len(t, byCW, 2)
		assert.Equal(t, "hs5", byCW[50].HubSpotID)
		empty, err := e.s.LinksByHubSpotIDs(e.ctx, tenantB, "contacts", nil)
		require.NoError(t, err)
		assert.NotNil(t, empty)
		emptyCW, err := e.s.LinksByConnectWiseIDs(e.ctx, tenantB, "contacts", []int64{10})
		require.NoError(t, err)
		assert.NotNil(t, emptyCW)
		assert.Empty(t, emptyCW)
	})
	t.Run("Copies", func(t *testing.T) {
		e := h.env(t)
		base := []byte("original")
		e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 1, Base: base}))
		base[0] = 'X'
		got, err := e.s.LinkByHubSpotID(e.ctx, tenantA, "companies", "1")
		require.NoError(t, err)
		assert.Equal(t, []byte("original"), got.Base, "caller's slice is not stored")
		got.Base[0] = 'Y'
		for _, l := range e.links(tenantA, "companies", nil) {
			l.Base[1] = 'Z'
		}
		m, err := e.s.LinksByConnectWiseIDs(e.ctx, tenantA, "companies", []int64{1})
		require.NoError(t, err)
		m[1].Base[2] = 'W'
		got, err = e.s.LinkByConnectWiseID(e.ctx, tenantA, "companies", 1)
		require.NoError(t, err)
		assert.Equal(t, []byte("original"), got.Base, "returned slices are copies")
	})
	t.Run("LargeBase", func(t *testing.T) {
		e := h.env(t)
		base := make([]byte, 1<<20)
		for i := range base {
			base[i] = byte(i * 7)
		}
		e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "deals", HubSpotID: "big", ConnectWiseID: 1, Base: base}))
		got, err := e.link(tenantA, "deals", "big")
		require.NoError(t, err)
		assert.Equal(t, base, got.Base)
	})
	t.Run("List", h.testListLinks)
}

func (h *harness) testListLinks(t *testing.T) {
	e := h.env(t)
	ids := make([]int64, 0, 600)
	for i := range 600 {
		ids = append(ids, int64(i*3+1))
	}
	shuffled := slices.Clone(ids)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for chunk := range slices.Chunk(shuffled, 100) {
		b := new(syncer.Batch)
		for _, id := range chunk {
			b.PutLink(syncer.Link{Object: "contacts", HubSpotID: fmt.Sprint("hs-", id), ConnectWiseID: id})
		}
		e.commit(tenantA, b)
	}
	e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "companies", HubSpotID: "x", ConnectWiseID: 2}))
	e.commit(tenantB, new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "y", ConnectWiseID: 2}))

	cwIDs := func(ls []syncer.Link) []int64 {
		out := make([]int64, len(ls))
		for i, l := range ls {
			out[i] = l.ConnectWiseID
		}
		return out
	}
	t.Run("All", func(t *testing.T) {
		e := e.with(t)
		got := e.links(tenantA, "contacts", nil)
		assert.Equal(t, ids, cwIDs(got), "ascending ConnectWise ID order, only this tenant and object")
		assert.Equal(t, "hs-1", got[0].HubSpotID)
	})
	t.Run("Pages", func(t *testing.T) {
		e := e.with(t)
		var all []int64
		after := int64(0)
		for {
			page := e.links(tenantA, "contacts", &syncer.LinkListOptions{AfterConnectWiseID: after, Limit: 77})
			if len(page) == 0 {
				break
			}
			require.LessOrEqual(t, len(page), 77)
			all = append(all, cwIDs(page)...)
			after = page[len(page)-1].ConnectWiseID
		}
		assert.Equal(t, ids, all)
	})
	t.Run("AfterIsExclusive", func(t *testing.T) {
		e := e.with(t)
		got := e.links(tenantA, "contacts", &syncer.LinkListOptions{AfterConnectWiseID: 4, Limit: 2})
		assert.Equal(t, []int64{7, 10}, cwIDs(got))
		got = e.links(tenantA, "contacts", &syncer.LinkListOptions{AfterConnectWiseID: 5, Limit: 1})
		assert.Equal(t, []int64{7}, cwIDs(got))
		assert.Empty(t, e.links(tenantA, "contacts", &syncer.LinkListOptions{AfterConnectWiseID: ids[len(ids)-1]}))
	})
	t.Run("Break", func(t *testing.T) {
		e := e.with(t)
		n := 0
		for _, err := range e.s.ListLinks(e.ctx, tenantA, "contacts", nil) {
			require.NoError(t, err)
			if n++; n == 3 {
				break
			}
		}
		assert.Equal(t, 3, n)
	})
	t.Run("WriteDuringIteration", func(t *testing.T) {
		e := e.with(t)
		// A commit inside the loop body must not deadlock and the order must hold.
		var prev int64
		n := 0
		for l, err := range e.s.ListLinks(e.ctx, tenantA, "contacts", nil) {
			require.NoError(t, err)
			require.Greater(t, l.ConnectWiseID, prev)
			prev = l.ConnectWiseID
			if n == 10 {
				e.commit(tenantA, new(syncer.Batch).PutLink(syncer.Link{Object: "contacts", HubSpotID: "late", ConnectWiseID: 100000}))
			}
			n++
		}
		assert.GreaterOrEqual(t, n, len(ids))
	})
	t.Run("NegativeAfter", func(t *testing.T) {
		e := e.with(t)
		got := e.links(tenantA, "contacts", &syncer.LinkListOptions{AfterConnectWiseID: -5, Limit: 2})
		assert.Equal(t, []int64{1, 4}, cwIDs(got))
	})
	t.Run("Empty", func(t *testing.T) {
		e := e.with(t)
		assert.Empty(t, e.links(tenantA, "deals", nil))
		assert.Empty(t, e.links("nobody", "contacts", nil))
	})
}

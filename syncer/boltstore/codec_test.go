package boltstore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

func TestCodecRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 27, 12, 0, 0, 123456000, time.UTC)
	epoch := time.Unix(0, 0).UTC()

	l := syncer.Link{Object: "contacts", HubSpotID: "h1", ConnectWiseID: 9, Base: []byte{0, 255}, SyncedAt: at, HubSpotModifiedAt: epoch, Version: 3}
	gotL, err := decodeLink("contacts", 9, encodeLink(&l))
	require.NoError(t, err)
	assert.Equal(t, l, gotL, "the epoch and the zero time stay distinct")

	i := syncer.Intent{Object: "c", Target: syncer.SideHubSpot, SourceID: "1", LookupKey: "k", CreatedAt: at, Payload: []byte("p")}
	gotI, err := decodeIntent(encodeIntent(&i))
	require.NoError(t, err)
	assert.Equal(t, i, gotI)

	d := syncer.DeadLetter{Object: "c", Side: syncer.SideConnectWise, SourceID: "1", Err: "e", Attempts: 7, FirstFailedAt: at, LastFailedAt: at, NextRetryAt: at.Add(time.Hour)}
	gotD, err := decodeDeadLetter(encodeDeadLetter(&d))
	require.NoError(t, err)
	assert.Equal(t, d, gotD)

	c := syncer.Conflict{Object: "c", HubSpotID: "1", ConnectWiseID: 2, Field: "f", HubSpotValue: []byte("a"), BaseValue: []byte("b"), DetectedAt: at}
	gotC, err := decodeConflict(encodeConflict(&c))
	require.NoError(t, err)
	assert.Equal(t, c, gotC)

	ls := leaseState{Holder: "w", Generation: 4, ExpiresAt: at, Released: true}
	gotLS, err := decodeLease(encodeLease(&ls))
	require.NoError(t, err)
	assert.Equal(t, ls, gotLS)
}

func TestKeysOrder(t *testing.T) {
	assert.Less(t, string(cwKey(255)), string(cwKey(256)))
	assert.Less(t, string(tupleKey("a", "hubspot", "z")), string(tupleKey("a b", "hubspot", "a")), "tuple order, not string order")
	assert.Less(t, string(conflictKey("c", "1", 255, "z")), string(conflictKey("c", "1", 256, "a")))
	assert.Less(t, string(conflictKey("c", "1", 1<<40, "z")), string(conflictKey("c", "10", 1, "a")))
}

func FuzzDecode(f *testing.F) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := syncer.Link{HubSpotID: "h", Base: []byte("b"), SyncedAt: at, Version: 1}
	f.Add(encodeLink(&l))
	f.Add(encodeIntent(&syncer.Intent{Object: "o", SourceID: "s"}))
	f.Add(encodeDeadLetter(&syncer.DeadLetter{Object: "o", Err: "e", Attempts: 1}))
	f.Add([]byte{recordFormat, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Corrupt records fail with errCorrupt; they never panic.
		if _, err := decodeLink("o", 1, b); err != nil {
			assert.ErrorIs(t, err, errCorrupt)
		}
		_, _ = decodeIntent(b)
		_, _ = decodeDeadLetter(b)
		_, _ = decodeConflict(b)
		_, _ = decodeLease(b)
	})
}

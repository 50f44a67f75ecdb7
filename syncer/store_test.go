package syncer_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/syncer"
)

func TestBatchBuilders(t *testing.T) {
	l := syncer.Link{Object: "companies", HubSpotID: "1", ConnectWiseID: 2}
	b := new(syncer.Batch).
		PutLink(l).
		PutLinkIfVersion(l, 3).
		DeleteLink("companies", "1", 2).
		PutCursor("k", "v").
		DeleteCursor("k").
		PutIntent(syncer.Intent{Object: "contacts", Target: syncer.SideHubSpot, SourceID: "9"}).
		DeleteIntent("contacts", syncer.SideHubSpot, "9").
		PutDeadLetter(syncer.DeadLetter{Object: "contacts", Side: syncer.SideConnectWise, SourceID: "9", Attempts: 1}).
		DeleteDeadLetter("contacts", syncer.SideConnectWise, "9").
		PutConflict(syncer.Conflict{Object: "contacts", HubSpotID: "9", ConnectWiseID: 9, Field: "email"}).
		DeleteConflict("contacts", "9", 9, "email")
	require.Equal(t, 11, b.Len())
	require.NoError(t, b.Validate())
	assert.Equal(t, syncer.LinkPut{Link: l}, b.Ops[0])
	assert.Equal(t, syncer.LinkPut{Link: l, Conditional: true, IfVersion: 3}, b.Ops[1])
	assert.Equal(t, syncer.LinkDelete{Object: "companies", HubSpotID: "1", ConnectWiseID: 2}, b.Ops[2])
	assert.Equal(t, syncer.CursorPut{Key: "k", Value: "v"}, b.Ops[3])
	assert.Equal(t, syncer.ConflictDelete{Object: "contacts", HubSpotID: "9", ConnectWiseID: 9, Field: "email"}, b.Ops[10])
	want := []string{
		"put link companies hubspot=1 connectwise=2",
		"put link companies hubspot=1 connectwise=2",
		"delete link companies hubspot=1 connectwise=2",
		"put cursor k",
		"delete cursor k",
		"put intent contacts hubspot source=9",
		"delete intent contacts hubspot source=9",
		"put dead letter contacts connectwise source=9",
		"delete dead letter contacts connectwise source=9",
		"put conflict contacts hubspot=9 connectwise=9 field=email",
		"delete conflict contacts hubspot=9 connectwise=9 field=email",
	}
	for i, op := range b.Ops {
		assert.Equal(t, want[i], op.String())
	}
}

func TestValidate(t *testing.T) {
	var nilBatch *syncer.Batch
	assert.ErrorIs(t, nilBatch.Validate(), syncer.ErrInvalid)
	assert.NoError(t, new(syncer.Batch).Validate(), "an empty batch is valid")

	b := new(syncer.Batch).PutCursor("ok", "v").PutLink(syncer.Link{Object: "deals", HubSpotID: "h\x00", ConnectWiseID: 1})
	err := b.Validate()
	require.ErrorIs(t, err, syncer.ErrInvalid)
	var oe *syncer.OpError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, oe.Index)
	assert.Equal(t, b.Ops[1], oe.Op)
	assert.Equal(t, `syncer: batch op 1 (put link deals hubspot=h`+"\x00"+` connectwise=1): hubspot ID "h\x00" has a NUL byte or invalid UTF-8: syncer: invalid argument`, err.Error())

	for name, f := range map[string]*syncer.Fence{
		"empty holder":    {Generation: 1},
		"zero generation": {Holder: "w"},
	} {
		b := &syncer.Batch{Fence: f}
		assert.ErrorIs(t, b.Validate(), syncer.ErrInvalid, name)
	}
	b = &syncer.Batch{Ops: []syncer.Op{nil}}
	assert.ErrorIs(t, b.Validate(), syncer.ErrInvalid)
	assert.NoError(t, new(syncer.Batch).PutDeadLetter(syncer.DeadLetter{Object: "c", Side: syncer.SideHubSpot, SourceID: "1", Attempts: 0}).Validate(),
		"zero attempts only refreshes the record")
}

func TestChecks(t *testing.T) {
	assert.True(t, syncer.ValidString(""))
	assert.True(t, syncer.ValidString("Zürich – ✓"))
	assert.False(t, syncer.ValidString("a\x00"))
	assert.False(t, syncer.ValidString("\xc3"))
	assert.ErrorIs(t, syncer.CheckID("tenant", ""), syncer.ErrInvalid)
	assert.NoError(t, syncer.CheckID("tenant", "t"))
	assert.ErrorIs(t, syncer.CheckConnectWiseID(0), syncer.ErrInvalid)
	assert.NoError(t, syncer.CheckConnectWiseID(1))
	assert.True(t, syncer.SideHubSpot.Valid())
	assert.True(t, syncer.SideConnectWise.Valid())
	assert.False(t, syncer.Side("HubSpot").Valid())
}

func TestLeaseFence(t *testing.T) {
	l := syncer.Lease{Tenant: "t", Holder: "w1", Generation: 4, ExpiresAt: time.Unix(0, 0)}
	assert.Equal(t, &syncer.Fence{Holder: "w1", Generation: 4}, l.Fence())
}

func TestOpErrorUnwrap(t *testing.T) {
	cause := errors.Join(errors.New("boom"), syncer.ErrConflict)
	err := error(&syncer.OpError{Index: 2, Op: syncer.CursorDelete{Key: "k"}, Err: cause})
	assert.ErrorIs(t, err, syncer.ErrConflict)
	assert.Equal(t, "syncer: batch op 2 (delete cursor k): boom\nsyncer: conflict", err.Error())
}

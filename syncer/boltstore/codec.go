package boltstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// Record values are a format byte followed by fields in a fixed order: strings
// and byte slices as uvarint length + bytes, integers as varints, times as a
// presence byte and a varint of Unix microseconds.
const recordFormat = 1

var errCorrupt = errors.New("boltstore: corrupt record")

type encoder struct{ b []byte }

func newEncoder(size int) *encoder {
	e := &encoder{b: make([]byte, 1, size+1)}
	e.b[0] = recordFormat
	return e
}

func (e *encoder) bytes(p []byte) {
	e.b = binary.AppendUvarint(e.b, uint64(len(p)))
	e.b = append(e.b, p...)
}

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) int(v int64) { e.b = binary.AppendVarint(e.b, v) }

// time stores t (already normalised) as a presence byte and Unix microseconds,
// so the zero time and the epoch stay distinct.
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.b = binary.AppendVarint(e.b, t.UnixMicro())
}

type decoder struct {
	b   []byte
	err error
}

func newDecoder(b []byte) *decoder {
	d := &decoder{b: b}
	if len(b) == 0 || b[0] != recordFormat {
		d.err = fmt.Errorf("%w: unknown record format", errCorrupt)
		return d
	}
	d.b = b[1:]
	return d
}

func (d *decoder) fail() { d.err, d.b = errCorrupt, nil }

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) raw() []byte {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

// bytes returns a copy (bbolt memory is only valid inside the transaction); an
// empty slice decodes as nil.
func (d *decoder) bytes() []byte {
	p := d.raw()
	if len(p) == 0 {
		return nil
	}
	return append([]byte(nil), p...)
}

func (d *decoder) str() string { return string(d.raw()) }

func (d *decoder) int() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) time() time.Time {
	if d.err != nil || len(d.b) == 0 {
		d.fail()
		return time.Time{}
	}
	present := d.b[0]
	d.b = d.b[1:]
	if present == 0 {
		return time.Time{}
	}
	return time.UnixMicro(d.int()).UTC()
}

func (d *decoder) done() error {
	if d.err == nil && len(d.b) != 0 {
		d.err = fmt.Errorf("%w: %d trailing bytes", errCorrupt, len(d.b))
	}
	return d.err
}

// Links live in the "cw" bucket of their object, keyed by the big-endian
// ConnectWise ID; Object and ConnectWiseID come from the bucket and key.
func encodeLink(l *syncer.Link) []byte {
	e := newEncoder(len(l.HubSpotID) + len(l.Base) + 48)
	e.str(l.HubSpotID)
	e.bytes(l.Base)
	e.time(l.SyncedAt)
	e.time(l.HubSpotModifiedAt)
	e.time(l.ConnectWiseModifiedAt)
	e.int(l.Version)
	return e.b
}

func decodeLink(object string, cwID int64, v []byte) (syncer.Link, error) {
	d := newDecoder(v)
	l := syncer.Link{Object: object, ConnectWiseID: cwID}
	l.HubSpotID = d.str()
	l.Base = d.bytes()
	l.SyncedAt = d.time()
	l.HubSpotModifiedAt = d.time()
	l.ConnectWiseModifiedAt = d.time()
	l.Version = d.int()
	return l, d.done()
}

func encodeIntent(i *syncer.Intent) []byte {
	e := newEncoder(len(i.Object) + len(i.SourceID) + len(i.LookupKey) + len(i.Payload) + 32)
	e.str(i.Object)
	e.str(string(i.Target))
	e.str(i.SourceID)
	e.str(i.LookupKey)
	e.time(i.CreatedAt)
	e.bytes(i.Payload)
	return e.b
}

func decodeIntent(v []byte) (syncer.Intent, error) {
	d := newDecoder(v)
	var i syncer.Intent
	i.Object = d.str()
	i.Target = syncer.Side(d.str())
	i.SourceID = d.str()
	i.LookupKey = d.str()
	i.CreatedAt = d.time()
	i.Payload = d.bytes()
	return i, d.done()
}

func encodeDeadLetter(x *syncer.DeadLetter) []byte {
	e := newEncoder(len(x.Object) + len(x.SourceID) + len(x.Err) + 48)
	e.str(x.Object)
	e.str(string(x.Side))
	e.str(x.SourceID)
	e.str(x.Err)
	e.int(int64(x.Attempts))
	e.time(x.FirstFailedAt)
	e.time(x.LastFailedAt)
	e.time(x.NextRetryAt)
	return e.b
}

func decodeDeadLetter(v []byte) (syncer.DeadLetter, error) {
	d := newDecoder(v)
	var x syncer.DeadLetter
	x.Object = d.str()
	x.Side = syncer.Side(d.str())
	x.SourceID = d.str()
	x.Err = d.str()
	x.Attempts = int(d.int())
	x.FirstFailedAt = d.time()
	x.LastFailedAt = d.time()
	x.NextRetryAt = d.time()
	return x, d.done()
}

func encodeConflict(c *syncer.Conflict) []byte {
	e := newEncoder(len(c.Object) + len(c.HubSpotID) + len(c.Field) + len(c.HubSpotValue) + len(c.ConnectWiseValue) + len(c.BaseValue) + 40)
	e.str(c.Object)
	e.str(c.HubSpotID)
	e.int(c.ConnectWiseID)
	e.str(c.Field)
	e.bytes(c.HubSpotValue)
	e.bytes(c.ConnectWiseValue)
	e.bytes(c.BaseValue)
	e.time(c.DetectedAt)
	return e.b
}

func decodeConflict(v []byte) (syncer.Conflict, error) {
	d := newDecoder(v)
	var c syncer.Conflict
	c.Object = d.str()
	c.HubSpotID = d.str()
	c.ConnectWiseID = d.int()
	c.Field = d.str()
	c.HubSpotValue = d.bytes()
	c.ConnectWiseValue = d.bytes()
	c.BaseValue = d.bytes()
	c.DetectedAt = d.time()
	return c, d.done()
}

func encodeLease(l *leaseState) []byte {
	e := newEncoder(len(l.Holder) + 24)
	e.str(l.Holder)
	e.int(l.Generation)
	e.time(l.ExpiresAt)
	released := int64(0)
	if l.Released {
		released = 1
	}
	e.int(released)
	return e.b
}

func decodeLease(v []byte) (leaseState, error) {
	d := newDecoder(v)
	var l leaseState
	l.Holder = d.str()
	l.Generation = d.int()
	l.ExpiresAt = d.time()
	l.Released = d.int() == 1
	return l, d.done()
}

// cwKey is the 8-byte big-endian form of a positive ConnectWise ID, so keys
// sort numerically.
func cwKey(id int64) []byte { return binary.BigEndian.AppendUint64(make([]byte, 0, 8), uint64(id)) }

func cwFromKey(k []byte) (int64, error) {
	if len(k) != 8 {
		return 0, fmt.Errorf("%w: connectwise key of %d bytes", errCorrupt, len(k))
	}
	return int64(binary.BigEndian.Uint64(k)), nil
}

// tupleKey joins parts with NUL, which stored strings never contain, so the
// byte order of keys is the order of the tuples.
func tupleKey(parts ...string) []byte {
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			k = append(k, 0)
		}
		k = append(k, p...)
	}
	return k
}

func conflictKey(object, hubSpotID string, cwID int64, field string) []byte {
	k := tupleKey(object, hubSpotID, "")
	k = binary.BigEndian.AppendUint64(k, uint64(cwID))
	return append(k, field...)
}

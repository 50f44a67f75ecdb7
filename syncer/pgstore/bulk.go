package pgstore

import (
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// A batch of a sync pass is mostly link puts in a row (one per record of an
// API page). Commit sends such a run as one statement instead of one per link:
// a round trip per link dominated the cost of a commit.
//
// A run qualifies when its puts are unconditional and name distinct HubSpot
// IDs and distinct ConnectWise IDs per object. Then no put of the run touches
// a row another put of the run could touch, so applying them together has the
// effect of applying them in order, and the first put that conflicts with the
// stored links is the one that would have failed first.

// minLinkRun is the shortest run worth a bulk statement.
const minLinkRun = 4

// maxLinkRun bounds a run so the JSON parameter stays a few MiB at most.
const maxLinkRun = 1000

// bulkTimeLayout is how times travel in the JSON parameter; PostgreSQL parses
// it as timestamptz. Only years 1 to 9999 format this way (see bulkTime).
const bulkTimeLayout = "2006-01-02T15:04:05.999999Z"

// bulkTime reports whether t (already in UTC) travels as text.
func bulkTime(t time.Time) bool { return t.IsZero() || (t.Year() >= 1 && t.Year() <= 9999) }

type hsKey struct{ object, id string }

type cwKey struct {
	object string
	id     int64
}

// linkRun returns how many operations at the start of ops form a run of
// link puts that [writer.putLinks] may apply together.
func linkRun(ops []syncer.Op) int {
	if len(ops) < minLinkRun {
		return 0
	}
	hs := make(map[hsKey]bool)
	cw := make(map[cwKey]bool)
	n := 0
	for _, op := range ops {
		p, ok := op.(syncer.LinkPut)
		if !ok || p.Conditional || n == maxLinkRun {
			break
		}
		l := p.Link
		h, c := hsKey{l.Object, l.HubSpotID}, cwKey{l.Object, l.ConnectWiseID}
		if hs[h] || cw[c] || !bulkTime(l.SyncedAt.UTC()) || !bulkTime(l.HubSpotModifiedAt.UTC()) || !bulkTime(l.ConnectWiseModifiedAt.UTC()) {
			break
		}
		hs[h], cw[c] = true, true
		n++
	}
	return n
}

// bulkLink is one link put in the JSON array parameter of the bulk statement.
type bulkLink struct {
	I      int     `json:"i"`
	Object string  `json:"o"`
	HS     string  `json:"h"`
	CW     int64   `json:"c"`
	Base   *string `json:"b"` // hex; null for a nil Base
	Synced string  `json:"s"`
	HSMod  *string `json:"hm"`
	CWMod  *string `json:"cm"`
}

func bulkNullTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := norm(t).Format(bulkTimeLayout)
	return &s
}

// putLinks applies a run found by linkRun in one statement. When a put
// conflicts, nothing of the run is written and bad is its index in ops.
func (w *writer) putLinks(ops []syncer.Op) (bad int, err error) {
	rows := make([]bulkLink, len(ops))
	for i, op := range ops {
		l := op.(syncer.LinkPut).Link
		r := bulkLink{I: i, Object: l.Object, HS: l.HubSpotID, CW: l.ConnectWiseID,
			Synced: orNow(l.SyncedAt, w.now).Format(bulkTimeLayout), HSMod: bulkNullTime(l.HubSpotModifiedAt), CWMod: bulkNullTime(l.ConnectWiseModifiedAt)}
		if l.Base != nil {
			b := hex.EncodeToString(l.Base)
			r.Base = &b
		}
		rows[i] = r
	}
	arg, err := json.Marshal(rows)
	if err != nil {
		return 0, err
	}
	var first sql.NullInt64
	var written int64
	if err := w.tx.QueryRowContext(w.ctx, w.s.q.putLinks, w.tenant, string(arg)).Scan(&first, &written); err != nil {
		return 0, err
	}
	if !first.Valid {
		return 0, nil
	}
	// Nothing of the run was written; name the conflict of the first bad put.
	bad = int(first.Int64)
	if bad < 0 || bad >= len(ops) {
		return 0, fmt.Errorf("bulk link put reported op %d of %d", bad, len(ops))
	}
	return bad, w.linkConflict(ops[bad].(syncer.LinkPut))
}

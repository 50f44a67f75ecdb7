package syncer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hubwise/hubwise/mapping"
)

// Cursor keys: "<object>/connectwise" and "<object>/hubspot" hold the change
// feeds' watermarks (RFC 3339, UTC); "<object>/backfill" the backfill checkpoint.
func cursorKey(object string, side Side) string { return object + "/" + string(side) }

func backfillKey(object string) string { return object + "/backfill" }

// readCursor returns the stored watermark, or the zero time.
func (e *Engine) readCursor(ctx context.Context, key string) (time.Time, error) {
	v, err := e.store.Cursor(ctx, e.tenant, key)
	if errors.Is(err, ErrNotFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("syncer: read cursor %s: %w", key, err)
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("syncer: cursor %s holds %q: %w", key, v, err)
	}
	return t, nil
}

// window returns the feed window [from, to] of a pass and the cursor to store
// once the pass has applied or dead-lettered every record it saw. The window
// starts an overlap before the cursor (DESIGN.md "One sync pass" 1; prior-art.md
// §6 "Cursor correctness": Singer, Meltano); the new cursor never passes the
// pass start minus the safety lag and never moves backward.
func (e *Engine) window(cursor, passStart time.Time) (from, to, next time.Time) {
	if !cursor.IsZero() {
		from = cursor.Add(-e.cfg.Overlap)
	}
	next = passStart.Add(-e.cfg.SafetyLag)
	if next.Before(cursor) {
		next = cursor
	}
	return from, passStart, next
}

func formatCursor(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// cwRecord is one ConnectWise record with what the engine derived from it.
type cwRecord struct {
	id   int64
	rec  map[string]any
	mod  time.Time
	vals mapping.Values
	pass bool  // passes the toHubSpot filter
	err  error // projection or filter failure
}

// hsRecord is one HubSpot record with what the engine derived from it.
type hsRecord struct {
	rec  *HubSpotRecord
	vals mapping.Values
	pass bool // passes the toConnectWise filter
	err  error
}

// recordID reads a ConnectWise record's id, as decoded JSON (float64 or
// json.Number) or a Go integer.
func recordID(rec map[string]any) int64 {
	switch v := rec["id"].(type) {
	case float64:
		return int64(v)
	case json.Number:
		n, _ := v.Int64()
		return n
	case int:
		return int64(v)
	case int64:
		return v
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}

// lastUpdated reads _info.lastUpdated (connectwise-api.md §4: every record
// carries it, second precision).
func lastUpdated(rec map[string]any) time.Time {
	info, _ := rec["_info"].(map[string]any)
	s, _ := info["lastUpdated"].(string)
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

func (e *Engine) newCW(o *objectSpec, rec map[string]any, lk *mapping.Lookups) *cwRecord {
	r := &cwRecord{id: recordID(rec), rec: rec, mod: lastUpdated(rec)}
	if err, ok := rec[enrichErrKey].(error); ok {
		delete(rec, enrichErrKey)
		r.err = err
		return r
	}
	r.vals, r.err = o.m.FromConnectWise(rec, lk)
	if r.err == nil {
		r.pass, r.err = o.m.SelectConnectWise(rec, lk)
	}
	if softDeleted(rec) {
		// A soft-deleted company stays readable (connectwise-api.md §6 lists
		// deletedFlag and dateDeleted; payload company-get.json): it never flows
		// toward HubSpot; the delete policy handles its link (deletes.go).
		r.pass = false
	}
	return r
}

func (e *Engine) newHS(o *objectSpec, rec *HubSpotRecord, lk *mapping.Lookups) *hsRecord {
	props := rec.Properties
	if props["hs_object_id"] == "" {
		props = make(map[string]string, len(rec.Properties)+1)
		for k, v := range rec.Properties {
			props[k] = v
		}
		props["hs_object_id"] = rec.ID
	}
	r := &hsRecord{rec: rec}
	r.vals, r.err = o.m.FromHubSpot(props, lk)
	if r.err == nil {
		r.pass, r.err = o.m.SelectHubSpot(props, lk)
	}
	return r
}

// enrich adds what a mapping reads besides the record itself: the
// opportunity's forecast under mapping.ForecastKey (connectwise-api.md §5: the
// money lives in /forecast, one call per opportunity).
func (e *Engine) enrich(ctx context.Context, o *objectSpec, recs []map[string]any) error {
	if !o.forecast {
		return nil
	}
	for _, rec := range recs {
		if _, ok := rec[mapping.ForecastKey]; ok {
			continue
		}
		f, err := e.cw.Forecast(ctx, recordID(rec))
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// One opportunity's forecast failing fails that record only.
			rec[enrichErrKey] = fmt.Errorf("read the forecast of opportunity %d: %w", recordID(rec), err)
			continue
		}
		rec[mapping.ForecastKey] = f
	}
	return nil
}

// enrichErrKey holds, inside a record, the error of reading what enrich adds;
// the NUL byte keeps it apart from every ConnectWise field.
const enrichErrKey = "\x00hubwise-enrich-error"

// feedHubSpot reads the IDs of the HubSpot records changed in the window.
func (e *Engine) feedHubSpot(ctx context.Context, o *objectSpec, from, to time.Time) ([]string, error) {
	var ids []string
	for rec, err := range e.hs.Modified(ctx, o.hsType, o.modProp, from, to) {
		if err != nil {
			return nil, fmt.Errorf("syncer: %s: hubspot change feed: %w", o.name, err)
		}
		ids = append(ids, rec.ID)
	}
	return ids, nil
}

// readHubSpot fetches full HubSpot records by ID (batch read, 100 per call).
func (e *Engine) readHubSpot(ctx context.Context, o *objectSpec, ids []string) (map[string]*HubSpotRecord, error) {
	out := map[string]*HubSpotRecord{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := e.hs.Read(ctx, o.hsType, "", dedupe(ids), o.props)
	if err != nil {
		return nil, fmt.Errorf("syncer: %s: read hubspot records: %w", o.name, err)
	}
	for _, r := range recs {
		out[r.ID] = r
	}
	return out, nil
}

// readConnectWise fetches full ConnectWise records by ID.
func (e *Engine) readConnectWise(ctx context.Context, o *objectSpec, ids []int64) (map[int64]map[string]any, error) {
	out := map[int64]map[string]any{}
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := e.cw.Read(ctx, o.cwRes, dedupe(ids))
	if err != nil {
		return nil, fmt.Errorf("syncer: %s: read connectwise records: %w", o.name, err)
	}
	if err := e.enrich(ctx, o, recs); err != nil {
		return nil, err
	}
	for _, r := range recs {
		out[recordID(r)] = r
	}
	return out, nil
}

func dedupe[T comparable](in []T) []T {
	seen := make(map[T]bool, len(in))
	out := in[:0:0]
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

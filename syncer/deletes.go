package syncer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// DeletePolicy says what the engine does when a linked record is gone from one
// side (deleted in ConnectWise, archived or deleted in HubSpot).
type DeletePolicy string

// Delete policies. The default is DeleteIgnore: deletes are never propagated
// unless an object opts in (as in the commercial integrations, prior-art.md §6
// "never delete (SyncSmart, HubSpot Data Sync, ...)").
const (
	// DeleteIgnore keeps the link and writes nothing; the deletion is reported.
	DeleteIgnore DeletePolicy = "ignore"
	// DeleteUnlink removes the link and leaves the partner record alone.
	DeleteUnlink DeletePolicy = "unlink"
	// DeletePropagate archives the HubSpot partner (recoverable for 90 days,
	// prior-art.md §6) or deletes the ConnectWise partner, then removes the link.
	DeletePropagate DeletePolicy = "propagate"
)

// FilterExit says what happens to the link of a record that leaves its side's
// filter toward the other side (Config.FilterExit, per object).
type FilterExit string

// Filter-exit policies.
const (
	// FilterExitKeep keeps the link: the record stops flowing from the side it
	// left the filter on, the other direction keeps flowing, and it resumes
	// where it left off when it passes the filter again. It is the default.
	FilterExitKeep FilterExit = "keep"
	// FilterExitUnlink removes the link (neither record is changed): the record
	// stops syncing both ways, and is matched again by its keys if it passes the
	// filter later.
	FilterExitUnlink FilterExit = "unlink"
)

// ErrMassDelete reports deletions stopped by the mass-delete guard
// ([Config.MaxDeleteShare]); nothing was deleted or unlinked.
var ErrMassDelete = errors.New("syncer: mass-delete guard")

// HubSpotArchiver is implemented by HubSpot sides that can archive records
// (the adapter does); [DeletePropagate] toward HubSpot needs it.
type HubSpotArchiver interface {
	// Archive archives the records of objectType with the given IDs.
	Archive(ctx context.Context, objectType string, ids []string) error
}

// ConnectWiseDeleter is implemented by ConnectWise sides that can delete
// records (the adapter does); [DeletePropagate] toward ConnectWise needs it.
type ConnectWiseDeleter interface {
	// Delete deletes one record; a record already gone is not an error.
	Delete(ctx context.Context, resource string, id int64) error
}

// ConnectWiseIDLister is implemented by ConnectWise sides that can list the
// IDs of a collection cheaply (the adapter asks for the "id" field only);
// [Engine.SweepDeletes] needs it.
type ConnectWiseIDLister interface {
	// IDs reads up to size records with IDs greater than afterID, ascending,
	// and returns the IDs of those not deleted, and next, the ID to continue
	// after (0 when the last page was read).
	IDs(ctx context.Context, resource string, afterID int64, size int) (ids []int64, next int64, err error)
}

// DeleteReport is what handling deletions of one object did.
type DeleteReport struct {
	// Object is the object pair name.
	Object string
	// Side is the side whose records are gone.
	Side Side
	// Policy is the object's delete policy.
	Policy DeletePolicy
	// Links is the number of the object's links before the deletions.
	Links int
	// Gone lists the linked records found gone, as "connectwise:250" or
	// "hubspot:1001".
	Gone []string
	// Unlinked counts links removed; Propagated counts partners archived in
	// HubSpot or deleted in ConnectWise.
	Unlinked, Propagated int
	// Stopped reports that the mass-delete guard stopped the deletions.
	Stopped bool
	// Err is the first error, if any (wrapping ErrMassDelete when Stopped).
	Err error `json:"-"`
}

// String summarises the report in one line.
func (r *DeleteReport) String() string {
	s := fmt.Sprintf("%s: %d of %d linked records gone from %s (policy %s): %d unlinked, %d propagated",
		r.Object, len(r.Gone), r.Links, r.Side, r.Policy, r.Unlinked, r.Propagated)
	if r.Err != nil {
		s += "; " + r.Err.Error()
	}
	return s
}

func (e *Engine) deletePolicy(object string) DeletePolicy {
	if p := e.cfg.Deletes[object]; p != "" {
		return p
	}
	return DeleteIgnore
}

// HandleDeleted handles records of object that a webhook or callback reported
// deleted on side (HubSpot IDs, or ConnectWise IDs in decimal). Each is read
// again first: a record still there (a restore, an out-of-order event) is
// left alone, as is one without a link. The rest follow the object's
// [DeletePolicy] under the mass-delete guard. Do not pass the IDs a HubSpot
// merge took away (merge events name them): a merged record is read as gone,
// and its link belongs to the survivor, which a pass over the survivor relinks.
func (e *Engine) HandleDeleted(ctx context.Context, object string, side Side, ids []string) (*DeleteReport, error) {
	o := e.byName[object]
	if o == nil || !side.Valid() {
		return nil, fmt.Errorf("syncer: handle deleted: object %q side %q: %w", object, side, ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.handleDeleted(ctx, o, side, ids)
}

// handleDeleted is HandleDeleted with e.mu held.
func (e *Engine) handleDeleted(ctx context.Context, o *objectSpec, side Side, ids []string) (*DeleteReport, error) {
	object := o.name
	var links []Link
	switch side {
	case SideConnectWise:
		cw := make([]int64, 0, len(ids))
		for _, s := range ids {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("syncer: handle deleted %s: ConnectWise ID %q: %w", object, s, ErrInvalid)
			}
			cw = append(cw, n)
		}
		recs, err := e.cw.Read(ctx, o.cwRes, cw)
		if err != nil {
			return nil, fmt.Errorf("syncer: handle deleted %s: read ConnectWise: %w", object, err)
		}
		there := map[int64]bool{}
		for _, r := range recs {
			there[recordID(r)] = !softDeleted(r)
		}
		found, err := e.store.LinksByConnectWiseIDs(ctx, e.tenant, object, cw)
		if err != nil {
			return nil, fmt.Errorf("syncer: handle deleted %s: %w", object, err)
		}
		for _, id := range cw {
			if l, ok := found[id]; ok && !there[id] {
				links = append(links, l)
				delete(found, id)
			}
		}
	case SideHubSpot:
		recs, err := e.hs.Read(ctx, o.hsType, "", ids, []string{"hs_object_id"})
		if err != nil {
			return nil, fmt.Errorf("syncer: handle deleted %s: read HubSpot: %w", object, err)
		}
		there := map[string]bool{}
		for _, r := range recs {
			there[r.ID] = true
		}
		found, err := e.store.LinksByHubSpotIDs(ctx, e.tenant, object, ids)
		if err != nil {
			return nil, fmt.Errorf("syncer: handle deleted %s: %w", object, err)
		}
		for _, id := range ids {
			if l, ok := found[id]; ok && !there[id] {
				links = append(links, l)
				delete(found, id)
			}
		}
	}
	rep := &DeleteReport{Object: object, Side: side, Policy: e.deletePolicy(object)}
	err := e.applyDeletes(ctx, o, side, links, rep)
	return rep, err
}

// SweepDeletes finds the ConnectWise records of object that are gone although
// linked (polling on lastUpdated never sees a delete: prior-art.md §6, TopLeft
// and Moovila; django-connectwise prunes by an ID sweep likewise). It lists
// every ConnectWise ID of the object (the "id" field only, 1000 per page),
// compares them with the links ([StateStore.ListLinks]) and applies the
// object's [DeletePolicy] to the links whose record is gone, under the
// mass-delete guard. Run it periodically (hourly or daily), not every pass.
func (e *Engine) SweepDeletes(ctx context.Context, object string) (*DeleteReport, error) {
	o := e.byName[object]
	if o == nil {
		return nil, fmt.Errorf("syncer: sweep: object %q is not synced: %w", object, ErrInvalid)
	}
	lister, ok := e.cw.(ConnectWiseIDLister)
	if !ok {
		return nil, fmt.Errorf("syncer: sweep %s: the ConnectWise side cannot list IDs (ConnectWiseIDLister): %w", object, ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var gone []Link
	var ids []int64
	var after int64
	more := true
	for l, err := range e.store.ListLinks(ctx, e.tenant, object, nil) {
		if err != nil {
			return nil, fmt.Errorf("syncer: sweep %s: %w", object, err)
		}
		// Both lists ascend by ConnectWise ID: walk them together.
		for more && (len(ids) == 0 || ids[len(ids)-1] < l.ConnectWiseID) {
			page, next, err := lister.IDs(ctx, o.cwRes, after, pageSize)
			if err != nil {
				return nil, fmt.Errorf("syncer: sweep %s: list ConnectWise IDs: %w", object, err)
			}
			ids = append(ids[:0], page...)
			more, after = next > 0, next
		}
		for len(ids) > 0 && ids[0] < l.ConnectWiseID {
			ids = ids[1:]
		}
		if len(ids) == 0 || ids[0] != l.ConnectWiseID {
			gone = append(gone, l)
		}
	}
	rep := &DeleteReport{Object: object, Side: SideConnectWise, Policy: e.deletePolicy(object)}
	err := e.applyDeletes(ctx, o, SideConnectWise, gone, rep)
	return rep, err
}

// SweepArchived finds the HubSpot records of object that are linked but
// archived (HubSpot's recycle bin, where a deleted record stays 90 days:
// prior-art.md §6), and applies the object's [DeletePolicy] to their links
// under the mass-delete guard. It is the HubSpot counterpart of
// [Engine.SweepDeletes] for hosts without webhooks, whose polls never see a
// delete: it pages through the archive, 100 IDs per call, and looks each
// page's IDs up among the links. Records deleted for good (a GDPR delete)
// are not in the archive; only their webhook names them.
//
// Run it after a poll. A merge shows on the survivor, which a poll reads and
// relinks first; whether HubSpot lists a merged-away record as archived is not
// documented (hubspot-api.md §9 Merges), and a record whose link has moved to
// its survivor is not looked at.
func (e *Engine) SweepArchived(ctx context.Context, object string) (*DeleteReport, error) {
	o := e.byName[object]
	if o == nil {
		return nil, fmt.Errorf("syncer: sweep archived: object %q is not synced: %w", object, ErrInvalid)
	}
	lister, ok := e.hs.(HubSpotArchiveLister)
	if !ok {
		return nil, fmt.Errorf("syncer: sweep archived %s: the HubSpot side cannot list archived records (HubSpotArchiveLister): %w", object, ErrInvalid)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var gone []Link
	seen := map[string]bool{}
	after := ""
	for {
		ids, next, err := lister.Archived(ctx, o.hsType, after)
		if err != nil {
			return nil, fmt.Errorf("syncer: sweep archived %s: list HubSpot archive: %w", object, err)
		}
		found, err := e.store.LinksByHubSpotIDs(ctx, e.tenant, object, ids)
		if err != nil {
			return nil, fmt.Errorf("syncer: sweep archived %s: %w", object, err)
		}
		for _, id := range ids {
			if l, ok := found[id]; ok && !seen[id] {
				seen[id] = true
				gone = append(gone, l)
			}
		}
		if next == "" || next == after {
			break
		}
		after = next
	}
	rep := &DeleteReport{Object: object, Side: SideHubSpot, Policy: e.deletePolicy(object)}
	err := e.applyDeletes(ctx, o, SideHubSpot, gone, rep)
	return rep, err
}

// applyDeletes applies the object's policy to links whose record on side is
// gone, after the mass-delete guard.
func (e *Engine) applyDeletes(ctx context.Context, o *objectSpec, side Side, gone []Link, rep *DeleteReport) error {
	for _, l := range gone {
		if side == SideConnectWise {
			rep.Gone = append(rep.Gone, "connectwise:"+strconv.FormatInt(l.ConnectWiseID, 10))
		} else {
			rep.Gone = append(rep.Gone, "hubspot:"+l.HubSpotID)
		}
	}
	n, err := e.countAllLinks(ctx, o.name)
	if err != nil {
		return err
	}
	rep.Links = n
	if len(gone) == 0 || rep.Policy == DeleteIgnore {
		if len(gone) > 0 {
			e.log.Info("syncer: linked records gone, ignored", "object", o.name, "side", side, "count", len(gone))
		}
		return nil
	}
	if share := e.cfg.MaxDeleteShare; share >= 0 && len(gone) > 1 && float64(len(gone)) > math.Max(share, 0)*float64(n) {
		rep.Stopped = true
		rep.Err = fmt.Errorf("syncer: %s: %d of %d links would be deleted or unlinked, more than the share %.0f%% allowed (Config.MaxDeleteShare): %w",
			o.name, len(gone), n, share*100, ErrMassDelete)
		e.log.Warn("syncer: mass-delete guard stopped deletions", "object", o.name, "gone", len(gone), "links", n)
		return rep.Err
	}
	parked, err := e.parkedFields(ctx, o.name)
	if err != nil {
		return err
	}
	var errs []error
	for _, l := range gone {
		if rep.Policy == DeletePropagate {
			if err := e.propagateDelete(ctx, o, side, l); err != nil {
				errs = append(errs, err)
				continue
			}
			rep.Propagated++
		}
		// The records' dead letters go with the link: a retry would find one
		// side gone, and nothing else would ever clear them.
		b := new(Batch).DeleteLink(o.name, l.HubSpotID, l.ConnectWiseID).
			DeleteDeadLetter(o.name, SideHubSpot, l.HubSpotID).
			DeleteDeadLetter(o.name, SideConnectWise, strconv.FormatInt(l.ConnectWiseID, 10))
		for _, f := range parked[l.HubSpotID+"\x00"+strconv.FormatInt(l.ConnectWiseID, 10)] {
			b.DeleteConflict(o.name, l.HubSpotID, l.ConnectWiseID, f)
		}
		if err := e.commit(ctx, b); err != nil {
			errs = append(errs, fmt.Errorf("syncer: %s: unlink hubspot=%s connectwise=%d: %w", o.name, l.HubSpotID, l.ConnectWiseID, err))
			continue
		}
		rep.Unlinked++
	}
	rep.Err = errors.Join(errs...)
	return rep.Err
}

// propagateDelete archives or deletes the partner of a record gone from side.
func (e *Engine) propagateDelete(ctx context.Context, o *objectSpec, side Side, l Link) error {
	if side == SideConnectWise {
		a, ok := e.hs.(HubSpotArchiver)
		if !ok {
			return fmt.Errorf("syncer: %s: the HubSpot side cannot archive (HubSpotArchiver): %w", o.name, ErrInvalid)
		}
		if err := a.Archive(ctx, o.hsType, []string{l.HubSpotID}); err != nil {
			return fmt.Errorf("syncer: %s: archive HubSpot %s: %w", o.name, l.HubSpotID, err)
		}
		return nil
	}
	d, ok := e.cw.(ConnectWiseDeleter)
	if !ok {
		return fmt.Errorf("syncer: %s: the ConnectWise side cannot delete (ConnectWiseDeleter): %w", o.name, ErrInvalid)
	}
	if err := d.Delete(ctx, o.cwRes, l.ConnectWiseID); err != nil {
		return fmt.Errorf("syncer: %s: delete ConnectWise %d: %w", o.name, l.ConnectWiseID, err)
	}
	return nil
}

// parkedFields returns the fields of object's parked conflicts per link
// (HubSpot ID, NUL, ConnectWise ID): a link that goes takes its parked
// conflicts with it.
func (e *Engine) parkedFields(ctx context.Context, object string) (map[string][]string, error) {
	out := map[string][]string{}
	for c, err := range e.store.ListConflicts(ctx, e.tenant, object) {
		if err != nil {
			return nil, fmt.Errorf("syncer: %s: list conflicts: %w", object, err)
		}
		k := c.HubSpotID + "\x00" + strconv.FormatInt(c.ConnectWiseID, 10)
		out[k] = append(out[k], c.Field)
	}
	return out, nil
}

func (e *Engine) countAllLinks(ctx context.Context, object string) (int, error) {
	n := 0
	for _, err := range e.store.ListLinks(ctx, e.tenant, object, nil) {
		if err != nil {
			return 0, fmt.Errorf("syncer: %s: count links: %w", object, err)
		}
		n++
	}
	return n, nil
}

// softDeleted reports a ConnectWise record deleted but still returned, as
// companies are (deletedFlag true).
func softDeleted(rec map[string]any) bool {
	f, _ := rec["deletedFlag"].(bool)
	return f
}

package syncer

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// mergedProp lists, on the survivor of a HubSpot merge, the IDs of the records
// merged into it, separated by ";" (prior-art.md §6: merge webhooks carry
// primaryObjectId and mergedObjectIds; the survivor keeps hs_merged_object_ids).
const mergedProp = "hs_merged_object_ids"

// mergeFix is what a HubSpot merge changes for its survivor: the links of the
// merged records to delete and, when the survivor takes one over, that link.
type mergeFix struct {
	drop  []Link
	moved *Link
}

// relinkMerged moves the links of HubSpot records merged away to their
// survivor, for the survivors read in this pass. A survivor without a link of
// its own takes over the link of the merged record (one only: two merged
// records linked to two ConnectWise records are reported, not guessed); a
// survivor already linked keeps its link and the merged record's link is
// removed (its ConnectWise record stays, unlinked). hsLinks is updated; the
// store changes are committed with the survivor's result (stateOps), so a dry
// run changes nothing.
func (ps *passState) relinkMerged(ctx context.Context, hsLinks map[string]Link) error {
	e, o := ps.e, ps.o
	merged := map[string]string{} // merged ID -> survivor
	var ids []string
	for _, id := range ps.hsSrc {
		r := ps.hs[id]
		if r == nil || r.rec.Properties[mergedProp] == "" {
			continue
		}
		for _, m := range strings.Split(r.rec.Properties[mergedProp], ";") {
			if m = strings.TrimSpace(m); m != "" && m != id {
				merged[m] = id
				ids = append(ids, m)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	old, err := e.store.LinksByHubSpotIDs(ctx, e.tenant, o.name, ids)
	if err != nil {
		return fmt.Errorf("syncer: %s: look merged links up: %w", o.name, err)
	}
	for _, m := range ids {
		l, ok := old[m]
		if !ok {
			continue
		}
		delete(old, m)
		s := merged[m]
		if ps.merges == nil {
			ps.merges = map[string]*mergeFix{}
		}
		f := ps.merges[s]
		if f == nil {
			f = &mergeFix{}
			ps.merges[s] = f
		}
		f.drop = append(f.drop, l)
	}
	for _, s := range slices.Sorted(maps.Keys(ps.merges)) {
		f := ps.merges[s]
		if _, linked := hsLinks[s]; !linked && len(f.drop) == 1 {
			nl := f.drop[0]
			nl.HubSpotID, nl.Version = s, 0
			f.moved = &nl
			hsLinks[s] = nl
			e.log.Info("syncer: HubSpot merge: link moves to the survivor", "object", o.name, "merged", f.drop[0].HubSpotID, "survivor", s, "connectwise", nl.ConnectWiseID)
			continue
		}
		e.log.Warn("syncer: HubSpot merge: links of merged records are removed", "object", o.name, "survivor", s, "count", len(f.drop))
	}
	return nil
}

// fixMerged points the pairs of merge survivors at their merge fix and at the
// moved link (a ConnectWise record's link was looked up under the merged ID).
func (ps *passState) fixMerged() {
	for _, p := range ps.pairs {
		if p.hs == nil {
			continue
		}
		f := ps.merges[p.hs.rec.ID]
		if f == nil {
			continue
		}
		p.merge = f
		if f.moved != nil {
			l := *f.moved
			p.link = &l
		}
	}
}

// mergeOps adds the store operations of a merge fix: the merged records'
// links are deleted, and the moved link is put unless the result puts it.
func mergeOps(b *Batch, object string, p *pair, r *result) {
	if p == nil || p.merge == nil {
		return
	}
	for _, l := range p.merge.drop {
		b.DeleteLink(object, l.HubSpotID, l.ConnectWiseID)
	}
	if m := p.merge.moved; m != nil && r.base == nil {
		b.PutLink(*m)
	}
}

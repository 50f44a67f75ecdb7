package syncer

import (
	"context"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/internal/httpx"
)

// HubSpotArchiveLister is implemented by HubSpot sides that can page through
// the archived records of an object type (the adapter does);
// [Engine.SweepArchived] needs it.
type HubSpotArchiveLister interface {
	// Archived reads one page of the IDs of archived records, from the paging
	// cursor after ("" for the first page); next is "" after the last page.
	Archived(ctx context.Context, objectType, after string) (ids []string, next string, err error)
}

// archivePage is the page size of the archive listing, the largest a list
// takes (hubspot-api.md §4, doc†: contacts guide: limit ≤ 100).
const archivePage = 100

// Archived lists archived records with GET /crm/…/objects/{type}?archived=true,
// which returns only archived records (spec: "Whether to return only results
// that have been archived"), asking for hs_object_id alone.
func (a *HubSpotAdapter) Archived(ctx context.Context, objectType, after string) ([]string, string, error) {
	ctx = httpx.WithCounter(ctx, &a.counter)
	page, resp, err := a.c.Objects(objectType).List(ctx, &hubspot.ListOptions{Limit: archivePage, After: after,
		Archived: true, Properties: []string{"hs_object_id"}})
	if err != nil {
		return nil, "", err
	}
	ids := make([]string, 0, len(page))
	for _, o := range page {
		ids = append(ids, o.ID)
	}
	next := ""
	if resp != nil {
		next = resp.NextAfter
	}
	return ids, next, nil
}

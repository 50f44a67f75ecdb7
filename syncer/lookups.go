package syncer

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
)

// OwnerTable builds the mapping.TableOwners lookup table: ConnectWise member
// IDs to HubSpot owner IDs, joined on email (ConnectWise primaryEmail or
// officeEmail, HubSpot owner email, compared case-insensitively). hubspot_owner_id
// takes the owner ID, not the user ID (hubspot-api.md §8). Members without a
// matching owner are left out, so their records fail with mapping.ErrUnmapped
// naming the field until the owner exists. Install it from Config.Lookups:
//
//	lk.SetTable(mapping.TableOwners, table)
func OwnerTable(ctx context.Context, hs *hubspot.Client, cw *connectwise.Client) (map[string]string, error) {
	owners := map[string]string{}
	for o, err := range hs.Owners.ListIter(ctx, nil) {
		if err != nil {
			return nil, fmt.Errorf("syncer: owner table: hubspot owners: %w", err)
		}
		if o.Email != "" && !o.Archived {
			owners[strings.ToLower(o.Email)] = o.ID
		}
	}
	members, err := cw.Members.All(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("syncer: owner table: connectwise members: %w", err)
	}
	out := map[string]string{}
	for _, m := range members {
		for _, email := range []*string{m.PrimaryEmail, m.OfficeEmail} {
			if email == nil {
				continue
			}
			if id, ok := owners[strings.ToLower(strings.TrimSpace(*email))]; ok {
				out[strconv.Itoa(m.ID)] = id
				break
			}
		}
	}
	return out, nil
}

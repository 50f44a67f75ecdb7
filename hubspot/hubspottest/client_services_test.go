package hubspottest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClientServices drives every service of the real client against the fake,
// on the default (2026-09) and the legacy paths.
func TestClientServices(t *testing.T) {
	ctx := context.Background()
	for _, v := range []hubspot.APIVersion{hubspot.Version202609, hubspot.VersionLegacy} {
		t.Run(string(v), func(t *testing.T) {
			s := hubspottest.NewServer(t, hubspottest.Options{})
			c := s.Client(hubspot.WithAPIVersion(v), hubspot.WithoutRateLimit())

			// Properties and groups, with Ensure* idempotence.
			_, out, err := c.Properties.EnsureGroup(ctx, "companies", &hubspot.PropertyGroupCreate{Name: "connectwise", Label: "ConnectWise"})
			require.NoError(t, err)
			assert.Equal(t, hubspot.EnsureCreated, out)
			want := &hubspot.PropertyCreate{Name: "cw_company_id", Label: "ConnectWise company ID", Type: "string", FieldType: "text", GroupName: "connectwise", HasUniqueValue: true}
			_, out, err = c.Properties.EnsureProperty(ctx, "companies", want)
			require.NoError(t, err)
			assert.Equal(t, hubspot.EnsureCreated, out)
			_, out, err = c.Properties.EnsureProperty(ctx, "companies", want)
			require.NoError(t, err)
			assert.Equal(t, hubspot.EnsureUnchanged, out)
			props, _, err := c.Properties.List(ctx, "contacts", nil)
			require.NoError(t, err)
			assert.Greater(t, len(props), 10)

			// Objects through upsert, then search past pages.
			var inputs []hubspot.BatchUpsertInput
			for i := range 230 {
				inputs = append(inputs, hubspot.BatchUpsertInput{ID: fmt.Sprint(1000 + i), IDProperty: "cw_company_id", Properties: map[string]string{"name": fmt.Sprint("Co ", i)}})
			}
			res, _, err := c.Companies.BatchUpsert(ctx, inputs)
			require.NoError(t, err)
			require.Len(t, res, 230)
			assert.True(t, res[0].New)
			seen := 0
			for obj, err := range c.Companies.SearchIter(ctx, &hubspot.SearchRequest{Limit: 100, Properties: []string{"name"},
				FilterGroups: []hubspot.FilterGroup{hubspot.And(hubspot.Gte("hs_object_id", "0"))}}) {
				require.NoError(t, err)
				require.NotEmpty(t, obj.Properties["name"])
				seen++
			}
			assert.Equal(t, 230, seen)
			listed := 0
			for _, err := range c.Companies.ListIter(ctx, &hubspot.ListOptions{Limit: 100}) {
				require.NoError(t, err)
				listed++
			}
			assert.Equal(t, 230, listed)

			// Associations.
			contact, _, err := c.Contacts.Create(ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "svc@example.com"}})
			require.NoError(t, err)
			_, _, err = c.Associations.CreateBatch(ctx, "contacts", "companies", []hubspot.AssociationInput{{FromID: contact.ID, ToID: res[0].ID, Types: []hubspot.AssociationSpec{hubspot.DefinedType(1)}}})
			require.NoError(t, err)
			_, _, err = c.Associations.CreateDefaultBatch(ctx, "contacts", "companies", []hubspot.AssociationPair{{FromID: contact.ID, ToID: res[1].ID}})
			require.NoError(t, err)
			got, _, err := c.Associations.ReadBatch(ctx, "contacts", "companies", []string{contact.ID})
			require.NoError(t, err)
			assert.Len(t, got[contact.ID], 2)
			labels, _, err := c.Associations.Labels(ctx, "contacts", "companies")
			require.NoError(t, err)
			assert.Len(t, labels, 2)
			_, err = c.Associations.ArchiveBatch(ctx, "contacts", "companies", []hubspot.AssociationPair{{FromID: contact.ID, ToID: res[1].ID}})
			require.NoError(t, err)
			assert.Equal(t, []string{res[0].ID}, s.AssociatedIDs("contacts", contact.ID, "companies"))

			// Owners, pipelines, lists.
			owners, _, err := c.Owners.List(ctx, nil)
			require.NoError(t, err)
			assert.Len(t, owners, 2)
			pipes, _, err := c.Pipelines.List(ctx, "deals")
			require.NoError(t, err)
			require.Len(t, pipes, 1)
			listID, err := s.CreateList("contacts", "to CW", contact.ID)
			require.NoError(t, err)
			members, _, err := c.Lists.Memberships(ctx, listID, nil)
			require.NoError(t, err)
			require.Len(t, members, 1)
			assert.Equal(t, contact.ID, members[0].RecordID)
			rec, _, err := c.Lists.RecordMemberships(ctx, "0-1", contact.ID)
			require.NoError(t, err)
			require.Len(t, rec, 1)
			assert.Equal(t, listID, rec[0].ListID)

			// Merge.
			other, _, err := c.Contacts.Create(ctx, &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "svc2@example.com"}})
			require.NoError(t, err)
			merged, _, err := c.Contacts.Merge(ctx, contact.ID, other.ID)
			require.NoError(t, err)
			assert.Contains(t, merged.Properties["hs_merged_object_ids"], other.ID)
		})
	}
}

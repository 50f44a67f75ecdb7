package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

// These tests run the client against the hubspottest fake: the same calls as the
// httptest tests, now against a stateful server with HubSpot's rules.

// fakeClock is shared by the fake (its windows) and the client (its sleeps), so a
// wait the client asks for moves the fake's time: no real sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

func ensureCWID(t *testing.T, hs *hubspot.Client, objectType string) {
	t.Helper()
	group := map[string]string{hubspot.ObjectContacts: "contactinformation", hubspot.ObjectCompanies: "companyinformation"}[objectType]
	_, _, err := hs.Properties.EnsureProperty(context.Background(), objectType, &hubspot.PropertyCreate{
		Name: "cw_id", Label: "ConnectWise ID", GroupName: group,
		Type: hubspot.PropertyTypeString, FieldType: hubspot.FieldTypeText, HasUniqueValue: true,
	})
	require.NoError(t, err)
}

func TestFakeTenSecondly429WaitedOut(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	fake := hubspottest.NewServer(t, hubspottest.Options{Now: clk.now, RateLimits: hubspottest.RateLimits{Enforce: true, Max: 3, Interval: 10 * time.Second}})
	hs := fake.Client(hubspot.WithoutRateLimit(), hubspot.WithSleep(clk.sleep), hubspot.WithClock(clk.now))
	ctx := context.Background()
	id, err := fake.CreateRecord("contacts", map[string]string{"email": "a@example.com"})
	require.NoError(t, err)
	start := clk.now()
	for range 7 {
		_, resp, err := hs.Contacts.Get(ctx, id, nil)
		require.NoError(t, err)
		assert.Equal(t, int64(3), resp.RateLimit.Max)
	}
	assert.GreaterOrEqual(t, clk.now().Sub(start), 20*time.Second, "two windows waited out")
	assert.Equal(t, 7, fake.CountOp(hubspottest.OpGet)-countStatus(fake, 429))
}

func countStatus(fake *hubspottest.Server, status int) int {
	n := 0
	for _, c := range fake.Calls() {
		if c.Status == status {
			n++
		}
	}
	return n
}

func TestFakeDailyLimitNotRetried(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	fake := hubspottest.NewServer(t, hubspottest.Options{Now: clk.now, RateLimits: hubspottest.RateLimits{Enforce: true, Daily: 2}})
	hs := fake.Client(hubspot.WithoutRateLimit(), hubspot.WithSleep(clk.sleep), hubspot.WithClock(clk.now))
	ctx := context.Background()
	var err error
	for range 3 {
		_, _, err = hs.Owners.List(ctx, nil)
	}
	var rl *hubspot.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.True(t, rl.Daily())
	assert.Equal(t, time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), rl.ResetAt)
	assert.Equal(t, 3, fake.CountOp(hubspottest.OpOwners), "DAILY is not retried")
}

func TestFakeBatchUpsert207PartialFailure(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{})
	hs := fake.Client(hubspot.WithoutRateLimit())
	ensureCWID(t, hs, hubspot.ObjectCompanies)
	inputs := make([]hubspot.BatchUpsertInput, 150)
	for i := range inputs {
		inputs[i] = hubspot.BatchUpsertInput{ID: strconv.Itoa(i), IDProperty: "cw_id", Properties: map[string]string{"name": fmt.Sprint("Co ", i)}}
	}
	inputs[120].Properties["numberofemployees"] = "12,5" // not a number
	res, _, err := hs.Companies.BatchUpsert(context.Background(), inputs)
	var be *hubspot.BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Failures, 1)
	assert.Equal(t, 120, be.Failures[0].Index)
	assert.ErrorIs(t, err, hubspot.ErrValidation)
	assert.Len(t, res, 149)
	assert.Equal(t, 149, fake.RecordCount("companies"))
	assert.Equal(t, 2, fake.CountOp(hubspottest.OpBatchUpsert))
}

func TestFakeFaults(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{})
	sl := func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	hs := fake.Client(hubspot.WithoutRateLimit(), hubspot.WithSleep(sl))
	ctx := context.Background()
	ensureCWID(t, hs, hubspot.ObjectContacts)

	fake.InjectOp(hubspottest.OpBatchUpsert, 2, hubspottest.Fault{Status: 503, Body: []byte(`{"status":"error","message":"unavailable"}`)})
	res, _, err := hs.Contacts.BatchUpsert(ctx, []hubspot.BatchUpsertInput{{ID: "1", IDProperty: "cw_id", Properties: map[string]string{"email": "one@example.com"}}})
	require.NoError(t, err)
	assert.Len(t, res, 1)
	assert.Equal(t, 3, fake.CountOp(hubspottest.OpBatchUpsert))

	// A create whose answer is lost after it was applied must not be repeated.
	fake.InjectOp(hubspottest.OpBatchCreate, 1, hubspottest.Fault{Drop: true, AfterHandler: true})
	_, _, err = hs.Contacts.BatchCreate(ctx, []hubspot.BatchCreateInput{{Properties: map[string]string{"email": "two@example.com"}}})
	var be *hubspot.BatchError
	require.ErrorAs(t, err, &be)
	require.Error(t, be.Abort)
	// The fake records a dropped call after closing the connection, so the count
	// may lag the client's error by a moment.
	require.Eventually(t, func() bool { return fake.CountOp(hubspottest.OpBatchCreate) >= 1 }, time.Second, time.Millisecond)
	assert.Equal(t, 1, fake.CountOp(hubspottest.OpBatchCreate))
	assert.Equal(t, 2, fake.RecordCount("contacts"), "applied once, not duplicated")

	// A malformed body is a decode error, not a panic.
	fake.InjectOp(hubspottest.OpGet, 1, hubspottest.Fault{Malformed: true})
	_, _, err = hs.Contacts.Get(ctx, res[0].ID, nil)
	require.Error(t, err)
}

func TestFakeConflictExposesExistingID(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{})
	hs := fake.Client(hubspot.WithoutRateLimit())
	id, err := fake.CreateRecord("contacts", map[string]string{"email": "taken@example.com"})
	require.NoError(t, err)
	_, _, err = hs.Contacts.Create(context.Background(), &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "taken@example.com"}})
	require.ErrorIs(t, err, hubspot.ErrConflict)
	var ae *hubspot.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, id, ae.ExistingID())
}

func TestFakeSearchIterPastCap(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{Search: hubspottest.SearchLimits{MaxResults: 40}})
	hs := fake.Client(hubspot.WithoutRateLimit(), hubspot.WithSearchLimits(hubspot.SearchLimits{MaxResults: 40}))
	for i := range 130 {
		_, err := fake.CreateRecord("deals", map[string]string{"dealname": fmt.Sprint("Deal ", i), "amount": strconv.Itoa(i)})
		require.NoError(t, err)
	}
	n := 0
	last := int64(0)
	for d, err := range hs.Deals.SearchIter(context.Background(), &hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{hubspot.And(hubspot.Gte("amount", "10"))}, Limit: 15,
	}) {
		require.NoError(t, err)
		id, _ := strconv.ParseInt(d.ID, 10, 64)
		require.Greater(t, id, last)
		last = id
		n++
	}
	assert.Equal(t, 120, n)
}

func TestFakeAssociationsOwnersPipelinesLists(t *testing.T) {
	for _, v := range []hubspot.APIVersion{hubspot.Version202609, hubspot.VersionLegacy} {
		t.Run(string(v), func(t *testing.T) {
			fake := hubspottest.NewServer(t, hubspottest.Options{})
			hs := fake.Client(hubspot.WithoutRateLimit(), hubspot.WithAPIVersion(v))
			ctx := context.Background()
			contact, err := fake.CreateRecord("contacts", map[string]string{"email": "c@example.com"})
			require.NoError(t, err)
			company, err := fake.CreateRecord("companies", map[string]string{"name": "Acme"})
			require.NoError(t, err)

			_, _, err = hs.Associations.CreateBatch(ctx, hubspot.ObjectContacts, hubspot.ObjectCompanies, []hubspot.AssociationInput{
				{FromID: contact, ToID: company, Types: []hubspot.AssociationSpec{hubspot.DefinedType(hubspot.ContactToCompanyPrimary)}},
			})
			require.NoError(t, err)
			got, _, err := hs.Associations.ReadBatch(ctx, hubspot.ObjectContacts, hubspot.ObjectCompanies, []string{contact})
			require.NoError(t, err)
			require.Len(t, got[contact], 1)
			assert.Equal(t, company, got[contact][0].ID)

			_, err = hs.Associations.ArchiveBatch(ctx, hubspot.ObjectContacts, hubspot.ObjectCompanies, []hubspot.AssociationPair{{FromID: contact, ToID: company}})
			require.NoError(t, err)
			got, _, err = hs.Associations.ReadBatch(ctx, hubspot.ObjectContacts, hubspot.ObjectCompanies, []string{contact})
			require.NoError(t, err)
			assert.Empty(t, got[contact])

			n := 0
			for o, err := range hs.Owners.ListIter(ctx, nil) {
				require.NoError(t, err)
				assert.NotEmpty(t, o.ID)
				n++
			}
			assert.Positive(t, n)
			ps, _, err := hs.Pipelines.List(ctx, hubspot.ObjectDeals)
			require.NoError(t, err)
			require.NotEmpty(t, ps)
			assert.NotEmpty(t, ps[0].Stages)

			listID, err := fake.CreateList("contacts", "VIP", contact)
			require.NoError(t, err)
			var members []string
			for m, err := range hs.Lists.MembershipsIter(ctx, listID, nil) {
				require.NoError(t, err)
				members = append(members, m.RecordID)
			}
			assert.Equal(t, []string{contact}, members)
		})
	}
}

func TestFakeWebhookDeliveryVerified(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{})
	hs := fake.Client(hubspot.WithoutRateLimit())
	var mu sync.Mutex
	var got []hubspot.Event
	h := hubspot.NewWebhookHandler(&hubspot.WebhookVerifier{ClientSecret: fake.ClientSecret()}, func(ctx context.Context, evs []hubspot.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, evs...)
		return nil
	}, nil)
	srv := httptest.NewServer(h)
	defer srv.Close()

	c, _, err := hs.Contacts.Create(context.Background(), &hubspot.ObjectCreateRequest{Properties: map[string]string{"email": "w@example.com"}})
	require.NoError(t, err)
	events := fake.Events()
	require.NotEmpty(t, events)
	require.NoError(t, fake.Deliver(context.Background(), srv.URL+"/hooks/hubspot?src=fake", events))
	require.NoError(t, fake.Deliver(context.Background(), srv.URL+"/hooks/hubspot?src=fake", events), "redelivery accepted")
	mu.Lock()
	defer mu.Unlock()
	assert.Len(t, got, len(events), "redelivered events dropped")
	assert.Equal(t, hubspot.EventCreation, got[0].Kind())
	assert.Equal(t, c.ID, got[0].RecordID())

	bad := hubspot.NewWebhookHandler(&hubspot.WebhookVerifier{ClientSecret: "not-the-secret"}, func(context.Context, []hubspot.Event) error { return nil }, nil)
	badSrv := httptest.NewServer(bad)
	defer badSrv.Close()
	require.Error(t, fake.Deliver(context.Background(), badSrv.URL, events))
}

func TestFakeOAuthInstallAndRefresh(t *testing.T) {
	clk := &fakeClock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	fake := hubspottest.NewServer(t, hubspottest.Options{Now: clk.now, OAuth: hubspottest.OAuthOptions{RotateRefreshTokens: true}})
	ctx := context.Background()
	redirect := "https://app.example.com/hubspot/callback"
	code := fake.IssueAuthCode(redirect)

	installer, err := hubspot.NewClient(hubspot.WithBaseURL(fake.URL()), hubspot.WithClock(clk.now))
	require.NoError(t, err)
	app := &hubspot.OAuthApp{ClientID: fake.ClientID(), ClientSecret: fake.ClientSecret(), RedirectURI: redirect}
	tok, err := installer.ExchangeCode(ctx, app, code)
	require.NoError(t, err)
	assert.Equal(t, fake.PortalID(), tok.HubID)

	var rotated []string
	hs, err := hubspot.NewClient(hubspot.WithBaseURL(fake.URL()), hubspot.WithClock(clk.now), hubspot.WithoutRateLimit(),
		hubspot.WithOAuth(hubspot.OAuthConfig{ClientID: app.ClientID, ClientSecret: app.ClientSecret, RefreshToken: tok.RefreshToken,
			AccessToken: tok.AccessToken, Expiry: tok.Expiry,
			OnRefresh: func(ctx context.Context, t *hubspot.Token) error {
				rotated = append(rotated, t.RefreshToken)
				return nil
			}}))
	require.NoError(t, err)
	_, _, err = hs.Owners.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, rotated, "the exchanged token is still fresh")
	clk.sleep(ctx, 28*time.Minute)
	_, _, err = hs.Owners.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, rotated, 1)
	assert.NotEqual(t, tok.RefreshToken, rotated[0])
	clk.sleep(ctx, 28*time.Minute)
	_, _, err = hs.Owners.List(ctx, nil)
	require.NoError(t, err, "the rotated refresh token was used")
	assert.Len(t, rotated, 2)
	assert.False(t, errors.Is(err, hubspot.ErrUnauthorized))
}

func TestFakeRecordLevelAssociations(t *testing.T) {
	for _, v := range []hubspot.APIVersion{hubspot.Version202609, hubspot.Version202603, hubspot.VersionLegacy} {
		t.Run(string(v), func(t *testing.T) {
			fake := hubspottest.NewServer(t, hubspottest.Options{})
			hs := fake.Client(hubspot.WithoutRateLimit(), hubspot.WithAPIVersion(v))
			ctx := context.Background()
			contact, err := fake.CreateRecord("contacts", map[string]string{"email": "c@example.com"})
			require.NoError(t, err)
			var companies []string
			for i := range 3 {
				id, err := fake.CreateRecord("companies", map[string]string{"name": fmt.Sprint("Acme ", i)})
				require.NoError(t, err)
				companies = append(companies, id)
			}
			res, _, err := hs.Associations.Create(ctx, hubspot.ObjectContacts, contact, hubspot.ObjectCompanies, companies[0], []hubspot.AssociationSpec{hubspot.DefinedType(hubspot.ContactToCompanyPrimary)})
			require.NoError(t, err)
			assert.Equal(t, []string{"Primary"}, res.Labels)
			for _, id := range companies[1:] {
				_, err = hs.Associations.CreateDefault(ctx, hubspot.ObjectContacts, contact, hubspot.ObjectCompanies, id)
				require.NoError(t, err)
			}
			var seen []string
			for a, err := range hs.Associations.ListIter(ctx, hubspot.ObjectContacts, contact, hubspot.ObjectCompanies, &hubspot.AssociationListOptions{Limit: 2}) {
				require.NoError(t, err)
				seen = append(seen, a.ID)
			}
			assert.ElementsMatch(t, companies, seen, "three associations over two pages")

			_, err = hs.Associations.Delete(ctx, hubspot.ObjectContacts, contact, hubspot.ObjectCompanies, companies[0])
			require.NoError(t, err)
			got, _, err := hs.Associations.List(ctx, hubspot.ObjectContacts, contact, hubspot.ObjectCompanies, nil)
			require.NoError(t, err)
			assert.Len(t, got, 2)

			_, err = hs.Associations.CreateDefault(ctx, hubspot.ObjectContacts, contact, hubspot.ObjectCompanies, "999")
			assert.ErrorIs(t, err, hubspot.ErrNotFound, "an unknown record is a 404")
		})
	}
}

func TestFakePropertiesBatchCreateAndArchive(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{})
	hs := fake.Client(hubspot.WithoutRateLimit())
	ctx := context.Background()
	def := func(name string) *hubspot.PropertyCreate {
		return &hubspot.PropertyCreate{Name: name, Label: name, Type: hubspot.PropertyTypeString, FieldType: hubspot.FieldTypeText, GroupName: "companyinformation"}
	}
	got, _, err := hs.Properties.BatchCreate(ctx, hubspot.ObjectCompanies, []*hubspot.PropertyCreate{def("cw_a"), def("cw_b")})
	require.NoError(t, err)
	require.Len(t, got, 2)

	got, _, err = hs.Properties.BatchCreate(ctx, hubspot.ObjectCompanies, []*hubspot.PropertyCreate{def("cw_c"), def("cw_a"), def("name")})
	require.Len(t, got, 1)
	assert.Equal(t, "cw_c", got[0].Name)
	var be *hubspot.BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Failures, 2)
	assert.Equal(t, 1, be.Failures[0].Index)
	assert.Equal(t, 2, be.Failures[1].Index, "a HubSpot-defined name exists too")
	assert.ErrorIs(t, be.Failures[0].Err, hubspot.ErrConflict)

	_, err = hs.Properties.BatchArchive(ctx, hubspot.ObjectCompanies, []string{"cw_a", "cw_c", "never_existed"})
	require.NoError(t, err)
	_, _, err = hs.Properties.Get(ctx, hubspot.ObjectCompanies, "cw_b")
	require.NoError(t, err)
	_, _, err = hs.Properties.Get(ctx, hubspot.ObjectCompanies, "cw_a")
	assert.ErrorIs(t, err, hubspot.ErrNotFound, "archived properties are only read with archived=true")
}

func TestFakeArchiveGroup(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{})
	hs := fake.Client(hubspot.WithoutRateLimit())
	ctx := context.Background()
	_, _, err := hs.Properties.CreateGroup(ctx, hubspot.ObjectCompanies, &hubspot.PropertyGroupCreate{Name: "cw", Label: "ConnectWise"})
	require.NoError(t, err)
	_, _, err = hs.Properties.Create(ctx, hubspot.ObjectCompanies, &hubspot.PropertyCreate{Name: "cw_x", Label: "x", Type: hubspot.PropertyTypeString, FieldType: hubspot.FieldTypeText, GroupName: "cw"})
	require.NoError(t, err)
	_, err = hs.Properties.ArchiveGroup(ctx, hubspot.ObjectCompanies, "cw")
	var ae *hubspot.APIError
	require.ErrorAs(t, err, &ae, "a group with active properties stays")
	assert.Equal(t, "PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES", ae.SubCategory)
	_, err = hs.Properties.Archive(ctx, hubspot.ObjectCompanies, "cw_x")
	require.NoError(t, err)
	_, err = hs.Properties.ArchiveGroup(ctx, hubspot.ObjectCompanies, "cw")
	require.NoError(t, err)
}

func TestFakeWritesRefuseHsObjectIDProperty(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{})
	hs := fake.Client(hubspot.WithoutRateLimit())
	ctx := context.Background()
	id, err := fake.CreateRecord("contacts", map[string]string{"email": "a@x.io"})
	require.NoError(t, err)
	_, _, err = hs.Contacts.BatchUpdate(ctx, []hubspot.BatchUpdateInput{
		{ID: id, IDProperty: "hs_object_id", Properties: map[string]string{"firstname": "A"}},
		{ID: id + "0", Properties: map[string]string{"firstname": "B"}},
	})
	var be *hubspot.BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Failures, 2)
	var ie *hubspot.InputError
	require.ErrorAs(t, be.Failures[0].Err, &ie, "refused before sending")
	assert.Equal(t, "idProperty", ie.Field)
	assert.ErrorIs(t, be.Failures[1].Err, hubspot.ErrNotFound, "the other input was sent")
	_, _, err = hs.Contacts.Update(ctx, id, map[string]string{"firstname": "A"}, &hubspot.UpdateOptions{IDProperty: "hs_object_id"})
	require.ErrorAs(t, err, &ie)
	_, _, err = hs.Contacts.BatchUpsert(ctx, []hubspot.BatchUpsertInput{{ID: id, IDProperty: "hs_object_id", Properties: map[string]string{"firstname": "A"}}})
	require.ErrorAs(t, err, &be)
	require.ErrorAs(t, be.Failures[0].Err, &ie)
	assert.Equal(t, 0, fake.CountOp(hubspottest.OpBatchUpsert), "nothing was sent")
}

// With propertiesWithHistory HubSpot returns smaller pages than asked for (spec);
// ListIter follows the cursor and misses nothing.
func TestFakeListIterWithHistoryShortPages(t *testing.T) {
	fake := hubspottest.NewServer(t, hubspottest.Options{HistoryPageLimit: 7})
	hs := fake.Client(hubspot.WithoutRateLimit())
	for i := range 30 {
		_, err := fake.CreateRecord("companies", map[string]string{"name": fmt.Sprint("Co ", i)})
		require.NoError(t, err)
	}
	n := 0
	for o, err := range hs.Companies.ListIter(context.Background(), &hubspot.ListOptions{PropertiesWithHistory: []string{"name"}}) {
		require.NoError(t, err)
		assert.NotEmpty(t, o.PropertiesWithHistory["name"])
		n++
	}
	assert.Equal(t, 30, n)
	assert.Equal(t, 5, fake.CountOp(hubspottest.OpList), "pages of 7, not 100")
}

// The issue's load check through the client: 25,000 contacts through BatchUpsert
// into the fake take exactly 250 upsert calls and leave 25,000 contacts.
func TestFakeBatchUpsert25000ContactsThroughClient(t *testing.T) {
	if testing.Short() {
		t.Skip("25,000 records")
	}
	fake := hubspottest.NewServer(t, hubspottest.Options{})
	hs := fake.Client(hubspot.WithoutRateLimit())
	inputs := make([]hubspot.BatchUpsertInput, 25_000)
	for i := range inputs {
		inputs[i] = hubspot.BatchUpsertInput{ID: fmt.Sprintf("load%05d@example.com", i), IDProperty: "email",
			Properties: map[string]string{"firstname": strconv.Itoa(i)}}
	}
	res, _, err := hs.Contacts.BatchUpsert(context.Background(), inputs)
	require.NoError(t, err)
	assert.Len(t, res, 25_000)
	assert.Equal(t, 250, fake.CountOp(hubspottest.OpBatchUpsert))
	assert.Equal(t, 25_000, fake.RecordCount("contacts"))
	created := 0
	for _, r := range res {
		if r.New {
			created++
		}
	}
	assert.Equal(t, 25_000, created)
}

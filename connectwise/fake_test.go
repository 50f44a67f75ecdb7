package connectwise_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// fakeClient starts the connectwisetest fake and a real client for it. The codebase
// is discovered through the fake's companyinfo.
func fakeClient(t *testing.T, fo connectwisetest.Options, opts ...connectwise.Option) (*connectwisetest.Server, *connectwise.Client, *waits) {
	t.Helper()
	srv := connectwisetest.NewServer(t, fo)
	cr := srv.Credentials()
	w := &waits{}
	all := append([]connectwise.Option{connectwise.WithBaseURL(srv.URL()), connectwise.WithRateLimit(rate.Inf, 0), connectwise.WithSleep(w.sleep)}, opts...)
	c, err := connectwise.NewClient(connectwise.Credentials{CompanyID: cr.CompanyID, PublicKey: cr.PublicKey, PrivateKey: cr.PrivateKey, ClientID: cr.ClientID}, all...)
	require.NoError(t, err)
	return srv, c, w
}

type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func TestFakeDiscoveryAndVerify(t *testing.T) {
	_, c, _ := fakeClient(t, connectwisetest.Options{Codebase: "v2024_2/"})
	info, err := c.Verify(context.Background())
	require.NoError(t, err)
	assert.NotEmpty(t, info.Version)
	cb, err := c.Codebase(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "v2024_2", cb)
}

func TestFakeVerifyProblems(t *testing.T) {
	srv := connectwisetest.NewServer(t, connectwisetest.Options{})
	cr := srv.Credentials()
	mk := func(mut func(*connectwise.Credentials)) *connectwise.Client {
		c := connectwise.Credentials{CompanyID: cr.CompanyID, PublicKey: cr.PublicKey, PrivateKey: cr.PrivateKey, ClientID: cr.ClientID}
		mut(&c)
		cl, err := connectwise.NewClient(c, connectwise.WithBaseURL(srv.URL()), connectwise.WithRateLimit(rate.Inf, 0), connectwise.WithRetry(0, 0, 0))
		require.NoError(t, err)
		return cl
	}
	cases := []struct {
		name string
		mut  func(*connectwise.Credentials)
		want connectwise.Problem
	}{
		{"unknown company", func(c *connectwise.Credentials) { c.CompanyID = "nosuchco" }, connectwise.ProblemUnknownCompany},
		{"bad keys", func(c *connectwise.Credentials) { c.PrivateKey = "wrong" }, connectwise.ProblemBadKeys},
		{"client id", func(c *connectwise.Credentials) { c.ClientID = "not-registered" }, connectwise.ProblemClientID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mk(tc.mut).Verify(context.Background())
			var ve *connectwise.VerifyError
			require.ErrorAs(t, err, &ve, "%v", err)
			assert.Equal(t, tc.want, ve.Problem, err.Error())
		})
	}
	t.Run("role", func(t *testing.T) {
		srv.Deny("sales/opportunities")
		defer srv.Allow("sales/opportunities")
		_, err := mk(func(*connectwise.Credentials) {}).Verify(context.Background())
		var ve *connectwise.VerifyError
		require.ErrorAs(t, err, &ve, "%v", err)
		assert.Equal(t, connectwise.ProblemPermissions, ve.Problem, err.Error())
		require.NotEmpty(t, ve.Missing)
		assert.Equal(t, "sales/opportunities", ve.Missing[0].Endpoint)
	})
}

func TestFakeCompaniesPagingPast1000(t *testing.T) {
	srv, c, _ := fakeClient(t, connectwisetest.Options{})
	for i := range 2345 {
		_, err := srv.Seed(connectwisetest.Companies, map[string]any{"identifier": fmt.Sprintf("C%04d", i), "name": fmt.Sprintf("Company %d", i), "addressLine1": "1 Road"})
		require.NoError(t, err)
	}
	ctx := context.Background()
	total := srv.Len(connectwisetest.Companies)
	n := 0
	seen := map[int]bool{}
	for co, err := range c.Companies.ListIter(ctx, &connectwise.ListOptions{OrderBy: "id asc"}) {
		require.NoError(t, err)
		require.False(t, seen[co.ID], "duplicate id %d", co.ID)
		seen[co.ID] = true
		n++
	}
	assert.Equal(t, total, n)
	assert.GreaterOrEqual(t, n, 2345)

	// The conditions survive every page.
	n = 0
	for co, err := range c.Companies.ListIter(ctx, &connectwise.ListOptions{Conditions: connectwise.Like("identifier", "C1%"), PageSize: 100}) {
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(*co.Identifier, "C1"), *co.Identifier)
		n++
	}
	assert.Equal(t, 1000, n)
	cnt, _, err := c.Companies.Count(ctx, &connectwise.ListOptions{Conditions: connectwise.Like("identifier", "C1%")})
	require.NoError(t, err)
	assert.Equal(t, 1000, cnt)

	// Forward-only paging yields the same records.
	n = 0
	for _, err := range c.Companies.ListIter(ctx, &connectwise.ListOptions{ForwardOnly: true, Conditions: connectwise.Like("identifier", "C2%")}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 345, n)
}

func TestFakeCompanyWritesAndQuotes(t *testing.T) {
	srv, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	name := `O'Brien [Holdings] (UK) or 1=1`
	co, _, err := c.Companies.Create(ctx, &connectwise.Company{Identifier: connectwise.Ptr("OBRIEN"), Name: connectwise.Ptr(name), AddressLine1: connectwise.Ptr("1 Road")})
	require.NoError(t, err)
	_, err = srv.Seed(connectwisetest.Companies, map[string]any{"identifier": "OTHER", "name": "O'Brien", "addressLine1": "x"})
	require.NoError(t, err)

	var found []int
	for got, err := range c.Companies.ListIter(ctx, &connectwise.ListOptions{Conditions: connectwise.Eq("name", name)}) {
		require.NoError(t, err)
		found = append(found, got.ID)
	}
	assert.Equal(t, []int{co.ID}, found, "the quote and brackets neither break the query nor widen it")

	_, _, err = c.Companies.Create(ctx, &connectwise.Company{Identifier: connectwise.Ptr("OBRIEN"), Name: connectwise.Ptr("dup"), AddressLine1: connectwise.Ptr("1")})
	assert.ErrorIs(t, err, connectwise.ErrConflict)
	_, _, err = c.Companies.Create(ctx, &connectwise.Company{Name: connectwise.Ptr("no identifier")})
	assert.ErrorIs(t, err, connectwise.ErrValidation)

	got, _, err := c.Companies.Patch(ctx, co.ID, connectwise.Replace("name", "Renamed"))
	require.NoError(t, err)
	assert.Equal(t, "Renamed", *got.Name)
	assert.NotNil(t, got.Info.LastUpdated)
	_, err = c.Companies.Delete(ctx, co.ID)
	require.NoError(t, err)
	// Deleted companies may still be returned by id, flagged (SOURCES.md company-get.json).
	gone, _, err := c.Companies.Get(ctx, co.ID)
	if err == nil {
		require.NotNil(t, gone.DeletedFlag)
		assert.True(t, *gone.DeletedFlag)
	} else {
		assert.ErrorIs(t, err, connectwise.ErrNotFound)
	}
}

func TestFakeContactsEmail(t *testing.T) {
	srv, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	et, err := c.DefaultCommunicationType(ctx, connectwise.CommunicationEmail)
	require.NoError(t, err)
	ct, _, err := c.Contacts.Create(ctx, &connectwise.Contact{FirstName: connectwise.Ptr("Ada"), LastName: connectwise.Ptr("Okafor"),
		CommunicationItems: []connectwise.CommunicationItem{{Type: connectwise.Ref(et.ID), Value: "ada@example.com", DefaultFlag: true, CommunicationType: "Email"}}})
	require.NoError(t, err)
	_ = srv

	var ids []int
	for got, err := range c.Contacts.FindByEmail(ctx, "ada@example.com", nil) {
		require.NoError(t, err)
		ids = append(ids, got.ID)
	}
	assert.Equal(t, []int{ct.ID}, ids)

	_, _, err = c.Contacts.SetDefaultEmail(ctx, ct.ID, "ada.new@example.com")
	require.NoError(t, err)
	got, _, err := c.Contacts.Get(ctx, ct.ID)
	require.NoError(t, err)
	email, ok := got.DefaultEmail()
	require.True(t, ok)
	assert.Equal(t, "ada.new@example.com", email)

	_, _, err = c.Contacts.Create(ctx, &connectwise.Contact{LastName: connectwise.Ptr("NoFirst")})
	var ae *connectwise.APIError
	require.ErrorAs(t, err, &ae)
	assert.True(t, ae.HasCode("MissingRequiredField") || errors.Is(err, connectwise.ErrValidation), err.Error())
}

func TestFakeThrottleWaitedOut(t *testing.T) {
	srv, c, w := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	_, err := c.Codebase(ctx)
	require.NoError(t, err)
	srv.ThrottleNext(connectwisetest.Route("GET", "company/companies"), 2, 4, false)
	_, _, err = c.Companies.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{4 * time.Second, 4 * time.Second}, w.d)
}

// A 429 without Retry-After (possible at the Cloudflare edge, connectwise-api.md §8) is
// still retried, after the client's own backoff.
func TestFakeThrottleWithoutRetryAfter(t *testing.T) {
	srv, c, w := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	_, err := c.Codebase(ctx)
	require.NoError(t, err)
	srv.ThrottleNext(connectwisetest.Route("GET", "company/companies"), 1, -1, false)
	_, _, err = c.Companies.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, w.d, 1)
	assert.Positive(t, w.d[0])
}

func TestFakeCallbackDelivery(t *testing.T) {
	srv, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	var mu sync.Mutex
	var events []*connectwise.CallbackEvent
	h := c.CallbackHandler(func(ctx context.Context, ev *connectwise.CallbackEvent) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		return nil
	}, &connectwise.CallbackHandlerOptions{Verifier: &connectwise.VerifierOptions{AllowHTTP: true}})
	receiver := httptest.NewServer(h)
	defer receiver.Close()

	_, made, err := c.Callbacks.Ensure(ctx, &connectwise.CallbackEntry{URL: receiver.URL + "/cw?recordId=", ObjectID: 1, Type: "company", Level: "owner"})
	require.NoError(t, err)
	require.True(t, made)
	_, err = srv.Create(connectwisetest.Companies, map[string]any{"identifier": "CBCO", "name": "Callback Co", "addressLine1": "1 Road"})
	require.NoError(t, err)
	srv.WaitCallbacks()
	ds := srv.Deliveries()
	require.NotEmpty(t, ds)
	assert.Equal(t, http.StatusOK, ds[len(ds)-1].Status)
	mu.Lock()
	require.Len(t, events, 1)
	assert.Equal(t, "company", events[0].Type)
	var co connectwise.Company
	require.NoError(t, events[0].DecodeEntity(&co))
	assert.Equal(t, "CBCO", *co.Identifier)
	mu.Unlock()

	// A forged delivery naming another key server is rejected without a fetch.
	forged := strings.ReplaceAll(string(ds[0].Body), srv.URL(), "http://evil.example:80")
	v := c.NewCallbackVerifier(&connectwise.VerifierOptions{AllowHTTP: true})
	_, err = v.Verify(ctx, []byte(forged), ds[0].Signature)
	assert.ErrorIs(t, err, connectwise.ErrInvalidCallback)
	assert.ErrorContains(t, err, "untrusted key URL")
}

// The 201 of a contact create leaves communicationItems out (payload
// contact-create-response.json); Create reads the contact back once, so the record it
// returns holds the items sent. Without items there is no extra read, and a failed
// read-back still returns the created record.
func TestFakeContactCreateReadsItemsBack(t *testing.T) {
	srv, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	et, err := c.DefaultCommunicationType(ctx, connectwise.CommunicationEmail)
	require.NoError(t, err)
	get := connectwisetest.Route("GET", "company/contacts/{id}")
	mk := func() *connectwise.Contact {
		return &connectwise.Contact{FirstName: connectwise.Ptr("Ada"),
			CommunicationItems: []connectwise.CommunicationItem{{Type: connectwise.Ref(et.ID), Value: "ada@example.com", DefaultFlag: true, CommunicationType: "Email"}}}
	}

	srv.ResetCalls()
	ct, _, err := c.Contacts.Create(ctx, mk())
	require.NoError(t, err)
	email, ok := ct.DefaultEmail()
	assert.True(t, ok)
	assert.Equal(t, "ada@example.com", email)
	assert.Equal(t, 1, srv.Count(get))

	srv.ResetCalls()
	ct, _, err = c.Contacts.Create(ctx, &connectwise.Contact{FirstName: connectwise.Ptr("Bo")})
	require.NoError(t, err)
	assert.NotZero(t, ct.ID)
	assert.Equal(t, 0, srv.Count(get))

	srv.Inject(get, 1, connectwisetest.Fault{Status: http.StatusForbidden})
	ct, _, err = c.Contacts.Create(ctx, mk())
	require.NoError(t, err)
	assert.NotZero(t, ct.ID)
	assert.Nil(t, ct.CommunicationItems, "the 201 record, as sent by the server")
}

// Company types are set on create only; afterwards SetTypes goes through
// typeAssociations (connectwise-api.md §5, S10).
func TestFakeCompanySetTypes(t *testing.T) {
	_, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	co, _, err := c.Companies.Create(ctx, &connectwise.Company{Identifier: connectwise.Ptr("TYPES"), Name: connectwise.Ptr("Types Co"),
		AddressLine1: connectwise.Ptr("1 Road"), Types: []connectwise.Reference{*connectwise.Ref(1)}})
	require.NoError(t, err)
	require.Len(t, co.Types, 1)

	_, _, err = c.Companies.Patch(ctx, co.ID, connectwise.Replace("types", []connectwise.Reference{*connectwise.Ref(2)}))
	assert.ErrorIs(t, err, connectwise.ErrValidation, "types only on create")

	require.NoError(t, c.Companies.SetTypes(ctx, co.ID, 2, 3))
	got, _, err := c.Companies.Get(ctx, co.ID)
	require.NoError(t, err)
	var ids []int
	for _, r := range got.Types {
		ids = append(ids, r.ID)
	}
	assert.ElementsMatch(t, []int{2, 3}, ids)
	as, _, err := c.Companies.TypeAssociations(ctx, co.ID)
	require.NoError(t, err)
	assert.Len(t, as, 2)
	assert.Equal(t, co.ID, as[0].Company.ID)
}

// An owner-level registration sent with objectId 0 comes back with objectId 1
// (payloads callback-create-request.json / -response.json); Ensure must still find it
// instead of registering again (which the API refuses with ObjectExists).
func TestFakeCallbackEnsureOwnerObjectIDZero(t *testing.T) {
	_, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	e := connectwise.CallbackEntry{URL: "https://hooks.example.com/cw?recordId=", ObjectID: 0, Type: "contact", Level: "owner"}
	first, made, err := c.Callbacks.Ensure(ctx, &e)
	require.NoError(t, err)
	require.True(t, made)
	assert.Equal(t, 1, first.ObjectID)
	again, made, err := c.Callbacks.Ensure(ctx, &e)
	require.NoError(t, err)
	assert.False(t, made)
	assert.Equal(t, first.ID, again.ID)
}

func TestFakeContactSetTypes(t *testing.T) {
	_, c, _ := fakeClient(t, connectwisetest.Options{})
	ctx := context.Background()
	ct, _, err := c.Contacts.Create(ctx, &connectwise.Contact{FirstName: connectwise.Ptr("Ann"), TypeIDs: []int{1}})
	require.NoError(t, err)
	require.Len(t, ct.Types, 1)
	require.NoError(t, c.Contacts.SetTypes(ctx, ct.ID, 2, 3))
	as, _, err := c.Contacts.TypeAssociations(ctx, ct.ID)
	require.NoError(t, err)
	var ids []int
	for _, a := range as {
		ids = append(ids, a.Type.ID)
		assert.Equal(t, ct.ID, a.Contact.ID)
	}
	assert.ElementsMatch(t, []int{2, 3}, ids)
}

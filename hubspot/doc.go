// Package hubspot is a typed client for the HubSpot CRM API: records of every object
// type (single and batch), search, property definitions, associations, owners,
// pipelines, list memberships, OAuth, and webhook verification.
//
//	hs, err := hubspot.NewClient(hubspot.WithAccessToken(os.Getenv("HUBSPOT_TOKEN")))
//	contact, _, err := hs.Contacts.Get(ctx, "jane@example.com", &hubspot.GetOptions{IDProperty: "email"})
//
// Services hang off the [Client]: Contacts, Companies, Deals, Tickets, Products,
// LineItems, [Client.Objects] for custom object type ids, Properties, Associations,
// Owners, Pipelines and Lists. Every call that does I/O takes a context first and
// returns the result, a [*Response] and an error.
//
// # API versions
//
// Paths are built for the date-based version [Version202609] by default
// (/crm/objects/2026-09/contacts); [WithAPIVersion] selects [Version202603] or
// [VersionLegacy] (/crm/v3/…, /crm/v4/… for associations). HubSpot ends support for
// v4 paths on 2027-03-30 and for v1–v3 in September 2027.
//
// # Authentication
//
// [WithAccessToken] takes a static token: a legacy private app token or a service key.
// [WithOAuth] takes an OAuth app's client id and secret and an account's refresh
// token; access tokens (30 minutes) are refreshed ahead of their expiry, one refresh
// at a time for all goroutines, and [OAuthConfig].OnRefresh lets the host persist a
// rotated refresh token. To connect an account, send the user to
// [OAuthApp.AuthorizeURL] with a state from a [StateSigner], verify the state on the
// redirect, and trade the code with [Client.ExchangeCode]: the [Token] names the hub
// id to store the refresh token under.
//
// Secrets (tokens, client secret, refresh token, authorization code) are redacted
// from every log record and error text.
//
// # Rate limits
//
// Limits are a budget, not an error. Every attempt, retries included, takes a token
// from a client-side bucket: [WithRateLimit] with [TierFreeStarter] (default, 100
// per 10 s), [TierProfessionalEnterprise] (190), [TierAPILimitIncrease] (250) or
// [TierMarketplaceApp] (110 per account); search has its own bucket of
// [SearchRequestsPerSecond] and association batch calls another. Buckets are sized
// so that no rolling window ever sees more than the budget (a burst of a tenth of
// it, then an even refill). A 429 is retried
// after HubSpot's window: Retry-After when present, else the
// X-HubSpot-RateLimit-Interval-Milliseconds header or 10 s for TEN_SECONDLY_ROLLING,
// and about 1 s for the search per-second limit. A DAILY 429 is never retried: it
// returns a [*RateLimitError] whose ResetAt is the next midnight in the zone set by
// [WithDailyResetZone] (HubSpot resets at midnight in the account's time zone, which
// the API does not report; UTC by default). 5xx and transport errors are retried only
// for requests that cannot duplicate a write (reads, search, batch read, update,
// upsert, archive), never for creates or merges. [Response].RateLimit carries the
// rate-limit headers of each answer.
//
// # Pagination
//
// List calls return one page and the next cursor in [Response].NextAfter;
// ListIter, [ObjectsService.SearchIter], [OwnersService.ListIter],
// [AssociationsService.ListIter] (one record's associations) and
// [ListsService.MembershipsIter] return lazy iter.Seq2 iterators that fetch pages as
// they are consumed and stop on break. SearchIter orders by hs_object_id and, when
// paging would pass HubSpot's 10,000-result cap, re-queries with hs_object_id greater
// than the last id seen instead of paging into a 400.
//
// Batch methods (records, associations, property definitions) take any number of
// inputs and send them 100 per request (association reads 1,000 per request). A
// list asked for with PropertiesWithHistory may come back in smaller pages than
// the limit asked for: follow NextAfter rather than counting.
//
// # Errors
//
// Every non-2xx answer becomes a typed error through [Client.CheckResponse]:
// [*APIError] (status, category, subCategory, message, correlation id, context,
// details) or [*RateLimitError]. Batch calls return a [*BatchError] listing each
// failed input by its index in the caller's slice (HubSpot's 207 errors are mapped
// back through the objectWriteTraceId the client sends with every write input, or
// through the ids they name), while the other inputs succeed; inputs that cannot be
// valid (empty or repeated ids) are rejected before sending with an [*InputError].
// All of them unwrap to sentinels for errors.Is: [ErrNotFound], [ErrConflict],
// [ErrUnauthorized], [ErrForbidden], [ErrRateLimited], [ErrValidation]. A conflict
// exposes the colliding record's id with [APIError.ExistingID].
//
// # Webhooks
//
// [WebhookVerifier] checks v3 signatures (HMAC-SHA256 over method, full URI, raw body
// and timestamp, within five minutes, compared in constant time) and, when allowed,
// v1/v2 signatures. [NewWebhookHandler] verifies, decodes [Event] values, drops
// redeliveries by event id in bounded memory and hands the rest to a callback;
// [SignV3] signs deliveries for tests and fakes.
//
// # Values
//
// HubSpot stores every property value as a string. [FormatDate] and [ParseDate]
// (midnight UTC; epoch ms or YYYY-MM-DD), [FormatDateTime] and [ParseDateTime]
// (epoch ms or ISO 8601), [FormatNumber], [ParseNumber], [FormatBool], [ParseBool],
// [FormatMultiSelect] and [ParseMultiSelect] convert them.
package hubspot

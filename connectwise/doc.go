// Package connectwise is a typed client for the ConnectWise PSA (Manage) REST API
// 3.0, built for syncing companies, contacts, opportunities, tickets and products
// with other systems. It follows the API as real tenants serve it, quirks included;
// the facts and their sources are collected in the project's connectwise-api.md.
//
// # Connecting
//
// [NewClient] takes the required [Credentials] and options. The site is what users
// type; [NormalizeSite] turns it into the API host (scheme, "www.", trailing slash
// stripped, cloud UI hosts such as na.myconnectwise.net mapped to their api- hosts,
// anything else refused with a *[SiteError]). Every call carries Basic auth
// "companyId+publicKey:privateKey", the clientId header and an Accept header pinning
// the API version ([DefaultAPIVersion], [WithAPIVersion]).
//
//	cw, err := connectwise.NewClient(connectwise.Credentials{
//		CompanyID:  "acme",
//		Site:       "na.myconnectwise.net",
//		PublicKey:  pub,
//		PrivateKey: priv,
//		ClientID:   clientID,
//	})
//
// The codebase (the "v2025_1" in https://host/v2025_1/apis/3.0/...) is discovered on
// the first call through the unauthenticated login/companyinfo endpoint, or pinned
// with [WithCodebase]; when the host has no usable companyinfo the client falls back
// to [DefaultCodebase]. An unknown company and the plain-text "Cannot route" answer are
// errors ([ErrCompanyNotFound], [ErrCannotRoute]). [Client.Verify] checks a
// connection end to end and says, in words a user can act on, what is wrong: not a
// ConnectWise host, unknown company, wrong keys, refused clientId, or the security
// role permissions the sync lacks.
//
// # Rate limits and retries
//
// Requests go through hubwise's shared transport: a request budget ([WithRateLimit],
// default [DefaultRateLimit]; ConnectWise publishes no number) waited on by every
// attempt, retries up to [WithRetry], and this policy:
//
//   - 429 is always retried, after the Retry-After seconds the API promises (or
//     the client's own backoff when the header is missing); the body is not read
//     (at the Cloudflare edge it is an HTML page);
//   - 502, 503, 504 and transport errors (timeouts, resets) are retried only for
//     requests that cannot duplicate a write: GET, PUT, DELETE, and PATCH requests
//     made only of replace operations (a replace sets a field to an absolute value,
//     so applying it twice equals applying it once). POST is never retried on
//     these: the record may exist although the answer was lost;
//   - a 500 whose body mentions a timeout is retried for the same requests
//     (ConnectWise reports database timeouts that way); other 500s are final.
//
// A Retry-After longer than [WithMaxRetryWait] is not waited out: the call returns a
// *[RateLimitError].
//
// # Conditions
//
// Filters are built with [Eq], [Ne], [Lt], [Le], [Gt], [Ge], [Like], [Contains],
// [In], [And], [Or] and [Not], and go into [ListOptions] as conditions,
// childConditions or customFieldConditions. Strings are quoted with the quote kind
// they do not contain (ConnectWise documents no escape rule, so values with both
// kinds, or a backslash, are refused with a *[ConditionError] rather than sent with
// an unknown meaning); date-times become bracketed UTC; numbers, booleans and null
// follow the server's literal rules. [Raw] passes an expert's string through.
// [EmailCondition] finds contacts by email through communicationItems.
//
//	opts := &connectwise.ListOptions{Conditions: connectwise.And(
//		connectwise.Ge("lastUpdated", since),
//		connectwise.In("status/name", "Active", "Prospect"),
//	)}
//
// # Paging
//
// Every collection has List (one page) and ListIter (all pages, lazily, as an
// iter.Seq2). ListIter asks for 1000 records a page ([MaxPageSize]), re-sends the
// full query on every page and takes only the page number from the Link header, so
// conditions are never lost. [ListOptions.ForwardOnly] switches to forward-only
// paging by pageId, which is stable under inserts, where the endpoint supports it.
// Count returns the number of matching records.
//
// # Writes
//
// Create (POST), Update (PUT), Patch (JSON Patch: [Replace], [Add], [Remove]) and
// Delete. Prefer Patch: a PUT of a partly read record clears what it omits, and a
// contact PUT leaves custom fields untouched. Patches made only of replace operations
// are retried like GETs; creates never are. Observed write quirks the client
// handles or reports (connectwise-api.md §5):
//
//   - on records with custom fields the API may answer 400 unless the patch carries
//     a /customFields replace, so [Resource.Patch] appends an empty one when the
//     operations have none ([SetCustomFields] writes values);
//   - a company PATCH re-validates the whole stored record, so untouched legacy
//     fields can fail it (an *[APIError] naming the field);
//   - company types and contact typeIds can be sent on create only; afterwards
//     [CompaniesService.SetTypes] and [ContactsService.SetTypes] (or AddType /
//     RemoveTypeAssociation) change them through typeAssociations;
//   - the 201 answer of a contact create leaves communicationItems out, so Create
//     reads the contact back when it sent some.
//
// [LookupService.GetMany] fetches records by id in batches of "id in (...)"
// conditions. [NewResource] serves any other collection, typed or as [RawRecord].
//
// # Custom fields
//
// Records carry every custom field of their screen in CustomFields ([CustomField]:
// id, caption, type and a value of any JSON type, nil when unset). Write them with
// [SetCustomFields], the /customFields replace operation the API accepts;
// [CustomFields.Values] resolves captions to ids. Definitions are listed through
// [Client.UserDefinedFields] ([UserDefinedField], whose keys differ from the
// record's).
//
// # Contacts' communication items
//
// Emails, phones and faxes live in [Contact.CommunicationItems], one default per kind.
// [Contact.DefaultEmail] and [Contact.DefaultItem] read the defaults;
// [ContactsService.SetDefaultEmail] and [ContactsService.SetDefaultCommunication] set
// one, resolving the tenant's own communication type ids
// ([Client.DefaultCommunicationType]), and check that the server applied it.
// [ContactsService.FindByEmail] finds contacts by any of their email addresses.
//
// # Callbacks
//
// [CallbacksService] registers, lists and deletes callbacks ([CallbacksService.Ensure]
// avoids the duplicate-registration error). [ParseCallback] decodes deliveries
// (the Entity JSON string included). A [CallbackVerifier] checks the key URL
// before fetching anything (https, the tenant's own host or an allow-list, the
// callback key path, the tenant's company), then the x-content-signature HMAC;
// [NewCallbackHandler] (or [Client.CallbackHandler]) wraps verification, decoding
// and MessageId dedupe in an http.Handler.
//
// # Errors
//
// Every non-2xx answer is an *[APIError] (a *[RateLimitError] for 429) decoded from
// {code, message, errors[]} or summarised from a text or HTML body; Error() is one
// line with method, redacted URL, status and message. They unwrap to sentinels:
// [ErrNotFound], [ErrUnknownEndpoint], [ErrConflict] (also for errors[].code
// ObjectExists), [ErrUnauthorized], [ErrForbidden], [ErrRateLimited], [ErrValidation],
// [ErrServer], [ErrCannotRoute], [ErrNotConnectWise]. Keys and the Authorization
// value never appear in errors or logs.
package connectwise

// Package connectwisetest is a stateful in-process fake of the ConnectWise PSA
// (Manage) REST API 3.0, for testing code that uses package connectwise (or
// any other ConnectWise client) without a live tenant.
//
// The fake is held to the real API: paths, JSON shapes, limits, error bodies
// and quirks follow the project reference (connectwise-api.md) and the
// recorded payloads; where the reference is unsure, a comment says so and,
// where it matters, an [Options] field makes the behaviour configurable.
//
//	s := connectwisetest.NewServer(t, connectwisetest.Options{})
//	cw := s.Client()         // a ready *connectwise.Client
//	creds := s.Credentials() // or: company ID, site, keys, clientId for any client
//
// [New] and [Listen] (a fixed address, for examples/fakeserver) start fakes
// outside tests; [Server.Handler] mounts one anywhere.
//
// # Connecting
//
// GET /login/companyinfo/{companyId} answers without authentication with
// CompanyName, Codebase (with its trailing slash, "v2025_1/"), VersionCode,
// VersionNumber, CompanyID, IsCloud and SiteUrl; an unknown company gets the
// body null ("Company not found"). The API is served under
// /{codebase}/apis/3.0/ for the tenant codebase and for v4_6_release; repeated
// slashes ("v2025_1//apis", as record hrefs have them) are accepted.
//
// # Authentication
//
// Every API call needs "Authorization: Basic base64(companyId+publicKey:privateKey)"
// and a clientId header (any spelling of its name). Wrong keys get 401
// Unauthorized "Incorrect public/private key"; a missing or unregistered
// clientId gets 400 naming clientId; a company other than the tenant's gets the
// plain-text answer "Cannot route. Codebase/company is invalid". An Accept
// header "application/vnd.connectwise.com+json; version=X" is honoured: a
// version that is not YEAR.RELEASE (such as 3.0.0) gets the real "does not
// support the API version '0.0'" error. Responses carry api-current-version.
// [Server.Deny] takes a permission away from the API member's security role:
// calls to that resource get 403 Security "You do not have security permission
// to perform this action." (for system/info: ConnectWiseApi UserNotAuthenticated).
//
// # Resources
//
// Companies (with statuses, types and /{id}/typeAssociations), contacts (with
// communicationItems, /{id}/communications, /{id}/typeAssociations and
// customFields), communication types, contact types,
// opportunities (with forecast items under /{id}/forecast, where the money of
// an opportunity lives), sales stages, opportunity statuses, members, system
// info, user-defined fields, callbacks, service tickets (with boards, their
// statuses and priorities) and catalog items. Lists are bare JSON arrays;
// GET by id, /count ({"count": N}), POST (201), PUT, PATCH and DELETE (204)
// behave as documented in connectwise-api.md §5. Every write maintains id,
// _info.lastUpdated (second precision, "Z"), _info.updatedBy (the API member
// identifier), _info.dateEntered and _info.enteredBy. Companies are
// soft-deleted as in ConnectWise: still returned by id and in lists with
// deletedFlag, dateDeleted and deletedBy ([Options].HardDeleteCompanies and
// [Options].HideDeletedCompanies change this). A contact create answers 201
// without the communicationItems it stored, as the recorded answer does
// ([Options].EchoContactCommunicationItems echoes them). Members are also
// found by identifier (/system/members/jsmith).
//
// # Pagination
//
// page and pageSize (default 25, maximum 1000; more is refused with 400) with
// a Link header carrying rel="first", "prev", "next" and "last" URLs that keep
// every other parameter. With the request header "pagination-type:
// forward-only", companies, contacts, opportunities, tickets and catalog items
// page by id: the rel="next" URL carries pageId (the last id of the page),
// which acts as an extra "id > pageId" condition. A full page always links
// on, so the last page may be empty; endpoints without forward-only support
// answer such a request without any Link header. A page past the last is an
// empty array; page or pageSize 0 means the default, a negative or
// non-numeric one is refused with 400 (the real texts of these refusals are
// not recorded). orderBy ("name asc, id desc"; an unknown field is 400
// ApiFindCondition) and fields ("id,name,status/id", on lists and on GET by
// id; unknown names are left out) are honoured.
//
// # Conditions
//
// conditions, childConditions and customFieldConditions are parsed by
// [ParseConditions] and evaluated by [Eval], [EvalChild] and
// [EvalCustomFields]; clients can fuzz their condition builders against them.
// A childConditions expression matches when one element of the array
// satisfies all of it ([Options].ChildConditionsAnyElement lets each
// comparison use a different element).
// The language: comparisons = != < <= > >=, like (wildcards % and *),
// contains, in (...), "not like", "not contains", "not in", a leading not,
// and/or in any case with and binding tighter, parentheses, nested paths with
// "/" (company/id, status/name), and literals: strings in single or double
// quotes, datetimes in brackets ([2026-01-02T03:04:05Z]), numbers (digits, an
// optional decimal point and minus sign), true, false and null.
//
// Escaping rule (no authoritative rule exists, connectwise-api.md §11b): inside
// a quoted string a backslash escapes the next character, so a quote is
// written \" (or \' in single quotes) and a backslash \\. [Quote] produces
// this form. The SQL form of a doubled quote inside the string ('O”Brien') is
// accepted too. Brackets, parentheses, commas and keywords inside a quoted
// string are plain text.
//
// Field names are matched case-insensitively against the resource's fields
// (an unknown name is 400 ApiFindCondition "x is not a recognized name.");
// array fields (communicationItems, types, customFields) are searched through
// childConditions and customFieldConditions only, and named in conditions get
// the same 400 unless [Options].AllowArrayConditions is set;
// lastUpdated falls back to _info. Malformed literals get the server's
// literal-rules text ([LiteralRules]); a boolean field compared with a number
// gets "Expected a boolean value, not a numeric. ..." as the real API sends it.
// String comparisons ignore case; a null field matches only "= null".
//
// # Custom fields
//
// Records of companies, contacts, opportunities, tickets and catalog items
// carry every user-defined field of their screen in customFields, unset ones
// with "value": null (List fields with their default option). PATCH with
// {"op":"replace","path":"/customFields","value":[{"id":15,"value":...}]} and
// PUT merge by id: entries not sent keep their values, and an empty array
// clears nothing. Values are coerced to the field type.
// A PATCH of such a record without a /customFields replace operation is
// refused with 400 InvalidObject, as amp-labs found the API may do (send
// "value": [] when no custom field changes; package connectwise does);
// [Options].AllowPatchWithoutCustomFields accepts it. Per-item communication
// endpoints and [Server.Update] are not PATCH calls and need no such operation.
//
// # Validation
//
// Creates and updates are validated like the real API and refused with 400
// InvalidObject and one errors[] entry per problem: MissingRequiredField
// (company identifier, name and one address field; contact firstName;
// opportunity name, company, contact, primarySalesRep; ticket summary and
// company), MaxLengthField, OutOfRange (company yearEstablished/revenueYear,
// re-checked on every PATCH of the whole record), ObjectExists (a duplicate
// company identifier), types only on create ([Options].IgnoreTypesOnUpdate
// keeps them silently instead), *Flag fields that are not
// booleans ("true"/"false" strings and numbers are read as booleans, as
// Json.NET does), date-times that are not
// ISO 8601 (stored values come back as "yyyy-MM-ddTHH:mm:ssZ", a bare date
// as midnight UTC), and references to unknown
// records as a nested NotFound with a slash path ("company/id"); opportunity
// updates need expectedCloseDate, locationId and businessUnitId (set on
// create). [Options].ContactDuplicateCheck adds an ObjectExists check on
// contact names unless ignoreDuplicates is set. Records that the API would
// refuse today can be stored with [Server.Seed].
//
// # Callbacks
//
// Callbacks registered through POST /system/callbacks are delivered for
// writes to companies, contacts, opportunities and tickets: a POST to the
// registered url with the record id appended, the PascalCase envelope
// (Action, Type, ID, Entity as an escaped JSON string holding a summary of
// the record without its arrays, or null on delete,
// MemberId, MessageId, FromUrl, CompanyId, Metadata.key_url) and
// x-content-signature = base64(HMAC-SHA256(key = SHA256(signing_key), body)).
// The key URL is served by the fake, without authentication, as
// {"signing_key": "..."}. Writes through the API skip callbacks registered
// with isSelfSuppressedFlag; [Server.Create], [Server.Update] and
// [Server.Delete] act as a UI user and always notify. [Server.WaitCallbacks]
// and [Server.Deliveries] let tests observe the deliveries.
//
// # Faults and rate limits
//
// [Server.Inject] arms a [Fault] (status, body, latency, dropped connection,
// truncated or malformed body) for the calls of one [Route];
// [Server.FailHTML] answers with a Cloudflare-style HTML page;
// [Server.ThrottleNext] answers 429 with Retry-After seconds (or, given a
// negative number, without the header, which the edge may omit).
// [Options].RateLimit throttles every call past a sliding window, and
// [Options].MaxURLLength refuses over-long URLs (batched "id in (...)").
// [Server.Calls] and [Server.Count] read the call log.
//
// # Errors
//
// Error bodies are {"code","message","errors":[{"code","message","resource","field"}]}
// ([APIError]): 404 NotFound "Contact 57919 not found" for a missing record,
// 404 ConnectWiseApi "The endpoint does not exist." for an unknown path.
package connectwisetest

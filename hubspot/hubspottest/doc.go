// Package hubspottest is a stateful, in-process fake of the HubSpot CRM API,
// exact enough that tests against it mean something: same paths, JSON shapes,
// status codes, error bodies and limits as the real API (as recorded in
// hubwise's reference payloads), plus fault hooks and call counters.
//
// In tests:
//
//	s := hubspottest.NewServer(t, hubspottest.Options{})
//	id, _ := s.CreateRecord("contacts", map[string]string{"email": "a@example.com"})
//	client := s.Client()            // a ready *hubspot.Client
//	...
//	n := s.CountOp(hubspottest.OpBatchUpsert)
//
// Outside tests, [New] (or [Start] with [Options.Addr]) runs it as a server;
// examples/fakeserver serves it on a port for tools in other languages. Seed
// helpers ([Server.CreateRecord], [Server.CreateProperty], [Server.AddOwner],
// [Server.AddPipeline], [Server.CreateList], [Server.Associate]) and inspection
// helpers ([Server.Record], [Server.FindRecords], [Server.RecordCount],
// [Server.AssociatedIDs], [Server.ListMembers]) work on the state directly.
//
// # Paths
//
// Every endpoint is served on the date-based paths (/crm/objects/{version}/…,
// versions 2026-03 and 2026-09) and on the legacy ones (/crm/v3/objects/…,
// /crm/v4/associations/…): objects (contacts, companies, deals, tickets, products,
// line_items and custom types such as 2-12345, by name or by 0-1-style id), batch
// read/create/update/upsert/archive, search, merge, gdpr-delete, properties and
// groups, associations (batch create, default, read, archive, labels; record-level
// list, default and labelled PUT, DELETE), owners,
// pipelines, lists and memberships, and the OAuth token endpoints. Reads honour
// properties (requested-but-empty values come back null), propertiesWithHistory
// and associations; archived=true (a query parameter, batch read included) returns
// only archived records. Writes maintain hs_object_id, the create and
// last-modified properties and createdAt/updatedAt, and enforce read-only
// properties, unique values and, on 2026-09 paths, [Options.RequiredProperties].
// Writes keyed on idProperty hs_object_id get the non-unique 400.
//
// # Rules the sources leave open
//
// Where HubSpot's behaviour is documented only loosely, the fake takes the likely
// reading and an option changes it: [Options.LifecycleBackward] (lifecyclestage
// only moves forward unless cleared: a backward write is dropped by default, or
// refused), [Options.RequireContactIdentity] (a contact create without email,
// firstname or lastname; accepted by default), [Options.PropertyNames] (the
// pattern new property names must match), [Options.HistoryPageLimit] (the smaller
// list page when propertiesWithHistory is asked for; 50), [Options.ClampListLimit]
// (a list limit above 100: refused by default), [Options.ArchivedAssociationsVisible]
// (associations to archived records: hidden by default) and [Options.MaxURLLength]
// (414 for over-long URLs; off by default).
//
// # Authentication
//
// Requests need "Authorization: Bearer " + [Server.Token], or an access token
// issued by the OAuth endpoints (/oauth/v1/token, /oauth/v3/token,
// /oauth/2026-03/token) for [Server.ClientID] and [Server.ClientSecret]; codes come
// from [Server.IssueAuthCode]. A missing or wrong token gets HubSpot's 401 body;
// an expired OAuth token gets EXPIRED_AUTHENTICATION. With [Options.Scopes] (or
// [OAuthOptions.Scopes]) a call whose scopes the token lacks gets 403
// MISSING_SCOPES with requiredGranularScopes. Tokens never appear in responses or
// errors. Every response carries an X-HubSpot-Correlation-Id header, which error
// bodies echo as correlationId.
//
// # Rate limits
//
// Every non-search response carries the X-HubSpot-RateLimit-* headers. With
// [RateLimits.Enforce] the fake answers 429 with HubSpot's body and policyName
// TEN_SECONDLY_ROLLING (rolling window per app), DAILY (fixed window) or, on search,
// SECONDLY (5 per second; search responses carry no rate-limit headers). The
// associations API has its own budget ([RateLimits].AssociationsMax, 100 per 10 s)
// for its batch and record-level calls.
// Windows are configurable so tests stay fast; [Options.Now] injects a clock.
//
// # Pagination
//
// Lists page with limit (≤100) and an opaque after cursor (paging.next.after and
// a full link); search pages with an offset cursor without link, up to 200 per page
// and 10,000 results (a 400 beyond), configurable with [SearchLimits].
//
// # Errors
//
// Error bodies follow the recorded ones: {status, message, correlationId,
// category, subCategory, context, errors[]}. Batches answer 207 with per-input
// errors when every input carries an objectWriteTraceId, and fail as a whole
// otherwise; unique values (contact email, hasUniqueValue properties) give 409
// CONFLICT "… Existing ID: N"; invalid property values give 400 VALIDATION_ERROR
// with PROPERTY_DOESNT_EXIST, INVALID_OPTION, INVALID_DECIMAL, INVALID_DATE
// ("not midnight!") and READ_ONLY_VALUE details. Where HubSpot's exact text was
// not recorded, the comments say so.
//
// # Faults and call counts
//
// [Server.Inject] and [Server.InjectOp] arm a [Fault] for the next N matching
// calls (status with body and headers, latency, dropped connection, truncated or
// malformed body, optionally after the handler applied the write).
// [Server.FailInputs] fails chosen inputs of batch create, update, upsert,
// read and archive calls: the call answers 207 with those inputs in errors[]
// (their objectWriteTraceId in context) and applies the others, a partial
// batch failure. [Server.Calls], [Server.Count] and [Server.CountOp] report
// what a job did.
//
// # Webhooks
//
// Writes are journaled as webhook events ([Server.Events]); [Server.Deliver]
// POSTs events to a URL in batches of 100 with valid v3
// (X-HubSpot-Signature-v3 + X-HubSpot-Request-Timestamp) and v1 signatures,
// computed by [SignatureV3] and [SignatureV1] from the documented algorithm,
// independently of the client's verifier. Merges produce merge and deletion events
// and hs_merged_object_ids on the survivor.
package hubspottest

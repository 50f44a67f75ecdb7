// Package mapping declares how ConnectWise PSA records and HubSpot CRM
// records correspond: which ConnectWise field becomes which HubSpot property,
// in which direction, through which transform, for which records, and which
// HubSpot properties must exist. It is pure: no I/O, no context, no global
// state; it imports neither the API clients nor the sync engine.
//
// # The spec
//
// A [Spec] is plain data, built in Go or loaded from YAML or JSON with
// [Load]. It holds one [ObjectMapping] per object pair (companies to
// companies, contacts to contacts, opportunities to deals, or any pair you
// declare) and the HubSpot property groups to ensure:
//
//	objects:
//	  - name: contacts
//	    hubspot: contacts              # HubSpot object type
//	    connectwise: company/contacts  # ConnectWise resource
//	    direction: both                # both | toHubSpot | toConnectWise | off
//	    conflict: preferConnectWise    # default for the fields
//	    match: [{hubspot: email}]      # keys to find an existing partner
//	    filters:
//	      toHubSpot: {path: inactiveFlag, op: ne, value: true}
//	      toConnectWise: {inList: "42"}
//	    fields:
//	      - hubspot: email
//	        connectwise: communicationItems[communicationType=Email,defaultFlag=true]/value
//	        transform: [email]
//	      - hubspot: cw_tier
//	        connectwise: customFields[caption=Tier]/value
//	        direction: toHubSpot
//	        property: {label: Tier, type: string, fieldType: text}
//
// The object direction overrides field directions: a field flows a way only
// when both its own direction and its object's allow it (as in the
// commercial integration, where direction is chosen per object). Conflict
// preferences (preferHubSpot, preferConnectWise, mostRecent, review) are only
// stored here; the engine applies them.
//
// # Paths
//
// ConnectWise fields are addressed by [Path]s, compiled once: "name",
// "status/name", "company/id", "types[0]/name",
// "communicationItems[communicationType=Email,defaultFlag=true]/value",
// "customFields[caption=Industry]/value" or "customFields[id=15]/value".
// Reading never panics; missing data and nulls read as "no value". Writing
// creates nested objects and appends array elements a selector describes.
//
// # Canonical values
//
// The engine compares values in one space: the HubSpot string form of each
// field ([Values]). [Object.FromConnectWise] projects a ConnectWise record
// into it through the forward transforms; [Object.FromHubSpot] normalises
// HubSpot properties into the same form (dates as midnight-UTC epoch ms,
// datetimes as epoch ms, numbers without trailing zeros, emails lower-case,
// phones as digits). Empty strings are folded into "no value". A value the
// engine wrote therefore comes back equal, and neither [Object.Patch] nor
// [Object.HubSpotChanges] emits anything for it.
//
// # Writing to ConnectWise
//
// [Object.CreateBody] turns HubSpot-form values into a nested POST body;
// [Object.Patch] turns them into JSON Patch operations ([PatchOp]) for only
// the fields that differ from the current record: references are replaced
// whole ({"id": 5}), array elements are replaced, appended or removed, and
// custom fields go through one "/customFields" replace operation of
// {id, value} entries, the form ConnectWise accepts. Fields marked Required
// fail CreateBody by name when empty; the maxlen transform enforces
// ConnectWise field lengths. References the mapping cannot know (an
// opportunity's company and contact, a contact's company) are added by the
// engine from its links. Toward HubSpot, [Object.HubSpotChanges] gives the
// properties to write.
//
// # Creating HubSpot records in ConnectWise
//
// ConnectWise has no upsert, so the engine records an intent before each
// create toward ConnectWise and, after a crash, looks the record up before
// creating it again. The lookup needs a key ConnectWise can search: the
// HubSpot record ID stored in a custom field, else a match key with a path
// (identifier, email). Opportunities have neither identifier nor email, so
// HubSpot-born deals need the custom field: [Spec.StoreHubSpotID] adds it
// ([HubSpotIDField] builds the field mapping), toward ConnectWise only:
//
//	spec := mapping.Default()
//	err := spec.StoreHubSpotID(mapping.ObjectDeals, "HubSpot Deal ID")
//
// or in YAML:
//
//	fields:
//	  - hubspot: hs_object_id
//	    connectwise: customFields[caption=HubSpot Deal ID]/value
//	    direction: toConnectWise
//	    transform: [{name: number, args: {cw: string}}]
//
// Custom fields are per tenant and must exist before use (a Text field on
// the Opportunity screen), so [Default] leaves this out; [Check] with a live
// [Schema] reports a missing one. Addressing by caption is required: the
// engine searches customFieldConditions by caption (connectwise-api.md §4).
//
// # Associations
//
// An object mapping may declare [Association]s: the path of the other
// record's ConnectWise id ("company/id") and the HubSpot association type
// (contact to company 279, deal to company 341, deal to contact 3). The
// engine reads them with [Object.AssociatedIDs] and writes them toward
// ConnectWise with [Object.SetAssociated] and [Object.AssociationPatch].
//
// # Transforms
//
// A field's Transform is a chain of [Step]s run toward HubSpot; toward
// ConnectWise the steps' reverses run backwards, or an explicit Reverse
// chain runs instead. Built-ins: trim, lower, upper, text, email, phone,
// number, bool, not, date, datetime (ConnectWise instants to HubSpot dates
// in a chosen zone, across DST), map (picklists; an unmapped value is an
// error unless a default is given), lookup (run-time tables such as
// ConnectWise member to HubSpot owner), split, concat, join, const, default
// domain, list (arrays to HubSpot multi-select "a;b") and maxlen
// (ConnectWise field lengths). Register your own with [Registry.Register]. Every transform
// declares whether it is reversible; a bidirectional field needs reversible
// steps or an explicit reverse.
//
// # Run-time data
//
// [Lookups] carries what the engine knows only at run time: reference
// tables, custom-field ids by caption and HubSpot list membership. Pass it
// to every projection; nil is allowed.
//
// # Filters
//
// A [Filter] is a predicate over the source record: comparisons (eq, ne, in,
// notIn, contains, exists, notExists, lt, lte, gt, gte), and/or/not,
// HubSpot list membership (inList) and Go predicates (Func by name, Match in
// Go). Use [Object.SelectConnectWise] and [Object.SelectHubSpot].
//
// # Validation
//
// [Validate] and [Compile] report every problem at once as a
// [ValidationError] of [Issue]s with their location (and file and line for
// loaded specs): unknown transforms, lossy transforms on bidirectional
// fields, two fields writing one target, unmapped match keys, property
// definitions HubSpot would refuse (name rule, type/fieldType pair,
// enumeration options, unique limit), and type mismatches. Given a live
// [Schema], [Check] also reports missing properties and custom fields and,
// as information, the properties that will be created; [PlanProperties]
// lists the groups and properties to ensure.
//
// # Errors
//
// Projection never stops at the first bad field: it returns the values that
// mapped plus [RecordErrors], a list of [*FieldError] naming the object,
// record id, property, path and (shortened) value. Errors unwrap to
// sentinels such as [ErrUnmapped] and [ErrInvalidValue].
//
// # Defaults
//
// [Default] returns ready mappings for companies, contacts and deals with the
// identity properties ([PropCWCompanyID], [PropCWCompanyIdentifier],
// [PropCWContactID], [PropCWOpportunityID]) that make HubSpot writes
// idempotent upserts and let existing records be matched. The file
// testdata/golden/default.yaml shows it in YAML. Test your own mappings with
// package mappingtest.
package mapping

package syncer

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
	"github.com/hubwise/hubwise/mapping"
)

// hubSpotTypeAliases lists, per standard HubSpot object type, the names a
// webhook may call it by: the singular prefix of its subscription types
// ("contact.propertyChange", hubspot-api.md §10, spec: webhooks_v3 enum) and
// its object type id ("0-1", used by association events and generic object.*
// events; hubspot-api.md §4).
var hubSpotTypeAliases = map[string][]string{
	"contacts":   {"contact", "0-1"},
	"companies":  {"company", "0-2"},
	"deals":      {"deal", "0-3"},
	"tickets":    {"ticket", "0-5"},
	"products":   {"product", "0-7"},
	"line_items": {"line_item", "0-8"},
}

// routes turns webhook and callback type names into object mapping names.
type routes struct {
	hubspot     map[string][]string // lower-case type name or id -> objects
	connectwise map[string][]string // lower-case callback type -> objects
}

func addRoute(m map[string][]string, key, object string) {
	key = strings.ToLower(strings.TrimSpace(key))
	if key == "" || slices.Contains(m[key], object) {
		return
	}
	m[key] = append(m[key], object)
}

// newRoutes derives the routes of objects from the mapping: the HubSpot object
// type of each object with its aliases, and the ConnectWise callback type of
// its resource ("company/companies" -> "company").
func newRoutes(m *mapping.Mapping, objects []string, hsExtra, cwExtra map[string]string) routes {
	r := routes{hubspot: map[string][]string{}, connectwise: map[string][]string{}}
	for _, name := range objects {
		o := m.Object(name)
		if o == nil {
			continue
		}
		hs := strings.ToLower(o.HubSpotObject())
		addRoute(r.hubspot, hs, name)
		for canon, aliases := range hubSpotTypeAliases {
			if hs == canon || slices.Contains(aliases, hs) {
				addRoute(r.hubspot, canon, name)
				for _, a := range aliases {
					addRoute(r.hubspot, a, name)
				}
			}
		}
		addRoute(r.connectwise, callbackType(o.ConnectWiseObject()), name)
	}
	for k, name := range hsExtra {
		addRoute(r.hubspot, k, name)
	}
	for k, name := range cwExtra {
		addRoute(r.connectwise, k, name)
	}
	return r
}

// callbackType is the callback type of a ConnectWise resource: the last path
// segment in the singular ("company/companies" -> "company",
// "sales/opportunities" -> "opportunity", "service/tickets" -> "ticket";
// callback types are lower-case record names, connectwise-api.md §9).
func callbackType(resource string) string {
	seg := strings.ToLower(resource[strings.LastIndex(resource, "/")+1:])
	switch {
	case strings.HasSuffix(seg, "ies"):
		return strings.TrimSuffix(seg, "ies") + "y"
	case strings.HasSuffix(seg, "s"):
		return strings.TrimSuffix(seg, "s")
	}
	return seg
}

// hubSpotKeys returns the records an event names: the record itself, the
// survivor and the merged records of a merge, both ends of an association
// change. A deletion (deletion, privacyDeletion) names its record as deleted.
// merged lists the records a merge took away (marked deleted: their deletion
// events are dropped, see [DispatcherOptions].DeleteDelay).
func (r routes) hubSpotKeys(ev *hubspot.Event) (keys, merged []hintKey, routed bool) {
	add := func(typ string, id int64, deleted bool) {
		if id <= 0 {
			return
		}
		for _, obj := range r.hubspot[strings.ToLower(typ)] {
			routed = true
			keys = append(keys, hintKey{object: obj, side: SideHubSpot, hs: strconv.FormatInt(id, 10), deleted: deleted})
		}
	}
	typ := ev.ObjectType()
	if strings.EqualFold(typ, "object") && ev.ObjectTypeID != "" {
		typ = ev.ObjectTypeID // generic object.* events (custom objects)
	}
	kind := ev.Kind()
	add(typ, ev.ObjectID, kind == hubspot.EventDeletion || kind == hubspot.EventPrivacyDeletion)
	switch kind {
	case hubspot.EventMerge:
		add(typ, ev.PrimaryObjectID, false)
		add(typ, ev.NewObjectID, false)
		for _, id := range ev.MergedObjectIDs {
			add(typ, id, false)
		}
		// The merged records, and the primary when the survivor got a new ID
		// (hubspot-api.md §9 Merges), are gone into the survivor.
		away := slices.Clone(ev.MergedObjectIDs)
		if ev.NewObjectID > 0 && ev.PrimaryObjectID > 0 && ev.NewObjectID != ev.PrimaryObjectID {
			away = append(away, ev.PrimaryObjectID)
		}
		for _, id := range away {
			for _, obj := range r.hubspot[strings.ToLower(typ)] {
				if id > 0 {
					merged = append(merged, hintKey{object: obj, side: SideHubSpot, hs: strconv.FormatInt(id, 10), deleted: true})
				}
			}
		}
	case hubspot.EventAssociationChange:
		from, to := ev.FromObjectTypeID, ev.ToObjectTypeID
		if from == "" {
			from = typ
		}
		add(from, ev.FromObjectID, false)
		if to != "" {
			add(to, ev.ToObjectID, false)
		}
	}
	return keys, merged, routed
}

// HubSpotEvents queues the records named by a delivery of HubSpot webhook
// events. Its signature is the handle function of [hubspot.NewWebhookHandler];
// [Dispatcher.HubSpotHandler] wires the two. Events caused by the engine's own
// writes (SourceID in [DispatcherOptions].HubSpotSourceIDs) and events of
// objects the engine does not sync are counted and dropped. It returns
// [ErrDispatcherStopped] once the dispatcher has stopped, so the handler
// answers 500 and HubSpot delivers again later (hubspot-api.md §10: retried
// up to 10 times over 24 h).
//
// Deletion events name their records as deleted ([ObjectHints]
// DeletedHubSpot); they wait DeleteDelay before their pass, and are dropped
// when a merge event names the record as merged away (HubSpot sends a
// deletion event for every record a merge absorbs, hubspot-api.md §9).
func (d *Dispatcher) HubSpotEvents(_ context.Context, events []hubspot.Event) error {
	var keys, merged []hintKey
	var echoes, unrouted int64
	for i := range events {
		ev := &events[i]
		k, m, ok := d.routes.hubSpotKeys(ev)
		// A merge's absorbed records are noted even when the merge is an
		// echo: their deletion events must not become deletions.
		merged = append(merged, m...)
		if ev.SourceID != "" && slices.Contains(d.opts.HubSpotSourceIDs, ev.SourceID) {
			echoes++
			continue
		}
		if !ok {
			unrouted++
			continue
		}
		keys = append(keys, k...)
	}
	d.noteMerged(merged)
	return d.enqueue(int64(len(events)), echoes, unrouted, keys)
}

// ConnectWiseCallback queues the record named by a ConnectWise callback
// delivery. Its signature is the handler function of
// [connectwise.Client.CallbackHandler]; [Dispatcher.ConnectWiseHandler] wires
// the two. Callbacks made by the engine's own API member (MemberID in
// [DispatcherOptions].ConnectWiseMemberIDs, compared without case) and
// callbacks of types the engine does not sync are counted and dropped. It
// returns [ErrDispatcherStopped] once the dispatcher has stopped, so the
// handler answers 500. A callback with Action "deleted" names its record as
// deleted ([ObjectHints] DeletedConnectWise).
func (d *Dispatcher) ConnectWiseCallback(_ context.Context, ev *connectwise.CallbackEvent) error {
	if ev == nil {
		return nil
	}
	for _, m := range d.opts.ConnectWiseMemberIDs {
		if ev.MemberID != "" && strings.EqualFold(ev.MemberID, m) {
			return d.enqueue(1, 1, 0, nil)
		}
	}
	objs := d.routes.connectwise[strings.ToLower(ev.Type)]
	if len(objs) == 0 || ev.ID <= 0 {
		return d.enqueue(1, 0, 1, nil)
	}
	keys := make([]hintKey, 0, len(objs))
	for _, obj := range objs {
		keys = append(keys, hintKey{object: obj, side: SideConnectWise, cw: int64(ev.ID), deleted: ev.Action == connectwise.ActionDeleted})
	}
	return d.enqueue(1, 0, 0, keys)
}

// HubSpotHandler returns the HTTP handler for HubSpot webhook deliveries:
// [hubspot.NewWebhookHandler] (signature verification with v, event-id dedupe)
// feeding [Dispatcher.HubSpotEvents]. It answers as soon as the events are
// queued, well within HubSpot's 5-second deadline (hubspot-api.md §10).
func (d *Dispatcher) HubSpotHandler(v *hubspot.WebhookVerifier, opts *hubspot.WebhookHandlerOptions) http.Handler {
	return hubspot.NewWebhookHandler(v, d.HubSpotEvents, opts)
}

// ConnectWiseHandler returns the HTTP handler for ConnectWise callback
// deliveries: [connectwise.Client.CallbackHandler] (key URL check against
// the client's tenant, x-content-signature, MessageId dedupe) feeding
// [Dispatcher.ConnectWiseCallback].
func (d *Dispatcher) ConnectWiseHandler(c *connectwise.Client, opts *connectwise.CallbackHandlerOptions) http.Handler {
	return c.CallbackHandler(d.ConnectWiseCallback, opts)
}

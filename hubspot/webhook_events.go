package hubspot

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// EventKind is the part of a subscription type after the dot.
type EventKind string

// Event kinds (hubspot-api.md §10, spec: webhooks_v3 subscription types).
const (
	EventCreation          EventKind = "creation"
	EventDeletion          EventKind = "deletion"
	EventPropertyChange    EventKind = "propertyChange"
	EventMerge             EventKind = "merge"
	EventRestore           EventKind = "restore"
	EventAssociationChange EventKind = "associationChange"
	EventPrivacyDeletion   EventKind = "privacyDeletion"
)

// Event is one webhook event. HubSpot delivers a JSON array of up to 100 of them,
// at least once and in no particular order (hubspot-api.md §10, doc†: webhooks guide),
// so dedupe on EventID. Fields beyond the common ones are set per kind:
// PropertyName/PropertyValue for property changes; PrimaryObjectID,
// MergedObjectIDs, NewObjectID for merges; the association fields for association
// changes. Use ChangeSource and SourceID to recognise echoes of your own writes.
type Event struct {
	EventID          int64  `json:"eventId"`
	SubscriptionID   int64  `json:"subscriptionId"`
	PortalID         int64  `json:"portalId"`
	AppID            int64  `json:"appId"`
	SubscriptionType string `json:"subscriptionType"`
	AttemptNumber    int    `json:"attemptNumber"`
	ObjectID         int64  `json:"objectId"`
	// ObjectTypeID is set on generic object.* events.
	ObjectTypeID string `json:"objectTypeId,omitempty"`
	// OccurredAt is when the change happened (epoch ms on the wire).
	OccurredAt time.Time `json:"-"`

	PropertyName  string `json:"propertyName,omitempty"`
	PropertyValue string `json:"propertyValue,omitempty"`
	// ChangeSource says what made the change (CRM, CRM_UI, IMPORT, INTEGRATION, …;
	// the full list is not documented, hubspot-api.md §12).
	ChangeSource string `json:"changeSource,omitempty"`
	// SourceID identifies the actor, e.g. "userId:45678" or an app id.
	SourceID   string `json:"sourceId,omitempty"`
	ChangeFlag string `json:"changeFlag,omitempty"`

	PrimaryObjectID         int64   `json:"primaryObjectId,omitempty"`
	MergedObjectIDs         []int64 `json:"mergedObjectIds,omitempty"`
	NewObjectID             int64   `json:"newObjectId,omitempty"`
	NumberOfPropertiesMoved int     `json:"numberOfPropertiesMoved,omitempty"`

	AssociationType      string `json:"associationType,omitempty"`
	AssociationCategory  string `json:"associationCategory,omitempty"`
	AssociationTypeID    int    `json:"associationTypeId,omitempty"`
	FromObjectID         int64  `json:"fromObjectId,omitempty"`
	ToObjectID           int64  `json:"toObjectId,omitempty"`
	FromObjectTypeID     string `json:"fromObjectTypeId,omitempty"`
	ToObjectTypeID       string `json:"toObjectTypeId,omitempty"`
	AssociationRemoved   bool   `json:"associationRemoved,omitempty"`
	IsPrimaryAssociation bool   `json:"isPrimaryAssociation,omitempty"`
}

// UnmarshalJSON reads occurredAt (epoch ms) and accepts eventType as an older name
// of subscriptionType (payload webhook-events-propertychange-creation notes both).
func (e *Event) UnmarshalJSON(b []byte) error {
	type plain Event
	aux := struct {
		*plain
		OccurredAt int64  `json:"occurredAt"`
		EventType  string `json:"eventType"`
	}{plain: (*plain)(e)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.OccurredAt != 0 {
		e.OccurredAt = time.UnixMilli(aux.OccurredAt).UTC()
	}
	if e.SubscriptionType == "" {
		e.SubscriptionType = aux.EventType
	}
	return nil
}

// MarshalJSON writes the wire form (occurredAt in epoch ms).
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event
	return json.Marshal(struct {
		plain
		OccurredAt int64 `json:"occurredAt"`
	}{plain(e), e.OccurredAt.UnixMilli()})
}

// Kind returns the event kind, e.g. EventPropertyChange for "contact.propertyChange".
func (e *Event) Kind() EventKind {
	_, k, _ := strings.Cut(e.SubscriptionType, ".")
	return EventKind(k)
}

// ObjectType returns the object part of the subscription type, e.g. "contact".
func (e *Event) ObjectType() string {
	o, _, _ := strings.Cut(e.SubscriptionType, ".")
	return o
}

// RecordID returns ObjectID as the string form record ids take in the CRM API.
func (e *Event) RecordID() string { return strconv.FormatInt(e.ObjectID, 10) }

// ParseEvents decodes a webhook delivery body (a JSON array of events).
func ParseEvents(body []byte) ([]Event, error) {
	var events []Event
	if err := json.Unmarshal(body, &events); err != nil {
		return nil, err
	}
	return events, nil
}

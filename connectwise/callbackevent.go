package connectwise

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrNoEntity is returned by [CallbackEvent.DecodeEntity] when the delivery carries
// no record (deletions send "Entity": null).
var ErrNoEntity = errors.New("connectwise: callback carries no entity")

// Callback actions.
const (
	ActionAdded   = "added"
	ActionUpdated = "updated"
	ActionDeleted = "deleted"
)

// CallbackEvent is one callback delivery. Keys are PascalCase on the wire
// (SOURCES.md callback-payload-contact-*.json, connectwise-api.md §9).
type CallbackEvent struct {
	Action string `json:"Action"` // added, updated, deleted
	Type   string `json:"Type"`   // contact, company, opportunity, ticket, ...
	// ID is the record's id; on deletions it is all there is.
	ID int `json:"ID"`
	// CallbackObjectRecID is the id of the registration (system/callbacks/{id}).
	CallbackObjectRecID int    `json:"CallbackObjectRecId"`
	CompanyID           string `json:"CompanyId"`
	// Entity is the record as JSON text (the wire carries it as an escaped JSON
	// string); empty on deletions. It is a summary (no communicationItems or custom
	// fields): re-read the record by ID before syncing it.
	Entity string `json:"-"`
	// FromURL is the sending host as the body claims it; not trusted for anything.
	FromURL string `json:"FromUrl"`
	// MemberID is the identifier (not the numeric id) of the member who made the change.
	MemberID          string           `json:"MemberId"`
	MessageID         string           `json:"MessageId"`
	Metadata          CallbackMetadata `json:"Metadata"`
	PartnerID         string           `json:"PartnerId"`
	ProductInstanceID string           `json:"ProductInstanceId"`
}

// CallbackMetadata holds the URL of the signing key.
type CallbackMetadata struct {
	KeyURL string `json:"key_url"`
}

// ParseCallback decodes a delivery body. It does not verify it: use a
// [CallbackVerifier] (or [Client.CallbackHandler]) on untrusted input.
func ParseCallback(body []byte) (*CallbackEvent, error) {
	type plain CallbackEvent
	var raw struct {
		plain
		ID                  flexInt         `json:"ID"`
		CallbackObjectRecID flexInt         `json:"CallbackObjectRecId"`
		Entity              json.RawMessage `json:"Entity"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("connectwise: parse callback: %w", err)
	}
	ev := CallbackEvent(raw.plain)
	ev.ID, ev.CallbackObjectRecID = int(raw.ID), int(raw.CallbackObjectRecID)
	ev.Action = strings.ToLower(ev.Action)
	ev.Type = strings.ToLower(ev.Type)
	switch e := strings.TrimSpace(string(raw.Entity)); {
	case e == "" || e == "null":
	case strings.HasPrefix(e, `"`):
		if err := json.Unmarshal(raw.Entity, &ev.Entity); err != nil {
			return nil, fmt.Errorf("connectwise: parse callback Entity: %w", err)
		}
	default:
		// Tolerate a delivery that embeds the record as an object.
		ev.Entity = e
	}
	if ev.Action == "" || ev.Type == "" || ev.ID == 0 {
		return nil, fmt.Errorf("connectwise: parse callback: Action, Type and ID are required (got %q, %q, %d)", ev.Action, ev.Type, ev.ID)
	}
	return &ev, nil
}

// DecodeEntity decodes the Entity JSON into v (a *Contact, *Company, ...). It
// returns [ErrNoEntity] when the delivery has none.
func (e *CallbackEvent) DecodeEntity(v any) error {
	if strings.TrimSpace(e.Entity) == "" || e.Entity == "null" {
		return ErrNoEntity
	}
	if err := json.Unmarshal([]byte(e.Entity), v); err != nil {
		return fmt.Errorf("connectwise: decode callback %s %d entity: %w", e.Type, e.ID, err)
	}
	return nil
}

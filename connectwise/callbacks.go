package connectwise

import (
	"context"
	"errors"
	"strings"
)

// CallbackEntry is a system/callbacks registration (connectwise-api.md §9, S9/S10,
// SOURCES.md callback-create-*.json). URL, ObjectID, Type and Level are required.
type CallbackEntry struct {
	ID          int     `json:"id,omitempty"`
	Description *string `json:"description,omitempty"` // max 100
	// URL receives the deliveries. ConnectWise appends the record id as raw text,
	// which is why integrators end it in "?recordId=" (S11).
	URL      string `json:"url"`
	ObjectID int    `json:"objectId"`
	// Type is the record type in lower case: company, contact, opportunity, ticket, ...
	Type string `json:"type"`
	// Level is "owner" (all records of the type) or a narrower level such as status,
	// type, territory or company for companies (S7).
	Level          string  `json:"level"`
	MemberID       *int    `json:"memberId,omitempty"`
	PayloadVersion *string `json:"payloadVersion,omitempty"` // "3.0.0"
	InactiveFlag   *bool   `json:"inactiveFlag,omitempty"`
	// IsSelfSuppressedFlag stops deliveries of the registering member's own changes:
	// set it to keep the sync's own writes from echoing back (S11).
	IsSelfSuppressedFlag *bool   `json:"isSelfSuppressedFlag,omitempty"`
	IsSoapCallbackFlag   *bool   `json:"isSoapCallbackFlag,omitempty"`
	ConnectWiseID        *string `json:"connectWiseID,omitempty"`
	Info                 *Info   `json:"_info,omitempty"`
}

// CallbacksService manages system/callbacks. Registering the same callback twice is
// a 400 with errors[].code ObjectExists (an error wrapping [ErrConflict]), so
// registration is not idempotent: use [CallbacksService.Ensure].
type CallbacksService struct {
	Resource[CallbackEntry]
}

func newCallbacks(c *Client) *CallbacksService {
	return &CallbacksService{newResource[CallbackEntry](c, "system/callbacks")}
}

// Ensure returns the registration with the same url, type, level and objectId when
// one exists, else creates it. It reports whether it created one.
//
// At level "owner" the objectId selects nothing, and the server stores its own value
// (0 sent, 1 returned: SOURCES.md callback-create-request.json / -response.json), so
// there an existing registration matches whatever its objectId. When the create is
// refused as a duplicate (ObjectExists, a registration made meanwhile), Ensure looks
// again and returns that one.
func (s *CallbacksService) Ensure(ctx context.Context, e *CallbackEntry) (*CallbackEntry, bool, error) {
	owner := strings.EqualFold(e.Level, "owner")
	find := func() (*CallbackEntry, error) {
		for cb, err := range s.ListIter(ctx, &ListOptions{Conditions: And(Eq("type", e.Type), Eq("level", e.Level))}) {
			if err != nil {
				return nil, err
			}
			if cb.URL == e.URL && (owner || cb.ObjectID == e.ObjectID) {
				return cb, nil
			}
		}
		return nil, nil
	}
	if cb, err := find(); err != nil || cb != nil {
		return cb, false, err
	}
	cb, _, err := s.Create(ctx, e)
	if errors.Is(err, ErrConflict) {
		if found, ferr := find(); ferr == nil && found != nil {
			return found, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	return cb, true, nil
}

package connectwise

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Communication types of a contact's communication items (connectwise-api.md §6).
const (
	CommunicationEmail = "Email"
	CommunicationPhone = "Phone"
	CommunicationFax   = "Fax"
)

// CommunicationItem is one entry of a contact's communicationItems: an email, phone
// or fax. Type is the tenant-specific communication type (ids differ per tenant,
// SOURCES.md communicationtypes-list.json); DefaultFlag is set once per
// CommunicationType, not once per contact (contacts-list-communicationitems.json).
type CommunicationItem struct {
	ID                int        `json:"id,omitempty"`
	Type              *Reference `json:"type,omitempty"`
	Value             string     `json:"value"`
	Extension         *string    `json:"extension,omitempty"`
	DefaultFlag       bool       `json:"defaultFlag"`
	Domain            *string    `json:"domain,omitempty"`
	CommunicationType string     `json:"communicationType,omitempty"` // Email, Phone, Fax
}

// CommunicationType is a company/communicationTypes record.
type CommunicationType struct {
	ID           int     `json:"id"`
	Description  string  `json:"description"`
	PhoneFlag    bool    `json:"phoneFlag"`
	FaxFlag      bool    `json:"faxFlag"`
	EmailFlag    bool    `json:"emailFlag"`
	DefaultFlag  bool    `json:"defaultFlag"`
	ExchangeXref *string `json:"exchangeXref,omitempty"`
	Info         *Info   `json:"_info,omitempty"`
}

// DefaultItem returns the default item of a communication type (Email, Phone, Fax),
// or the first item of that type when none is flagged default.
func (c *Contact) DefaultItem(communicationType string) (CommunicationItem, bool) {
	var first *CommunicationItem
	for i := range c.CommunicationItems {
		it := &c.CommunicationItems[i]
		if !strings.EqualFold(it.CommunicationType, communicationType) {
			continue
		}
		if it.DefaultFlag {
			return *it, true
		}
		if first == nil {
			first = it
		}
	}
	if first != nil {
		return *first, true
	}
	return CommunicationItem{}, false
}

// DefaultEmail returns the contact's default email address, or the first email when
// none is flagged default.
func (c *Contact) DefaultEmail() (string, bool) {
	it, ok := c.DefaultItem(CommunicationEmail)
	return it.Value, ok && it.Value != ""
}

// Emails returns every email address of the contact.
func (c *Contact) Emails() []string {
	var out []string
	for _, it := range c.CommunicationItems {
		if strings.EqualFold(it.CommunicationType, CommunicationEmail) {
			out = append(out, it.Value)
		}
	}
	return out
}

// DefaultCommunicationType returns the tenant's communication type for email, phone
// or fax: the one flagged default for that kind, else the first of that kind. Types
// are read once per client from company/communicationTypes and cached (they are
// tenant setup, not data).
func (c *Client) DefaultCommunicationType(ctx context.Context, communicationType string) (*CommunicationType, error) {
	c.commTypesMu.Lock()
	types := c.commTypes
	c.commTypesMu.Unlock()
	if types == nil {
		all, err := c.CommunicationTypes.All(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("connectwise: read communication types: %w", err)
		}
		types = make([]CommunicationType, len(all))
		for i, t := range all {
			types[i] = *t
		}
		c.commTypesMu.Lock()
		c.commTypes = types
		c.commTypesMu.Unlock()
	}
	kind := func(t CommunicationType) bool {
		switch strings.ToLower(communicationType) {
		case "email":
			return t.EmailFlag
		case "phone":
			return t.PhoneFlag
		case "fax":
			return t.FaxFlag
		}
		return false
	}
	var first *CommunicationType
	for i := range types {
		t := &types[i]
		if !kind(*t) {
			continue
		}
		if t.DefaultFlag {
			return t, nil
		}
		if first == nil {
			first = t
		}
	}
	if first != nil {
		return first, nil
	}
	return nil, &NotFoundError{Resource: "communication type", Key: "kind", Value: communicationType}
}

// SetDefaultEmail makes email the contact's default email address and returns the
// updated contact; see [ContactsService.SetDefaultCommunication].
func (s *ContactsService) SetDefaultEmail(ctx context.Context, contactID int, email string) (*Contact, *Response, error) {
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n") {
		return nil, nil, &ConfigError{Field: "email", Reason: fmt.Sprintf("%q is not an email address", email)}
	}
	return s.SetDefaultCommunication(ctx, contactID, CommunicationEmail, email)
}

// ErrDefaultNotApplied is returned when the server accepted a default-item change but
// the record it sent back does not show it.
var ErrDefaultNotApplied = errors.New("connectwise: the server did not apply the default communication item")

// SetDefaultCommunication makes value the contact's default item of the kind
// (CommunicationEmail, CommunicationPhone or CommunicationFax) and returns the updated
// contact:
//
//   - if the contact already has the value (case-insensitive), its item is flagged
//     default;
//   - else if the contact has a default item of that kind, its value is replaced (the
//     sync's reading of "the email changed"; the item's type is kept);
//   - else a new item is appended with the tenant's default communication type of
//     that kind and defaultFlag true (the flag is honoured on an appended item, and the
//     server clears the previous default of the same kind, connectwise-api.md §5, S11).
//
// The first two are replace operations and safe to retry; the third is not. Whether
// the server honours a defaultFlag replaced on an existing item is not verified
// live, so the returned record is checked: when it carries communicationItems and
// does not show value as the default, the error wraps [ErrDefaultNotApplied].
func (s *ContactsService) SetDefaultCommunication(ctx context.Context, contactID int, kind, value string) (*Contact, *Response, error) {
	value = strings.TrimSpace(value)
	switch kind {
	case CommunicationEmail, CommunicationPhone, CommunicationFax:
	default:
		return nil, nil, &ConfigError{Field: "communicationType", Reason: fmt.Sprintf("%q is not Email, Phone or Fax", kind)}
	}
	if value == "" {
		return nil, nil, &ConfigError{Field: "value", Reason: "empty"}
	}
	cur, resp, err := s.Get(ctx, contactID)
	if err != nil {
		return nil, resp, err
	}
	if cur.CommunicationItems == nil {
		// Some answers leave communicationItems out; read them from their own endpoint.
		items, resp, err := s.Communications(ctx, contactID)
		if err != nil {
			return nil, resp, err
		}
		cur.CommunicationItems = items
	}
	defIdx := -1
	var op PatchOp
	found := false
	for i, it := range cur.CommunicationItems {
		if !strings.EqualFold(it.CommunicationType, kind) {
			continue
		}
		if strings.EqualFold(it.Value, value) {
			if it.DefaultFlag {
				return cur, resp, nil
			}
			op, found = Replace(itemPath(i, "defaultFlag"), true), true
			break
		}
		if it.DefaultFlag && defIdx < 0 {
			defIdx = i
		}
	}
	switch {
	case found:
	case defIdx >= 0:
		op = Replace(itemPath(defIdx, "value"), value)
	default:
		t, err := s.c.DefaultCommunicationType(ctx, kind)
		if err != nil {
			return nil, nil, err
		}
		item := CommunicationItem{Type: Ref(t.ID), Value: value, DefaultFlag: true, CommunicationType: kind}
		op = Add("/communicationItems/"+strconv.Itoa(len(cur.CommunicationItems)), item)
	}
	out, resp, err := s.Patch(ctx, contactID, op)
	if err != nil {
		return nil, resp, err
	}
	if out.CommunicationItems != nil {
		if def, ok := out.DefaultItem(kind); !ok || !strings.EqualFold(def.Value, value) || !def.DefaultFlag {
			return out, resp, fmt.Errorf("connectwise: contact %d: %s %q: %w", contactID, kind, value, ErrDefaultNotApplied)
		}
	}
	return out, resp, nil
}

func itemPath(i int, field string) string {
	return "/communicationItems/" + strconv.Itoa(i) + "/" + field
}

// Communications lists a contact's communication items through
// company/contacts/{id}/communications (S9).
func (s *ContactsService) Communications(ctx context.Context, contactID int) ([]CommunicationItem, *Response, error) {
	var items []CommunicationItem
	q := url.Values{"pageSize": {strconv.Itoa(MaxPageSize)}}
	resp, err := s.c.call(ctx, http.MethodGet, s.path+"/"+strconv.Itoa(contactID)+"/communications", q, nil, &items)
	if err != nil {
		return nil, resp, err
	}
	return items, resp, nil
}

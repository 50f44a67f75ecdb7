package connectwise

import (
	"context"
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
// updated contact:
//
//   - if the contact already has the address, its item is flagged default;
//   - else if the contact has a default email, that item's value is replaced (the
//     sync's reading of "the email changed"; the type is kept);
//   - else a new item is appended with the tenant's default email communication type
//     and defaultFlag true (the flag is only honoured on an appended item, and the
//     server clears the previous default of the same kind, connectwise-api.md §5, S11).
//
// The first two are replace operations and safe to retry; the third is not.
func (s *ContactsService) SetDefaultEmail(ctx context.Context, contactID int, email string) (*Contact, *Response, error) {
	email = strings.TrimSpace(email)
	if email == "" || !strings.Contains(email, "@") {
		return nil, nil, &ConfigError{Field: "email", Reason: fmt.Sprintf("%q is not an email address", email)}
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
	for i, it := range cur.CommunicationItems {
		if !strings.EqualFold(it.CommunicationType, CommunicationEmail) {
			continue
		}
		if strings.EqualFold(it.Value, email) {
			if it.DefaultFlag {
				return cur, resp, nil
			}
			return s.Patch(ctx, contactID, Replace(itemPath(i, "defaultFlag"), true))
		}
		if it.DefaultFlag && defIdx < 0 {
			defIdx = i
		}
	}
	if defIdx >= 0 {
		return s.Patch(ctx, contactID, Replace(itemPath(defIdx, "value"), email))
	}
	t, err := s.c.DefaultCommunicationType(ctx, CommunicationEmail)
	if err != nil {
		return nil, nil, err
	}
	item := CommunicationItem{Type: Ref(t.ID), Value: email, DefaultFlag: true, CommunicationType: CommunicationEmail}
	return s.Patch(ctx, contactID, Add("/communicationItems/"+strconv.Itoa(len(cur.CommunicationItems)), item))
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

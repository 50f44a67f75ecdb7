package connectwise

import (
	"context"
	"iter"
	"strconv"
)

// Ticket is a service/tickets record (S9). Tickets use stateIdentifier where
// companies use state (SOURCES.md company-get.json).
type Ticket struct {
	ID                 int          `json:"id,omitempty"`
	Summary            *string      `json:"summary,omitempty"` // required, max 100
	RecordType         *string      `json:"recordType,omitempty"`
	Board              *Reference   `json:"board,omitempty"`
	Status             *Reference   `json:"status,omitempty"`
	Priority           *Reference   `json:"priority,omitempty"`
	Company            *Reference   `json:"company,omitempty"` // required on create
	Site               *Reference   `json:"site,omitempty"`
	Contact            *Reference   `json:"contact,omitempty"`
	ContactName        *string      `json:"contactName,omitempty"`
	ContactEmail       *string      `json:"contactEmailAddress,omitempty"`
	ContactPhoneNumber *string      `json:"contactPhoneNumber,omitempty"`
	Type               *Reference   `json:"type,omitempty"`
	SubType            *Reference   `json:"subType,omitempty"`
	Item               *Reference   `json:"item,omitempty"`
	Owner              *Reference   `json:"owner,omitempty"`
	Source             *Reference   `json:"source,omitempty"`
	Severity           *string      `json:"severity,omitempty"`
	Impact             *string      `json:"impact,omitempty"`
	InitialDescription *string      `json:"initialDescription,omitempty"` // create only
	ClosedFlag         *bool        `json:"closedFlag,omitempty"`
	ClosedDate         *Time        `json:"closedDate,omitempty"`
	RequiredDate       *Time        `json:"requiredDate,omitempty"`
	BudgetHours        *float64     `json:"budgetHours,omitempty"`
	ActualHours        *float64     `json:"actualHours,omitempty"`
	StateIdentifier    *string      `json:"stateIdentifier,omitempty"`
	CustomFields       CustomFields `json:"customFields,omitempty"`
	Info               *Info        `json:"_info,omitempty"`
}

// TicketsService manages service/tickets.
type TicketsService struct {
	Resource[Ticket]
}

func newTickets(c *Client) *TicketsService {
	return &TicketsService{newResource[Ticket](c, "service/tickets")}
}

// BoardStatuses yields the statuses of a service board
// (service/boards/{id}/statuses, S9).
func (s *TicketsService) BoardStatuses(ctx context.Context, boardID int, opts *ListOptions) iter.Seq2[*BoardStatus, error] {
	return listIter[BoardStatus](ctx, s.c, "service/boards/"+strconv.Itoa(boardID)+"/statuses", opts)
}

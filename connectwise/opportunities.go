package connectwise

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strconv"

	"github.com/hubwise/hubwise/internal/httpx"
)

// Opportunity is a sales/opportunities record (connectwise-api.md §6, S9
// model_opportunity.go). It has no amount: the money lives in the forecast
// ([OpportunitiesService.ForecastItems]).
type Opportunity struct {
	ID                 int          `json:"id,omitempty"`
	Name               *string      `json:"name,omitempty"` // required, max 100
	ExpectedCloseDate  *Time        `json:"expectedCloseDate,omitempty"`
	Type               *Reference   `json:"type,omitempty"`
	Stage              *Reference   `json:"stage,omitempty"`
	Status             *Reference   `json:"status,omitempty"`
	Priority           *Reference   `json:"priority,omitempty"`
	Notes              *string      `json:"notes,omitempty"`
	Probability        *Reference   `json:"probability,omitempty"`
	Source             *string      `json:"source,omitempty"`
	Rating             *Reference   `json:"rating,omitempty"`
	Campaign           *Reference   `json:"campaign,omitempty"`
	PrimarySalesRep    *Reference   `json:"primarySalesRep,omitempty"` // required on create (S9)
	SecondarySalesRep  *Reference   `json:"secondarySalesRep,omitempty"`
	LocationID         *int         `json:"locationId,omitempty"`
	BusinessUnitID     *int         `json:"businessUnitId,omitempty"`
	Company            *Reference   `json:"company,omitempty"` // required on create (S9)
	Contact            *Reference   `json:"contact,omitempty"` // required on create (S9)
	Site               *Reference   `json:"site,omitempty"`
	CustomerPO         *string      `json:"customerPO,omitempty"`
	PipelineChangeDate *Time        `json:"pipelineChangeDate,omitempty"`
	DateBecameLead     *Time        `json:"dateBecameLead,omitempty"`
	ClosedDate         *Time        `json:"closedDate,omitempty"`
	ClosedBy           *Reference   `json:"closedBy,omitempty"`
	TotalSalesTax      *float64     `json:"totalSalesTax,omitempty"`
	Currency           *Reference   `json:"currency,omitempty"`
	CustomFields       CustomFields `json:"customFields,omitempty"`
	Info               *Info        `json:"_info,omitempty"`
}

// ForecastItem is one line of an opportunity's forecast
// (sales/opportunities/{id}/forecast/{id}, S9/S10). Required on create: Status,
// ForecastType (Other1, Other2, Agreement, Product, Service); Opportunity is set by
// the path.
type ForecastItem struct {
	ID                  int        `json:"id,omitempty"`
	ForecastDescription *string    `json:"forecastDescription,omitempty"` // max 50
	Opportunity         *Reference `json:"opportunity,omitempty"`
	Quantity            *float64   `json:"quantity,omitempty"`
	Status              *Reference `json:"status,omitempty"`
	CatalogItem         *Reference `json:"catalogItem,omitempty"`
	ProductDescription  *string    `json:"productDescription,omitempty"`
	ForecastType        *string    `json:"forecastType,omitempty"`
	Revenue             *float64   `json:"revenue,omitempty"`
	Cost                *float64   `json:"cost,omitempty"`
	Margin              *float64   `json:"margin,omitempty"`
	Percentage          *float64   `json:"percentage,omitempty"`
	IncludeFlag         *bool      `json:"includeFlag,omitempty"`
	QuoteWerksQuantity  *float64   `json:"quoteWerksQuantity,omitempty"`
	RecurringRevenue    *float64   `json:"recurringRevenue,omitempty"`
	RecurringCost       *float64   `json:"recurringCost,omitempty"`
	RecurringFlag       *bool      `json:"recurringFlag,omitempty"`
	Cycles              *float64   `json:"cycles,omitempty"`
	SequenceNumber      *float64   `json:"sequenceNumber,omitempty"`
	Info                *Info      `json:"_info,omitempty"`
}

// Forecast is the forecast of an opportunity: its items and revenue totals.
type Forecast struct {
	ID            int                `json:"id,omitempty"`
	ForecastItems []ForecastItem     `json:"forecastItems,omitempty"`
	Totals        map[string]Revenue `json:"-"`
	Info          *Info              `json:"_info,omitempty"`
}

// Revenue is one revenue block of a forecast ({revenue, cost, margin, percentage}).
type Revenue struct {
	Revenue    *float64 `json:"revenue,omitempty"`
	Cost       *float64 `json:"cost,omitempty"`
	Margin     *float64 `json:"margin,omitempty"`
	Percentage *float64 `json:"percentage,omitempty"`
}

// OpportunitiesService manages sales/opportunities and their forecast items.
type OpportunitiesService struct {
	Resource[Opportunity]
}

func newOpportunities(c *Client) *OpportunitiesService {
	return &OpportunitiesService{newResource[Opportunity](c, "sales/opportunities")}
}

func (s *OpportunitiesService) forecastPath(oppID int) string {
	return s.path + "/" + strconv.Itoa(oppID) + "/forecast"
}

// Forecast reads GET sales/opportunities/{id}/forecast. The spec declares an array of
// Forecast while integrators read one object; whether it is an object or an array is
// unverified (connectwise-api.md §5, §11b), so both are accepted: an array's items
// are merged into one Forecast.
func (s *OpportunitiesService) Forecast(ctx context.Context, oppID int) (*Forecast, *Response, error) {
	var raw json.RawMessage
	resp, err := s.c.call(ctx, http.MethodGet, s.forecastPath(oppID), nil, nil, &raw)
	if err != nil {
		return nil, resp, err
	}
	f, err := decodeForecast(raw)
	return f, resp, err
}

func decodeForecast(raw json.RawMessage) (*Forecast, error) {
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) != nil {
		many = []json.RawMessage{raw}
	}
	out := &Forecast{Totals: map[string]Revenue{}}
	for _, one := range many {
		var f struct {
			ID            int            `json:"id"`
			ForecastItems []ForecastItem `json:"forecastItems"`
			Info          *Info          `json:"_info"`
		}
		if len(one) == 0 || string(one) == "null" {
			continue
		}
		if err := json.Unmarshal(one, &f); err != nil {
			return nil, err
		}
		if out.ID == 0 {
			out.ID, out.Info = f.ID, f.Info
		}
		out.ForecastItems = append(out.ForecastItems, f.ForecastItems...)
		var m map[string]json.RawMessage
		_ = json.Unmarshal(one, &m)
		for k, v := range m {
			var r Revenue
			if len(v) > 0 && v[0] == '{' && json.Unmarshal(v, &r) == nil && (r.Revenue != nil || r.Cost != nil) {
				out.Totals[k] = r
			}
		}
	}
	return out, nil
}

// ForecastItems yields the forecast items of an opportunity
// (GET sales/opportunities/{id}/forecast, flattened).
func (s *OpportunitiesService) ForecastItems(ctx context.Context, oppID int) iter.Seq2[*ForecastItem, error] {
	return func(yield func(*ForecastItem, error) bool) {
		f, _, err := s.Forecast(ctx, oppID)
		if err != nil {
			yield(nil, err)
			return
		}
		for i := range f.ForecastItems {
			if !yield(&f.ForecastItems[i], nil) {
				return
			}
		}
	}
}

// GetForecastItem reads one forecast item.
func (s *OpportunitiesService) GetForecastItem(ctx context.Context, oppID, itemID int) (*ForecastItem, *Response, error) {
	var it ForecastItem
	resp, err := s.c.call(ctx, http.MethodGet, s.forecastPath(oppID)+"/"+strconv.Itoa(itemID), nil, nil, &it)
	if err != nil {
		return nil, resp, err
	}
	return &it, resp, nil
}

// CreateForecastItem adds a forecast item (POST; not retried after 5xx).
func (s *OpportunitiesService) CreateForecastItem(ctx context.Context, oppID int, item *ForecastItem) (*ForecastItem, *Response, error) {
	var it ForecastItem
	resp, err := s.c.call(ctx, http.MethodPost, s.forecastPath(oppID), nil, item, &it)
	if err != nil {
		return nil, resp, err
	}
	return &it, resp, nil
}

// UpdateForecastItem replaces a forecast item (PUT).
func (s *OpportunitiesService) UpdateForecastItem(ctx context.Context, oppID, itemID int, item *ForecastItem) (*ForecastItem, *Response, error) {
	var it ForecastItem
	resp, err := s.c.call(ctx, http.MethodPut, s.forecastPath(oppID)+"/"+strconv.Itoa(itemID), nil, item, &it)
	if err != nil {
		return nil, resp, err
	}
	return &it, resp, nil
}

// PatchForecastItem patches a forecast item.
func (s *OpportunitiesService) PatchForecastItem(ctx context.Context, oppID, itemID int, ops ...PatchOp) (*ForecastItem, *Response, error) {
	if err := validatePatch(ops); err != nil {
		return nil, nil, err
	}
	if allReplace(ops) {
		ctx = httpx.WithIdempotent(ctx)
	}
	var it ForecastItem
	resp, err := s.c.call(ctx, http.MethodPatch, s.forecastPath(oppID)+"/"+strconv.Itoa(itemID), nil, ops, &it)
	if err != nil {
		return nil, resp, err
	}
	return &it, resp, nil
}

// DeleteForecastItem deletes a forecast item.
func (s *OpportunitiesService) DeleteForecastItem(ctx context.Context, oppID, itemID int) (*Response, error) {
	return s.c.call(ctx, http.MethodDelete, s.forecastPath(oppID)+"/"+strconv.Itoa(itemID), nil, nil, nil)
}

package hubspot

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// Association categories (hubspot-api.md §7, spec: crm-associations-schema).
const (
	AssociationHubSpotDefined    = "HUBSPOT_DEFINED"
	AssociationUserDefined       = "USER_DEFINED"
	AssociationIntegratorDefined = "INTEGRATOR_DEFINED"
)

// Default HUBSPOT_DEFINED association type ids (hubspot-api.md §7, sdk:
// hubspot-api-nodejs src/utils/AssociationTypesEnum.ts). Labels beyond these are per
// account: read them with AssociationsService.Labels.
const (
	ContactToCompany        = 279
	ContactToCompanyPrimary = 1
	CompanyToContact        = 280
	CompanyToContactPrimary = 2
	DealToCompany           = 341
	DealToCompanyPrimary    = 5
	CompanyToDeal           = 342
	CompanyToDealPrimary    = 6
	DealToContact           = 3
	ContactToDeal           = 4
	TicketToCompany         = 339
	TicketToCompanyPrimary  = 26
	CompanyToTicket         = 340
	CompanyToTicketPrimary  = 25
	ContactToTicket         = 15
	TicketToContact         = 16
	DealToTicket            = 27
	TicketToDeal            = 28
	ContactToNote           = 201
	NoteToContact           = 202
	CompanyToNote           = 189
	DealToNote              = 213
)

// AssociationSpec is one association type to write: its category and id.
type AssociationSpec struct {
	Category string `json:"associationCategory"`
	TypeID   int    `json:"associationTypeId"`
}

// DefinedType returns the HUBSPOT_DEFINED spec of a default type id.
func DefinedType(typeID int) AssociationSpec {
	return AssociationSpec{Category: AssociationHubSpotDefined, TypeID: typeID}
}

// AssociationType is an association type as read back: category, id and label
// (null for the unlabelled default, payload associations-v4-batch-read-with-errors).
type AssociationType struct {
	Category string `json:"category"`
	TypeID   int    `json:"typeId"`
	Label    string `json:"label"`
}

// AssociatedObject is one record associated with a record, with the types linking them.
type AssociatedObject struct {
	ID    string
	Types []AssociationType
}

// AssociationInput associates FromID with ToID under Types (labelled create, label archive).
type AssociationInput struct {
	FromID string
	ToID   string
	Types  []AssociationSpec
}

// AssociationPair names two records (default create, archive).
type AssociationPair struct {
	FromID string
	ToID   string
}

// AssociationResult is one association written.
type AssociationResult struct {
	FromObjectTypeID string
	FromID           string
	ToObjectTypeID   string
	ToID             string
	Labels           []string
}

// AssociationLabel is an association type defined between two object types.
type AssociationLabel struct {
	Category string `json:"category"`
	TypeID   int    `json:"typeId"`
	Label    string `json:"label"`
}

// AssociationsService manages associations, on the v4 paths (VersionLegacy) or the
// date-based ones; the v3 batch read does not page properly and is not used
// (hubspot-api.md §7; 3p: hubspot-api-python #135, #187).
type AssociationsService struct{ client *Client }

// Batch sizes: read takes up to 1,000 inputs since 2025-02-10 (hubspot-api.md §7,
// cl: bug-fix-batch-read-limit-for-hubspot-associations-api). The reference gives
// no figure for association writes, so they use the general batch limit of 100.
const (
	MaxAssociationReadInputs  = 1000
	MaxAssociationWriteInputs = MaxBatchInputs
)

// flexID decodes an id sent as a JSON string or number: association answers use
// both (payloads associations-v4-batch-create-200, -batch-read-with-errors).
type flexID string

func (f *flexID) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexID(n.String())
	return nil
}

type idRef struct {
	ID string `json:"id"`
}

type pairResult struct {
	FromObjectTypeID string   `json:"fromObjectTypeId"`
	FromObjectID     flexID   `json:"fromObjectId"`
	ToObjectTypeID   string   `json:"toObjectTypeId"`
	ToObjectID       flexID   `json:"toObjectId"`
	Labels           []string `json:"labels"`
}

func (r pairResult) public() AssociationResult {
	return AssociationResult{FromObjectTypeID: r.FromObjectTypeID, FromID: string(r.FromObjectID),
		ToObjectTypeID: r.ToObjectTypeID, ToID: string(r.ToObjectID), Labels: r.Labels}
}

// CreateBatch writes labelled associations, 100 per request. Associations are sets,
// so repeating a create cannot duplicate one and failures are retried. Failed
// inputs (an unknown id, a record associated to itself, a custom association
// limit reached) are reported in a *BatchError while the others are written.
func (s *AssociationsService) CreateBatch(ctx context.Context, from, to string, inputs []AssociationInput) ([]AssociationResult, *Response, error) {
	type in struct {
		From  idRef             `json:"from"`
		To    idRef             `json:"to"`
		Types []AssociationSpec `json:"types"`
	}
	b := newBatchCall(s.client, "associate "+from+" to "+to, len(inputs))
	var items []batchItem
	for i, x := range inputs {
		switch {
		case x.FromID == "" || x.ToID == "":
			b.reject(i, x.FromID, "from/to", "both ids are required")
		case len(x.Types) == 0:
			b.reject(i, x.FromID, "types", "at least one association type is required")
		default:
			items = append(items, batchItem{index: i, id: x.FromID, alt: x.ToID})
		}
	}
	var body struct {
		Inputs []in `json:"inputs"`
	}
	res := sendChunks[in, pairResult](idempotent(ctx), b, s.client.paths.associations(from, to, "batch", "create"), nil, items, MaxAssociationWriteInputs, &body, &body.Inputs,
		func(it batchItem) in {
			x := inputs[it.index]
			return in{From: idRef{x.FromID}, To: idRef{x.ToID}, Types: x.Types}
		})
	return publicPairs(res), b.resp, b.result()
}

// CreateDefaultBatch writes the default (unlabelled) association for each pair,
// 100 per request, like CreateBatch.
func (s *AssociationsService) CreateDefaultBatch(ctx context.Context, from, to string, pairs []AssociationPair) ([]AssociationResult, *Response, error) {
	type in struct {
		From idRef `json:"from"`
		To   idRef `json:"to"`
	}
	b := newBatchCall(s.client, "associate "+from+" to "+to+" (default)", len(pairs))
	items := pairItems(b, pairs)
	var body struct {
		Inputs []in `json:"inputs"`
	}
	res := sendChunks[in, pairResult](idempotent(ctx), b, s.client.paths.associations(from, to, "batch", "associate", "default"), nil, items, MaxAssociationWriteInputs, &body, &body.Inputs,
		func(it batchItem) in { return in{From: idRef{pairs[it.index].FromID}, To: idRef{pairs[it.index].ToID}} })
	return publicPairs(res), b.resp, b.result()
}

// pairItems turns pairs into batch items, rejecting those that lack an id.
func pairItems(b *batchCall, pairs []AssociationPair) []batchItem {
	var items []batchItem
	for i, p := range pairs {
		if p.FromID == "" || p.ToID == "" {
			b.reject(i, p.FromID, "from/to", "both ids are required")
			continue
		}
		items = append(items, batchItem{index: i, id: p.FromID, alt: p.ToID})
	}
	return items
}

// publicPairs converts written associations to their exported form.
func publicPairs(rs []pairResult) []AssociationResult {
	out := make([]AssociationResult, len(rs))
	for i, r := range rs {
		out[i] = r.public()
	}
	return out
}

// ReadBatch returns the records of type to associated with each of the fromIDs,
// 1,000 inputs per request, following each input's paging until it is complete. A
// record without associations maps to an empty list: HubSpot reports it as an
// OBJECT_NOT_FOUND error with subCategory crm.associations.NO_ASSOCIATIONS_FOUND
// (payload associations-v4-batch-read-with-errors), which is not a failure.
func (s *AssociationsService) ReadBatch(ctx context.Context, from, to string, fromIDs []string) (map[string][]AssociatedObject, *Response, error) {
	type in struct {
		ID    string `json:"id"`
		After string `json:"after,omitempty"`
	}
	type toWire struct {
		ToObjectID       flexID            `json:"toObjectId"`
		AssociationTypes []AssociationType `json:"associationTypes"`
	}
	type result struct {
		From   idRef    `json:"from"`
		To     []toWire `json:"to"`
		Paging *Paging  `json:"paging"`
	}
	b := newBatchCall(s.client, "read associations "+from+" to "+to, len(fromIDs))
	items := keyItems(b, fromIDs, "id")
	out := make(map[string][]AssociatedObject, len(items))
	for _, it := range items {
		out[it.id] = []AssociatedObject{}
	}
	pending := make([]in, len(items))
	for k, it := range items {
		pending[k] = in{ID: it.id}
	}
	byID := make(map[string]batchItem, len(items))
	for _, it := range items {
		byID[it.id] = it
	}
	path := s.client.paths.associations(from, to, "batch", "read")
	for len(pending) > 0 {
		n := min(len(pending), MaxAssociationReadInputs)
		req := pending[:n]
		pending = pending[n:]
		chunk := make([]batchItem, n)
		for k, x := range req {
			chunk[k] = byID[x.ID]
		}
		body := struct {
			Inputs []in `json:"inputs"`
		}{Inputs: req}
		var ans batchAnswer[result]
		ok, stop := b.send(idempotent(ctx), path, nil, &body, &ans, chunk)
		if ok {
			for _, r := range ans.Results {
				for _, t := range r.To {
					out[r.From.ID] = append(out[r.From.ID], AssociatedObject{ID: string(t.ToObjectID), Types: t.AssociationTypes})
				}
				if next := r.Paging.after(); next != "" {
					pending = append(pending, in{ID: r.From.ID, After: next})
				}
			}
			var real []errorBody
			for _, e := range ans.Errors {
				if string(e.SubCategory) != "crm.associations.NO_ASSOCIATIONS_FOUND" {
					real = append(real, e)
				}
			}
			b.mapErrors(real, chunk, b.resp.Request, b.resp.StatusCode)
		}
		if stop {
			break
		}
	}
	return out, b.resp, b.result()
}

// ArchiveBatch removes every association between each pair, 100 pairs per request
// (pairs sharing a from id travel together). Removing is idempotent and retried.
func (s *AssociationsService) ArchiveBatch(ctx context.Context, from, to string, pairs []AssociationPair) (*Response, error) {
	type in struct {
		From idRef   `json:"from"`
		To   []idRef `json:"to"`
	}
	b := newBatchCall(s.client, "archive associations "+from+" to "+to, len(pairs))
	items := pairItems(b, pairs)
	for _, chunk := range chunks(items, MaxAssociationWriteInputs) {
		var body struct {
			Inputs []in `json:"inputs"`
		}
		pos := map[string]int{}
		for _, it := range chunk {
			k, ok := pos[it.id]
			if !ok {
				k = len(body.Inputs)
				pos[it.id] = k
				body.Inputs = append(body.Inputs, in{From: idRef{it.id}})
			}
			body.Inputs[k].To = append(body.Inputs[k].To, idRef{it.alt})
		}
		if _, stop := b.send(idempotent(ctx), s.client.paths.associations(from, to, "batch", "archive"), nil, &body, nil, chunk); stop {
			break
		}
	}
	return b.resp, b.result()
}

// ArchiveLabelsBatch removes only the given association types between each pair,
// keeping the others, 100 per request.
func (s *AssociationsService) ArchiveLabelsBatch(ctx context.Context, from, to string, inputs []AssociationInput) (*Response, error) {
	type in struct {
		From  idRef             `json:"from"`
		To    idRef             `json:"to"`
		Types []AssociationSpec `json:"types"`
	}
	b := newBatchCall(s.client, "archive association labels "+from+" to "+to, len(inputs))
	var items []batchItem
	for i, x := range inputs {
		if x.FromID == "" || x.ToID == "" || len(x.Types) == 0 {
			b.reject(i, x.FromID, "from/to/types", "ids and at least one type are required")
			continue
		}
		items = append(items, batchItem{index: i, id: x.FromID, alt: x.ToID})
	}
	var body struct {
		Inputs []in `json:"inputs"`
	}
	sendChunks[in, struct{}](idempotent(ctx), b, s.client.paths.associations(from, to, "batch", "labels", "archive"), nil, items, MaxAssociationWriteInputs, &body, &body.Inputs,
		func(it batchItem) in {
			x := inputs[it.index]
			return in{From: idRef{x.FromID}, To: idRef{x.ToID}, Types: x.Types}
		})
	return b.resp, b.result()
}

// Labels lists the association types defined from one object type to another:
// /crm/associations/{ver}/{f}/{t}/labels, or /crm/associations/v4/{f}/{t}/labels on
// legacy paths (hubspot-api.md §0 path map).
func (s *AssociationsService) Labels(ctx context.Context, from, to string) ([]AssociationLabel, *Response, error) {
	if from == "" || to == "" {
		return nil, nil, errors.New("hubspot: association labels: empty object type")
	}
	p := s.client.paths.associations(from, to, "labels")
	if s.client.paths.version == VersionLegacy {
		p = "/crm/associations/v4/" + seg(from) + "/" + seg(to) + "/labels"
	}
	req, err := s.client.NewRequest(ctx, http.MethodGet, p, nil, nil)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Results []AssociationLabel `json:"results"`
	}
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}
	return out.Results, resp, nil
}

// String renders a spec as "CATEGORY/id".
func (a AssociationSpec) String() string { return a.Category + "/" + strconv.Itoa(a.TypeID) }

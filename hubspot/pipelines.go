package hubspot

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Pipeline is a pipeline of deals or tickets with its stages (spec: crm-pipelines).
type Pipeline struct {
	ID           string          `json:"id"`
	Label        string          `json:"label"`
	DisplayOrder int             `json:"displayOrder"`
	Stages       []PipelineStage `json:"stages"`
	CreatedAt    time.Time       `json:"createdAt"`
	UpdatedAt    time.Time       `json:"updatedAt"`
	Archived     bool            `json:"archived"`
}

// PipelineStage is one stage. Deal stage metadata values are strings:
// "isClosed" is "true"/"false" and "probability" runs from "0.0" (closed lost) to
// "1.0" (closed won) (hubspot-api.md §8, payload pipelines-deals). Default stages
// have slug ids (appointmentscheduled) and epoch-zero timestamps.
type PipelineStage struct {
	ID               string            `json:"id"`
	Label            string            `json:"label"`
	DisplayOrder     int               `json:"displayOrder"`
	Metadata         map[string]string `json:"metadata"`
	WritePermissions string            `json:"writePermissions,omitempty"`
	CreatedAt        time.Time         `json:"createdAt"`
	UpdatedAt        time.Time         `json:"updatedAt"`
	Archived         bool              `json:"archived"`
}

// IsClosed reports the stage's metadata.isClosed.
func (st *PipelineStage) IsClosed() bool { return st.Metadata["isClosed"] == "true" }

// Probability returns the stage's metadata.probability, and false when it has none.
func (st *PipelineStage) Probability() (float64, bool) {
	f, ok, err := ParseNumber(st.Metadata["probability"])
	return f, ok && err == nil
}

// PipelinesService lists pipelines and stages. Pipelines API v1 is sunset on
// 2026-12-04 (hubspot-api.md §0); this service uses v3 or date-based paths.
type PipelinesService struct{ client *Client }

// List returns the pipelines of an object type ("deals", "tickets").
func (s *PipelinesService) List(ctx context.Context, objectType string) ([]*Pipeline, *Response, error) {
	if objectType == "" {
		return nil, nil, errors.New("hubspot: list pipelines: empty object type")
	}
	req, err := s.client.NewRequest(ctx, http.MethodGet, s.client.paths.pipelines(objectType), nil, nil)
	if err != nil {
		return nil, nil, err
	}
	var out struct {
		Results []*Pipeline `json:"results"`
	}
	resp, err := s.client.Do(req, &out)
	if err != nil {
		return nil, resp, err
	}
	return out.Results, resp, nil
}

// Get returns one pipeline; a missing one unwraps to ErrNotFound.
func (s *PipelinesService) Get(ctx context.Context, objectType, pipelineID string) (*Pipeline, *Response, error) {
	if objectType == "" || pipelineID == "" {
		return nil, nil, errors.New("hubspot: get pipeline: empty object type or id")
	}
	return call[Pipeline](ctx, s.client, http.MethodGet, s.client.paths.pipelines(objectType, seg(pipelineID)), nil, nil)
}

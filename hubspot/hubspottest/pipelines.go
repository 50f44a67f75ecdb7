package hubspottest

import (
	"fmt"
	"net/http"
)

// Pipeline is a deal or ticket pipeline (payload pipelines-deals.json).
type Pipeline struct {
	Label        string  `json:"label"`
	DisplayOrder int     `json:"displayOrder"`
	ID           string  `json:"id"`
	Stages       []Stage `json:"stages"`
	CreatedAt    string  `json:"createdAt"`
	UpdatedAt    string  `json:"updatedAt"`
	Archived     bool    `json:"archived"`
}

// Stage is a pipeline stage. Metadata values are strings: for deals
// "probability" ("0.0" closed lost … "1.0" closed won) and "isClosed" ("true"/"false")
// (hubspot-api.md §8 Pipelines); for tickets "ticketState" ("OPEN"/"CLOSED").
type Stage struct {
	Label            string            `json:"label"`
	DisplayOrder     int               `json:"displayOrder"`
	Metadata         map[string]string `json:"metadata"`
	ID               string            `json:"id"`
	CreatedAt        string            `json:"createdAt"`
	UpdatedAt        string            `json:"updatedAt"`
	WritePermissions string            `json:"writePermissions,omitempty"`
	Archived         bool              `json:"archived"`
}

// AddPipeline seeds a pipeline for objectType ("deals", "tickets" or an id).
// Empty timestamps are filled in.
func (s *Server) AddPipeline(objectType string, p Pipeline) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.objectType(objectType)
	if t == nil || (t.id != "0-3" && t.id != "0-5") {
		return fmt.Errorf("hubspottest: AddPipeline: object type %q has no pipelines", objectType)
	}
	now := isoTime(s.now())
	if p.CreatedAt == "" {
		p.CreatedAt, p.UpdatedAt = now, now
	}
	for i := range p.Stages {
		if p.Stages[i].CreatedAt == "" {
			p.Stages[i].CreatedAt, p.Stages[i].UpdatedAt = now, now
		}
		if p.Stages[i].Metadata == nil {
			p.Stages[i].Metadata = map[string]string{}
		}
	}
	s.pipes[t.id] = append(s.pipes[t.id], &p)
	return nil
}

// seedPipelines adds the default deal pipeline as recorded (pipelines-deals.json:
// id "default", slug stage ids, 1970 timestamps) and the default ticket pipeline.
func (s *Server) seedPipelines() {
	epoch := "1970-01-01T00:00:00Z"
	stage := func(id, label string, order int, meta map[string]string) Stage {
		return Stage{Label: label, DisplayOrder: order, Metadata: meta, ID: id, CreatedAt: epoch, UpdatedAt: epoch,
			WritePermissions: "CRM_PERMISSIONS_ENFORCEMENT"}
	}
	deal := func(p string, closed bool) map[string]string {
		return map[string]string{"isClosed": fmt.Sprint(closed), "probability": p}
	}
	s.pipes["0-3"] = []*Pipeline{{Label: "Sales Pipeline", ID: "default", CreatedAt: epoch, UpdatedAt: epoch, Stages: []Stage{
		stage("appointmentscheduled", "Appointment Scheduled", 0, deal("0.2", false)),
		stage("qualifiedtobuy", "Qualified To Buy", 1, deal("0.4", false)),
		stage("presentationscheduled", "Presentation Scheduled", 2, deal("0.6", false)),
		stage("decisionmakerboughtin", "Decision Maker Bought-In", 3, deal("0.8", false)),
		stage("contractsent", "Contract Sent", 4, deal("0.9", false)),
		stage("closedwon", "Closed Won", 5, deal("1.0", true)),
		stage("closedlost", "Closed Lost", 6, deal("0.0", true)),
	}}}
	ticket := func(state string) map[string]string { return map[string]string{"ticketState": state} }
	s.pipes["0-5"] = []*Pipeline{{Label: "Support Pipeline", ID: "0", CreatedAt: epoch, UpdatedAt: epoch, Stages: []Stage{
		stage("1", "New", 0, ticket("OPEN")),
		stage("2", "Waiting on contact", 1, ticket("OPEN")),
		stage("3", "Waiting on us", 2, ticket("OPEN")),
		stage("4", "Closed", 3, ticket("CLOSED")),
	}}}
}

// stage finds a stage of a pipeline. Callers hold s.mu.
func (s *Server) stage(typeID, pipeline, stageID string) *Stage {
	for _, p := range s.pipes[typeID] {
		if p.ID != pipeline {
			continue
		}
		for i := range p.Stages {
			if p.Stages[i].ID == stageID {
				return &p.Stages[i]
			}
		}
	}
	return nil
}

func (s *Server) pipelinesFor(w http.ResponseWriter, r *http.Request) ([]*Pipeline, bool) {
	st := s.storeFor(w, r.PathValue("objectType"))
	if st == nil {
		return nil, false
	}
	return s.pipes[st.typ.id], true
}

func (s *Server) handlePipelineList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps, ok := s.pipelinesFor(w, r)
	if !ok {
		return
	}
	out := []Pipeline{}
	for _, p := range ps {
		if !p.Archived {
			out = append(out, *p)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

func (s *Server) findPipeline(w http.ResponseWriter, r *http.Request) *Pipeline {
	ps, ok := s.pipelinesFor(w, r)
	if !ok {
		return nil
	}
	id := r.PathValue("pipelineId")
	for _, p := range ps {
		if p.ID == id {
			return p
		}
	}
	writeError(w, http.StatusNotFound, apiError{Message: fmt.Sprintf("Unable to find pipeline %s", id), Category: catNotFound})
	return nil
}

func (s *Server) handlePipelineGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.findPipeline(w, r); p != nil {
		writeJSON(w, http.StatusOK, p)
	}
}

func (s *Server) handleStageList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.findPipeline(w, r); p != nil {
		writeJSON(w, http.StatusOK, map[string]any{"results": p.Stages})
	}
}

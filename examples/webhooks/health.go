package main

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/hubwise/hubwise/syncer"
)

// passInfo is one pass as /healthz shows it.
type passInfo struct {
	Trigger string         `json:"trigger"` // "webhook" or "poll"
	At      time.Time      `json:"at"`
	Report  *syncer.Report `json:"report,omitempty"`
	Error   string         `json:"error,omitempty"`
}

// health serves /healthz: the last targeted pass, the last poll and the
// dispatcher's counters.
type health struct {
	disp *syncer.Dispatcher

	mu       sync.Mutex
	lastHook *passInfo
	lastPoll *passInfo
	nPolls   int
	sweep    []*syncer.DeleteReport
}

func (h *health) recordSweep(reps []*syncer.DeleteReport) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.sweep = reps
}

func (h *health) record(trigger string, rep *syncer.Report, err error) {
	p := &passInfo{Trigger: trigger, At: time.Now().UTC(), Report: rep}
	if err != nil {
		p.Error = err.Error()
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if trigger == "poll" {
		h.lastPoll = p
		h.nPolls++
	} else {
		h.lastHook = p
	}
}

func (h *health) polls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.nPolls
}

// healthBody is the JSON of /healthz.
type healthBody struct {
	Status     string                 `json:"status"` // "ok", or "degraded" when the last pass failed
	LastPass   *passInfo              `json:"lastPass"`
	LastPoll   *passInfo              `json:"lastPoll"`
	Dispatcher syncer.DispatcherStats `json:"dispatcher"`
	// LastSweep reports the last ConnectWise ID sweep, one entry per object.
	LastSweep []*syncer.DeleteReport `json:"lastSweep,omitempty"`
}

func (h *health) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h.mu.Lock()
	b := healthBody{Status: "ok", LastPass: h.lastHook, LastPoll: h.lastPoll, LastSweep: h.sweep}
	h.mu.Unlock()
	b.Dispatcher = h.disp.Stats()
	if (b.LastPass != nil && b.LastPass.Error != "") || (b.LastPoll != nil && b.LastPoll.Error != "") {
		b.Status = "degraded"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(b)
}

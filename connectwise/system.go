package connectwise

import (
	"context"
	"net/http"
)

// SystemInfo is the answer of GET system/info (connectwise-api.md §1, S9 model_info.go).
type SystemInfo struct {
	Version                   string  `json:"version"`
	IsCloud                   bool    `json:"isCloud"`
	ServerTimeZone            string  `json:"serverTimeZone"`
	LicenseBits               []any   `json:"licenseBits,omitempty"`
	CloudRegion               *string `json:"cloudRegion,omitempty"`
	MaxWorkFlowRecordsAllowed *int    `json:"maxWorkFlowRecordsAllowed,omitempty"`
}

// SystemService reads system/info.
type SystemService struct {
	c *Client
}

// Info returns system/info: the server version, cloud flag and time zone.
func (s *SystemService) Info(ctx context.Context) (*SystemInfo, *Response, error) {
	var info SystemInfo
	resp, err := s.c.call(ctx, http.MethodGet, "system/info", nil, nil, &info)
	if err != nil {
		return nil, resp, err
	}
	return &info, resp, nil
}

package connectwisetest

import (
	"net/http"
	"strings"
)

// CompanyInfo is the body of GET /login/companyinfo/{companyId}
// (connectwise-api.md §1, S2, S18; PowerShell rendering of a live response in
// SOURCES.md gaps).
type CompanyInfo struct {
	CompanyName    string   `json:"CompanyName"`
	Codebase       string   `json:"Codebase"` // with a trailing slash: "v2025_1/"
	VersionCode    string   `json:"VersionCode"`
	VersionNumber  string   `json:"VersionNumber"`
	CompanyID      string   `json:"CompanyID"`
	IsCloud        bool     `json:"IsCloud"`
	SiteURL        string   `json:"SiteUrl"`
	AllowedOrigins []string `json:"AllowedOrigins"`
}

// companyInfo serves codebase discovery without authentication. An unknown
// company gets 200 with the literal body null, the answer the official SDK
// reads as "Company not found" (§1, S2).
func (s *Server) companyInfo(w http.ResponseWriter, r *http.Request) {
	if !strings.EqualFold(r.PathValue("companyId"), s.opts.CompanyID) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write([]byte("null"))
		return
	}
	writeJSON(w, http.StatusOK, CompanyInfo{
		CompanyName: s.opts.CompanyName, Codebase: s.opts.Codebase,
		VersionCode: s.opts.VersionCode, VersionNumber: s.opts.VersionNumber,
		CompanyID: s.opts.CompanyID, IsCloud: !s.opts.OnPremise, SiteURL: s.Site(),
		AllowedOrigins: []string{"*"},
	})
}

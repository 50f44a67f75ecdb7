package connectwise

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hubwise/hubwise/internal/httpx"
)

// CompanyInfo is the answer of GET /login/companyinfo/{companyId}
// (connectwise-api.md §1, S2/S18; SOURCES.md "Not found" quotes a live rendering).
type CompanyInfo struct {
	CompanyName   string `json:"CompanyName"`
	Codebase      string `json:"Codebase"` // with a trailing slash: "v2025_1/"
	VersionCode   string `json:"VersionCode"`
	VersionNumber string `json:"VersionNumber"`
	CompanyID     string `json:"CompanyID"`
	IsCloud       bool   `json:"IsCloud"`
	SiteURL       string `json:"SiteUrl"`
}

// DiscoveryError explains why codebase discovery failed. It wraps
// [ErrCompanyNotFound], [ErrCannotRoute] or [ErrNotConnectWise] when it can tell.
type DiscoveryError struct {
	URL    string // redacted
	Status int    // 0 when no response
	Reason string
	Err    error
}

// Error describes the failure in one line.
func (e *DiscoveryError) Error() string {
	s := "connectwise: codebase discovery at " + e.URL
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	return s + ": " + e.Reason
}

// Unwrap returns the cause.
func (e *DiscoveryError) Unwrap() error { return e.Err }

// Codebase returns the codebase the client uses ("v2025_1"), discovering it first
// when it is neither pinned nor known yet.
func (c *Client) Codebase(ctx context.Context) (string, error) { return c.resolveCodebase(ctx) }

// Discover calls login/companyinfo (unauthenticated) and, unless the codebase is
// pinned, adopts the codebase it names. It returns the company info, or a
// *DiscoveryError: company not found (an empty or "null" body, as the official SDK
// treats it, S2), the plain-text "Cannot route" answer, or a host that does not
// answer like ConnectWise.
func (c *Client) Discover(ctx context.Context) (*CompanyInfo, error) {
	info, err := c.fetchCompanyInfo(ctx)
	if err != nil {
		return nil, err
	}
	c.codebaseMu.Lock()
	defer c.codebaseMu.Unlock()
	c.companyInfo = info
	if !c.codebasePinned {
		c.codebase = strings.Trim(info.Codebase, "/")
	}
	return info, nil
}

// resolveCodebase returns the codebase, running discovery once. Discovery failures
// that say the company or codebase is wrong are returned; when the host simply has no
// usable companyinfo endpoint (404, 5xx, a non-JSON body) the client falls back to
// [DefaultCodebase] and logs why at Warn.
func (c *Client) resolveCodebase(ctx context.Context) (string, error) {
	c.codebaseMu.Lock()
	defer c.codebaseMu.Unlock()
	if c.codebase != "" {
		return c.codebase, nil
	}
	info, err := c.fetchCompanyInfo(ctx)
	switch {
	case err == nil:
		c.companyInfo = info
		c.codebase = strings.Trim(info.Codebase, "/")
		return c.codebase, nil
	case ctx.Err() != nil:
		return "", ctx.Err()
	case errors.Is(err, ErrCompanyNotFound), errors.Is(err, ErrCannotRoute):
		return "", err
	}
	var de *DiscoveryError
	if errors.As(err, &de) && de.Status == 0 {
		return "", err // transport failure: the API calls would fail the same way
	}
	c.logger.WarnContext(ctx, "connectwise: codebase discovery failed, using the fallback codebase",
		"fallback", DefaultCodebase, "error", err)
	c.codebase = DefaultCodebase
	return c.codebase, nil
}

func (c *Client) fetchCompanyInfo(ctx context.Context) (*CompanyInfo, error) {
	u := *c.origin
	u.Path = "/login/companyinfo/" + url.PathEscape(c.creds.CompanyID)
	ru := c.redactURL(&u)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &DiscoveryError{URL: ru, Reason: err.Error(), Err: err}
	}
	// Unauthenticated, plain JSON (S2/S13/S22). The clientId is sent anyway: it is not
	// secret and identifies the integration.
	req.Header.Set("Accept", "application/json")
	req.Header.Set("clientId", c.creds.ClientID)
	resp, err := c.transport.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &DiscoveryError{URL: ru, Reason: "no answer: " + c.redactErr(err).Error(), Err: c.redactErr(err)}
	}
	defer resp.Body.Close()
	body, err := httpx.ReadBody(resp.Body, 64<<10)
	if err != nil {
		return nil, &DiscoveryError{URL: ru, Status: resp.StatusCode, Reason: "reading the answer: " + err.Error(), Err: ErrNotConnectWise}
	}
	text := strings.TrimSpace(string(body))
	if strings.Contains(strings.ToLower(text), "cannot route") {
		return nil, &DiscoveryError{URL: ru, Status: resp.StatusCode, Reason: fmt.Sprintf("the server answered %q: check the company id %q", summarizeText(text), c.creds.CompanyID), Err: ErrCannotRoute}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &DiscoveryError{URL: ru, Status: resp.StatusCode, Reason: "unexpected answer: " + orEmpty(summarizeText(c.redactString(text))), Err: ErrNotConnectWise}
	}
	if text == "" || text == "null" {
		return nil, &DiscoveryError{URL: ru, Status: resp.StatusCode, Reason: fmt.Sprintf("company %q not found on %s: check the company id you type at the ConnectWise login", c.creds.CompanyID, c.origin.Host), Err: ErrCompanyNotFound}
	}
	var info CompanyInfo
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) || json.Unmarshal(body, &info) != nil {
		return nil, &DiscoveryError{URL: ru, Status: resp.StatusCode, Reason: "not a ConnectWise answer: " + orEmpty(summarizeText(c.redactString(text))), Err: ErrNotConnectWise}
	}
	cb := strings.Trim(info.Codebase, "/")
	if cb == "" {
		return nil, &DiscoveryError{URL: ru, Status: resp.StatusCode, Reason: fmt.Sprintf("company %q not found on %s (no codebase in the answer)", c.creds.CompanyID, c.origin.Host), Err: ErrCompanyNotFound}
	}
	if !codebaseRE.MatchString(cb) {
		return nil, &DiscoveryError{URL: ru, Status: resp.StatusCode, Reason: fmt.Sprintf("unusable codebase %q", info.Codebase), Err: ErrNotConnectWise}
	}
	return &info, nil
}

func orEmpty(s string) string {
	if s == "" {
		return "(empty body)"
	}
	return s
}

package connectwise

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Problem classifies what [Client.Verify] found wrong.
type Problem string

// Problems reported by [Client.Verify].
const (
	ProblemUnreachable    Problem = "unreachable"     // no answer from the host
	ProblemNotConnectWise Problem = "not-connectwise" // the host does not answer like ConnectWise
	ProblemUnknownCompany Problem = "unknown-company" // the company id is not known on this host
	ProblemBadKeys        Problem = "bad-keys"        // company id + keys refused
	ProblemClientID       Problem = "client-id"       // clientId missing or refused
	ProblemAPIVersion     Problem = "api-version"     // the pinned API version is refused
	ProblemPermissions    Problem = "permissions"     // the security role lacks permissions
)

// Permission is one security-role permission the sync needs, with the endpoint that
// proved it missing.
type Permission struct {
	// Role is where the permission sits in ConnectWise's security role screen
	// (names from SyncSmart's role matrix for a HubSpot sync, connectwise-api.md §2, S17).
	Role     string
	Endpoint string
}

// VerifyError is what [Client.Verify] reports, in words a user can act on.
type VerifyError struct {
	Problem Problem
	Message string
	// Missing lists the permissions the role lacks (ProblemPermissions).
	Missing []Permission
	Err     error
}

// Error describes the failure in one line.
func (e *VerifyError) Error() string { return "connectwise: verify: " + e.Message }

// Unwrap returns the underlying error.
func (e *VerifyError) Unwrap() error { return e.Err }

// probe is one endpoint the sync reads, with the role item that grants it.
type probe struct {
	path string
	role string
}

// syncProbes are the endpoints the sync uses; /count is the cheapest read of each.
var syncProbes = []probe{
	{"company/companies", "Companies > Company Maintenance (Inquire, Add, Edit)"},
	{"company/contacts", "Companies > Contacts (Inquire, Add, Edit)"},
	{"sales/opportunities", "Sales > Opportunity (Inquire, Add, Edit)"},
	{"company/communicationTypes", "System > Table Setup (Inquire)"},
	{"company/companies/statuses", "System > Table Setup (Inquire)"},
	{"sales/stages", "System > Table Setup (Inquire)"},
	{"sales/opportunities/statuses", "System > Table Setup (Inquire)"},
	{"system/members", "System > Member Maintenance (Inquire)"},
	{"system/userDefinedFields", "System > Table Setup: General / Custom Fields (Inquire)"},
}

// Verify checks the connection end to end and returns the server's system info. It
// tells apart, with a *VerifyError: a site that is not a ConnectWise host, an unknown
// company id, wrong keys, a missing or refused clientId, a refused API version, and a
// security role lacking permissions the sync needs (it probes every endpoint the sync
// reads and lists each missing permission). Verify costs about a dozen requests.
func (c *Client) Verify(ctx context.Context) (*SystemInfo, error) {
	host := c.origin.Host
	if _, err := c.Discover(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var de *DiscoveryError
		switch {
		case errors.Is(err, ErrCompanyNotFound), errors.Is(err, ErrCannotRoute):
			return nil, &VerifyError{Problem: ProblemUnknownCompany, Err: err,
				Message: fmt.Sprintf("company id %q is not known on %s: use the company name you type at the ConnectWise login screen", c.creds.CompanyID, host)}
		case errors.As(err, &de) && de.Status == 0:
			return nil, &VerifyError{Problem: ProblemUnreachable, Err: err,
				Message: fmt.Sprintf("%s did not answer: check the site name and your network (%v)", host, err)}
		case !c.codebasePinned:
			return nil, &VerifyError{Problem: ProblemNotConnectWise, Err: err,
				Message: fmt.Sprintf("%s does not answer like a ConnectWise server: type the host you log in at (na.myconnectwise.net, or your own server's host) without https:// or a path", host)}
		}
		// A pinned codebase on a host without companyinfo (some on-premises setups):
		// let the API calls decide.
	}
	info, _, err := c.System.Info(ctx)
	if err != nil {
		if ve := c.classify(ctx, err, "system/info"); ve != nil && ve.Problem != ProblemPermissions {
			return nil, ve
		}
		info = nil // some roles cannot read system/info (christaylorcodes#18); the probes decide
	}
	var missing []Permission
	for _, p := range syncProbes {
		_, _, err := count(ctx, c, p.path, nil)
		if err == nil {
			continue
		}
		ve := c.classify(ctx, err, p.path)
		if ve == nil {
			return nil, err
		}
		if ve.Problem != ProblemPermissions {
			return nil, ve
		}
		missing = append(missing, Permission{Role: p.role, Endpoint: p.path})
	}
	if len(missing) > 0 {
		var parts []string
		for _, m := range missing {
			parts = append(parts, m.Role+" for "+m.Endpoint)
		}
		return info, &VerifyError{Problem: ProblemPermissions, Missing: missing, Err: ErrForbidden,
			Message: "the API member's security role lacks: " + strings.Join(parts, "; ") + ". Grant these in System > Security Roles"}
	}
	return info, nil
}

// classify turns a call error into a VerifyError; nil when it is none of the known
// problems.
func (c *Client) classify(ctx context.Context, err error, path string) *VerifyError {
	host := c.origin.Host
	if ctx.Err() != nil {
		return &VerifyError{Problem: ProblemUnreachable, Message: "cancelled", Err: ctx.Err()}
	}
	var te *TransportError
	if errors.As(err, &te) {
		return &VerifyError{Problem: ProblemUnreachable, Err: err, Message: fmt.Sprintf("%s did not answer: check the site name and your network", host)}
	}
	var ae *APIError
	if !errors.As(err, &ae) {
		return nil
	}
	msg := strings.ToLower(ae.Message)
	mentionsClientID := strings.Contains(msg, "clientid") || strings.Contains(msg, "client id")
	switch {
	case errors.Is(err, ErrCannotRoute):
		return &VerifyError{Problem: ProblemUnknownCompany, Err: err,
			Message: fmt.Sprintf("ConnectWise cannot route company %q on %s: check the company id and the codebase", c.creds.CompanyID, host)}
	case !ae.JSON && strings.HasPrefix(ae.Message, "HTML page") && ae.StatusCode != http.StatusTooManyRequests:
		return &VerifyError{Problem: ProblemNotConnectWise, Err: err,
			Message: fmt.Sprintf("%s answered an HTML page instead of the API: for cloud tenants use the api- host (api-na.myconnectwise.net), not the web UI host", host)}
	case mentionsClientID:
		return &VerifyError{Problem: ProblemClientID, Err: err,
			Message: "ConnectWise refused the clientId: register one at https://developer.connectwise.com/ClientID (a Public clientId for multi-tenant integrations; a Private one only works on its owner's tenant)"}
	case ae.StatusCode == http.StatusUnauthorized:
		return &VerifyError{Problem: ProblemBadKeys, Err: err,
			Message: fmt.Sprintf("ConnectWise refused company id %q with these API keys: check the public and private key of the API member (System > Members > API Members)", c.creds.CompanyID)}
	case strings.Contains(msg, "api version"):
		hint := ""
		if cur := ae.Header.Get("api-current-version"); cur != "" {
			hint = " (the server runs " + cur + ")"
		}
		return &VerifyError{Problem: ProblemAPIVersion, Err: err,
			Message: fmt.Sprintf("the server refuses API version %s%s: set another with WithAPIVersion", c.apiVersion, hint)}
	case ae.StatusCode == http.StatusForbidden || errors.Is(err, ErrUnauthorized):
		return &VerifyError{Problem: ProblemPermissions, Err: err, Message: "no permission for " + path}
	}
	return nil
}

package connectwise

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/hubwise/hubwise/internal/httpx"
)

// DefaultCodebase is the codebase used when discovery is not possible: the stable
// alias every tenant answers to ("It is recommended to use v4_6_release",
// connectwise-api.md §1, S2).
const DefaultCodebase = "v4_6_release"

// DefaultAPIVersion is the API version pinned in the Accept header. 2025.16 is the
// version of the current published OpenAPI document (connectwise-api.md §2, S1/S15).
// Pinning a real version matters: "3.0.0" broke hosted tenants with "does not support
// the API version '0.0'" (connectwise-rest#35).
const DefaultAPIVersion = "2025.16"

// apiPath is the fixed part of every REST URL after the codebase (§1, S2/S12).
const apiPath = "apis/3.0"

// Credentials are the required inputs of [NewClient].
type Credentials struct {
	// CompanyID is the company name typed at the ConnectWise login screen.
	CompanyID string
	// Site is the host users reach ConnectWise at, as they type it
	// ("na.myconnectwise.net", "https://cw.example.com/"); see [NormalizeSite].
	// It may be empty when [WithBaseURL] is used.
	Site string
	// PublicKey and PrivateKey are the member's API keys.
	PublicKey  string
	PrivateKey string
	// ClientID is the integration's clientId GUID from
	// https://developer.connectwise.com/ClientID; required on every call since 2019.
	ClientID string
}

// String describes the credentials without the private key.
func (c Credentials) String() string {
	return fmt.Sprintf("connectwise.Credentials{CompanyID:%q, Site:%q, PublicKey:[REDACTED], PrivateKey:[REDACTED], ClientID:%q}",
		c.CompanyID, c.Site, c.ClientID)
}

// GoString is like String, so that %#v does not print the keys either.
func (c Credentials) GoString() string { return c.String() }

// LogValue keeps the keys out of structured logs.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("companyId", c.CompanyID), slog.String("site", c.Site), slog.String("clientId", c.ClientID))
}

// Client is a ConnectWise PSA (Manage) REST API client. It is safe for concurrent use.
// Create one with [NewClient].
type Client struct {
	creds      Credentials
	origin     *url.URL // scheme://host[:port] of the API
	uiHost     string   // the UI host users typed, when it differs from the API host
	apiVersion string
	authHeader string
	transport  *httpx.Client
	redactor   *httpx.Redactor
	logger     *slog.Logger
	cfg        *config

	codebaseMu     sync.Mutex
	codebase       string // without slashes; "" until resolved
	codebasePinned bool
	companyInfo    *CompanyInfo

	commTypesMu sync.Mutex
	commTypes   []CommunicationType

	// Companies manages company/companies.
	Companies *CompaniesService
	// Contacts manages company/contacts and their communication items.
	Contacts *ContactsService
	// Opportunities manages sales/opportunities and their forecast items.
	Opportunities *OpportunitiesService
	// Tickets manages service/tickets.
	Tickets *TicketsService
	// CatalogItems manages procurement/catalog (products).
	CatalogItems *CatalogItemsService
	// Callbacks manages system/callbacks (webhook registrations).
	Callbacks *CallbacksService
	// System reads system/info.
	System *SystemService
	// UserDefinedFields lists custom field definitions (system/userDefinedFields).
	UserDefinedFields *LookupService[UserDefinedField]
	// CompanyStatuses reads company/companies/statuses.
	CompanyStatuses *LookupService[CompanyStatus]
	// CompanyTypes reads company/companies/types.
	CompanyTypes *LookupService[CompanyType]
	// CommunicationTypes reads company/communicationTypes.
	CommunicationTypes *LookupService[CommunicationType]
	// ContactTypes reads company/contacts/types.
	ContactTypes *LookupService[ContactType]
	// SalesStages reads sales/stages.
	SalesStages *LookupService[SalesStage]
	// OpportunityStatuses reads sales/opportunities/statuses.
	OpportunityStatuses *LookupService[OpportunityStatus]
	// Members reads system/members.
	Members *LookupService[Member]
	// Boards reads service/boards.
	Boards *LookupService[Board]
	// TicketPriorities reads service/priorities.
	TicketPriorities *LookupService[Priority]
}

// NewClient returns a client for the tenant described by creds. It does no I/O: the
// codebase is discovered on the first call (or by [Client.Discover]), unless pinned
// with [WithCodebase].
//
// CompanyID, PublicKey, PrivateKey and ClientID are required, and Site unless
// [WithBaseURL] is given. A missing ClientID is an error here rather than a 401 later:
// ConnectWise has refused calls without it since August 2019 (connectwise-api.md §2).
func NewClient(creds Credentials, opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(cfg); err != nil {
			return nil, err
		}
	}
	var missing []string
	if strings.TrimSpace(creds.CompanyID) == "" {
		missing = append(missing, "CompanyID")
	}
	if creds.PublicKey == "" {
		missing = append(missing, "PublicKey")
	}
	if creds.PrivateKey == "" {
		missing = append(missing, "PrivateKey")
	}
	if strings.TrimSpace(creds.ClientID) == "" {
		missing = append(missing, "ClientID (register one at https://developer.connectwise.com/ClientID)")
	}
	if cfg.baseURL == nil && strings.TrimSpace(creds.Site) == "" {
		missing = append(missing, "Site")
	}
	if len(missing) > 0 {
		return nil, &ConfigError{Field: strings.Join(missing, ", "), Reason: "required"}
	}
	creds.CompanyID = strings.TrimSpace(creds.CompanyID)
	creds.ClientID = strings.TrimSpace(creds.ClientID)
	if strings.ContainsFunc(creds.ClientID+creds.PublicKey+creds.PrivateKey, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, &ConfigError{Field: "ClientID/PublicKey/PrivateKey", Reason: "contain control characters (a pasted line break?)"}
	}
	if strings.ContainsAny(creds.CompanyID, "/?#+:") {
		return nil, &ConfigError{Field: "CompanyID", Reason: "must be the company name typed at login, without '/', '?', '#', '+' or ':'"}
	}

	c := &Client{creds: creds, apiVersion: cfg.apiVersion, cfg: cfg}
	if cfg.baseURL != nil {
		u := *cfg.baseURL
		c.origin = &u
	} else {
		host, err := normalizeSite(creds.Site, cfg.hostAliases)
		if err != nil {
			return nil, err
		}
		c.origin = &url.URL{Scheme: "https", Host: host}
		if plain, err := normalizeSite(creds.Site, nil); err == nil && plain != host {
			c.uiHost = plain
		}
	}
	if cfg.codebase != "" {
		c.codebase, c.codebasePinned = cfg.codebase, true
	}
	basic := creds.CompanyID + "+" + creds.PublicKey + ":" + creds.PrivateKey
	c.authHeader = "Basic " + base64.StdEncoding.EncodeToString([]byte(basic))

	c.redactor = httpx.NewRedactor(c.secrets()...)
	c.transport = newTransport(cfg, c.redactor)
	c.logger = c.transport.Logger()
	c.initServices()
	return c, nil
}

// secrets lists every value that must never be logged or appear in an error.
func (c *Client) secrets() []string {
	s := []string{c.creds.PrivateKey, c.authHeader, strings.TrimPrefix(c.authHeader, "Basic ")}
	if len(c.creds.PublicKey) >= 8 {
		s = append(s, c.creds.PublicKey)
	}
	return s
}

func (c *Client) initServices() {
	c.Companies = newCompanies(c)
	c.Contacts = newContacts(c)
	c.Opportunities = newOpportunities(c)
	c.Tickets = newTickets(c)
	c.CatalogItems = newCatalogItems(c)
	c.Callbacks = newCallbacks(c)
	c.System = &SystemService{c: c}
	c.UserDefinedFields = newLookup[UserDefinedField](c, "system/userDefinedFields")
	c.CompanyStatuses = newLookup[CompanyStatus](c, "company/companies/statuses")
	c.CompanyTypes = newLookup[CompanyType](c, "company/companies/types")
	c.CommunicationTypes = newLookup[CommunicationType](c, "company/communicationTypes")
	c.ContactTypes = newLookup[ContactType](c, "company/contacts/types")
	c.SalesStages = newLookup[SalesStage](c, "sales/stages")
	c.OpportunityStatuses = newLookup[OpportunityStatus](c, "sales/opportunities/statuses")
	c.Members = newLookup[Member](c, "system/members")
	c.Boards = newLookup[Board](c, "service/boards")
	c.TicketPriorities = newLookup[Priority](c, "service/priorities")
}

// Host returns the API host (with port when one was given) the client talks to.
func (c *Client) Host() string { return c.origin.Host }

// APIVersion returns the version sent in the Accept header.
func (c *Client) APIVersion() string { return c.apiVersion }

// CompanyID returns the tenant's company id.
func (c *Client) CompanyID() string { return c.creds.CompanyID }

// Logger returns the client's logger (secrets redacted).
func (c *Client) Logger() *slog.Logger { return c.logger }

// acceptHeader is the versioned media type (connectwise-api.md §2).
func (c *Client) acceptHeader() string {
	return "application/vnd.connectwise.com+json; version=" + c.apiVersion
}

// apiURL returns the absolute URL of an API path like "company/companies/1".
func (c *Client) apiURL(ctx context.Context, path string, q url.Values) (*url.URL, error) {
	cb, err := c.resolveCodebase(ctx)
	if err != nil {
		return nil, err
	}
	u := *c.origin
	u.Path = "/" + cb + "/" + apiPath + "/" + strings.TrimPrefix(path, "/")
	if len(q) > 0 {
		u.RawQuery = encodeQuery(q)
	}
	return &u, nil
}

// encodeQuery encodes like url.Values.Encode but keeps '/' readable in condition
// paths (company/id) for logs; both forms are valid.
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "%2F", "/")
}

// newRequest builds an authenticated API request. body, when not nil, is sent as JSON.
func (c *Client) newRequest(ctx context.Context, method, path string, q url.Values, body any) (*http.Request, error) {
	u, err := c.apiURL(ctx, path, q)
	if err != nil {
		return nil, err
	}
	return c.newRequestURL(ctx, method, u, body)
}

func (c *Client) newRequestURL(ctx context.Context, method string, u *url.URL, body any) (*http.Request, error) {
	var rdr io.Reader
	var raw []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("connectwise: encode %s %s body: %w", method, u.Path, err)
		}
		raw = b
		rdr = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rdr)
	if err != nil {
		return nil, fmt.Errorf("connectwise: build request: %w", err)
	}
	if raw != nil {
		req.Header.Set("Content-Type", "application/json")
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil }
	}
	req.Header.Set("Authorization", c.authHeader)
	req.Header.Set("clientId", c.creds.ClientID)
	req.Header.Set("Accept", c.acceptHeader())
	return req, nil
}

// do sends req, turns a non-2xx answer into a typed error and decodes a 2xx JSON
// body into v (when v is not nil).
func (c *Client) do(req *http.Request, v any) (*Response, error) {
	resp, err := c.transport.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &TransportError{Method: req.Method, URL: c.redactURL(req.URL), Err: c.redactErr(err)}
	}
	defer resp.Body.Close()
	r := newResponse(resp)
	if err := c.checkResponse(req, resp); err != nil {
		return r, err
	}
	if v == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		return r, nil
	}
	br := bufio.NewReader(resp.Body)
	if first, _ := firstByte(br); first == '<' {
		// A 200 with an HTML page: the web UI host or a proxy, not the API
		// ("Unexpected token <", connectwise-rest#1).
		body, _ := httpx.ReadBody(br, httpx.MaxErrorBody)
		return r, &APIError{Method: req.Method, URL: c.redactURL(req.URL), StatusCode: resp.StatusCode, Header: resp.Header,
			Message: c.redactString(summarizeText(strings.TrimSpace(string(body)))) + " (expected JSON: is this the API host?)"}
	}
	dec := json.NewDecoder(br)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return r, nil
		}
		return r, fmt.Errorf("connectwise: decode %s %s: %w", req.Method, c.redactURL(req.URL), err)
	}
	return r, nil
}

// firstByte returns the first non-space byte without consuming it.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != ' ' && b != '\n' && b != '\r' && b != '\t' {
			return b, br.UnreadByte()
		}
	}
}

// call is newRequest followed by do.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, body, v any) (*Response, error) {
	req, err := c.newRequest(ctx, method, path, q, body)
	if err != nil {
		return nil, err
	}
	return c.do(req, v)
}

// Ptr returns a pointer to v, for optional request fields.
func Ptr[T any](v T) *T { return &v }

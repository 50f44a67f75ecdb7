package hubspot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hubwise/hubwise/internal/httpx"
)

// DefaultBaseURL is the HubSpot API host; it is the same for every data-hosting
// region (hubspot-api.md §0, doc: api-reference/2026-03/overview).
const DefaultBaseURL = "https://api.hubapi.com"

// Client is a HubSpot CRM API client. Create one with [NewClient]; it is safe for
// concurrent use by multiple goroutines.
type Client struct {
	cfg     *config
	baseURL *url.URL
	paths   paths
	hc      *httpx.Client
	auth    tokenSource
	logger  *slog.Logger
	limits  *limiters

	// Contacts manages contact records (object type 0-1).
	Contacts *ObjectsService
	// Companies manages company records (object type 0-2).
	Companies *ObjectsService
	// Deals manages deal records (object type 0-3).
	Deals *ObjectsService
	// Tickets manages ticket records (object type 0-5).
	Tickets *ObjectsService
	// Products manages product records.
	Products *ObjectsService
	// LineItems manages line item records.
	LineItems *ObjectsService

	// Properties manages property definitions and groups.
	Properties *PropertiesService
	// Associations manages associations between records.
	Associations *AssociationsService
	// Owners lists owners (the values of hubspot_owner_id).
	Owners *OwnersService
	// Pipelines lists pipelines and their stages.
	Pipelines *PipelinesService
	// Lists reads list memberships.
	Lists *ListsService
}

// NewClient returns a Client configured by opts. Without an authentication option
// (WithAccessToken, WithOAuth) requests are sent unauthenticated, which only makes
// sense against a fake server.
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(cfg); err != nil {
			return nil, err
		}
	}
	base, err := url.Parse(cfg.baseURL)
	if err != nil {
		return nil, fmt.Errorf("hubspot: base URL: %w", err)
	}
	base.Path = strings.TrimSuffix(base.Path, "/")
	c := &Client{
		cfg:     cfg,
		baseURL: base,
		paths:   paths{version: cfg.version},
		limits:  newLimiters(cfg),
	}
	c.hc = httpx.New(httpx.Config{
		HTTPClient: cfg.httpClient,
		Logger:     cfg.logger,
		Redactor:   cfg.redactor,
		UserAgent:  cfg.userAgent,
		Limiters:   c.limits.forRequest,
		Policy:     c.policy,
		RetryMax:   cfg.retryMax,
		BackoffMin: cfg.backoffMin,
		BackoffMax: cfg.backoffMax,
		MaxWait:    cfg.maxWait,
		Sleep:      cfg.sleep,
	})
	c.logger = c.hc.Logger()
	if cfg.oauth != nil {
		c.auth = newOAuthSource(c, cfg.oauth)
	} else if cfg.token != "" {
		c.auth = staticToken(cfg.token)
	}
	c.Contacts = c.Objects(ObjectContacts)
	c.Companies = c.Objects(ObjectCompanies)
	c.Deals = c.Objects(ObjectDeals)
	c.Tickets = c.Objects(ObjectTickets)
	c.Products = c.Objects(ObjectProducts)
	c.LineItems = c.Objects(ObjectLineItems)
	c.Properties = &PropertiesService{client: c}
	c.Associations = &AssociationsService{client: c}
	c.Owners = &OwnersService{client: c}
	c.Pipelines = &PipelinesService{client: c}
	c.Lists = &ListsService{client: c}
	return c, nil
}

// APIVersion reports the API version the client builds its paths for.
func (c *Client) APIVersion() APIVersion { return c.cfg.version }

// BaseURL returns a copy of the base URL requests are sent to.
func (c *Client) BaseURL() *url.URL {
	u := *c.baseURL
	return &u
}

// Objects returns the service for the object type objectType: a name such as
// "contacts", a type id such as "0-1", or a custom object type id such as "2-1234567".
func (c *Client) Objects(objectType string) *ObjectsService {
	return &ObjectsService{client: c, objectType: objectType}
}

// NewRequest builds a request for the API path p (e.g. "/crm/objects/2026-09/contacts",
// escaped, relative to the base URL), with query and a JSON body when body is not nil.
// With Do it reaches endpoints this package does not wrap, with the client's
// authentication, limits, retries and typed errors. Mark a POST or PATCH that can be
// repeated safely with a context from MarkIdempotent.
func (c *Client) NewRequest(ctx context.Context, method, p string, query url.Values, body any) (*http.Request, error) {
	u := *c.baseURL
	u.RawPath = c.baseURL.EscapedPath() + p
	unescaped, err := url.PathUnescape(u.RawPath)
	if err != nil {
		return nil, fmt.Errorf("hubspot: bad path %q: %w", p, err)
	}
	u.Path = unescaped
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("hubspot: encode request body: %w", err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// Logger returns the client's logger, which redacts every secret the client knows.
func (c *Client) Logger() *slog.Logger { return c.logger }

// Do sends req, checks the response and decodes a 2xx JSON body into v (when v is
// not nil). Non-2xx statuses become typed errors through CheckResponse. A 207 is
// decoded like a 200: batch methods inspect its errors themselves.
//
// With OAuth, a 401 EXPIRED_AUTHENTICATION answer (a token revoked or expired early,
// or a skewed clock) makes the client refresh the token and send the request once
// more; HubSpot warns that a 401 is not a reliable sign of expiry, so tokens are
// otherwise refreshed from expires_in.
func (c *Client) Do(req *http.Request, v any) (*Response, error) {
	tok, err := c.authorize(req)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(req, v)
	src, isOAuth := c.auth.(*oauthSource)
	var ae *APIError
	if !isOAuth || !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized || ae.Category != CategoryExpiredAuth {
		return resp, err
	}
	retry, rerr := replay(req)
	if rerr != nil {
		return resp, err
	}
	src.expire(tok)
	if _, aerr := c.authorize(retry); aerr != nil {
		return resp, aerr
	}
	c.logger.WarnContext(req.Context(), "hubspot: access token rejected as expired; refreshed and retrying once")
	return c.send(retry, v)
}

// authorize sets the bearer token on req and returns it.
func (c *Client) authorize(req *http.Request) (string, error) {
	if c.auth == nil {
		return "", nil
	}
	tok, err := c.auth.Token(req.Context())
	if err != nil {
		return "", err
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return tok, nil
}

// replay returns a copy of req with a fresh body.
func replay(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return nil, errors.New("request body cannot be replayed")
		}
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	return r, nil
}

// send performs one logical call (httpx retries included) and finishes it.
func (c *Client) send(req *http.Request, v any) (*Response, error) {
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, c.transportError(req, err)
	}
	return c.finish(req, resp, start, v)
}

// finish logs, checks and decodes a response; the body is closed on return.
func (c *Client) finish(req *http.Request, resp *http.Response, start time.Time, v any) (*Response, error) {
	defer resp.Body.Close()
	r := newResponse(resp)
	c.logger.LogAttrs(req.Context(), slog.LevelDebug, "hubspot: response",
		slog.String("method", req.Method), slog.String("url", c.redactURL(req.URL)),
		slog.Int("status", resp.StatusCode), slog.Duration("elapsed", time.Since(start)))
	if err := c.checkResponse(resp); err != nil {
		return r, err
	}
	if v == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
		return r, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil && err != io.EOF {
		return r, fmt.Errorf("hubspot: %s %s: decode response: %w", req.Method, c.redactURL(req.URL), err)
	}
	return r, nil
}

// maxDrain is how much of an unused body is read so the connection can be reused.
const maxDrain = 64 << 10

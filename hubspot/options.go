package hubspot

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Option configures a [Client]. Options validate their arguments; [NewClient]
// returns the first error.
type Option func(*config) error

// config collects what the options set; NewClient turns it into a Client.
type config struct {
	baseURL    string
	version    APIVersion
	httpClient doer
	logger     *slog.Logger
	token      string
	secrets    []string
	now        func() time.Time
	resetZone  *time.Location
}

// dailyResetZone is the zone whose midnight resets the daily limit.
func (cfg *config) dailyResetZone() *time.Location {
	if cfg.resetZone == nil {
		return time.UTC
	}
	return cfg.resetZone
}

func defaultConfig() *config {
	return &config{
		baseURL:    DefaultBaseURL,
		version:    DefaultAPIVersion,
		httpClient: &http.Client{Timeout: 60 * time.Second},
		logger:     slog.New(slog.DiscardHandler),
		now:        time.Now,
	}
}

// tokenSource picks the authentication the options asked for.
func (cfg *config) tokenSource(_ *Client) tokenSource {
	if cfg.token != "" {
		return staticToken(cfg.token)
	}
	return nil
}

// WithAccessToken authenticates every request with a static bearer token: a legacy
// private app access token (pat-na1-…) or a service key (hubspot-api.md §1). The
// token is redacted from logs and errors.
func WithAccessToken(token string) Option {
	return func(cfg *config) error {
		token = strings.TrimSpace(token)
		if token == "" {
			return errors.New("hubspot: WithAccessToken: empty token")
		}
		cfg.token = token
		cfg.secrets = append(cfg.secrets, token)
		return nil
	}
}

// WithBaseURL sends requests to rawURL instead of [DefaultBaseURL], for a fake
// server or a proxy. Paths are appended to its path.
func WithBaseURL(rawURL string) Option {
	return func(cfg *config) error {
		u, err := url.Parse(rawURL)
		if err != nil {
			return fmt.Errorf("hubspot: WithBaseURL: %w", err)
		}
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("hubspot: WithBaseURL: %q is not an absolute http(s) URL", rawURL)
		}
		cfg.baseURL = rawURL
		return nil
	}
}

// WithHTTPClient sends requests through hc. Its Transport is used under the
// client's retries and rate limiters; its Timeout bounds every attempt.
func WithHTTPClient(hc *http.Client) Option {
	return func(cfg *config) error {
		if hc == nil {
			return errors.New("hubspot: WithHTTPClient: nil client")
		}
		cfg.httpClient = hc
		return nil
	}
}

// WithLogger logs requests (Debug) and retry decisions (Warn) to l. Secrets are
// redacted from every record. The default logger discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(cfg *config) error {
		if l == nil {
			return errors.New("hubspot: WithLogger: nil logger")
		}
		cfg.logger = l
		return nil
	}
}

// WithAPIVersion selects the API version paths are built for: [Version202609] (the
// default), [Version202603], or [VersionLegacy] for the v3/v4 paths.
func WithAPIVersion(v APIVersion) Option {
	return func(cfg *config) error {
		if !v.valid() {
			return fmt.Errorf("hubspot: WithAPIVersion: unknown version %q", string(v))
		}
		cfg.version = v
		return nil
	}
}

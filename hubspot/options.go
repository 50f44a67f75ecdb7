package hubspot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hubwise/hubwise/internal/httpx"
)

// Option configures a [Client]. Options validate their arguments; [NewClient]
// returns the first error.
type Option func(*config) error

// config collects what the options set; NewClient turns it into a Client.
type config struct {
	baseURL    string
	version    APIVersion
	httpClient *http.Client
	logger     *slog.Logger
	redactor   *httpx.Redactor
	userAgent  string

	token string
	oauth *OAuthConfig

	retryMax               int
	backoffMin, backoffMax time.Duration
	maxWait                time.Duration
	sleep                  func(ctx context.Context, d time.Duration) error
	now                    func() time.Time

	budget      RateLimitBudget
	searchPerS  int
	noLimits    bool
	resetZone   *time.Location
	searchLimit SearchLimits
}

func defaultConfig() *config {
	return &config{
		baseURL:     DefaultBaseURL,
		version:     DefaultAPIVersion,
		redactor:    httpx.NewRedactor(),
		userAgent:   httpx.UserAgent("hubspot"),
		retryMax:    httpx.DefaultRetryMax,
		maxWait:     DefaultMaxWait,
		now:         time.Now,
		budget:      TierFreeStarter(),
		searchPerS:  SearchRequestsPerSecond,
		searchLimit: DefaultSearchLimits(),
	}
}

// dailyResetZone is the zone whose midnight resets the daily limit.
func (cfg *config) dailyResetZone() *time.Location {
	if cfg.resetZone == nil {
		return time.UTC
	}
	return cfg.resetZone
}

// DefaultMaxWait is the longest single wait before a retry. A 429 asking for more
// (a long Retry-After) is returned as a *RateLimitError instead of blocking.
const DefaultMaxWait = time.Minute

// WithAccessToken authenticates every request with a static bearer token: a legacy
// private app access token (pat-na1-…) or a service key (hubspot-api.md §1). The
// token is redacted from logs and errors.
func WithAccessToken(token string) Option {
	return func(cfg *config) error {
		token = strings.TrimSpace(token)
		if token == "" {
			return errors.New("hubspot: WithAccessToken: empty token")
		}
		if cfg.oauth != nil {
			return errors.New("hubspot: WithAccessToken: WithOAuth is already set")
		}
		cfg.token = token
		cfg.redactor.Add(token)
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
// client's retries and rate limiters; its Timeout bounds every attempt. hc itself
// is not modified.
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

// WithRetryMax sets how many times a request is retried after its first attempt
// (default 4). 0 disables retries.
func WithRetryMax(n int) Option {
	return func(cfg *config) error {
		if n < 0 {
			return fmt.Errorf("hubspot: WithRetryMax: negative count %d", n)
		}
		cfg.retryMax = n
		return nil
	}
}

// WithBackoff bounds the exponential backoff (with jitter) used after 5xx and
// transport errors. 429s wait what HubSpot's rate-limit window asks instead.
func WithBackoff(minWait, maxWait time.Duration) Option {
	return func(cfg *config) error {
		if minWait <= 0 || maxWait < minWait {
			return fmt.Errorf("hubspot: WithBackoff: need 0 < min <= max, got %s, %s", minWait, maxWait)
		}
		cfg.backoffMin, cfg.backoffMax = minWait, maxWait
		return nil
	}
}

// WithMaxWait caps a single wait before a retry (default [DefaultMaxWait]); a 429 or
// Retry-After asking for longer is returned as an error instead.
func WithMaxWait(d time.Duration) Option {
	return func(cfg *config) error {
		if d <= 0 {
			return fmt.Errorf("hubspot: WithMaxWait: need a positive duration, got %s", d)
		}
		cfg.maxWait = d
		return nil
	}
}

// WithSleep replaces the timer that waits between attempts, so tests can record
// waits instead of sleeping. sleep must return ctx.Err() when ctx is done.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(cfg *config) error {
		if sleep == nil {
			return errors.New("hubspot: WithSleep: nil func")
		}
		cfg.sleep = sleep
		return nil
	}
}

// WithClock replaces time.Now for token expiry and rate-limit reset times.
func WithClock(now func() time.Time) Option {
	return func(cfg *config) error {
		if now == nil {
			return errors.New("hubspot: WithClock: nil func")
		}
		cfg.now = now
		return nil
	}
}

// WithDailyResetZone sets the time zone whose midnight resets the daily limit. HubSpot
// resets it at midnight in the account's time-zone setting (hubspot-api.md §2, doc:
// usage-details), which the API does not report, so the default is UTC.
func WithDailyResetZone(loc *time.Location) Option {
	return func(cfg *config) error {
		if loc == nil {
			return errors.New("hubspot: WithDailyResetZone: nil location")
		}
		cfg.resetZone = loc
		return nil
	}
}

// WithUserAgent replaces the User-Agent header (default names hubwise and its version).
func WithUserAgent(ua string) Option {
	return func(cfg *config) error {
		if strings.TrimSpace(ua) == "" {
			return errors.New("hubspot: WithUserAgent: empty value")
		}
		cfg.userAgent = ua
		return nil
	}
}

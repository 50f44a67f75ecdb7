package connectwise

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// DefaultRateLimit and DefaultRateBurst are the default request budget: 5 requests a
// second with bursts of 10. ConnectWise publishes no numeric limit ("No documented
// hard rate limits", connectwise-api.md §8); cloud throttling happens at the
// Cloudflare edge and answers 429 with Retry-After. The default is deliberately
// conservative; raise it with [WithRateLimit] if your tenant allows more.
const (
	DefaultRateLimit rate.Limit = 5
	DefaultRateBurst int        = 10
)

// Option configures a [Client]. Options validate their input and return an error
// from [NewClient] when it is unusable.
type Option func(*config) error

type config struct {
	baseURL     *url.URL
	codebase    string
	apiVersion  string
	httpClient  *http.Client
	logger      *slog.Logger
	hostAliases map[string]string
	rateLimit   rate.Limit
	rateBurst   int
	retryMax    int
	backoffMin  time.Duration
	backoffMax  time.Duration
	maxWait     time.Duration
	sleep       func(context.Context, time.Duration) error
	userAgent   string
}

func defaultConfig() *config {
	return &config{
		apiVersion:  DefaultAPIVersion,
		hostAliases: DefaultHostAliases(),
		rateLimit:   DefaultRateLimit,
		rateBurst:   DefaultRateBurst,
		retryMax:    -1,
	}
}

// WithBaseURL sends every request to origin ("http://127.0.0.1:1234",
// "https://cw.example.com:8443") instead of the normalised Credentials.Site. Site
// normalisation is skipped; codebase discovery still runs against origin unless the
// codebase is pinned with [WithCodebase]. Meant for fakes and unusual on-premises
// setups. origin must be http or https with a host, and no credentials, path, query
// or fragment.
func WithBaseURL(origin string) Option {
	return func(c *config) error {
		u, err := url.Parse(strings.TrimSpace(origin))
		if err != nil {
			return &ConfigError{Field: "BaseURL", Reason: "not a URL: " + err.Error()}
		}
		switch {
		case u.Scheme != "http" && u.Scheme != "https":
			return &ConfigError{Field: "BaseURL", Reason: fmt.Sprintf("scheme must be http or https, got %q", u.Scheme)}
		case u.Host == "":
			return &ConfigError{Field: "BaseURL", Reason: "host missing"}
		case u.User != nil:
			return &ConfigError{Field: "BaseURL", Reason: "must not contain credentials"}
		case u.Path != "" && u.Path != "/":
			return &ConfigError{Field: "BaseURL", Reason: fmt.Sprintf("must be an origin without path, got path %q (pin the codebase with WithCodebase)", u.Path)}
		case u.RawQuery != "" || u.Fragment != "":
			return &ConfigError{Field: "BaseURL", Reason: "must not contain a query or fragment"}
		}
		c.baseURL = &url.URL{Scheme: u.Scheme, Host: strings.ToLower(u.Host)}
		return nil
	}
}

var codebaseRE = regexp.MustCompile(`^[A-Za-z0-9_.\-]{1,64}$`)

// WithCodebase pins the codebase path segment ("v4_6_release", "v2025_1") and turns
// codebase discovery off. Slashes around it are ignored (companyinfo returns it as
// "v2025_1/").
func WithCodebase(codebase string) Option {
	return func(c *config) error {
		cb := strings.Trim(strings.TrimSpace(codebase), "/")
		if !codebaseRE.MatchString(cb) {
			return &ConfigError{Field: "Codebase", Reason: fmt.Sprintf("%q is not a codebase like v4_6_release or v2025_1", codebase)}
		}
		c.codebase = cb
		return nil
	}
}

var apiVersionRE = regexp.MustCompile(`^20[0-9]{2}\.[0-9]{1,2}$`)

// WithAPIVersion sets the version pinned in the Accept header (default
// [DefaultAPIVersion]). It must look like "2025.16": the legacy "3.0.0" is refused by
// hosted tenants (connectwise-rest#35).
func WithAPIVersion(v string) Option {
	return func(c *config) error {
		v = strings.TrimPrefix(strings.TrimSpace(v), "v")
		if !apiVersionRE.MatchString(v) {
			return &ConfigError{Field: "APIVersion", Reason: fmt.Sprintf("%q is not a version like 2025.16", v)}
		}
		c.apiVersion = v
		return nil
	}
}

// WithHTTPClient sets the underlying HTTP client (its Transport and Timeout are used;
// retries and rate limiting are layered on top).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return &ConfigError{Field: "HTTPClient", Reason: "nil"}
		}
		c.httpClient = hc
		return nil
	}
}

// WithLogger sets the logger. Requests are logged at Debug and retries at Warn;
// keys and the Authorization value are always redacted. The default discards.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return &ConfigError{Field: "Logger", Reason: "nil"}
		}
		c.logger = l
		return nil
	}
}

// WithRateLimit sets the request budget: r requests a second with bursts of burst.
// Every attempt, retries included, waits for a token. rate.Inf disables the limit.
func WithRateLimit(r rate.Limit, burst int) Option {
	return func(c *config) error {
		if r <= 0 || (burst < 1 && r != rate.Inf) {
			return &ConfigError{Field: "RateLimit", Reason: fmt.Sprintf("need a positive rate and burst, got %v/%d", r, burst)}
		}
		c.rateLimit, c.rateBurst = r, burst
		return nil
	}
}

// WithRetry sets how many times a failed attempt is retried (0 disables retries) and
// the bounds of the exponential backoff used when the server gives no Retry-After.
func WithRetry(max int, backoffMin, backoffMax time.Duration) Option {
	return func(c *config) error {
		if max < 0 || backoffMin < 0 || backoffMax < backoffMin {
			return &ConfigError{Field: "Retry", Reason: "need max >= 0 and 0 <= backoffMin <= backoffMax"}
		}
		c.retryMax, c.backoffMin, c.backoffMax = max, backoffMin, backoffMax
		return nil
	}
}

// WithMaxRetryWait sets the longest single wait the client accepts before a retry
// (for example a Retry-After of an hour); a longer one returns the 429 as a
// *RateLimitError instead of sleeping.
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return &ConfigError{Field: "MaxRetryWait", Reason: "must be positive"}
		}
		c.maxWait = d
		return nil
	}
}

// WithSleep replaces the timer used between retries, for tests and simulated clocks.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) error {
		if sleep == nil {
			return &ConfigError{Field: "Sleep", Reason: "nil"}
		}
		c.sleep = sleep
		return nil
	}
}

// WithHostAlias maps a host users type to the API host the client should call, in
// addition to (or overriding) [DefaultHostAliases]. For example
// WithHostAlias("au.myconnectwise.net", "api-aus.myconnectwise.net") if your AU
// tenant answers on api-aus.
func WithHostAlias(typed, apiHost string) Option {
	return func(c *config) error {
		from, err := normalizeSite(typed, nil)
		if err != nil {
			return err
		}
		to, err := normalizeSite(apiHost, nil)
		if err != nil {
			return err
		}
		c.hostAliases[from] = to
		return nil
	}
}

// WithUserAgent appends product to the User-Agent header.
func WithUserAgent(product string) Option {
	return func(c *config) error {
		if strings.ContainsAny(product, "\r\n") {
			return &ConfigError{Field: "UserAgent", Reason: "must be one line"}
		}
		c.userAgent = strings.TrimSpace(product)
		return nil
	}
}

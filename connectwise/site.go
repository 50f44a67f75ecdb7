package connectwise

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// DefaultHostAliases returns the built-in map from hosts users type to API hosts
// (a new map on each call). Sources (connectwise-api.md §1):
//
//   - na/eu/au.myconnectwise.net are the cloud UI hosts; the API answers on the api-
//     hosts ("Unexpected token <" until switching to api-na, connectwise-rest#1; Nango
//     and integrators document api-na/api-eu/api-au, S15).
//   - AU is unsure: connectwise-rest's README says api-aus (S12). The default maps
//     au to api-au; override with [WithHostAlias] or use [WithBaseURL].
//   - staging.connectwisedev.com (SyncSmart's example, S17) maps to
//     api-staging.connectwisedev.com, the demo/staging API host listed by
//     connectwise-rest (S12). Unverified; override the same way.
//
// Hosts not in the map (api-* hosts, sandbox-* hosts, on-premises hosts) are used as
// typed.
func DefaultHostAliases() map[string]string {
	return map[string]string{
		"na.myconnectwise.net":       "api-na.myconnectwise.net",
		"eu.myconnectwise.net":       "api-eu.myconnectwise.net",
		"au.myconnectwise.net":       "api-au.myconnectwise.net",
		"staging.connectwisedev.com": "api-staging.connectwisedev.com",
	}
}

// NormalizeSite turns what a user types as their ConnectWise site into the API host
// the client calls, using [DefaultHostAliases]:
//
//	na.myconnectwise.net          -> api-na.myconnectwise.net
//	https://www.example.com/      -> example.com
//	API-EU.myconnectwise.net      -> api-eu.myconnectwise.net
//	cw.example.com:8443           -> cw.example.com:8443
//
// The scheme (https only), a leading "www.", a trailing slash and a trailing dot are
// stripped and the host is lower-cased; a port is kept only when given. Anything that
// is not a plain host is rejected with a *SiteError (wrapping [ErrInvalidSite]):
// credentials, paths, queries, fragments, spaces, http:// (use [WithBaseURL] for plain
// HTTP) and invalid host names or ports.
func NormalizeSite(site string) (string, error) {
	return normalizeSite(site, DefaultHostAliases())
}

func normalizeSite(site string, aliases map[string]string) (string, error) {
	in := strings.TrimSpace(site)
	bad := func(reason string, args ...any) (string, error) {
		return "", &SiteError{Input: site, Reason: fmt.Sprintf(reason, args...)}
	}
	if in == "" {
		return bad("empty")
	}
	if strings.ContainsAny(in, " \t\r\n\\") {
		return bad("contains spaces or backslashes; type only the host, like na.myconnectwise.net")
	}
	rest := in
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme := strings.ToLower(rest[:i])
		switch scheme {
		case "https":
		case "http":
			return bad("http:// is not accepted for a site (keys would travel in clear text); type the host, or use WithBaseURL for a plain-HTTP test server")
		default:
			return bad("unsupported scheme %q", scheme)
		}
		rest = rest[i+3:]
	}
	if strings.ContainsAny(rest, "@") {
		return bad("must not contain credentials (user@host); keys go in Credentials")
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		return bad("must not contain a query or fragment (%q)", rest[i:])
	}
	hostport := rest
	if i := strings.Index(rest, "/"); i >= 0 {
		hostport = rest[:i]
		if p := strings.TrimRight(rest[i:], "/"); p != "" {
			return bad("must not contain a path (%q); type only the host, and pin a codebase with WithCodebase if needed", p)
		}
	}
	host, port := hostport, ""
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		host, port = h, p
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("invalid port %q", p)
		}
	} else if strings.Contains(hostport, ":") && !strings.HasPrefix(hostport, "[") {
		return bad("invalid port in %q", hostport)
	}
	// Reject anything url.Parse would treat differently from us.
	u, err := url.Parse("https://" + hostport + "/")
	if err != nil || u.Host != hostport || u.User != nil {
		return bad("not a valid host")
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil {
		if ip.To4() == nil {
			host = "[" + ip.String() + "]"
		}
	} else {
		host = strings.TrimPrefix(host, "www.")
		if err := checkHostname(host); err != "" {
			return bad("%s", err)
		}
		if to, ok := aliases[host]; ok {
			host = to
		}
	}
	if port != "" {
		return host + ":" + port, nil
	}
	return host, nil
}

// checkHostname validates a DNS name (RFC 1123 labels); it returns a reason or "".
func checkHostname(h string) string {
	if h == "" {
		return "host missing"
	}
	if len(h) > 253 {
		return "host name too long"
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 {
			return fmt.Sprintf("invalid host name %q", h)
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Sprintf("invalid host name %q", h)
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return fmt.Sprintf("invalid character %q in host name %q", r, h)
			}
		}
	}
	return ""
}

// uiHostFor returns the UI host matching an API host (api-na -> na), used to accept
// callback key URLs on either form. It returns "" when there is none.
func uiHostFor(apiHost string, aliases map[string]string) string {
	for from, to := range aliases {
		if to == apiHost {
			return from
		}
	}
	return ""
}

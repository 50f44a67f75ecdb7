package hubspot

import "context"

// tokenSource yields the bearer token for a request.
type tokenSource interface {
	Token(ctx context.Context) (string, error)
}

// staticToken is a legacy private app token or a service key: it does not expire
// (hubspot-api.md §1).
type staticToken string

func (t staticToken) Token(context.Context) (string, error) { return string(t), nil }

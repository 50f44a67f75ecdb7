package hubspottest

import (
	"fmt"

	"github.com/hubwise/hubwise/hubspot"
)

// Client returns a real [hubspot.Client] pointed at the fake and authenticated
// with [Server.Token]. opts are applied after those two, so they can override
// them (e.g. [hubspot.WithAPIVersion], [hubspot.WithoutRateLimit] for fast bulk
// tests, [hubspot.WithLogger]). It panics if an option is invalid, which is a
// programming error in a test.
func (s *Server) Client(opts ...hubspot.Option) *hubspot.Client {
	all := append([]hubspot.Option{hubspot.WithBaseURL(s.URL()), hubspot.WithAccessToken(s.Token())}, opts...)
	c, err := hubspot.NewClient(all...)
	if err != nil {
		panic(fmt.Sprintf("hubspottest: Client: %v", err))
	}
	return c
}

package connectwisetest

import (
	"fmt"

	"github.com/hubwise/hubwise/connectwise"
)

// Client returns a real connectwise client for the fake: its credentials,
// connectwise.WithBaseURL(s.URL()), then opts (which may override both).
// Codebase discovery runs against the fake's companyinfo. It panics if the
// client cannot be built, which only a bad option can cause.
func (s *Server) Client(opts ...connectwise.Option) *connectwise.Client {
	cr := s.Credentials()
	all := append([]connectwise.Option{connectwise.WithBaseURL(s.URL())}, opts...)
	c, err := connectwise.NewClient(connectwise.Credentials{
		CompanyID: cr.CompanyID, PublicKey: cr.PublicKey, PrivateKey: cr.PrivateKey, ClientID: cr.ClientID,
	}, all...)
	if err != nil {
		panic(fmt.Sprintf("connectwisetest: Client: %v", err))
	}
	return c
}

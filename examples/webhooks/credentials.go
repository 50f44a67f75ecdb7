package main

import (
	"fmt"
	"strings"

	"github.com/hubwise/hubwise/connectwise"
	"github.com/hubwise/hubwise/hubspot"
)

// credentials are the accounts the environment names. They are never
// printed; errors name variables, not values.
type credentials struct {
	vals map[string]string
}

// GoString keeps the secrets out of %#v.
func (c credentials) GoString() string { return "credentials{redacted}" }

// String keeps the secrets out of %v.
func (c credentials) String() string { return "credentials{redacted}" }

var credentialVars = []string{"HUBSPOT_ACCESS_TOKEN", "HUBSPOT_CLIENT_SECRET", "HUBSPOT_APP_ID", "CONNECTWISE_SITE",
	"CONNECTWISE_COMPANY_ID", "CONNECTWISE_PUBLIC_KEY", "CONNECTWISE_PRIVATE_KEY", "CONNECTWISE_CLIENT_ID", "PUBLIC_URL"}

// credentialsFrom reads the credentials. None set means the fakes; all set
// means real accounts; some set is an error naming the missing ones.
func credentialsFrom(env func(string) (string, bool)) (credentials, bool, error) {
	c := credentials{vals: map[string]string{}}
	var missing []string
	for _, k := range credentialVars {
		v, _ := env(k)
		v = strings.TrimSpace(v)
		if v == "" {
			missing = append(missing, k)
		}
		c.vals[k] = v
	}
	if len(missing) == len(credentialVars) {
		return credentials{}, false, nil
	}
	if len(missing) > 0 {
		return credentials{}, false, fmt.Errorf("real accounts need every credential variable; missing: %s", strings.Join(missing, ", "))
	}
	member, _ := env("CONNECTWISE_MEMBER")
	c.vals["CONNECTWISE_MEMBER"] = strings.TrimSpace(member)
	return c, true, nil
}

// accounts builds the clients of the real accounts.
func (c credentials) accounts() (accounts, error) {
	v := c.vals
	if !strings.HasPrefix(v["PUBLIC_URL"], "https://") {
		return accounts{}, fmt.Errorf("PUBLIC_URL must be an https:// origin (HubSpot and ConnectWise call it)")
	}
	hsc, err := hubspot.NewClient(hubspot.WithAccessToken(v["HUBSPOT_ACCESS_TOKEN"]))
	if err != nil {
		return accounts{}, fmt.Errorf("HubSpot client: %w", err)
	}
	cwc, err := connectwise.NewClient(connectwise.Credentials{CompanyID: v["CONNECTWISE_COMPANY_ID"], Site: v["CONNECTWISE_SITE"],
		PublicKey: v["CONNECTWISE_PUBLIC_KEY"], PrivateKey: v["CONNECTWISE_PRIVATE_KEY"], ClientID: v["CONNECTWISE_CLIENT_ID"]})
	if err != nil {
		return accounts{}, fmt.Errorf("ConnectWise client: %w", err)
	}
	return accounts{hsc: hsc, cwc: cwc, clientSecret: v["HUBSPOT_CLIENT_SECRET"], appID: v["HUBSPOT_APP_ID"],
		member: v["CONNECTWISE_MEMBER"], publicURL: strings.TrimSuffix(v["PUBLIC_URL"], "/")}, nil
}

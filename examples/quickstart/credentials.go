package main

import (
	"fmt"
	"strings"
)

// credentials are the accounts the environment names. They are never
// printed; errors name variables, not values.
type credentials struct {
	hubspotToken   string
	hubspotBaseURL string
	cwSite         string
	cwCompanyID    string
	cwPublicKey    string
	cwPrivateKey   string
	cwClientID     string
	cwBaseURL      string
}

// GoString keeps the secrets out of %#v.
func (c credentials) GoString() string { return "credentials{redacted}" }

// String keeps the secrets out of %v.
func (c credentials) String() string { return "credentials{redacted}" }

var credentialVars = []string{"HUBSPOT_ACCESS_TOKEN", "CONNECTWISE_SITE", "CONNECTWISE_COMPANY_ID",
	"CONNECTWISE_PUBLIC_KEY", "CONNECTWISE_PRIVATE_KEY", "CONNECTWISE_CLIENT_ID"}

// credentialsFrom reads the credentials. None set means the fakes; all set
// means real accounts; some set is an error naming the missing ones.
func credentialsFrom(env func(string) (string, bool)) (credentials, bool, error) {
	vals := map[string]string{}
	var missing []string
	for _, k := range credentialVars {
		v, _ := env(k)
		v = strings.TrimSpace(v)
		if v == "" {
			missing = append(missing, k)
		}
		vals[k] = v
	}
	if len(missing) == len(credentialVars) {
		return credentials{}, false, nil
	}
	if len(missing) > 0 {
		return credentials{}, false, fmt.Errorf("real accounts need every credential variable; missing: %s", strings.Join(missing, ", "))
	}
	hsURL, _ := env("HUBSPOT_BASE_URL")
	cwURL, _ := env("CONNECTWISE_BASE_URL")
	return credentials{hubspotToken: vals["HUBSPOT_ACCESS_TOKEN"], hubspotBaseURL: hsURL,
		cwSite: vals["CONNECTWISE_SITE"], cwCompanyID: vals["CONNECTWISE_COMPANY_ID"],
		cwPublicKey: vals["CONNECTWISE_PUBLIC_KEY"], cwPrivateKey: vals["CONNECTWISE_PRIVATE_KEY"],
		cwClientID: vals["CONNECTWISE_CLIENT_ID"], cwBaseURL: cwURL}, true, nil
}

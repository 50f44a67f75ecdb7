package connectwise

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeSite(t *testing.T) {
	ok := []struct{ in, want string }{
		{"na.myconnectwise.net", "api-na.myconnectwise.net"},
		{"eu.myconnectwise.net", "api-eu.myconnectwise.net"},
		{"au.myconnectwise.net", "api-au.myconnectwise.net"},
		{"https://na.myconnectwise.net/", "api-na.myconnectwise.net"},
		{"  NA.MyConnectWise.net  ", "api-na.myconnectwise.net"},
		{"api-eu.myconnectwise.net", "api-eu.myconnectwise.net"},
		{"https://api-na.myconnectwise.net", "api-na.myconnectwise.net"},
		{"sandbox-na.myconnectwise.net", "sandbox-na.myconnectwise.net"},
		{"https://www.example.com/", "example.com"},
		{"www.example.com", "example.com"},
		{"cw.example.com", "cw.example.com"},
		{"cw.example.com.", "cw.example.com"},
		{"cw.example.com:8443", "cw.example.com:8443"},
		{"https://cw.example.com:8443/", "cw.example.com:8443"},
		{"staging.connectwisedev.com", "api-staging.connectwisedev.com"},
		{"10.0.0.5", "10.0.0.5"},
		{"10.0.0.5:8080", "10.0.0.5:8080"},
		{"[::1]:8443", "[::1]:8443"},
	}
	for _, tc := range ok {
		t.Run(tc.in, func(t *testing.T) {
			got, err := NormalizeSite(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	bad := []struct{ in, why string }{
		{"", "empty"},
		{"   ", "empty"},
		{"user:pass@na.myconnectwise.net", "credentials"},
		{"https://user@cw.example.com", "credentials"},
		{"na.myconnectwise.net/v4_6_release/apis/3.0", "path"},
		{"https://cw.example.com/login", "path"},
		{"cw.example.com?company=acme", "query"},
		{"cw.example.com#x", "fragment"},
		{"cw example.com", "spaces"},
		{"http://cw.example.com", "http://"},
		{"ftp://cw.example.com", "scheme"},
		{"cw.example.com:0", "port"},
		{"cw.example.com:99999", "port"},
		{"cw.example.com:abc", "port"},
		{"-bad.example.com", "host name"},
		{"cw_example.com", "character"},
		{`cw.example.com\evil`, "backslashes"},
	}
	for _, tc := range bad {
		t.Run("reject/"+tc.in, func(t *testing.T) {
			_, err := NormalizeSite(tc.in)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalidSite))
			var se *SiteError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.in, se.Input)
			assert.Contains(t, err.Error(), tc.why)
		})
	}
}

func TestHostAliasOverride(t *testing.T) {
	c, err := NewClient(Credentials{CompanyID: "acme", Site: "au.myconnectwise.net", PublicKey: "p", PrivateKey: "k", ClientID: "id"},
		WithHostAlias("au.myconnectwise.net", "api-aus.myconnectwise.net"))
	require.NoError(t, err)
	assert.Equal(t, "api-aus.myconnectwise.net", c.Host())
}

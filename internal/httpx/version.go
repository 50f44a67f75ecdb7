package httpx

import (
	"fmt"
	"runtime"
)

// Version is the hubwise release this code belongs to. It appears in the User-Agent.
const Version = "0.1.0"

// UserAgent returns the User-Agent header value for one component of hubwise,
// for example "hubwise/0.1.0 (hubspot; +https://github.com/hubwise/hubwise) go1.26.8".
func UserAgent(component string) string {
	return fmt.Sprintf("hubwise/%s (%s; +https://github.com/hubwise/hubwise) %s", Version, component, runtime.Version())
}

// Command fakeserver serves hubwise's API fakes on local ports, so tools written
// in other languages can run against them without accounts.
//
//	go run ./examples/fakeserver -hubspot-addr 127.0.0.1:8081 -token pat-na1-dev -seed seed.json
//
// The HubSpot fake (package hubspot/hubspottest) serves the date-based and legacy
// CRM paths with the real shapes, limits and error bodies. The seed file is JSON:
//
//	{
//	  "properties": {"companies": [{"name": "cw_company_id", "label": "ConnectWise ID",
//	                 "type": "string", "fieldType": "text", "hasUniqueValue": true}]},
//	  "records":    {"companies": [{"name": "Acme", "cw_company_id": "19"}],
//	                 "contacts":  [{"email": "ada@example.com", "firstname": "Ada"}]}
//	}
//
// The process prints one line per fake ("hubspot http://127.0.0.1:8081 token=…") and
// runs until interrupted.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/hubwise/hubwise/connectwise/connectwisetest"
	"github.com/hubwise/hubwise/hubspot/hubspottest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fakeserver:", err)
		os.Exit(1)
	}
}

// seedFile is the -seed format: property definitions first, then records, per
// object type (a name such as "contacts" or an id such as "0-1").
type seedFile struct {
	Properties map[string][]hubspottest.Property `json:"properties"`
	Records    map[string][]map[string]string    `json:"records"`
}

// run parses args, starts the fakes and blocks until ctx ends.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("fakeserver", flag.ContinueOnError)
	fs.SetOutput(out)
	hsAddr := fs.String("hubspot-addr", "127.0.0.1:8081", "address of the HubSpot fake")
	token := fs.String("token", "", "bearer token the HubSpot fake accepts (default: random, printed)")
	seed := fs.String("seed", "", "JSON seed file for the HubSpot fake")
	clientID := fs.String("client-id", "", "OAuth client id of the HubSpot fake")
	clientSecret := fs.String("client-secret", "", "OAuth client secret (also signs webhooks)")
	enforce := fs.Bool("enforce-limits", false, "answer 429s like HubSpot when a rate-limit window is exhausted")
	cwAddr := fs.String("connectwise-addr", "", "address of the ConnectWise fake, e.g. 127.0.0.1:8082 (empty: not started)")
	cwOpts := connectwisetest.Options{}
	fs.StringVar(&cwOpts.CompanyID, "connectwise-company", "", "company ID the ConnectWise fake accepts (default hubwise)")
	fs.StringVar(&cwOpts.PublicKey, "connectwise-public-key", "", "public key the ConnectWise fake accepts")
	fs.StringVar(&cwOpts.PrivateKey, "connectwise-private-key", "", "private key the ConnectWise fake accepts")
	fs.StringVar(&cwOpts.ClientID, "connectwise-client-id", "", "clientId the ConnectWise fake accepts")
	if err := fs.Parse(args); err != nil {
		return err
	}

	// ---- HubSpot -------------------------------------------------------------
	hs, err := hubspottest.Start(hubspottest.Options{
		Addr:       *hsAddr,
		Token:      *token,
		OAuth:      hubspottest.OAuthOptions{ClientID: *clientID, ClientSecret: *clientSecret},
		RateLimits: hubspottest.RateLimits{Enforce: *enforce},
	})
	if err != nil {
		return fmt.Errorf("hubspot fake: %w", err)
	}
	defer func() { _ = hs.Close() }()
	if *seed != "" {
		n, err := seedHubSpot(hs, *seed)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "hubspot seeded %d records from %s\n", n, *seed)
	}
	fmt.Fprintf(out, "hubspot %s token=%s client_id=%s\n", hs.URL(), hs.Token(), hs.ClientID())

	// ---- ConnectWise -----------------------------------------------------------
	// The ConnectWise PSA fake (connectwise/connectwisetest): companyinfo, the API
	// under /{codebase}/apis/3.0 and /v4_6_release/apis/3.0, callbacks and key URLs.
	// Started with -connectwise-addr, so runs without it bind no extra port.
	if *cwAddr != "" {
		cw, err := connectwisetest.Listen(*cwAddr, cwOpts)
		if err != nil {
			return fmt.Errorf("connectwise fake: %w", err)
		}
		defer cw.Close()
		cr := cw.Credentials()
		fmt.Fprintf(out, "connectwise %s company=%s public_key=%s private_key=%s client_id=%s\n",
			cw.URL(), cr.CompanyID, cr.PublicKey, cr.PrivateKey, cr.ClientID)
	}

	select {
	case <-ctx.Done():
	case err := <-hs.Done():
		if err != nil {
			return fmt.Errorf("hubspot fake: %w", err)
		}
		return errors.New("hubspot fake stopped")
	}
	return nil
}

// seedHubSpot loads a seed file into the fake and returns how many records it created.
func seedHubSpot(s *hubspottest.Server, path string) (int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("seed: %w", err)
	}
	var f seedFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, fmt.Errorf("seed %s: %w", path, err)
	}
	for _, typ := range sortedKeys(f.Properties) {
		for _, p := range f.Properties[typ] {
			if err := s.CreateProperty(typ, p); err != nil {
				return 0, fmt.Errorf("seed %s: %w", path, err)
			}
		}
	}
	n := 0
	for _, typ := range sortedKeys(f.Records) {
		for i, rec := range f.Records[typ] {
			if _, err := s.CreateRecord(typ, rec); err != nil {
				return n, fmt.Errorf("seed %s: %s[%d]: %w", path, typ, i, err)
			}
			n++
		}
	}
	return n, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

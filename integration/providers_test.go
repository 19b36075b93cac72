package integration

import (
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/alidns/alidnsfake"
	"github.com/ddns-go/ddns/publish/aliesa/aliesafake"
	"github.com/ddns-go/ddns/publish/cloudflare/cloudflarefake"
	"github.com/ddns-go/ddns/publish/cloudns/cloudnsfake"
	"github.com/ddns-go/ddns/publish/desec/desecfake"
	"github.com/ddns-go/ddns/publish/dnscom/dnscomfake"
	"github.com/ddns-go/ddns/publish/dnspod/dnspodfake"
	"github.com/ddns-go/ddns/publish/duckdns/duckdnsfake"
	"github.com/ddns-go/ddns/publish/dyndns2/dyndns2fake"
	"github.com/ddns-go/ddns/publish/edgeone/edgeonefake"
	"github.com/ddns-go/ddns/publish/he/hefake"
	"github.com/ddns-go/ddns/publish/hetzner/hetznerfake"
	"github.com/ddns-go/ddns/publish/huaweidns/huaweidnsfake"
	"github.com/ddns-go/ddns/publish/namesilo/namesilofake"
	"github.com/ddns-go/ddns/publish/noip/noipfake"
	"github.com/ddns-go/ddns/publish/publishtest"
	"github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
	"github.com/ddns-go/ddns/publish/west/westfake"
)

// services are the providers' fakes, as the provider test kit sees them.
var services = []func() publishtest.Service{
	alidnsfake.Service,
	aliesafake.Service,
	cloudflarefake.Service,
	cloudnsfake.Service,
	dnscomfake.Service,
	desecfake.Service,
	dnspodfake.Service,
	duckdnsfake.Service,
	func() publishtest.Service { return dyndns2fake.Service("dyndns2", dyndns2fake.Options{}) },
	edgeonefake.Service,
	hefake.Service,
	hetznerfake.Service,
	huaweidnsfake.Service,
	namesilofake.Service,
	noipfake.Service,
	tencentcloudfake.Service,
	westfake.Service,
}

// variant is a row of TestProviders: a service, and what sets it apart
// from the plain run of its provider.
type variant struct {
	name    string
	service func() publishtest.Service
	args    []string                                  // more flags for every run
	setup   func(s *publishtest.Service)              // prepares the account instead of s.Add(s.Name())
	check   func(t *testing.T, s publishtest.Service) // after the first run
}

// variants are the ways of a provider that the plain rows do not take.
var variants = []variant{
	{name: "cloudflare global key", service: cloudflarefake.GlobalKeyService},
	{name: "dnspod_com", service: dnspodfake.IntlService},
	{name: "edgeone acceleration", service: edgeonefake.AccelerationService},
	{name: "namesilo reissuing record ids", service: namesilofake.Service,
		setup: func(s *publishtest.Service) {
			s.Fake.(*namesilofake.Fake).ReissueIDs = true // each change answers a new id, which the next one uses
			s.Add(s.Name())
		}},
	{name: "dyndns2 custom path and extras",
		service: func() publishtest.Service {
			return dyndns2fake.Service("dyndns2", dyndns2fake.Options{Path: "/v3/update"})
		},
		args: []string{"--extra.wildcard", "NOCHG"},
		check: func(t *testing.T, s publishtest.Service) {
			want := "/v3/update?hostname=home.example.com&myip=192.0.2.10&wildcard=NOCHG"
			if r := s.Fake.(*dyndns2fake.Fake).Requests(); len(r) != 1 || r[0].URI != want {
				t.Errorf("requests %+v, want one of %s", r, want)
			}
		}},
	{name: "west with several zones", service: westfake.Service,
		setup: func(s *publishtest.Service) {
			// The name is in the second zone West's client tries: its search
			// costs a 404 (example.org) the first time only.
			s.Host = "a.b.example.org"
			s.AddZone("example.com")
			s.AddZone("b.example.org")
		},
		check: func(t *testing.T, s publishtest.Service) {
			if got := s.Fake.(*westfake.Fake).Calls("dnsrec.update"); got != 2 {
				t.Errorf("first run: %d updates, want 2 (a 404 for example.org, then b.example.org)", got)
			}
		}},
}

// TestProviders runs the binary against each provider's fake, and against
// the variants: a first run creates the record, an identical run is
// answered by the state file (no request), each of two address changes
// costs what the API needs with the ids the state file remembers (one
// request where it updates by id), and a bad token fails after one
// request with one error line that shows no token.
func TestProviders(t *testing.T) {
	rows := slices.Clone(variants)
	for _, newService := range services {
		rows = append(rows, variant{service: newService})
	}
	for _, row := range rows {
		s := row.service()
		if row.name == "" {
			row.name = s.Provider
		}
		t.Run(row.name, func(t *testing.T) {
			if s.Close != nil {
				defer s.Close()
			}
			srv := httptest.NewServer(s.Fake)
			defer srv.Close()
			dir := t.TempDir()
			run := func(addr, token, cache string) (string, int) {
				t.Helper()
				args := []string{"--dns", s.Provider, "--token", token, "--endpoint", srv.URL + s.Path,
					"--ipv4", s.Name(), "--index4", "shell:echo " + addr,
					"--index6", "false", "--cache", filepath.Join(dir, cache)}
				args = append(args, row.args...)
				if s.ID != "" {
					args = append(args, "--id", s.ID)
				}
				_, stderr, code := ddns(t, dir, nil, args...)
				return stderr, code
			}
			step := func(what, addr, token, cache string, wantCode, wantCalls int) string {
				t.Helper()
				s.Reset()
				stderr, code := run(addr, token, cache)
				if code != wantCode {
					t.Fatalf("%s: exit %d, want %d\n%s", what, code, wantCode, stderr)
				}
				if got := s.Calls(); wantCalls >= 0 && got != wantCalls {
					t.Errorf("%s: %d requests, want %d", what, got, wantCalls)
				}
				if wantCode == 0 {
					if got := s.Values(s.Name(), "A"); len(got) != 1 || got[0] != addr {
						t.Fatalf("%s: the record holds %q, want %s", what, got, addr)
					}
				}
				return stderr
			}
			if row.setup != nil {
				row.setup(&s)
			} else {
				s.Add(s.Name())
			}

			step("first run", "192.0.2.10", s.Token, "state.cache", 0, -1)
			if row.check != nil {
				row.check(t, s)
			}
			step("same address", "192.0.2.10", s.Token, "state.cache", 0, 0)
			step("new address", "192.0.2.11", s.Token, "state.cache", 0, s.ChangeCalls)
			step("another address", "192.0.2.12", s.Token, "state.cache", 0, s.ChangeCalls)
			stderr := step("bad token", "192.0.2.13", s.BadToken, "other.cache", 1, 1)

			var errLines int
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if strings.Contains(l, "ERROR") {
					errLines++
				}
			}
			if errLines != 1 {
				t.Errorf("bad token: %d error lines, want 1:\n%s", errLines, stderr)
			}
			if strings.Contains(stderr, s.BadToken) || strings.Contains(stderr, s.Token) {
				t.Errorf("stderr shows a token:\n%s", stderr)
			}
		})
	}
}

package integration

import (
	"net/http/httptest"
	"path/filepath"
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

// TestProviders runs the binary against each provider's fake: a first run
// creates the record, an identical run is answered by the state file (no
// request), an address change costs what the API needs with the ids the
// state file remembers (one request where it updates by id), and a bad
// token fails after one request with one error line that shows no token.
func TestProviders(t *testing.T) {
	for _, newService := range services {
		s := newService()
		t.Run(s.Provider, func(t *testing.T) {
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
			s.Add(s.Name())

			step("first run", "192.0.2.10", s.Token, "state.cache", 0, -1)
			step("same address", "192.0.2.10", s.Token, "state.cache", 0, 0)
			step("new address", "192.0.2.11", s.Token, "state.cache", 0, s.ChangeCalls)
			stderr := step("bad token", "192.0.2.12", s.BadToken, "other.cache", 1, 1)

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

package integration

import (
	"maps"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	cf "github.com/ddns-go/ddns/publish/cloudflare/cloudflarefake"
)

// TestCloudflare runs the binary against the Cloudflare fake, with an API
// token and with e-mail + Global API Key: a first run creates the record,
// an identical run is answered by the state file, an address change is one
// PATCH by the remembered id, and a bad token fails with one error line
// that does not show the token.
func TestCloudflare(t *testing.T) {
	const (
		token    = "Int3gration_Cloudflare-Token-0123456789a"
		badToken = "Int3gration_Cloudflare-Token-WRONG-67890"
		email    = "ops@example.com"
		key      = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2"
		badKey   = "ffffffffffffffffffffffffffffffffffff0"
	)
	for _, tc := range []struct {
		name      string
		id        []string // --id flag, if any
		good, bad string
		wantError string
	}{
		{"api token", nil, token, badToken, "9109 Invalid access token"},
		{"global key", []string{"--id", email}, key, badKey, "9103 Unknown X-Auth-Key or X-Auth-Email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cf.New(cf.Credentials{Token: token, Email: email, Key: key})
			f.AddZone("example.com")
			srv := httptest.NewServer(f)
			defer srv.Close()
			dir := t.TempDir()
			run := func(addr, secret, cache string) (string, int) {
				t.Helper()
				args := append([]string{"--dns", "cloudflare"}, tc.id...)
				args = append(args, "--token", secret, "--endpoint", srv.URL,
					"--ipv4", "home.example.com", "--index4", "shell:echo "+addr,
					"--index6", "false", "--cache", filepath.Join(dir, cache))
				_, stderr, code := ddns(t, dir, nil, args...)
				return stderr, code
			}
			calls := func(want map[string]int) {
				t.Helper()
				if got := f.CallCounts(); !maps.Equal(got, want) {
					t.Errorf("calls %v, want %v (%q)", got, want, f.Log())
				}
				f.ResetCalls()
			}
			holds := func(addr string) {
				t.Helper()
				if got := f.Records("home.example.com", "A"); len(got) != 1 || got[0].Content != addr {
					t.Fatalf("records: %+v, want one holding %s", got, addr)
				}
			}

			// First run: zone lookups (home.example.com, then example.com),
			// list, create.
			if stderr, code := run("192.0.2.10", tc.good, "state.cache"); code != 0 {
				t.Fatalf("first run: exit %d\n%s", code, stderr)
			}
			holds("192.0.2.10")
			calls(map[string]int{cf.KindZones: 2, cf.KindList: 1, cf.KindCreate: 1})

			// Same address: the state file answers, no HTTP call.
			if stderr, code := run("192.0.2.10", tc.good, "state.cache"); code != 0 {
				t.Fatalf("second run: exit %d\n%s", code, stderr)
			}
			calls(map[string]int{})

			// New address: one PATCH by the remembered zone and record ids.
			if stderr, code := run("192.0.2.11", tc.good, "state.cache"); code != 0 {
				t.Fatalf("third run: exit %d\n%s", code, stderr)
			}
			holds("192.0.2.11")
			calls(map[string]int{cf.KindEdit: 1})

			// Bad secret, fresh state file: exit 1, one error line, one call.
			stderr, code := run("192.0.2.12", tc.bad, "other.cache")
			if code != 1 {
				t.Fatalf("bad secret: exit %d, want 1\n%s", code, stderr)
			}
			var errLines []string
			for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
				if strings.Contains(l, "ERROR") {
					errLines = append(errLines, l)
				}
			}
			if len(errLines) != 1 || !strings.Contains(errLines[0], "cloudflare: ") || !strings.Contains(errLines[0], tc.wantError) {
				t.Errorf("want one error line with %q, got:\n%s", tc.wantError, stderr)
			}
			for _, secret := range []string{token, badToken, key, badKey} {
				if strings.Contains(stderr, secret) {
					t.Errorf("stderr shows a secret:\n%s", stderr)
				}
			}
			calls(map[string]int{cf.KindZones: 1})
			holds("192.0.2.11")
		})
	}
}

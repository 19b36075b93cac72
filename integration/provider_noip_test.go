package integration

import (
	"encoding/base64"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/noip/noipfake"
)

// TestNoip runs the binary against the No-IP fake: every publish is one
// authenticated GET /nic/update, an identical run is answered by the state
// file, a bad password fails with one error line that shows no secret, and
// a host the account does not have says records cannot be created.
func TestNoip(t *testing.T) {
	const (
		user  = "ddnskey-integration"
		token = "integration-noip-key-5c4b3a"
	)
	f := noipfake.New()
	f.AddUser(user, token)
	f.AddHost("home.example.com", user)
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(host, addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "noip", "--id", user, "--token", token,
			"--endpoint", srv.URL, "--ipv4", host, "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache))
		return stderr, code
	}
	calls := func(want int) {
		t.Helper()
		if got := f.Calls(); got != want {
			t.Errorf("%d calls, want %d", got, want)
		}
		f.ResetCounts()
	}

	// First run: one update.
	if stderr, code := run("home.example.com", "192.0.2.10", token, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	if got := f.Addr("home.example.com", "A"); got != "192.0.2.10" {
		t.Fatalf("after the first run the fake holds %q", got)
	}
	if ua := f.Requests()[0].Header.Get("User-Agent"); !strings.Contains(ua, "ddns") {
		t.Errorf("User-Agent %q, want one naming ddns (No-IP blocks anonymous clients)", ua)
	}
	calls(1)

	// Same address: the state file answers, no HTTP call (No-IP counts
	// repeated nochg answers as abuse).
	if stderr, code := run("home.example.com", "192.0.2.10", token, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	calls(0)

	// New address: one update.
	if stderr, code := run("home.example.com", "192.0.2.11", token, "state.cache"); code != 0 {
		t.Fatalf("third run: exit %d\n%s", code, stderr)
	}
	if got := f.Addr("home.example.com", "A"); got != "192.0.2.11" {
		t.Fatalf("after the change the fake holds %q", got)
	}
	calls(1)

	// Bad password, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-noip-key-9a8b7c"
	stderr, code := run("home.example.com", "192.0.2.12", bad, "bad.cache")
	if code != 1 {
		t.Fatalf("bad token: exit %d, want 1\n%s", code, stderr)
	}
	if l := dyndns2ErrorLines(stderr); len(l) != 1 || !strings.Contains(l[0], "badauth") {
		t.Errorf("want one error line about badauth, got:\n%s", stderr)
	}
	dyndns2NoSecrets(t, stderr, bad, token, base64.StdEncoding.EncodeToString([]byte(user+":"+bad)))
	calls(1)

	// A host the account does not have: it cannot be created from here.
	stderr, code = run("new.example.com", "192.0.2.10", token, "new.cache")
	if code != 1 {
		t.Fatalf("unknown host: exit %d, want 1\n%s", code, stderr)
	}
	if l := dyndns2ErrorLines(stderr); len(l) != 1 || !strings.Contains(l[0], "cannot create records") {
		t.Errorf("want one error line saying records cannot be created, got:\n%s", stderr)
	}
	calls(1)
}

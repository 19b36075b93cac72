package integration

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/he/hefake"
)

// TestHe runs the binary against the HE.net fake: every publish is one
// /nic/update, an identical run is answered by the state file, a bad key
// fails with one error line that does not show the key, and a host HE.net
// does not have says the record must be created in the panel.
func TestHe(t *testing.T) {
	const token = "integration-he-ddns-key-5c4b3a"
	f := hefake.New()
	f.AddHost("home.example.com", token)
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	// HE.net takes no id: none is passed.
	run := func(host, addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "he", "--token", token,
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
	errorLines := func(stderr string) []string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
			if strings.Contains(l, "ERROR") {
				out = append(out, l)
			}
		}
		return out
	}

	// First run: one update.
	if stderr, code := run("home.example.com", "192.0.2.10", token, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	if got := f.Addr("home.example.com", "A"); got != "192.0.2.10" {
		t.Fatalf("after the first run the fake holds %q", got)
	}
	calls(1)

	// Same address: the state file answers, no HTTP call.
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

	// Bad key, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-he-ddns-key-9a8b7c"
	stderr, code := run("home.example.com", "192.0.2.12", bad, "bad.cache")
	if code != 1 {
		t.Fatalf("bad token: exit %d, want 1\n%s", code, stderr)
	}
	if l := errorLines(stderr); len(l) != 1 || !strings.Contains(l[0], "badauth") {
		t.Errorf("want one error line about badauth, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, token) {
		t.Errorf("stderr shows a token:\n%s", stderr)
	}
	calls(1)

	// A host HE.net does not have: it cannot be created from here.
	stderr, code = run("new.example.com", "192.0.2.10", token, "new.cache")
	if code != 1 {
		t.Fatalf("unknown host: exit %d, want 1\n%s", code, stderr)
	}
	if l := errorLines(stderr); len(l) != 1 || !strings.Contains(l[0], "cannot create records") {
		t.Errorf("want one error line saying records cannot be created, got:\n%s", stderr)
	}
	calls(1)
}

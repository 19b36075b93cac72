package integration

import (
	"maps"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/west/westfake"
)

// TestWest runs the binary against the West.cn fake: the first run of a
// multi-level name searches for its zone (404 for example.org, then
// b.example.org), an identical run is answered by the state file, an
// address change is one dnsrec.update in the remembered zone, and a bad key
// fails with one error line that does not show the key, after one request.
func TestWest(t *testing.T) {
	const user, apikey = "myuser", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	f := westfake.New(user, apikey)
	f.AddZone("example.com", "")
	f.AddZone("b.example.org", "")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(host, addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "west", "--id", user, "--token", token,
			"--endpoint", srv.URL, "--ipv4", host, "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache))
		return stderr, code
	}
	calls := func(want int) {
		t.Helper()
		wantCounts := map[string]int{}
		if want > 0 {
			wantCounts["dnsrec.update"] = want
		}
		if got := f.CallCounts(); !maps.Equal(got, wantCounts) {
			t.Errorf("calls %v, want %v", got, wantCounts)
		}
		f.Reset()
	}
	holds := func(zone, host, addr string) {
		t.Helper()
		if got := f.Records(zone, host, "A"); len(got) != 1 || got[0].Value != addr {
			t.Fatalf("%s %s holds %+v, want %s", zone, host, got, addr)
		}
	}

	// First run: one dnsrec.update creates the record.
	if stderr, code := run("home.example.com", "192.0.2.10", apikey, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	holds("example.com", "home", "192.0.2.10")
	calls(1)

	// Same address: the state file answers, no HTTP call.
	if stderr, code := run("home.example.com", "192.0.2.10", apikey, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	calls(0)

	// New address: one update.
	if stderr, code := run("home.example.com", "192.0.2.11", apikey, "state.cache"); code != 0 {
		t.Fatalf("third run: exit %d\n%s", code, stderr)
	}
	holds("example.com", "home", "192.0.2.11")
	calls(1)

	// A name in a sub-zone: the search costs a 404 the first time only.
	if stderr, code := run("a.b.example.org", "192.0.2.10", apikey, "sub.cache"); code != 0 {
		t.Fatalf("sub-zone first run: exit %d\n%s", code, stderr)
	}
	holds("b.example.org", "a", "192.0.2.10")
	calls(2)
	if stderr, code := run("a.b.example.org", "192.0.2.11", apikey, "sub.cache"); code != 0 {
		t.Fatalf("sub-zone change: exit %d\n%s", code, stderr)
	}
	holds("b.example.org", "a", "192.0.2.11")
	calls(1)

	// Bad key, fresh state file: exit 1, one error line, one call.
	const bad = "ffffffffffffffffffffffffffffffff"
	stderr, code := run("home.example.com", "192.0.2.12", bad, "bad.cache")
	if code != 1 {
		t.Fatalf("bad token: exit %d, want 1\n%s", code, stderr)
	}
	var errLines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.Contains(l, "ERROR") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 1 || !strings.Contains(errLines[0], "API code 401") {
		t.Errorf("want one error line about the key, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, apikey) {
		t.Errorf("stderr shows a token:\n%s", stderr)
	}
	calls(1)
}

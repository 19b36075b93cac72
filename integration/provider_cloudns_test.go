package integration

import (
	"maps"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/cloudns/cloudnsfake"
)

// TestCloudns runs the binary against the ClouDNS fake: a first run finds
// the zone with get-zone-info and creates the record, an identical run is
// answered by the state file, an address change is one mod-record, and a
// bad password fails with one error line that does not show it.
func TestCloudns(t *testing.T) {
	const id, token = "4242", "integration-cloudns-password-1f2e3d"
	f := cloudnsfake.New(id, token)
	f.AddZone("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "cloudns", "--id", id, "--token", token,
			"--endpoint", srv.URL, "--ipv4", "home.example.com", "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache))
		return stderr, code
	}
	calls := func(want map[string]int) {
		t.Helper()
		if got := f.CallCounts(); !maps.Equal(got, want) {
			t.Errorf("calls %v, want %v", got, want)
		}
		f.Reset()
	}

	// First run: zone lookups (home.example.com, then example.com), list,
	// create.
	if stderr, code := run("192.0.2.10", token, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	if got := f.Records("example.com", "home", "A"); len(got) != 1 || got[0].Value != "192.0.2.10" || got[0].TTL != 60 {
		t.Fatalf("records after the first run: %+v", got)
	}
	calls(map[string]int{"get-zone-info": 2, "records": 1, "add-record": 1})

	// Same address: the state file answers, no HTTP call.
	if stderr, code := run("192.0.2.10", token, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	calls(map[string]int{})

	// New address: one update by the remembered id.
	if stderr, code := run("192.0.2.11", token, "state.cache"); code != 0 {
		t.Fatalf("third run: exit %d\n%s", code, stderr)
	}
	if got := f.Records("example.com", "home", "A"); len(got) != 1 || got[0].Value != "192.0.2.11" {
		t.Fatalf("records after the change: %+v", got)
	}
	calls(map[string]int{"mod-record": 1})

	// Bad password, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-cloudns-password-9a8b7c"
	stderr, code := run("192.0.2.12", bad, "other.cache")
	if code != 1 {
		t.Fatalf("bad token: exit %d, want 1\n%s", code, stderr)
	}
	var errLines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.Contains(l, "ERROR") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 1 || !strings.Contains(errLines[0], "Invalid authentication") {
		t.Errorf("want one error line about the authentication, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, token) {
		t.Errorf("stderr shows a token:\n%s", stderr)
	}
	calls(map[string]int{"get-zone-info": 1})
}

package integration

import (
	"maps"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/namesilo/namesilofake"
)

// TestNamesilo runs the binary against the NameSilo fake: a first run
// creates the record, an identical run is answered by the state file, an
// address change is one dnsUpdateRecord (twice, with NameSilo issuing a
// new record id each time), and a bad key fails with one error line that
// does not show the key.
func TestNamesilo(t *testing.T) {
	const key = "integration-namesilo-key-5e6f7a"
	f := namesilofake.New(key)
	f.ReissueIDs = true
	f.AddDomain("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(addr, key, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "namesilo", "--token", key,
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
	holds := func(addr string) {
		t.Helper()
		if got := f.Records("example.com", "home", "A"); len(got) != 1 || got[0].Value != addr {
			t.Fatalf("records: %+v, want one holding %s", got, addr)
		}
	}

	// First run: zone lookups (home.example.com, then example.com), list,
	// create.
	if stderr, code := run("192.0.2.10", key, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.10")
	calls(map[string]int{"getDomainInfo": 2, "dnsListRecords": 1, "dnsAddRecord": 1})

	// Same address: the state file answers, no HTTP call.
	if stderr, code := run("192.0.2.10", key, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	calls(map[string]int{})

	// New address: one update by the remembered id; NameSilo answers with
	// a new id, which the next change uses: one call again.
	for _, addr := range []string{"192.0.2.11", "192.0.2.12"} {
		if stderr, code := run(addr, key, "state.cache"); code != 0 {
			t.Fatalf("run with %s: exit %d\n%s", addr, code, stderr)
		}
		holds(addr)
		calls(map[string]int{"dnsUpdateRecord": 1})
	}

	// Bad key, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-namesilo-key-9a8b7c"
	stderr, code := run("192.0.2.13", bad, "other.cache")
	if code != 1 {
		t.Fatalf("bad key: exit %d, want 1\n%s", code, stderr)
	}
	var errLines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.Contains(l, "ERROR") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 1 || !strings.Contains(errLines[0], "Invalid API Key") {
		t.Errorf("want one error line about the key, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, key) {
		t.Errorf("stderr shows a key:\n%s", stderr)
	}
	calls(map[string]int{"getDomainInfo": 1})
}

package integration

import (
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/aliesa/aliesafake"
)

// TestAliesa runs the binary against the Alibaba Cloud ESA fake, which
// checks every ACS3 signature: the first run finds the site (longest
// candidate first), lists and creates; an identical run is answered by
// the state file; a new address is one update by the remembered record
// id; a bad secret fails with one error line that does not show it.
func TestAliesa(t *testing.T) {
	const (
		id     = "LTAI5tIntegrationEsa"
		secret = "integration-aliesa-secret-9c8b7a"
	)
	f := aliesafake.New(id, secret)
	f.AddSite("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(addr, secret, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "aliesa", "--id", id, "--token", secret,
			"--endpoint", srv.URL, "--ipv4", "home.example.com", "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache))
		return stderr, code
	}
	calls := func(want ...string) {
		t.Helper()
		if got := f.Actions(); !reflect.DeepEqual(got, want) {
			t.Errorf("calls %v, want %v", got, want)
		}
		f.ResetCalls()
	}
	holds := func(addr string) {
		t.Helper()
		if recs := f.Find("home.example.com"); len(recs) != 1 || recs[0].Value != addr {
			t.Fatalf("the fake holds %+v, want one record with %s", recs, addr)
		}
	}

	// First run: two site lookups (home.example.com, example.com), list, create.
	if stderr, code := run("192.0.2.10", secret, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.10")
	calls("ListSites", "ListSites", "ListRecords", "CreateRecord")

	// Same address: the state file answers, no HTTP call.
	if stderr, code := run("192.0.2.10", secret, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	calls()

	// New address: one update by the remembered record id.
	if stderr, code := run("192.0.2.11", secret, "state.cache"); code != 0 {
		t.Fatalf("third run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.11")
	calls("UpdateRecord")

	// Bad secret, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-aliesa-secret-1a2b3c"
	stderr, code := run("192.0.2.12", bad, "bad.cache")
	if code != 1 {
		t.Fatalf("bad token: exit %d, want 1\n%s", code, stderr)
	}
	var errorLines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.Contains(l, "ERROR") {
			errorLines = append(errorLines, l)
		}
	}
	if len(errorLines) != 1 || !strings.Contains(errorLines[0], "SignatureDoesNotMatch") {
		t.Errorf("want one error line about SignatureDoesNotMatch, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, secret) {
		t.Errorf("stderr shows a secret:\n%s", stderr)
	}
	calls("ListSites")
	holds("192.0.2.11")
}

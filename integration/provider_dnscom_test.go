package integration

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/dnscom/dnscomfake"
)

// TestDnscom runs the binary against the 51dns fake: a first run creates
// the record, an identical run is answered by the state file, an address
// change is one record/modify, and a bad secret fails with one error line
// that does not show it.
func TestDnscom(t *testing.T) {
	const key, secret = "integrationApiKey", "integration-dnscom-secret-5c4b3a"
	f := dnscomfake.New(key, secret)
	defer f.Close()
	f.AddZone("example.com")
	dir := t.TempDir()
	run := func(addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "dnscom", "--id", key, "--token", token,
			"--endpoint", f.URL, "--ipv4", "home.example.com", "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache))
		return stderr, code
	}
	type calls struct{ getsingle, list, create, modify, all int }
	check := func(want calls) {
		t.Helper()
		got := calls{f.Calls("domain/getsingle"), f.Calls("record/list"), f.Calls("record/create"), f.Calls("record/modify"), f.Calls("")}
		if got != want {
			t.Errorf("calls %+v, want %+v", got, want)
		}
		f.ResetCalls()
	}
	holds := func(value string) {
		t.Helper()
		rs := f.Records("example.com")
		if len(rs) != 1 || rs[0].Host != "home" || rs[0].Type != "A" || rs[0].Value != value {
			t.Fatalf("records %+v, want home A %s", rs, value)
		}
	}

	// First run: zone lookups (home.example.com, then example.com), list,
	// create.
	if stderr, code := run("192.0.2.10", secret, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.10")
	check(calls{getsingle: 2, list: 1, create: 1, all: 4})

	// Same address: the state file answers, no HTTP call.
	if stderr, code := run("192.0.2.10", secret, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	check(calls{})

	// New address: one record/modify by the remembered ids.
	if stderr, code := run("192.0.2.11", secret, "state.cache"); code != 0 {
		t.Fatalf("third run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.11")
	check(calls{modify: 1, all: 1})

	// Bad secret, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-dnscom-secret-7e6d5c"
	stderr, code := run("192.0.2.12", bad, "other.cache")
	if code != 1 {
		t.Fatalf("bad secret: exit %d, want 1\n%s", code, stderr)
	}
	var errLines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.Contains(l, "ERROR") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 1 || !strings.Contains(errLines[0], "dnscom: domain/getsingle: API error 2") {
		t.Errorf("want one error line with the API's refusal, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, secret) {
		t.Errorf("stderr shows a secret:\n%s", stderr)
	}
	check(calls{getsingle: 1, all: 1})
	holds("192.0.2.11")
}

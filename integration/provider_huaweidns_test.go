package integration

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	fake "github.com/ddns-go/ddns/publish/huaweidns/huaweidnsfake"
)

// TestHuaweidns runs the binary against the Huawei Cloud DNS fake, which
// verifies every SDK-HMAC-SHA256 signature: a first run creates the
// record, an identical run is answered by the state file, an address
// change is one update by the remembered ids, and a bad secret key fails
// with one error line that does not show it.
func TestHuaweidns(t *testing.T) {
	const ak, sk = "HWAKINTEGRATION", "integration-huawei-secret-9f8e7d"
	f := fake.New(ak, sk)
	f.AddZone("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "huaweidns", "--id", ak, "--token", token,
			"--endpoint", srv.URL, "--ipv4", "home.example.com", "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache))
		return stderr, code
	}
	type calls struct{ zones, list, create, update, all int }
	check := func(want calls) {
		t.Helper()
		got := calls{f.Calls(fake.Zones), f.Calls(fake.List), f.Calls(fake.Create), f.Calls(fake.Update), f.Total()}
		if got != want {
			t.Errorf("calls %+v, want %+v", got, want)
		}
		f.ResetCalls()
	}
	holds := func(value string) {
		t.Helper()
		rs := f.RecordSets()
		if len(rs) != 1 || rs[0].Name != "home.example.com." || rs[0].Type != "A" || len(rs[0].Records) != 1 || rs[0].Records[0] != value {
			t.Fatalf("record sets %+v, want home.example.com. A %s", rs, value)
		}
	}

	// First run: zone lookups (home.example.com., then example.com.), list,
	// create.
	if stderr, code := run("192.0.2.10", sk, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.10")
	check(calls{zones: 2, list: 1, create: 1, all: 4})

	// Same address: the state file answers, no HTTP call.
	if stderr, code := run("192.0.2.10", sk, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	check(calls{})

	// New address: one PUT by the remembered zone and record set ids.
	if stderr, code := run("192.0.2.11", sk, "state.cache"); code != 0 {
		t.Fatalf("third run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.11")
	check(calls{update: 1, all: 1})

	// Bad secret key, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-huawei-secret-1a2b3c4d"
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
	if len(errLines) != 1 || !strings.Contains(errLines[0], "huaweidns: find zone home.example.com: HTTP 401 Unauthorized: APIGW.0301") {
		t.Errorf("want one error line with the gateway's refusal, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, "Signature=") {
		t.Errorf("stderr shows the secret key or a signature:\n%s", stderr)
	}
	holds("192.0.2.11")
	check(calls{zones: 1, all: 1})
}

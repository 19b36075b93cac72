package integration

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	tcfake "github.com/ddns-go/ddns/publish/tencentcloud/tencentcloudfake"
)

// TestTencentcloud runs the binary against the DNSPod API 3.0 fake, which
// verifies every TC3-HMAC-SHA256 signature: a first run creates the
// record, an identical run is answered by the state file, an address
// change is one ModifyRecord by the remembered ids, and a bad SecretKey
// fails with one error line that does not show it.
func TestTencentcloud(t *testing.T) {
	const id, key = "AKIDintegrationTencentCloud0123", "integration-tencent-secret-9f8e7d"
	f := tcfake.New(id, key)
	f.AddDomain("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "tencentcloud", "--id", id, "--token", token,
			"--endpoint", srv.URL, "--ipv4", "home.example.com", "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache))
		return stderr, code
	}
	type calls struct{ domain, list, create, modify, all int }
	check := func(want calls) {
		t.Helper()
		got := calls{f.Calls("DescribeDomain"), f.Calls("DescribeRecordList"), f.Calls("CreateRecord"), f.Calls("ModifyRecord"), f.Total()}
		if got != want {
			t.Errorf("calls %+v, want %+v (%v)", got, want, f.Actions())
		}
		f.ResetCalls()
	}
	holds := func(value string) {
		t.Helper()
		recs := f.Records()
		if len(recs) != 1 || recs[0].Name != "home" || recs[0].Type != "A" || recs[0].Value != value || recs[0].Line != "默认" {
			t.Fatalf("records %+v, want home A %s on 默认", recs, value)
		}
	}

	// First run: domain lookups (home.example.com, then example.com),
	// list, create.
	if stderr, code := run("192.0.2.10", key, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.10")
	check(calls{domain: 2, list: 1, create: 1, all: 4})

	// Same address: the state file answers, no HTTP call.
	if stderr, code := run("192.0.2.10", key, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	check(calls{})

	// New address: one ModifyRecord by the remembered domain and record ids.
	if stderr, code := run("192.0.2.11", key, "state.cache"); code != 0 {
		t.Fatalf("third run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.11")
	check(calls{modify: 1, all: 1})

	// Bad SecretKey, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-tencent-secret-1a2b3c4d5e6f"
	stderr, code := run("192.0.2.12", bad, "other.cache")
	if code != 1 {
		t.Fatalf("bad key: exit %d, want 1\n%s", code, stderr)
	}
	var errLines []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.Contains(l, "ERROR") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 1 || !strings.Contains(errLines[0], "tencentcloud: DescribeDomain: AuthFailure.SignatureFailure") {
		t.Errorf("want one error line with the gateway's refusal, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, "Signature=") {
		t.Errorf("stderr shows the secret key or a signature:\n%s", stderr)
	}
	holds("192.0.2.11")
	check(calls{domain: 1, all: 1})
}

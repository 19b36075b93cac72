package integration

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	eofake "github.com/ddns-go/ddns/publish/edgeone/edgeonefake"
)

// TestEdgeoneDNS runs the binary as edgeone_dns against the EdgeOne fake,
// which verifies every TC3-HMAC-SHA256 signature: a first run creates the
// DNS record, an identical run is answered by the state file, an address
// change is one ModifyDnsRecords by the remembered ids, and a bad
// SecretKey fails with one error line that does not show it.
func TestEdgeoneDNS(t *testing.T) {
	const id, key = "AKIDintegrationEdgeOne0123456789", "integration-edgeone-secret-7c6b5a"
	f := eofake.New(id, key)
	f.AddZone("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "edgeone_dns", "--id", id, "--token", token,
			"--endpoint", srv.URL, "--ipv4", "home.example.com", "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache))
		return stderr, code
	}
	type calls struct{ zones, list, create, modify, all int }
	check := func(want calls) {
		t.Helper()
		got := calls{f.Calls("DescribeZones"), f.Calls("DescribeDnsRecords"), f.Calls("CreateDnsRecord"), f.Calls("ModifyDnsRecords"), f.Total()}
		if got != want {
			t.Errorf("calls %+v, want %+v (%v)", got, want, f.Actions())
		}
		f.ResetCalls()
	}
	holds := func(value string) {
		t.Helper()
		recs := f.DNSRecords()
		if len(recs) != 1 || recs[0].Name != "home.example.com" || recs[0].Type != "A" || recs[0].Content != value {
			t.Fatalf("records %+v, want home.example.com A %s", recs, value)
		}
	}

	// First run: site lookups (home.example.com, then example.com), list,
	// create.
	if stderr, code := run("192.0.2.10", key, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.10")
	check(calls{zones: 2, list: 1, create: 1, all: 4})

	// Same address: the state file answers, no HTTP call.
	if stderr, code := run("192.0.2.10", key, "state.cache"); code != 0 {
		t.Fatalf("second run: exit %d\n%s", code, stderr)
	}
	check(calls{})

	// New address: one ModifyDnsRecords by the remembered site and record ids.
	if stderr, code := run("192.0.2.11", key, "state.cache"); code != 0 {
		t.Fatalf("third run: exit %d\n%s", code, stderr)
	}
	holds("192.0.2.11")
	check(calls{modify: 1, all: 1})

	// Bad SecretKey, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-edgeone-secret-1a2b3c4d5e6f"
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
	if len(errLines) != 1 || !strings.Contains(errLines[0], "edgeone_dns: DescribeZones: AuthFailure.SignatureFailure") {
		t.Errorf("want one error line with the gateway's refusal, got:\n%s", stderr)
	}
	if strings.Contains(stderr, bad) || strings.Contains(stderr, "Signature=") {
		t.Errorf("stderr shows the secret key or a signature:\n%s", stderr)
	}
	holds("192.0.2.11")
	check(calls{zones: 1, all: 1})
}

// TestEdgeoneAcceleration runs the binary as edgeone (acceleration
// domains): the first run creates the domain with the address as its
// origin; an address change reads the domain and modifies it (two calls:
// a modify without the backup origin would remove it).
func TestEdgeoneAcceleration(t *testing.T) {
	const id, key = "AKIDintegrationEdgeOneAcc0123456", "integration-edgeone-acc-secret-3e2d"
	f := eofake.New(id, key)
	f.AddZone("example.com")
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(addr string) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "edgeone", "--id", id, "--token", key,
			"--endpoint", srv.URL, "--ipv4", "home.example.com", "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, "state.cache"))
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stderr)
		}
	}
	type calls struct{ zones, list, create, modify, all int }
	check := func(want calls) {
		t.Helper()
		got := calls{f.Calls("DescribeZones"), f.Calls("DescribeAccelerationDomains"), f.Calls("CreateAccelerationDomain"), f.Calls("ModifyAccelerationDomain"), f.Total()}
		if got != want {
			t.Errorf("calls %+v, want %+v (%v)", got, want, f.Actions())
		}
		f.ResetCalls()
	}
	origin := func(value string) {
		t.Helper()
		ds := f.Domains()
		if len(ds) != 1 || ds[0].Name != "home.example.com" || ds[0].Origin != value {
			t.Fatalf("acceleration domains %+v, want home.example.com → %s", ds, value)
		}
	}

	run("192.0.2.10")
	origin("192.0.2.10")
	check(calls{zones: 2, list: 1, create: 1, all: 4})

	run("192.0.2.10")
	check(calls{})

	run("192.0.2.11")
	origin("192.0.2.11")
	check(calls{list: 1, modify: 1, all: 2})
}

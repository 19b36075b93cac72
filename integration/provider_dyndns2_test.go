package integration

import (
	"encoding/base64"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/publish/dyndns2/dyndns2fake"
)

// TestDyndns2 runs the binary against a generic dyndns2 server whose
// update URL is not the usual one (Dyn's /v3/update): the endpoint is the
// whole URL, extra parameters ride along in the query, every publish is
// one request, an identical run is answered by the state file, and a bad
// password fails with one error line that shows no secret.
func TestDyndns2(t *testing.T) {
	const (
		user  = "integration-user"
		token = "integration-dyndns2-updater-key-1f2e3d"
	)
	f := dyndns2fake.New(dyndns2fake.Options{Path: "/v3/update"})
	f.AddUser(user, token)
	f.AddHost("home.example.com", user)
	srv := httptest.NewServer(f)
	defer srv.Close()
	dir := t.TempDir()
	run := func(host, addr, token, cache string) (string, int) {
		t.Helper()
		_, stderr, code := ddns(t, dir, nil, "--dns", "dyndns2", "--id", user, "--token", token,
			"--endpoint", srv.URL+"/v3/update", "--ipv4", host, "--index4", "shell:echo "+addr,
			"--index6", "false", "--cache", filepath.Join(dir, cache), "--extra.wildcard", "NOCHG")
		return stderr, code
	}
	calls := func(want int) {
		t.Helper()
		if got := f.Calls(); got != want {
			t.Errorf("%d calls, want %d", got, want)
		}
		f.ResetCounts()
	}

	// First run: one update, extra parameter included.
	if stderr, code := run("home.example.com", "192.0.2.10", token, "state.cache"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	if got := f.Addr("home.example.com", "A"); got != "192.0.2.10" {
		t.Fatalf("after the first run the fake holds %q", got)
	}
	if uri := f.Requests()[0].URI; uri != "/v3/update?hostname=home.example.com&myip=192.0.2.10&wildcard=NOCHG" {
		t.Errorf("requested %s", uri)
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

	// Bad password, fresh state file: exit 1, one error line, one call.
	const bad = "wrong-dyndns2-key-9a8b7c"
	stderr, code := run("home.example.com", "192.0.2.12", bad, "bad.cache")
	if code != 1 {
		t.Fatalf("bad token: exit %d, want 1\n%s", code, stderr)
	}
	if l := dyndns2ErrorLines(stderr); len(l) != 1 || !strings.Contains(l[0], "badauth") {
		t.Errorf("want one error line about badauth, got:\n%s", stderr)
	}
	dyndns2NoSecrets(t, stderr, bad, token, base64.StdEncoding.EncodeToString([]byte(user+":"+bad)))
	calls(1)

	// Server trouble: 911 is transient but asks for 30 minutes, longer than
	// a one-shot run waits, so the run gives up after one request.
	f.Inject(dyndns2fake.Fault{Body: "911"})
	stderr, code = run("home.example.com", "192.0.2.13", token, "state.cache")
	if code != 1 || !strings.Contains(stderr, "911") {
		t.Fatalf("911: exit %d, want 1 and a 911 message\n%s", code, stderr)
	}
	calls(1)

	// No endpoint: a configuration error before any request.
	_, stderr, code = ddns(t, dir, nil, "--dns", "dyndns2", "--id", user, "--token", token,
		"--ipv4", "home.example.com", "--index4", "shell:echo 192.0.2.10", "--index6", "false", "--cache", "false")
	if code == 0 || !strings.Contains(stderr, "endpoint must be configured") {
		t.Errorf("no endpoint: exit %d\n%s", code, stderr)
	}
	calls(0)
}

// dyndns2ErrorLines returns the lines of stderr logged at error level.
func dyndns2ErrorLines(stderr string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.Contains(l, "ERROR") {
			out = append(out, l)
		}
	}
	return out
}

// dyndns2NoSecrets fails when stderr shows any of the secrets.
func dyndns2NoSecrets(t *testing.T, stderr string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(stderr, s) {
			t.Errorf("stderr shows a secret (%.4s…):\n%s", s, stderr)
		}
	}
}

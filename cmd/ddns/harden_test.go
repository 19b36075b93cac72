package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestImpostorNeverGetsTheToken is #11's TLS acceptance: a provider API
// behind a self-signed certificate (a machine in the middle) receives no
// request carrying the token with ssl auto (the default); the error says
// what to do; ssl false still works and warns once at start.
func TestImpostorNeverGetsTheToken(t *testing.T) {
	const token = "cf-api-t0ken-0123456789"
	var withToken atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Authorization"), token) {
			withToken.Add(1)
		}
		http.Error(w, `{"success":false,"errors":[{"code":9103,"message":"impostor"}]}`, http.StatusForbidden)
	}))
	defer srv.Close()
	args := []string{"--dns", "cloudflare", "--token", token, "--endpoint", srv.URL, "--ipv4", "home.example.com",
		"--index4", r1, "--index6", "false", "--no-cache"}

	for _, ssl := range [][]string{nil, {"--ssl", "auto"}, {"--ssl", "true"}} {
		r := runIn(t, nil, nil, append(args, ssl...)...)
		r.expect(t, 1, "", "not trusted", "set ssl to the path of a CA file", "ssl: false")
		if strings.Contains(r.stderr, token) {
			t.Errorf("%v: token in the output:\n%s", ssl, r.stderr)
		}
	}
	if n := withToken.Load(); n != 0 {
		t.Fatalf("%d requests carrying the token reached the impostor", n)
	}

	r := runIn(t, nil, nil, append(args, "--ssl", "false")...)
	r.expect(t, 1, "", "ssl is false (command line): TLS certificates are not verified")
	if n := strings.Count(r.stderr, "TLS certificates are not verified"); n != 1 {
		t.Errorf("ssl false warned %d times, want once:\n%s", n, r.stderr)
	}
	if withToken.Load() == 0 {
		t.Error("ssl false: the request never arrived")
	}
}

// TestMissingTokenIsAConfigurationError: the provider's factory refuses
// the settings before anything runs: exit 2, one line.
func TestMissingTokenIsAConfigurationError(t *testing.T) {
	r := runIn(t, nil, nil, "--dns", "cloudflare", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false")
	r.expect(t, 2, "", "ddns: command line: cloudflare: token must be configured")
	if strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("want exactly one line:\n%s", r.stderr)
	}
	r = runIn(t, map[string]string{"c.json": `{"providers":[{"provider":"debug"},{"provider":"dnspod","id":"1"}]}`}, nil,
		"-c", "c.json", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false")
	r.expect(t, 2, "", "ddns: c.json providers[2]: dnspod: token must be configured")
	if r.stdout != "" {
		t.Errorf("published before refusing the configuration: %q", r.stdout)
	}
}

// TestLogFileFailureStillOnStderr: with log.file set, the log goes to the
// file, and a failed run still says so in one line on stderr.
func TestLogFileFailureStillOnStderr(t *testing.T) {
	r := runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", "shell:exit 3", "--index6", "false",
		"--no-cache", "--log.file", "d/ddns.log")
	r.expect(t, 1, "")
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "ddns: ") || !strings.Contains(lines[0], "details in d/ddns.log") || len(lines[0]) > 300 {
		t.Fatalf("stderr is not one line naming the log file:\n%s", r.stderr)
	}
	log, err := os.ReadFile(filepath.Join(r.dir, "d", "ddns.log"))
	if err != nil || !strings.Contains(string(log), "exit status 3") {
		t.Errorf("log file: %v\n%s", err, log)
	}
	// A successful run stays silent on stderr.
	runAgain(t, r.dir, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false",
		"--no-cache", "--log.file", "d/ddns.log").expect(t, 0, "[IPv4] 1.1.1.1\n")
	if r := runAgain(t, r.dir, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false", "--no-cache", "--log.file", "d/ddns.log"); r.stderr != "" {
		t.Errorf("stderr of a good run: %q", r.stderr)
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// result is what one run of the program left behind.
type result struct {
	code           int
	stdout, stderr string
	dir            string
}

// runIn runs the program in a fresh working directory holding files, with
// HOME and the cache directory pointing into it and only vars set.
func runIn(t *testing.T, files map[string]string, vars []string, args ...string) result {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("HOME", filepath.Join(dir, "home"))
	t.Setenv("XDG_CACHE_HOME", filepath.Join(dir, "cache"))
	t.Setenv("STATE_DIRECTORY", "")
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return runAgain(t, dir, vars, args...)
}

func runAgain(t *testing.T, dir string, vars []string, args ...string) result {
	t.Helper()
	if vars == nil {
		vars = []string{}
	}
	var out, errb bytes.Buffer
	code := run(context.Background(), args, vars, &out, &errb, nil)
	return result{code, out.String(), errb.String(), dir}
}

func (r result) expect(t *testing.T, code int, stdout string, stderrHas ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\nstderr:\n%s", r.code, code, r.stderr)
	}
	if stdout != "*" && r.stdout != stdout {
		t.Errorf("stdout %q, want %q", r.stdout, stdout)
	}
	for _, s := range stderrHas {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}

const r1 = "shell:echo 1.1.1.1"

func TestAcceptanceCommand(t *testing.T) {
	runIn(t, nil, nil, "--dns", "debug", "--ipv4", "home.example.com", "--index4", "shell:echo 203.0.113.5").
		expect(t, 0, "[IPv4] 203.0.113.5\n", "WARNING [ddns]: set home.example.com[IPv4]: 203.0.113.5 successfully.")
}

func TestFirstRunWritesTemplate(t *testing.T) { // C01, Bug→ B11
	r := runIn(t, nil, nil)
	r.expect(t, 1, "", "wrote a template to")
	fi, err := os.Stat(filepath.Join(r.dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("template mode %v, want 0600", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(filepath.Join(r.dir, "config.json"))
	if !strings.HasPrefix(string(data), "{\n  \"$schema\": \"https://ddns.newfuture.cc/schema/v4.1.json\",\n  \"dns\": \"debug\",") || strings.HasSuffix(string(data), "\n") {
		t.Errorf("template is not Appendix A:\n%s", data)
	}
	// The template is a valid configuration: running again uses it.
	runAgain(t, r.dir, nil, "--index4", r1, "--no-cache").expect(t, 0, "[IPv4] 1.1.1.1\n")
}

func TestCacheSkipsUnchanged(t *testing.T) { // C05, C06, C52
	r := runIn(t, nil, nil, "--dns", "debug", "--ipv4", "A.Example.com", "--index4", "shell:echo 1.2.3.4", "--index6", "false")
	r.expect(t, 0, "[IPv4] 1.2.3.4\n", "set a.example.com[IPv4]: 1.2.3.4 successfully.")
	runAgain(t, r.dir, nil, "--dns", "debug", "--ipv4", "A.Example.com", "--index4", "shell:echo 1.2.3.4", "--index6", "false").
		expect(t, 0, "", "a.example.com[A] address not changed, using cache: 1.2.3.4")

	os.WriteFile(filepath.Join(r.dir, "c.cache"), []byte(`{"a.example.com:A":"1.1.1.1"}`), 0o600)
	runAgain(t, r.dir, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false", "--cache", "c.cache").
		expect(t, 0, "", "address not changed")
	runAgain(t, r.dir, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false", "--cache", "c.cache", "--cache-max-age", "0").
		expect(t, 0, "[IPv4] 1.1.1.1\n", "outdated")
}

func TestCacheDirectoryCreated(t *testing.T) { // C51, Bug→ B12
	r := runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false", "--cache", "nodir/d.cache")
	r.expect(t, 0, "[IPv4] 1.1.1.1\n")
	fi, err := os.Stat(filepath.Join(r.dir, "nodir", "d.cache"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file: %v %v", fi, err)
	}
}

func TestFamilies(t *testing.T) {
	t.Run("C10 Bug→ false skips the family", func(t *testing.T) {
		runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", "false", "--index6", "false", "--no-cache").expect(t, 0, "")
	})
	t.Run("C11 Bug→ IPv6 published although IPv4 failed", func(t *testing.T) {
		runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--ipv6", "b.example.com", "--index4", "shell:exit 3", "--index6", "shell:echo ::2", "--no-cache").
			expect(t, 1, "[IPv6] ::2\n", "exit status 3")
	})
	t.Run("C12 Bug→ cmd: splits arguments; host names never published", func(t *testing.T) {
		runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", "cmd:echo 1.2.3.4", "cmd:hostname", "--index6", "false", "--no-cache").
			expect(t, 0, "[IPv4] 1.2.3.4\n")
		runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", "cmd:hostname", "--index6", "false", "--no-cache").
			expect(t, 1, "")
	})
	t.Run("C60 Bug→ two addresses: the first is used, never the text", func(t *testing.T) {
		runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", `shell:printf '1.1.1.1\n2.2.2.2'`, "--index6", "false", "--no-cache").
			expect(t, 0, "[IPv4] 1.1.1.1\n")
	})
	t.Run("B22 no domains warns", func(t *testing.T) {
		runIn(t, nil, nil, "--dns", "debug", "--no-cache").expect(t, 0, "", "no domains configured")
	})
}

func TestURLRules(t *testing.T) { // C15a, C15b, C16
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/two.txt":
			io.WriteString(w, "your ip is 1.2.3.4 and 5.6.7.8")
		case "/bad.txt":
			io.WriteString(w, "999.1.1.1")
		case "/none.txt":
			io.WriteString(w, "no ip here")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	base := []string{"--dns", "debug", "--ipv4", "a.example.com", "--index6", "false", "--no-cache", "--index4"}
	runIn(t, nil, nil, append(base, "url:"+srv.URL+"/two.txt")...).expect(t, 0, "[IPv4] 1.2.3.4\n")
	runIn(t, nil, nil, append(base, "url:"+srv.URL+"/bad.txt")...).expect(t, 1, "")
	runIn(t, nil, nil, append(base, "url:"+srv.URL+"/none.txt", "url:http://127.0.0.1:1/x", "shell:echo 4.4.4.4")...).expect(t, 0, "[IPv4] 4.4.4.4\n")
}

func TestMultipleConfigs(t *testing.T) { // C27, C28, C47
	a := `{"dns":"debug","ipv4":["a.example.com"],"index4":"shell:echo 1.1.1.1","index6":false}`
	b := `{"dns":"debug","ipv4":["b.example.com"],"index4":"shell:echo 2.2.2.2","index6":false}`
	fail := `{"dns":"debug","ipv4":["f.example.com"],"index4":"shell:exit 3","index6":false}`
	runIn(t, map[string]string{"a.json": a, "b.json": b}, nil, "-c", "a.json", "-c", "b.json", "--no-cache").
		expect(t, 0, "[IPv4] 1.1.1.1\n[IPv4] 2.2.2.2\n", "load config: ['a.json', 'b.json']", "Running configuration 1/2", "Using DNS provider: debug",
			"Configuration 1 completed successfully", "Running configuration 2/2", "All configurations completed successfully")
	runIn(t, map[string]string{"fail.json": fail, "a.json": a}, nil, "-c", "fail.json", "-c", "a.json", "--no-cache").
		expect(t, 1, "[IPv4] 1.1.1.1\n", "Configuration 1 failed", "Configuration 2 completed successfully", "Some configurations failed")
	// B14: the first entry's level does not change the whole run's format.
	m := `{"cache":false,"index6":false,"providers":[{"provider":"debug","ipv4":["p1.example.com"],"index4":"shell:echo 1.1.1.1","log":{"level":"WARNING"}},{"provider":"debug","ipv4":["p2.example.com"],"index4":"shell:echo 2.2.2.2"}]}`
	runIn(t, map[string]string{"m.json": m}, nil, "-c", "m.json").
		expect(t, 0, "[IPv4] 1.1.1.1\n[IPv4] 2.2.2.2\n", "INFO [ddns]: Running configuration 1/2", "WARNING [ddns]: set p1.example.com[IPv4]: 1.1.1.1 successfully.")
}

func TestNewConfig(t *testing.T) { // C48, C49, C50 with B17
	r := runIn(t, nil, nil, "--dns", "cloudflare", "--ipv4", "a.com", "--log_level", "DEBUG", "--ttl", "30", "--new-config", "--token", "T0KEN-VALUE")
	r.expect(t, 0, "*")
	data, _ := os.ReadFile(filepath.Join(r.dir, "config.json"))
	for _, want := range []string{`"dns": "cloudflare"`, `"token": "T0KEN-VALUE"`, `"ttl": 30`, `"level": "DEBUG"`, "\"ipv4\": [\n    \"a.com\"\n  ]"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("template lacks %s:\n%s", want, data)
		}
	}
	runAgain(t, r.dir, nil, "--new-config").expect(t, 1, "", "config.json already exists!", "--new-config=config.new.json")
	os.WriteFile(filepath.Join(r.dir, "x.json"), []byte(`{"a":1}`), 0o600)
	runAgain(t, r.dir, nil, "--new-config=x.json").expect(t, 1, "", "already exists")
	if data, _ := os.ReadFile(filepath.Join(r.dir, "x.json")); string(data) != `{"a":1}` {
		t.Error("an existing file was overwritten")
	}
}

func TestUsageAndVersion(t *testing.T) {
	r := runIn(t, nil, nil, "-v")
	r.expect(t, 0, "*")
	if !strings.HasPrefix(r.stdout, "vdev (unknown)\n") {
		t.Errorf("version first line: %q", r.stdout)
	}
	runIn(t, nil, nil, "-h").expect(t, 0, "*")
	runIn(t, nil, nil, "--dns", "debug", "--ttl", "abc").expect(t, 2, "", "ddns: error: argument --ttl: invalid int value: 'abc'")
	runIn(t, nil, nil, "--dns", "debug", "task").expect(t, 0, "", "Unknown argument: task")
	runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false", "--no-cache", "--log_format", "%(levelname)s|%(name)s|%(message)s").
		expect(t, 0, "*", "WARNING|ddns|set a.example.com[IPv4]: 1.1.1.1 successfully.")
}

func TestMissingCredentialsIsOneLine(t *testing.T) { // C54 Bug→ B1
	r := runIn(t, nil, nil, "--dns", "callback", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false")
	r.expect(t, 2, "", "id must be the webhook URL") // a configuration error (#11)
	if strings.Count(r.stderr, "\n") > 3 || strings.Contains(r.stderr, "goroutine") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// hook is a webhook fake that records requests and refuses domains
// containing "bad".
type hook struct {
	mu   sync.Mutex
	reqs []string
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.reqs = append(h.reqs, r.Method+" "+r.URL.RequestURI()+" "+string(body))
	h.mu.Unlock()
	if strings.Contains(r.URL.RequestURI(), "bad") {
		http.Error(w, "denied", http.StatusForbidden)
		return
	}
	io.WriteString(w, "ok")
}

func TestCallbackPartialFailure(t *testing.T) { // C53 Bug→ B4
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	r := runIn(t, nil, nil, "--dns", "callback", "--id", srv.URL+"/u?d=__DOMAIN__&ip=__IP__", "--ipv4", "good.example.com", "bad.example.com", "--index4", r1, "--index6", "false", "--no-cache")
	r.expect(t, 1, "", "set good.example.com[IPv4]: 1.1.1.1 successfully.", "Failed to update A record for bad.example.com", "403 Forbidden")
	if len(h.reqs) != 2 {
		t.Errorf("requests: %q", h.reqs)
	}
}

func TestSecretsNeverLogged(t *testing.T) { // C55 and the standards
	h := &hook{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	const secret = "s3cr3t-T0ken-Value"
	r := runIn(t, nil, nil, "--dns", "callback", "--id", srv.URL+"/u/__DOMAIN__?key="+secret, "--token", `{"k":"`+secret+`","ip":"__IP__"}`,
		"--ipv4", "bad.example.com", "--index4", r1, "--index6", "false", "--no-cache", "--debug")
	if strings.Contains(r.stderr, secret) || strings.Contains(r.stdout, secret) {
		t.Errorf("secret in output:\n%s", r.stderr)
	}
	if len(h.reqs) != 1 || !strings.Contains(h.reqs[0], secret) {
		t.Errorf("the webhook did not get the secret: %q", h.reqs)
	}
	r = runIn(t, nil, nil, "--dns", "debug", "--token", secret, "--ttl", "x")
	if strings.Contains(r.stderr, secret) {
		t.Errorf("secret in a usage error:\n%s", r.stderr)
	}
}

func TestOneShotRetriesTransientErrors(t *testing.T) {
	var n int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		if n <= 2 {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	runIn(t, nil, nil, "--dns", "callback", "--id", srv.URL+"/u?ip=__IP__", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false", "--no-cache").
		expect(t, 0, "", "retrying in 1s", "set a.example.com[IPv4]: 1.1.1.1 successfully.")
	if n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestProvidersCommand(t *testing.T) {
	r := runIn(t, nil, nil, "providers")
	r.expect(t, 0, "*")
	for _, want := range []string{"PROVIDER", "cloudflare", "callback", "webhook,http", "dnspod", "API token ID"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("providers output lacks %q:\n%s", want, r.stdout)
		}
	}
	runIn(t, nil, nil, "providers", "x").expect(t, 2, "")
}

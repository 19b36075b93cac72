package integration

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReloadErrorsNeverLogTheSecret: a configuration broken while the
// reactor runs is reported on SIGHUP in the log file, the running one kept,
// and the report never shows the token, whatever its shape (#11).
func TestReloadErrorsNeverLogTheSecret(t *testing.T) {
	const secret = "r3load-s3cret-8fa1"
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.json")
	logFile := filepath.Join(dir, "ddns.log")
	good := `{"dns":"debug","token":"` + secret + `","ipv4":["a.example.com"],"index4":"shell:echo 192.0.2.1","index6":false,"cache":false,"log":{"file":"ddns.log"}}`
	if err := os.WriteFile(cfg, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	agent := startWatch(t, dir, cfg)
	cmd, stderr, exited := agent.cmd, agent.stderr, agent.exited
	logHas := func(s string) bool {
		data, _ := os.ReadFile(logFile)
		return strings.Contains(string(data), s)
	}
	waitFor(t, 10*time.Second, func() bool { return logHas("set a.example.com[IPv4]: 192.0.2.1 successfully") })

	for i, bad := range []string{
		`{"dns":"debug","token":["` + secret + `"],"ipv4":["a.example.com"]}`,
		`{"dns":"debug","token":{"k":[1,"` + secret + `"]},"id":["` + secret + `"]}`,
		`{"dns":"cloudflare","token":"` + secret + `","id":"` + secret + `","ipv4":["a.example.com"]}`,
	} {
		if err := os.WriteFile(cfg, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd.Process.Signal(syscall.SIGHUP)
		const want = "keeping the running configuration"
		waitFor(t, 5*time.Second, func() bool {
			data, _ := os.ReadFile(logFile)
			return strings.Count(string(data), want) == i+1
		})
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := <-exited; err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
	}
	data, _ := os.ReadFile(logFile)
	if strings.Contains(string(data), secret) || strings.Contains(stderr.String(), secret) {
		t.Fatalf("the token was logged:\n%s\nstderr:\n%s", data, stderr.String())
	}
	if !strings.Contains(string(data), "config.json: token: must be text, not a list") {
		t.Errorf("the reload error is not in the log file:\n%s", data)
	}
}

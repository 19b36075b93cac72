package integration

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeCrontab is a crontab(1) keeping the table in $CRONTAB_FILE, with
// the real one's answers to -l (none yet) and - (replace from stdin).
const fakeCrontab = `#!/bin/sh
case "$1" in
-l) [ -f "$CRONTAB_FILE" ] || { echo "no crontab for $(id -un)" >&2; exit 1; }; cat "$CRONTAB_FILE" ;;
-) cat > "$CRONTAB_FILE" ;;
*) echo "crontab: unexpected $*" >&2; exit 2 ;;
esac
`

// taskEnv runs `ddns task` with a fake crontab first on PATH.
type taskEnv struct {
	dir, tab string
	env      []string
}

func newTaskEnv(t *testing.T) *taskEnv {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.Mkdir(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "crontab"), []byte(fakeCrontab), 0o755); err != nil {
		t.Fatal(err)
	}
	e := &taskEnv{dir: dir, tab: filepath.Join(dir, "crontab.txt")}
	e.env = []string{"PATH=" + bin + ":" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache"), "CRONTAB_FILE=" + e.tab}
	return e
}

func (e *taskEnv) run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir, cmd.Env = e.dir, e.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode()
}

// skipUnlessTaskIsWired skips while cmd/ddns does not dispatch `task`.
func skipUnlessTaskIsWired(t *testing.T, e *taskEnv) {
	if out, _, code := e.run(t, "task", "--help"); code != 0 || !strings.Contains(out, "usage: ddns task") {
		t.Skip("cmd/ddns does not dispatch `ddns task` to runTask yet")
	}
}

// TestTaskCronRoundTrip installs the cron fallback with the built binary
// and a crontab(1) stand-in, runs the installed line the way cron would,
// then takes it apart again.
func TestTaskCronRoundTrip(t *testing.T) {
	e := newTaskEnv(t)
	skipUnlessTaskIsWired(t, e)
	cfg := filepath.Join(e.dir, "50% config.json") // cron must escape the %
	body := `{"dns": "debug", "token": "s3cret", "ipv4": ["home.example.com"], "index4": "shell:echo 203.0.113.7", "cache": false}`
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	other := "0 1 * * * /bin/other-job\n"
	if err := os.WriteFile(e.tab, []byte(other), 0o600); err != nil {
		t.Fatal(err)
	}

	out, errs, code := e.run(t, "task", "--install", "15", "--scheduler", "cron", "-c", cfg)
	if code != 0 || !strings.Contains(out, "DDNS task installed successfully with 15 minute interval") {
		t.Fatalf("install: exit %d\n%s\n%s", code, out, errs)
	}
	tab, _ := os.ReadFile(e.tab)
	lines := strings.Split(strings.TrimSuffix(string(tab), "\n"), "\n")
	if len(lines) != 2 || lines[0] != strings.TrimSuffix(other, "\n") || !strings.HasPrefix(lines[1], "*/15 * * * * ") ||
		!strings.HasSuffix(lines[1], " # ddns-go") || strings.Contains(lines[1], "s3cret") {
		t.Fatalf("crontab:\n%s", tab)
	}

	// Run the command as Vixie cron does: \% becomes %, then sh -c.
	command := strings.ReplaceAll(strings.Join(strings.Fields(lines[1])[5:], " "), `\%`, "%")
	sh := exec.Command("sh", "-c", command)
	sh.Dir, sh.Env = e.dir, e.env
	if got, err := sh.Output(); err != nil || !strings.Contains(string(got), "203.0.113.7") {
		t.Errorf("the installed line did not run the one-shot: %v\n%s", err, got)
	}

	out, _, _ = e.run(t, "task", "--disable", "--scheduler", "cron")
	if !strings.Contains(out, "DDNS task disabled successfully") {
		t.Errorf("disable: %s", out)
	}
	out, _, _ = e.run(t, "task", "status", "--scheduler", "cron")
	if !strings.Contains(out, "  Enabled: False\n  Interval: 15 minutes\n") {
		t.Errorf("status: %s", out)
	}
	out, _, code = e.run(t, "task", "uninstall", "--scheduler", "cron")
	if tab, _ := os.ReadFile(e.tab); code != 0 || string(tab) != other {
		t.Errorf("uninstall: exit %d, crontab %q\n%s", code, tab, out)
	}
	if _, _, code = e.run(t, "task", "uninstall", "--scheduler", "cron"); code != 1 {
		t.Errorf("second uninstall: exit %d, want 1", code)
	}
}

// TestTaskProcdDryRun shows the OpenWrt init script without touching the
// system, and checks it is valid shell.
func TestTaskProcdDryRun(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: a service runs as root, and install refuses a configuration root does not own")
	}
	e := newTaskEnv(t)
	skipUnlessTaskIsWired(t, e)
	cfg := filepath.Join(e.dir, "config.json")
	if err := os.WriteFile(cfg, []byte(`{"dns": "debug", "ipv4": ["home.example.com"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := e.run(t, "task", "install", "--scheduler", "procd", "-c", cfg, "--dry-run")
	// This host is no OpenWrt: the dry run shows the plan, then says the
	// real install would refuse (exit 1).
	if code != 1 || !strings.Contains(out, "would write /etc/init.d/ddns-agent (mode 0755):") ||
		!strings.Contains(out, "would run: /etc/init.d/ddns-agent enable") || !strings.Contains(errs, "procd runs only on OpenWrt") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	_, script, _ := strings.Cut(out, "would write /etc/init.d/ddns-agent (mode 0755):\n")
	script, _, _ = strings.Cut(script, "would write")
	script = strings.ReplaceAll(script, "\n    ", "\n")
	if err := exec.Command("sh", "-n", "-c", strings.TrimPrefix(script, "    ")).Run(); err != nil {
		t.Errorf("the init script is not valid shell: %v\n%s", err, script)
	}
	if !strings.Contains(script, "procd_set_param command "+binary(t)+" watch -c "+cfg) {
		t.Errorf("script:\n%s", script)
	}
}

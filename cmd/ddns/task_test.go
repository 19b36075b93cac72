package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/internal/servicetest"
	"github.com/ddns-go/ddns/platform/service"
)

// taskMachine is a fake machine for `ddns task`: files under a temporary
// root, commands recorded.
type taskMachine struct {
	t    *testing.T
	root string
	run  *servicetest.Runner
	env  service.Task
}

const (
	testExe    = "/usr/local/bin/ddns"
	testConfig = "/etc/ddns/config.json"
	// secretConfig is a configuration holding a token.
	secretConfig = `{"dns": "debug", "token": "s3cret-t0ken", "ipv4": ["home.example.com"]}`
)

// newTaskMachine makes a machine of kind "systemd", "openwrt", "cron",
// "darwin" or "windows".
func newTaskMachine(t *testing.T, kind string) *taskMachine {
	m := &taskMachine{t: t, root: t.TempDir(), run: servicetest.NewRunner()}
	// systemctl answers as for an installed unit that runs.
	m.run.Out["systemctl is-enabled ddns.service"] = "enabled\n"
	m.run.Out["systemctl is-active ddns.service"] = "active\n"
	goos := "linux"
	switch kind {
	case "systemd":
		m.write("/run/systemd/system/.keep", "", 0o644)
	case "openwrt":
		m.write("/etc/openwrt_release", "", 0o644)
	case "darwin", "windows":
		goos = kind
	}
	m.env = service.Task{
		Host: service.Host{Root: m.root, Runner: m.run, GOOS: goos},
		Exe:  func() (string, error) { return testExe, nil },
		UID:  os.Getuid(), GID: os.Getgid(),
		// The files of the fake machine belong to whoever runs the test;
		// its services run as that user too, so the checks pass unprivileged.
		ServiceUID: os.Getuid(), ServiceGID: os.Getgid(),
	}
	return m
}

func (m *taskMachine) write(p, body string, mode os.FileMode) {
	m.t.Helper()
	full := filepath.Join(m.root, p)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(body), mode); err != nil {
		m.t.Fatal(err)
	}
	if err := os.Chmod(full, mode); err != nil {
		m.t.Fatal(err)
	}
}

func (m *taskMachine) read(p string) string {
	b, _ := os.ReadFile(filepath.Join(m.root, p))
	return string(b)
}

func (m *taskMachine) exists(p string) bool {
	_, err := os.Stat(filepath.Join(m.root, p))
	return err == nil
}

type taskResult struct {
	code           int
	stdout, stderr string
}

func (m *taskMachine) task(args ...string) taskResult {
	m.t.Helper()
	var out, errb bytes.Buffer
	code := taskMain(context.Background(), args, m.env, &out, &errb)
	return taskResult{code, out.String(), errb.String()}
}

// expect checks the exit code and that stdout and stderr hold the given
// pieces (a piece starting with "2:" is looked for in stderr).
func (r taskResult) expect(t *testing.T, code int, pieces ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	for _, p := range pieces {
		where, text := r.stdout, p
		if s, ok := strings.CutPrefix(p, "2:"); ok {
			where, text = r.stderr, s
		}
		if !strings.Contains(where, text) {
			t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", p, r.stdout, r.stderr)
		}
	}
}

func TestTaskSystemdLifecycle(t *testing.T) {
	m := newTaskMachine(t, "systemd")
	m.write(testConfig, secretConfig, 0o600)
	const unit = "/etc/systemd/system/ddns.service"

	m.task().expect(t, 0, "DDNS Task Status:\n  Installed: No\n  Scheduler: systemd\n")
	if m.exists(unit) {
		t.Fatal("a bare `ddns task` installed (B20)")
	}

	m.task("install").expect(t, 0,
		"wrote "+unit+" (mode 0644)\n",
		"ran: systemctl daemon-reload\n",
		"DDNS task installed successfully\n",
		"journalctl -u ddns")
	body := m.read(unit)
	if !strings.Contains(body, "ExecStart="+testExe+" watch -c "+testConfig+"\n") || !strings.Contains(body, "Type=notify") {
		t.Errorf("unit:\n%s", body)
	}
	if strings.Contains(body, "s3cret") {
		t.Error("the token landed in the unit")
	}
	m.task("install").expect(t, 0, "kept "+unit+" (already up to date)")

	m.task("status").expect(t, 0, "  Installed: Yes\n  Scheduler: systemd\n  Enabled: True\n  Running: True\n  Command: "+testExe+" watch -c "+testConfig+"\n")
	m.task("--disable").expect(t, 0, "ran: systemctl disable --now ddns.service\n", "DDNS task disabled successfully\n")
	m.task("--enable").expect(t, 0, "ran: systemctl enable --now ddns.service\n", "DDNS task enabled successfully\n")
	m.task("--uninstall").expect(t, 0, "removed "+unit+"\n", "DDNS task uninstalled successfully\n")
	if m.exists(unit) {
		t.Error("unit left after uninstall")
	}
	m.task("--uninstall").expect(t, 1, "DDNS task is not installed.\n")
	m.task("--enable").expect(t, 1, "DDNS task is not installed. Please install it first.\n")
	m.task("disable").expect(t, 1, "DDNS task is not installed.\n")
}

func TestTaskRefusesConfigsTheServiceCannotUse(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		mode       os.FileMode // 0 = no file
		want       string
	}{
		{"missing", "", 0, "2:ddns --new-config /etc/ddns/config.json"},
		{"secret readable by all", secretConfig, 0o644, "2:chmod 600 /etc/ddns/config.json"},
		{"broken", `{"dns": "no-such-provider", "ipv4": ["a.example.com"]}`, 0o600, "2:the service could not start with this configuration"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newTaskMachine(t, "systemd")
			if tc.mode != 0 {
				m.write(testConfig, tc.body, tc.mode)
			}
			r := m.task("install")
			r.expect(t, 1, tc.want, "Failed to install DDNS task\n")
			if m.exists("/etc/systemd/system") || len(m.run.Calls) > 0 {
				t.Errorf("something was done: calls %q", m.run.Calls)
			}
			if strings.Contains(r.stdout+r.stderr, "s3cret") {
				t.Error("the token was printed")
			}
		})
	}
}

func TestTaskWorldReadableConfigWithoutSecretsIsFine(t *testing.T) {
	m := newTaskMachine(t, "systemd")
	m.write(testConfig, `{"dns": "debug", "ipv4": ["home.example.com"]}`, 0o644)
	m.task("install").expect(t, 0, "DDNS task installed successfully")
}

func TestTaskFailedInstallCleansUpAndAdvises(t *testing.T) {
	m := newTaskMachine(t, "systemd")
	m.write(testConfig, secretConfig, 0o600)
	m.run.Fail["systemctl daemon-reload"] = fmt.Errorf("systemctl: %w", fs.ErrPermission)
	m.task("--install").expect(t, 1,
		"rolling back:",
		"Permission denied. Please run as root or use sudo.\n",
		"or use cron scheduler (with --scheduler=cron) instead.\n",
		"Failed to install DDNS task\n",
		"2:ddns task: run systemctl daemon-reload")
	if m.exists("/etc/systemd/system/ddns.service") {
		t.Error("unit left after a failed install")
	}
}

func TestTaskDryRunChangesNothing(t *testing.T) {
	for _, kind := range []string{"systemd", "openwrt", "cron", "darwin"} {
		t.Run(kind, func(t *testing.T) {
			m := newTaskMachine(t, kind)
			m.write(testConfig, secretConfig, 0o600)
			for _, op := range []string{"install", "uninstall", "enable", "disable"} {
				m.task(op, "--dry-run").expect(t, 0, "would ", "dry run: nothing was written or run\n")
			}
			if len(m.run.Calls) > 0 {
				t.Errorf("ran %q", m.run.Calls)
			}
			before := map[string]bool{testConfig: true, "/run/systemd/system/.keep": true, "/etc/openwrt_release": true}
			filepath.WalkDir(m.root, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && !before[p[len(m.root):]] {
					t.Errorf("a dry run wrote %s", p[len(m.root):])
				}
				return nil
			})
		})
	}
}

func TestTaskOriginalFlagsWithCron(t *testing.T) {
	m := newTaskMachine(t, "cron")
	m.write(testConfig, secretConfig, 0o600)
	other := "0 1 * * * /bin/other-job\n"
	m.run.Crontab = &other

	m.task("--install", "10", "--scheduler", "cron", "-c", testConfig).
		expect(t, 0, "DDNS task installed successfully with 10 minute interval\n")
	want := other + "*/10 * * * * " + testExe + " -c " + testConfig + " # ddns-go\n"
	if *m.run.Crontab != want {
		t.Errorf("crontab %q, want %q", *m.run.Crontab, want)
	}
	m.task("--disable").expect(t, 0, "DDNS task disabled successfully")
	m.task("--status").expect(t, 0, "  Installed: Yes\n  Scheduler: cron\n  Enabled: False\n  Interval: 10 minutes\n  Command: "+testExe+" -c "+testConfig+"\n")
	m.task("-i").expect(t, 0, "with 5 minute interval")
	m.task("--inst=120").expect(t, 0, "with 120 minute interval")
	if !strings.Contains(*m.run.Crontab, "0 */2 * * * ") {
		t.Errorf("crontab %q", *m.run.Crontab)
	}
	m.task("--uninstall").expect(t, 0, "DDNS task uninstalled successfully")
	if *m.run.Crontab != other {
		t.Errorf("uninstall left %q", *m.run.Crontab)
	}
	m.task("--uninstall").expect(t, 1, "DDNS task is not installed.")
}

func TestTaskCronChecksTheFileForItsOwnUser(t *testing.T) {
	m := newTaskMachine(t, "cron")
	m.write(testConfig, secretConfig, 0o600)
	m.env.UID, m.env.GID = m.env.UID+1, m.env.GID+1
	m.task("install").expect(t, 1, "2:chown")
}

func TestTaskUsageErrors(t *testing.T) {
	m := newTaskMachine(t, "systemd")
	m.write(testConfig, secretConfig, 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"install", "--token", "s3cret"}, "unrecognized option --token"},
		{[]string{"--token=s3cret"}, "configuration file"},
		{[]string{"--dns", "cloudflare"}, "unrecognized option --dns"},
		{[]string{"-x"}, "unrecognized option -x"},
		{[]string{"--install", "0"}, "from 1 to 1440"},
		{[]string{"-i", "-3"}, "from 1 to 1440"},
		{[]string{"--install", "1441"}, "from 1 to 1440"},
		{[]string{"--install=x"}, "from 1 to 1440"},
		{[]string{"--scheduler", "upstart"}, "choose from"},
		{[]string{"--scheduler"}, "needs a value"},
		{[]string{"frobnicate"}, "unexpected argument"},
		{[]string{"install", "status"}, "give one operation"},
		{[]string{"--s"}, "ambiguous option --s"},
		{[]string{"--dry-run=yes"}, "takes no value"},
		{[]string{"--install", "90", "--scheduler", "cron"}, "cron cannot run every 90 minutes"},
	} {
		r := m.task(tc.args...)
		r.expect(t, 2, "2:"+tc.want)
		if strings.Contains(r.stderr, "s3cret") {
			t.Errorf("%q: the value of a secret option was printed", tc.args)
		}
	}
	if len(m.run.Calls) > 0 || m.exists("/etc/systemd/system") {
		t.Errorf("a usage error did something: %q", m.run.Calls)
	}
}

func TestTaskSchedulerNames(t *testing.T) {
	m := newTaskMachine(t, "systemd")
	m.task("--scheduler", "schtasks", "--status").expect(t, 2, "2:the Windows service manager exists only on Windows, this is linux")
	m.task("--scheduler=procd").expect(t, 0, "  Scheduler: procd\n")
	m.task("--sched", "cron", "status").expect(t, 0, "  Scheduler: cron\n")
}

func TestTaskServicesIgnoreTheInterval(t *testing.T) {
	m := newTaskMachine(t, "openwrt")
	m.write(testConfig, secretConfig, 0o600)
	m.task("--install", "10").expect(t, 0, "note: the procd service reacts to address changes", "DDNS task installed successfully\n")
	if !strings.Contains(m.read("/etc/init.d/ddns-agent"), "procd_set_param command "+testExe+" watch -c "+testConfig) {
		t.Errorf("init script:\n%s", m.read("/etc/init.d/ddns-agent"))
	}
	if !m.exists("/etc/hotplug.d/iface/95-ddns-agent") {
		t.Error("no hotplug hook")
	}
	m.task("install", "--no-hotplug").expect(t, 0, "removed /etc/hotplug.d/iface/95-ddns-agent")
}

func TestTaskRefusesATemporaryBinary(t *testing.T) {
	m := newTaskMachine(t, "systemd")
	m.write(testConfig, secretConfig, 0o600)
	m.env.Exe = func() (string, error) { return "/tmp/go-build123/b001/exe/ddns", nil }
	m.task("install").expect(t, 1, "2:temporary build")
}

func TestTaskRelativeConfigBecomesAbsolute(t *testing.T) {
	m := newTaskMachine(t, "darwin")
	m.env.Host.Root = ""
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile(filepath.Join(dir, "my.json"), []byte(secretConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	m.task("install", "--dry-run", "-c", "my.json").expect(t, 0, "<string>"+filepath.Join(dir, "my.json")+"</string>")
}

func TestTaskWindowsDefaults(t *testing.T) {
	m := newTaskMachine(t, "windows")
	scm := &taskSCM{}
	m.env.Host.SCM = scm
	m.env.Environ = []string{`ProgramData=D:\PD`}
	m.env.Exe = func() (string, error) { return `C:\Program Files\ddns\ddns.exe`, nil }
	m.write(`D:\PD\ddns\config.json`, secretConfig, 0o644) // modes mean nothing there
	m.task("install").expect(t, 0,
		`registered the Windows service ddns: "C:\Program Files\ddns\ddns.exe" watch -c "D:\PD\ddns\config.json"`,
		`icacls "D:\PD\ddns\config.json"`,
		"DDNS task installed successfully\n")
	m.task("status").expect(t, 0, "  Scheduler: windows\n  Enabled: True\n  Running: True\n")
	m.task("uninstall").expect(t, 0, "deleted the service ddns", "DDNS task uninstalled successfully")
}

// taskSCM is a Windows service manager in memory.
type taskSCM struct {
	svc     *service.WindowsService
	running bool
}

func (f *taskSCM) Install(s service.WindowsService) error { f.svc = &s; return nil }
func (f *taskSCM) Remove(string) error                    { f.svc = nil; return nil }
func (f *taskSCM) InstallEventSource(string) error        { return nil }
func (f *taskSCM) RemoveEventSource(string) error         { return nil }
func (f *taskSCM) Start(string) error                     { f.running = true; return nil }
func (f *taskSCM) Stop(string) error                      { f.running = false; return nil }
func (f *taskSCM) SetAutoStart(string, bool) error        { return nil }
func (f *taskSCM) Query(string) (service.WindowsState, error) {
	if f.svc == nil {
		return service.WindowsState{}, nil
	}
	return service.WindowsState{Installed: true, AutoStart: true, Running: f.running, CommandLine: f.svc.CommandLine}, nil
}

func TestRunTaskHelpAndUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := runTask(context.Background(), []string{"--help"}, nil, &out, &errb); code != 0 || !strings.Contains(out.String(), "usage: ddns task") {
		t.Errorf("help: exit %d\n%s", code, out.String())
	}
	out.Reset()
	if code := runTask(context.Background(), []string{"--bogus"}, nil, &out, &errb); code != 2 || out.Len() != 0 {
		t.Errorf("bogus option: exit %d", code)
	}
}

func TestTaskCronRefusesAConfigThatStartsTheReactor(t *testing.T) {
	m := newTaskMachine(t, "cron")
	m.write(testConfig, `{"dns": "debug", "ipv4": ["home.example.com"], "interval": 5}`, 0o600)
	m.task("install").expect(t, 1, "2:never exits")
	if m.run.Crontab != nil {
		t.Errorf("crontab written: %q", *m.run.Crontab)
	}
}

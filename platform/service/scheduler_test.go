package service_test

import (
	"context"
	"errors"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/platform/service"
)

var ctx = context.Background()

func wantCalls(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("calls:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func wantTree(t *testing.T, m *machine, want ...string) {
	t.Helper()
	if got := m.tree(t); !slices.Equal(got, want) {
		t.Errorf("files on the machine: %q, want %q", got, want)
	}
}

func status(t *testing.T, s service.Scheduler) service.Status {
	t.Helper()
	st, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

var errExit = &service.CommandError{Command: "x", Code: 1, Stderr: "boom"}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		goos  string
		files []string
		want  string
	}{
		{"windows", nil, service.Windows},
		{"darwin", nil, service.Launchd},
		{"linux", []string{"run/systemd/system/x"}, service.Systemd},
		{"linux", []string{"etc/openwrt_release"}, service.Procd},
		{"linux", []string{"sbin/procd"}, service.Procd},
		{"linux", nil, service.Cron},
		{"freebsd", nil, service.Cron},
	} {
		m := newMachine(t, tc.goos)
		for _, f := range tc.files {
			m.touch(t, f, "")
		}
		if got := service.Detect(m.host); got != tc.want {
			t.Errorf("%s %v: Detect = %s, want %s", tc.goos, tc.files, got, tc.want)
		}
		if s := m.scheduler(t, service.Auto); s.Name() != tc.want {
			t.Errorf("New(auto) = %s, want %s", s.Name(), tc.want)
		}
	}
	if _, err := service.New("upstart", service.Host{}); err == nil {
		t.Error("an unknown scheduler was accepted")
	}
}

func TestSystemdLifecycle(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Systemd)
	const unit = "/etc/systemd/system/ddns.service"

	if st := status(t, s); st.Installed {
		t.Fatalf("fresh machine: %+v", st)
	}
	out, err := m.apply(s.Install(spec))
	if err != nil {
		t.Fatal(err)
	}
	if m.file(t, unit) != string(service.RenderSystemd(spec)) || m.mode(t, unit) != 0o644 {
		t.Errorf("unit not written as rendered with mode 0644:\n%s", m.file(t, unit))
	}
	wantCalls(t, m.run.Calls, []string{"systemctl daemon-reload", "systemctl enable ddns.service", "systemctl restart ddns.service"})
	if !strings.Contains(out, "wrote "+unit+" (mode 0644)") || !strings.Contains(out, "ran: systemctl restart ddns.service") {
		t.Errorf("output does not say what was written where:\n%s", out)
	}

	// Installing again gives the same file and restarts the service.
	m.run.Reset()
	out, err = m.apply(s.Install(spec))
	if err != nil || !strings.Contains(out, "kept "+unit) {
		t.Errorf("reinstall: %v\n%s", err, out)
	}
	wantCalls(t, m.run.Calls, []string{"systemctl daemon-reload", "systemctl enable ddns.service", "systemctl restart ddns.service"})

	m.run.Out["systemctl is-enabled ddns.service"] = "enabled\n"
	m.run.Out["systemctl is-active ddns.service"] = "active\n"
	st := status(t, s)
	if !st.Installed || !st.Enabled || st.Running != service.RunningYes || st.Command != "/usr/local/bin/ddns watch -c /etc/ddns/config.json" {
		t.Errorf("status %+v", st)
	}

	m.run.Reset()
	m.apply(s.Disable())
	m.apply(s.Enable())
	wantCalls(t, m.run.Calls, []string{"systemctl disable --now ddns.service", "systemctl enable --now ddns.service"})

	m.run.Reset()
	if _, err := m.apply(s.Uninstall()); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, m.run.Calls, []string{"systemctl disable --now ddns.service", "systemctl daemon-reload"})
	wantTree(t, m, "etc/", "etc/systemd/", "etc/systemd/system/")
	if ok, _ := s.Installed(ctx); ok {
		t.Error("still installed after uninstall")
	}
}

func TestSystemdFailedInstallLeavesNothing(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Systemd)
	m.run.Fail["systemctl restart ddns.service"] = errExit
	out, err := m.apply(s.Install(spec))
	var se *service.StepError
	if !errors.As(err, &se) || !strings.Contains(se.Step, "systemctl restart") {
		t.Fatalf("error %v", err)
	}
	wantTree(t, m) // not even the directories it created
	wantCalls(t, m.run.Calls, []string{
		"systemctl daemon-reload", "systemctl enable ddns.service", "systemctl restart ddns.service",
		"systemctl disable --now ddns.service", "systemctl daemon-reload",
	})
	if !strings.Contains(out, "rolling back:") || !strings.Contains(out, "removed /etc/systemd/system/ddns.service") {
		t.Errorf("rollback not reported:\n%s", out)
	}
}

func TestSystemdFailedReinstallRestoresTheOldUnit(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Systemd)
	m.touch(t, "/etc/systemd/system/ddns.service", "old unit\n")
	m.run.Fail["systemctl daemon-reload"] = errExit
	if _, err := m.apply(s.Install(spec)); err == nil {
		t.Fatal("no error")
	}
	if got := m.file(t, "/etc/systemd/system/ddns.service"); got != "old unit\n" {
		t.Errorf("old unit not restored: %q", got)
	}
	// An existing service is not disabled by a failed reinstall.
	if slices.Contains(m.run.Calls, "systemctl disable --now ddns.service") {
		t.Errorf("calls %q", m.run.Calls)
	}
}

func TestSystemdReplacesTheOriginalsTimer(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Systemd)
	m.touch(t, "/etc/systemd/system/ddns.timer", "[Timer]\n")
	m.touch(t, "/etc/systemd/system/ddns.service", "[Service]\nType=oneshot\nExecStart=/usr/bin/python3 -m ddns --token secret\n")
	if _, err := m.apply(s.Install(spec)); err != nil {
		t.Fatal(err)
	}
	if m.file(t, "/etc/systemd/system/ddns.timer") != "" {
		t.Error("the original's timer is still there")
	}
	if strings.Contains(m.file(t, "/etc/systemd/system/ddns.service"), "--token") {
		t.Error("the original's unit (with its inline token) is still there")
	}
	wantCalls(t, m.run.Calls[:1], []string{"systemctl disable --now ddns.timer"})
}

func TestSystemdRefusesPathsItsSandboxHides(t *testing.T) {
	s := newMachine(t, "linux").scheduler(t, service.Systemd)
	for _, sp := range []service.Spec{
		{Exe: "/home/me/ddns", Configs: spec.Configs},
		{Exe: spec.Exe, Configs: []string{"/root/config.json"}},
		{Exe: spec.Exe, Configs: []string{"/tmp/config.json"}},
		{Exe: `/opt/it's/ddns`, Configs: spec.Configs},
		{Exe: "ddns", Configs: spec.Configs},
		{Exe: spec.Exe, Configs: []string{"/etc/ddns/a\nb.json"}},
		{Exe: spec.Exe},
	} {
		if plan, err := s.Install(sp); err == nil && len(plan.Problems()) == 0 {
			t.Errorf("%+v was accepted", sp)
		}
	}
}

// TestSystemdChecksWrites: files the configuration makes the service
// write must be in its StateDirectory or LogsDirectory; anything else
// is a problem naming the key, found before anything is written.
func TestSystemdChecksWrites(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Systemd)
	sp := spec
	sp.Writes = []service.WritePath{{Source: "c.json", Key: "log.file", Path: "/var/log/ddns.log"}, {Source: "c.json", Key: "cache", Path: "state.json"},
		{Source: "c.json", Key: "cache", Path: "/var/lib/ddns/ok.json"}, {Source: "c.json", Key: "log.file", Path: "/var/log/ddns/ddns.log"}}
	plan, err := s.Install(sp)
	if err != nil {
		t.Fatal(err)
	}
	got := plan.Problems()
	if len(got) != 2 || !strings.Contains(got[0], `c.json: log.file = "/var/log/ddns.log"`) || !strings.Contains(got[0], "/var/log/ddns/ddns.log") ||
		!strings.Contains(got[1], `cache = "state.json"`) {
		t.Errorf("problems %q", got)
	}
	if _, err := m.apply(plan, nil); err == nil {
		t.Error("a plan with problems was applied")
	}
	if len(m.tree(t)) != 0 {
		t.Errorf("wrote %q", m.tree(t))
	}
}

func TestProcdLifecycle(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Procd)
	const script, hook = "/etc/init.d/ddns-agent", "/etc/hotplug.d/iface/95-ddns-agent"
	if _, err := m.apply(s.Install(spec)); err != nil {
		t.Fatal(err)
	}
	if m.file(t, script) != string(service.RenderProcd(spec)) || m.mode(t, script) != 0o755 {
		t.Errorf("init script:\n%s", m.file(t, script))
	}
	if m.file(t, hook) != string(service.RenderHotplug()) || m.mode(t, hook) != 0o644 {
		t.Errorf("hook:\n%s", m.file(t, hook))
	}
	wantCalls(t, m.run.Calls, []string{script + " enable", script + " restart"})

	m.run.Fail[script+" running"] = errExit
	st := status(t, s)
	if !st.Installed || !st.Enabled || st.Running != service.RunningNo || len(st.Files) != 2 ||
		st.Command != "/usr/local/bin/ddns watch -c /etc/ddns/config.json" {
		t.Errorf("status %+v", st)
	}

	// Reinstalling without the hook removes it.
	noHook := spec
	noHook.Hotplug = false
	if _, err := m.apply(s.Install(noHook)); err != nil {
		t.Fatal(err)
	}
	if m.file(t, hook) != "" {
		t.Error("hook left behind")
	}

	m.run.Reset()
	m.apply(s.Disable())
	m.apply(s.Enable())
	wantCalls(t, m.run.Calls, []string{script + " stop", script + " disable", script + " enable", script + " start"})

	m.run.Reset()
	if _, err := m.apply(s.Uninstall()); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, m.run.Calls, []string{script + " stop", script + " disable"})
	wantTree(t, m, "etc/", "etc/hotplug.d/", "etc/hotplug.d/iface/", "etc/init.d/")
}

// TestFailedInstallLeavesOnlyOthersFiles: procd and launchd roll a failed
// install back to the files that were there before, and procd stops and
// disables what it had started.
func TestFailedInstallLeavesOnlyOthersFiles(t *testing.T) {
	for _, tt := range []struct {
		goos   string
		kind   string
		other  string // a file of someone else's, there before
		fail   string // the command that fails
		tree   []string
		undone []string // the calls after the first two, if checked
	}{
		{"linux", service.Procd, "/etc/init.d/network", "/etc/init.d/ddns-agent restart",
			[]string{"etc/", "etc/init.d/", "etc/init.d/network"},
			[]string{"/etc/init.d/ddns-agent stop", "/etc/init.d/ddns-agent disable"}},
		{"darwin", service.Launchd, "/Library/LaunchDaemons/other.plist",
			"launchctl bootstrap system /Library/LaunchDaemons/com.github.ddns-go.ddns.plist",
			[]string{"Library/", "Library/LaunchDaemons/", "Library/LaunchDaemons/other.plist"}, nil},
	} {
		t.Run(tt.kind, func(t *testing.T) {
			m := newMachine(t, tt.goos)
			m.touch(t, tt.other, "")
			s := m.scheduler(t, tt.kind)
			m.run.Fail[tt.fail] = errExit
			if _, err := m.apply(s.Install(spec)); err == nil {
				t.Fatal("no error")
			}
			wantTree(t, m, tt.tree...)
			if tt.undone != nil {
				wantCalls(t, m.run.Calls[2:], tt.undone)
			}
		})
	}
}

func TestLaunchdLifecycle(t *testing.T) {
	m := newMachine(t, "darwin")
	s := m.scheduler(t, service.Launchd)
	const plist = "/Library/LaunchDaemons/com.github.ddns-go.ddns.plist"
	const job = "system/com.github.ddns-go.ddns"
	if _, err := m.apply(s.Install(spec)); err != nil {
		t.Fatal(err)
	}
	if m.file(t, plist) != string(service.RenderLaunchd(spec)) || m.mode(t, plist) != 0o644 {
		t.Errorf("plist:\n%s", m.file(t, plist))
	}
	wantCalls(t, m.run.Calls, []string{"launchctl enable " + job, "launchctl bootstrap system " + plist})

	m.run.Reset()
	if _, err := m.apply(s.Install(spec)); err != nil {
		t.Fatal(err)
	}
	wantCalls(t, m.run.Calls, []string{"launchctl bootout " + job, "launchctl enable " + job, "launchctl bootstrap system " + plist})

	m.run.Out["launchctl print "+job] = "system/com.github.ddns-go.ddns = {\n\tstate = running\n"
	if st := status(t, s); !st.Installed || !st.Enabled || st.Running != service.RunningYes ||
		st.Command != "/usr/local/bin/ddns watch -c /etc/ddns/config.json" {
		t.Errorf("status %+v", st)
	}

	m.run.Reset()
	m.apply(s.Disable())
	wantCalls(t, m.run.Calls, []string{"launchctl disable " + job, "launchctl bootout " + job})
	m.run.Reset()
	m.apply(s.Uninstall())
	wantCalls(t, m.run.Calls, []string{"launchctl bootout " + job})
	wantTree(t, m, "Library/", "Library/LaunchDaemons/")
}

func TestCronLifecycle(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Cron)
	tab := "0 1 * * * /bin/other-job\n*/15 * * * * cd \"/root\" && /usr/bin/ddns --token p%q # DDNS: auto-update v4.0.2 installed on 2025-01-01 00:00:00\n"
	m.run.Crontab = &tab

	// The original's entry counts as installed, and install replaces it.
	if st := status(t, s); !st.Installed || st.Interval != 15 || st.Command != `cd "/root" && /usr/bin/ddns --token p%q` {
		t.Errorf("the original's entry: %+v", st)
	}
	if _, err := m.apply(s.Install(spec)); err != nil {
		t.Fatal(err)
	}
	line, _ := service.CronLine(spec)
	if want := "0 1 * * * /bin/other-job\n" + line + "\n"; *m.run.Crontab != want {
		t.Errorf("crontab %q, want %q", *m.run.Crontab, want)
	}
	m.run.Reset()
	out, err := m.apply(s.Install(spec))
	if err != nil || !strings.Contains(out, "already up to date") {
		t.Errorf("reinstall: %v %s", err, out)
	}
	wantCalls(t, m.run.Calls, []string{"crontab -l"})

	st := status(t, s)
	if !st.Installed || !st.Enabled || st.Interval != 5 || st.Command != "/usr/local/bin/ddns -c /etc/ddns/config.json" {
		t.Errorf("status %+v", st)
	}
	m.apply(s.Disable())
	if st := status(t, s); st.Enabled || !st.Installed || st.Interval != 5 {
		t.Errorf("after disable: %+v\n%s", st, *m.run.Crontab)
	}
	if !strings.Contains(*m.run.Crontab, "\n# */5 * * * *") {
		t.Errorf("not commented out: %q", *m.run.Crontab)
	}
	m.apply(s.Enable())
	if st := status(t, s); !st.Enabled {
		t.Errorf("after enable: %+v", st)
	}
	m.apply(s.Uninstall())
	if *m.run.Crontab != "0 1 * * * /bin/other-job\n" {
		t.Errorf("uninstall left %q", *m.run.Crontab)
	}
	if ok, _ := s.Installed(ctx); ok {
		t.Error("still installed")
	}
}

func TestCronWithoutACrontab(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Cron)
	if st := status(t, s); st.Installed {
		t.Errorf("%+v", st)
	}
	long := spec
	long.Interval = 120
	if _, err := m.apply(s.Install(long)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(*m.run.Crontab, "0 */2 * * * ") {
		t.Errorf("crontab %q", *m.run.Crontab)
	}
	if st := status(t, s); st.Interval != 120 {
		t.Errorf("interval %d", st.Interval)
	}
}

func TestCronNeverOverwritesACrontabItCouldNotRead(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Cron)
	m.run.Fail["crontab -l"] = &service.CommandError{Command: "crontab -l", Code: 1, Stderr: "crontab: permission denied"}
	if _, err := m.apply(s.Install(spec)); err == nil {
		t.Fatal("no error")
	}
	wantCalls(t, m.run.Calls, []string{"crontab -l"})
	if _, err := s.Install(service.Spec{Exe: spec.Exe, Configs: spec.Configs, Interval: 90}); err == nil {
		t.Error("an interval cron cannot express was accepted")
	}
}

func TestWindowsLifecycle(t *testing.T) {
	m := newMachine(t, "windows")
	s := m.scheduler(t, service.Windows)
	win := service.Spec{Exe: `C:\Program Files\ddns\ddns.exe`, Configs: []string{`C:\ProgramData\ddns\config.json`}}
	if st := status(t, s); st.Installed {
		t.Fatal(st)
	}
	out, err := m.apply(s.Install(win))
	if err != nil {
		t.Fatal(err)
	}
	wantCalls(t, m.scm.calls, []string{"Install", "InstallEventSource", "Start"})
	got := *m.scm.svc
	if got.Name != "ddns" || got.CommandLine != `"C:\Program Files\ddns\ddns.exe" watch -c "C:\ProgramData\ddns\config.json"` ||
		!slices.Equal(got.Recovery, service.WindowsSpec(win).Recovery) || got.ResetAfter.Hours() != 24 || len(got.Recovery) != 3 {
		t.Errorf("service %+v", got)
	}
	if !strings.Contains(out, "registered the Windows service ddns") {
		t.Errorf("output:\n%s", out)
	}

	// Reinstalling restarts the service so it runs the new command line.
	m.scm.calls = nil
	m.apply(s.Install(win))
	wantCalls(t, m.scm.calls, []string{"Install", "InstallEventSource", "Stop", "Start"})

	if st := status(t, s); !st.Installed || !st.Enabled || st.Running != service.RunningYes || st.Command != got.CommandLine {
		t.Errorf("status %+v", st)
	}
	m.scm.calls = nil
	m.apply(s.Disable())
	if st := status(t, s); st.Enabled || st.Running != service.RunningNo {
		t.Errorf("after disable %+v", st)
	}
	m.apply(s.Enable())
	wantCalls(t, m.scm.calls, []string{"Stop", "SetAutoStart", "SetAutoStart", "Start"})

	m.scm.calls = nil
	m.apply(s.Uninstall())
	wantCalls(t, m.scm.calls, []string{"Stop", "Remove", "RemoveEventSource"})
	if m.scm.svc != nil || m.scm.source {
		t.Error("service or event source left")
	}
}

func TestWindowsFailedInstallLeavesNothing(t *testing.T) {
	m := newMachine(t, "windows")
	s := m.scheduler(t, service.Windows)
	m.scm.fail["Start"] = errors.New("the service did not respond")
	win := service.Spec{Exe: `C:\ddns\ddns.exe`, Configs: []string{`C:\ProgramData\ddns\config.json`}}
	if _, err := m.apply(s.Install(win)); err == nil {
		t.Fatal("no error")
	}
	if m.scm.svc != nil || m.scm.source {
		t.Errorf("left behind: service %v, event source %v", m.scm.svc, m.scm.source)
	}
	if _, err := s.Install(service.Spec{Exe: "/usr/bin/ddns", Configs: win.Configs}); err == nil {
		t.Error("a Unix path was accepted for a Windows service")
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	for _, name := range []string{service.Systemd, service.Procd, service.Launchd, service.Cron, service.Windows} {
		t.Run(name, func(t *testing.T) {
			m := newMachine(t, "linux")
			s := m.scheduler(t, name)
			sp := spec
			if name == service.Windows {
				sp = service.Spec{Exe: `C:\ddns\ddns.exe`, Configs: []string{`C:\ProgramData\ddns\config.json`}}
			}
			for _, plan := range []func() (*service.Plan, error){
				func() (*service.Plan, error) { return s.Install(sp) }, s.Uninstall, s.Enable, s.Disable,
			} {
				out, err := m.dry(plan())
				if err != nil || !strings.Contains(out, "would ") {
					t.Errorf("dry run: %v\n%s", err, out)
				}
			}
			wantTree(t, m)
			wantCalls(t, m.run.Calls, nil)
			wantCalls(t, m.scm.calls, nil)
		})
	}
}

func TestDryRunShowsTheFile(t *testing.T) {
	m := newMachine(t, "linux")
	out, _ := m.dry(m.scheduler(t, service.Systemd).Install(spec))
	for _, want := range []string{
		"would write /etc/systemd/system/ddns.service (mode 0644):\n    # ddns:",
		"    ExecStart=/usr/local/bin/ddns watch -c /etc/ddns/config.json\n",
		"would run: systemctl daemon-reload\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
}

func TestHints(t *testing.T) {
	for _, name := range service.Names[1:] {
		if len(service.Hints(name, spec)) == 0 {
			t.Errorf("no hints for %s", name)
		}
	}
}

func TestCronWithoutCrontabCommand(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Cron)
	m.run.Fail["crontab -l"] = &exec.Error{Name: "crontab", Err: exec.ErrNotFound}
	if st := status(t, s); st.Installed {
		t.Errorf("%+v", st)
	}
	if _, err := m.apply(s.Install(spec)); err == nil || !strings.Contains(err.Error(), "crontab is not installed") {
		t.Errorf("install: %v", err)
	}
}

func TestAnInterruptedInstallIsStillRolledBack(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Systemd)
	cctx, cancel := context.WithCancel(ctx)
	m.run.OnRun = func(c context.Context, line string) error {
		if line == "systemctl enable ddns.service" {
			cancel() // Ctrl-C while systemctl runs
			return c.Err()
		}
		return c.Err()
	}
	plan, err := s.Install(spec)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := plan.Apply(cctx, &out, false); err == nil {
		t.Fatal("no error")
	}
	wantTree(t, m)
	if !slices.Contains(m.run.Calls, "systemctl disable --now ddns.service") {
		t.Errorf("rollback commands did not run: %q", m.run.Calls)
	}
}

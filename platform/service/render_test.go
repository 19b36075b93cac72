package service_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/platform/service"
)

func TestRenderGolden(t *testing.T) {
	cron := func(s service.Spec) []byte {
		var b bytes.Buffer
		for _, n := range []int{1, 5, 59, 60, 120, 360, 1440} {
			s.Interval = n
			line, err := service.CronLine(s)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		return b.Bytes()
	}
	windows := func(s service.Spec) []byte { return []byte(service.WindowsSpec(s).CommandLine + "\n") }
	winSpec := service.Spec{Exe: `C:\Program Files\ddns\ddns.exe`, Configs: []string{`C:\ProgramData\ddns\config.json`}}
	winOdd := service.Spec{Exe: `C:\odd "dir"\ddns.exe`, Configs: []string{`D:\trailing slash\`, `\\server\share\a b.json`}}
	for name, got := range map[string][]byte{
		"systemd.service":     service.RenderSystemd(spec),
		"systemd-odd.service": service.RenderSystemd(systemdOddSpec),
		"procd.init":          service.RenderProcd(spec),
		"procd-odd.init":      service.RenderProcd(oddSpec),
		"hotplug.iface":       service.RenderHotplug(),
		"launchd.plist":       service.RenderLaunchd(spec),
		"launchd-odd.plist":   service.RenderLaunchd(oddSpec),
		"cron.txt":            cron(spec),
		"cron-odd.txt":        cron(oddSpec),
		"windows.txt":         append(windows(winSpec), windows(winOdd)...),
	} {
		t.Run(name, func(t *testing.T) { golden(t, name, got) })
	}
}

func TestRenderedFilesHoldNoSecretButThePath(t *testing.T) {
	// Given a spec, every rendering names only the binary and the
	// configuration path: the only user data a rendering carries.
	for name, got := range map[string][]byte{
		"systemd": service.RenderSystemd(spec), "procd": service.RenderProcd(spec), "launchd": service.RenderLaunchd(spec),
	} {
		for _, bad := range []string{"token", "--dns", "--id"} {
			if bytes.Contains(got, []byte(bad)) {
				t.Errorf("%s rendering mentions %q", name, bad)
			}
		}
	}
}

// TestSystemdAnalyzeVerify checks the unit with systemd's own parser. The
// ExecStart binary must exist, so it points at a real file in a directory
// whose name needs escaping.
func TestSystemdAnalyzeVerify(t *testing.T) {
	tool, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (apt-get install systemd)")
	}
	dir := filepath.Join(t.TempDir(), `with space 50% $x`)
	exe := filepath.Join(dir, "ddns")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(t.TempDir(), "ddns.service")
	s := systemdOddSpec
	s.Exe = exe
	if err := os.WriteFile(unit, service.RenderSystemd(s), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "verify", unit).CombinedOutput()
	t.Logf("systemd-analyze verify: exit %v, output %q", err, out)
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "ddns.service") {
			t.Errorf("systemd-analyze: %s", l)
		}
	}
	if err != nil && !t.Failed() {
		t.Skipf("systemd-analyze verify cannot run here: %v: %s", err, out)
	}
}

// shell runs script with sh and returns its standard output.
func shell(t *testing.T, script string, env ...string) string {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh: %v\n%s", err, script)
	}
	return string(out)
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProcdScriptIsValidShellAndRunsTheReactor(t *testing.T) {
	for _, s := range []service.Spec{spec, oddSpec} {
		script := writeTemp(t, "ddns-agent", service.RenderProcd(s))
		shell(t, "sh -n "+script)
		// Given procd's helpers stubbed to print the command's words,
		// when start_service runs, then the words are the reactor's argv.
		// Given procd's helpers stubbed to print the command's words,
		// when start_service runs, then the words are the reactor's argv.
		out := shell(t, `procd_open_instance() { :; }; procd_close_instance() { :; }
procd_set_param() { [ "$1" = command ] || return 0; shift; for a; do printf '%s\n' "$a"; done; }
. "$SCRIPT"; start_service`, "SCRIPT="+script)
		want := append([]string{s.Exe, "watch"}, configArgs(s)...)
		if gotArgs := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); !slices.Equal(gotArgs, want) {
			t.Errorf("command words %q, want %q", gotArgs, want)
		}
	}
}

func configArgs(s service.Spec) []string {
	var a []string
	for _, c := range s.Configs {
		a = append(a, "-c", c)
	}
	return a
}

func TestHotplugHookIsValidShellAndIgnoresOtherActions(t *testing.T) {
	hook := writeTemp(t, "95-ddns-agent", service.RenderHotplug())
	shell(t, "sh -n "+hook)
	// hotplug-call sources hooks in a subshell; on ifdown it must do
	// nothing (not even source procd.sh, absent here).
	if out := shell(t, `( . "$HOOK" ); echo done`, "HOOK="+hook, "ACTION=ifdown"); out != "done\n" {
		t.Errorf("ifdown: %q", out)
	}
	if !bytes.Contains(service.RenderHotplug(), []byte("procd_send_signal ddns-agent '*' USR1")) {
		t.Error("the hook does not signal USR1 by name")
	}
}

func TestCronCommandGivesBackTheArguments(t *testing.T) {
	// Both cron flavours: Vixie cron/cronie turn \% into % before the
	// shell runs the command; BusyBox crond leaves it to the shell.
	for _, s := range []service.Spec{spec, oddSpec} {
		line, err := service.CronLine(s)
		if err != nil {
			t.Fatal(err)
		}
		fields := strings.Fields(line)
		cmd := strings.Join(fields[5:], " ")
		for flavour, text := range map[string]string{"vixie": strings.ReplaceAll(cmd, `\%`, "%"), "busybox": cmd} {
			if strings.Contains(strings.ReplaceAll(text, `\%`, ""), "%") && flavour == "busybox" {
				t.Errorf("%s: an unescaped %% would end the command: %s", flavour, line)
			}
			words := strings.TrimSuffix(text, " # ddns-go")
			out := shell(t, "set -- "+words+`; for a; do printf '%s\n' "$a"; done`)
			want := append([]string{s.Exe}, configArgs(s)...)
			if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); !slices.Equal(got, want) {
				t.Errorf("%s: %q, want %q", flavour, got, want)
			}
		}
	}
}

func TestLaunchdPlistParsesBackToTheArguments(t *testing.T) {
	for _, s := range []service.Spec{spec, oddSpec} {
		dec := xml.NewDecoder(bytes.NewReader(service.RenderLaunchd(s)))
		var args []string
		inArgs, key := false, ""
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("plist is not well-formed XML: %v", err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if tok.Name.Local == "array" && key == "ProgramArguments" {
					inArgs = true
				}
				if tok.Name.Local == "string" && inArgs {
					var v string
					if err := dec.DecodeElement(&v, &tok); err != nil {
						t.Fatal(err)
					}
					args = append(args, v)
				}
				if tok.Name.Local == "key" {
					if err := dec.DecodeElement(&key, &tok); err != nil {
						t.Fatal(err)
					}
				}
			case xml.EndElement:
				if tok.Name.Local == "array" {
					inArgs = false
				}
			}
		}
		want := append([]string{s.Exe, "watch"}, configArgs(s)...)
		if !slices.Equal(args, want) {
			t.Errorf("ProgramArguments %q, want %q", args, want)
		}
	}
}

func TestCronSchedule(t *testing.T) {
	for _, tc := range []struct {
		minutes int
		want    string // "" = refused
	}{
		{1, "*/1 * * * *"}, {5, "*/5 * * * *"}, {59, "*/59 * * * *"},
		{60, "0 */1 * * *"}, {120, "0 */2 * * *"}, {480, "0 */8 * * *"}, {720, "0 */12 * * *"},
		{1440, "0 0 * * *"},
		{0, ""}, {-3, ""}, {1441, ""}, {90, ""}, {300, ""}, {61, ""},
	} {
		got, err := service.CronSchedule(tc.minutes)
		if got != tc.want || (err == nil) != (tc.want != "") {
			t.Errorf("CronSchedule(%d) = %q, %v; want %q", tc.minutes, got, err, tc.want)
		}
	}
}

func TestCronIntervalReadsBackEverySchedule(t *testing.T) {
	m := newMachine(t, "linux")
	s := m.scheduler(t, service.Cron)
	for n := 1; n <= 1440; n++ {
		sp := spec
		sp.Interval = n
		line, err := service.CronLine(sp)
		if err != nil {
			continue
		}
		tab := line + "\n"
		m.run.Crontab = &tab
		if st := status(t, s); st.Interval != n {
			t.Errorf("%q read back as %d minutes", line, st.Interval)
		}
	}
}

package service_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ddns-go/ddns/internal/servicetest"
	"github.com/ddns-go/ddns/platform/service"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// fakeSCM is a Windows service manager in memory.
type fakeSCM struct {
	calls   []string
	svc     *service.WindowsService
	auto    bool
	running bool
	source  bool
	fail    map[string]error // method name → error
}

func (f *fakeSCM) call(name string) error {
	f.calls = append(f.calls, name)
	return f.fail[name]
}

func (f *fakeSCM) Install(s service.WindowsService) error {
	if err := f.call("Install"); err != nil {
		return err
	}
	f.svc, f.auto = &s, true
	return nil
}

func (f *fakeSCM) Remove(string) error {
	if err := f.call("Remove"); err != nil {
		return err
	}
	f.svc = nil
	return nil
}

func (f *fakeSCM) InstallEventSource(string) error {
	if err := f.call("InstallEventSource"); err != nil {
		return err
	}
	f.source = true
	return nil
}

func (f *fakeSCM) RemoveEventSource(string) error {
	if err := f.call("RemoveEventSource"); err != nil {
		return err
	}
	f.source = false
	return nil
}

func (f *fakeSCM) Start(string) error {
	if err := f.call("Start"); err != nil {
		return err
	}
	f.running = true
	return nil
}

func (f *fakeSCM) Stop(string) error {
	if err := f.call("Stop"); err != nil {
		return err
	}
	f.running = false
	return nil
}

func (f *fakeSCM) SetAutoStart(_ string, on bool) error {
	if err := f.call("SetAutoStart"); err != nil {
		return err
	}
	f.auto = on
	return nil
}

func (f *fakeSCM) Query(string) (service.WindowsState, error) {
	if f.svc == nil {
		return service.WindowsState{}, nil
	}
	return service.WindowsState{Installed: true, AutoStart: f.auto, Running: f.running, CommandLine: f.svc.CommandLine}, nil
}

// machine is a fake host: a temporary root, a fake runner and SCM.
type machine struct {
	t    *testing.T
	root string
	run  *servicetest.Runner
	scm  *fakeSCM
	host service.Host
}

func newMachine(t *testing.T, goos string) *machine {
	m := &machine{t: t, root: t.TempDir(), run: servicetest.NewRunner(), scm: &fakeSCM{fail: map[string]error{}}}
	m.host = service.Host{Root: m.root, Runner: m.run, SCM: m.scm, GOOS: goos}
	return m
}

// file reads a file of the fake machine; "" when it does not exist.
func (m *machine) file(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(m.root, p))
	if err != nil {
		return ""
	}
	return string(b)
}

func (m *machine) mode(t *testing.T, p string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(filepath.Join(m.root, p))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// touch creates a file (and its directories) on the fake machine.
func (m *machine) touch(t *testing.T, p, body string) {
	t.Helper()
	full := filepath.Join(m.root, p)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree lists every file under the fake root.
func (m *machine) tree(t *testing.T) []string {
	t.Helper()
	var files []string
	filepath.WalkDir(m.root, func(p string, d os.DirEntry, err error) error {
		if err == nil && p != m.root {
			rel, _ := filepath.Rel(m.root, p)
			if d.IsDir() {
				rel += "/"
			}
			files = append(files, rel)
		}
		return nil
	})
	return files
}

func (m *machine) scheduler(t *testing.T, name string) service.Scheduler {
	t.Helper()
	s, err := service.New(name, m.host)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// apply carries out a plan just built, returning what it printed.
func (m *machine) apply(plan *service.Plan, err error) (string, error) {
	return m.applyPlan(plan, err, false)
}

// dry applies a plan just built with --dry-run.
func (m *machine) dry(plan *service.Plan, err error) (string, error) {
	return m.applyPlan(plan, err, true)
}

func (m *machine) applyPlan(plan *service.Plan, err error, dry bool) (string, error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatal(err)
	}
	var out bytes.Buffer
	err = plan.Apply(context.Background(), &out, dry)
	return out.String(), err
}

// spec is what most tests install.
var spec = service.Spec{Exe: "/usr/local/bin/ddns", Configs: []string{"/etc/ddns/config.json"}, Interval: 5, Hotplug: true}

// oddSpec has paths holding every character a format must escape.
var oddSpec = service.Spec{
	Exe:      `/opt/my ddns/50% "new" $HOME\it's/ddns`,
	Configs:  []string{"/etc/ddns/a&b <c>.json", "/etc/ddns/plain.json"},
	Interval: 120,
	Hotplug:  true,
}

// systemdOddSpec is oddSpec as far as systemd allows: it refuses to run a
// binary whose path holds quotes or backslashes, but arguments may.
var systemdOddSpec = service.Spec{
	Exe:     "/opt/my ddns/50% $HOME/ddns",
	Configs: []string{`/etc/ddns/it's "a" \ $HOME %n.json`, "/etc/ddns/plain.json"},
}

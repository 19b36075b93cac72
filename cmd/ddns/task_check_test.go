package main

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// wroteNothing fails when the machine has files besides keep, or ran a
// command.
func (m *taskMachine) wroteNothing(t *testing.T, keep ...string) {
	t.Helper()
	if len(m.run.Calls) > 0 {
		t.Errorf("ran %q", m.run.Calls)
	}
	filepath.WalkDir(m.root, func(p string, d fs.DirEntry, err error) error {
		rel := strings.TrimPrefix(p, m.root)
		if err == nil && !d.IsDir() {
			for _, k := range keep {
				if rel == k {
					return nil
				}
			}
			t.Errorf("wrote %s", rel)
		}
		return nil
	})
}

// TestTaskSchedulerNotHere: a scheduler that is not running is refused
// before anything is written, with what would work instead; a dry run
// renders the plan and then warns.
func TestTaskSchedulerNotHere(t *testing.T) {
	m := newTaskMachine(t, "cron") // no /run/systemd/system
	m.write(testConfig, secretConfig, 0o600)
	r := m.task("install", "--scheduler", "systemd")
	r.expect(t, 1, "2:ddns task: --scheduler systemd: systemd is not running on this host", "2:--scheduler auto picks cron here", "Failed to install DDNS task\n")
	if n := strings.Count(r.stderr, "\n"); n != 1 {
		t.Errorf("%d lines on stderr, want 1:\n%s", n, r.stderr)
	}
	m.wroteNothing(t, testConfig)

	m.task("install", "--scheduler", "systemd", "--dry-run").expect(t, 1,
		"would write /etc/systemd/system/ddns.service", "2:ddns task: warning: --scheduler systemd: systemd is not running")
	m.wroteNothing(t, testConfig)

	m.task("install", "--scheduler", "windows").expect(t, 2, "2:the Windows service manager exists only on Windows, this is linux")
	m.task("install", "--scheduler", "launchd", "--dry-run").expect(t, 2, "2:launchd exists only on macOS")
	m.wroteNothing(t, testConfig)
}

// TestTaskSandboxChecks: the binary, the configuration and the files the
// configuration writes (log.file, cache) must be usable inside the unit's
// sandbox; a dry run shows the unit, then the problems, and exits 1.
func TestTaskSandboxChecks(t *testing.T) {
	m := newTaskMachine(t, "systemd")
	m.write(testConfig, `{"dns": "debug", "ipv4": ["a.example.com"], "log": {"file": "/var/log/ddns.log"}, "cache": "/srv/ddns-state.json"}`, 0o600)
	keep := []string{testConfig, "/run/systemd/system/.keep"}
	r := m.task("install")
	r.expect(t, 1, `2:ddns task: /etc/ddns/config.json: log.file = "/var/log/ddns.log"`, "2:set log.file to /var/log/ddns/ddns.log",
		`2:config.json: cache = "/srv/ddns-state.json"`, "2:set cache to /var/lib/ddns/ddns-state.json", "Failed to install DDNS task\n")
	m.wroteNothing(t, keep...)

	r = m.task("install", "--dry-run")
	r.expect(t, 1, "would write /etc/systemd/system/ddns.service", "ProtectSystem=strict", "2:ddns task: warning: /etc/ddns/config.json: log.file")
	m.wroteNothing(t, keep...)

	m.write(testConfig, secretConfig, 0o600)
	m.env.Exe = func() (string, error) { return "/tmp/ddns", nil }
	m.task("install", "--dry-run").expect(t, 1, "would write /etc/systemd/system/ddns.service", "2:warning: /tmp/ddns is under /tmp")
	m.task("install").expect(t, 1, "2:ddns task: /tmp/ddns is under /tmp", "Failed to install DDNS task\n")
	m.wroteNothing(t, keep...)

	// Inside the sandbox's writable directories all is well.
	m.env.Exe = func() (string, error) { return testExe, nil }
	m.write(testConfig, `{"dns": "debug", "ipv4": ["a.example.com"], "log": {"file": "/var/log/ddns/ddns.log"}, "cache": "/var/lib/ddns/state.json"}`, 0o600)
	m.task("install").expect(t, 0, "DDNS task installed successfully\n")
}

package service

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// The systemd unit. The original's `task` installed a oneshot ddns.service
// driven by ddns.timer; ours replaces that service with the long-running
// reactor and removes the timer.
const (
	systemdUnit      = "ddns.service"
	systemdUnitPath  = "/etc/systemd/system/" + systemdUnit
	systemdUnitMode  = 0o644 // world-readable like every unit: it holds no secret
	legacyTimer      = "ddns.timer"
	legacyTimerPath  = "/etc/systemd/system/" + legacyTimer
	systemdRestartIn = 5 // seconds: soon enough to keep records current, slow enough not to spin
	// systemdWatchdog is WatchdogSec: the reactor sends WATCHDOG=1 every
	// half of it, so a hung reactor is restarted within a minute.
	systemdWatchdog = 60
)

type systemd struct{ h Host }

func (systemd) Name() string { return Systemd }

func (s systemd) Installed(context.Context) (bool, error) { return s.h.exists(systemdUnitPath), nil }

func (s systemd) Status(ctx context.Context) (Status, error) {
	st := Status{Scheduler: Systemd}
	unit, err := s.h.readFile(systemdUnitPath)
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Installed, st.Files = true, []string{systemdUnitPath}
	st.Command = unitValue(unit, "ExecStart")
	out, _ := s.h.run(ctx, nil, "systemctl", "is-enabled", systemdUnit)
	st.Enabled = strings.TrimSpace(string(out)) == "enabled"
	out, err = s.h.run(ctx, nil, "systemctl", "is-active", systemdUnit)
	var ce *CommandError
	switch {
	case strings.TrimSpace(string(out)) == "active":
		st.Running = RunningYes
	case err == nil || errors.As(err, &ce):
		st.Running = RunningNo
	}
	return st, nil
}

func (s systemd) Install(spec Spec) (*Plan, error) {
	if err := spec.check(unixAbs); err != nil {
		return nil, err
	}
	if strings.ContainsAny(spec.Exe, systemdUnsafe) {
		return nil, fmt.Errorf("systemd refuses to run a binary whose path holds quotes or backslashes (%s); move it, e.g. to /usr/local/bin/ddns", spec.Exe)
	}
	p := &Plan{host: s.h}
	for _, f := range append([]string{spec.Exe}, spec.Configs...) {
		if err := visibleToUnit(f); err != nil {
			p.problems = append(p.problems, err.Error())
		}
	}
	for _, w := range spec.Writes {
		if err := writableByUnit(w); err != nil {
			p.problems = append(p.problems, err.Error())
		}
	}
	if s.h.exists(legacyTimerPath) {
		p.steps = append(p.steps, tryRun("systemctl", "disable", "--now", legacyTimer), removeFile{legacyTimerPath})
	}
	p.steps = append(p.steps,
		writeFile{systemdUnitPath, systemdUnitMode, RenderSystemd(spec)},
		run("systemctl", "daemon-reload"),
		run("systemctl", "enable", systemdUnit),
		// restart, not start: a reinstall must run the new command line.
		run("systemctl", "restart", systemdUnit),
	)
	if !s.h.exists(systemdUnitPath) {
		p.undoFirst = []step{tryRun("systemctl", "disable", "--now", systemdUnit)}
	}
	p.undoAfter = []step{tryRun("systemctl", "daemon-reload")}
	return p, nil
}

func (s systemd) Uninstall() (*Plan, error) {
	p := &Plan{host: s.h, steps: []step{
		tryRun("systemctl", "disable", "--now", systemdUnit),
		removeFile{systemdUnitPath},
	}}
	if s.h.exists(legacyTimerPath) {
		p.steps = append(p.steps, tryRun("systemctl", "disable", "--now", legacyTimer), removeFile{legacyTimerPath})
	}
	p.steps = append(p.steps, tryRun("systemctl", "daemon-reload"))
	return p, nil
}

func (s systemd) Enable() (*Plan, error) {
	return &Plan{host: s.h, steps: []step{run("systemctl", "enable", "--now", systemdUnit)}}, nil
}

func (s systemd) Disable() (*Plan, error) {
	return &Plan{host: s.h, steps: []step{run("systemctl", "disable", "--now", systemdUnit)}}, nil
}

// systemdUnsafe are the characters systemd refuses in an executable's
// path ("Executable name contains special characters"), besides the
// control characters Spec.check already refuses everywhere.
const systemdUnsafe = "\"'\\\x7f"

// hiddenFromUnit are the trees the unit's sandbox hides from the service
// (ProtectHome=yes, PrivateTmp=yes): a binary or configuration there
// would install fine and then fail to start.
var hiddenFromUnit = []string{"/home", "/root", "/run/user", "/tmp", "/var/tmp"}

func visibleToUnit(p string) error {
	for _, d := range hiddenFromUnit {
		if p == d || strings.HasPrefix(p, d+"/") {
			return fmt.Errorf("%s is under %s, which the service's sandbox (ProtectHome=yes, PrivateTmp=yes) hides; "+
				"move it first (the binary to /usr/local/bin, the configuration to /etc/ddns)", p, d)
		}
	}
	return nil
}

// unitWritable are the only trees the unit may write under
// ProtectSystem=strict: its StateDirectory and LogsDirectory.
var unitWritable = []string{"/var/lib/ddns", "/var/log/ddns"}

// writableByUnit checks a file the configuration makes the service write:
// anywhere else the write fails at run time with EROFS.
func writableByUnit(w WritePath) error {
	if !unixAbs(w.Path) {
		return fmt.Errorf("%s: %s = %q: the service runs in / (read-only), so a relative path cannot be written; "+
			"use a path under /var/lib/ddns or /var/log/ddns", w.Source, w.Key, w.Path)
	}
	for _, d := range unitWritable {
		if strings.HasPrefix(w.Path, d+"/") {
			return nil
		}
	}
	suggest := "/var/lib/ddns/" + path.Base(w.Path)
	if w.Key == "log.file" {
		suggest = "/var/log/ddns/" + path.Base(w.Path)
	}
	return fmt.Errorf("%s: %s = %q: the service may write only under /var/lib/ddns and /var/log/ddns (ProtectSystem=strict); "+
		"set %s to %s", w.Source, w.Key, w.Path, w.Key, suggest)
}

// RenderSystemd is the unit file that runs the reactor for spec.
//
// Hardening, and what it leaves alone: the service runs as root with no
// capabilities at all, so it can read only files that root owns or that
// are readable by all; the file system is read-only except its state
// (/var/lib/ddns) and log (/var/log/ddns) directories. Network access is
// limited to IPv4, IPv6, netlink (address events, `ip` in shell: rules)
// and Unix sockets (the journal, sd_notify). MemoryDenyWriteExecute,
// PrivateUsers and ProtectProc are not set: they would break
// interpreters with a JIT or process-inspecting tools that a shell: or
// cmd: rule may run.
func RenderSystemd(spec Spec) []byte {
	argv := append([]string{spec.Exe}, spec.watchArgs()...)
	words := make([]string, len(argv))
	for i, a := range argv {
		words[i] = systemdWord(a, i == 0)
	}
	return lines(
		"# ddns: keeps DNS records pointed at this machine (the `ddns watch` reactor).",
		"# Written by `ddns task install`; `ddns task uninstall` removes it.",
		"# It holds no secret: the service reads its settings from the -c file.",
		"",
		"[Unit]",
		"Description=ddns: keep DNS records pointed at this machine",
		"Wants=network-online.target",
		"After=network-online.target",
		"",
		"[Service]",
		"Type=notify",
		"ExecStart="+strings.Join(words, " "),
		"ExecReload=/bin/kill -HUP $MAINPID",
		"Restart=on-failure",
		fmt.Sprintf("RestartSec=%d", systemdRestartIn),
		fmt.Sprintf("WatchdogSec=%d", systemdWatchdog),
		"StateDirectory=ddns",
		"StateDirectoryMode=0700",
		"LogsDirectory=ddns",
		"LogsDirectoryMode=0700",
		"UMask=0077",
		"NoNewPrivileges=yes",
		"CapabilityBoundingSet=",
		"AmbientCapabilities=",
		"ProtectSystem=strict",
		"ProtectHome=yes",
		"PrivateTmp=yes",
		"PrivateDevices=yes",
		"ProtectKernelTunables=yes",
		"ProtectKernelModules=yes",
		"ProtectKernelLogs=yes",
		"ProtectControlGroups=yes",
		"ProtectClock=yes",
		"ProtectHostname=yes",
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX",
		"RestrictNamespaces=yes",
		"RestrictRealtime=yes",
		"RestrictSUIDSGID=yes",
		"LockPersonality=yes",
		"SystemCallArchitectures=native",
		"SystemCallFilter=@system-service",
		"SystemCallErrorNumber=EPERM",
		"",
		"[Install]",
		"WantedBy=multi-user.target",
	)
}

// lines joins lines into a file's text.
func lines(l ...string) []byte { return []byte(strings.Join(l, "\n") + "\n") }

// unitValue is the value of the first `key=` line of a unit file.
func unitValue(unit []byte, key string) string {
	sc := bufio.NewScanner(bytes.NewReader(unit))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+"="); ok {
			return v
		}
	}
	return ""
}

package service

import (
	"context"
	"strings"
)

// The macOS launch daemon: a system-wide job (the original installed a
// per-user agent, which stops when the user logs out).
const (
	launchdLabel = "com.github.ddns-go.ddns"
	launchdPlist = "/Library/LaunchDaemons/" + launchdLabel + ".plist"
	launchdMode  = 0o644 // launchd refuses group- or world-writable plists; it holds no secret
	launchdJob   = "system/" + launchdLabel
	launchdLog   = "/var/log/ddns.log"
	// launchdStateDir is where the reactor keeps its state: a daemon has
	// no home directory, and /var/db is where macOS daemons keep theirs.
	launchdStateDir = "/var/db/ddns"
)

type launchd struct{ h Host }

func (launchd) Name() string { return Launchd }

func (s launchd) Installed(context.Context) (bool, error) { return s.h.exists(launchdPlist), nil }

func (s launchd) Status(ctx context.Context) (Status, error) {
	st := Status{Scheduler: Launchd}
	plist, err := s.h.readFile(launchdPlist)
	if err != nil {
		return st, nil
	}
	st.Installed, st.Files = true, []string{launchdPlist}
	st.Command = plistArguments(string(plist))
	// Loaded means enabled, as in the original.
	out, err := s.h.run(ctx, nil, "launchctl", "print", launchdJob)
	st.Enabled = err == nil
	st.Running = RunningNo
	if err == nil && strings.Contains(string(out), "state = running") {
		st.Running = RunningYes
	}
	return st, nil
}

func (s launchd) Install(spec Spec) (*Plan, error) {
	if err := spec.check(unixAbs); err != nil {
		return nil, err
	}
	p := &Plan{host: s.h}
	reinstall := s.h.exists(launchdPlist)
	p.steps = append(p.steps, writeFile{launchdPlist, launchdMode, RenderLaunchd(spec)})
	if reinstall {
		// bootstrap refuses a loaded job: unload the old one first.
		p.steps = append(p.steps, tryRun("launchctl", "bootout", launchdJob))
		p.undoAfter = []step{tryRun("launchctl", "bootstrap", "system", launchdPlist)}
	} else {
		p.undoFirst = []step{tryRun("launchctl", "bootout", launchdJob)}
	}
	// enable clears a `disable` left by an earlier uninstall or disable,
	// which would make bootstrap fail.
	p.steps = append(p.steps,
		run("launchctl", "enable", launchdJob),
		run("launchctl", "bootstrap", "system", launchdPlist),
	)
	return p, nil
}

func (s launchd) Uninstall() (*Plan, error) {
	return &Plan{host: s.h, steps: []step{
		tryRun("launchctl", "bootout", launchdJob),
		removeFile{launchdPlist},
	}}, nil
}

func (s launchd) Enable() (*Plan, error) {
	return &Plan{host: s.h, steps: []step{
		run("launchctl", "enable", launchdJob),
		tryRun("launchctl", "bootout", launchdJob), // restart it if loaded
		run("launchctl", "bootstrap", "system", launchdPlist),
	}}, nil
}

func (s launchd) Disable() (*Plan, error) {
	return &Plan{host: s.h, steps: []step{
		run("launchctl", "disable", launchdJob),
		tryRun("launchctl", "bootout", launchdJob),
	}}, nil
}

// RenderLaunchd is the launch daemon plist that runs the reactor for spec.
// launchd restarts it when it fails (KeepAlive/SuccessfulExit=false, like
// systemd's Restart=on-failure): a clean stop stays stopped.
func RenderLaunchd(spec Spec) []byte {
	l := []string{
		`<?xml version="1.0" encoding="UTF-8"?>`,
		`<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`,
		`<!-- ddns: keeps DNS records pointed at this machine (the "ddns watch" reactor).`,
		`     Written by "ddns task install"; "ddns task uninstall" removes it.`,
		`     It holds no secret: the service reads its settings from the -c file. -->`,
		`<plist version="1.0">`,
		`<dict>`,
		`	<key>Label</key>`,
		`	<string>` + launchdLabel + `</string>`,
		`	<key>ProgramArguments</key>`,
		`	<array>`,
	}
	for _, a := range append([]string{spec.Exe}, spec.watchArgs()...) {
		l = append(l, "\t\t<string>"+xmlText(a)+"</string>")
	}
	l = append(l,
		`	</array>`,
		`	<key>EnvironmentVariables</key>`,
		`	<dict>`,
		`		<key>STATE_DIRECTORY</key>`,
		`		<string>`+launchdStateDir+`</string>`,
		`	</dict>`,
		`	<key>RunAtLoad</key>`,
		`	<true/>`,
		`	<key>KeepAlive</key>`,
		`	<dict>`,
		`		<key>SuccessfulExit</key>`,
		`		<false/>`,
		`	</dict>`,
		`	<key>StandardOutPath</key>`,
		`	<string>`+launchdLog+`</string>`,
		`	<key>StandardErrorPath</key>`,
		`	<string>`+launchdLog+`</string>`,
		`</dict>`,
		`</plist>`,
	)
	return lines(l...)
}

// plistArguments recovers the ProgramArguments of a plist RenderLaunchd
// wrote, for status.
func plistArguments(plist string) string {
	_, rest, _ := strings.Cut(plist, "<key>ProgramArguments</key>")
	rest, _, _ = strings.Cut(rest, "</array>")
	var argv []string
	for _, part := range strings.Split(rest, "<string>")[1:] {
		v, _, _ := strings.Cut(part, "</string>")
		argv = append(argv, xmlUnescape(v))
	}
	return displayCommand(argv)
}

var xmlUnescape = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&").Replace

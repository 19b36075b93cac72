package service

import (
	"context"
	"fmt"
	"strings"
)

// The OpenWrt service. OpenWrt's own ddns-scripts package owns
// /etc/init.d/ddns and /var/run/ddns, and openwrt/packages already has a
// ddns-go (another project), so everything here is "ddns-agent", the name
// of this project's OpenWrt package too (packaging/openwrt).
const (
	procdName       = "ddns-agent"
	procdScript     = "/etc/init.d/" + procdName
	procdScriptMode = 0o755 // run by rc.common; holds no secret
	procdHook       = "/etc/hotplug.d/iface/95-" + procdName
	procdHookMode   = 0o644 // sourced by hotplug-call, like OpenWrt's own hooks
	// procdStateDir is where the reactor keeps its state by default:
	// /var/run is RAM on OpenWrt, so a steady state writes nothing to
	// flash. After a reboot the state is rebuilt with one lookup per
	// record. A "cache" path in the configuration still wins.
	procdStateDir = "/var/run/" + procdName
	// procdStart orders the service last at boot, after the network.
	procdStart = 99
	// procdRespawn: a run shorter than 3600 s counts as a crash, restart
	// after 5 s, and never give up (0 retries = unlimited): a router has
	// no one to restart it by hand.
	procdRespawn = "3600 5 0"
)

type procd struct{ h Host }

func (procd) Name() string { return Procd }

func (s procd) Installed(context.Context) (bool, error) { return s.h.exists(procdScript), nil }

func (s procd) Status(ctx context.Context) (Status, error) {
	st := Status{Scheduler: Procd}
	if !s.h.exists(procdScript) {
		return st, nil
	}
	st.Installed, st.Files = true, []string{procdScript}
	if s.h.exists(procdHook) {
		st.Files = append(st.Files, procdHook)
	}
	script, err := s.h.readFile(procdScript)
	if err != nil {
		return st, err
	}
	for _, l := range strings.Split(string(script), "\n") {
		if c, ok := strings.CutPrefix(strings.TrimSpace(l), "procd_set_param command "); ok {
			st.Command = c
		}
	}
	_, err = s.h.run(ctx, nil, procdScript, "enabled")
	st.Enabled = err == nil
	_, err = s.h.run(ctx, nil, procdScript, "running")
	st.Running = RunningYes
	if err != nil {
		st.Running = RunningNo
	}
	return st, nil
}

func (s procd) Install(spec Spec) (*Plan, error) {
	if err := spec.check(unixAbs); err != nil {
		return nil, err
	}
	p := &Plan{host: s.h, steps: []step{writeFile{procdScript, procdScriptMode, RenderProcd(spec)}}}
	switch {
	case spec.Hotplug:
		p.steps = append(p.steps, writeFile{procdHook, procdHookMode, RenderHotplug()})
	case s.h.exists(procdHook):
		p.steps = append(p.steps, removeFile{procdHook})
	}
	p.steps = append(p.steps, run(procdScript, "enable"), run(procdScript, "restart"))
	if !s.h.exists(procdScript) {
		p.undoFirst = []step{tryRun(procdScript, "stop"), tryRun(procdScript, "disable")}
	}
	return p, nil
}

func (s procd) Uninstall() (*Plan, error) {
	return &Plan{host: s.h, steps: []step{
		tryRun(procdScript, "stop"),
		tryRun(procdScript, "disable"),
		removeFile{procdHook},
		removeFile{procdScript},
	}}, nil
}

func (s procd) Enable() (*Plan, error) {
	return &Plan{host: s.h, steps: []step{run(procdScript, "enable"), run(procdScript, "start")}}, nil
}

func (s procd) Disable() (*Plan, error) {
	return &Plan{host: s.h, steps: []step{run(procdScript, "stop"), run(procdScript, "disable")}}, nil
}

// RenderProcd is the procd init script that runs the reactor for spec:
// stdout and stderr go to logd (logread); `reload` sends SIGHUP, which
// re-reads the configuration. (procd's own reload_signal would signal only
// when the instance's parameters changed, and `reload` would otherwise do
// nothing: the configuration file is not one of them.)
func RenderProcd(spec Spec) []byte {
	argv := append([]string{spec.Exe}, spec.watchArgs()...)
	return lines(
		"#!/bin/sh /etc/rc.common",
		"# ddns-agent: keeps DNS records pointed at this router (the `ddns watch` reactor).",
		"# Written by `ddns task install`; `ddns task uninstall` removes it.",
		"# It holds no secret: the service reads its settings from the -c file.",
		"",
		"USE_PROCD=1",
		fmt.Sprintf("START=%d", procdStart),
		"",
		"start_service() {",
		"\tprocd_open_instance",
		"\tprocd_set_param command "+displayCommand(argv),
		"\t# state in RAM: no flash wear (a \"cache\" path in the configuration wins)",
		"\tprocd_set_param env STATE_DIRECTORY="+procdStateDir,
		"\tprocd_set_param respawn "+procdRespawn,
		"\tprocd_set_param stdout 1",
		"\tprocd_set_param stderr 1",
		"\tprocd_close_instance",
		"}",
		"",
		"reload_service() {",
		"\tprocd_send_signal "+procdName+" '*' HUP",
		"}",
	)
}

// RenderHotplug is the hook hotplug-call sources when an interface comes
// up or is updated (a new lease, a PPPoE reconnect): it asks the running
// reactor to sync now (SIGUSR1, named, because its number differs on
// MIPS). A reactor that is not running is left alone.
func RenderHotplug() []byte {
	return lines(
		"# ddns-agent: an interface came up; ask the running reactor to sync now.",
		"# Written by `ddns task install`; `ddns task uninstall` removes it.",
		`case "$ACTION" in`,
		"ifup|ifupdate)",
		"\t. /lib/functions/procd.sh",
		"\tprocd_send_signal "+procdName+" '*' USR1 >/dev/null 2>&1",
		"\t;;",
		"esac",
	)
}

package service

import (
	"errors"
	"fmt"
	"strings"
)

// Spec is what to install: which binary runs with which configuration.
type Spec struct {
	// Exe is the absolute path of the ddns binary.
	Exe string
	// Configs are the absolute paths of the configuration files the
	// service reads (-c FILE each); at least one. They are the only thing
	// the service is told, so no secret is written anywhere else.
	Configs []string
	// Interval is how often, in minutes, the cron entry runs the one-shot
	// command (1..1440, see CronSchedule). Services ignore it: the reactor
	// reacts to changes and polls on its own schedule.
	Interval int
	// Hotplug, for procd, also installs the interface hook that asks the
	// running reactor to sync as soon as an interface comes up.
	Hotplug bool
	// Writes are the files the configuration makes the service write
	// (log.file, cache), checked against a sandboxed service's view.
	Writes []WritePath
}

// WritePath is a file the service writes, with the configuration key that
// names it, for messages.
type WritePath struct {
	Source string // the configuration file that sets it
	Key    string // "log.file" or "cache"
	Path   string
}

// DefaultInterval is the cron interval of the original's `task --install`.
const DefaultInterval = 5

// watchArgs is the command line of the reactor, after the binary.
func (s Spec) watchArgs() []string { return append([]string{"watch"}, s.configArgs()...) }

func (s Spec) configArgs() []string {
	var a []string
	for _, c := range s.Configs {
		a = append(a, "-c", c)
	}
	return a
}

// check reports a Spec that cannot be installed. isAbs is the notion of
// absolute path of the target system.
func (s Spec) check(isAbs func(string) bool) error {
	if !isAbs(s.Exe) {
		return fmt.Errorf("the ddns binary path %q is not absolute", s.Exe)
	}
	if len(s.Configs) == 0 {
		return errors.New("no configuration file given")
	}
	for _, c := range s.Configs {
		if !isAbs(c) {
			return fmt.Errorf("the configuration path %q is not absolute", c)
		}
	}
	for _, p := range append([]string{s.Exe}, s.Configs...) {
		if strings.ContainsAny(p, "\x00\n\r") {
			return fmt.Errorf("the path %q holds a newline or NUL, which no service definition can carry", p)
		}
	}
	return nil
}

// unixAbs is filepath.IsAbs of a Unix system, whatever this one is.
func unixAbs(p string) bool { return strings.HasPrefix(p, "/") }

// windowsAbs reports a drive-absolute or UNC Windows path.
func windowsAbs(p string) bool {
	if strings.HasPrefix(p, `\\`) {
		return true
	}
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

// Status is what `ddns task status` shows.
type Status struct {
	Scheduler string
	Installed bool
	Enabled   bool    // starts at boot (cron: the entry is not commented out)
	Running   Running // only services know
	Command   string  // the command line as installed
	Interval  int     // cron: minutes between runs; 0 = unknown
	Files     []string
}

// Running is whether a service's process is up, when that can be known.
type Running int

// Running values.
const (
	RunningUnknown Running = iota // not a service, or the manager would not say
	RunningYes
	RunningNo
)

package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The Windows service, registered with the Service Control Manager.
const (
	winName        = "ddns"
	winDisplayName = "ddns (dynamic DNS)"
	winDescription = "Keeps DNS records pointed at this machine (ddns watch). Settings: the -c file."
	// winResetAfter: a day without failure forgets earlier ones, so the
	// next failure is again restarted after the shortest delay.
	winResetAfter = 24 * time.Hour
)

// winRecovery are the restart delays after the first, second and every
// later failure: soon at first, then backing off so a persistent failure
// does not spin.
var winRecovery = []time.Duration{5 * time.Second, 30 * time.Second, 60 * time.Second}

// WindowsService is the service the windows scheduler registers.
type WindowsService struct {
	Name        string
	DisplayName string
	Description string
	// Exe is the absolute path of ddns.exe; CommandLine is the whole
	// command line the SCM runs, Exe quoted, then the arguments.
	Exe, CommandLine string
	// Recovery are the restart delays after successive failures;
	// ResetAfter is when the failure count starts again from zero.
	Recovery   []time.Duration
	ResetAfter time.Duration
}

// WindowsState is what the SCM says about a service.
type WindowsState struct {
	Installed   bool
	AutoStart   bool // starts at boot
	Running     bool // running, or starting
	CommandLine string
}

// SCM is the part of the Windows Service Control Manager the windows
// scheduler uses; the real one exists only on Windows.
type SCM interface {
	// Install creates the service, or updates an existing one to match s:
	// automatic delayed start, s's recovery actions, which also apply when
	// the service stops with an error rather than crashing.
	Install(s WindowsService) error
	// Remove deletes the service, which should be stopped; a missing one
	// is not an error.
	Remove(name string) error
	// InstallEventSource registers name as an event log source;
	// registering it again is not an error.
	InstallEventSource(name string) error
	// RemoveEventSource unregisters it; a missing one is not an error.
	RemoveEventSource(name string) error
	// Start starts the service; a running one is not an error.
	Start(name string) error
	// Stop stops the service and waits (a bounded time) until it has; a
	// stopped one is not an error.
	Stop(name string) error
	// SetAutoStart makes the service start at boot (automatic, delayed)
	// or never (disabled).
	SetAutoStart(name string, on bool) error
	// Query reports the service's state; a missing service is not an
	// error, just not Installed.
	Query(name string) (WindowsState, error)
}

// errWindowsOnly is what the SCM says on any other system.
var errWindowsOnly = errors.New("Windows services can be installed only on Windows")

// noSCM, the SCM of every other system, answers every request with
// errWindowsOnly.
type noSCM struct{}

func (noSCM) Install(WindowsService) error       { return errWindowsOnly }
func (noSCM) Remove(string) error                { return errWindowsOnly }
func (noSCM) InstallEventSource(string) error    { return errWindowsOnly }
func (noSCM) RemoveEventSource(string) error     { return errWindowsOnly }
func (noSCM) Start(string) error                 { return errWindowsOnly }
func (noSCM) Stop(string) error                  { return errWindowsOnly }
func (noSCM) SetAutoStart(string, bool) error    { return errWindowsOnly }
func (noSCM) Query(string) (WindowsState, error) { return WindowsState{}, errWindowsOnly }

type winService struct{ h Host }

func (winService) Name() string { return Windows }

func (s winService) Installed(context.Context) (bool, error) {
	st, err := s.h.scm().Query(winName)
	return st.Installed, err
}

func (s winService) Status(context.Context) (Status, error) {
	st := Status{Scheduler: Windows}
	ws, err := s.h.scm().Query(winName)
	if err != nil || !ws.Installed {
		return st, err
	}
	st.Installed, st.Enabled, st.Command = true, ws.AutoStart, ws.CommandLine
	st.Running = RunningNo
	if ws.Running {
		st.Running = RunningYes
	}
	return st, nil
}

// WindowsSpec is the service that runs the reactor for spec.
func WindowsSpec(spec Spec) WindowsService {
	words := []string{windowsWord(spec.Exe), "watch"}
	for _, c := range spec.Configs {
		words = append(words, "-c", windowsWord(c))
	}
	return WindowsService{
		Name: winName, DisplayName: winDisplayName, Description: winDescription,
		Exe: spec.Exe, CommandLine: strings.Join(words, " "),
		Recovery: winRecovery, ResetAfter: winResetAfter,
	}
}

func (s winService) Install(spec Spec) (*Plan, error) {
	if err := spec.check(windowsAbs); err != nil {
		return nil, err
	}
	ws := WindowsSpec(spec)
	scm := s.h.scm()
	old, err := scm.Query(winName)
	if err != nil {
		return nil, err
	}
	p := &Plan{host: s.h, steps: []step{
		scmCall(fmt.Sprintf("register the Windows service %s: %s (automatic, delayed start; restarted after %s; failures forgotten after %s)",
			winName, ws.CommandLine, durations(ws.Recovery), durations([]time.Duration{ws.ResetAfter})),
			fmt.Sprintf("registered the Windows service %s: %s", winName, ws.CommandLine),
			func() error { return scm.Install(ws) }),
		scmCall("register the event log source "+winName, "registered the event log source "+winName,
			func() error { return scm.InstallEventSource(winName) }),
	}}
	if old.Running { // run the new command line
		p.steps = append(p.steps, scmCall("stop the service "+winName, "stopped the service "+winName,
			func() error { return scm.Stop(winName) }))
	}
	p.steps = append(p.steps, scmCall("start the service "+winName, "started the service "+winName,
		func() error { return scm.Start(winName) }))
	if !old.Installed {
		p.undoFirst = s.removal(true)
	}
	return p, nil
}

// removal stops and deletes the service and its event source. Only a
// failed delete fails an uninstall; a rollback ignores every failure.
func (s winService) removal(rollback bool) []step {
	scm := s.h.scm()
	stop := scmCall("stop the service "+winName, "stopped the service "+winName, func() error { return scm.Stop(winName) })
	del := scmCall("delete the service "+winName, "deleted the service "+winName, func() error { return scm.Remove(winName) })
	src := scmCall("unregister the event log source "+winName, "unregistered the event log source "+winName,
		func() error { return scm.RemoveEventSource(winName) })
	stop.mayFail, del.mayFail, src.mayFail = true, rollback, true
	return []step{stop, del, src}
}

func (s winService) Uninstall() (*Plan, error) {
	return &Plan{host: s.h, steps: s.removal(false)}, nil
}

func (s winService) Enable() (*Plan, error) {
	scm := s.h.scm()
	return &Plan{host: s.h, steps: []step{
		scmCall("set the service "+winName+" to start at boot", "set the service "+winName+" to start at boot",
			func() error { return scm.SetAutoStart(winName, true) }),
		scmCall("start the service "+winName, "started the service "+winName, func() error { return scm.Start(winName) }),
	}}, nil
}

func (s winService) Disable() (*Plan, error) {
	scm := s.h.scm()
	return &Plan{host: s.h, steps: []step{
		scmCall("stop the service "+winName, "stopped the service "+winName, func() error { return scm.Stop(winName) }),
		scmCall("set the service "+winName+" not to start", "set the service "+winName+" not to start (disabled)",
			func() error { return scm.SetAutoStart(winName, false) }),
	}}, nil
}

func scmCall(would, did string, fn func() error) call {
	return call{would: would, did: did, fn: func(context.Context) (string, error) { return "", fn() }}
}

// durations shows delays the way the Services console does: 5 s, 24 h.
func durations(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		if d >= time.Hour && d%time.Hour == 0 {
			s[i] = fmt.Sprintf("%d h", d/time.Hour)
		} else {
			s[i] = fmt.Sprintf("%d s", d/time.Second)
		}
	}
	return strings.Join(s, ", ")
}

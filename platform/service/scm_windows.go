//go:build windows

package service

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"
	"golang.org/x/sys/windows/svc/mgr"
)

// systemSCM is the Windows Service Control Manager.
func systemSCM() SCM { return winSCM{} }

// winSCM implements SCM with golang.org/x/sys/windows/svc/mgr. Every call
// connects anew: the task runs a handful of them, once.
type winSCM struct{}

const (
	// stopWait bounds how long Stop waits: the reactor lets an in-flight
	// publish finish within its own shutdown deadline, well under this.
	stopWait = 30 * time.Second
	// stopPoll is how often Stop looks whether the service has stopped.
	stopPoll = 250 * time.Millisecond
	// eventTypes are the kinds of events the ddns source writes.
	eventTypes = eventlog.Error | eventlog.Warning | eventlog.Info
)

// open connects to the SCM and opens the service name; found is false
// when it does not exist.
func open(name string) (m *mgr.Mgr, s *mgr.Service, found bool, err error) {
	m, err = mgr.Connect()
	if err != nil {
		return nil, nil, false, fmt.Errorf("connect to the service manager: %w", err)
	}
	s, err = m.OpenService(name)
	if errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST) {
		return m, nil, false, nil
	}
	if err != nil {
		m.Disconnect()
		return nil, nil, false, fmt.Errorf("open the service %s: %w", name, err)
	}
	return m, s, true, nil
}

func closeAll(m *mgr.Mgr, s *mgr.Service) {
	if s != nil {
		s.Close()
	}
	m.Disconnect()
}

// withService opens the service name, calls f with it and closes it. A
// service that is not installed is an error when mustExist; otherwise
// there is nothing to do and f is not called.
func withService(name string, mustExist bool, f func(*mgr.Service) error) error {
	m, s, found, err := open(name)
	if err != nil {
		return err
	}
	defer closeAll(m, s)
	if !found {
		if mustExist {
			return fmt.Errorf("the service %s is not installed", name)
		}
		return nil
	}
	return f(s)
}

func (winSCM) Install(ws WindowsService) error {
	m, s, found, err := open(ws.Name)
	if err != nil {
		return err
	}
	defer func() { closeAll(m, s) }()
	cfg := mgr.Config{
		ServiceType:      windows.SERVICE_WIN32_OWN_PROCESS,
		StartType:        mgr.StartAutomatic,
		ErrorControl:     mgr.ErrorNormal,
		DisplayName:      ws.DisplayName,
		Description:      ws.Description,
		DelayedAutoStart: true,
	}
	if !found {
		if s, err = m.CreateService(ws.Name, ws.Exe, cfg); err != nil {
			return fmt.Errorf("create the service %s: %w", ws.Name, err)
		}
	}
	// CreateService quotes the path only when it holds a space; set the
	// exact command line, always quoted, with the arguments.
	cfg.BinaryPathName = ws.CommandLine
	err = s.UpdateConfig(cfg)
	if err == nil {
		err = s.SetRecoveryActions(recoveryActions(ws.Recovery), uint32(ws.ResetAfter/time.Second))
	}
	if err == nil {
		err = s.SetRecoveryActionsOnNonCrashFailures(true)
	}
	if err != nil && !found {
		s.Delete()
	}
	if err != nil {
		return fmt.Errorf("configure the service %s: %w", ws.Name, err)
	}
	return nil
}

func recoveryActions(delays []time.Duration) []mgr.RecoveryAction {
	a := make([]mgr.RecoveryAction, len(delays))
	for i, d := range delays {
		a[i] = mgr.RecoveryAction{Type: mgr.ServiceRestart, Delay: d}
	}
	return a
}

func (winSCM) Remove(name string) error {
	return withService(name, false, (*mgr.Service).Delete)
}

func (winSCM) InstallEventSource(name string) error {
	err := eventlog.InstallAsEventCreate(name, eventTypes)
	if err != nil && strings.Contains(err.Error(), "already exists") {
		return nil
	}
	return err
}

func (winSCM) RemoveEventSource(name string) error {
	err := eventlog.Remove(name)
	if errors.Is(err, windows.ERROR_FILE_NOT_FOUND) || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func (winSCM) Start(name string) error {
	return withService(name, true, func(s *mgr.Service) error {
		if err := s.Start(); err != nil && !errors.Is(err, windows.ERROR_SERVICE_ALREADY_RUNNING) {
			return err
		}
		return nil
	})
}

func (winSCM) Stop(name string) error {
	return withService(name, false, func(s *mgr.Service) error { return stopAndWait(name, s) })
}

// stopAndWait asks s to stop and waits until it has, up to stopWait.
func stopAndWait(name string, s *mgr.Service) error {
	st, err := s.Control(svc.Stop)
	if errors.Is(err, windows.ERROR_SERVICE_NOT_ACTIVE) {
		return nil
	}
	if err != nil {
		return err
	}
	for deadline := time.Now().Add(stopWait); st.State != svc.Stopped; {
		if time.Now().After(deadline) {
			return fmt.Errorf("the service %s did not stop within %v", name, stopWait)
		}
		time.Sleep(stopPoll)
		if st, err = s.Query(); err != nil {
			return err
		}
	}
	return nil
}

func (winSCM) SetAutoStart(name string, on bool) error {
	return withService(name, true, func(s *mgr.Service) error {
		cfg, err := s.Config()
		if err != nil {
			return err
		}
		cfg.StartType, cfg.DelayedAutoStart = mgr.StartDisabled, false
		if on {
			cfg.StartType, cfg.DelayedAutoStart = mgr.StartAutomatic, true
		}
		return s.UpdateConfig(cfg)
	})
}

func (winSCM) Query(name string) (WindowsState, error) {
	var ws WindowsState
	err := withService(name, false, func(s *mgr.Service) error {
		cfg, err := s.Config()
		if err != nil {
			return err
		}
		st, err := s.Query()
		if err != nil {
			return err
		}
		ws = WindowsState{
			Installed:   true,
			AutoStart:   cfg.StartType == mgr.StartAutomatic,
			Running:     st.State == svc.Running || st.State == svc.StartPending,
			CommandLine: cfg.BinaryPathName,
		}
		return nil
	})
	return ws, err
}

//go:build windows

package service

// Running as a Windows service: golang.org/x/sys/windows/svc's requests and
// statuses are copied into platform.Service's types, which hold Windows'
// own values; the control loop itself is OS-neutral and tested on Linux.
// Installing it is Task (winsvc.go), under the same name.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"

	"github.com/ddns-go/ddns/platform"
)

// eventError is the event ID of errors in the Application log. Sources
// registered with eventlog.InstallAsEventCreate (EventCreate.exe's message
// file) accept IDs 1–1000 only.
const eventError = 1

// exitServiceFailed is the exit code when the service could not run: the
// program's own code for a failed run.
const exitServiceFailed = 1

// serviceLogName is the log a service writes when its configuration names
// no log file: a service has no console, so stderr goes nowhere.
const serviceLogName = "ddns.log"

// platform.Service's copies of the Windows values must equal x/sys's: a
// constant index out of range (or a negative uint32) fails to compile.
var (
	_ = [1]struct{}{}[uint32(platform.ServiceStopped)-uint32(svc.Stopped)]
	_ = [1]struct{}{}[uint32(platform.ServiceStartPending)-uint32(svc.StartPending)]
	_ = [1]struct{}{}[uint32(platform.ServiceStopPending)-uint32(svc.StopPending)]
	_ = [1]struct{}{}[uint32(platform.ServiceRunning)-uint32(svc.Running)]
	_ = [1]struct{}{}[uint32(platform.ServiceStop)-uint32(svc.Stop)]
	_ = [1]struct{}{}[uint32(platform.ServiceInterrogate)-uint32(svc.Interrogate)]
	_ = [1]struct{}{}[uint32(platform.ServiceShutdown)-uint32(svc.Shutdown)]
	_ = [1]struct{}{}[uint32(platform.ServicePowerEvent)-uint32(svc.PowerEvent)]
	_ = [1]struct{}{}[uint32(platform.AcceptStop)-uint32(svc.AcceptStop)]
	_ = [1]struct{}{}[uint32(platform.AcceptShutdown)-uint32(svc.AcceptShutdown)]
	_ = [1]struct{}{}[uint32(platform.AcceptPowerEvent)-uint32(svc.AcceptPowerEvent)]
)

// RunningAsService reports whether the service control manager started
// this process.
func RunningAsService() bool {
	ok, err := svc.IsWindowsService()
	return err == nil && ok
}

// RunAsService runs the program as the Windows service "ddns" and returns
// the process exit code once the service manager has stopped it.
//
// run is the service's work: it must run the reactor until ctx is done and
// return its exit code. syncNow delivers the reason of each "sync now"
// asked by the service manager (`sc control ddns 128`, a resume from
// sleep); run forwards them to Reactor.Trigger. It is buffered and
// coalescing, never closed, and may hold a request made before the
// reactor exists. stderr is where run should log when the configuration
// names no log file: %ProgramData%\ddns\ddns.log. Errors of the service
// itself go to the Application event log, source "ddns".
func RunAsService(run func(ctx context.Context, syncNow <-chan string, stderr io.Writer) int) int {
	elog := openEventLog()
	defer elog.close()
	logw, closeLog := openServiceLog(elog)
	defer closeLog()

	syncs := make(chan string, 1)
	h := &serviceHandler{
		svc: &platform.Service{
			Run: func(ctx context.Context) int { return run(ctx, syncs, logw) },
			SyncNow: func(reason string) {
				select {
				case syncs <- reason:
				default: // one is already pending: the reactor coalesces them anyway
				}
			},
			Errorf: func(format string, args ...any) { elog.error(fmt.Sprintf(format, args...)) },
		},
		exit: make(chan int, 1),
	}
	if err := svc.Run(winName, h); err != nil {
		elog.error(fmt.Sprintf("ddns cannot run as the service %q: %v", winName, err))
		return exitServiceFailed
	}
	select {
	case code := <-h.exit:
		return code
	default: // the dispatcher returned without ever starting the service
		return exitServiceFailed
	}
}

// serviceHandler adapts svc.Handler to platform.Service.
type serviceHandler struct {
	svc  *platform.Service
	exit chan int // Execute's exit code, for runService
}

// Execute is called by svc.Run on its own goroutine; the service stops
// when it returns.
func (h *serviceHandler) Execute(_ []string, r <-chan svc.ChangeRequest, s chan<- svc.Status) (bool, uint32) {
	requests := make(chan platform.ServiceRequest)
	done := make(chan struct{})
	defer close(done)
	go func() { // copies requests until Serve returns
		for {
			select {
			case <-done:
				return
			case c := <-r:
				select {
				case requests <- platform.ServiceRequest{Cmd: platform.ServiceCmd(c.Cmd), EventType: c.EventType}:
				case <-done:
					return
				}
			}
		}
	}()

	code := h.svc.Serve(requests, func(st platform.ServiceStatus) {
		if st.State == platform.ServiceStopped {
			// svc.Run reports Stopped itself, with the exit code returned
			// below; a status after Stopped is not allowed.
			return
		}
		s <- svc.Status{
			State:    svc.State(st.State),
			Accepts:  svc.Accepted(st.Accepts),
			WaitHint: uint32(st.WaitHint.Milliseconds()),
		}
	})
	h.exit <- code
	// Service-specific: the code is ours (exitServiceFailed, platform.ExitAbandoned, run's),
	// not a Win32 error; 0 is reported as success.
	return true, uint32(code)
}

// eventLog writes to the Application event log; without a source it does
// nothing, as there is nowhere else to report.
type eventLog struct{ l *eventlog.Log }

func openEventLog() eventLog {
	l, err := eventlog.Open(winName)
	if err != nil {
		return eventLog{}
	}
	return eventLog{l}
}

func (e eventLog) error(msg string) {
	if e.l != nil {
		e.l.Error(eventError, msg)
	}
}

func (e eventLog) close() {
	if e.l != nil {
		e.l.Close()
	}
}

// openServiceLog opens %ProgramData%\ddns\ddns.log for appending. When it
// cannot, the reason goes to the event log and the service logs nowhere.
func openServiceLog(elog eventLog) (io.Writer, func()) {
	dir, err := windows.KnownFolderPath(windows.FOLDERID_ProgramData, 0)
	if err != nil {
		elog.error(fmt.Sprintf("ddns: no ProgramData folder for the log: %v", err))
		return io.Discard, func() {}
	}
	path := filepath.Join(dir, "ddns", serviceLogName)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		elog.error(fmt.Sprintf("ddns: cannot create the log folder: %v", err))
		return io.Discard, func() {}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		elog.error(fmt.Sprintf("ddns: cannot open the log %s: %v", path, err))
		return io.Discard, func() {}
	}
	return f, func() { f.Close() }
}

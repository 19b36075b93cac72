package platform

// The service control loop, written once and OS-neutral so it is tested on
// every OS. The Windows adapter (platform/service/run_windows.go) only copies
// golang.org/x/sys/windows/svc's requests and statuses into the types
// below, whose values are Windows' own, and fails to compile if they stop
// matching x/sys.

import (
	"context"
	"time"
)

// ServiceState is the state a service reports to its manager
// (SERVICE_STOPPED… in winsvc.h).
type ServiceState uint32

// The states a Service goes through, in order.
const (
	ServiceStopped      ServiceState = 1
	ServiceStartPending ServiceState = 2
	ServiceStopPending  ServiceState = 3
	ServiceRunning      ServiceState = 4
)

func (s ServiceState) String() string {
	switch s {
	case ServiceStopped:
		return "stopped"
	case ServiceStartPending:
		return "start pending"
	case ServiceStopPending:
		return "stop pending"
	case ServiceRunning:
		return "running"
	}
	return "unknown"
}

// ServiceCmd is a control request from the service manager
// (SERVICE_CONTROL_… in winsvc.h).
type ServiceCmd uint32

// The controls a Service acts on; it ignores the others.
const (
	ServiceStop        ServiceCmd = 1
	ServiceInterrogate ServiceCmd = 4
	ServiceShutdown    ServiceCmd = 5
	ServicePowerEvent  ServiceCmd = 13
	// ServiceSyncNow is ddns's own control: `sc control ddns 128` syncs
	// now, as SIGUSR1 does on Unix. Windows leaves 128–255 to services;
	// they need no Accepts bit.
	ServiceSyncNow ServiceCmd = 128
)

// ServiceAccepts is the set of controls a service accepts in its current
// state (SERVICE_ACCEPT_… bits in winsvc.h). Interrogate is always
// accepted.
type ServiceAccepts uint32

// The controls a running Service accepts.
const (
	AcceptStop       ServiceAccepts = 0x1
	AcceptShutdown   ServiceAccepts = 0x4
	AcceptPowerEvent ServiceAccepts = 0x40
)

// Power-event types carried in ServiceRequest.EventType (PBT_… in
// winuser.h). After a resume Windows always sends ResumeAutomatic, and
// also ResumeSuspend when a user is present; both ask for a sync, which
// the reactor coalesces.
const (
	PowerResumeSuspend   = 0x7
	PowerResumeAutomatic = 0x12
)

// ServiceRequest is one control request.
type ServiceRequest struct {
	Cmd       ServiceCmd
	EventType uint32 // for ServicePowerEvent: a Power… type
}

// ServiceStatus is what a service reports to its manager.
type ServiceStatus struct {
	State   ServiceState
	Accepts ServiceAccepts
	// WaitHint is how long a pending state may last before the manager
	// should consider the service hung; 0 outside pending states.
	WaitHint time.Duration
	// ExitCode is the service's own exit code once Stopped: 0 = success.
	ExitCode int
}

const (
	// DefaultServiceStopGrace is how long a Service waits for its work to
	// return after a stop. The reactor itself lets a publish in flight
	// finish for watch.DefaultStopGrace (10 s), then saves its state: this
	// leaves it 5 s for that.
	DefaultServiceStopGrace = 15 * time.Second

	// ExitAbandoned is the exit code of a Service whose work did not
	// return within the grace period. It differs from cmd/ddns's own
	// codes (1 failed, 2 usage) so the event log tells a hang from a
	// failure.
	ExitAbandoned = 3
)

// stopHintSlack is added to the grace in StopPending's WaitHint: when Run
// is abandoned, Stopped is reported just after the grace, and the manager
// must not have declared the service hung by then.
const stopHintSlack = time.Second

// runningAccepts are the controls accepted while running. Pause is not
// offered: a paused DDNS agent is a stopped one that still looks alive.
const runningAccepts = AcceptStop | AcceptShutdown | AcceptPowerEvent

// Service runs one long-lived job under a service manager: it reports
// StartPending, starts Run, reports Running, turns sync controls into
// SyncNow calls, and on Stop or Shutdown reports StopPending, cancels Run's
// context and waits up to StopGrace for it to return before reporting
// Stopped.
type Service struct {
	// Run is the service's work (the reactor). It must block until ctx is
	// done and then return soon, with 0 or a failure exit code. Returning
	// earlier stops the service.
	Run func(ctx context.Context) int
	// SyncNow asks the work for a sync now, with the reason to log. It is
	// called from Serve's goroutine, possibly before Run has set anything
	// up, and must not block.
	SyncNow func(reason string)
	// StopGrace bounds the wait for Run after a stop; 0 means
	// DefaultServiceStopGrace.
	StopGrace time.Duration
	// Errorf reports what went wrong (on Windows, to the event log); nil
	// discards.
	Errorf func(format string, args ...any)
}

// Serve drives the service until it is stopped: it reads control requests
// from requests and reports every state change through report, the last
// being Stopped with the exit code, which Serve also returns. report is
// called from Serve's goroutine and may block briefly. Interrogate
// re-reports the current status; requests keep being answered while the
// service stops.
//
// If Run ignores the cancellation, Serve reports Stopped with
// ExitAbandoned after StopGrace and returns, leaving Run's goroutine
// behind: the process is expected to exit.
func (s *Service) Serve(requests <-chan ServiceRequest, report func(ServiceStatus)) int {
	grace := s.StopGrace
	if grace == 0 {
		grace = DefaultServiceStopGrace
	}
	var status ServiceStatus
	set := func(st ServiceStatus) {
		status = st
		report(st)
	}

	set(ServiceStatus{State: ServiceStartPending})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Buffered: an abandoned Run can still return and end its goroutine.
	exited := make(chan int, 1)
	go func() { exited <- s.Run(ctx) }()
	set(ServiceStatus{State: ServiceRunning, Accepts: runningAccepts})

	var deadline <-chan time.Time // set once stopping
	for {
		select {
		case code := <-exited:
			if status.State == ServiceRunning && code != 0 {
				s.errorf("ddns stopped by itself with exit code %d; see its log", code)
			}
			set(ServiceStatus{State: ServiceStopped, ExitCode: code})
			return code

		case <-deadline:
			s.errorf("ddns did not stop within %v of the stop request; abandoning the work in flight", grace)
			set(ServiceStatus{State: ServiceStopped, ExitCode: ExitAbandoned})
			return ExitAbandoned

		case req := <-requests:
			switch {
			case req.Cmd == ServiceInterrogate:
				report(status)
			case status.State != ServiceRunning:
				// Stopping: a sync or a second stop changes nothing.
			case req.Cmd == ServiceStop || req.Cmd == ServiceShutdown:
				set(ServiceStatus{State: ServiceStopPending, WaitHint: grace + stopHintSlack})
				cancel()
				deadline = time.After(grace)
			case req.Cmd == ServiceSyncNow:
				s.SyncNow("sync asked through the service manager (control 128)")
			case req.Cmd == ServicePowerEvent && isResume(req.EventType):
				s.SyncNow("resumed from sleep")
			}
		}
	}
}

func isResume(eventType uint32) bool {
	return eventType == PowerResumeAutomatic || eventType == PowerResumeSuspend
}

func (s *Service) errorf(format string, args ...any) {
	if s.Errorf != nil {
		s.Errorf(format, args...)
	}
}

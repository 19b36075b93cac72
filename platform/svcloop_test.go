package platform_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/ddns-go/ddns/platform"
)

// waitTimeout bounds every wait on the loop; the loop answers in
// microseconds, this only keeps a broken test from hanging.
const waitTimeout = 5 * time.Second

// fakeManager plays the service control manager: it sends requests and
// records every status the service reports, and what it asked of its work.
type fakeManager struct {
	t        *testing.T
	requests chan platform.ServiceRequest
	statuses chan platform.ServiceStatus
	syncs    chan string
	errors   chan string
	runCtx   chan context.Context // the context Run was started with
	exitCode chan int             // Serve's result
}

// serve starts a Service whose Run is run (nil: a well-behaved reactor that
// returns 0 once cancelled) and returns the manager driving it.
func serve(t *testing.T, grace time.Duration, run func(context.Context) int) *fakeManager {
	t.Helper()
	m := &fakeManager{
		t:        t,
		requests: make(chan platform.ServiceRequest),
		statuses: make(chan platform.ServiceStatus, 16),
		syncs:    make(chan string, 16),
		errors:   make(chan string, 16),
		runCtx:   make(chan context.Context, 1),
		exitCode: make(chan int, 1),
	}
	if run == nil {
		run = func(ctx context.Context) int { <-ctx.Done(); return 0 }
	}
	s := &platform.Service{
		Run: func(ctx context.Context) int {
			m.runCtx <- ctx
			return run(ctx)
		},
		SyncNow:   func(reason string) { m.syncs <- reason },
		StopGrace: grace,
		Errorf:    func(f string, a ...any) { m.errors <- fmt.Sprintf(f, a...) },
	}
	go func() { m.exitCode <- s.Serve(m.requests, func(st platform.ServiceStatus) { m.statuses <- st }) }()
	return m
}

func (m *fakeManager) send(cmd platform.ServiceCmd, eventType uint32) {
	m.t.Helper()
	select {
	case m.requests <- platform.ServiceRequest{Cmd: cmd, EventType: eventType}:
	case <-time.After(waitTimeout):
		m.t.Fatalf("the service does not read control %d", cmd)
	}
}

// expect reads the next reported status and checks its state.
func (m *fakeManager) expect(want platform.ServiceState) platform.ServiceStatus {
	m.t.Helper()
	select {
	case st := <-m.statuses:
		if st.State != want {
			m.t.Fatalf("status %v, want %v", st.State, want)
		}
		return st
	case <-time.After(waitTimeout):
		m.t.Fatalf("no status reported, want %v", want)
	}
	panic("unreachable")
}

// started waits for StartPending then Running, and returns Run's context.
func (m *fakeManager) started() context.Context {
	m.t.Helper()
	m.expect(platform.ServiceStartPending)
	st := m.expect(platform.ServiceRunning)
	want := platform.AcceptStop | platform.AcceptShutdown | platform.AcceptPowerEvent
	if st.Accepts != want {
		m.t.Errorf("running accepts %#x, want %#x", st.Accepts, want)
	}
	select {
	case ctx := <-m.runCtx:
		return ctx
	case <-time.After(waitTimeout):
		m.t.Fatal("Run was not started")
	}
	panic("unreachable")
}

// interrogate asks for the status; since the loop handles one request at
// a time, the answer also proves every earlier request was handled.
func (m *fakeManager) interrogate(want platform.ServiceState) {
	m.t.Helper()
	m.send(platform.ServiceInterrogate, 0)
	m.expect(want)
}

func (m *fakeManager) stopped(wantCode int) {
	m.t.Helper()
	if st := m.expect(platform.ServiceStopped); st.ExitCode != wantCode {
		m.t.Errorf("stopped with exit code %d, want %d", st.ExitCode, wantCode)
	}
	select {
	case code := <-m.exitCode:
		if code != wantCode {
			m.t.Errorf("Serve = %d, want %d", code, wantCode)
		}
	case <-time.After(waitTimeout):
		m.t.Fatal("Serve did not return")
	}
}

func (m *fakeManager) noSync() {
	m.t.Helper()
	select {
	case r := <-m.syncs:
		m.t.Errorf("unexpected sync: %q", r)
	default:
	}
}

func TestServiceStartsAndAnswersInterrogate(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	m := serve(t, time.Minute, nil)
	ctx := m.started()
	if ctx.Err() != nil {
		t.Fatal("Run's context is already done")
	}
	m.interrogate(platform.ServiceRunning)
	m.send(platform.ServiceStop, 0)
	m.expect(platform.ServiceStopPending)
	m.stopped(0)
}

func TestServiceSyncControls(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	m := serve(t, time.Minute, nil)
	m.started()

	// Given a running service, when the manager sends control 128 and the
	// two resume events, then each asks for a sync.
	m.send(platform.ServiceSyncNow, 0)
	m.send(platform.ServicePowerEvent, platform.PowerResumeAutomatic)
	m.send(platform.ServicePowerEvent, platform.PowerResumeSuspend)
	m.interrogate(platform.ServiceRunning)
	for _, want := range []string{"control 128", "resumed", "resumed"} {
		select {
		case got := <-m.syncs:
			if !strings.Contains(got, want) {
				t.Errorf("sync reason %q, want it to mention %q", got, want)
			}
		default:
			t.Fatalf("no sync for %q", want)
		}
	}

	// Going to sleep, other power events and unknown controls do not.
	const pbtAPMSuspend, pbtPowerSettingChange = 0x4, 0x8013
	m.send(platform.ServicePowerEvent, pbtAPMSuspend)
	m.send(platform.ServicePowerEvent, pbtPowerSettingChange)
	m.send(platform.ServiceCmd(129), 0)
	m.interrogate(platform.ServiceRunning)
	m.noSync()

	m.send(platform.ServiceStop, 0)
	m.expect(platform.ServiceStopPending)
	m.stopped(0)
}

func TestServiceStops(t *testing.T) {
	for name, cmd := range map[string]platform.ServiceCmd{"stop": platform.ServiceStop, "shutdown": platform.ServiceShutdown} {
		t.Run(name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			// Given a reactor that takes a while to stop (a publish in
			// flight), released by the test,
			release := make(chan struct{})
			m := serve(t, time.Minute, func(ctx context.Context) int {
				<-ctx.Done()
				<-release
				return 0
			})
			ctx := m.started()

			// when the manager stops the service,
			m.send(cmd, 0)

			// then it reports StopPending, hinting at least the grace, and
			// cancels the reactor's context,
			if st := m.expect(platform.ServiceStopPending); st.WaitHint < time.Minute || st.Accepts != 0 {
				t.Errorf("stop pending: wait hint %v, accepts %#x; want ≥ 1m0s, none", st.WaitHint, st.Accepts)
			}
			select {
			case <-ctx.Done():
			case <-time.After(waitTimeout):
				t.Fatal("Run's context was not cancelled")
			}

			// keeps answering while the reactor finishes, ignoring syncs
			// and a second stop,
			m.send(platform.ServiceSyncNow, 0)
			m.send(platform.ServiceStop, 0)
			m.interrogate(platform.ServiceStopPending)
			m.noSync()

			// and reports Stopped once the reactor returned.
			close(release)
			m.stopped(0)
		})
	}
}

func TestServiceAbandonsAHungReactor(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	// Given a reactor that ignores cancellation,
	release, returned := make(chan struct{}), make(chan struct{})
	const grace = 50 * time.Millisecond
	m := serve(t, grace, func(ctx context.Context) int {
		defer close(returned)
		<-release
		return 0
	})
	m.started()

	// when the service is stopped, then after the grace period it reports
	// Stopped with ExitAbandoned and says why.
	start := time.Now()
	m.send(platform.ServiceStop, 0)
	m.expect(platform.ServiceStopPending)
	m.stopped(platform.ExitAbandoned)
	if elapsed := time.Since(start); elapsed < grace {
		t.Errorf("abandoned after %v, before the %v grace", elapsed, grace)
	}
	select {
	case msg := <-m.errors:
		if !strings.Contains(msg, "did not stop within 50ms") {
			t.Errorf("error %q does not say it stopped waiting", msg)
		}
	default:
		t.Error("no error reported")
	}

	// The abandoned goroutine can still end (here, for goleak).
	close(release)
	<-returned
}

func TestServiceStopsWhenTheReactorFails(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	// Given a reactor that fails at start (its event source cannot
	// start), the service stops with its exit code and reports why.
	m := serve(t, time.Minute, func(context.Context) int { return 1 })
	m.started()
	m.stopped(1)
	select {
	case msg := <-m.errors:
		if !strings.Contains(msg, "exit code 1") {
			t.Errorf("error %q does not give the exit code", msg)
		}
	default:
		t.Error("no error reported")
	}
}

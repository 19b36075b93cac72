package platform

// The systemd notification protocol (sd_notify(3)), spoken directly: one
// datagram per message to the AF_UNIX socket named by NOTIFY_SOCKET. No
// libsystemd, no cgo. Outside systemd (NOTIFY_SOCKET unset; always so on
// Windows and macOS) every method is a no-op.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// sdSendTimeout bounds one notification. systemd reads its socket at once;
// a manager that does not (hung, or its queue full) must not stall the
// reactor's callback or a shutdown.
const sdSendTimeout = time.Second

// ErrNotifySocket reports a NOTIFY_SOCKET this program cannot use: neither
// an absolute path nor an abstract name ("@…"). systemd ≥ 253 may also
// pass "vsock:…" to services in virtual machines, which is not supported.
var ErrNotifySocket = errors.New("sd_notify: unsupported NOTIFY_SOCKET address")

// Notifier sends service state notifications to systemd. The zero value
// and a nil *Notifier are valid and do nothing. Its methods may be called
// from any goroutine.
type Notifier struct {
	addr     *net.UnixAddr // nil: not started by systemd with Type=notify
	err      error         // why addr could not be used; returned by every send
	interval time.Duration // watchdog period; 0 = no watchdog for us
}

// NewNotifier reads the notification settings from environ (as from
// os.Environ): NOTIFY_SOCKET, a path or an abstract socket "@name", and
// WATCHDOG_USEC/WATCHDOG_PID. The watchdog is ours only if WATCHDOG_PID is
// unset or equals our process id (a variable inherited from a parent that
// was itself watched must not make us ping for it).
func NewNotifier(environ []string) *Notifier {
	env := func(key string) string {
		for i := len(environ) - 1; i >= 0; i-- { // the last one wins, as in os.Getenv
			if v, ok := strings.CutPrefix(environ[i], key+"="); ok {
				return v
			}
		}
		return ""
	}
	n := &Notifier{}
	sock := env("NOTIFY_SOCKET")
	if sock == "" {
		return n
	}
	if !strings.HasPrefix(sock, "/") && !strings.HasPrefix(sock, "@") {
		n.err = fmt.Errorf("%w: %q", ErrNotifySocket, sock)
		return n
	}
	// Go maps a leading '@' to Linux's abstract namespace.
	n.addr = &net.UnixAddr{Name: sock, Net: "unixgram"}

	usec, err := strconv.ParseInt(env("WATCHDOG_USEC"), 10, 64)
	if err != nil || usec <= 0 {
		return n
	}
	if pid := env("WATCHDOG_PID"); pid != "" && pid != strconv.Itoa(os.Getpid()) {
		return n
	}
	// sd_watchdog_enabled(3): ping at half the timeout, so one late
	// wake-up never kills a healthy service.
	n.interval = time.Duration(usec) * time.Microsecond / 2
	return n
}

// Enabled reports whether notifications go anywhere: NOTIFY_SOCKET was set
// (even to an address the sends will then fail on).
func (n *Notifier) Enabled() bool { return n != nil && (n.addr != nil || n.err != nil) }

// Ready tells systemd that start-up is finished (READY=1): a Type=notify
// unit becomes active and the units ordered after it start.
func (n *Notifier) Ready() error { return n.send("READY=1") }

// Stopping tells systemd that the service is shutting down (STOPPING=1).
func (n *Notifier) Stopping() error { return n.send("STOPPING=1") }

// Status sets the one-line status text shown by `systemctl status`. Line
// breaks are replaced by spaces: the protocol is one assignment per line.
func (n *Notifier) Status(text string) error {
	return n.send("STATUS=" + strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(text))
}

// Watchdog sends one keep-alive (WATCHDOG=1). It is a no-op when the
// watchdog is not ours (WatchdogInterval is 0).
func (n *Notifier) Watchdog() error {
	if n.WatchdogInterval() == 0 {
		return nil
	}
	return n.send("WATCHDOG=1")
}

// WatchdogInterval is how often the watchdog must be fed: half of
// WATCHDOG_USEC, or 0 when there is no watchdog for this process.
func (n *Notifier) WatchdogInterval() time.Duration {
	if n == nil || n.addr == nil {
		return 0
	}
	return n.interval
}

// RunWatchdog sends WATCHDOG=1 every WatchdogInterval until ctx is done,
// then returns nil. It returns at once when there is no watchdog. A failed
// send is passed to report (which may be nil) and the loop goes on: the
// next tick may succeed, and if none does systemd restarts the service,
// which is what the watchdog is for. Run it for as long as the work it
// vouches for runs, so that a hung process stops feeding it.
func (n *Notifier) RunWatchdog(ctx context.Context, report func(error)) error {
	interval := n.WatchdogInterval()
	if interval == 0 {
		return nil
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := n.Watchdog(); err != nil && report != nil {
				report(err)
			}
		}
	}
}

// send writes one datagram on a fresh socket, as libsystemd does: nothing
// to keep open, and nothing stale if systemd re-executes itself.
func (n *Notifier) send(state string) error {
	if n == nil {
		return nil
	}
	if n.addr == nil {
		return n.err
	}
	key, _, _ := strings.Cut(state, "=")
	c, err := net.DialUnix("unixgram", nil, n.addr)
	if err != nil {
		return fmt.Errorf("sd_notify %s: %w", key, err)
	}
	defer c.Close()
	if err := c.SetWriteDeadline(time.Now().Add(sdSendTimeout)); err != nil {
		return fmt.Errorf("sd_notify %s: %w", key, err)
	}
	if _, err := c.Write([]byte(state)); err != nil {
		return fmt.Errorf("sd_notify %s: %w", key, err)
	}
	return nil
}

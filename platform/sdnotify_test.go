//go:build unix

package platform_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/ddns-go/ddns/platform"
)

// recvTimeout bounds every wait for a datagram; the messages under test
// arrive in microseconds, this only keeps a broken test from hanging.
const recvTimeout = 5 * time.Second

// listenNotify plays systemd's side: a datagram socket at a short path
// (sun_path holds 104–108 bytes, t.TempDir can be longer).
func listenNotify(t *testing.T) (*net.UnixConn, string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "sdn")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, path
}

// recv returns the next datagram, failing the test after recvTimeout.
func recv(t *testing.T, c *net.UnixConn) string {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(recvTimeout)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no notification: %v", err)
	}
	return string(buf[:n])
}

func TestNotifierSendsStates(t *testing.T) {
	c, path := listenNotify(t)
	n := platform.NewNotifier([]string{"HOME=/root", "NOTIFY_SOCKET=" + path})
	if !n.Enabled() {
		t.Fatal("Enabled() = false with NOTIFY_SOCKET set")
	}
	tests := []struct {
		name string
		send func() error
		want string
	}{
		{"ready", n.Ready, "READY=1"},
		{"status", func() error { return n.Status("synced 2 records\n1 failed") }, "STATUS=synced 2 records 1 failed"},
		{"stopping", n.Stopping, "STOPPING=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.send(); err != nil {
				t.Fatal(err)
			}
			if got := recv(t, c); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNotifierAbstractSocket(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("abstract unix sockets exist only on Linux")
	}
	name := fmt.Sprintf("@ddns-sdnotify-test-%d", os.Getpid())
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	n := platform.NewNotifier([]string{"NOTIFY_SOCKET=" + name})
	if err := n.Ready(); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, c); got != "READY=1" {
		t.Errorf("got %q, want READY=1", got)
	}
}

func TestNotifierWatchdogAtHalfTimeout(t *testing.T) {
	c, path := listenNotify(t)
	// Given a 100 ms watchdog timeout meant for this process,
	n := platform.NewNotifier([]string{
		"NOTIFY_SOCKET=" + path, "WATCHDOG_USEC=100000", "WATCHDOG_PID=" + strconv.Itoa(os.Getpid()),
	})
	const want = 50 * time.Millisecond
	if got := n.WatchdogInterval(); got != want {
		t.Fatalf("WatchdogInterval() = %v, want %v", got, want)
	}

	// when the watchdog loop runs,
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- n.RunWatchdog(ctx, func(err error) { t.Errorf("watchdog: %v", err) }) }()

	// then WATCHDOG=1 arrives once per interval, never early.
	for i := 1; i <= 3; i++ {
		if got := recv(t, c); got != "WATCHDOG=1" {
			t.Fatalf("ping %d: got %q", i, got)
		}
		if elapsed := time.Since(start); elapsed < time.Duration(i)*want {
			t.Errorf("ping %d after %v, before %v", i, elapsed, time.Duration(i)*want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("RunWatchdog = %v after cancel, want nil", err)
	}
}

func TestNotifierNoWatchdog(t *testing.T) {
	tests := []struct {
		name string
		env  []string
	}{
		{"another process's watchdog", []string{"WATCHDOG_USEC=100000", "WATCHDOG_PID=" + strconv.Itoa(os.Getpid()+1)}},
		{"no timeout", []string{"WATCHDOG_PID=" + strconv.Itoa(os.Getpid())}},
		{"zero timeout", []string{"WATCHDOG_USEC=0"}},
		{"garbage timeout", []string{"WATCHDOG_USEC=soon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, path := listenNotify(t)
			n := platform.NewNotifier(append(tt.env, "NOTIFY_SOCKET="+path))
			if got := n.WatchdogInterval(); got != 0 {
				t.Errorf("WatchdogInterval() = %v, want 0", got)
			}
			// RunWatchdog returns at once (a context that never ends would
			// hang the test otherwise) and Watchdog sends nothing: the
			// first datagram on the socket is the READY=1 sent after.
			if err := n.RunWatchdog(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			if err := n.Watchdog(); err != nil {
				t.Fatal(err)
			}
			if err := n.Ready(); err != nil {
				t.Fatal(err)
			}
			if got := recv(t, c); got != "READY=1" {
				t.Errorf("first datagram %q, want READY=1", got)
			}
		})
	}
}

func TestNotifierWithoutSystemdIsNoOp(t *testing.T) {
	for _, n := range []*platform.Notifier{
		platform.NewNotifier(nil),
		platform.NewNotifier([]string{"NOTIFY_SOCKET=", "WATCHDOG_USEC=100000"}),
		nil,
	} {
		if n.Enabled() {
			t.Error("Enabled() = true without NOTIFY_SOCKET")
		}
		for _, err := range []error{n.Ready(), n.Stopping(), n.Status("x"), n.Watchdog(), n.RunWatchdog(context.Background(), nil)} {
			if err != nil {
				t.Errorf("got %v, want nil", err)
			}
		}
		if got := n.WatchdogInterval(); got != 0 {
			t.Errorf("WatchdogInterval() = %v, want 0", got)
		}
	}
}

func TestNotifierErrors(t *testing.T) {
	t.Run("unsupported address", func(t *testing.T) {
		n := platform.NewNotifier([]string{"NOTIFY_SOCKET=vsock:2:1234"})
		if err := n.Ready(); !errors.Is(err, platform.ErrNotifySocket) {
			t.Errorf("Ready() = %v, want ErrNotifySocket", err)
		}
	})
	t.Run("nobody listening", func(t *testing.T) {
		n := platform.NewNotifier([]string{"NOTIFY_SOCKET=" + filepath.Join(t.TempDir(), "gone")})
		if err := n.Ready(); err == nil {
			t.Error("Ready() = nil with no socket at the path")
		}
	})
}

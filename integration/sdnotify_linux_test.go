package integration

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSystemdNotify runs `ddns watch` as systemd would with Type=notify and
// a watchdog: READY=1 after the first sync, WATCHDOG=1 at half of
// WATCHDOG_USEC, STOPPING=1 on SIGTERM, exit 0.
func TestSystemdNotify(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cmd := exec.Command(binary(t), "watch", "--dns", "debug", "--ipv4", "a.example.com", "--index4", "192.0.2.1", "--index6", "false", "--no-cache")
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "NOTIFY_SOCKET=" + sock, "WATCHDOG_USEC=200000"}
	// A file, not a pipe: the child's write is complete when it returns,
	// so the order of publish and READY=1 can be checked.
	stdout, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	cmd.Stdout = stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	next := func() string {
		t.Helper()
		buf := make([]byte, 512)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("no notification: %v", err)
		}
		return string(buf[:n])
	}
	// READY=1 comes after the first sync has published.
	for {
		msg := next()
		if strings.Contains(msg, "READY=1") {
			if out, _ := os.ReadFile(stdout.Name()); !strings.Contains(string(out), "[IPv4] 192.0.2.1") {
				t.Fatalf("READY=1 before the first sync published (stdout %q)", out)
			}
			break
		}
	}
	// Watchdog pings every 100 ms (half of 200 ms).
	var pings []time.Time
	for len(pings) < 6 {
		if msg := next(); strings.Contains(msg, "WATCHDOG=1") {
			pings = append(pings, time.Now())
		}
	}
	// Averaged over five periods, so one late tick on a loaded machine
	// does not decide; what matters is staying well inside the 200 ms.
	if avg := pings[5].Sub(pings[0]) / 5; avg < 70*time.Millisecond || avg > 150*time.Millisecond {
		t.Errorf("watchdog every %v on average, want about 100 ms", avg)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	for {
		if msg := next(); strings.Contains(msg, "STOPPING=1") {
			break
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
}

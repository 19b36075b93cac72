package integration

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vishvananda/netns"
)

// netNS is a named network namespace (so `ip netns exec` can run the
// binary in it) that disappears when the test ends.
type netNS struct {
	name string
	h    netns.NsHandle
}

// newNetNS creates a namespace with lo up and a veth pair veth0/veth1
// inside it, or skips the test with the reason it cannot.
func newNetNS(t testing.TB) *netNS {
	t.Helper()
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs iproute2 (ip): " + err.Error())
	}
	name := fmt.Sprintf("ddns-it-%d-%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Skipf("needs root with CAP_SYS_ADMIN and CAP_NET_ADMIN to create a network namespace: %v: %s", err, out)
	}
	n := &netNS{name: name}
	t.Cleanup(func() {
		n.h.Close()
		exec.Command("ip", "netns", "del", name).Run()
	})
	n.ip(t, "link set lo up")
	n.ip(t, "link add veth0 type veth peer name veth1")
	n.ip(t, "link set veth0 up")
	n.ip(t, "link set veth1 up")
	// No DAD waits and no router solicitations: addresses are usable at once.
	for _, k := range []string{"ipv6.conf.veth0.accept_dad=0", "ipv6.conf.veth0.dad_transmits=0",
		// As most distributions do: deleting a primary IPv4 address
		// promotes a secondary one instead of deleting it too.
		"ipv4.conf.veth0.promote_secondaries=1"} {
		exec.Command("ip", "netns", "exec", name, "sysctl", "-qw", "net."+k).Run()
	}
	h, err := netns.GetFromName(name)
	if err != nil {
		t.Fatal(err)
	}
	n.h = h
	return n
}

// ip runs `ip -n NS <args>` and fails the test on error.
func (n *netNS) ip(t testing.TB, args string) {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"-n", n.name}, strings.Fields(args)...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", args, err, out)
	}
}

// listen opens a TCP listener on 127.0.0.1 inside the namespace: a
// socket belongs to the namespace of the thread that created it.
func (n *netNS) listen(t testing.TB) net.Listener {
	t.Helper()
	return inNS(t, n, func() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") })
}

// inNS runs open on a thread inside the namespace, for what belongs to
// the namespace of the thread that creates it (sockets), and fails the
// test on its error.
func inNS[T any](t testing.TB, n *netNS, open func() (T, error)) T {
	t.Helper()
	type result struct {
		v   T
		err error
	}
	ch := make(chan result)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		if err := netns.Set(n.h); err != nil {
			ch <- result{err: err}
			return
		}
		v, err := open()
		ch <- result{v, err}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.v
}

// hookServer is the fake webhook: every request is an update.
type hookServer struct {
	url     string
	updates chan string // "<domain> <ip>"
	mu      sync.Mutex
	fail    int // answer 500 to this many requests first
	tries   []time.Time
	stamps  chan stamp // when set, also receives each update with its arrival time
}

func newHookServer(t testing.TB, n *netNS) *hookServer {
	h := &hookServer{updates: make(chan string, 1000)}
	l := n.listen(t)
	srv := &http.Server{Handler: h}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	h.url = "http://" + l.Addr().String() + "/update?d=__DOMAIN__&ip=__IP__"
	return h
}

// agent starts the agent in n publishing home.example.com's IPv4 address
// found by index4 to this hook (no IPv6, no cache), with more flags.
func (h *hookServer) agent(t testing.TB, n *netNS, dir, index4 string, flags ...string) *agent {
	t.Helper()
	return startAgent(t, n, dir, append([]string{"--dns", "callback", "--id", h.url, "--ipv4", "home.example.com",
		"--index4", index4, "--index6", "false", "--no-cache"}, flags...)...)
}

func (h *hookServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.tries = append(h.tries, time.Now())
	fail := h.fail > 0
	if fail {
		h.fail--
	}
	h.mu.Unlock()
	if fail {
		http.Error(w, "try later", http.StatusInternalServerError)
		return
	}
	at := time.Now()
	io.WriteString(w, "ok")
	u := r.URL.Query().Get("d") + " " + r.URL.Query().Get("ip")
	if h.stamps != nil {
		h.stamps <- stamp{u, at}
		return
	}
	h.updates <- u
}

// next waits for the next update.
func (h *hookServer) next(t testing.TB, within time.Duration) string {
	t.Helper()
	select {
	case u := <-h.updates:
		return u
	case <-time.After(within):
		t.Fatalf("no update within %v", within)
	}
	return ""
}

// none asserts that no update arrives for d.
func (h *hookServer) none(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case u := <-h.updates:
		t.Fatalf("unexpected update %q", u)
	case <-time.After(d):
	}
}

// agent is a running `ddns watch` inside a namespace.
type agent struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan error
}

func startAgent(t testing.TB, n *netNS, dir string, args ...string) *agent {
	t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", n.name, binary(t), "watch"}, args...)...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "XDG_CACHE_HOME=" + filepath.Join(dir, "cache")}
	a := &agent{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = a.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { a.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if a.cmd.ProcessState == nil {
			a.cmd.Process.Kill()
			<-a.exited
		}
		if t.Failed() {
			t.Logf("agent stderr:\n%s", a.stderr.String())
		}
	})
	return a
}

// waitLog waits until the agent's log contains s.
func (a *agent) waitLog(t testing.TB, s string, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(a.stderr.String(), s) {
		select {
		case <-deadline:
			t.Fatalf("agent never logged %q:\n%s", s, a.stderr.String())
		case <-tick.C:
		}
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// settle is how long "no further update" is awaited: the debounce plus
// the maximum burst delay plus margin for a loaded CI machine.
const settle = 600 * time.Millisecond

func TestReactorIPv4(t *testing.T) {
	n := newNetNS(t)
	hook := newHookServer(t, n)
	dir := t.TempDir()
	// A 300 ms quiet period: long enough that a slow `ip -batch` on a
	// loaded CI machine is still one burst.
	a := hook.agent(t, n, dir, "iface:veth0", "--debounce", "0.3")
	a.waitLog(t, "sync: start", 10*time.Second)

	t.Run("1 address added: one update", func(t *testing.T) {
		n.ip(t, "addr add 192.0.2.10/24 dev veth0")
		if got := hook.next(t, 5*time.Second); got != "home.example.com 192.0.2.10" {
			t.Fatalf("update %q", got)
		}
		hook.none(t, settle)
	})
	t.Run("2 address replaced within 50ms: one update", func(t *testing.T) {
		n.ip(t, "addr del 192.0.2.10/24 dev veth0")
		n.ip(t, "addr add 192.0.2.11/24 dev veth0")
		if got := hook.next(t, 5*time.Second); got != "home.example.com 192.0.2.11" {
			t.Fatalf("update %q", got)
		}
		hook.none(t, settle)
	})
	t.Run("3 a hundred changes in 300ms: at most two updates, the last one final", func(t *testing.T) {
		batch := filepath.Join(dir, "batch")
		var b strings.Builder
		prev := "192.0.2.11"
		for i := 1; i <= 50; i++ {
			next := fmt.Sprintf("198.51.100.%d", i)
			fmt.Fprintf(&b, "addr del %s/24 dev veth0\naddr add %s/24 dev veth0\n", prev, next)
			prev = next
		}
		os.WriteFile(batch, []byte(b.String()), 0o600)
		begin := time.Now()
		if out, err := exec.Command("ip", "-n", n.name, "-batch", batch).CombinedOutput(); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if d := time.Since(begin); d > 300*time.Millisecond {
			t.Logf("the batch took %v (more than 300ms)", d)
		}
		var got []string
		deadline := time.After(5 * time.Second)
		for len(got) == 0 || got[len(got)-1] != "home.example.com "+prev {
			select {
			case u := <-hook.updates:
				got = append(got, u)
			case <-deadline:
				t.Fatalf("final address never published; updates %q", got)
			}
		}
		hook.none(t, settle)
		if len(got) > 2 {
			t.Fatalf("%d updates for one burst: %q", len(got), got)
		}
	})
	t.Run("4 unrelated interface: no update", func(t *testing.T) {
		n.ip(t, "addr add 203.0.113.5/24 dev veth1")
		n.ip(t, "link set veth1 down")
		n.ip(t, "link set veth1 up")
		hook.none(t, settle)
	})
	t.Run("5 provider fails three times: backoff, then the update", func(t *testing.T) {
		hook.mu.Lock()
		hook.fail, hook.tries = 3, nil
		hook.mu.Unlock()
		n.ip(t, "addr add 192.0.2.20/24 dev veth0")
		n.ip(t, "addr del 198.51.100.50/24 dev veth0")
		if got := hook.next(t, 20*time.Second); got != "home.example.com 192.0.2.20" {
			t.Fatalf("update %q", got)
		}
		hook.mu.Lock()
		tries := append([]time.Time(nil), hook.tries...)
		hook.mu.Unlock()
		if len(tries) != 4 {
			t.Fatalf("%d tries, want 4", len(tries))
		}
		// 1 s, 2 s, 4 s with ±20 % jitter.
		for i, min := range []time.Duration{800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond} {
			if gap := tries[i+1].Sub(tries[i]); gap < min {
				t.Errorf("retry %d after %v, want ≥ %v", i+1, gap, min)
			}
		}
	})
	t.Run("5b events are handled while a retry is pending", func(t *testing.T) {
		hook.mu.Lock()
		hook.fail = 1
		hook.mu.Unlock()
		n.ip(t, "addr add 192.0.2.21/24 dev veth0")
		n.ip(t, "addr del 192.0.2.20/24 dev veth0")
		a.waitLog(t, "retrying in", 5*time.Second)
		n.ip(t, "addr add 192.0.2.22/24 dev veth0")
		n.ip(t, "addr del 192.0.2.21/24 dev veth0")
		if got := hook.next(t, 5*time.Second); got != "home.example.com 192.0.2.22" {
			t.Fatalf("update %q", got)
		}
	})
	t.Run("7 SIGTERM: exit 0 quickly", func(t *testing.T) {
		begin := time.Now()
		a.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-a.exited:
			if err != nil {
				t.Fatalf("exit: %v\n%s", err, a.stderr.String())
			}
		case <-time.After(5 * time.Second):
			t.Fatal("still running 5 s after SIGTERM")
		}
		t.Logf("stopped %v after SIGTERM", time.Since(begin))
	})
}

func TestReactorIPv6(t *testing.T) {
	n := newNetNS(t)
	hook := newHookServer(t, n)
	a := startAgent(t, n, t.TempDir(), "--dns", "callback", "--id", hook.url, "--ipv6", "home.example.com",
		"--index6", "iface:veth0", "--index4", "false", "--no-cache", "--debounce", "0.1")
	a.waitLog(t, "sync: start", 10*time.Second)

	// Privacy extensions on: the kernel derives a temporary address from
	// a "mngtmpaddr" base (userspace cannot add one itself).
	if out, err := exec.Command("ip", "netns", "exec", n.name, "sysctl", "-qw", "net.ipv6.conf.veth0.use_tempaddr=2").CombinedOutput(); err != nil {
		t.Fatalf("sysctl: %v: %s", err, out)
	}
	n.ip(t, "addr add 2001:db8:1::10/64 dev veth0 nodad mngtmpaddr")
	if got := hook.next(t, 5*time.Second); got != "home.example.com 2001:db8:1::10" {
		t.Fatalf("update %q", got)
	}
	// The temporary address appears (an event), and is not published.
	waitFor(t, 5*time.Second, func() bool {
		out, _ := exec.Command("ip", "-n", n.name, "-6", "addr", "show", "dev", "veth0").Output()
		return strings.Contains(string(out), "temporary")
	})
	hook.none(t, settle)
	// A deprecated address does not replace the stable one either.
	n.ip(t, "addr add 2001:db8:1::20/64 dev veth0 nodad preferred_lft 0")
	a.waitLog(t, "2001:db8:1::20 added", 5*time.Second)
	hook.none(t, settle)
	// A new stable global address does.
	n.ip(t, "addr del 2001:db8:1::10/64 dev veth0")
	n.ip(t, "addr add 2001:db8:1::40/64 dev veth0 nodad")
	if got := hook.next(t, 5*time.Second); got != "home.example.com 2001:db8:1::40" {
		t.Fatalf("update %q", got)
	}
}

// waitFor polls cond every 10 ms until it holds or the deadline passes.
func waitFor(t testing.TB, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestReactorReload(t *testing.T) {
	n := newNetNS(t)
	hook := newHookServer(t, n)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.json")
	write := func(domains string) {
		body := fmt.Sprintf(`{"dns":"callback","id":%q,"ipv4":[%s],"index4":"iface:veth0","index6":false,"cache":false,"debounce":0.1}`, hook.url, domains)
		if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`"a.example.com"`)
	n.ip(t, "addr add 192.0.2.30/24 dev veth0")
	a := startAgent(t, n, dir, "-c", cfg)
	if got := hook.next(t, 10*time.Second); got != "a.example.com 192.0.2.30" {
		t.Fatalf("update %q", got)
	}
	write(`"a.example.com","b.example.com"`)
	a.cmd.Process.Signal(syscall.SIGHUP)
	// Only the new record is sent: the in-memory state of --no-cache
	// survives the reload, and a.example.com is already current.
	if got := hook.next(t, 5*time.Second); got != "b.example.com 192.0.2.30" {
		t.Fatalf("after reload: %q", got)
	}
	hook.none(t, settle)
	// A broken file keeps the running configuration.
	os.WriteFile(cfg, []byte(`{"dns":`), 0o600)
	a.cmd.Process.Signal(syscall.SIGHUP)
	a.waitLog(t, "keeping the running configuration", 5*time.Second)
	a.cmd.Process.Signal(syscall.SIGUSR1)
	a.waitLog(t, "sync asked (SIGUSR1)", 5*time.Second)
	a.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-a.exited; err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
}

// readStatus returns a field of /proc/PID/status, e.g. VmRSS.
func readStatus(pid int, field string) string {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if strings.HasPrefix(s.Text(), field+":") {
			return strings.TrimSpace(strings.TrimPrefix(s.Text(), field+":"))
		}
	}
	return ""
}

package integration

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// statusServer answers every request with one status and counts them.
type statusServer struct {
	url  string
	n    atomic.Int32
	code int
}

func newStatusServer(t testing.TB, n *netNS, code int) *statusServer {
	s := &statusServer{code: code}
	l := n.listen(t)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.n.Add(1)
		http.Error(w, http.StatusText(code), code)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	s.url = "http://" + l.Addr().String() + "/update?d=__DOMAIN__&ip=__IP__"
	return s
}

// hangServer accepts connections and never answers: a provider whose
// backend is stuck.
func hangServer(t testing.TB, n *netNS) string {
	l := n.listen(t)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return "http://" + l.Addr().String() + "/update?d=__DOMAIN__&ip=__IP__"
}

// writeJSON writes v as a configuration file in dir.
func writeJSON(t testing.TB, dir, name string, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func callbackConfig(url string, domains ...string) map[string]any {
	return map[string]any{"dns": "callback", "id": url, "ipv4": domains, "index4": "iface:veth0", "index6": false,
		"cache": false, "debounce": 0.1}
}

// Head of line: one configuration's provider hangs; another's first sync
// and its later changes arrive within 2 s (debounce 0.1 s).
func TestReactorHeadOfLine(t *testing.T) {
	n := newNetNS(t)
	hook := newHookServer(t, n)
	dir := t.TempDir()
	n.ip(t, "addr add 192.0.2.10/24 dev veth0")
	hung := writeJSON(t, dir, "hung.json", callbackConfig(hangServer(t, n), "a.example.com"))
	good := writeJSON(t, dir, "good.json", callbackConfig(hook.url, "b.example.com"))
	binary(t) // built before the clock starts
	begin := time.Now()
	a := startAgent(t, n, dir, "-c", hung, "-c", good)
	if got := hook.next(t, 2*time.Second); got != "b.example.com 192.0.2.10" {
		t.Fatalf("update %q", got)
	}
	t.Logf("first sync of the healthy configuration after %v", time.Since(begin))
	for i, addr := range []string{"192.0.2.11", "192.0.2.12"} {
		n.ip(t, "addr add "+addr+"/24 dev veth0")
		n.ip(t, "addr del 192.0.2.1"+fmt.Sprint(i)+"/24 dev veth0")
		begin := time.Now()
		if got := hook.next(t, 2*time.Second); got != "b.example.com "+addr {
			t.Fatalf("update %q", got)
		}
		t.Logf("change %d reached the healthy provider in %v", i+1, time.Since(begin))
	}
	select {
	case err := <-a.exited:
		t.Fatalf("the agent exited: %v", err)
	default:
	}
}

// fds counts the open file descriptors of pid.
func fds(t testing.TB, pid int) int {
	t.Helper()
	ents, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

// Reload storm: 100 SIGHUPs in 1 s cost at most 2 more requests to a
// provider answering 401 (a permanent failure is not retried while
// nothing changed), at most 4 in the next 3 s to one answering 500 (the
// backoff goes on), and leave no connections behind.
func TestReactorReloadStorm(t *testing.T) {
	n := newNetNS(t)
	denied := newStatusServer(t, n, http.StatusUnauthorized)
	broken := newStatusServer(t, n, http.StatusInternalServerError)
	hook := newHookServer(t, n)
	dir := t.TempDir()
	n.ip(t, "addr add 192.0.2.10/24 dev veth0")
	cfgs := []string{
		writeJSON(t, dir, "denied.json", callbackConfig(denied.url, "a.example.com")),
		writeJSON(t, dir, "broken.json", callbackConfig(broken.url, "b.example.com")),
		writeJSON(t, dir, "good.json", callbackConfig(hook.url, "c.example.com")),
	}
	a := startAgent(t, n, dir, "-c", cfgs[0], "-c", cfgs[1], "-c", cfgs[2])
	hook.next(t, 10*time.Second)
	waitFor(t, 5*time.Second, func() bool { return denied.n.Load() >= 1 && broken.n.Load() >= 1 })
	time.Sleep(2 * time.Second) // the 500 provider's backoff grows past its first steps
	pid := a.cmd.Process.Pid
	fdsBefore := fds(t, pid)
	d0, b0 := denied.n.Load(), broken.n.Load()
	for i := 0; i < 100; i++ {
		a.cmd.Process.Signal(syscall.SIGHUP)
		time.Sleep(10 * time.Millisecond)
	}
	b1 := broken.n.Load()
	time.Sleep(3 * time.Second)
	if d := denied.n.Load() - d0; d > 2 {
		t.Errorf("%d more requests to the provider answering 401, want ≤ 2", d)
	}
	if d := broken.n.Load() - b1; d > 4 {
		t.Errorf("%d requests in 3 s after the storm to the provider answering 500, want ≤ 4", d)
	}
	t.Logf("during and after the storm: 401 provider +%d, 500 provider +%d during, +%d in the next 3 s",
		denied.n.Load()-d0, b1-b0, broken.n.Load()-b1)
	if c := strings.Count(a.stderr.String(), "reload: 3 configuration(s) loaded"); c > 2 || c == 0 {
		t.Errorf("100 SIGHUPs gave %d re-evaluations", c)
	}
	waitFor(t, 5*time.Second, func() bool { return fds(t, pid) <= fdsBefore })
	t.Logf("fds before %d, after %d", fdsBefore, fds(t, pid))
}

// Boot order: iface:wan9 before wan9 exists keeps the agent running, says
// so once, and publishes within 2 s of wan9 getting an address.
func TestReactorWaitsForInterface(t *testing.T) {
	n := newNetNS(t)
	hook := newHookServer(t, n)
	dir := t.TempDir()
	a := hook.agent(t, n, dir, "iface:wan9", "--debounce", "0.1")
	a.waitLog(t, "waiting for wan9", 10*time.Second)
	// A few rounds pass (events on other links, a manual sync).
	n.ip(t, "addr add 192.0.2.10/24 dev veth0")
	a.cmd.Process.Signal(syscall.SIGUSR1)
	a.waitLog(t, "sync asked (SIGUSR1)", 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-a.exited:
		t.Fatalf("the agent exited: %v", err)
	default:
	}
	n.ip(t, "link add wan9 type veth peer name wan9p")
	n.ip(t, "link set wan9p up")
	n.ip(t, "link set wan9 up")
	begin := time.Now()
	n.ip(t, "addr add 198.51.100.9/24 dev wan9")
	if got := hook.next(t, 2*time.Second); got != "home.example.com 198.51.100.9" {
		t.Fatalf("update %q", got)
	}
	t.Logf("wan9's address published %v after it was added", time.Since(begin))
	if c := strings.Count(a.stderr.String(), "waiting for wan9"); c != 1 {
		t.Errorf("said %d times that it waits for wan9, want once", c)
	}
}

// Shared state file: configurations of a v4.1 file with a root "cache"
// path all keep their entries in it, in watch and one-shot modes, and the
// next start publishes nothing.
func TestSharedStateFile(t *testing.T) {
	for _, providers := range []int{2, 3} {
		for _, mode := range []string{"watch", "once"} {
			t.Run(fmt.Sprintf("%d providers %s", providers, mode), func(t *testing.T) {
				n := newNetNS(t)
				hook := newHookServer(t, n)
				dir := t.TempDir()
				n.ip(t, "addr add 192.0.2.10/24 dev veth0")
				cache := filepath.Join(dir, "shared.cache")
				var entries []map[string]any
				for i := 0; i < providers; i++ {
					entries = append(entries, map[string]any{"provider": "callback", "id": hook.url,
						"ipv4": []string{fmt.Sprintf("h%d.example.com", i)}})
				}
				cfg := writeJSON(t, dir, "multi.json", map[string]any{
					"$schema": "https://ddns.newfuture.cc/schema/v4.1.json", "cache": cache,
					"index4": "iface:veth0", "index6": false, "providers": entries})
				runIt := func(first bool) {
					t.Helper()
					if mode == "once" {
						cmd := exec.Command("ip", "netns", "exec", n.name, binary(t), "-c", cfg)
						cmd.Dir = dir
						cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
						if out, err := cmd.CombinedOutput(); err != nil {
							t.Fatalf("%v: %s", err, out)
						}
						return
					}
					a := startAgent(t, n, dir, "-c", cfg)
					a.waitLog(t, "sync: start", 10*time.Second)
					// The first run publishes every record; the second
					// must publish none: give it time to (wrongly) do so.
					if first {
						waitFor(t, 10*time.Second, func() bool { return len(hook.updates) >= providers })
					} else {
						time.Sleep(settle)
					}
					time.Sleep(settle)
					a.cmd.Process.Signal(syscall.SIGTERM)
					if err := <-a.exited; err != nil {
						t.Fatalf("exit: %v\n%s", err, a.stderr.String())
					}
				}
				runIt(true)
				got := map[string]bool{}
				for len(hook.updates) > 0 {
					got[<-hook.updates] = true
				}
				if len(got) != providers {
					t.Fatalf("first run published %v", got)
				}
				data, err := os.ReadFile(cache)
				if err != nil {
					t.Fatal(err)
				}
				var saved map[string]map[string]any
				if err := json.Unmarshal(data, &saved); err != nil {
					t.Fatal(err)
				}
				for i := 0; i < providers; i++ {
					if e := saved[fmt.Sprintf("h%d.example.com:A", i)]; e == nil || e["addr"] != "192.0.2.10" {
						t.Errorf("h%d missing from the shared file: %s", i, data)
					}
				}
				runIt(false)
				if len(hook.updates) != 0 {
					t.Errorf("the second run published %d updates", len(hook.updates))
				}
			})
		}
	}
}

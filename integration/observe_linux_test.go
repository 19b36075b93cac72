package integration

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/vishvananda/netns"
)

// sink is a loopback HTTP server inside the namespace that records every
// request and answers with a status code the test can change.
type sink struct {
	url  string
	got  chan sinkReq
	mu   sync.Mutex
	code int
	hang chan struct{} // when set, requests block until it is closed
}

type sinkReq struct {
	method, path, query, body string
	at                        time.Time
}

func newSink(t testing.TB, n *netNS) *sink {
	s := &sink{got: make(chan sinkReq, 1000), code: 200}
	l := n.listen(t)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		code, hang := s.code, s.hang
		s.mu.Unlock()
		if hang != nil {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}
		s.got <- sinkReq{r.Method, r.URL.Path, r.URL.RawQuery, string(b), at}
		w.WriteHeader(code)
		io.WriteString(w, "ok")
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	s.url = "http://" + l.Addr().String()
	return s
}

func (s *sink) setCode(c int) { s.mu.Lock(); s.code = c; s.mu.Unlock() }

// waitFor returns the first request that satisfies ok, skipping others.
func (s *sink) waitFor(t testing.TB, within time.Duration, what string, ok func(sinkReq) bool) sinkReq {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case r := <-s.got:
			if ok(r) {
				return r
			}
		case <-deadline:
			t.Fatalf("no request: %s", what)
		}
	}
}

// inNS dials from inside the namespace (the test process lives outside).
func (n *netNS) client() *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			type res struct {
				c   net.Conn
				err error
			}
			ch := make(chan res, 1)
			go func() {
				runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
				if err := netns.Set(n.h); err != nil {
					ch <- res{nil, err}
					return
				}
				var d net.Dialer
				c, err := d.DialContext(ctx, network, addr)
				ch <- res{c, err}
			}()
			r := <-ch
			return r.c, r.err
		}}}
}

func (n *netNS) freePort(t testing.TB) string {
	l := n.listen(t)
	addr := l.Addr().String()
	l.Close()
	return addr
}

func getBody(t testing.TB, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// publishOK reads ddns_publish_total{result="ok"} with Prometheus' parser.
func publishOK(t testing.TB, text string) float64 {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, text)
	}
	f := fams["ddns_publish_total"]
	if f == nil {
		return 0
	}
	sum := 0.0
	for _, m := range f.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "result" && l.GetValue() == "ok" {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return sum
}

// TestObserveEndToEnd is issue #13's acceptance: the built binary in
// watch mode with the status endpoint, a generic webhook notifier and a
// healthchecks-style heartbeat, all on loopback sinks.
func TestObserveEndToEnd(t *testing.T) {
	n := newNetNS(t)
	provider, hook, hc := newSink(t, n), newSink(t, n), newSink(t, n)
	n.ip(t, "addr add 192.0.2.10/24 dev veth0")
	statusAddr := n.freePort(t)
	dir := t.TempDir()
	a := startAgent(t, n, dir, "--dns", "callback", "--id", provider.url+"/update?d=__DOMAIN__&ip=__IP__", "--ipv4", "home.example.com",
		"--index4", "iface:veth0", "--index6", "false", "--no-cache", "--debounce", "0",
		"--status", statusAddr, "--notify", "generic+"+hook.url+"/hook", "--heartbeat", hc.url+"/ping/5f1c-uuid")
	c := n.client()
	base := "http://" + statusAddr

	isUpdate := func(ip string) func(sinkReq) bool {
		return func(r sinkReq) bool { return r.path == "/update" && strings.Contains(r.query, "ip="+ip) }
	}
	provider.waitFor(t, 10*time.Second, "first publish", isUpdate("192.0.2.10"))
	hc.waitFor(t, 10*time.Second, "success ping after the first sync", func(r sinkReq) bool { return r.path == "/ping/5f1c-uuid" })
	waitFor(t, 5*time.Second, func() bool { _, m := getBody(t, c, base+"/metrics"); return publishOK(t, m) >= 1 })
	_, m := getBody(t, c, base+"/metrics")
	before := publishOK(t, m)
	// The first message (started, first publish) is not the one checked.
	hook.waitFor(t, 10*time.Second, "start message", func(r sinkReq) bool { return strings.Contains(r.body, "ddns started") })

	// An address change.
	n.ip(t, "addr del 192.0.2.10/24 dev veth0")
	n.ip(t, "addr add 192.0.2.20/24 dev veth0")
	provider.waitFor(t, 10*time.Second, "publish of the new address", isUpdate("192.0.2.20"))
	waitFor(t, 5*time.Second, func() bool {
		_, body := getBody(t, c, base+"/status")
		return strings.Contains(body, `"published": "192.0.2.20"`)
	})
	var st struct {
		Healthy bool
		Records []struct{ Domain, Published, Result, Rule string }
	}
	if _, body := getBody(t, c, base+"/status"); json.Unmarshal([]byte(body), &st) != nil || len(st.Records) != 1 || st.Records[0].Domain != "home.example.com" ||
		st.Records[0].Result != "published" || st.Records[0].Rule != "iface:veth0" || !st.Healthy {
		t.Errorf("/status: %s", body)
	}
	_, m = getBody(t, c, base+"/metrics")
	if after := publishOK(t, m); after <= before {
		t.Errorf("ddns_publish_total{result=\"ok\"} %v → %v, want growth", before, after)
	}
	msg := hook.waitFor(t, 10*time.Second, "change message", func(r sinkReq) bool { return strings.Contains(r.body, "192.0.2.20") })
	if !strings.Contains(msg.body, "home.example.com") || !strings.Contains(msg.body, "192.0.2.10") || msg.method != "POST" {
		t.Errorf("change message: %s %s", msg.method, msg.body)
	}
	hc.waitFor(t, 10*time.Second, "success ping after the change", func(r sinkReq) bool { return r.path == "/ping/5f1c-uuid" && r.at.After(msg.at.Add(-time.Second)) })
	if code, _ := getBody(t, c, base+"/healthz"); code != 200 {
		t.Errorf("/healthz = %d while healthy", code)
	}

	// The provider starts refusing the credentials.
	provider.setCode(401)
	n.ip(t, "addr del 192.0.2.20/24 dev veth0")
	n.ip(t, "addr add 192.0.2.30/24 dev veth0")
	provider.waitFor(t, 10*time.Second, "attempt with the refused credentials", isUpdate("192.0.2.30"))
	waitFor(t, 5*time.Second, func() bool { code, _ := getBody(t, c, base+"/healthz"); return code == 503 })
	if _, body := getBody(t, c, base+"/healthz"); !strings.Contains(body, "home.example.com") {
		t.Errorf("/healthz does not name the record: %s", body)
	}
	fail := hook.waitFor(t, 10*time.Second, "failure message", func(r sinkReq) bool { return strings.Contains(r.body, "failed") })
	if !strings.Contains(fail.body, "home.example.com") || !strings.Contains(fail.body, "401") {
		t.Errorf("failure message: %s", fail.body)
	}
	f := hc.waitFor(t, 10*time.Second, "/fail ping", func(r sinkReq) bool { return r.path == "/ping/5f1c-uuid/fail" })
	if !strings.Contains(f.body, "home.example.com") {
		t.Errorf("/fail body: %q", f.body)
	}
	out, err := exec.Command("ip", "netns", "exec", n.name, binary(t), "status", "--status", statusAddr).CombinedOutput()
	if code := exitCode(err); code != 1 || !strings.Contains(string(out), "home.example.com") || !strings.Contains(string(out), "UNHEALTHY") {
		t.Errorf("ddns status: exit %d:\n%s", code, out)
	}
	// Only one failure message: the permanent failure is not repeated.
	a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-a.exited:
		if err != nil {
			t.Errorf("exit: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("agent did not stop")
	}
	stopped := false
	for len(hook.got) > 0 {
		r := <-hook.got
		if strings.Contains(r.body, "failed") {
			t.Errorf("a second failure message: %s", r.body)
		}
		stopped = stopped || strings.Contains(r.body, "ddns stopped")
	}
	if !stopped {
		t.Error("no stop message")
	}
	if strings.Contains(a.stderr.String(), "panic") {
		t.Errorf("agent log:\n%s", a.stderr.String())
	}
	// Unreachable endpoint: exit 2.
	out, err = exec.Command("ip", "netns", "exec", n.name, binary(t), "status", "--status", statusAddr).CombinedOutput()
	if code := exitCode(err); code != 2 {
		t.Errorf("ddns status against a stopped agent: exit %d:\n%s", code, out)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// TestHangingNotifierDoesNotDelayPublish: with a notifier that never
// answers, address changes still reach the provider as fast as without
// one (debounce off).
func TestHangingNotifierDoesNotDelayPublish(t *testing.T) {
	n := newNetNS(t)
	provider, hook := newSink(t, n), newSink(t, n)
	// Under the sink's lock: its server goroutine reads hang, and the
	// race detector sees no order through the agent process between them.
	hang := make(chan struct{})
	hook.mu.Lock()
	hook.hang = hang
	hook.mu.Unlock()
	defer close(hang)
	n.ip(t, "addr add 10.0.0.1/8 dev veth0")
	startAgent(t, n, t.TempDir(), "--dns", "callback", "--id", provider.url+"/update?d=__DOMAIN__&ip=__IP__", "--ipv4", "home.example.com",
		"--index4", "iface:veth0", "--index6", "false", "--no-cache", "--debounce", "0", "--notify", "generic+"+hook.url+"/hook")
	provider.waitFor(t, 10*time.Second, "first publish", func(r sinkReq) bool { return strings.Contains(r.query, "ip=10.0.0.1") })
	var worst time.Duration
	prev := "10.0.0.1"
	for i := 2; i <= 11; i++ {
		ip := "10.0.0." + strconv.Itoa(i)
		n.ip(t, "addr add "+ip+"/8 dev veth0")
		n.ip(t, "addr del "+prev+"/8 dev veth0")
		t0 := time.Now()
		r := provider.waitFor(t, 10*time.Second, "publish of "+ip, func(r sinkReq) bool {
			return strings.Contains(r.query, "ip="+ip+"&") || strings.HasSuffix(r.query, "ip="+ip)
		})
		worst = max(worst, r.at.Sub(t0))
		prev = ip
	}
	t.Logf("worst event-to-provider latency with a hanging notifier: %v", worst)
	if worst > time.Second {
		t.Errorf("a hanging notifier delayed a publish: %v", worst)
	}
}

// TestIdleCostWithStatus: like TestIdleCost, with the status endpoint on
// (and scraped once): under 50 ms CPU per idle minute, under 12 MiB RSS.
func TestIdleCostWithStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("takes a minute")
	}
	t.Parallel()
	n := newNetNS(t)
	provider := newSink(t, n)
	n.ip(t, "addr add 192.0.2.10/24 dev veth0")
	statusAddr := n.freePort(t)
	a := startAgent(t, n, t.TempDir(), "--dns", "callback", "--id", provider.url+"/update?d=__DOMAIN__&ip=__IP__", "--ipv4", "home.example.com",
		"--index4", "iface:veth0", "--index6", "false", "--no-cache", "--status", statusAddr)
	provider.waitFor(t, 10*time.Second, "first publish", func(sinkReq) bool { return true })
	c := n.client()
	waitFor(t, 5*time.Second, func() bool { _, m := getBody(t, c, "http://"+statusAddr+"/metrics"); return publishOK(t, m) == 1 })
	expectIdle(t, a.cmd.Process.Pid, "idle with the status endpoint", 12)
}

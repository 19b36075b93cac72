package watch_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.uber.org/goleak"

	"github.com/ddns-go/ddns/internal/state"
	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
	"github.com/ddns-go/ddns/watch"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// machine is a fake OS: the address of eth0 can be changed by the test.
type machine struct {
	mu   sync.Mutex
	addr netip.Prefix
}

func (m *machine) set(a string) {
	m.mu.Lock()
	m.addr = netip.MustParsePrefix(a + "/24")
	m.mu.Unlock()
}

func (m *machine) List(context.Context) (platform.Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return platform.Snapshot{
		Interfaces: []platform.Interface{{Index: 2, Name: "eth0", Flags: 1}},
		Addrs:      []platform.Addr{{Iface: "eth0", Index: 2, Prefix: m.addr, Preferred: platform.Forever, Valid: platform.Forever}},
	}, nil
}

// source is a fake event source fed by the test.
type source struct{ ch chan platform.Event }

func (s *source) Events(ctx context.Context) (<-chan platform.Event, error) {
	out := make(chan platform.Event)
	go func() {
		defer close(out)
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-s.ch:
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// provider records publishes; fail decides the answer of each call.
type provider struct {
	sets    chan string
	mu      sync.Mutex
	fail    func(n int) error
	n       int
	gate    chan struct{} // when set, each Set waits for a token
	entered chan struct{} // when set, each Set says it started
}

func (p *provider) Set(ctx context.Context, r publish.Record) (publish.Result, error) {
	if p.entered != nil {
		p.entered <- struct{}{}
	}
	if p.gate != nil {
		select {
		case <-p.gate:
		case <-ctx.Done():
			p.sets <- "cancel " + r.Addr.String()
			return publish.Result{}, ctx.Err()
		}
	}
	p.mu.Lock()
	p.n++
	n := p.n
	p.mu.Unlock()
	var err error
	if p.fail != nil {
		err = p.fail(n)
	}
	if err == nil {
		p.sets <- r.Domain + " " + r.Addr.String()
	} else {
		p.sets <- "fail " + r.Addr.String()
	}
	return publish.Result{}, err
}

type rig struct {
	m      *machine
	src    *source
	p      *provider
	syncs  chan watch.Outcome
	r      *watch.Reactor
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, debounce time.Duration, p *provider) *rig {
	t.Helper()
	m := &machine{}
	m.set("192.0.2.1")
	rules, err := resolve.ParseWith(resolve.V4, []string{"iface:eth0"}, resolve.Options{Lister: m})
	if err != nil {
		t.Fatal(err)
	}
	if p.sets == nil {
		p.sets = make(chan string, 100)
	}
	g := &rig{m: m, src: &source{ch: make(chan platform.Event)}, p: p, syncs: make(chan watch.Outcome, 100), done: make(chan error, 1)}
	state, _ := state.Open(t.TempDir()+"/s", time.Hour, time.Now())
	target := &watch.Target{Provider: "fake", Publisher: p, State: state, Log: zerolog.Nop(),
		Families: []watch.Family{{Rules: rules, Domains: []string{"home.example.com"}}}}
	g.r = watch.New(watch.Options{Source: g.src, Debounce: debounce, RetryInitial: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond,
		Log: zerolog.Nop(), Synced: func(o watch.Outcome) { g.syncs <- o }})
	ctx, cancel := context.WithCancel(context.Background())
	g.cancel = cancel
	go func() { g.done <- g.r.Run(ctx, []*watch.Target{target}) }()
	t.Cleanup(g.stop)
	return g
}

func (g *rig) stop() {
	g.cancel()
	<-g.done
}

func (g *rig) event(iface, addr string) {
	g.src.ch <- platform.Event{Kind: platform.AddrChanged, Iface: iface, Addr: netip.MustParseAddr(addr)}
}

// expect waits for the next publish and checks it.
func (g *rig) expect(t *testing.T, want string) {
	t.Helper()
	select {
	case got := <-g.p.sets:
		if got != want {
			t.Fatalf("publish %q, want %q", got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no publish; want %q", want)
	}
}

// quiet asserts that nothing is published for d.
func (g *rig) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case got := <-g.p.sets:
		t.Fatalf("unexpected publish %q", got)
	case <-time.After(d):
	}
}

func (g *rig) waitSync(t *testing.T) watch.Outcome {
	t.Helper()
	select {
	case o := <-g.syncs:
		return o
	case <-time.After(5 * time.Second):
		t.Fatal("no sync")
	}
	return watch.Outcome{}
}

func TestStartPublishesThenEventsDrive(t *testing.T) {
	g := start(t, 0, &provider{})
	g.expect(t, "home.example.com 192.0.2.1")
	g.waitSync(t)

	g.m.set("192.0.2.2")
	g.event("eth0", "192.0.2.2")
	g.expect(t, "home.example.com 192.0.2.2")
	g.waitSync(t)

	// A duplicate event (lifetime refresh) costs a resolve, no publish.
	g.event("eth0", "192.0.2.2")
	if o := g.waitSync(t); o.Published != 0 || o.Current != 1 {
		t.Errorf("duplicate: %+v", o)
	}
	// Another interface cannot change iface:eth0: no sync at all.
	g.event("wlan0", "198.51.100.7")
	g.event("eth0", "fe80::1")
	select {
	case o := <-g.syncs:
		t.Fatalf("sync for an irrelevant event: %+v", o)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestBurstCollapses(t *testing.T) {
	g := start(t, 300*time.Millisecond, &provider{}) // a generous quiet period: CI machines are loaded
	g.expect(t, "home.example.com 192.0.2.1")
	g.waitSync(t)
	for i := 0; i < 100; i++ {
		g.m.set("192.0.2." + string(rune('0'+i%10)))
		g.event("eth0", "192.0.2.9")
	}
	g.m.set("192.0.2.200")
	g.event("eth0", "192.0.2.200")
	g.expect(t, "home.example.com 192.0.2.200")
	g.waitSync(t)
	g.quiet(t, 400*time.Millisecond)
}

func TestTriggerDuringPublishJoinsIt(t *testing.T) {
	p := &provider{gate: make(chan struct{}), entered: make(chan struct{}, 2)}
	g := start(t, 0, p)
	// The start sync is blocked inside Set; two triggers arrive. The
	// address is the same: their rounds wait for the publish in flight
	// rather than sending it again.
	<-p.entered
	g.r.Trigger("a")
	g.r.Trigger("b")
	select {
	case o := <-g.syncs:
		t.Fatalf("a round ended while its record was in flight: %+v", o)
	case <-time.After(50 * time.Millisecond):
	}
	p.gate <- struct{}{}
	g.expect(t, "home.example.com 192.0.2.1")
	if o := g.waitSync(t); o.Published != 1 {
		t.Errorf("first round: %+v", o)
	}
	g.quiet(t, 100*time.Millisecond)
	select {
	case <-p.entered:
		t.Fatal("the same address was sent twice")
	default:
	}
}

func TestNewerAddressCancelsInFlight(t *testing.T) {
	p := &provider{gate: make(chan struct{}), entered: make(chan struct{}, 2)}
	g := start(t, 0, p)
	<-p.entered // 192.0.2.1 is in flight and hangs
	g.m.set("192.0.2.5")
	g.event("eth0", "192.0.2.5")
	g.expect(t, "cancel 192.0.2.1")
	<-p.entered
	p.gate <- struct{}{}
	g.expect(t, "home.example.com 192.0.2.5")
	// Both rounds end with the newer address: the superseded one is not
	// lost, and neither round reports a failure.
	for range 2 {
		if o := g.waitSync(t); o.Published != 1 || o.Failed != 0 {
			t.Errorf("round: %+v", o)
		}
	}
}

func TestTransientFailuresRetryWithBackoff(t *testing.T) {
	p := &provider{fail: func(n int) error {
		if n <= 3 {
			return &publish.StatusError{Code: 500, Status: "500 Internal Server Error"}
		}
		return nil
	}}
	g := start(t, 0, p)
	begin := time.Now()
	for i := 0; i < 3; i++ {
		g.expect(t, "fail 192.0.2.1")
	}
	g.expect(t, "home.example.com 192.0.2.1")
	// 20 + 40 + 80 ms of backoff, ±20 % jitter.
	if d := time.Since(begin); d < 100*time.Millisecond {
		t.Errorf("three retries took %v: no backoff", d)
	}
}

func TestNewerAddressSupersedesPending(t *testing.T) {
	p := &provider{fail: func(n int) error {
		if n == 1 {
			return &publish.StatusError{Code: 503, Status: "503", RetryAfter: time.Hour}
		}
		return nil
	}}
	g := start(t, 0, p)
	g.expect(t, "fail 192.0.2.1")
	g.waitSync(t)
	// The retry is an hour away (Retry-After), but the address changed.
	g.m.set("192.0.2.9")
	g.event("eth0", "192.0.2.9")
	g.expect(t, "home.example.com 192.0.2.9")
}

func TestPermanentFailureStopsRetrying(t *testing.T) {
	p := &provider{fail: func(int) error { return publish.Permanent(errors.New("bad token")) }}
	g := start(t, 0, p)
	g.expect(t, "fail 192.0.2.1")
	g.waitSync(t)
	g.r.Trigger("poke")
	g.waitSync(t)
	g.quiet(t, 100*time.Millisecond)
	// A new address is worth one more try.
	g.m.set("192.0.2.3")
	g.event("eth0", "192.0.2.3")
	g.expect(t, "fail 192.0.2.3")
}

func TestReloadPublishesNewTargets(t *testing.T) {
	g := start(t, 0, &provider{})
	g.expect(t, "home.example.com 192.0.2.1")
	g.waitSync(t)
	p2 := &provider{sets: make(chan string, 10)}
	rules, _ := resolve.Parse(resolve.V4, []string{"198.51.100.4"})
	g.r.Reload([]*watch.Target{{Provider: "fake", Publisher: p2, Log: zerolog.Nop(), Families: []watch.Family{{Rules: rules, Domains: []string{"new.example.com"}}}}})
	select {
	case got := <-p2.sets:
		if got != "new.example.com 198.51.100.4" {
			t.Fatal(got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reloaded target not published")
	}
}

func TestReverify(t *testing.T) {
	for _, readable := range []bool{true, false} {
		p := &provider{sets: make(chan string, 100)}
		rules, _ := resolve.Parse(resolve.V4, []string{"198.51.100.4"})
		target := &watch.Target{Provider: "fake", Publisher: p, Readable: readable, State: state.Memory(), Log: zerolog.Nop(),
			Families: []watch.Family{{Rules: rules, Domains: []string{"a.example.com"}}}}
		r := watch.New(watch.Options{Reverify: 30 * time.Millisecond, Log: zerolog.Nop()})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- r.Run(ctx, []*watch.Target{target}) }()
		<-p.sets // the start sync
		select {
		case got := <-p.sets:
			if !readable {
				t.Errorf("unreadable provider re-sent %q before ForceAfter", got)
			}
		case <-time.After(300 * time.Millisecond):
			if readable {
				t.Error("readable provider never re-verified")
			}
		}
		cancel()
		<-done
	}
}

func TestPolledRulesArePolled(t *testing.T) {
	var answer atomic.Value
	answer.Store("198.51.100.1")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, answer.Load().(string))
	}))
	defer srv.Close()
	rules, err := resolve.ParseWith(resolve.V4, []string{"url:" + srv.URL}, resolve.Options{HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{sets: make(chan string, 10)}
	target := &watch.Target{Provider: "fake", Publisher: p, State: state.Memory(), Log: zerolog.Nop(),
		Families: []watch.Family{{Rules: rules, Domains: []string{"a.example.com"}}}}
	r := watch.New(watch.Options{Source: &source{ch: make(chan platform.Event)}, Interval: 30 * time.Millisecond, Log: zerolog.Nop()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx, []*watch.Target{target}) }()
	defer func() { cancel(); <-done }()
	if got := <-p.sets; got != "a.example.com 198.51.100.1" {
		t.Fatal(got)
	}
	// No event can reveal a new public address: the poll timer must.
	answer.Store("198.51.100.2")
	select {
	case got := <-p.sets:
		if got != "a.example.com 198.51.100.2" {
			t.Fatal(got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the url: rule was never polled")
	}
}

func TestReloadAppliesNewDebounce(t *testing.T) {
	g := start(t, 10*time.Second, &provider{})
	g.expect(t, "home.example.com 192.0.2.1")
	g.waitSync(t)
	rules, _ := resolve.ParseWith(resolve.V4, []string{"iface:eth0"}, resolve.Options{Lister: g.m})
	g.r.ReloadWithTiming([]*watch.Target{{Provider: "fake", Publisher: g.p, State: state.Memory(), Log: zerolog.Nop(),
		Families: []watch.Family{{Rules: rules, Domains: []string{"home.example.com"}}}}}, 0, 0)
	g.expect(t, "home.example.com 192.0.2.1") // the reload's own sync (fresh state)
	g.waitSync(t)
	// With the old 10 s debounce this would wait; the new one is 0.
	g.m.set("192.0.2.3")
	g.event("eth0", "192.0.2.3")
	select {
	case got := <-g.p.sets:
		if got != "home.example.com 192.0.2.3" {
			t.Fatal(got)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the reloaded debounce was not applied")
	}
}

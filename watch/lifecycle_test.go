package watch_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/internal/state"
	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
	"github.com/ddns-go/ddns/watch"
)

// recorder is an Observer that keeps everything it is told.
type recorder struct {
	mu      sync.Mutex
	events  []string
	syncs   []string
	records []watch.RecordReport
}

func (o *recorder) Event(kind string) { o.mu.Lock(); o.events = append(o.events, kind); o.mu.Unlock() }
func (o *recorder) Sync(reason string) {
	o.mu.Lock()
	o.syncs = append(o.syncs, reason)
	o.mu.Unlock()
}
func (o *recorder) Record(r watch.RecordReport) {
	o.mu.Lock()
	o.records = append(o.records, r)
	o.mu.Unlock()
}

func (o *recorder) snapshot() (events, syncs []string, records []watch.RecordReport) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.events), slices.Clone(o.syncs), slices.Clone(o.records)
}

// newTarget is a configuration publishing domains with iface:eth0 of m.
func newTarget(t *testing.T, label, fp string, m *machine, p publish.Provider, state *state.State, domains ...string) *watch.Target {
	t.Helper()
	rules, err := resolve.ParseWith(resolve.V4, []string{"iface:eth0"}, resolve.Options{Lister: m})
	if err != nil {
		t.Fatal(err)
	}
	return &watch.Target{Label: label, Provider: "fake", Publisher: p, State: state, Log: zerolog.Nop(), Fingerprint: fp,
		Families: []watch.Family{{Rules: rules, Domains: domains}}}
}

// running is a reactor started inside a synctest bubble.
type running struct {
	r      *watch.Reactor
	src    *source
	cancel context.CancelFunc
	done   chan error
}

func run(o watch.Options, targets ...*watch.Target) *running {
	src := &source{ch: make(chan platform.Event)}
	if o.Source == nil {
		o.Source = src
	}
	o.Log = zerolog.Nop()
	r := watch.New(o)
	ctx, cancel := context.WithCancel(context.Background())
	g := &running{r: r, src: src, cancel: cancel, done: make(chan error, 1)}
	go func() { g.done <- r.Run(ctx, targets) }()
	return g
}

func (g *running) stop() { g.cancel(); <-g.done }

// drain returns what p published so far, without waiting.
func drain(p *provider) []string {
	var got []string
	for {
		select {
		case s := <-p.sets:
			got = append(got, s)
		default:
			return got
		}
	}
}

// A Source that never delivers an event (a BSD routing socket that lost
// its messages) must not leave the records stale: the periodic resync
// re-reads the addresses within Interval, and costs nothing when nothing
// changed.
func TestReactorResyncWithoutEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := &machine{}
		m.set("192.0.2.1")
		p := &provider{sets: make(chan string, 10)}
		obs := &recorder{}
		g := run(watch.Options{Interval: time.Minute, Observer: obs},
			newTarget(t, "a", "fp", m, p, state.Memory(), "home.example.com"))
		synctest.Wait()
		if got := drain(p); !slices.Equal(got, []string{"home.example.com 192.0.2.1"}) {
			t.Fatalf("start: %q", got)
		}
		// Nothing changed: a resync costs no publish.
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := drain(p); len(got) != 0 {
			t.Fatalf("resync without a change published %q", got)
		}
		// The address changes and no event says so.
		m.set("192.0.2.2")
		time.Sleep(time.Minute)
		synctest.Wait()
		if got := drain(p); !slices.Equal(got, []string{"home.example.com 192.0.2.2"}) {
			t.Fatalf("after a lost event: %q", got)
		}
		g.stop()
		if _, syncs, _ := obs.snapshot(); !slices.Equal(syncs, []string{"start", "resync", "resync"}) {
			t.Errorf("rounds %q", syncs)
		}
	})
}

// A hung provider holds back only its own records: another
// configuration's change is published at once.
func TestReactorHungProviderDelaysOnlyItsRecords(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := &machine{}
		m.set("192.0.2.1")
		hung := &provider{sets: make(chan string, 10), gate: make(chan struct{})}
		ok := &provider{sets: make(chan string, 10)}
		g := run(watch.Options{},
			newTarget(t, "a", "fa", m, hung, state.Memory(), "a.example.com"),
			newTarget(t, "b", "fb", m, ok, state.Memory(), "b.example.com", "c.example.com"))
		synctest.Wait()
		if got := drain(ok); len(got) != 2 {
			t.Fatalf("b's first sync waited for a's hung provider: %q", got)
		}
		m.set("192.0.2.2")
		g.src.ch <- platform.Event{Kind: platform.AddrChanged, Iface: "eth0", Addr: netip.MustParseAddr("192.0.2.2")}
		synctest.Wait()
		got := drain(ok)
		slices.Sort(got)
		if !slices.Equal(got, []string{"b.example.com 192.0.2.2", "c.example.com 192.0.2.2"}) {
			t.Fatalf("b's change: %q", got)
		}
		// a's old publish was cancelled for the newer address, which
		// waits for the provider in turn.
		if got := drain(hung); !slices.Equal(got, []string{"cancel 192.0.2.1"}) {
			t.Fatalf("a: %q", got)
		}
		hung.gate <- struct{}{}
		synctest.Wait()
		if got := drain(hung); !slices.Equal(got, []string{"a.example.com 192.0.2.2"}) {
			t.Fatalf("a after the provider answered: %q", got)
		}
		g.stop()
	})
}

// A reload keeps a permanent failure (no retry of a rejected credential
// on every SIGHUP) and the backoff of a transient one, unless the
// configuration's fingerprint changed.
func TestReactorReloadKeepsRecordMemory(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := &machine{}
		m.set("192.0.2.1")
		denied := &provider{sets: make(chan string, 100), fail: func(int) error { return publish.Permanent(errors.New("401 bad token")) }}
		busy := &provider{sets: make(chan string, 100), fail: func(int) error {
			return &publish.StatusError{Code: 500, Status: "500 Internal Server Error"}
		}}
		targets := func(fp string) []*watch.Target {
			return []*watch.Target{
				newTarget(t, "denied", fp, m, denied, state.Memory(), "a.example.com"),
				newTarget(t, "busy", "same", m, busy, state.Memory(), "b.example.com"),
			}
		}
		g := run(watch.Options{RetryInitial: time.Second, RetryMax: time.Minute}, targets("v1")...)
		synctest.Wait()
		if n := len(drain(denied)) + len(drain(busy)); n != 2 {
			t.Fatalf("start: %d attempts", n)
		}
		for range 100 {
			g.r.Reload(targets("v1"))
			synctest.Wait()
		}
		if got := drain(denied); len(got) != 0 {
			t.Errorf("reloads retried a permanent failure: %q", got)
		}
		if got := drain(busy); len(got) != 0 {
			t.Errorf("reloads restarted the backoff: %q", got)
		}
		// The backoff goes on: 1 s, 2 s, 4 s (±20 %) → three tries in 8.5 s.
		time.Sleep(8500 * time.Millisecond)
		synctest.Wait()
		if got := drain(busy); len(got) != 3 {
			t.Errorf("%d retries in 8.5 s, want 3: %q", len(got), got)
		}
		// A changed configuration (new token) is worth one more try.
		g.r.Reload(targets("v2"))
		synctest.Wait()
		if got := drain(denied); !slices.Equal(got, []string{"fail 192.0.2.1"}) {
			t.Errorf("after a configuration change: %q", got)
		}
		g.stop()
	})
}

// The Observer hears every event by kind, every round by reason and every
// record once per round, with the failure details and the previous value
// of a change.
func TestReactorObserver(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := &machine{}
		m.set("192.0.2.1")
		p := &provider{sets: make(chan string, 100), fail: func(n int) error {
			if n == 2 {
				return &publish.StatusError{Code: 503, Status: "503 Service Unavailable"}
			}
			return nil
		}}
		obs := &recorder{}
		g := run(watch.Options{Observer: obs, RetryInitial: time.Second, RetryMax: time.Minute}, newTarget(t, "cfg", "fp", m, p, state.Memory(), "home.example.com"))
		synctest.Wait()
		ev := func(e platform.Event) { g.src.ch <- e; synctest.Wait() }
		a2 := netip.MustParseAddr("192.0.2.2")
		m.set("192.0.2.2")
		ev(platform.Event{Kind: platform.AddrChanged, Iface: "eth0", Addr: a2}) // added; publish fails
		time.Sleep(2 * time.Second)                                             // the retry succeeds
		synctest.Wait()
		ev(platform.Event{Kind: platform.AddrChanged, Iface: "eth0", Addr: a2})                             // refreshed
		ev(platform.Event{Kind: platform.AddrChanged, Iface: "eth0", Addr: a2, Flags: platform.Deprecated}) // deprecated
		ev(platform.Event{Kind: platform.LinkChanged, Iface: "wlan0"})                                      // irrelevant, still counted
		g.stop()

		events, syncs, recs := obs.snapshot()
		if want := []string{"added", "refreshed", "deprecated", "link"}; !slices.Equal(events, want) {
			t.Errorf("events %q, want %q", events, want)
		}
		if want := []string{"start", "event", "retry", "event", "event"}; !slices.Equal(syncs, want) {
			t.Errorf("rounds %q, want %q", syncs, want)
		}
		if len(recs) != len(syncs) {
			t.Fatalf("%d record reports for %d rounds: %+v", len(recs), len(syncs), recs)
		}
		first, failed, retried, current := recs[0], recs[1], recs[2], recs[3]
		if first.Result != watch.RecordPublished || first.Config != "cfg" || first.Provider != "fake" || first.Domain != "home.example.com" ||
			first.Type != "A" || first.Rule != "iface:eth0" || first.Published.String() != "192.0.2.1" || first.Previous.IsValid() {
			t.Errorf("first publish: %+v", first)
		}
		if failed.Result != watch.RecordFailed || failed.Attempt != 1 || failed.Permanent || failed.Err == "" || failed.NextRetry.IsZero() ||
			failed.Answer != a2 || failed.Published.String() != "192.0.2.1" {
			t.Errorf("failure: %+v", failed)
		}
		if retried.Result != watch.RecordPublished || retried.Previous.String() != "192.0.2.1" || retried.Published != a2 || retried.Attempt != 0 || retried.Err != "" {
			t.Errorf("recovery: %+v", retried)
		}
		if current.Result != watch.RecordCurrent || current.Duration != 0 || current.At.IsZero() {
			t.Errorf("current: %+v", current)
		}
	})
}

// Configurations naming one state file share one State: stopping saves
// both providers' entries.
func TestReactorSharedState(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := &machine{}
		m.set("192.0.2.1")
		path := t.TempDir() + "/shared.cache"
		st, _ := state.Open(path, time.Hour, time.Now())
		p1, p2, p3 := &provider{sets: make(chan string, 10)}, &provider{sets: make(chan string, 10)}, &provider{sets: make(chan string, 10)}
		g := run(watch.Options{},
			newTarget(t, "one", "1", m, p1, st, "a.example.com"),
			newTarget(t, "two", "2", m, p2, st, "b.example.com"),
			newTarget(t, "three", "3", m, p3, st, "c.example.com"))
		synctest.Wait()
		g.stop()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var saved map[string]state.Entry
		if err := json.Unmarshal(data, &saved); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{"a", "b", "c"} {
			if e := saved[d+".example.com:A"]; e.Addr != "192.0.2.1" {
				t.Errorf("%s lost from the shared file: %s", d, data)
			}
		}
	})
}

// agreedRule answers like `public` does: an address confirmed by sources.
type agreedRule struct{ addr netip.Addr }

func (a agreedRule) Resolve(context.Context) (netip.Addr, error) { return a.addr, nil }
func (a agreedRule) String() string                              { return "public" }
func (a agreedRule) AgreedSources() []string                     { return []string{"dns:one", "url:two"} }

// The sources that agreed on a public answer reach the observer with the
// record's report, so the status endpoint can show why it was believed.
func TestReactorReportsAgreedSources(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &provider{sets: make(chan string, 10)}
		obs := &recorder{}
		rules := resolve.Rules{Family: resolve.V4, List: []resolve.Rule{agreedRule{netip.MustParseAddr("198.51.100.7")}}}
		tg := &watch.Target{Label: "cfg", Provider: "fake", Publisher: p, State: state.Memory(), Log: zerolog.Nop(),
			Families: []watch.Family{{Rules: rules, Domains: []string{"home.example.com"}}}}
		g := run(watch.Options{Observer: obs}, tg)
		synctest.Wait()
		g.stop()
		_, _, recs := obs.snapshot()
		if len(recs) == 0 {
			t.Fatal("no record report")
		}
		if got := recs[0].Sources; !slices.Equal(got, []string{"dns:one", "url:two"}) || recs[0].Result != watch.RecordPublished {
			t.Errorf("report %+v: sources %q, want the two that agreed", recs[0], got)
		}
	})
}

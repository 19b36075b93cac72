package notify

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-go/ddns/watch"
)

// hook is a loopback webhook that passes each request body to a channel.
type hook struct {
	srv  *httptest.Server
	got  chan seen
	code int
	mu   sync.Mutex
	hang chan struct{} // when set, requests wait on it
}

func newHook(t *testing.T) *hook {
	h := &hook{got: make(chan seen, 64), code: 200}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		hang, code := h.hang, h.code
		h.mu.Unlock()
		if hang != nil {
			select {
			case <-hang:
			case <-r.Context().Done():
			}
		}
		var b [1 << 16]byte
		n, _ := r.Body.Read(b[:])
		for n > 0 && n < len(b) {
			m, err := r.Body.Read(b[n:])
			n += m
			if err != nil {
				break
			}
		}
		h.got <- seen{method: r.Method, path: r.URL.Path, query: r.URL.Query(), header: r.Header, body: append([]byte(nil), b[:n]...)}
		w.WriteHeader(code)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) next(t *testing.T, within time.Duration) seen {
	t.Helper()
	select {
	case s := <-h.got:
		return s
	case <-time.After(within):
		t.Fatal("no request")
	}
	return seen{}
}

func (h *hook) none(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case s := <-h.got:
		t.Fatalf("unexpected request %s %s: %s", s.method, s.path, s.body)
	case <-time.After(within):
	}
}

// testOptions end rounds by the next Sync only (Quiet is a minute), so
// that a loaded machine cannot split a round in two.
// target is a generic webhook target posting to path on h.
func (h *hook) target(t *testing.T, path string) *Target {
	t.Helper()
	tg, err := Parse("generic+" + h.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// notifier is a Notifier posting to path on h with the options o,
// closed when the test ends.
func (h *hook) notifier(t *testing.T, path string, o Options) *Notifier {
	t.Helper()
	n := NewNotifier([]*Target{h.target(t, path)}, o)
	t.Cleanup(n.Close)
	return n
}

func testOptions() Options {
	return Options{Quiet: time.Minute, MinGap: 20 * time.Millisecond, RetryWait: 10 * time.Millisecond, Grace: 2 * time.Second}
}

func published(domain, typ, old, new string) watch.RecordReport {
	r := watch.RecordReport{Config: "c.json", Provider: "cloudflare", Domain: domain, Type: typ, Result: watch.RecordPublished,
		Answer: netip.MustParseAddr(new), Published: netip.MustParseAddr(new)}
	if old != "" {
		r.Previous = netip.MustParseAddr(old)
	}
	return r
}

func failedRep(domain, typ string, permanent bool, attempt int) watch.RecordReport {
	return watch.RecordReport{Config: "c.json", Provider: "cloudflare", Domain: domain, Type: typ, Result: watch.RecordFailed,
		Answer: netip.MustParseAddr("192.0.2.9"), Permanent: permanent, Attempt: attempt, Err: "HTTP 401: bad credentials"}
}

func message(t *testing.T, s seen) (title, text string) {
	t.Helper()
	var m struct{ Title, Message string }
	if err := json.Unmarshal(s.body, &m); err != nil {
		t.Fatalf("%v: %s", err, s.body)
	}
	return m.Title, m.Message
}

func TestOneMessagePerRound(t *testing.T) {
	h := newHook(t)
	n := NewNotifier([]*Target{h.target(t, "/hook")}, testOptions())
	n.Started()
	n.Sync("start")
	n.Record(published("a.example.com", "A", "", "192.0.2.1"))
	n.Record(published("b.example.com", "A", "", "192.0.2.1"))
	n.Sync("event")
	_, text := message(t, h.next(t, 5*time.Second))
	if !strings.Contains(text, "ddns started") || !strings.Contains(text, "a.example.com") || !strings.Contains(text, "b.example.com") {
		t.Errorf("first message: %q", text)
	}
	// A round of changes: one message naming both records, old and new.
	n.Record(published("a.example.com", "A", "192.0.2.1", "192.0.2.2"))
	n.Record(published("b.example.com", "AAAA", "2001:db8::1", "2001:db8::2"))
	watchCurrent := published("c.example.com", "A", "", "192.0.2.2")
	watchCurrent.Result = watch.RecordCurrent
	n.Record(watchCurrent)
	n.Sync("poll") // the next round starts: the previous one goes out at once
	title, text := message(t, h.next(t, 5*time.Second))
	if title == "" || !strings.Contains(text, "a.example.com [A]: 192.0.2.1 → 192.0.2.2") || !strings.Contains(text, "2001:db8::1 → 2001:db8::2") || strings.Contains(text, "c.example.com") {
		t.Errorf("change message: %q %q", title, text)
	}
	h.none(t, 100*time.Millisecond)
	n.Close()
	if _, text := message(t, h.next(t, 5*time.Second)); text != "ddns stopped" {
		t.Errorf("stop message: %q", text)
	}
}

func TestFailureAndRecovery(t *testing.T) {
	h := newHook(t)
	n := h.notifier(t, "/hook?events=failed,recovered", testOptions())
	n.Started() // filtered out
	n.Sync("start")
	n.Record(published("a.example.com", "A", "", "192.0.2.1")) // filtered out
	n.Sync("retry")
	n.Record(failedRep("a.example.com", "A", false, 1)) // transient, first attempt: not yet
	n.Sync("retry")
	n.Record(failedRep("a.example.com", "A", false, 2))
	h.none(t, 150*time.Millisecond)
	n.Sync("retry")
	n.Record(failedRep("a.example.com", "A", false, 3))
	n.Sync("retry")
	title, text := message(t, h.next(t, 5*time.Second))
	if !strings.Contains(title, "failed") || !strings.Contains(text, "a.example.com [A]") || !strings.Contains(text, "401") {
		t.Errorf("failure: %q %q", title, text)
	}
	n.Record(failedRep("a.example.com", "A", false, 4)) // reported once per episode
	n.Sync("retry")
	h.none(t, 150*time.Millisecond)
	n.Record(published("a.example.com", "A", "192.0.2.1", "192.0.2.9"))
	n.Sync("retry")
	if _, text := message(t, h.next(t, 5*time.Second)); !strings.Contains(text, "recovered") || strings.Contains(text, "→") {
		t.Errorf("recovery: %q", text)
	}
	n.Record(failedRep("b.example.com", "AAAA", true, 1)) // permanent: at once
	n.Sync("event")
	if _, text := message(t, h.next(t, 5*time.Second)); !strings.Contains(text, "b.example.com [AAAA]") {
		t.Errorf("permanent: %q", text)
	}
}

func TestFamilyFilter(t *testing.T) {
	h4, h6 := newHook(t), newHook(t)
	n := NewNotifier([]*Target{h4.target(t, "/?family=4"), h6.target(t, "/?family=6")}, testOptions())
	defer n.Close()
	n.Sync("event")
	n.Record(published("a.example.com", "A", "192.0.2.1", "192.0.2.2"))
	n.Record(published("a.example.com", "AAAA", "2001:db8::1", "2001:db8::2"))
	n.Sync("poll")
	if _, text := message(t, h4.next(t, 5*time.Second)); strings.Contains(text, "2001:db8") || !strings.Contains(text, "192.0.2.2") {
		t.Errorf("family 4: %q", text)
	}
	if _, text := message(t, h6.next(t, 5*time.Second)); strings.Contains(text, "192.0.2") || !strings.Contains(text, "2001:db8::2") {
		t.Errorf("family 6: %q", text)
	}
}

// TestRateLimitMerges: beyond the burst, rounds that come faster than
// MinGap are merged into one message.
func TestRateLimitMerges(t *testing.T) {
	h := newHook(t)
	o := testOptions()
	o.MinGap = 400 * time.Millisecond
	n := h.notifier(t, "/", o)
	for i := range 3 + 4 {
		n.Sync("event")
		n.Record(published("r"+string(rune('a'+i))+".example.com", "A", "192.0.2.1", "192.0.2.2"))
	}
	n.Sync("event")
	var texts []string
	for len(strings.Join(texts, "\n")) == 0 || strings.Count(strings.Join(texts, "\n"), "example.com") < 7 {
		_, text := message(t, h.next(t, 5*time.Second))
		texts = append(texts, text)
	}
	if len(texts) > 5 {
		t.Errorf("%d messages for 7 rounds: the rate limit did not merge", len(texts))
	}
}

// TestHangingServiceNeverBlocks: a service that never answers blocks
// neither the observer calls nor Close beyond Grace.
func TestHangingServiceNeverBlocks(t *testing.T) {
	h := newHook(t)
	h.hang = make(chan struct{})
	defer close(h.hang)
	o := testOptions()
	o.Grace = 200 * time.Millisecond
	n := NewNotifier([]*Target{h.target(t, "/")}, o)
	start := time.Now()
	for i := range 1000 {
		n.Sync("event")
		n.Record(published("a.example.com", "A", "192.0.2.1", "192.0.2."+string(rune('0'+i%10))))
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("1000 rounds took %v with a hanging service", d)
	}
	start = time.Now()
	n.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Close took %v, want about Grace", d)
	}
}

func TestRetriesThenDrops(t *testing.T) {
	h := newHook(t)
	h.code = 503
	var mu sync.Mutex
	var logs []string
	o := testOptions()
	o.Log = func(s string) { mu.Lock(); logs = append(logs, s); mu.Unlock() }
	n := NewNotifier([]*Target{h.target(t, "/x?token=Sup3rSecret")}, o)
	n.Sync("event")
	n.Record(published("a.example.com", "A", "192.0.2.1", "192.0.2.2"))
	n.Sync("event")
	for range 4 { // the first try and three retries
		h.next(t, 5*time.Second)
	}
	h.none(t, 200*time.Millisecond)
	mu.Lock()
	defer func() { mu.Unlock(); n.Close() }()
	if len(logs) != 1 || !strings.Contains(logs[0], "HTTP 503 (4 attempt(s)); message dropped") {
		t.Errorf("logs: %q", logs)
	}
	for _, l := range logs {
		if strings.Contains(l, "Sup3rSecret") {
			t.Errorf("secret in log: %q", l)
		}
	}
}

func TestSendTest(t *testing.T) {
	ok, bad := newHook(t), newHook(t)
	bad.code = 403
	res := SendTest(t.Context(), []*Target{ok.target(t, "/"), bad.target(t, "/k3y-in-path")}, testOptions())
	if res[0].Err != nil || res[1].Err == nil || strings.Contains(res[1].Err.Error()+res[1].Target, "k3y-in-path") {
		t.Fatalf("%+v", res)
	}
	if _, text := message(t, ok.next(t, time.Second)); !strings.Contains(text, "test message") {
		t.Errorf("%q", text)
	}
}

// TestQuietEndsRound: without a next round, Quiet ends the collection.
func TestQuietEndsRound(t *testing.T) {
	h := newHook(t)
	o := testOptions()
	o.Quiet = 20 * time.Millisecond
	n := h.notifier(t, "/", o)
	n.Sync("event")
	n.Record(published("a.example.com", "A", "192.0.2.1", "192.0.2.2"))
	if _, text := message(t, h.next(t, 5*time.Second)); !strings.Contains(text, "192.0.2.2") {
		t.Errorf("%q", text)
	}
}

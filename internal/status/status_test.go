package status

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"go.uber.org/goleak"

	"github.com/ddns-go/ddns/watch"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var t0 = time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newTestTracker() (*Tracker, *clock) {
	c := &clock{t: t0}
	tr := NewTracker("1.2.3", 5*time.Minute, c.now)
	tr.SetConfigs([]Config{{Label: "a.json", Provider: "cloudflare"}})
	return tr, c
}

func rep(domain, typ string, res watch.RecordResult, addr string) watch.RecordReport {
	r := watch.RecordReport{Config: "a.json", Provider: "cloudflare", Domain: domain, Type: typ, Rule: "public", Result: res, At: t0}
	if addr != "" {
		r.Answer = netip.MustParseAddr(addr)
		r.Published = r.Answer
	}
	return r
}

func parseMetrics(t *testing.T, text string) map[string]*dto {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation) // the strictest names
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("metrics do not parse: %v\n%s", err, text)
	}
	out := map[string]*dto{}
	for name, f := range fams {
		out[name] = &dto{f.GetType().String(), f}
	}
	return out
}

type dto struct {
	typ string
	f   any
}

// sample finds the value of one series in the text format, parsed by
// Prometheus' own decoder.
func sample(t *testing.T, text, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	dec := expfmt.SampleDecoder{Dec: expfmt.NewDecoder(strings.NewReader(text), expfmt.NewFormat(expfmt.TypeTextPlain)), Opts: &expfmt.DecodeOptions{Timestamp: model.Now()}}
	var all model.Vector
	for {
		var v model.Vector
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		all = append(all, v...)
	}
next:
	for _, s := range all {
		if string(s.Metric[model.MetricNameLabel]) != name {
			continue
		}
		for k, v := range labels {
			if string(s.Metric[model.LabelName(k)]) != v {
				continue next
			}
		}
		return float64(s.Value), true
	}
	return 0, false
}

func metrics(t *testing.T, tr *Tracker) string {
	var b bytes.Buffer
	if err := tr.WriteMetrics(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMetricsParseAndCount(t *testing.T) {
	tr, _ := newTestTracker()
	tr.Event("added")
	tr.Event("added")
	tr.Event("route")
	tr.Sync("start")
	tr.Sync("event")
	ok := rep(`we"ird\.example.com`, "A", watch.RecordPublished, "192.0.2.1")
	ok.Duration = 300 * time.Millisecond
	tr.Record(ok)
	bad := rep("b.example.com", "AAAA", watch.RecordFailed, "")
	bad.Answer = netip.MustParseAddr("2001:db8::1")
	bad.Duration, bad.Attempt, bad.Err, bad.NextRetry = 20*time.Second, 1, "HTTP 503", t0.Add(time.Second)
	tr.Record(bad)
	tr.Record(rep("c.example.com", "A", watch.RecordCurrent, "192.0.2.1"))

	text := metrics(t, tr)
	fams := parseMetrics(t, text)
	for name, typ := range map[string]string{
		"ddns_publish_total": "COUNTER", "ddns_publish_duration_seconds": "HISTOGRAM", "ddns_record_current": "GAUGE",
		"ddns_events_total": "COUNTER", "ddns_sync_total": "COUNTER", "ddns_last_success_timestamp_seconds": "GAUGE", "ddns_build_info": "GAUGE",
	} {
		if fams[name] == nil || fams[name].typ != typ {
			t.Errorf("%s: missing or not a %s", name, typ)
		}
	}
	want := []struct {
		name   string
		labels map[string]string
		v      float64
	}{
		{"ddns_publish_total", map[string]string{"provider": "cloudflare", "result": "ok"}, 1},
		{"ddns_publish_total", map[string]string{"provider": "cloudflare", "result": "error"}, 1},
		{"ddns_publish_duration_seconds_count", nil, 2},
		{"ddns_publish_duration_seconds_bucket", map[string]string{"le": "0.5"}, 1},
		{"ddns_publish_duration_seconds_bucket", map[string]string{"le": "10"}, 1},
		{"ddns_publish_duration_seconds_bucket", map[string]string{"le": "30"}, 2},
		{"ddns_record_current", map[string]string{"domain": `we"ird\.example.com`, "type": "A"}, 1},
		{"ddns_record_current", map[string]string{"domain": "b.example.com", "type": "AAAA"}, 0},
		{"ddns_record_current", map[string]string{"domain": "c.example.com", "type": "A"}, 1},
		{"ddns_events_total", map[string]string{"kind": "added"}, 2},
		{"ddns_events_total", map[string]string{"kind": "route"}, 1},
		{"ddns_sync_total", map[string]string{"reason": "event"}, 1},
		{"ddns_last_success_timestamp_seconds", map[string]string{"domain": "c.example.com"}, float64(t0.Unix())},
		{"ddns_build_info", map[string]string{"version": "1.2.3"}, 1},
	}
	for _, w := range want {
		got, ok := sample(t, text, w.name, w.labels)
		if !ok || got != w.v {
			t.Errorf("%s%v = %v (found %v), want %v", w.name, w.labels, got, ok, w.v)
		}
	}
	if _, ok := sample(t, text, "ddns_last_success_timestamp_seconds", map[string]string{"domain": "b.example.com"}); ok {
		t.Error("a record that never succeeded has a last-success time")
	}
}

func TestHealth(t *testing.T) {
	tr, c := newTestTracker()
	if r := Respond(tr, "", "GET", "/healthz", ""); r.Code != 200 {
		t.Fatalf("no records yet: %d", r.Code)
	}
	tr.Record(rep("a.example.com", "A", watch.RecordPublished, "192.0.2.1"))
	f := rep("b.example.com", "A", watch.RecordFailed, "")
	f.Answer, f.Attempt, f.Err, f.NextRetry = netip.MustParseAddr("192.0.2.1"), 1, "timeout", t0.Add(time.Second)
	tr.Record(f)
	if r := Respond(tr, "", "GET", "/healthz", ""); r.Code != 200 {
		t.Fatalf("a transient failure with a retry scheduled is healthy, got %d %s", r.Code, r.Body)
	}
	c.add(6 * time.Minute) // longer than interval
	r := Respond(tr, "", "GET", "/healthz", "")
	if r.Code != 503 || !strings.Contains(string(r.Body), "b.example.com") || strings.Contains(string(r.Body), "a.example.com") {
		t.Fatalf("failing longer than interval: %d %s", r.Code, r.Body)
	}
	ok := rep("b.example.com", "A", watch.RecordPublished, "192.0.2.1")
	ok.At = c.now()
	tr.Record(ok)
	if r := Respond(tr, "", "GET", "/healthz", ""); r.Code != 200 {
		t.Fatalf("recovered: %d %s", r.Code, r.Body)
	}
	p := rep("c.example.com", "AAAA", watch.RecordFailed, "")
	p.Permanent, p.Attempt, p.Err, p.At = true, 1, "HTTP 401: bad token", c.now()
	tr.Record(p)
	r = Respond(tr, "", "GET", "/healthz", "")
	var h Health
	if err := json.Unmarshal(r.Body, &h); err != nil || r.Code != 503 || len(h.Failing) != 1 || h.Failing[0].Domain != "c.example.com" || !h.Failing[0].Permanent {
		t.Fatalf("a permanent failure is unhealthy at once: %d %s", r.Code, r.Body)
	}
	if v, _ := sample(t, metrics(t, tr), "ddns_healthy", nil); v != 0 {
		t.Errorf("ddns_healthy = %v, want 0", v)
	}
}

func TestStatusDocument(t *testing.T) {
	tr, _ := newTestTracker()
	r := rep("a.example.com", "A", watch.RecordPublished, "192.0.2.7")
	r.Sources, r.Previous, r.Rule = []string{"ipify", "cloudflare-trace"}, netip.MustParseAddr("192.0.2.6"), "public"
	tr.Record(r)
	f := rep("a.example.com", "AAAA", watch.RecordFailed, "")
	f.Answer, f.Attempt, f.Err, f.NextRetry, f.Duration = netip.MustParseAddr("2001:db8::7"), 2, "HTTP 502", t0.Add(4*time.Second), time.Second
	tr.Record(f)
	resp := Respond(tr, "", "GET", "/status", "")
	var s Status
	if err := json.Unmarshal(resp.Body, &s); err != nil || resp.Code != 200 {
		t.Fatalf("%d %v %s", resp.Code, err, resp.Body)
	}
	if s.Version != "1.2.3" || len(s.Configs) != 1 || len(s.Records) != 2 {
		t.Fatalf("%+v", s)
	}
	a, aaaa := s.Records[0], s.Records[1]
	if a.Type != "A" || a.Published != "192.0.2.7" || a.Answer != "192.0.2.7" || len(a.Sources) != 2 || a.LastPublish == nil || a.LastPublishResult != "ok" || a.Rule != "public" {
		t.Errorf("A: %+v", a)
	}
	if aaaa.Result != "failed" || aaaa.Attempt != 2 || aaaa.NextRetry == nil || !aaaa.NextRetry.Equal(t0.Add(4*time.Second)) || aaaa.Error != "HTTP 502" || aaaa.Answer != "2001:db8::7" {
		t.Errorf("AAAA: %+v", aaaa)
	}
	tr.SetConfigs([]Config{{Label: "b.json", Provider: "he"}})
	if s := tr.Snapshot(); len(s.Records) != 0 {
		t.Errorf("records of a removed configuration stay: %+v", s.Records)
	}
}

func TestCheckAddr(t *testing.T) {
	for _, c := range []struct {
		addr  string
		token bool
		ok    bool
	}{
		{"127.0.0.1:9876", false, true}, {"[::1]:9876", false, true}, {"localhost:9876", false, true},
		{"0.0.0.0:9876", false, false}, {":9876", false, false}, {"192.0.2.1:80", false, false},
		{"0.0.0.0:9876", true, true}, {"unix:/run/ddns.sock", false, true}, {"unix:", false, false}, {"9876", false, false},
	} {
		if err := CheckAddr(c.addr, c.token); (err == nil) != c.ok {
			t.Errorf("CheckAddr(%q, %v) = %v", c.addr, c.token, err)
		}
	}
}

// serve starts Serve on ln and returns a stop function that joins it.
func serve(t *testing.T, ln net.Listener, tr *Tracker, token string) func() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); Serve(ctx, ln, tr, token) }()
	stop := func() {
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("Serve did not return")
		}
	}
	t.Cleanup(stop)
	return stop
}

func get(t *testing.T, c *http.Client, url, token string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestServeTCPWithToken(t *testing.T) {
	tr, _ := newTestTracker()
	tr.Record(rep("a.example.com", "A", watch.RecordPublished, "192.0.2.1"))
	ln, err := Listen("127.0.0.1:0", "s3cret-token")
	if err != nil {
		t.Fatal(err)
	}
	serve(t, ln, tr, "s3cret-token")
	c, base := Client(ln.Addr().String(), 5*time.Second)
	if code, _, h := get(t, c, base+"/status", ""); code != 401 || h.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d", code)
	}
	if code, _, _ := get(t, c, base+"/status", "s3cret-tokeX"); code != 401 {
		t.Errorf("wrong token: %d", code)
	}
	code, body, h := get(t, c, base+"/metrics", "s3cret-token")
	if code != 200 || h.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" {
		t.Fatalf("metrics: %d %q", code, h.Get("Content-Type"))
	}
	parseMetrics(t, body)
	if code, body, _ := get(t, c, base+"/status", "s3cret-token"); code != 200 || !strings.Contains(body, `"a.example.com"`) || strings.Contains(body, "s3cret") {
		t.Errorf("status: %d %s", code, body)
	}
	if code, _, _ := get(t, c, base+"/nope", "s3cret-token"); code != 404 {
		t.Errorf("unknown path: %d", code)
	}
	// A request that never ends its headers does not hold the server up.
	raw, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.Write([]byte("GET /status HTTP/1.1\r\nHost: x\r\n"))
	if code, _, _ := get(t, c, base+"/healthz", "s3cret-token"); code != 200 {
		t.Errorf("healthz beside a stalled client: %d", code)
	}
}

func TestServeUnixSocket(t *testing.T) {
	tr, _ := newTestTracker()
	path := filepath.Join(t.TempDir(), "ddns.sock")
	os.WriteFile(path, nil, 0o600) // a leftover regular file is not removed
	if _, err := Listen("unix:"+path, ""); err == nil {
		t.Fatal("listened over a regular file")
	}
	os.Remove(path)
	ln, err := Listen("unix:"+path, "")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o660 {
		t.Fatalf("socket mode: %v %v", fi.Mode(), err)
	}
	stop := serve(t, ln, tr, "")
	c, base := Client("unix:"+path, 5*time.Second)
	if code, body, _ := get(t, c, base+"/healthz", ""); code != 200 || !strings.Contains(body, `"healthy": true`) {
		t.Errorf("healthz: %d %s", code, body)
	}
	stop()
	if _, err := Listen("unix:"+path, ""); err != nil {
		t.Errorf("a stale socket file is replaced: %v", err)
	}
}

func TestRefusesNonLoopbackWithoutToken(t *testing.T) {
	if _, err := Listen("0.0.0.0:0", ""); err == nil || !strings.Contains(err.Error(), "status_token") {
		t.Fatalf("got %v", err)
	}
}

// TestConcurrentObserve feeds the tracker from many goroutines while
// readers render it (run with -race).
func TestConcurrentObserve(t *testing.T) {
	tr, _ := newTestTracker()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := range 200 {
				tr.Event("added")
				tr.Sync("event")
				r := rep("a.example.com", "A", watch.RecordPublished, "192.0.2.1")
				if j%3 == 0 {
					r.Result = watch.RecordFailed
				}
				r.Domain = string(rune('a'+i)) + ".example.com"
				tr.Record(r)
			}
		}()
		go func() {
			defer wg.Done()
			for range 50 {
				tr.Snapshot()
				tr.WriteMetrics(io.Discard)
			}
		}()
	}
	wg.Wait()
	if v, _ := sample(t, metrics(t, tr), "ddns_events_total", map[string]string{"kind": "added"}); v != 1600 {
		t.Errorf("events = %v, want 1600", v)
	}
}

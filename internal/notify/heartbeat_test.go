package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/watch"
)

// heartbeat is a Heartbeat pinging path on h every interval (0: only
// with rounds), closed when the test ends.
func (h *hook) heartbeat(t *testing.T, path string, interval time.Duration) *Heartbeat {
	t.Helper()
	hb, err := NewHeartbeat(h.srv.URL+path, interval, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hb.Close)
	return hb
}

func TestHealthchecks(t *testing.T) {
	h := newHook(t)
	hb := h.heartbeat(t, "/ping/0c5f-uuid", 0)
	hb.Sync("start")
	if s := h.next(t, 5*time.Second); s.method != "GET" || s.path != "/ping/0c5f-uuid/start" {
		t.Errorf("start: %s %s", s.method, s.path)
	}
	hb.Record(published("a.example.com", "A", "", "192.0.2.1"))
	hb.Sync("poll")
	if s := h.next(t, 5*time.Second); s.method != "POST" || s.path != "/ping/0c5f-uuid" {
		t.Errorf("success: %s %s", s.method, s.path)
	}
	h.next(t, 5*time.Second) // start of the next round
	hb.Record(failedRep("a.example.com", "A", true, 1))
	hb.Sync("retry")
	s := h.next(t, 5*time.Second)
	if s.method != "POST" || s.path != "/ping/0c5f-uuid/fail" || !strings.Contains(string(s.body), "a.example.com [A]: HTTP 401") {
		t.Errorf("fail: %s %s %q", s.method, s.path, s.body)
	}
}

func TestUptimeKuma(t *testing.T) {
	h := newHook(t)
	hb := h.heartbeat(t, "/api/push/AbCdEf123", 0)
	hb.Sync("start") // no start ping for Kuma
	hb.Record(failedRep("a.example.com", "A", true, 1))
	hb.Sync("retry")
	s := h.next(t, 5*time.Second)
	if s.method != "GET" || s.path != "/api/push/AbCdEf123" || s.query.Get("status") != "down" || !strings.Contains(s.query.Get("msg"), "a.example.com") {
		t.Errorf("down: %s %s %v", s.method, s.path, s.query)
	}
	hb.Record(published("a.example.com", "A", "", "192.0.2.1"))
	hb.Sync("poll")
	if s := h.next(t, 5*time.Second); s.query.Get("status") != "up" || s.query.Get("msg") != "ok" {
		t.Errorf("up: %v", s.query)
	}
}

// TestKeepAlive: while healthy, a success ping goes out every interval
// even without rounds; while no address is found, none.
func TestKeepAlive(t *testing.T) {
	h := newHook(t)
	hb := h.heartbeat(t, "/api/push/K", 100*time.Millisecond)
	hb.Sync("start")
	hb.Record(published("a.example.com", "A", "", "192.0.2.1"))
	hb.Sync("poll")
	h.next(t, 5*time.Second) // the round's success
	for range 2 {
		if s := h.next(t, 5*time.Second); s.query.Get("status") != "up" || s.query.Get("msg") != "keep-alive" {
			t.Errorf("keep-alive: %v", s.query)
		}
	}
	hb.Record(watch.RecordReport{Domain: "a.example.com", Type: "A", Result: watch.RecordUnresolved, Err: "no address on eth0"})
	hb.Sync("event")
	// A keep-alive may have been on its way; after it, silence.
	select {
	case <-h.got:
	case <-time.After(150 * time.Millisecond):
	}
	h.none(t, 350*time.Millisecond)
	hb.Record(published("a.example.com", "A", "", "192.0.2.1"))
	hb.Sync("event")
	if s := h.next(t, 5*time.Second); s.query.Get("status") != "up" || s.query.Get("msg") != "ok" {
		t.Errorf("back: %v", s.query)
	}
}

func TestHeartbeatBadURL(t *testing.T) {
	for _, u := range []string{"ftp://x/y", "hc-ping.com/uuid", ""} {
		if _, err := NewHeartbeat(u, 0, Options{}); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
}

func TestPingOnce(t *testing.T) {
	h := newHook(t)
	if err := Ping(t.Context(), h.srv.URL+"/p/uuid", "start", "", testOptions()); err != nil {
		t.Fatal(err)
	}
	if s := h.next(t, time.Second); s.method != "GET" || s.path != "/p/uuid/start" {
		t.Errorf("%s %s", s.method, s.path)
	}
	Ping(t.Context(), h.srv.URL+"/p/uuid", "fail", "1 configuration failed", testOptions())
	if s := h.next(t, time.Second); s.path != "/p/uuid/fail" || string(s.body) != "1 configuration failed" {
		t.Errorf("%s %q", s.path, s.body)
	}
	Ping(t.Context(), h.srv.URL+"/api/push/K", "start", "", testOptions()) // nothing for Kuma
	Ping(t.Context(), h.srv.URL+"/api/push/K", "up", "ok", testOptions())
	if s := h.next(t, time.Second); s.query.Get("status") != "up" {
		t.Errorf("%v", s.query)
	}
	h.none(t, 50*time.Millisecond)
}

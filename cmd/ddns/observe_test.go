package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ddns-go/ddns/internal/status"
	"github.com/ddns-go/ddns/watch"
)

// statusServer serves a tracker on loopback for `ddns status`.
func statusServer(t *testing.T, token string) (*status.Tracker, string) {
	tr := status.NewTracker("9.9.9", time.Minute, nil)
	tr.SetConfigs([]status.Config{{Label: "command line", Provider: "cloudflare"}})
	ln, err := status.Listen("127.0.0.1:0", token)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); status.Serve(ctx, ln, tr, token) }()
	t.Cleanup(func() { cancel(); <-done })
	return tr, ln.Addr().String()
}

func TestStatusCommand(t *testing.T) {
	tr, addr := statusServer(t, "")
	tr.Record(watch.RecordReport{Config: "command line", Provider: "cloudflare", Domain: "home.example.com", Type: "A",
		Result: watch.RecordPublished, Answer: netip.MustParseAddr("192.0.2.7"), Published: netip.MustParseAddr("192.0.2.7"), At: time.Now()})
	r := runIn(t, nil, nil, "status", "--status", addr)
	r.expect(t, 0, "*")
	if !strings.Contains(r.stdout, "healthy") || !strings.Contains(r.stdout, "home.example.com") || !strings.Contains(r.stdout, "192.0.2.7") {
		t.Errorf("table:\n%s", r.stdout)
	}
	r = runIn(t, nil, nil, "status", "--status="+addr, "--json")
	var s status.Status
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || r.code != 0 || s.Version != "9.9.9" {
		t.Errorf("--json: %v %d %s", err, r.code, r.stdout)
	}
	tr.Record(watch.RecordReport{Config: "command line", Provider: "cloudflare", Domain: "home.example.com", Type: "AAAA",
		Result: watch.RecordFailed, Permanent: true, Attempt: 1, Err: "HTTP 401", At: time.Now()})
	r = runIn(t, map[string]string{"config.json": `{"dns": "debug", "status": "` + addr + `"}`}, nil, "status")
	r.expect(t, 1, "*")
	if !strings.Contains(r.stdout, "UNHEALTHY") || !strings.Contains(r.stdout, "HTTP 401") {
		t.Errorf("table:\n%s", r.stdout)
	}
}

func TestStatusCommandToken(t *testing.T) {
	_, addr := statusServer(t, "t0k3n-status")
	runIn(t, nil, nil, "status", "--status", addr).expect(t, 2, "", "answered HTTP 401")
	runIn(t, nil, []string{"DDNS_STATUS=" + addr, "DDNS_STATUS_TOKEN=t0k3n-status", "DDNS_DNS=debug"}, "status").expect(t, 0, "*")
}

func TestStatusCommandUnavailable(t *testing.T) {
	runIn(t, nil, nil, "status").expect(t, 2, "", "not enabled")
	runIn(t, nil, nil, "status", "--status", "127.0.0.1:1").expect(t, 2, "", "cannot reach")
}

func TestNotifyTestCommand(t *testing.T) {
	var got []string
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, string(b))
	}))
	defer ok.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403) }))
	defer bad.Close()
	r := runIn(t, nil, nil, "notify", "--test", "--notify", "generic+"+ok.URL+"/hook")
	r.expect(t, 0, "*")
	if len(got) != 1 || !strings.Contains(got[0], "test message") || !strings.HasPrefix(r.stdout, "ok") {
		t.Errorf("stdout %q, received %q", r.stdout, got)
	}
	r = runIn(t, nil, nil, "notify", "--test", "--notify", "generic+"+ok.URL+"/hook", "generic+"+bad.URL+"/s3cret-key")
	r.expect(t, 1, "*")
	if !strings.Contains(r.stdout, "FAIL") || !strings.Contains(r.stdout, "HTTP 403") || strings.Contains(r.stdout, "s3cret-key") {
		t.Errorf("stdout %q", r.stdout)
	}
	runIn(t, nil, nil, "notify", "--test", "--notify", "telegram://123:s3cret@telegram").expect(t, 2, "", "notify[1]: telegram://***")
	runIn(t, nil, nil, "notify", "--test").expect(t, 2, "", "no notification URL")
	runIn(t, nil, nil, "notify").expect(t, 2, "", "usage: ddns notify --test")
}

func TestWatchRefusesBadObserveSettings(t *testing.T) {
	base := []string{"watch", "--dns", "debug", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false"}
	r := runIn(t, nil, nil, append(base, "--notify", "nope://s3cret")...)
	r.expect(t, 2, "", "unknown notification service")
	if strings.Contains(r.stderr, "s3cret") {
		t.Errorf("secret in %q", r.stderr)
	}
	runIn(t, nil, nil, append(base, "--status", "0.0.0.0:9876")...).expect(t, 2, "", "needs status_token")
	runIn(t, nil, nil, append(base, "--heartbeat", "hc-ping.com/uuid")...).expect(t, 2, "", "heartbeat")
}

func TestOneShotHeartbeat(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" "+string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", r1, "--index6", "false", "--no-cache",
		"--heartbeat", srv.URL+"/uuid").expect(t, 0, "*")
	mu.Lock()
	if len(got) != 2 || got[0] != "GET /uuid/start " || got[1] != "POST /uuid ok" {
		t.Errorf("pings %q", got)
	}
	got = nil
	mu.Unlock()
	runIn(t, nil, nil, "--dns", "debug", "--ipv4", "a.example.com", "--index4", "shell:exit 3", "--index6", "false", "--no-cache",
		"--heartbeat", srv.URL+"/uuid").expect(t, 1, "*")
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || !strings.HasPrefix(got[1], "POST /uuid/fail ddns: a record or configuration failed") {
		t.Errorf("pings %q", got)
	}
}

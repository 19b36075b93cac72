package notify

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/ddns-go/ddns/watch"
)

// Heartbeat is a watch.Observer that pings a monitoring service, which
// raises the alarm when the pings stop or say "fail":
//   - healthchecks.io style (any URL but Uptime Kuma's): GET URL/start when
//     a sync starts, POST URL on success, POST URL/fail with a short body
//     saying why on failure;
//   - Uptime Kuma push URLs (…/api/push/TOKEN): GET ?status=up|down&msg=…
//
// In watch mode it also pings success every interval while healthy, so a
// dead agent is noticed even when nothing changes. A round that found no
// address pings nothing and stops the keep-alives until an address is back.
type Heartbeat struct {
	target   *Target // for its redaction and name
	kuma     bool
	base     *url.URL
	o        Options
	interval time.Duration
	w        *worker

	mu         sync.Mutex
	fails      []string // failures of the current round
	records    int      // records reported this round
	unresolved int      // records whose rules gave no address this round
	healthy    bool     // the last round succeeded
	closed     bool     // Close has begun: no more pings queued
	kick       chan bool

	ctx       context.Context
	cancel    context.CancelFunc
	closing   chan struct{}
	collected chan struct{}
	wg        sync.WaitGroup
}

// ping kinds, carried in Message items' Kind.
const (
	pingStart Kind = "start"
	pingUp    Kind = "up"
	pingFail  Kind = "fail"
)

// ParseHeartbeat checks a heartbeat URL (http or https).
func ParseHeartbeat(raw string) (*Target, *url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, errors.New("heartbeat: want an http(s):// URL")
	}
	return &Target{name: redactURL(u), secrets: secretsOf(u)}, u, nil
}

// NewHeartbeat starts the pinger of raw; interval > 0 adds keep-alive
// pings. Close stops it.
func NewHeartbeat(raw string, interval time.Duration, o Options) (*Heartbeat, error) {
	t, u, err := ParseHeartbeat(raw)
	if err != nil {
		return nil, err
	}
	o.defaults()
	o.MinGap = time.Millisecond // pings follow the rounds; the queue bounds them
	h := &Heartbeat{target: t, base: u, kuma: strings.Contains(u.Path, "/api/push/"), o: o, interval: interval,
		kick: make(chan bool, 1), closing: make(chan struct{}), collected: make(chan struct{})}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.w = newWorker(&h.o, "heartbeat "+t.String(), false, h.closing, h.ping)
	h.wg.Add(1)
	go func() { defer h.wg.Done(); h.w.run(h.ctx) }()
	go func() { defer close(h.collected); h.collect() }()
	return h, nil
}

// Event implements watch.Observer.
func (h *Heartbeat) Event(string) {}

// Sync implements watch.Observer: it ends the previous round and pings
// /start (healthchecks only).
func (h *Heartbeat) Sync(string) { h.poke(true) }

// Record implements watch.Observer.
func (h *Heartbeat) Record(r watch.RecordReport) {
	h.mu.Lock()
	h.records++
	switch r.Result {
	case watch.RecordFailed:
		h.fails = append(h.fails, r.Domain+" ["+r.Type+"]: "+r.Err)
	case watch.RecordUnresolved:
		h.unresolved++
	}
	h.mu.Unlock()
	h.poke(false)
}

func (h *Heartbeat) poke(now bool) { poke(h.kick, now) }

func (h *Heartbeat) collect() {
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	defer quiet.Stop()
	var keep <-chan time.Time
	if h.interval > 0 {
		t := time.NewTicker(h.interval)
		defer t.Stop()
		keep = t.C
	}
	lastUp := time.Now()
	for {
		select {
		case <-h.closing:
			return
		case now := <-h.kick:
			if now { // a round starts: the previous one ends first
				quiet.Stop()
				if h.end() {
					lastUp = time.Now()
				}
				if !h.kuma {
					h.put(pingStart, "")
				}
			} else {
				quiet.Reset(h.o.Quiet)
			}
		case <-quiet.C:
			if h.end() {
				lastUp = time.Now()
			}
		case <-keep:
			h.mu.Lock()
			ok := h.healthy
			h.mu.Unlock()
			// A round pinged recently enough already: keep-alives only
			// fill the gaps.
			if ok && time.Since(lastUp) >= h.interval/2 {
				h.put(pingUp, "keep-alive")
				lastUp = time.Now()
			}
		}
	}
}

// end closes a round: a success or failure ping. It reports whether it
// pinged success.
func (h *Heartbeat) end() bool {
	h.mu.Lock()
	fails, n, unresolved := h.fails, h.records, h.unresolved
	h.fails, h.records, h.unresolved = nil, 0, 0
	if n > 0 {
		h.healthy = len(fails) == 0 && unresolved == 0
	}
	h.mu.Unlock()
	// No address (a link down, a DHCP renew in progress) is no failure
	// to report at once: the pings stop and the service raises the alarm
	// after its grace time if it lasts.
	if n == 0 || (len(fails) == 0 && unresolved > 0) {
		return false
	}
	if len(fails) > 0 {
		msg := strings.Join(fails, "\n")
		if len(msg) > 500 {
			msg = msg[:500] + "…"
		}
		h.put(pingFail, msg)
		return false
	}
	h.put(pingUp, "ok")
	return true
}

// put queues a ping unless Close has begun.
func (h *Heartbeat) put(k Kind, msg string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.w.put(Message{Items: []Item{{Kind: k, Error: msg}}})
	}
}

// ping sends one ping.
func (h *Heartbeat) ping(ctx context.Context, m Message) error {
	it := m.Items[0]
	u := *h.base
	method, body := http.MethodGet, ""
	if h.kuma {
		q := u.Query()
		status := "up"
		if it.Kind == pingFail {
			status = "down"
		}
		q.Set("status", status)
		q.Set("msg", it.Error)
		u.RawQuery = q.Encode()
	} else {
		switch it.Kind {
		case pingStart:
			u.Path = strings.TrimSuffix(u.Path, "/") + "/start"
		case pingFail:
			u.Path = strings.TrimSuffix(u.Path, "/") + "/fail"
			method, body = http.MethodPost, it.Error
		case pingUp:
			method, body = http.MethodPost, it.Error
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), strings.NewReader(body))
	if err != nil {
		return permanentError{errors.New("bad URL")}
	}
	if body != "" {
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	return redactErr(h.target, do(h.o.HTTP, req, statusOK))
}

// Close sends what is queued within Grace and stops the goroutines.
func (h *Heartbeat) Close() {
	close(h.closing)
	<-h.collected
	h.mu.Lock()
	h.closed = true
	close(h.w.queue)
	h.mu.Unlock()
	grace := time.AfterFunc(h.o.Grace, h.cancel)
	h.wg.Wait()
	grace.Stop()
	h.cancel()
}

// Ping sends one ping to a heartbeat URL now: "start", "up" (success) or
// "fail" with why. For one-shot runs, which have no rounds to follow.
func Ping(ctx context.Context, raw, kind, why string, o Options) error {
	t, u, err := ParseHeartbeat(raw)
	if err != nil {
		return err
	}
	o.defaults()
	h := &Heartbeat{target: t, base: u, kuma: strings.Contains(u.Path, "/api/push/"), o: o}
	if h.kuma && Kind(kind) == pingStart {
		return nil
	}
	return h.ping(ctx, Message{Items: []Item{{Kind: Kind(kind), Error: why}}})
}

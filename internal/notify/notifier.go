package notify

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/ddns-go/ddns/watch"
)

// failAfter is how many failed attempts in a row of a transient error make
// a failure worth a message (a permanent one is reported at once).
const failAfter = 3

// Notifier is a watch.Observer that turns record outcomes into
// notifications: one message per sync round and URL, with the items that
// URL's filters let through. Observer calls only take a short lock; the
// sending happens on one goroutine per URL.
type Notifier struct {
	o       Options
	targets []*Target
	workers []*worker

	mu      sync.Mutex
	round   []Item
	ended   [][]Item        // rounds ended by the next Sync (or Quiet), to be sent
	failed  map[string]bool // records whose failure was reported, by config/domain/type
	flushed bool            // Close flushed the last round: drop later reports
	kick    chan bool       // true: flush now (a new round started); false: a record reported

	ctx       context.Context
	cancel    context.CancelFunc
	closing   chan struct{}
	collected chan struct{} // closed when collect has returned
	wg        sync.WaitGroup
}

// NewNotifier starts the goroutines of a Notifier; Close stops them.
func NewNotifier(targets []*Target, o Options) *Notifier {
	o.defaults()
	n := &Notifier{o: o, targets: targets, failed: map[string]bool{}, kick: make(chan bool, 1), closing: make(chan struct{}), collected: make(chan struct{})}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	for _, t := range targets {
		w := newWorker(&n.o, t.String(), true, n.closing, func(ctx context.Context, m Message) error {
			return redactErr(t, t.svc.send(ctx, o.HTTP, m, n.o.Now()))
		})
		n.workers = append(n.workers, w)
		n.wg.Add(1)
		go func() { defer n.wg.Done(); w.run(n.ctx) }()
	}
	go func() { defer close(n.collected); n.collect() }()
	return n
}

// redactErr strips the target's secrets from err's text.
func redactErr(t *Target, err error) error {
	if err == nil {
		return nil
	}
	msg := t.Redact(err.Error())
	if isPermanent(err) {
		return permanentError{fmt.Errorf("%s", msg)}
	}
	return fmt.Errorf("%s", msg)
}

// Started queues the "started" item; it goes out with the first round's
// items (or alone after Quiet).
func (n *Notifier) Started() {
	n.mu.Lock()
	n.round = append(n.round, Item{Kind: Started})
	n.mu.Unlock()
	n.poke(false)
}

// Event implements watch.Observer; platform events are not notified.
func (n *Notifier) Event(string) {}

// Sync implements watch.Observer: a new round ends the previous one. The
// round is cut here, in the caller's order, not when the collector gets to
// it: a record reported after this call belongs to the new round.
func (n *Notifier) Sync(string) {
	n.mu.Lock()
	if hasRecords(n.round) {
		n.ended = append(n.ended, n.round)
		n.round = nil
	}
	n.mu.Unlock()
	n.poke(true)
}

// Record implements watch.Observer.
func (n *Notifier) Record(r watch.RecordReport) {
	key := r.Config + "\x00" + r.Domain + "\x00" + r.Type
	it := Item{Domain: r.Domain, Type: r.Type}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.flushed {
		return
	}
	was := n.failed[key]
	switch r.Result {
	case watch.RecordPublished:
		newAddr := firstNonEmpty(addrString(r.Published), addrString(r.Answer))
		if old := addrString(r.Previous); old != newAddr {
			c := it
			c.Kind, c.Old, c.New = Changed, old, newAddr
			n.round = append(n.round, c)
		}
		fallthrough
	case watch.RecordCurrent:
		if was {
			delete(n.failed, key)
			rc := it
			rc.Kind, rc.New = Recovered, firstNonEmpty(addrString(r.Published), addrString(r.Answer))
			n.round = append(n.round, rc)
		}
	case watch.RecordFailed:
		if !was && (r.Permanent || r.Attempt >= failAfter) {
			n.failed[key] = true
			f := it
			f.Kind, f.New, f.Error = Failed, addrString(r.Answer), r.Err
			n.round = append(n.round, f)
		}
	}
	n.poke(false)
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func (n *Notifier) poke(now bool) { poke(n.kick, now) }

// poke signals a collector without blocking: a pending signal is merged
// (a round start wins over a record).
func poke(kick chan bool, now bool) {
	for {
		select {
		case kick <- now:
			return
		default:
		}
		select {
		case prev := <-kick:
			now = now || prev
		default:
		}
	}
}

// collect ends rounds: at once when a new one starts, else after Quiet
// without a record.
func (n *Notifier) collect() {
	quiet := time.NewTimer(time.Hour)
	quiet.Stop()
	defer quiet.Stop()
	for {
		select {
		case <-n.closing:
			return
		case now := <-n.kick:
			// A round start merged with a later record's signal arrives
			// as one: send what ended, then wait Quiet for what is open.
			if now {
				n.flush()
			}
			if n.open() {
				quiet.Reset(n.o.Quiet)
			} else {
				quiet.Stop()
			}
		case <-quiet.C:
			n.endRound()
			n.flush()
		}
	}
}

// hasRecords reports whether round holds items of records (not only
// "started", which waits for the first round).
func hasRecords(round []Item) bool {
	for _, it := range round {
		if it.Type != "" {
			return true
		}
	}
	return false
}

// open reports whether the current round holds items.
func (n *Notifier) open() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.round) > 0
}

// endRound ends the current round (Quiet passed, or the agent stops).
func (n *Notifier) endRound() {
	n.mu.Lock()
	if len(n.round) > 0 {
		n.ended = append(n.ended, n.round)
		n.round = nil
	}
	n.mu.Unlock()
}

// flush sends each ended round, one message per round, to every URL that
// wants some of its items.
func (n *Notifier) flush() {
	n.mu.Lock()
	rounds := n.ended
	n.ended = nil
	n.mu.Unlock()
	for _, items := range rounds {
		m := Message{Host: n.o.Host, At: n.o.Now(), Items: items}
		for i, t := range n.targets {
			if f := m.filter(t.events, t.family); len(f.Items) > 0 {
				n.workers[i].put(f)
			}
		}
	}
}

// Close queues "stopped", lets the queued messages go out within Grace,
// and stops every goroutine.
func (n *Notifier) Close() {
	n.mu.Lock()
	n.round = append(n.round, Item{Kind: Stopped})
	n.mu.Unlock()
	close(n.closing) // stops collect; workers skip their rate-limit wait
	<-n.collected
	n.endRound()
	n.flush()
	n.mu.Lock()
	n.flushed = true
	n.mu.Unlock()
	for _, w := range n.workers {
		close(w.queue)
	}
	grace := time.AfterFunc(n.o.Grace, n.cancel)
	n.wg.Wait()
	grace.Stop()
	n.cancel()
}

// Result is the outcome of a test message to one URL.
type Result struct {
	Target string // redacted URL
	Err    error  // nil: delivered
}

// SendTest sends a test message to each target once (no retry) and
// reports each result, in order.
func SendTest(ctx context.Context, targets []*Target, o Options) []Result {
	o.defaults()
	m := Message{Host: o.Host, At: o.Now(), Items: []Item{{Kind: Test}}}
	res := make([]Result, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = Result{Target: t.String(), Err: redactErr(t, t.svc.send(ctx, o.HTTP, m, o.Now()))}
		}()
	}
	wg.Wait()
	return res
}

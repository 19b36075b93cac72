package notify

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Options configure the goroutines that send.
type Options struct {
	HTTP *http.Client // verified TLS unless the user set ssl: false; has a timeout
	Host string       // this machine's name, shown in messages
	// Log receives one line per message given up on (already redacted).
	Log func(msg string)
	// Quiet ends a sync round's collection when no record reported for
	// this long (default 1 s); the next round's start ends it too.
	Quiet time.Duration
	// MinGap spaces messages to one URL after a burst of three (default
	// 10 s); messages that queue meanwhile are merged into one.
	MinGap time.Duration
	// Retries after a failed send, with backoff from RetryWait (default
	// 3 retries, 2 s doubling).
	Retries   int
	RetryWait time.Duration
	// Grace bounds the final sends at Close (default 5 s).
	Grace time.Duration
	Now   func() time.Time
}

func (o *Options) defaults() {
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Log == nil {
		o.Log = func(string) {}
	}
	if o.Quiet == 0 {
		o.Quiet = time.Second
	}
	if o.MinGap == 0 {
		o.MinGap = 10 * time.Second
	}
	if o.Retries == 0 {
		o.Retries = 3
	}
	if o.RetryWait == 0 {
		o.RetryWait = 2 * time.Second
	}
	if o.Grace == 0 {
		o.Grace = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// queueLen bounds what waits for one URL; beyond it the oldest is merged
// away (messages carry items, merging keeps them).
const queueLen = 8

// maxItems bounds one merged message.
const maxItems = 50

// worker owns one destination: a bounded queue, a rate limit (MinGap),
// retries with backoff. fn does one attempt.
type worker struct {
	o     *Options
	name  string
	queue chan Message
	fn    func(ctx context.Context, m Message) error
	merge bool // queued messages may be merged into one (notifications, not pings)
	// closing ends the rate limit's wait: the last message at shutdown
	// goes out at once.
	closing <-chan struct{}
}

func newWorker(o *Options, name string, merge bool, closing <-chan struct{}, fn func(context.Context, Message) error) *worker {
	return &worker{o: o, name: name, queue: make(chan Message, queueLen), fn: fn, merge: merge, closing: closing}
}

// put queues m without blocking: when the queue is full the oldest
// message is dropped (merged into m for notifications).
func (w *worker) put(m Message) {
	for {
		select {
		case w.queue <- m:
			return
		default:
		}
		select {
		case old := <-w.queue:
			if w.merge {
				m.Items = append(old.Items, m.Items...)
				if len(m.Items) > maxItems {
					m.Items = m.Items[len(m.Items)-maxItems:]
				}
			}
		default:
		}
	}
}

// burst is how many messages one URL may get at once before MinGap
// spaces them (a start, its first publish and a change all go out).
const burst = 3

// run sends until the queue is closed (then drains it) or ctx ends. A
// token bucket (burst tokens, one more every MinGap) limits the rate.
func (w *worker) run(ctx context.Context) {
	tokens, refilled := float64(burst), time.Now()
	for m := range w.queue {
		now := time.Now()
		tokens = min(burst, tokens+float64(now.Sub(refilled))/float64(w.o.MinGap))
		refilled = now
		if tokens < 1 {
			t := time.NewTimer(time.Duration((1 - tokens) * float64(w.o.MinGap)))
			select {
			case <-t.C:
			case <-w.closing:
			case <-ctx.Done():
				t.Stop()
				return
			}
			t.Stop()
			tokens, refilled = 1, time.Now()
		}
		tokens--
		if w.merge {
			m = w.drain(m)
		}
		w.deliver(ctx, m)
		if ctx.Err() != nil {
			return
		}
	}
}

// drain merges what queued while waiting into m.
func (w *worker) drain(m Message) Message {
	for len(m.Items) < maxItems {
		select {
		case n, ok := <-w.queue:
			if !ok {
				return m
			}
			m.Items = append(m.Items, n.Items...)
			m.At = n.At
		default:
			return m
		}
	}
	return m
}

// deliver tries m up to 1+Retries times and reports a failure once, when
// it gives up.
func (w *worker) deliver(ctx context.Context, m Message) {
	wait := w.o.RetryWait
	for attempt := 0; ; attempt++ {
		err := w.fn(ctx, m)
		if err == nil {
			return
		}
		if isPermanent(err) || attempt == w.o.Retries || ctx.Err() != nil {
			w.o.Log(fmt.Sprintf("%s: %v (%d attempt(s)); message dropped", w.name, err, attempt+1))
			return
		}
		if !sleep(ctx, wait) {
			return
		}
		wait *= 2
	}
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

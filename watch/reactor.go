package watch

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/platform"
)

// Defaults of the reactor's timing.
const (
	// DefaultDebounce is the quiet period that collapses a burst (a DHCP
	// renew is a delete, an add and route changes within milliseconds)
	// into one sync.
	DefaultDebounce = 500 * time.Millisecond
	// DefaultMaxDelay caps the wait from the first event of a burst, so a
	// flapping link cannot starve updates.
	DefaultMaxDelay = 3 * time.Second
	// DefaultInterval polls the rules no event can reveal (public IP,
	// URLs, commands): the original's cron period.
	DefaultInterval = 5 * time.Minute
	// DefaultReverify re-reads records at providers that can be read, to
	// catch records edited by hand.
	DefaultReverify = 6 * time.Hour
	// DefaultForceAfter re-sends records to providers that cannot be read
	// (dyndns-style, webhooks). Rarely: such services ban clients that
	// send unchanged updates often; 25 days is below their usual 30-day
	// expiry of idle hosts.
	DefaultForceAfter = 25 * 24 * time.Hour
	// DefaultStopGrace is how long an in-flight publish may finish after a
	// stop was asked.
	DefaultStopGrace = 10 * time.Second
	// clockCheck is how often the wall clock is compared with the
	// monotonic clock; a jump (suspend and resume, a corrected clock)
	// larger than clockJump forces a re-sync. Cheap: one wake-up per
	// period.
	clockCheck = 15 * time.Second
	clockJump  = 5 * time.Second
)

// Options configure a Reactor. Zero durations mean the defaults above.
type Options struct {
	Source     platform.Source // nil: no events, every rule is polled
	Debounce   time.Duration   // 0 = sync at once (DefaultDebounce is the usual)
	MaxDelay   time.Duration   // 0 = DefaultMaxDelay
	Interval   time.Duration   // 0 = DefaultInterval
	Reverify   time.Duration   // 0 = DefaultReverify
	ForceAfter time.Duration   // 0 = DefaultForceAfter
	StopGrace  time.Duration   // 0 = DefaultStopGrace
	// RetryInitial and RetryMax bound the backoff between publish attempts
	// of one record (0 = 1 s and 5 min).
	RetryInitial, RetryMax time.Duration
	Log                    zerolog.Logger
	// Synced, when set, is called after every sync round with its
	// outcome, once every record of the round has an outcome (from the
	// reactor's goroutine; it must not block for long).
	Synced func(Outcome)
	// Observer, when set, is told about events, rounds and every record's
	// outcome (see Observer); nil = none.
	Observer Observer
}

// Reactor decides when to sync: on network events (filtered and
// debounced), on timers (polled rules, a periodic re-sync that catches
// lost events, re-verification), on demand, and to retry failed publishes
// with backoff.
//
// A sync round resolves the rules (one round's resolution at a time; a
// trigger meanwhile causes exactly one more round afterwards) and hands
// each record its address. Records publish independently: each has at
// most one publish in flight, a newer address cancels the older one's, and
// a slow or hung provider delays only its own records. What the reactor
// remembers per record (backoff, a permanent failure, the publish in
// flight) is keyed by configuration label, domain and type, so a reload
// keeps it; see docs/reactor.md.
type Reactor struct {
	o        Options // defaults filled in; Debounce and Interval are the loop's once Run starts
	triggers chan string
	reloads  chan reload
}

// New returns a reactor with options o; Run starts it.
func New(o Options) *Reactor {
	o.MaxDelay = cmp.Or(o.MaxDelay, DefaultMaxDelay)
	o.Interval = cmp.Or(o.Interval, DefaultInterval)
	o.Reverify = cmp.Or(o.Reverify, DefaultReverify)
	o.ForceAfter = cmp.Or(o.ForceAfter, DefaultForceAfter)
	o.StopGrace = cmp.Or(o.StopGrace, DefaultStopGrace)
	o.RetryInitial = cmp.Or(o.RetryInitial, retryInitial)
	o.RetryMax = cmp.Or(o.RetryMax, retryMax)
	return &Reactor{o: o, triggers: make(chan string, 1), reloads: make(chan reload, 1)}
}

// reload is a new configuration for a running reactor.
type reload struct {
	targets            []*Target
	debounce, interval time.Duration
	timing             bool // debounce and interval are set
}

// Trigger asks for a sync now (SIGUSR1, a router hook, a Windows service
// control). It never blocks; triggers that arrive together coalesce.
func (r *Reactor) Trigger(reason string) {
	select {
	case r.triggers <- reason:
	default:
	}
}

// Reload replaces the targets (a new configuration) and syncs. Records
// that keep their identity (configuration label, domain, type) keep their
// backoff and their permanent-failure verdict, which is cleared only when
// the address or the target's Fingerprint changes; a target whose
// Fingerprint is unchanged keeps running with its old publisher and HTTP
// client. It never blocks; the last of several quick reloads wins.
func (r *Reactor) Reload(targets []*Target) { r.reload(reload{targets: targets}) }

// ReloadWithTiming is Reload with a new debounce and poll interval (0 =
// the default interval), as a reloaded configuration may set them.
func (r *Reactor) ReloadWithTiming(targets []*Target, debounce, interval time.Duration) {
	r.reload(reload{targets: targets, debounce: debounce, interval: interval, timing: true})
}

func (r *Reactor) reload(rl reload) {
	for {
		select {
		case r.reloads <- rl:
			return
		default:
		}
		select {
		case <-r.reloads:
		default:
		}
	}
}

// Run syncs at start and then whenever needed, until ctx is done. It then
// lets in-flight publishes finish within StopGrace, saves state and
// returns nil. It fails only if the event source cannot start at all.
func (r *Reactor) Run(ctx context.Context, targets []*Target) error {
	l := &loop{r: r, records: map[recKey]*record{}, addrs: map[ifaceAddr]platform.AddrFlags{},
		dispatched: make(chan struct{}), done: make(chan Outcome), quit: make(chan struct{}),
		quiet: r.o.Debounce, interval: r.o.Interval}
	// Publishes run under their own context so that a stop lets the
	// ones in flight finish within the grace period.
	l.runCtx, l.cancelRun = context.WithCancel(context.WithoutCancel(ctx))
	defer l.cancelRun()
	l.setTargets(targets)

	var events <-chan platform.Event
	evCtx, stopEvents := context.WithCancel(context.Background())
	defer stopEvents()
	if r.o.Source != nil {
		ch, err := r.o.Source.Events(evCtx)
		if err != nil {
			return fmt.Errorf("network events: %w", err)
		}
		events = ch
	} else {
		r.o.Log.Info().Msgf("no network event source on this system: polling every rule every %v", l.interval)
	}

	l.debounce = stoppedTimer()
	l.retry = stoppedTimer()
	poll := time.NewTicker(l.interval)
	defer poll.Stop()
	reverify := time.NewTicker(r.o.Reverify)
	defer reverify.Stop()
	clock := time.NewTicker(clockCheck)
	defer clock.Stop()
	lastCheck := time.Now()

	l.fire("start", "start")
	for {
		select {
		case <-ctx.Done():
			l.stop()
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				r.o.Log.Warn().Msgf("network event source stopped: polling every rule every %v", l.interval)
				continue
			}
			l.event(ev)
		case <-l.debounce.C:
			l.burst = time.Time{}
			l.fire("event", "")
		case <-poll.C:
			// Without polled rules this is the re-sync that catches
			// events the OS lost: it re-reads the addresses and costs no
			// API call unless one changed.
			if events == nil || l.polled() {
				l.fire("poll", "poll")
			} else {
				l.fire("resync", "resync")
			}
		case <-reverify.C:
			l.reverify = true
			l.fire("reverify", "re-verify")
		case reason := <-r.triggers:
			l.fire("signal", reason)
		case rl := <-r.reloads:
			if rl.timing {
				l.quiet, l.interval = rl.debounce, cmp.Or(rl.interval, DefaultInterval)
				poll.Reset(l.interval)
			}
			l.setTargets(rl.targets)
			l.fire("reload", "configuration reloaded")
		case <-l.retry.C:
			l.fire("retry", "retry")
		case <-l.dispatched:
			l.dispatching = false
			if l.dirty {
				l.dirty = false
				l.fire("", "")
			}
		case out := <-l.done:
			if r.o.Synced != nil {
				r.o.Synced(out)
			}
			l.armRetry()
		case now := <-clock.C:
			if d, jumped := clockJumped(now.Round(0).Sub(lastCheck.Round(0)), now.Sub(lastCheck)); jumped {
				l.fire("clock", fmt.Sprintf("wall clock jumped %v (suspend/resume?)", d.Round(time.Second)))
			}
			lastCheck = now
		}
	}
}

// clockJumped compares the wall-clock time that passed with the monotonic
// time that passed: the monotonic clock stops during suspend while the
// wall clock does not, and a corrected clock moves only the wall clock. A
// difference beyond clockJump means the network may have changed unseen.
func clockJumped(wall, mono time.Duration) (time.Duration, bool) {
	d := wall - mono
	return d, d > clockJump || d < -clockJump
}

func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

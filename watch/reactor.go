package watch

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/resolve"
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

// Reactor decides when to sync: on network events (filtered and
// debounced), on timers for polled rules and re-verification, on demand,
// and to retry failed publishes with backoff. One sync runs at a time; a
// trigger during a sync causes exactly one more afterwards.
type Reactor struct {
	Source     platform.Source // nil: no events, every rule is polled
	Debounce   time.Duration   // 0 = sync at once
	MaxDelay   time.Duration   // 0 = DefaultMaxDelay
	Interval   time.Duration   // 0 = DefaultInterval
	Reverify   time.Duration   // 0 = DefaultReverify
	ForceAfter time.Duration   // 0 = DefaultForceAfter
	StopGrace  time.Duration   // 0 = DefaultStopGrace
	// RetryInitial and RetryMax bound the backoff between publish attempts
	// of one record (0 = 1 s and 5 min).
	RetryInitial, RetryMax time.Duration
	Log                    zerolog.Logger
	// Synced, when set, is called after every sync with its outcome (from
	// the reactor's goroutine; it must not block for long).
	Synced func(Outcome)
	// Observer, when set, is told of events, syncs and record outcomes
	// (observe branch: minimal calls; see observe.go).
	Observer Observer

	triggers chan string
	reloads  chan reload
	once     sync.Once
}

// reload is a new configuration for a running reactor.
type reload struct {
	targets            []*Target
	debounce, interval time.Duration
	timing             bool // debounce and interval are set
}

func (r *Reactor) init() {
	r.once.Do(func() {
		r.triggers = make(chan string, 1)
		r.reloads = make(chan reload, 1)
	})
}

// Trigger asks for a sync now (SIGUSR1, a router hook, a Windows service
// control). It never blocks; triggers that arrive together coalesce.
func (r *Reactor) Trigger(reason string) {
	r.init()
	select {
	case r.triggers <- reason:
	default:
	}
}

// Reload replaces the targets (a new configuration) and syncs. Pending
// retries and permanent failures of the old targets are forgotten. It
// never blocks; the last of several quick reloads wins.
func (r *Reactor) Reload(targets []*Target) { r.reload(reload{targets: targets}) }

// ReloadWithTiming is Reload with a new debounce and poll interval (0 =
// the default interval), as a reloaded configuration may set them.
func (r *Reactor) ReloadWithTiming(targets []*Target, debounce, interval time.Duration) {
	r.reload(reload{targets: targets, debounce: debounce, interval: interval, timing: true})
}

func (r *Reactor) reload(rl reload) {
	r.init()
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

func (r *Reactor) defaults() {
	if r.MaxDelay == 0 {
		r.MaxDelay = DefaultMaxDelay
	}
	if r.Interval == 0 {
		r.Interval = DefaultInterval
	}
	if r.Reverify == 0 {
		r.Reverify = DefaultReverify
	}
	if r.ForceAfter == 0 {
		r.ForceAfter = DefaultForceAfter
	}
	if r.StopGrace == 0 {
		r.StopGrace = DefaultStopGrace
	}
	if r.RetryInitial == 0 {
		r.RetryInitial = retryInitial
	}
	if r.RetryMax == 0 {
		r.RetryMax = retryMax
	}
}

// loop is the reactor's state, owned by Run's goroutine.
type loop struct {
	r       *Reactor
	targets []*runTarget

	running   bool
	dirty     bool
	reasons   []string // why the next sync runs
	reverify  bool     // the next sync re-reads records
	burst     time.Time
	debounce  *time.Timer
	retry     *time.Timer
	done      chan syncResult
	cancelRun context.CancelFunc
}

type syncResult struct {
	out   Outcome
	retry time.Time // earliest pending retry; zero = none
}

// Run syncs at start and then whenever needed, until ctx is done. It then
// lets an in-flight sync finish within StopGrace, saves state and returns
// nil. It fails only if the event source cannot start at all.
func (r *Reactor) Run(ctx context.Context, targets []*Target) error {
	r.init()
	r.defaults()
	l := &loop{r: r, done: make(chan syncResult, 1)}
	l.setTargets(targets)

	var events <-chan platform.Event
	evCtx, stopEvents := context.WithCancel(context.Background())
	defer stopEvents()
	if r.Source != nil {
		ch, err := r.Source.Events(evCtx)
		if err != nil {
			return fmt.Errorf("network events: %w", err)
		}
		events = ch
	} else {
		r.Log.Info().Msgf("no network event source on this system: polling every rule every %v", r.Interval)
	}

	l.debounce = stoppedTimer()
	l.retry = stoppedTimer()
	poll := time.NewTicker(r.Interval)
	defer poll.Stop()
	reverify := time.NewTicker(r.Reverify)
	defer reverify.Stop()
	clock := time.NewTicker(clockCheck)
	defer clock.Stop()
	lastCheck := time.Now()

	l.fire(ctx, "start")
	for {
		select {
		case <-ctx.Done():
			l.stop()
			return nil
		case ev, ok := <-events:
			if !ok {
				events = nil
				r.Log.Warn().Msgf("network event source stopped: polling every rule every %v", r.Interval)
				continue
			}
			l.event(ctx, ev)
		case <-l.debounce.C:
			l.burst = time.Time{}
			l.fire(ctx, "")
		case <-poll.C:
			if events == nil || l.polled() {
				l.fire(ctx, "poll")
			}
		case <-reverify.C:
			l.reverify = true
			l.fire(ctx, "re-verify")
		case reason := <-r.triggers:
			l.fire(ctx, reason)
		case rl := <-r.reloads:
			if rl.timing {
				// Only this goroutine reads Debounce and Interval once
				// Run has started, so changing them here is safe.
				r.Debounce, r.Interval = rl.debounce, rl.interval
				if r.Interval == 0 {
					r.Interval = DefaultInterval
				}
				poll.Reset(r.Interval)
			}
			l.setTargets(rl.targets)
			l.fire(ctx, "configuration reloaded")
		case <-l.retry.C:
			l.fire(ctx, "retry")
		case res := <-l.done:
			l.finished(ctx, res)
		case now := <-clock.C:
			if d, jumped := clockJumped(now.Round(0).Sub(lastCheck.Round(0)), now.Sub(lastCheck)); jumped {
				l.fire(ctx, fmt.Sprintf("wall clock jumped %v (suspend/resume?)", d.Round(time.Second)))
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

func (l *loop) setTargets(ts []*Target) {
	l.targets = l.targets[:0]
	for _, t := range ts {
		t.obs = l.r.Observer
		l.targets = append(l.targets, newRunTarget(t))
	}
}

// polled reports whether any configured rule needs the poll timer.
func (l *loop) polled() bool {
	for _, t := range l.targets {
		for _, d := range t.deps {
			if d.Poll {
				return true
			}
		}
	}
	return false
}

// event filters one platform event and arms the debounce timer.
func (l *loop) event(ctx context.Context, ev platform.Event) {
	if l.r.Observer != nil {
		l.r.Observer.Event(eventKind(ev))
	}
	if !l.relevant(ev) {
		l.r.Log.Debug().Msgf("ignored %s", describe(ev))
		return
	}
	// The path to the provider may have changed: never reuse an idle
	// connection over a dead route.
	for _, t := range l.targets {
		if t.HTTP != nil {
			t.HTTP.CloseIdleConnections()
		}
	}
	l.note(describe(ev))
	now := time.Now()
	if l.burst.IsZero() {
		l.burst = now
	}
	deadline := now.Add(l.r.Debounce)
	if cap := l.burst.Add(l.r.MaxDelay); deadline.After(cap) {
		deadline = cap
	}
	if d := deadline.Sub(now); d > 0 {
		l.debounce.Reset(d)
		return
	}
	l.burst = time.Time{}
	l.fire(ctx, "")
}

// relevant reports whether ev can change the answer of any configured
// rule. Tentative and link-local addresses never can: DAD completion
// brings another event, and link-local addresses are never published.
func (l *loop) relevant(ev platform.Event) bool {
	if ev.Kind == platform.Resync {
		return true
	}
	if ev.Kind == platform.AddrChanged {
		a := ev.Addr
		if a.IsLinkLocalUnicast() || a.IsLoopback() || (!ev.Deleted && ev.Flags&(platform.Tentative|platform.DADFailed) != 0) {
			return false
		}
	}
	for _, t := range l.targets {
		for _, d := range t.deps {
			if matches(d, ev) {
				return true
			}
		}
	}
	return false
}

func matches(d resolve.Deps, ev platform.Event) bool {
	famOf := func() resolve.Family {
		if ev.Addr.Is4() {
			return resolve.V4
		}
		return resolve.V6
	}
	switch ev.Kind {
	case platform.AddrChanged:
		return famOf() == d.Family && (d.WatchesInterface(ev.Iface) || d.DefaultRoute)
	case platform.LinkChanged:
		return d.WatchesInterface(ev.Iface) || d.DefaultRoute
	case platform.RouteChanged:
		return d.DefaultRoute && (!ev.Addr.IsValid() || famOf() == d.Family)
	}
	return true
}

func describe(ev platform.Event) string {
	switch ev.Kind {
	case platform.AddrChanged:
		verb := "added"
		if ev.Deleted {
			verb = "removed"
		}
		return fmt.Sprintf("event on %s: address %s %s", orAny(ev.Iface), ev.Addr, verb)
	case platform.Resync:
		return "resync: " + ev.Reason
	}
	return fmt.Sprintf("event on %s: %s changed", orAny(ev.Iface), ev.Kind)
}

func orAny(s string) string {
	if s == "" {
		return "an interface"
	}
	return s
}

func (l *loop) note(reason string) {
	if reason == "" || len(l.reasons) >= 5 {
		return
	}
	for _, r := range l.reasons {
		if r == reason {
			return
		}
	}
	l.reasons = append(l.reasons, reason)
}

// fire starts a sync, or marks one as due after the running one.
func (l *loop) fire(ctx context.Context, reason string) {
	l.note(reason)
	if l.running {
		l.dirty = true
		return
	}
	if l.r.Observer != nil {
		l.r.Observer.Sync(syncReason(l.reasons))
	}
	reasons, reverify := strings.Join(l.reasons, "; "), l.reverify
	l.reasons, l.reverify = nil, false
	l.debounce.Stop()
	l.burst = time.Time{}
	l.running = true
	// Syncs run under their own context so that a stop lets the
	// publish in flight finish within the grace period.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l.cancelRun = cancel
	targets := append([]*runTarget(nil), l.targets...)
	l.r.Log.Info().Msgf("sync: %s", reasons)
	go func() {
		var res syncResult
		for _, t := range targets {
			out, next := t.sync(runCtx, l.r, reverify)
			res.out.add(out)
			if !next.IsZero() && (res.retry.IsZero() || next.Before(res.retry)) {
				res.retry = next
			}
		}
		l.done <- res
	}()
}

func (l *loop) finished(ctx context.Context, res syncResult) {
	l.running = false
	l.cancelRun()
	if l.r.Synced != nil {
		l.r.Synced(res.out)
	}
	l.retry.Stop()
	if !res.retry.IsZero() {
		l.retry.Reset(time.Until(res.retry))
	}
	if l.dirty {
		l.dirty = false
		l.fire(ctx, "")
	}
}

// stop waits for an in-flight sync (at most StopGrace) and saves state.
func (l *loop) stop() {
	if l.running {
		l.r.Log.Info().Msgf("stopping: waiting up to %v for the publish in flight", l.r.StopGrace)
		grace := time.NewTimer(l.r.StopGrace)
		defer grace.Stop()
		select {
		case <-l.done:
		case <-grace.C:
			l.cancelRun()
			<-l.done
		}
	}
	for _, t := range l.targets {
		t.save(l.r.Log)
	}
	l.r.Log.Info().Msg("stopped")
}

func (o *Outcome) add(p Outcome) {
	o.Published += p.Published
	o.Current += p.Current
	o.Failed += p.Failed
	o.Unresolved = append(o.Unresolved, p.Unresolved...)
}

// runTarget is a Target with the reactor's memory: pending retries.
type runTarget struct {
	*Target
	deps []resolve.Deps

	mu      sync.Mutex // guards pending: records are published concurrently
	pending map[string]*pending
}

func newRunTarget(t *Target) *runTarget {
	rt := &runTarget{Target: t, pending: map[string]*pending{}}
	for _, f := range t.Families {
		if len(f.Domains) > 0 && !f.Rules.Disabled() {
			rt.deps = append(rt.deps, f.Rules.Deps())
		}
	}
	return rt
}

package watch

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/ddns-go/ddns/internal/state"
	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/resolve"
)

// loop is the reactor's state, owned by Run's goroutine (records and
// rounds have their own locks and goroutines).
type loop struct {
	r       *Reactor
	targets []*runTarget
	records map[recKey]*record
	// addrs are the addresses seen in events with their flags, to name
	// what an event changed (added, deprecated, refreshed).
	addrs map[ifaceAddr]platform.AddrFlags

	dispatching bool     // a round is resolving and handing out addresses
	dirty       bool     // another round is due after it
	reasons     []string // why the next round runs, for the log
	kind        string   // why the next round runs, for the Observer
	reverify    bool     // the next round re-reads records
	burst       time.Time
	debounce    *time.Timer
	quiet       time.Duration // of the debounce (Options.Debounce, or a reload's)
	interval    time.Duration // of the poll (Options.Interval, or a reload's)
	retry       *time.Timer

	dispatched chan struct{} // a round has handed out its addresses
	done       chan Outcome  // a round's records all have an outcome
	quit       chan struct{} // closed when Run stops: rounds stop reporting
	runCtx     context.Context
	cancelRun  context.CancelFunc
	wg         sync.WaitGroup // rounds and publishes
}

type ifaceAddr struct {
	iface string
	addr  netip.Addr
}

// runTarget is a Target with the reactor's records.
type runTarget struct {
	*Target
	label string // the records' configuration key: Label, made unique
	deps  []resolve.Deps
	recs  map[string]*record // by state.Key; read-only once built
}

// setTargets installs a configuration. Records keep their identity
// across it, so backoff, permanent verdicts and publishes in flight
// survive a reload; a target whose Fingerprint is unchanged keeps its
// publisher and HTTP client (rate-limiter tokens, remembered zones). The
// HTTP clients no longer used have their idle connections closed.
func (l *loop) setTargets(ts []*Target) {
	old := map[string]*runTarget{}
	for _, t := range l.targets {
		old[t.label] = t
	}
	kept := map[*runTarget]bool{}
	records := map[recKey]*record{}
	labels := map[string]int{}
	var next []*runTarget
	for _, t := range ts {
		label := t.Label
		if n := labels[t.Label]; n > 0 {
			label = fmt.Sprintf("%s#%d", t.Label, n+1)
		}
		labels[t.Label]++
		if o := old[label]; o != nil && t.Fingerprint != "" && t.Fingerprint == o.Fingerprint {
			c := *t
			c.Publisher, c.HTTP = o.Publisher, o.HTTP
			t = &c
			kept[o] = true
		}
		rt := &runTarget{Target: t, recs: map[string]*record{}}
		for _, f := range t.Families {
			if len(f.Domains) == 0 || f.Rules.Disabled() {
				continue
			}
			rt.deps = append(rt.deps, f.Rules.Deps())
			typ := f.Rules.Family.RecordType()
			for _, d := range f.Domains {
				k := recKey{label, d, typ}
				rec := l.records[k]
				if rec == nil {
					rec = &record{key: k, fam: f.Rules.Family, domain: d}
				}
				rec.mu.Lock()
				rec.t, rec.rule = rt, ruleText(f.Rules)
				rec.mu.Unlock()
				rt.recs[state.Key(d, typ)] = rec
				records[k] = rec
			}
		}
		rt.label = label
		next = append(next, rt)
	}
	for _, o := range l.targets {
		if !kept[o] && o.HTTP != nil {
			o.HTTP.CloseIdleConnections()
		}
	}
	l.targets, l.records = next, records
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

// event names one platform event, filters it and arms the debounce timer.
func (l *loop) event(ev platform.Event) {
	kind, text := l.classify(ev)
	if o := l.r.o.Observer; o != nil {
		o.Event(kind)
	}
	l.dropConns(ev)
	if !l.relevant(ev) {
		l.r.o.Log.Debug().Msgf("ignored %s", text)
		return
	}
	l.note(text)
	now := time.Now()
	if l.burst.IsZero() {
		l.burst = now
	}
	deadline := now.Add(l.quiet)
	if cap := l.burst.Add(l.r.o.MaxDelay); deadline.After(cap) {
		deadline = cap
	}
	if d := deadline.Sub(now); d > 0 {
		if l.kind == "" {
			l.kind = "event"
		}
		l.debounce.Reset(d)
		return
	}
	l.burst = time.Time{}
	l.fire("event", "")
}

// connCloser is a transport that can close the connections from one
// local address (internal/httpclient's can).
type connCloser interface{ CloseConnsFrom(netip.Addr) }

// dropConns forgets the provider connections ev may have broken, whether
// or not it matters to a rule: those from a removed address, and every
// idle one when a link or the default route changed (the path may be
// another now) or events were lost. An added, refreshed or deprecated
// address breaks nothing: keeping the connection spares the next publish
// a TCP and TLS handshake with the provider.
func (l *loop) dropConns(ev platform.Event) {
	if ev.Kind == platform.AddrChanged && !ev.Deleted {
		return
	}
	for _, t := range l.targets {
		if t.HTTP == nil {
			continue
		}
		if c, ok := t.HTTP.Transport.(connCloser); ok && ev.Kind == platform.AddrChanged {
			c.CloseConnsFrom(ev.Addr)
		} else {
			t.HTTP.CloseIdleConnections()
		}
	}
}

// classify names what an event changed, by the Observer's kinds, and
// describes it for the log. An address event for an address already seen
// with the same flags is a lifetime refresh; one that gained the
// deprecated flag is a deprecation.
func (l *loop) classify(ev platform.Event) (kind, text string) {
	switch ev.Kind {
	case platform.AddrChanged:
		k := ifaceAddr{ev.Iface, ev.Addr}
		flags, seen := l.addrs[k]
		switch {
		case ev.Deleted:
			delete(l.addrs, k)
			kind = "removed"
		case seen && flags == ev.Flags:
			kind = "refreshed"
		case seen && ev.Flags&platform.Deprecated != 0 && flags&platform.Deprecated == 0:
			kind = "deprecated"
		default:
			kind = "added"
		}
		if !ev.Deleted {
			l.addrs[k] = ev.Flags
		}
		verb := kind
		switch {
		case kind == "refreshed":
			verb = "lifetime refreshed"
		case kind == "added" && seen:
			verb = "changed (" + ev.Flags.String() + ")"
		case kind == "added" && ev.Flags&platform.Deprecated != 0:
			verb = "added (deprecated)"
		}
		return kind, fmt.Sprintf("event on %s: address %s %s", orAny(ev.Iface), ev.Addr, verb)
	case platform.LinkChanged:
		return "link", fmt.Sprintf("event on %s: link up, down or changed", orAny(ev.Iface))
	case platform.RouteChanged:
		return "route", fmt.Sprintf("event: default route changed (%s)", familyOf(ev.Addr))
	case platform.Resync:
		return "resync", "resync: " + ev.Reason
	}
	return ev.Kind.String(), fmt.Sprintf("event on %s: %s changed", orAny(ev.Iface), ev.Kind)
}

func familyOf(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "any family"
	case a.Is4():
		return "IPv4"
	}
	return "IPv6"
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

// fire starts a round, or marks one as due after the one resolving now.
// kind is the Observer's reason; the first of a coalesced set is kept.
func (l *loop) fire(kind, reason string) {
	l.note(reason)
	if l.kind == "" {
		l.kind = kind
	}
	if l.dispatching {
		l.dirty = true
		return
	}
	reasons, reverify, kind := strings.Join(l.reasons, "; "), l.reverify, l.kind
	l.reasons, l.reverify, l.kind = nil, false, ""
	l.debounce.Stop()
	l.burst = time.Time{}
	l.dispatching = true
	l.r.o.Log.Info().Msgf("sync: %s", reasons)
	if o := l.r.o.Observer; o != nil {
		o.Sync(kind)
	}
	targets := append([]*runTarget(nil), l.targets...)
	l.wg.Add(1)
	go l.round(targets, reverify)
}

// round resolves every target at once and hands each record its address;
// it reports to the loop when all are handed out (the next round may
// start) and when every record has an outcome (Synced, retry timer).
func (l *loop) round(targets []*runTarget, reverify bool) {
	defer l.wg.Done()
	var mu sync.Mutex
	var out Outcome
	var resolved, finished sync.WaitGroup
	for _, t := range targets {
		resolved.Add(1)
		finished.Add(1)
		go func() {
			defer finished.Done()
			var o Outcome
			tickets := t.dispatch(l, reverify, &o)
			resolved.Done()
			for _, tk := range tickets {
				rep := tk.wait()
				if obs := l.r.o.Observer; obs != nil {
					obs.Record(rep)
				}
				o.countReport(rep.Result)
			}
			t.save(l.r.o.Log)
			mu.Lock()
			out.add(o)
			mu.Unlock()
		}()
	}
	resolved.Wait()
	select {
	case l.dispatched <- struct{}{}:
	case <-l.quit:
	}
	finished.Wait()
	select {
	case l.done <- out:
	case <-l.quit:
	}
}

// dispatch resolves t's rules and asks each record for its address. With
// reverify, records are re-read at providers that can be read (written
// only if different) and re-sent to the others when older than ForceAfter.
// Records whose family has no address this round are reported as such.
func (t *runTarget) dispatch(l *loop, reverify bool, out *Outcome) []ticket {
	jobs := t.resolveJobs(l.runCtx, out)
	now := time.Now()
	wanted := map[*record]bool{}
	var tickets []ticket
	for _, j := range jobs {
		rec := t.recs[state.Key(j.domain, j.fam.RecordType())]
		if rec == nil || wanted[rec] {
			continue
		}
		wanted[rec] = true
		force := reverify && (t.Readable || t.older(rec.key, l.r.o.ForceAfter, now))
		tickets = append(tickets, rec.want(l, j.addr, j.sources, force))
	}
	for _, rec := range t.recs {
		if wanted[rec] {
			continue
		}
		rec.unwanted()
		for _, f := range out.Unresolved {
			if f == rec.fam {
				tickets = append(tickets, ticket{rep: rec.unresolved(t, now)})
			}
		}
	}
	return tickets
}

// older reports whether the record was last published before now-age.
func (t *runTarget) older(k recKey, age time.Duration, now time.Time) bool {
	if t.State == nil {
		return true
	}
	e, ok := t.State.Get(state.Key(k.domain, k.typ))
	return !ok || e.Updated.IsZero() || now.Sub(e.Updated) >= age
}

func (o *Outcome) countReport(r RecordResult) {
	switch r {
	case RecordCurrent:
		o.Current++
	case RecordPublished:
		o.Published++
	case RecordFailed:
		o.Failed++
	}
}

func (o *Outcome) add(p Outcome) {
	o.Published += p.Published
	o.Current += p.Current
	o.Failed += p.Failed
	o.Unresolved = append(o.Unresolved, p.Unresolved...)
}

// armRetry sets the retry timer to the earliest retry any record waits
// for.
func (l *loop) armRetry() {
	var next time.Time
	for _, rec := range l.records {
		if n := rec.nextRetry(); !n.IsZero() && (next.IsZero() || n.Before(next)) {
			next = n
		}
	}
	l.retry.Stop()
	if !next.IsZero() {
		l.retry.Reset(time.Until(next))
	}
}

// stop lets the rounds and publishes in flight finish (at most
// StopGrace), cancels the rest and saves every state once.
func (l *loop) stop() {
	close(l.quit)
	idle := make(chan struct{})
	go func() { l.wg.Wait(); close(idle) }()
	select {
	case <-idle:
	case <-time.After(100 * time.Millisecond): // say it only when the wait is noticeable
		l.r.o.Log.Info().Msgf("stopping: waiting up to %v for the publish in flight", l.r.o.StopGrace)
		grace := time.NewTimer(l.r.o.StopGrace)
		defer grace.Stop()
		select {
		case <-idle:
		case <-grace.C:
			l.cancelRun()
			<-idle
		}
	}
	saved := map[*state.State]bool{}
	for _, t := range l.targets {
		if t.State != nil && !saved[t.State] {
			saved[t.State] = true
			t.save(l.r.o.Log)
		}
	}
	l.r.o.Log.Info().Msg("stopped")
}

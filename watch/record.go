package watch

import (
	"context"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/internal/state"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
)

// recKey is a record's identity across reloads: the configuration (its
// label), the domain and the record type.
type recKey struct {
	config, domain, typ string
}

// record is one record the reactor keeps: which configuration it belongs
// to now, its failed attempts, and the publish in flight. Records publish
// independently of each other, so a slow or hung provider delays only its
// own records. A record has at most one publish in flight; a newer address
// cancels it and is published as soon as it has returned.
type record struct {
	key    recKey
	fam    resolve.Family
	domain string
	rule   string // the family's rules as written, for observers

	mu   sync.Mutex
	t    *runTarget // replaced on reload
	pend *pending   // the last publish failed
	fl   *flight    // the publish in flight
	// wanted: the last round gave the record an address. A pending retry
	// of a record whose rules give none (the interface went away) waits
	// for the next address instead of spinning the retry timer.
	wanted bool
}

// flight is one publish of a record.
type flight struct {
	addr   netip.Addr
	cancel context.CancelFunc
	done   chan struct{} // closed when rep is final
	rep    RecordReport
	// next is the flight that superseded this one (set before done is
	// closed); a round waiting for this one waits for next instead.
	next *flight
}

// ticket is a round's claim on a record's outcome: immediate, or that of
// a flight.
type ticket struct {
	rep RecordReport
	fl  *flight
}

// wait returns the record's outcome, following superseding flights: the
// pending address is superseded, never lost, and so is its report.
func (tk ticket) wait() RecordReport {
	f := tk.fl
	if f == nil {
		return tk.rep
	}
	for {
		<-f.done
		if f.next == nil {
			return f.rep
		}
		f = f.next
	}
}

func (rec *record) name() string { return rec.domain + "[" + rec.key.typ + "]" }

// target returns the configuration the record belongs to now.
func (rec *record) target() *runTarget {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.t
}

// unwanted notes that a round's rules gave the record no address.
func (rec *record) unwanted() {
	rec.mu.Lock()
	rec.wanted = false
	rec.mu.Unlock()
}

// unresolved is the report of a round whose rules gave the record no
// address.
func (rec *record) unresolved(t *runTarget, now time.Time) RecordReport {
	rec.mu.Lock()
	rule := rec.rule
	rec.mu.Unlock()
	return RecordReport{Config: t.Label, Provider: t.Provider, Domain: rec.domain, Type: rec.key.typ, Rule: rule,
		Published: t.known(rec.key), Result: RecordUnresolved, At: now}
}

// nextRetry is when the record's pending retry is due; zero = none.
func (rec *record) nextRetry() time.Time {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if rec.pend == nil || rec.pend.permanent || rec.fl != nil || !rec.wanted {
		return time.Time{}
	}
	return rec.pend.next
}

// want asks that the record hold addr. It answers at once when the state
// says it does, when a permanent failure or a backoff forbids trying now,
// or when a publish of addr is already in flight (the ticket follows it);
// otherwise it starts a publish, cancelling one of an older address. With
// force (re-verification) the record is sent even when the state says it
// is current.
func (rec *record) want(l *loop, addr netip.Addr, sources []string, force bool) ticket {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	t := rec.t
	rec.wanted = true
	now := time.Now()
	rep := RecordReport{Config: t.Label, Provider: t.Provider, Domain: rec.domain, Type: rec.key.typ, Rule: rec.rule, Answer: addr,
		Sources: sources, Published: t.known(rec.key), At: now}
	prev := rec.fl
	if prev != nil {
		if prev.addr == addr {
			return ticket{fl: prev}
		}
		t.Log.Info().Msgf("%s: %s supersedes %s, whose publish is cancelled", rec.name(), addr, prev.addr)
		prev.cancel()
	}
	if p := rec.pend; p != nil {
		switch {
		case p.addr != addr:
			t.Log.Info().Msgf("%s: %s supersedes the pending %s", rec.name(), addr, p.addr)
			rec.pend = nil
		case p.fingerprint != t.Fingerprint:
			t.Log.Info().Msgf("%s: the configuration changed; trying again", rec.name())
			rec.pend = nil
		}
	}
	// A cancelled publish may or may not have reached the provider: after
	// one, the state cannot be trusted to say the record is current.
	if prev == nil && !force && t.current(rec.fam, rec.domain, addr, zerolog.DebugLevel) {
		rep.Result = RecordCurrent
		return ticket{rep: rep}
	}
	if p := rec.pend; p != nil && (p.permanent || now.Before(p.next)) {
		rep.Result, rep.Permanent, rep.Attempt, rep.Err, rep.NextRetry = RecordFailed, p.permanent, p.attempts, p.err, p.next
		return ticket{rep: rep}
	}
	ctx, cancel := context.WithCancel(l.runCtx)
	f := &flight{addr: addr, cancel: cancel, done: make(chan struct{})}
	if prev != nil {
		prev.next = f
	}
	rec.fl = f
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		defer cancel()
		if prev != nil {
			<-prev.done // never two publishes of one record at once
		}
		rec.publish(ctx, l.r, f, !force, rep)
	}()
	return ticket{fl: f}
}

// publish runs one flight and records its outcome.
func (rec *record) publish(ctx context.Context, r *Reactor, f *flight, useHint bool, rep RecordReport) {
	t := rec.target()
	begin := time.Now()
	var res publish.Result
	err := ctx.Err()
	if err == nil {
		res, err = t.publish(ctx, rec.fam, rec.domain, f.addr, useHint)
	}
	end := time.Now()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	defer close(f.done)
	if rec.fl == f {
		rec.fl = nil
	}
	rep.At = end
	if f.next != nil {
		return // superseded: the newer flight reports
	}
	if ctx.Err() == nil || err == nil {
		rep.Duration = end.Sub(begin)
	}
	if err != nil {
		p := rec.pend
		if p == nil {
			p = newPending(f.addr, t.Fingerprint, r.o.RetryInitial, r.o.RetryMax)
			rec.pend = p
		}
		p.failed(t.Target, rec.name(), err, end)
		rep.Result, rep.Permanent, rep.Attempt, rep.Err, rep.NextRetry = RecordFailed, p.permanent, p.attempts, p.err, p.next
		f.rep = rep
		return
	}
	if p := rec.pend; p != nil {
		t.Log.Info().Msgf("%s: published %s after %d failed attempt(s)", rec.name(), f.addr, p.attempts)
		rec.pend = nil
	}
	rep.Result = RecordPublished
	if res.Unchanged {
		rep.Result = RecordCurrent
	} else if rep.Published != f.addr {
		rep.Previous = rep.Published
	}
	rep.Published = f.addr
	f.rep = rep
}

// known is the address the state says the provider holds for key.
func (t *runTarget) known(k recKey) netip.Addr {
	if t.State == nil {
		return netip.Addr{}
	}
	e, ok := t.State.Get(state.Key(k.domain, k.typ))
	if !ok || (e.Provider != "" && e.Provider != t.Provider) {
		return netip.Addr{}
	}
	a, _ := netip.ParseAddr(e.Addr)
	return a
}

// ruleText is the rules as the user wrote them.
func ruleText(r resolve.Rules) string {
	s := make([]string, len(r.List))
	for i, x := range r.List {
		s[i] = x.String()
	}
	return strings.Join(s, ",")
}

package watch

// MINIMAL observer calls (issue #13, branch observe): the lifecycle branch's
// reactor replaces this file and the few one-line calls that use it.

import (
	"net/netip"
	"strings"
	"time"

	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/publish"
	"github.com/ddns-go/ddns/resolve"
)

// eventKind names a platform event for Observer.Event.
func eventKind(ev platform.Event) string {
	switch ev.Kind {
	case platform.AddrChanged:
		switch {
		case ev.Deleted:
			return "removed"
		case ev.Flags&platform.Deprecated != 0:
			return "deprecated"
		}
		return "added"
	case platform.LinkChanged:
		return "link"
	case platform.RouteChanged:
		return "route"
	case platform.Resync:
		return "resync"
	}
	return "other"
}

// syncReason names why a sync runs for Observer.Sync, from the first
// reason the loop noted.
func syncReason(reasons []string) string {
	if len(reasons) == 0 {
		return "event"
	}
	r := reasons[0]
	switch {
	case r == "start", r == "poll", r == "retry":
		return r
	case r == "re-verify":
		return "reverify"
	case r == "configuration reloaded":
		return "reload"
	case strings.HasPrefix(r, "wall clock"):
		return "clock"
	case strings.HasPrefix(r, "resync:"):
		return "resync"
	case strings.HasPrefix(r, "event on"):
		return "event"
	}
	return "signal"
}

// report tells the observer what one record's round ended with.
func (t *runTarget) report(o Observer, fam resolve.Family, domain string, addr, prev netip.Addr, res result, p *pending, took time.Duration) {
	if o == nil {
		return
	}
	var rule string
	for _, f := range t.Families {
		if f.Rules.Family == fam {
			rule = ruleString(f.Rules)
		}
	}
	rep := RecordReport{Config: t.Label, Provider: t.Provider, Domain: domain, Type: fam.RecordType(), Rule: rule,
		Answer: addr, Duration: took, At: time.Now()}
	switch res {
	case current:
		rep.Result, rep.Published = RecordCurrent, addr
	case published:
		rep.Result, rep.Published, rep.Previous = RecordPublished, addr, prev
	default:
		rep.Result, rep.Published = RecordFailed, prev
		if p != nil {
			rep.Permanent, rep.Attempt, rep.NextRetry, rep.Err = p.permanent, p.attempts, p.next, p.err
			if p.permanent {
				rep.NextRetry = time.Time{}
			}
		}
	}
	o.Record(rep)
}

// publishedAddr returns what the state file says the provider holds.
func (t *runTarget) publishedAddr(fam resolve.Family, domain string) netip.Addr {
	if t.State == nil {
		return netip.Addr{}
	}
	e, ok := t.State.Get(publish.StateKey(domain, fam.RecordType()))
	if !ok {
		return netip.Addr{}
	}
	a, _ := netip.ParseAddr(e.Addr)
	return a
}

func ruleString(r resolve.Rules) string {
	if r.Disabled() {
		return "false"
	}
	s := make([]string, len(r.List))
	for i, x := range r.List {
		s[i] = x.String()
	}
	return strings.Join(s, ",")
}

// reportUnresolvedTo tells the observer that a family's rules gave nothing.
func (t *Target) reportUnresolvedTo(o Observer, f Family, err error) {
	if o == nil {
		return
	}
	for _, d := range f.Domains {
		o.Record(RecordReport{Config: t.Label, Provider: t.Provider, Domain: d, Type: f.Rules.Family.RecordType(),
			Rule: ruleString(f.Rules), Result: RecordUnresolved, Err: err.Error(), At: time.Now()})
	}
}

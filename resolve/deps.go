package resolve

import (
	"slices"
)

// Deps says which changes on the machine may change the answer of a rule
// set, so that the reactor can ignore events that cannot. It errs towards
// "may": an event it does not exclude has to trigger a re-evaluation.
//
// Contract for the reactor:
//   - Address events of another family than Family never matter.
//   - If Addrs is set, an address event of Family, or a link event (up,
//     down, rename, MAC change, appearing, vanishing), on an interface
//     that WatchesInterface accepts may change the answer.
//   - If DefaultRoute is set, adding, removing or changing a default route
//     of Family may change the answer.
//   - If Poll is set, the answer can change with no local event at all
//     (HTTP services, commands): re-evaluate on a timer as well.
//   - With none of Addrs, DefaultRoute and Poll set (literal addresses
//     only, `false`, no rules) the answer never changes.
type Deps struct {
	Family Family
	// Addrs: the answer is read from interface addresses of Family.
	Addrs bool
	// Interfaces names the interfaces whose addresses matter, sorted and
	// without duplicates. Empty with Addrs set means any interface.
	Interfaces []string
	// DefaultRoute: the answer depends on the default route of Family.
	DefaultRoute bool
	// Poll: the answer must also be re-evaluated periodically.
	Poll bool
}

// WatchesInterface reports whether address or link changes on the
// interface called name may change the answer. An unknown name ("") is
// treated as any interface.
func (d Deps) WatchesInterface(name string) bool {
	if !d.Addrs {
		return false
	}
	return len(d.Interfaces) == 0 || name == "" || slices.Contains(d.Interfaces, name)
}

// pollDeps is for rules that read the world outside the interface list
// (HTTP, commands). Local changes can still change their answer (a PPPoE
// reconnect changes the public address), so every address and route event
// counts, and a timer is needed for the rest.
var pollDeps = Deps{Addrs: true, DefaultRoute: true, Poll: true}

// depender is implemented by the rules of this package.
type depender interface{ deps() Deps }

// Deps merges what the rules depend on. Every rule counts, not just the
// first, because a later rule answers whenever the earlier ones fail. A
// Rule from outside this package is assumed to depend on everything.
func (r Rules) Deps() Deps {
	d := Deps{Family: r.Family}
	if r.disabled {
		return d
	}
	anyIface := false
	var names []string
	for _, rule := range r.List {
		rd := pollDeps
		if dr, ok := rule.(depender); ok {
			rd = dr.deps()
		}
		d.DefaultRoute = d.DefaultRoute || rd.DefaultRoute
		d.Poll = d.Poll || rd.Poll
		if !rd.Addrs {
			continue
		}
		d.Addrs = true
		if len(rd.Interfaces) == 0 {
			anyIface = true
		}
		names = append(names, rd.Interfaces...)
	}
	if d.Addrs && !anyIface {
		slices.Sort(names)
		d.Interfaces = slices.Compact(names)
	}
	return d
}

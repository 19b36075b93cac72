package platform

import (
	"context"
	"net/netip"
)

// EventKind says what changed.
type EventKind int

const (
	// AddrChanged: an address was added, changed (flags, lifetimes) or
	// removed.
	AddrChanged EventKind = iota + 1
	// LinkChanged: an interface appeared, vanished, went up or down, or
	// was renamed.
	LinkChanged
	// RouteChanged: a default route was added, changed or removed.
	RouteChanged
	// Resync: events may have been lost (buffer overflow, resubscription,
	// clock jump): everything may have changed.
	Resync
)

func (k EventKind) String() string {
	switch k {
	case AddrChanged:
		return "address"
	case LinkChanged:
		return "link"
	case RouteChanged:
		return "route"
	case Resync:
		return "resync"
	}
	return "unknown"
}

// Event is a hint that the network changed. Consumers re-read the state
// they care about: an event only carries what is needed to decide whether
// it can matter. Lost, duplicated or reordered events are harmless.
type Event struct {
	Kind    EventKind
	Iface   string     // interface name; "" when unknown (any interface)
	Addr    netip.Addr // AddrChanged: the address; RouteChanged: the zero address of the family (0.0.0.0 or ::)
	Flags   AddrFlags  // AddrChanged: the address's flags as reported
	Deleted bool       // AddrChanged: the address was removed
	Reason  string     // Resync: why, for the log
}

// Source delivers network-change events. Events starts the source; the
// channel is closed after ctx is done and the source has released its
// resources. A source never blocks on a slow reader: it coalesces, and
// sends a Resync when it had to drop events.
type Source interface {
	Events(ctx context.Context) (<-chan Event, error)
}

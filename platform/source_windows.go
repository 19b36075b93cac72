//go:build windows

package platform

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/windows"
)

const (
	// winNoteBuffer is the capacity between the callbacks and the
	// forwarder. A network change notifies once per address, route and
	// interface of each family, a few dozen at most; beyond 256 queued the
	// forwarder is stuck anyway, and notes are dropped for one Resync.
	winNoteBuffer = 256
	// winEventBuffer is the capacity of the Events channel: a burst the
	// consumer has not read yet beyond this is dropped and replaced by one
	// Resync.
	winEventBuffer = 64
)

// The OS-neutral copies in winevent.go must equal x/sys's values: a
// constant index out of range fails to compile.
var (
	_ = [1]struct{}{}[winAFInet-windows.AF_INET]
	_ = [1]struct{}{}[winAFInet6-windows.AF_INET6]
	_ = [1]struct{}{}[winMibParameterNotification-windows.MibParameterNotification]
	_ = [1]struct{}{}[winMibAddInstance-windows.MibAddInstance]
	_ = [1]struct{}{}[winMibDeleteInstance-windows.MibDeleteInstance]
	_ = [1]struct{}{}[winMibInitialNotification-windows.MibInitialNotification]
	_ = [1]struct{}{}[winIpSuffixOriginRandom-windows.IpSuffixOriginRandom]
	_ = [1]struct{}{}[winIpDadStateInvalid-windows.IpDadStateInvalid]
	_ = [1]struct{}{}[winIpDadStateTentative-windows.IpDadStateTentative]
	_ = [1]struct{}{}[winIpDadStateDuplicate-windows.IpDadStateDuplicate]
	_ = [1]struct{}{}[winIpDadStateDeprecated-windows.IpDadStateDeprecated]
	_ = [1]struct{}{}[winIpDadStatePreferred-windows.IpDadStatePreferred]
)

// The callbacks are made once, here: Go can make only a limited number of
// callbacks (at least 1024) and never frees one, so making them per Events
// call would leak. Each Events call tells them apart by its notifier,
// passed as the CallerContext.
var (
	addrChangeCallback  = windows.NewCallback(onAddrChange)
	ifaceChangeCallback = windows.NewCallback(onIfaceChange)
	routeChangeCallback = windows.NewCallback(onRouteChange)
)

// NotifySource is the Windows event source: IP Helper notifications of
// unicast address, IP interface and route changes, both families.
//
// Not yet run on a real Windows machine (nothing here can run Windows
// binaries); the conversion to events is tested on every OS. Windows reports
// no failure after registration, so unlike the other sources this one
// never resubscribes and has nothing to log.
type NotifySource struct{}

// NewSource returns the event source of this operating system. It logs
// nothing: see NotifySource.
func NewSource(func(string, ...any)) Source {
	return NotifySource{}
}

// Events registers for the notifications and returns the event channel.
// The callbacks run on Windows thread-pool threads and never block: they
// copy the row and queue it without waiting, and when the queue is full
// they drop it and owe a Resync. A forwarder turns queued notes into
// events; it never blocks either, and when the output is full it drops
// events and sends a Resync as soon as there is room. The channel is
// closed after ctx is done and the notifications are cancelled.
func (NotifySource) Events(ctx context.Context) (<-chan Event, error) {
	sub, err := subscribeWin()
	if err != nil {
		return nil, err
	}
	out := make(chan Event, winEventBuffer)
	go runWin(ctx, sub, out)
	return out, nil
}

// notifier is what the callbacks see. They may run concurrently (peers
// found Windows does not serialize them as documented), so they only send
// on channels and set an atomic flag.
type notifier struct {
	notes   chan winNote
	kick    chan struct{} // wakes the forwarder after a drop; capacity 1
	dropped atomic.Bool   // a note was dropped: a Resync is owed
}

// winNote is the part of a notification row that Windows documents as
// valid (the address or prefix and the interface), copied because the row
// is only valid during the callback.
type winNote struct {
	kind      EventKind
	typ       uint32                   // MIB_NOTIFICATION_TYPE
	sa        windows.RawSockaddrInet6 // AddrChanged: the address (a sockaddr_in in the same bytes for IPv4)
	family    uint16                   // RouteChanged: the family of the destination
	prefixLen uint8                    // RouteChanged: the destination's prefix length
	index     uint32                   // the interface
	luid      uint64                   // the interface
}

// post queues note without blocking.
func (n *notifier) post(note winNote) {
	select {
	case n.notes <- note:
	default:
		n.dropped.Store(true)
		select {
		case n.kick <- struct{}{}:
		default:
		}
	}
}

// The callbacks receive MIB_NOTIFICATION_TYPE, a C enum, as a full
// register whose upper bits are not defined: it is truncated to 32 bits.
// Row is nil only for the initial notification, which is not asked for.

func onAddrChange(n *notifier, row *windows.MibUnicastIpAddressRow, typ uintptr) uintptr {
	if row != nil {
		n.post(winNote{kind: AddrChanged, typ: uint32(typ), sa: row.Address, index: row.InterfaceIndex, luid: row.InterfaceLuid})
	}
	return 0
}

func onIfaceChange(n *notifier, row *windows.MibIpInterfaceRow, typ uintptr) uintptr {
	if row != nil {
		n.post(winNote{kind: LinkChanged, typ: uint32(typ), index: row.InterfaceIndex, luid: row.InterfaceLuid})
	}
	return 0
}

func onRouteChange(n *notifier, row *windows.MibIpForwardRow2, typ uintptr) uintptr {
	if row != nil {
		p := row.DestinationPrefix
		n.post(winNote{kind: RouteChanged, typ: uint32(typ), family: p.Prefix.Family, prefixLen: p.PrefixLength, index: row.InterfaceIndex, luid: row.InterfaceLuid})
	}
	return 0
}

// winSubscription is one set of registrations and the notifier they call.
type winSubscription struct {
	n       *notifier
	pin     runtime.Pinner // n is held by Windows until the registrations are cancelled
	handles []windows.Handle
}

func subscribeWin() (*winSubscription, error) {
	sub := &winSubscription{n: &notifier{notes: make(chan winNote, winNoteBuffer), kick: make(chan struct{}, 1)}}
	sub.pin.Pin(sub.n)
	regs := []struct {
		name     string
		register func(family uint16, callback uintptr, callerContext unsafe.Pointer, initialNotification bool, handle *windows.Handle) error
		callback uintptr
	}{
		{"NotifyUnicastIpAddressChange", windows.NotifyUnicastIpAddressChange, addrChangeCallback},
		{"NotifyIpInterfaceChange", windows.NotifyIpInterfaceChange, ifaceChangeCallback},
		{"NotifyRouteChange2", windows.NotifyRouteChange2, routeChangeCallback},
	}
	for _, r := range regs {
		var h windows.Handle
		if err := r.register(windows.AF_UNSPEC, r.callback, unsafe.Pointer(sub.n), false, &h); err != nil {
			sub.close()
			return nil, fmt.Errorf("network events: %s: %w", r.name, err)
		}
		sub.handles = append(sub.handles, h)
	}
	return sub, nil
}

// close cancels the registrations and then unpins the notifier.
// CancelMibChangeNotify2 waits for a callback in progress, which is safe
// because callbacks never wait for us.
func (sub *winSubscription) close() {
	for _, h := range sub.handles {
		windows.CancelMibChangeNotify2(h)
	}
	sub.pin.Unpin()
}

func runWin(ctx context.Context, sub *winSubscription, out chan Event) {
	defer close(out)
	ob := outbox{out: out}
	names := map[uint32]string{} // interface index → name
	n := sub.n
	for {
		resyncTo, resync := ob.pending()
		select {
		case <-ctx.Done():
			sub.close()
			return
		case note := <-n.notes:
			if ev, ok := winEvent(note, names); ok {
				ob.send(ev)
			}
		case <-n.kick:
		case resyncTo <- resync:
			ob.resyncSent()
		}
		if n.dropped.Swap(false) {
			ob.owe("network notifications were dropped: the queue was full")
		}
	}
}

// winEvent converts a note to an event, reading the address's state and
// naming the interface (cached in names, which a link change clears: it
// may be a rename).
func winEvent(note winNote, names map[uint32]string) (Event, bool) {
	var ev Event
	var ok bool
	switch note.kind {
	case AddrChanged:
		ev, ok = winAddrEvent(addrChange(note))
	case LinkChanged:
		clear(names)
		ev, ok = winLinkEvent(note.typ)
	case RouteChanged:
		ev, ok = winRouteEvent(note.typ, note.family, note.prefixLen)
	}
	if !ok {
		return Event{}, false
	}
	name, known := names[note.index]
	if !known {
		if ifc, err := net.InterfaceByIndex(int(note.index)); err == nil {
			name = ifc.Name
			names[note.index] = name
		}
	}
	ev.Iface = name
	return ev, true
}

// addrChange copies an address note into plain values and, unless the
// address was deleted, reads its suffix origin and DAD state: the
// notification's row does not hold them.
func addrChange(note winNote) winAddrChange {
	c := winAddrChange{typ: note.typ, family: note.sa.Family}
	switch c.family {
	case windows.AF_INET:
		copy(c.addr[:4], (*windows.RawSockaddrInet4)(unsafe.Pointer(&note.sa)).Addr[:])
	case windows.AF_INET6:
		c.addr = note.sa.Addr
	}
	if c.typ == winMibDeleteInstance || c.typ == winMibInitialNotification {
		return c
	}
	row := windows.MibUnicastIpAddressRow{Address: note.sa, InterfaceLuid: note.luid, InterfaceIndex: note.index}
	if windows.GetUnicastIpAddressEntry(&row) == nil {
		c.stateKnown, c.suffixOrigin, c.dadState = true, row.SuffixOrigin, row.DadState
	}
	return c
}

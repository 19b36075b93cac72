package platform

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// netlinkBuffer is the receive buffer of each subscription. The default
// (about 208 KiB) overflows after a few hundred changes in a burst
// (measured: a 2000-address batch); 1 MiB holds thousands, and an overflow
// is recovered by a resync anyway.
const netlinkBuffer = 1 << 20

// resubscribeDelay spaces resubscription attempts after a subscription
// failed, so a persistent error cannot spin.
const resubscribeDelay = time.Second

// NetlinkSource is the Linux event source: rtnetlink subscriptions to
// address, link and route changes in one network namespace.
type NetlinkSource struct {
	// NS is the namespace to watch; netns.None() (the zero value is not
	// valid, use NewSource) means the process's own.
	NS netns.NsHandle
	// Logf reports subscription failures (once per failure).
	Logf func(format string, args ...any)
}

// NewSource returns the event source of this operating system.
func NewSource(logf func(string, ...any)) Source {
	return &NetlinkSource{NS: netns.None(), Logf: logf}
}

// Events subscribes and returns the event channel. The library's reader
// goroutines never block on us: they feed a pump that forwards events
// without blocking, and when the output is full it drops them and sends a
// Resync as soon as there is room. When a subscription ends (ENOBUFS on
// overflow, any receive error), it is logged, resubscribed after a delay
// and a Resync is sent: an event is never silently lost.
func (s *NetlinkSource) Events(ctx context.Context) (<-chan Event, error) {
	p := &pump{src: s, box: outbox{out: make(chan Event, 64)}, logf: s.Logf, names: map[int]string{}}
	if p.logf == nil {
		p.logf = func(string, ...any) {}
	}
	sub, err := s.subscribe()
	if err != nil {
		return nil, err
	}
	go p.run(ctx, sub)
	return p.box.out, nil
}

// subscription is one set of the three netlink subscriptions.
type subscription struct {
	done   chan struct{}
	addrs  chan netlink.AddrUpdate
	links  chan netlink.LinkUpdate
	routes chan netlink.RouteUpdate
	errs   chan error
	h      *netlink.Handle
}

func (s *NetlinkSource) subscribe() (*subscription, error) {
	sub := &subscription{
		done:   make(chan struct{}),
		addrs:  make(chan netlink.AddrUpdate, 256),
		links:  make(chan netlink.LinkUpdate, 64),
		routes: make(chan netlink.RouteUpdate, 64),
		errs:   make(chan error, 3),
	}
	var once sync.Once
	onErr := func(err error) {
		// Closing done makes every subscription report an error too:
		// only the first one is news.
		once.Do(func() { sub.errs <- err })
	}
	ns := s.NS
	fail := func(err error) (*subscription, error) {
		close(sub.done)
		sub.drain()
		return nil, err
	}
	if err := netlink.AddrSubscribeWithOptions(sub.addrs, sub.done, netlink.AddrSubscribeOptions{Namespace: &ns, ErrorCallback: onErr, ReceiveBufferSize: netlinkBuffer}); err != nil {
		return fail(err)
	}
	if err := netlink.LinkSubscribeWithOptions(sub.links, sub.done, netlink.LinkSubscribeOptions{Namespace: &ns, ErrorCallback: onErr, ReceiveBufferSize: netlinkBuffer}); err != nil {
		return fail(err)
	}
	if err := netlink.RouteSubscribeWithOptions(sub.routes, sub.done, netlink.RouteSubscribeOptions{Namespace: &ns, ErrorCallback: onErr, ReceiveBufferSize: netlinkBuffer}); err != nil {
		return fail(err)
	}
	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE)
	if err != nil {
		return fail(err)
	}
	sub.h = h
	return sub, nil
}

// close ends the subscriptions and waits for the library to close the
// channels, so no goroutine is left blocked on a send.
func (sub *subscription) close() {
	close(sub.done)
	sub.drain()
	if sub.h != nil {
		sub.h.Close()
	}
}

func (sub *subscription) drain() {
	for range sub.addrs {
	}
	for range sub.links {
	}
	for range sub.routes {
	}
}

// pump forwards events without ever blocking the readers.
type pump struct {
	src   *NetlinkSource
	box   outbox
	logf  func(string, ...any)
	names map[int]string // interface index → name
}

func (p *pump) run(ctx context.Context, sub *subscription) {
	defer close(p.box.out)
	for {
		sub = p.serve(ctx, sub)
		if sub == nil {
			return
		}
	}
}

// serve forwards events of one subscription until it fails (then it
// returns a new one) or ctx is done (then nil).
func (p *pump) serve(ctx context.Context, sub *subscription) *subscription {
	for {
		// An owed Resync is offered as a send: it goes out as soon as the
		// reader has room, without spinning while it has none.
		owed, resync := p.box.pending()
		select {
		case <-ctx.Done():
			sub.close()
			return nil
		case u, ok := <-sub.addrs:
			if ok {
				p.send(p.addrEvent(sub, u))
			}
		case u, ok := <-sub.links:
			if ok {
				p.names[int(u.Attrs().Index)] = u.Attrs().Name
				p.send(Event{Kind: LinkChanged, Iface: u.Attrs().Name})
			}
		case u, ok := <-sub.routes:
			if ok && isDefault(u.Route) {
				p.send(Event{Kind: RouteChanged, Iface: p.name(sub, u.Route.LinkIndex), Addr: zeroOf(u.Route.Family)})
			}
		case err := <-sub.errs:
			p.logf("network events: subscription failed (%v): resubscribing and re-syncing", err)
			sub.close()
			next := p.resubscribe(ctx)
			if next == nil {
				return nil
			}
			p.box.owe("the netlink subscription was renewed")
			return next
		case owed <- resync:
			p.box.resyncSent()
		}
	}
}

func (p *pump) resubscribe(ctx context.Context) *subscription {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(resubscribeDelay):
		}
		sub, err := p.src.subscribe()
		if err == nil {
			return sub
		}
		p.logf("network events: resubscribe failed: %v", err)
	}
}

func (p *pump) send(ev Event) { p.box.send(ev) }

func (p *pump) addrEvent(sub *subscription, u netlink.AddrUpdate) Event {
	ip := u.LinkAddress
	a, _ := addrOf(netlink.Addr{IPNet: &net.IPNet{IP: ip.IP, Mask: ip.Mask}, Flags: u.Flags, LinkIndex: u.LinkIndex, PreferedLft: u.PreferedLft, ValidLft: u.ValidLft})
	return Event{Kind: AddrChanged, Iface: p.name(sub, u.LinkIndex), Addr: a.Addr(), Flags: a.Flags, Deleted: !u.NewAddr}
}

// name returns the interface name of index, asking the kernel when no
// link event has told it yet.
func (p *pump) name(sub *subscription, index int) string {
	if n, ok := p.names[index]; ok {
		return n
	}
	if l, err := sub.h.LinkByIndex(index); err == nil {
		p.names[index] = l.Attrs().Name
		return l.Attrs().Name
	}
	return ""
}

func isDefault(r netlink.Route) bool {
	if r.Dst == nil {
		return true
	}
	ones, _ := r.Dst.Mask.Size()
	return ones == 0
}

func zeroOf(family int) netip.Addr {
	if family == unix.AF_INET6 {
		return netip.IPv6Unspecified()
	}
	return netip.IPv4Unspecified()
}

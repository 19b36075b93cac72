package platform

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"syscall"
	"time"

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

// Events subscribes and returns the event channel. The socket readers
// never block on us: they feed a pump that forwards events
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

// subscription is one set of the three netlink subscriptions, each on its
// own socket so that a burst of one kind cannot overflow another's buffer,
// plus a request socket to look up interface names.
type subscription struct {
	addrs  chan syscall.NetlinkMessage
	links  chan syscall.NetlinkMessage
	routes chan syscall.NetlinkMessage
	errs   chan error
	socks  []*rtnl
	req    *rtnl
}

func (s *NetlinkSource) subscribe() (*subscription, error) {
	sub := &subscription{
		addrs:  make(chan syscall.NetlinkMessage, 256),
		links:  make(chan syscall.NetlinkMessage, 64),
		routes: make(chan syscall.NetlinkMessage, 64),
		errs:   make(chan error, 1),
	}
	var once sync.Once
	onErr := func(err error) {
		// Closing the sockets makes every reader report an error too:
		// only the first one is news.
		once.Do(func() { sub.errs <- err })
	}
	for _, g := range []struct {
		groups uint32
		ch     chan syscall.NetlinkMessage
	}{
		{unix.RTMGRP_IPV4_IFADDR | unix.RTMGRP_IPV6_IFADDR, sub.addrs},
		{unix.RTMGRP_LINK, sub.links},
		{unix.RTMGRP_IPV4_ROUTE | unix.RTMGRP_IPV6_ROUTE, sub.routes},
	} {
		c, err := dialRtnl(s.NS, g.groups, netlinkBuffer)
		if err != nil {
			sub.close()
			return nil, err
		}
		c.keepBuffer()
		sub.socks = append(sub.socks, c)
		go read(c, g.ch, onErr)
	}
	req, err := dialRtnl(s.NS, 0, 0)
	if err != nil {
		sub.close()
		return nil, err
	}
	req.keepBuffer()
	sub.req = req
	return sub, nil
}

// read forwards the notifications of c to ch until c fails or is closed,
// then closes ch. Error messages (none are expected on a notification
// socket) end the subscription too.
func read(c *rtnl, ch chan<- syscall.NetlinkMessage, onErr func(error)) {
	defer close(ch)
	for {
		msgs, err := c.receive()
		if err != nil {
			onErr(fmt.Errorf("receive failed: %w", err))
			return
		}
		for _, m := range msgs {
			switch m.Header.Type {
			case unix.NLMSG_DONE:
			case unix.NLMSG_ERROR:
				if err := errnoOf(m.Data); err != nil {
					onErr(fmt.Errorf("error message: %w", err))
				}
			default:
				ch <- m
			}
		}
	}
}

// close ends the subscriptions and waits for the readers to close the
// channels, so no goroutine is left blocked on a send.
func (sub *subscription) close() {
	for _, c := range sub.socks {
		c.Close()
	}
	if sub.req != nil {
		sub.req.Close()
	}
	// Channels of sockets never opened have no reader to close them.
	for _, ch := range []chan syscall.NetlinkMessage{sub.addrs, sub.links, sub.routes}[len(sub.socks):] {
		close(ch)
	}
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
		case m, ok := <-sub.addrs:
			if ok {
				p.addrEvent(sub, &m)
			}
		case m, ok := <-sub.links:
			if l, good := parseLink(&m); ok && good {
				p.names[l.Index] = l.Name
				p.send(Event{Kind: LinkChanged, Iface: l.Name})
			}
		case m, ok := <-sub.routes:
			if family, def, oif := routeDefault(&m); ok && def {
				p.send(Event{Kind: RouteChanged, Iface: p.name(sub, oif), Addr: zeroOf(family)})
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

func (p *pump) addrEvent(sub *subscription, m *syscall.NetlinkMessage) {
	na, ok := parseAddr(m)
	if !ok {
		return
	}
	a, _ := addrOf(na)
	p.send(Event{Kind: AddrChanged, Iface: p.name(sub, na.index), Addr: a.Addr(), Flags: a.Flags, Deleted: m.Header.Type == unix.RTM_DELADDR})
}

// name returns the interface name of index, asking the kernel when no
// link event has told it yet.
func (p *pump) name(sub *subscription, index int) string {
	if n, ok := p.names[index]; ok {
		return n
	}
	if n, err := sub.req.linkByIndex(index, time.Now().Add(listTimeout)); err == nil {
		p.names[index] = n
		return n
	}
	return ""
}

func zeroOf(family int) netip.Addr {
	if family == unix.AF_INET6 {
		return netip.IPv6Unspecified()
	}
	return netip.IPv4Unspecified()
}

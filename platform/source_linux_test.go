package platform_test

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	"github.com/ddns-go/ddns/platform"
)

// TestNetlinkSourceEvents proves the rtnetlink event source on a real
// kernel: address added and removed (with flags and interface name),
// link changes, default routes (and not others), and a clean close.
func TestNetlinkSourceEvents(t *testing.T) {
	ns := newNS(t)
	h := handle(t, ns)
	ctx, cancel := context.WithCancel(context.Background())
	src := &platform.NetlinkSource{NS: ns, Logf: t.Logf}
	events, err := src.Events(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// next returns the first event that match accepts, failing after 5 s.
	next := func(what string, match func(platform.Event) bool) platform.Event {
		t.Helper()
		timeout := time.After(5 * time.Second)
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatalf("%s: channel closed", what)
				}
				if match(ev) {
					return ev
				}
			case <-timeout:
				t.Fatalf("%s: no event within 5s", what)
			}
		}
	}

	l := veth(t, h, "ev0", "ev1", net.HardwareAddr{0x02, 0, 0, 0, 0, 0x31})
	next("link ev0", func(ev platform.Event) bool { return ev.Kind == platform.LinkChanged && ev.Iface == "ev0" })

	addr(t, h, l, "192.0.2.10/24", 0, 0, 0)
	ev := next("address added", func(ev platform.Event) bool {
		return ev.Kind == platform.AddrChanged && ev.Addr == netip.MustParseAddr("192.0.2.10")
	})
	if ev.Iface != "ev0" || ev.Deleted || ev.Flags&platform.Permanent == 0 {
		t.Errorf("address added: %+v, want on ev0, not deleted, permanent", ev)
	}
	addr(t, h, l, "2001:db8::10/64", unix.IFA_F_NODAD, 600, 1200)
	ev = next("IPv6 address added", func(ev platform.Event) bool {
		return ev.Kind == platform.AddrChanged && ev.Addr == netip.MustParseAddr("2001:db8::10")
	})
	if ev.Iface != "ev0" || ev.Flags&platform.Permanent != 0 {
		t.Errorf("IPv6 address added: %+v, want on ev0 and not permanent", ev)
	}

	// A non-default route makes no event; the default route after it does.
	if err := h.RouteAdd(&netlink.Route{LinkIndex: l.Attrs().Index, Dst: &net.IPNet{IP: net.IPv4(198, 51, 100, 0), Mask: net.CIDRMask(24, 32)}, Gw: net.IPv4(192, 0, 2, 1)}); err != nil {
		t.Fatal(err)
	}
	if err := h.RouteAdd(&netlink.Route{LinkIndex: l.Attrs().Index, Gw: net.IPv4(192, 0, 2, 1)}); err != nil {
		t.Fatal(err)
	}
	ev = next("default route", func(ev platform.Event) bool { return ev.Kind == platform.RouteChanged })
	if ev.Iface != "ev0" || ev.Addr != netip.IPv4Unspecified() {
		t.Errorf("route event %+v, want ev0 and 0.0.0.0", ev)
	}

	a, err := netlink.ParseAddr("192.0.2.10/24")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.AddrDel(l, a); err != nil {
		t.Fatal(err)
	}
	ev = next("address removed", func(ev platform.Event) bool { return ev.Kind == platform.AddrChanged && ev.Deleted })
	if ev.Addr != netip.MustParseAddr("192.0.2.10") || ev.Iface != "ev0" {
		t.Errorf("address removed: %+v", ev)
	}

	cancel()
	for {
		select {
		case _, ok := <-events:
			if !ok {
				return
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the event channel was not closed after cancel")
		}
	}
}

// TestListNetnsPeer proves the point-to-point case (PPPoE links on
// routers): the local address is listed as a host prefix, not the peer.
func TestListNetnsPeer(t *testing.T) {
	ns := newNS(t)
	h := handle(t, ns)
	l := veth(t, h, "pp0", "pp1", nil)
	a, err := netlink.ParseAddr("192.0.2.7/32")
	if err != nil {
		t.Fatal(err)
	}
	a.Peer = &net.IPNet{IP: net.IPv4(198, 51, 100, 1), Mask: net.CIDRMask(32, 32)}
	if err := h.AddrAdd(l, a); err != nil {
		t.Fatal(err)
	}
	s, err := platform.ListNetns(context.Background(), ns)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := find(s, "192.0.2.7")
	if !ok || got.Prefix != netip.MustParsePrefix("192.0.2.7/32") || got.Iface != "pp0" {
		t.Fatalf("local address: %+v (found %v), want 192.0.2.7/32 on pp0", got, ok)
	}
	if _, ok := find(s, "198.51.100.1"); ok {
		t.Errorf("the peer address is listed as the machine's own: %+v", s.Addrs)
	}
	if i, ok := s.InterfaceByName("pp0"); !ok || i.Flags&net.FlagUp == 0 || i.MAC == nil {
		t.Errorf("interface pp0: %+v (found %v), want up with a MAC", i, ok)
	}
}

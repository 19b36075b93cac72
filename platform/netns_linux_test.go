package platform_test

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/ddns-go/ddns/internal/netnstest"
	"github.com/ddns-go/ddns/platform"
)

// The namespace helpers of the platform tests, here and in
// source_linux_test.go, are internal/netnstest's under short names.

func newNS(t *testing.T) netns.NsHandle { t.Helper(); return netnstest.New(t) }

func handle(t *testing.T, ns netns.NsHandle) *netlink.Handle {
	t.Helper()
	return netnstest.Handle(t, ns)
}

// veth creates the pair a/b with the given MAC on a, sets both up and
// returns a.
func veth(t *testing.T, h *netlink.Handle, a, b string, mac net.HardwareAddr) netlink.Link {
	t.Helper()
	l, _ := netnstest.Veth(t, h, a, b, mac)
	return l
}

// addr adds prefix p to l with IFA flags and lifetimes (0, 0 = forever).
func addr(t *testing.T, h *netlink.Handle, l netlink.Link, p string, flags, preferred, valid int) {
	t.Helper()
	netnstest.Addr(t, h, l, p, flags, preferred, valid)
}

func find(s platform.Snapshot, a string) (platform.Addr, bool) {
	want := netip.MustParseAddr(a)
	for _, x := range s.Addrs {
		if x.Addr() == want {
			return x, true
		}
	}
	return platform.Addr{}, false
}

// TestListNetnsFlags proves the flag and lifetime mapping on a real kernel.
func TestListNetnsFlags(t *testing.T) {
	ns := newNS(t)
	h := handle(t, ns)
	mac := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x0a}
	l := veth(t, h, "a0", "a1", mac)
	lo, err := h.LinkByName("lo")
	if err != nil || h.LinkSetUp(lo) != nil {
		t.Fatalf("lo up: %v", err)
	}
	addr(t, h, l, "192.0.2.10/24", 0, 0, 0)
	addr(t, h, l, "192.0.2.11/24", 0, 0, 0)
	addr(t, h, l, "2001:db8:1::10/64", unix.IFA_F_NODAD, 0, 0)
	addr(t, h, l, "2001:db8:1::d/64", unix.IFA_F_NODAD, 0, 3600) // preferred_lft 0: deprecated
	addr(t, h, l, "2001:db8:1::e/64", 0, 0, 0)                   // DAD runs for about a second

	s, err := platform.ListNetns(context.Background(), ns)
	if err != nil {
		t.Fatalf("ListNetns: %v", err)
	}
	ifc, ok := s.InterfaceByName("a0")
	if !ok || ifc.MAC.String() != mac.String() || ifc.Flags&net.FlagUp == 0 || ifc.Index != l.Attrs().Index {
		t.Errorf("a0 = %+v, %v; want up, index %d, MAC %v", ifc, ok, l.Attrs().Index, mac)
	}
	if lo, ok := s.InterfaceByName("lo"); !ok || lo.MAC != nil || lo.Flags&net.FlagLoopback == 0 {
		t.Errorf("lo = %+v, %v; want loopback without MAC", lo, ok)
	}
	for _, tc := range []struct {
		addr      string
		flags     platform.AddrFlags
		bits      int
		preferred bool // finite preferred lifetime expected
	}{
		{"127.0.0.1", platform.Permanent, 8, false},
		{"::1", platform.Permanent, 128, false},
		{"192.0.2.10", platform.Permanent, 24, false},
		{"192.0.2.11", platform.Permanent | platform.Secondary, 24, false},
		{"2001:db8:1::10", platform.Permanent, 64, false},
		{"2001:db8:1::d", platform.Deprecated, 64, true},
		{"2001:db8:1::e", platform.Permanent | platform.Tentative, 64, false},
	} {
		a, ok := find(s, tc.addr)
		if !ok {
			t.Errorf("%s not listed", tc.addr)
			continue
		}
		if a.Flags != tc.flags || a.Prefix.Bits() != tc.bits {
			t.Errorf("%s: flags %v /%d, want %v /%d", tc.addr, a.Flags, a.Prefix.Bits(), tc.flags, tc.bits)
		}
		if tc.preferred && (a.Preferred != 0 || a.Valid <= 0 || a.Valid > time.Hour) {
			t.Errorf("%s: lifetimes %v/%v, want 0 and at most 1h", tc.addr, a.Preferred, a.Valid)
		}
		if !tc.preferred && (a.Preferred != platform.Forever || a.Valid != platform.Forever) {
			t.Errorf("%s: lifetimes %v/%v, want Forever", tc.addr, a.Preferred, a.Valid)
		}
	}
	// Order: by interface index; IPv4 primary before secondary.
	var v4 []string
	for _, a := range s.Addrs {
		if a.Iface == "a0" && a.Addr().Is4() {
			v4 = append(v4, a.Addr().String())
		}
	}
	if len(v4) != 2 || v4[0] != "192.0.2.10" {
		t.Errorf("a0 IPv4 order %v", v4)
	}
}

// TestListNetnsTemporary lets the kernel make a privacy address and checks
// it is reported as Temporary, and its base as not.
func TestListNetnsTemporary(t *testing.T) {
	ns := newNS(t)
	h := handle(t, ns)
	l := veth(t, h, "t0", "t1", nil)
	if err := netnstest.Sysctl(t, ns, "net/ipv6/conf/t0/use_tempaddr", "2"); err != nil {
		t.Skipf("cannot enable temporary addresses: %v", err)
	}
	addr(t, h, l, "2001:db8:2::1/64", unix.IFA_F_NODAD|unix.IFA_F_MANAGETEMPADDR, 0, 0)
	base := netip.MustParsePrefix("2001:db8:2::/64")
	temp, ok := netnstest.WaitAddr(t, ns, 3*time.Second, func(a platform.Addr) bool {
		return base.Contains(a.Addr()) && a.Flags&platform.Temporary != 0
	})
	if !ok {
		t.Skip("the kernel made no temporary address from an mngtmpaddr address within 3s")
	}
	if temp.Valid == platform.Forever || temp.Preferred == platform.Forever || temp.Iface != "t0" {
		t.Errorf("temporary %+v: want finite lifetimes on t0", temp)
	}
	s, _ := platform.ListNetns(context.Background(), ns)
	if b, ok := find(s, "2001:db8:2::1"); !ok || b.Flags&platform.Temporary != 0 {
		t.Errorf("base address %+v, %v: must not be temporary", b, ok)
	}
}

// TestListNetnsDADFailed makes two ends claim one address.
func TestListNetnsDADFailed(t *testing.T) {
	ns := newNS(t)
	h := handle(t, ns)
	a := veth(t, h, "d0", "d1", nil)
	b, _ := h.LinkByName("d1")
	// d1 owns the address at once and defends it, so d0's DAD fails.
	addr(t, h, b, "2001:db8:3::1/64", unix.IFA_F_NODAD, 0, 0)
	addr(t, h, a, "2001:db8:3::1/64", 0, 0, 0)
	got, ok := netnstest.WaitAddr(t, ns, 10*time.Second, func(x platform.Addr) bool {
		return x.Iface == "d0" && x.Addr() == netip.MustParseAddr("2001:db8:3::1") && x.Flags&platform.DADFailed != 0
	})
	if !ok {
		t.Skip("DAD did not fail within 10s (is accept_dad off on this kernel?)")
	}
	t.Logf("%s: %v", got.Iface, got.Flags)
}

func TestListNetnsNone(t *testing.T) {
	ns := newNS(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := platform.ListNetns(ctx, netns.None()); err != nil {
		t.Errorf("ListNetns(None) (the current namespace): %v", err)
	}
	if _, err := platform.ListNetns(ctx, ns); err != nil {
		t.Errorf("ListNetns: %v", err)
	}
}

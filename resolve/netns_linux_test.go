package resolve_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/ddns-go/ddns/internal/netnstest"
	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/resolve"
)

// These tests prove the selection rules on a real kernel, inside fresh
// network namespaces (root, or CAP_SYS_ADMIN + CAP_NET_ADMIN; skipped
// otherwise), made with internal/netnstest as platform's tests make them.

type nsMachine struct {
	t  *testing.T
	ns netns.NsHandle
	h  *netlink.Handle
}

func newMachine(t *testing.T) *nsMachine {
	ns := netnstest.New(t)
	return &nsMachine{t: t, ns: ns, h: netnstest.Handle(t, ns)}
}

func (m *nsMachine) opts() resolve.Options {
	return resolve.Options{Lister: resolve.ListerFunc(func(ctx context.Context) (platform.Snapshot, error) {
		return platform.ListNetns(ctx, m.ns)
	})}
}

func (m *nsMachine) veth(a, b string, mac net.HardwareAddr) (netlink.Link, netlink.Link) {
	m.t.Helper()
	return netnstest.Veth(m.t, m.h, a, b, mac)
}

func (m *nsMachine) addr(l netlink.Link, p string, flags, preferred, valid int) {
	m.t.Helper()
	netnstest.Addr(m.t, m.h, l, p, flags, preferred, valid)
}

func (m *nsMachine) sysctl(path, value string) error { return netnstest.Sysctl(m.t, m.ns, path, value) }

// resolveIn evaluates one rule; inside=true runs it on a thread in the
// namespace, which only `default` (a socket) needs.
func (m *nsMachine) resolveIn(fam resolve.Family, rule string, inside bool) (netip.Addr, error) {
	m.t.Helper()
	rs := parse(m.t, fam, m.opts(), rule)
	var a netip.Addr
	var err error
	run := func() { a, err = rs.Resolve(context.Background()) }
	if inside {
		netnstest.In(m.t, m.ns, run)
	} else {
		run()
	}
	return a, err
}

func (m *nsMachine) expect(fam resolve.Family, rule string, inside bool, want string, wantErr ...string) {
	m.t.Helper()
	a, err := m.resolveIn(fam, rule, inside)
	if want != "" {
		if err != nil || a != netip.MustParseAddr(want) {
			m.t.Errorf("%v %q = %v, %v; want %s", fam, rule, a, err, want)
		}
		return
	}
	if !errors.Is(err, resolve.ErrNoAddress) {
		m.t.Errorf("%v %q = %v, %v; want no address", fam, rule, a, err)
		return
	}
	for _, w := range wantErr {
		if !strings.Contains(err.Error(), w) {
			m.t.Errorf("%v %q: error %q does not mention %q", fam, rule, err, w)
		}
	}
}

// TestNetnsSelection: IPv4, global, deprecated, ULA, temporary addresses
// and default routes on a real kernel.
func TestNetnsSelection(t *testing.T) {
	m := newMachine(t)
	s0, s1 := m.veth("s0", "s1", nil)
	t0mac := net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01}
	t0, _ := m.veth("t0", "t1", t0mac)
	if lo, err := m.h.LinkByName("lo"); err != nil || m.h.LinkSetUp(lo) != nil {
		t.Fatalf("lo up: %v", err) // so that 127.0.0.1 and ::1 exist and must be skipped
	}
	m.addr(s0, "192.0.2.10/24", 0, 0, 0)
	m.addr(s0, "192.0.2.11/24", 0, 0, 0)
	m.addr(s1, "198.51.100.1/24", 0, 0, 0)
	m.addr(s0, "2001:db8:1::10/64", unix.IFA_F_NODAD, 0, 0)
	m.addr(s0, "2001:db8:1::d/64", unix.IFA_F_NODAD, 0, 3600) // deprecated
	m.addr(s0, "fd00:1::10/64", unix.IFA_F_NODAD, 0, 0)
	m.addr(s1, "fd00:2::1/64", unix.IFA_F_NODAD, 0, 0)

	// t0: the kernel makes a temporary address next to 2001:db8:2::1.
	temp := netip.Addr{}
	err := m.sysctl("net/ipv6/conf/t0/use_tempaddr", "2")
	if err == nil {
		err = m.sysctl("net/ipv6/conf/t0/accept_dad", "0") // so the temporary is usable at once
	}
	if err != nil {
		t.Fatalf("sysctl: %v", err)
	}
	m.addr(t0, "2001:db8:2::1/64", unix.IFA_F_NODAD|unix.IFA_F_MANAGETEMPADDR, 0, 0)
	if a, ok := netnstest.WaitAddr(t, m.ns, 3*time.Second, func(a platform.Addr) bool {
		return a.Iface == "t0" && a.Flags&platform.Temporary != 0 && a.Flags&platform.Tentative == 0
	}); ok {
		temp = a.Addr()
	}

	gw4 := &netlink.Route{LinkIndex: s0.Attrs().Index, Gw: net.ParseIP("192.0.2.1")}
	gw6 := &netlink.Route{LinkIndex: t0.Attrs().Index, Gw: net.ParseIP("2001:db8:2::ff")}
	for _, r := range []*netlink.Route{gw4, gw6} {
		if err := m.h.RouteAdd(r); err != nil {
			t.Fatalf("default route via %v: %v", r.Gw, err)
		}
	}

	// N counts by interface index, skipping loopback.
	v4 := []string{"192.0.2.10", "192.0.2.11", "198.51.100.1"}
	if s1.Attrs().Index < s0.Attrs().Index {
		v4 = []string{"198.51.100.1", "192.0.2.10", "192.0.2.11"}
	}
	for i, want := range v4 {
		m.expect(resolve.V4, string(rune('0'+i)), false, want)
	}
	m.expect(resolve.V4, "3", false, "", "index 3 but only 3 usable IPv4 addresses")
	m.expect(resolve.V4, "local", false, v4[0])
	m.expect(resolve.V4, "iface:s1", false, "198.51.100.1")
	m.expect(resolve.V4, "s0", false, "192.0.2.10")
	m.expect(resolve.V4, `regex:192\.0\.2\.11`, false, "192.0.2.11")
	m.expect(resolve.V4, `regex:127\.`, false, "127.0.0.1")

	// IPv6: the stable global address wins over deprecated and ULA.
	m.expect(resolve.V6, "iface:s0", false, "2001:db8:1::10")
	m.expect(resolve.V6, "iface:s0?deprecated=true&ula=true", false, "2001:db8:1::10")
	m.expect(resolve.V6, "regex:2001:db8:1::d", false, "", "2001:db8:1::d on s0: deprecated")
	m.expect(resolve.V6, "regex:2001:db8:1::d?deprecated=true", false, "2001:db8:1::d")
	m.expect(resolve.V6, "iface:s1", false, "", "fd00:2::1 on s1: ULA")
	m.expect(resolve.V6, "iface:s1?ula=true", false, "fd00:2::1")
	m.expect(resolve.V6, "iface:t0", false, "2001:db8:2::1")
	m.expect(resolve.V6, "prefix:t0+::abcd", false, "2001:db8:2::abcd")
	m.expect(resolve.V6, "prefix:s0/48+::7:0:0:0:1", false, "2001:db8:1:7::1")
	m.expect(resolve.V6, "prefix:s0+mac:t0", false, "2001:db8:1::ff:fe00:1")
	m.expect(resolve.V4, "default", true, "192.0.2.10")

	if !temp.IsValid() {
		t.Skip("the kernel made no usable temporary address within 3s: skipping the temporary cases")
	}
	t.Logf("temporary address %v", temp)
	m.expect(resolve.V6, "iface:t0?temporary=true", false, "2001:db8:2::1") // stable still preferred
	m.expect(resolve.V6, "regex:"+temp.String(), false, "", "temporary, allow with temporary=true")
	m.expect(resolve.V6, "regex:"+temp.String()+"?temporary=true", false, temp.String())
	// The kernel prefers the temporary address as a source (use_tempaddr=2);
	// `default` must not publish it.
	m.expect(resolve.V6, "default", true, "2001:db8:2::1")
	if a, err := m.resolveIn(resolve.V6, "default?temporary=true", true); err != nil || a != temp {
		t.Logf("kernel source pick %v, %v (not the temporary address: the replacement above was not exercised)", a, err)
	}
}

// TestNetnsDAD: tentative and duplicate addresses are never published.
func TestNetnsDAD(t *testing.T) {
	m := newMachine(t)
	d0, d1 := m.veth("d0", "d1", nil)
	m.addr(d0, "2001:db8:3::2/64", 0, 0, 0) // DAD takes about a second
	m.expect(resolve.V6, "iface:d0", false, "", "2001:db8:3::2 on d0: tentative")
	// d1 owns ::1 at once and defends it, so d0's DAD for it fails.
	m.addr(d1, "2001:db8:3::1/64", unix.IFA_F_NODAD, 0, 0)
	m.addr(d0, "2001:db8:3::1/64", 0, 0, 0)
	if !netnstest.WaitFor(10*time.Second, func() bool {
		_, err := m.resolveIn(resolve.V6, "iface:d0", false)
		return err != nil && strings.Contains(err.Error(), "2001:db8:3::1 on d0: duplicate (DAD failed)")
	}) {
		t.Skip("DAD did not fail within 10s")
	}
	if !netnstest.WaitFor(10*time.Second, func() bool {
		_, err := m.resolveIn(resolve.V6, "iface:d0", false)
		return err == nil
	}) {
		t.Fatal("2001:db8:3::2 never became usable")
	}
	m.expect(resolve.V6, "iface:d0", false, "2001:db8:3::2")
	m.expect(resolve.V6, "iface:d1", false, "2001:db8:3::1") // the defender keeps it
	rs := parse(t, resolve.V6, m.opts(), "iface:d0", "0")
	if a, err := rs.Resolve(context.Background()); err != nil || a != netip.MustParseAddr("2001:db8:3::2") {
		t.Errorf("Resolve = %v, %v", a, err)
	}
}

package platform

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"testing"
)

// Routing-socket bytes captured on real systems, as published in the tests
// of golang.org/x/net/route (BSD licence): route/address_darwin_test.go
// (parseAddrsOnDarwinLittleEndianTests: macOS, sockaddrs rounded to 4
// bytes) and route/address_test.go (parseAddrsLittleEndianTests: FreeBSD
// on amd64, rounded to 8). Each is the sockaddr part of a message, in the
// order its RTA_* bitmask announces; the last darwin one is a whole
// RTM_GET message. The expected values are x/net's, in this package's
// terms: an address as inetAddr reads it (KAME's embedded scope cleared),
// a link as "link " plus the name linkName reads, a netmask as "mask zero"
// or "mask set", "len0" for a sockaddr of length 0.
type sockaddrFixture struct {
	name    string
	align   int
	afInet6 uint8
	present uint32
	b       []byte
	want    [rtaxRead]string
}

var sockaddrFixtures = []sockaddrFixture{
	{
		name: "darwin 192.168.86.0/24 via link 4", align: 4, afInet6: afInet6Darwin,
		present: rtaDst | rtaGateway | rtaNetmask,
		b: []byte{
			0x10, 0x2, 0x0, 0x0, 0xc0, 0xa8, 0x56, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

			0x14, 0x12, 0x4, 0x0, 0x6, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0,

			0x7, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		},
		want: [rtaxRead]string{rtaxDst: "192.168.86.0", 1: "link ", rtaxNetmask: "mask set"},
	},
	{
		name: "darwin 100.113.0.0/16 via utun4319", align: 4, afInet6: afInet6Darwin,
		present: rtaDst | rtaGateway | rtaNetmask,
		b: []byte{
			0x10, 0x02, 0x00, 0x00, 0x64, 0x71, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,

			0x14, 0x12, 0x21, 0x00, 0x01, 0x08, 0x00, 0x00,
			0x75, 0x74, 0x75, 0x6e, 0x34, 0x33, 0x31, 0x39,
			0x00, 0x00, 0x00, 0x00,

			0x06, 0x02, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00,
		},
		want: [rtaxRead]string{rtaxDst: "100.113.0.0", 1: "link utun4319", rtaxNetmask: "mask set"},
	},
	{
		// route -n add -inet6 fd84:1b4e:6281:: -prefixlen 48 fe80::f22f:4bff:fe09:3bff%utun4319
		name: "darwin fd84:1b4e:6281::/48 via link-local", align: 4, afInet6: afInet6Darwin,
		present: rtaDst | rtaGateway | rtaNetmask,
		b: []byte{
			0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0xfd, 0x84, 0x1b, 0x4e, 0x62, 0x81, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00,

			0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0xfe, 0x80, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00,
			0xf2, 0x2f, 0x4b, 0xff, 0xfe, 0x09, 0x3b, 0xff,
			0x00, 0x00, 0x00, 0x00,

			0x0e, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
		},
		want: [rtaxRead]string{rtaxDst: "fd84:1b4e:6281::", 1: "fe80::f22f:4bff:fe09:3bff", rtaxNetmask: "mask set"},
	},
	{
		// sudo route -n add -inet6 -ifscope en11 -net :: -netmask :: fe80::2d0:4cff:fe10:15d2
		name: "darwin IPv6 default route, netmask of 2 bytes", align: 4, afInet6: afInet6Darwin,
		present: rtaDst | rtaGateway | rtaNetmask,
		b: []byte{
			0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00,

			0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0xfe, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x02, 0xd0, 0x4c, 0xff, 0xfe, 0x10, 0x15, 0xd2,
			0x00, 0x00, 0x00, 0x00,

			0x02, 0x1e, 0x00, 0x00,
		},
		want: [rtaxRead]string{rtaxDst: "::", 1: "fe80::2d0:4cff:fe10:15d2", rtaxNetmask: "mask zero"},
	},
	{
		// golang/go#70528: the kernel writes sockaddrs of length 0, which
		// still take 4 bytes.
		name: "darwin destination of length 0", align: 4, afInet6: afInet6Darwin,
		present: rtaDst | rtaGateway | rtaNetmask,
		b: []byte{
			0x00, 0x1e, 0x00, 0x00,

			0x1c, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0xfe, 0x80, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00,
			0xf2, 0x2f, 0x4b, 0xff, 0xfe, 0x09, 0x3b, 0xff,
			0x00, 0x00, 0x00, 0x00,

			0x0e, 0x1e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
		},
		want: [rtaxRead]string{rtaxDst: "len0", 1: "fe80::f22f:4bff:fe09:3bff", rtaxNetmask: "mask set"},
	},
	{
		name: "darwin RTM_GET of the default route (golang/go#70528)", align: 4, afInet6: afInet6Darwin,
		present: rtaDst | rtaNetmask | rtaIfp,
		b:       darwinGetDefault[sizeofRtMsghdrDarwin:],
		want:    [rtaxRead]string{rtaxDst: "0.0.0.0", rtaxNetmask: "len0", rtaxIfp: "link "},
	},
	{
		name: "FreeBSD em1 172.16.220.180 with broadcast", align: 8, afInet6: afInet6FreeBSD,
		present: rtaDst | rtaGateway | rtaNetmask | rtaBrd,
		b: []byte{
			0x38, 0x12, 0x0, 0x0, 0xff, 0xff, 0xff, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

			0x38, 0x12, 0x2, 0x0, 0x6, 0x3, 0x6, 0x0,
			0x65, 0x6d, 0x31, 0x0, 0xc, 0x29, 0x66, 0x2c,
			0xdc, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

			0x10, 0x2, 0x0, 0x0, 0xac, 0x10, 0xdc, 0xb4,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

			0x10, 0x2, 0x0, 0x0, 0xac, 0x10, 0xdc, 0xff,
			0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
		},
		// The broadcast address (RTAX_BRD, slot 7) is beyond what the
		// parser walks; the netmask slot holds an address here.
		want: [rtaxRead]string{rtaxDst: "link ", 1: "link em1", rtaxNetmask: "mask set"},
	},
	{
		name: "FreeBSD vlan5682 169.254.0.1/24 (an RTM_NEWADDR body)", align: 8, afInet6: afInet6FreeBSD,
		present: rtaNetmask | rtaIfp | rtaIfa,
		b:       freebsdNewAddrBody,
		want:    [rtaxRead]string{rtaxNetmask: "mask set", rtaxIfp: "link vlan5682", rtaxIfa: "169.254.0.1"},
	},
}

// freebsdNewAddrBody is x/net's second FreeBSD fixture: a netmask of 7
// bytes padded to 8, the sockaddr_dl of vlan5682 (index 10) and the
// address.
var freebsdNewAddrBody = []byte{
	0x7, 0x0, 0x0, 0x0, 0xff, 0xff, 0xff, 0x0,

	0x18, 0x12, 0xa, 0x0, 0x87, 0x8, 0x0, 0x0,
	0x76, 0x6c, 0x61, 0x6e, 0x35, 0x36, 0x38, 0x32,
	0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,

	0x10, 0x2, 0x0, 0x0, 0xa9, 0xfe, 0x0, 0x1,
	0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0,
}

// sizeofRtMsghdrDarwin is sizeof(struct rt_msghdr) on macOS.
const sizeofRtMsghdrDarwin = 92

// darwinGetDefault is x/net's whole RTM_GET message from
// golang/go/issues/70528#issuecomment-2498692877, captured on a
// little-endian Mac: rt_msghdr (length 132, version 5, type RTM_GET, index
// 1, addrs DST|NETMASK|IFP), then 0.0.0.0, a netmask of length 0 taking 4
// bytes, and an unnamed sockaddr_dl.
var darwinGetDefault = []byte{
	0x84, 0x00, 0x05, 0x04, 0x01, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x01, 0x15, 0x00, 0x00, 0x00,
	0x1B, 0x01, 0x00, 0x00, 0xF5, 0x5A, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
	0x14, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
}

// describe renders sockaddr slot i the way sockaddrFixture.want spells it.
func describe(i int, sa []byte, afInet6 uint8) string {
	switch {
	case sa == nil:
		return ""
	case len(sa) == 0:
		return "len0"
	case i == rtaxNetmask:
		// The family of a netmask is not reliable; what matters is
		// whether any bit is set, for an IPv4 or an IPv6 destination.
		for _, c := range sa[min(len(sa), sinAddrOff):] {
			if c != 0 {
				return "mask set"
			}
		}
		return "mask zero"
	case sa[1] == afLink:
		return "link " + linkName(sa)
	}
	if a := inetAddr(sa, afInet6); a.IsValid() {
		return a.String()
	}
	return fmt.Sprintf("unknown %x", sa)
}

// TestRouteSockaddrFixtures walks captured sockaddrs: a wrong rounding
// (macOS's 4 bytes, FreeBSD's 8, a sockaddr of length 0 taking a whole
// step) misplaces every sockaddr after the first and fails here.
func TestRouteSockaddrFixtures(t *testing.T) {
	for _, fx := range sockaddrFixtures {
		t.Run(fx.name, func(t *testing.T) {
			sas, err := splitSockaddrs(fx.b, fx.present, fx.align)
			if err != nil {
				t.Fatalf("split: %v", err)
			}
			for i, sa := range sas {
				if got := describe(i, sa, fx.afInet6); got != fx.want[i] {
					t.Errorf("sockaddr %d = %q (% x), want %q", i, got, sa, fx.want[i])
				}
			}
		})
	}
}

// TestRouteMessageFixtures feeds captured bytes through parseRouteMessage
// as whole messages.
func TestRouteMessageFixtures(t *testing.T) {
	t.Run("darwin RTM_GET is ignored", func(t *testing.T) {
		skipBigEndian(t)
		ev, index, err := parseRouteMessage(darwinGetDefault, darwinLayout)
		if err != nil || ev != (Event{}) || index != 0 {
			t.Errorf("parse = %+v, index %d, %v; want nothing", ev, index, err)
		}
	})
	t.Run("darwin default route as RTM_ADD", func(t *testing.T) {
		// The same rt_msghdr as RTM_ADD sends (only the type differs).
		skipBigEndian(t)
		msg := append([]byte(nil), darwinGetDefault...)
		msg[3] = rtmAddType
		ev, index, err := parseRouteMessage(msg, darwinLayout)
		want := Event{Kind: RouteChanged, Addr: netip.IPv4Unspecified()}
		if err != nil || ev != want || index != 1 {
			t.Errorf("parse = %+v, index %d, %v; want %+v, index 1", ev, index, err, want)
		}
	})
	t.Run("FreeBSD RTM_NEWADDR of vlan5682", func(t *testing.T) {
		msg := freebsdNewAddr()
		ev, index, err := parseRouteMessage(msg, freebsdLayout)
		want := Event{Kind: AddrChanged, Iface: "vlan5682", Addr: netip.MustParseAddr("169.254.0.1")}
		if err != nil || ev != want || index != 10 {
			t.Errorf("parse = %+v, index %d, %v; want %+v, index 10", ev, index, err, want)
		}
	})
}

// freebsdNewAddr wraps freebsdNewAddrBody in FreeBSD's ifa_msghdr (in this
// machine's byte order, as the kernel would write it).
func freebsdNewAddr() []byte {
	return append(ifaMsghdrLen(rtmNewAddrType, 10, rtaNetmask|rtaIfp|rtaIfa, len(freebsdNewAddrBody)), freebsdNewAddrBody...)
}

// ifaMsghdrLen is ifaMsghdr with ifam_msglen counting body more bytes.
func ifaMsghdrLen(typ uint8, index uint16, addrs uint32, body int) []byte {
	b := ifaMsghdr(typ, index, addrs)
	put16(b, 0, uint16(len(b)+body))
	return b
}

// skipBigEndian skips a test of bytes captured on a little-endian machine,
// whose header fields read differently on a big-endian one (linux/mips
// under qemu in .ci/qemu).
func skipBigEndian(t *testing.T) {
	t.Helper()
	if !isLittleEndian() {
		t.Skip("the header was captured on a little-endian machine")
	}
}

func isLittleEndian() bool { return binary.NativeEndian.Uint16([]byte{1, 0}) == 1 }

// NetBSD 8's address messages are not among x/net's captures; this one is
// built from <net/if.h> (see addNetBSD8AddrMsgs) and parsed with the
// layout source_bsd.go uses on NetBSD: RTM_VERSION 4, sockaddrs padded to
// 8 bytes, AF_INET6 24.
func TestRouteMessageNetBSD8(t *testing.T) {
	const (
		netbsdVersion = 4
		afInet6NetBSD = 24
	)
	l := routeLayout{version: netbsdVersion, align: 8, afInet6: afInet6NetBSD, msgs: map[uint8]msgLayout{}}
	addNetBSD8AddrMsgs(l.msgs)
	for _, tc := range []struct {
		typ  uint8
		want Event
	}{
		{0x16, Event{Kind: AddrChanged, Iface: "wm0", Addr: netip.MustParseAddr("2001:db8::5")}},
		{0x17, Event{Kind: AddrChanged, Iface: "wm0", Addr: netip.MustParseAddr("2001:db8::5"), Deleted: true}},
		{0x18, Event{Kind: AddrChanged, Iface: "wm0", Addr: netip.MustParseAddr("2001:db8::5")}},
	} {
		hdr := make([]byte, 32)
		hdr[2], hdr[3] = netbsdVersion, tc.typ
		put16(hdr, 4, 3)                         // ifam_index
		put32(hdr, 8, 0x1)                       // ifam_flags
		put32(hdr, 12, rtaNetmask|rtaIfp|rtaIfa) // ifam_addrs
		put32(hdr, 16, 4242)                     // ifam_pid
		put32(hdr, 20, 0x2)                      // ifam_addrflags (IN6_IFF_TENTATIVE)
		msg := message(8, hdr, mask64, sdl(20, 3, "wm0", mac), sin6(afInet6NetBSD, "2001:db8::5"))
		ev, index, err := parseRouteMessage(msg, l)
		if err != nil || ev != tc.want || index != 3 {
			t.Errorf("type %#x: parse = %+v, index %d, %v; want %+v, index 3", tc.typ, ev, index, err, tc.want)
		}
	}
}

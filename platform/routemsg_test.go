package platform

import (
	"encoding/binary"
	"net/netip"
	"testing"
)

// The messages below are built the way the kernels write them: a header
// struct, then the sockaddrs the RTA_* bitmask announces, each padded to
// the kernel's alignment. The header builders write each field at its C
// offset, independently of the routeLayout under test; the layouts are
// written from the same headers. Sources:
//   - macOS: xnu bsd/net/route.h (rt_msghdr, rt_metrics) and bsd/net/if.h
//     (if_msghdr, ifa_msghdr; if_data is 96 bytes), sockaddrs rounded to 4
//     bytes (ROUNDUP32 in bsd/net/rtsock.c).
//   - FreeBSD 11+ on amd64: sys/net/route.h and sys/net/if.h (if_data is 152
//     bytes), sockaddrs rounded to sizeof(long) (SA_SIZE in route.h).
//   - OpenBSD on amd64: sys/net/route.h and sys/net/if.h (ifa_msghdr with
//     ifam_hdrlen).
// The sizes and offsets agree with golang.org/x/sys/unix's generated
// RtMsghdr, IfaMsghdr, IfMsghdr and IfAnnounceMsghdr for darwin/amd64,
// darwin/arm64 and freebsd/amd64, from which source_bsd.go builds the
// layout it uses (checked by cross-compiling constant assertions).

// RTA_* bits of the sockaddr bitmask (<net/route.h>, the same everywhere).
const (
	rtaDst     = 0x1
	rtaGateway = 0x2
	rtaNetmask = 0x4
	rtaIfp     = 0x10
	rtaIfa     = 0x20
	rtaBrd     = 0x80
)

// RTM_* message types used below.
const (
	rtmAddType        = 0x1
	rtmDeleteType     = 0x2
	rtmChangeType     = 0x3
	rtmMissType       = 0x7
	rtmNewAddrType    = 0xc
	rtmDelAddrType    = 0xd
	rtmIfInfoType     = 0xe
	rtmIfAnnounceBSD  = 0x11 // FreeBSD
	rtmVersion        = 5    // RTM_VERSION on macOS, FreeBSD and OpenBSD
	afInet6Darwin     = 30
	afInet6FreeBSD    = 28
	afInet6OpenBSD    = 24
	sizeofSdlDarwin   = 20 // struct sockaddr_dl with sdl_data[12]
	sizeofSdlFreeBSD  = 54 // struct sockaddr_dl with sdl_data[46]
	openbsdGrownHdr   = 32 // an ifam_hdrlen larger than the 24 bytes known today
	openbsdIfamHdrlen = 24
)

func rtmLayout(kind rtmKind, size, indexOff, addrsOff int) msgLayout {
	return msgLayout{kind: kind, size: size, indexOff: indexOff, addrsOff: addrsOff}
}

var (
	darwinRtm  = rtmLayout(rtmRoute, 92, 4, 12)
	freebsdRtm = rtmLayout(rtmRoute, 152, 4, 12)

	darwinLayout = routeLayout{version: rtmVersion, align: 4, afInet6: afInet6Darwin, msgs: map[uint8]msgLayout{
		rtmAddType:     darwinRtm,
		rtmDeleteType:  darwinRtm,
		rtmChangeType:  darwinRtm,
		rtmNewAddrType: rtmLayout(rtmNewAddr, 20, 12, 4),
		rtmDelAddrType: rtmLayout(rtmDelAddr, 20, 12, 4),
		rtmIfInfoType:  rtmLayout(rtmIfInfo, 112, 12, 4),
	}}
	freebsdLayout = routeLayout{version: rtmVersion, align: 8, afInet6: afInet6FreeBSD, msgs: map[uint8]msgLayout{
		rtmAddType:       freebsdRtm,
		rtmDeleteType:    freebsdRtm,
		rtmChangeType:    freebsdRtm,
		rtmNewAddrType:   rtmLayout(rtmNewAddr, 20, 12, 4),
		rtmDelAddrType:   rtmLayout(rtmDelAddr, 20, 12, 4),
		rtmIfInfoType:    rtmLayout(rtmIfInfo, 168, 12, 4),
		rtmIfAnnounceBSD: {kind: rtmIfAnnounce, size: 22, indexOff: 4, nameOff: 6},
	}}
	openbsdLayout = routeLayout{version: rtmVersion, align: 8, afInet6: afInet6OpenBSD, hdrLenOff: 4, msgs: map[uint8]msgLayout{
		rtmNewAddrType: rtmLayout(rtmNewAddr, openbsdIfamHdrlen, 6, 12),
		0x10:           {kind: rtmDesync},
	}}
)

func put16(b []byte, off int, v uint16) { binary.NativeEndian.PutUint16(b[off:], v) }
func put32(b []byte, off int, v uint32) { binary.NativeEndian.PutUint32(b[off:], v) }

// header returns a zeroed header struct of size bytes with version and type
// set (u_char at offsets 2 and 3 everywhere).
func header(size int, typ uint8) []byte {
	b := make([]byte, size)
	b[2], b[3] = rtmVersion, typ
	return b
}

// darwinRtMsghdr is macOS's struct rt_msghdr, 92 bytes:
//
//	 0 u_short rtm_msglen   2 u_char rtm_version   3 u_char rtm_type
//	 4 u_short rtm_index    8 int rtm_flags       12 int rtm_addrs
//	16 pid_t rtm_pid       20 int rtm_seq         24 int rtm_errno
//	28 int rtm_use         32 u_int32_t rtm_inits 36 struct rt_metrics (14 x 4)
func darwinRtMsghdr(typ uint8, index uint16, addrs uint32) []byte {
	b := header(92, typ)
	put16(b, 4, index)
	put32(b, 12, addrs)
	return b
}

// ifaMsghdr is struct ifa_msghdr of macOS and FreeBSD, 20 bytes:
//
//	0 u_short ifam_msglen  2 u_char ifam_version  3 u_char ifam_type
//	4 int ifam_addrs       8 int ifam_flags      12 u_short ifam_index
//	16 int ifam_metric     (FreeBSD names the padding at 14 _ifam_spare1)
func ifaMsghdr(typ uint8, index uint16, addrs uint32) []byte {
	b := header(20, typ)
	put32(b, 4, addrs)
	put16(b, 12, index)
	return b
}

// ifMsghdr is struct if_msghdr of macOS (112 bytes) or FreeBSD (168):
//
//	0 u_short ifm_msglen  2 u_char ifm_version  3 u_char ifm_type
//	4 int ifm_addrs       8 int ifm_flags      12 u_short ifm_index
//	16 struct if_data ifm_data (macOS 96 bytes, FreeBSD 152)
func ifMsghdr(size int, index uint16, addrs uint32) []byte {
	b := header(size, rtmIfInfoType)
	put32(b, 4, addrs)
	put16(b, 12, index)
	return b
}

// freebsdRtMsghdr is FreeBSD's struct rt_msghdr on amd64, 152 bytes:
//
//	 0 u_short rtm_msglen   2 u_char rtm_version   3 u_char rtm_type
//	 4 u_short rtm_index    6 u_short _rtm_spare1  8 int rtm_flags
//	12 int rtm_addrs       16 pid_t rtm_pid       20 int rtm_seq
//	24 int rtm_errno       28 int rtm_fmask       32 u_long rtm_inits
//	40 struct rt_metrics rtm_rmx (14 x u_long)
func freebsdRtMsghdr(typ uint8, index uint16, addrs uint32) []byte {
	b := header(152, typ)
	put16(b, 4, index)
	put32(b, 12, addrs)
	return b
}

// freebsdIfAnnounce is FreeBSD's struct if_announcemsghdr, 24 bytes:
//
//	0 u_short ifan_msglen  2 u_char ifan_version  3 u_char ifan_type
//	4 u_short ifan_index   6 char ifan_name[16]  22 u_short ifan_what
func freebsdIfAnnounce(index uint16, name string) []byte {
	b := header(24, rtmIfAnnounceBSD)
	put16(b, 4, index)
	copy(b[6:22], name)
	put16(b, 22, 1) // IFAN_DEPARTURE
	return b
}

// openbsdIfaMsghdr is OpenBSD's struct ifa_msghdr, 24 bytes, with
// ifam_hdrlen saying hdrLen; the bytes beyond 24 stand for fields a newer
// kernel added:
//
//	0 u_short ifam_msglen  2 u_char ifam_version  3 u_char ifam_type
//	4 u_short ifam_hdrlen  6 u_short ifam_index   8 u_short ifam_tableid
//	10 u_char ifam_pad1    11 u_char ifam_pad2   12 int ifam_addrs
//	16 int ifam_flags      20 int ifam_metric
func openbsdIfaMsghdr(hdrLen int, index uint16, addrs uint32) []byte {
	b := header(hdrLen, rtmNewAddrType)
	put16(b, 4, uint16(hdrLen))
	put16(b, 6, index)
	put32(b, 12, addrs)
	return b
}

// message appends the sockaddrs to hdr, each padded to a multiple of align
// (an empty one, sa_len 0, takes align bytes), and sets the message length.
func message(align int, hdr []byte, sas ...[]byte) []byte {
	b := append([]byte(nil), hdr...)
	for _, sa := range sas {
		space := align
		if len(sa) > 0 {
			space = (len(sa) + align - 1) / align * align
		}
		b = append(b, sa...)
		b = append(b, make([]byte, space-len(sa))...)
	}
	put16(b, 0, uint16(len(b)))
	return b
}

// sin is struct sockaddr_in, 16 bytes: sin_len, sin_family, sin_port,
// sin_addr at 4, sin_zero.
func sin(a string) []byte {
	b := make([]byte, 16)
	b[0], b[1] = 16, afInet
	ip := netip.MustParseAddr(a).As4()
	copy(b[4:], ip[:])
	return b
}

// sin6 is struct sockaddr_in6, 28 bytes: sin6_len, sin6_family, sin6_port,
// sin6_flowinfo, sin6_addr at 8, sin6_scope_id.
func sin6(af uint8, a string) []byte {
	b := make([]byte, 28)
	b[0], b[1] = 28, af
	ip := netip.MustParseAddr(a).As16()
	copy(b[8:], ip[:])
	return b
}

// sdl is struct sockaddr_dl: sdl_len, sdl_family, u_short sdl_index,
// sdl_type, sdl_nlen, sdl_alen, sdl_slen, then sdl_data holding the name and
// the link address; its length is sizeof the struct (size) unless the data
// needs more.
func sdl(size int, index uint16, name string, mac []byte) []byte {
	b := make([]byte, max(size, 8+len(name)+len(mac)))
	b[0], b[1] = byte(len(b)), afLink
	put16(b, 2, index)
	b[4] = 6 // IFT_ETHER
	b[5], b[6] = byte(len(name)), byte(len(mac))
	copy(b[8:], name)
	copy(b[8+len(name):], mac)
	return b
}

var mac = []byte{0x02, 0, 0x5e, 0x10, 0, 1}

// Netmasks as the kernel writes them: truncated after the last non-zero
// byte, family byte unset.
var (
	mask24      = []byte{7, 0, 0, 0, 255, 255, 255}
	mask8       = []byte{5, 0, 0, 0, 255}
	mask64      = []byte{16, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255}
	maskZero    = []byte{}                  // sa_len 0: all zero
	maskZeroIn6 = sin6(afInet6Darwin, "::") // a full sockaddr_in6 of zeros
	// mask64In6 is a /64 netmask as a full sockaddr_in6 (28 bytes, padded
	// to 32 on FreeBSD), so the sockaddrs after it test the padding.
	mask64In6 = sin6(afInet6FreeBSD, "ffff:ffff:ffff:ffff::")
)

type routeCase struct {
	name      string
	layout    routeLayout
	msg       []byte
	want      Event
	wantIndex int
}

func routeCases() []routeCase {
	addr := netip.MustParseAddr
	return []routeCase{
		{
			name:   "darwin NEWADDR IPv4",
			layout: darwinLayout,
			msg: message(4, ifaMsghdr(rtmNewAddrType, 4, rtaNetmask|rtaIfp|rtaIfa|rtaBrd),
				mask24, sdl(sizeofSdlDarwin, 4, "en0", mac), sin("192.0.2.10"), sin("192.0.2.255")),
			want:      Event{Kind: AddrChanged, Iface: "en0", Addr: addr("192.0.2.10")},
			wantIndex: 4,
		},
		{
			name:   "darwin NEWADDR IPv6 global",
			layout: darwinLayout,
			msg: message(4, ifaMsghdr(rtmNewAddrType, 4, rtaNetmask|rtaIfp|rtaIfa),
				mask64, sdl(sizeofSdlDarwin, 4, "en0", mac), sin6(afInet6Darwin, "2001:db8::10")),
			want:      Event{Kind: AddrChanged, Iface: "en0", Addr: addr("2001:db8::10")},
			wantIndex: 4,
		},
		{
			name:   "darwin NEWADDR IPv6 link-local with the scope embedded",
			layout: darwinLayout,
			msg: message(4, ifaMsghdr(rtmNewAddrType, 4, rtaNetmask|rtaIfp|rtaIfa),
				mask64, sdl(sizeofSdlDarwin, 4, "en0", mac), sin6(afInet6Darwin, "fe80:4::1")),
			want:      Event{Kind: AddrChanged, Iface: "en0", Addr: addr("fe80::1")},
			wantIndex: 4,
		},
		{
			name:   "darwin DELADDR IPv4",
			layout: darwinLayout,
			msg: message(4, ifaMsghdr(rtmDelAddrType, 4, rtaNetmask|rtaIfp|rtaIfa|rtaBrd),
				mask24, sdl(sizeofSdlDarwin, 4, "en0", mac), sin("192.0.2.10"), sin("192.0.2.255")),
			want:      Event{Kind: AddrChanged, Iface: "en0", Addr: addr("192.0.2.10"), Deleted: true},
			wantIndex: 4,
		},
		{
			name:   "darwin NEWADDR of a link-layer address is ignored",
			layout: darwinLayout,
			msg: message(4, ifaMsghdr(rtmNewAddrType, 4, rtaIfp|rtaIfa),
				sdl(sizeofSdlDarwin, 4, "en0", mac), sdl(sizeofSdlDarwin, 4, "en0", mac)),
		},
		{
			name:      "darwin IFINFO",
			layout:    darwinLayout,
			msg:       message(4, ifMsghdr(112, 4, 0)),
			want:      Event{Kind: LinkChanged},
			wantIndex: 4,
		},
		{
			name:   "darwin ADD default route IPv4",
			layout: darwinLayout,
			msg: message(4, darwinRtMsghdr(rtmAddType, 4, rtaDst|rtaGateway|rtaNetmask|rtaIfp|rtaIfa),
				sin("0.0.0.0"), sin("192.0.2.1"), maskZero, sdl(sizeofSdlDarwin, 4, "en0", mac), sin("192.0.2.10")),
			want:      Event{Kind: RouteChanged, Iface: "en0", Addr: netip.IPv4Unspecified()},
			wantIndex: 4,
		},
		{
			name:   "darwin CHANGE default route through an interface (gateway is a sockaddr_dl)",
			layout: darwinLayout,
			msg: message(4, darwinRtMsghdr(rtmChangeType, 9, rtaDst|rtaGateway|rtaNetmask),
				sin("0.0.0.0"), sdl(sizeofSdlDarwin, 9, "utun3", nil), maskZero),
			want:      Event{Kind: RouteChanged, Addr: netip.IPv4Unspecified()},
			wantIndex: 9,
		},
		{
			name:   "darwin DELETE default route IPv6",
			layout: darwinLayout,
			msg: message(4, darwinRtMsghdr(rtmDeleteType, 4, rtaDst|rtaGateway|rtaNetmask),
				sin6(afInet6Darwin, "::"), sin6(afInet6Darwin, "fe80:4::1"), maskZeroIn6),
			want:      Event{Kind: RouteChanged, Addr: netip.IPv6Unspecified()},
			wantIndex: 4,
		},
		{
			name:   "darwin ADD of a non-default route is ignored",
			layout: darwinLayout,
			msg: message(4, darwinRtMsghdr(rtmAddType, 4, rtaDst|rtaGateway|rtaNetmask),
				sin("198.51.100.0"), sin("192.0.2.1"), mask24),
		},
		{
			name:   "darwin ADD of 0.0.0.0/8 is not a default route",
			layout: darwinLayout,
			msg: message(4, darwinRtMsghdr(rtmAddType, 4, rtaDst|rtaGateway|rtaNetmask),
				sin("0.0.0.0"), sin("192.0.2.1"), mask8),
		},
		{
			name:   "darwin MISS is ignored",
			layout: darwinLayout,
			msg:    message(4, darwinRtMsghdr(rtmMissType, 0, rtaDst), sin("203.0.113.9")),
		},
		{
			name:   "FreeBSD NEWADDR IPv4 (sockaddr_dl padded from 54 to 56 bytes)",
			layout: freebsdLayout,
			msg: message(8, ifaMsghdr(rtmNewAddrType, 2, rtaNetmask|rtaIfp|rtaIfa|rtaBrd),
				sin("255.255.255.0"), sdl(sizeofSdlFreeBSD, 2, "em0", mac), sin("198.51.100.7"), sin("198.51.100.255")),
			want:      Event{Kind: AddrChanged, Iface: "em0", Addr: addr("198.51.100.7")},
			wantIndex: 2,
		},
		{
			name:   "FreeBSD NEWADDR IPv6 (sockaddr_in6 padded from 28 to 32 bytes)",
			layout: freebsdLayout,
			msg: message(8, ifaMsghdr(rtmNewAddrType, 2, rtaNetmask|rtaIfp|rtaIfa),
				mask64In6, sdl(sizeofSdlFreeBSD, 2, "em0", mac), sin6(afInet6FreeBSD, "2001:db8:1::7")),
			want:      Event{Kind: AddrChanged, Iface: "em0", Addr: addr("2001:db8:1::7")},
			wantIndex: 2,
		},
		{
			name:   "FreeBSD DELADDR IPv6",
			layout: freebsdLayout,
			msg: message(8, ifaMsghdr(rtmDelAddrType, 2, rtaNetmask|rtaIfp|rtaIfa),
				mask64In6, sdl(sizeofSdlFreeBSD, 2, "em0", mac), sin6(afInet6FreeBSD, "2001:db8:1::7")),
			want:      Event{Kind: AddrChanged, Iface: "em0", Addr: addr("2001:db8:1::7"), Deleted: true},
			wantIndex: 2,
		},
		{
			name:      "FreeBSD IFINFO",
			layout:    freebsdLayout,
			msg:       message(8, ifMsghdr(168, 2, 0)),
			want:      Event{Kind: LinkChanged},
			wantIndex: 2,
		},
		{
			name:      "FreeBSD IFANNOUNCE",
			layout:    freebsdLayout,
			msg:       message(8, freebsdIfAnnounce(3, "tun0")),
			want:      Event{Kind: LinkChanged, Iface: "tun0"},
			wantIndex: 3,
		},
		{
			name:   "FreeBSD ADD default route IPv6",
			layout: freebsdLayout,
			msg: message(8, freebsdRtMsghdr(rtmAddType, 2, rtaDst|rtaGateway|rtaNetmask),
				sin6(afInet6FreeBSD, "::"), sin6(afInet6FreeBSD, "fe80::1"), maskZero),
			want:      Event{Kind: RouteChanged, Addr: netip.IPv6Unspecified()},
			wantIndex: 2,
		},
		{
			name:   "FreeBSD DELETE of a non-default route is ignored",
			layout: freebsdLayout,
			msg: message(8, freebsdRtMsghdr(rtmDeleteType, 2, rtaDst|rtaGateway|rtaNetmask),
				sin("198.51.100.0"), sin("192.0.2.1"), sin("255.255.255.0")),
		},
		{
			name:   "FreeBSD message of a darwin-only type is ignored",
			layout: freebsdLayout,
			msg:    message(8, header(16, 0x12)),
		},
		{
			name:   "OpenBSD NEWADDR with a header grown beyond what this code knows",
			layout: openbsdLayout,
			msg: message(8, openbsdIfaMsghdr(openbsdGrownHdr, 1, rtaIfp|rtaIfa),
				sdl(sizeofSdlDarwin, 1, "em0", mac), sin("203.0.113.4")),
			want:      Event{Kind: AddrChanged, Iface: "em0", Addr: addr("203.0.113.4")},
			wantIndex: 1,
		},
		{
			name:   "OpenBSD DESYNC",
			layout: openbsdLayout,
			msg:    message(8, header(openbsdIfamHdrlen, 0x10)),
			want:   Event{Kind: Resync, Reason: "the kernel dropped routing messages (RTM_DESYNC)"},
		},
	}
}

func TestRouteMessageParse(t *testing.T) {
	for _, tc := range routeCases() {
		t.Run(tc.name, func(t *testing.T) {
			ev, index, err := parseRouteMessage(tc.msg, tc.layout)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if ev != tc.want || index != tc.wantIndex {
				t.Errorf("parse = %+v, index %d; want %+v, index %d", ev, index, tc.want, tc.wantIndex)
			}
		})
	}
}

func TestRouteMessageMalformed(t *testing.T) {
	newAddr := message(4, ifaMsghdr(rtmNewAddrType, 4, rtaIfp|rtaIfa),
		sdl(sizeofSdlDarwin, 4, "en0", mac), sin("192.0.2.10"))
	withLen := func(b []byte, n int) []byte {
		b = append([]byte(nil), b...)
		put16(b, 0, uint16(n))
		return b
	}
	tests := []struct {
		name   string
		layout routeLayout
		msg    []byte
	}{
		{"empty", darwinLayout, nil},
		{"shorter than msglen, version and type", darwinLayout, []byte{4, 0, rtmVersion}},
		{"msglen below 4", darwinLayout, []byte{2, 0, rtmVersion, rtmNewAddrType}},
		{"truncated read (msglen beyond the bytes read)", darwinLayout, newAddr[:len(newAddr)-8]},
		{"msglen shorter than the header", darwinLayout, withLen(newAddr, 16)[:16]},
		{"another RTM_VERSION", darwinLayout, func() []byte { b := append([]byte(nil), newAddr...); b[2] = 4; return b }()},
		{"announced sockaddr missing", darwinLayout, message(4, ifaMsghdr(rtmNewAddrType, 4, rtaIfp|rtaIfa), sdl(sizeofSdlDarwin, 4, "en0", mac))},
		{"sockaddr longer than the message", darwinLayout, message(4, ifaMsghdr(rtmNewAddrType, 4, rtaIfa), []byte{200, afInet, 0, 0})},
		{"IFANNOUNCE cut before the name ends", freebsdLayout, withLen(freebsdIfAnnounce(3, "tun0"), 12)[:12]},
		{"OpenBSD header length beyond the message", openbsdLayout, func() []byte {
			b := message(8, openbsdIfaMsghdr(openbsdIfamHdrlen, 1, 0))
			put16(b, 4, 200)
			return b
		}()},
		{"OpenBSD header length shorter than its fields", openbsdLayout, func() []byte {
			b := message(8, openbsdIfaMsghdr(openbsdIfamHdrlen, 1, 0))
			put16(b, 4, 8)
			return b
		}()},
		{"garbage", darwinLayout, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ev, index, err := parseRouteMessage(tc.msg, tc.layout)
			if err == nil {
				t.Errorf("parse = %+v, index %d, no error; want an error", ev, index)
			}
		})
	}
}

// FuzzParseRouteMessage checks that no input makes the parser panic or
// return an event that breaks the Event contract.
func FuzzParseRouteMessage(f *testing.F) {
	for _, tc := range routeCases() {
		f.Add(tc.msg)
	}
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, rtmVersion, rtmAddType})
	layouts := []routeLayout{darwinLayout, freebsdLayout, openbsdLayout}
	f.Fuzz(func(t *testing.T, msg []byte) {
		for _, l := range layouts {
			ev, index, err := parseRouteMessage(msg, l)
			if err != nil {
				if ev != (Event{}) || index != 0 {
					t.Fatalf("error %v with event %+v, index %d", err, ev, index)
				}
				continue
			}
			if index < 0 || index > 0xffff {
				t.Fatalf("index %d out of u_short range", index)
			}
			switch ev.Kind {
			case 0:
				if ev != (Event{}) {
					t.Fatalf("ignored message with event %+v", ev)
				}
			case AddrChanged:
				if !ev.Addr.IsValid() || ev.Addr.Zone() != "" {
					t.Fatalf("address event without a plain address: %+v", ev)
				}
			case RouteChanged:
				if !ev.Addr.IsUnspecified() {
					t.Fatalf("route event for a non-default route: %+v", ev)
				}
			case LinkChanged, Resync:
			default:
				t.Fatalf("unknown event kind: %+v", ev)
			}
		}
	})
}

package platform

// Routing-socket messages (AF_ROUTE on macOS and the BSDs), parsed here
// rather than with golang.org/x/net/route: that package only builds on the
// BSDs, and this parser must be tested on Linux. The OS file describes its
// kernel's layout in a routeLayout; everything below is OS-neutral.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
)

// Sockaddr slots of a routing message (RTAX_* in <net/route.h>). Bit i of
// the message's RTA_* bitmask says slot i is present; present sockaddrs
// follow the header in slot order. The numbering is the same on macOS and
// every BSD.
const (
	rtaxDst     = 0 // destination of a route
	rtaxNetmask = 2 // netmask of a route or an address
	rtaxIfp     = 4 // the interface, as a sockaddr_dl carrying its name
	rtaxIfa     = 5 // the interface address of RTM_NEWADDR/RTM_DELADDR
	// rtaxRead is how many slots we walk: nothing we read comes after
	// RTAX_IFA, so the rest (RTAX_AUTHOR, RTAX_BRD, OS extensions) are left
	// alone.
	rtaxRead = rtaxIfa + 1
)

// Address families whose numbers are the same on macOS and every BSD.
// AF_INET6 differs and is in routeLayout.
const (
	afInet = 2  // AF_INET
	afLink = 18 // AF_LINK: struct sockaddr_dl
)

// Offsets inside sockaddrs, identical on macOS and the BSDs (they all
// start with u_char sa_len, u_char sa_family).
const (
	sinAddrOff  = 4 // struct sockaddr_in: sin_port, then sin_addr
	sin6AddrOff = 8 // struct sockaddr_in6: sin6_port, sin6_flowinfo, then sin6_addr
	// struct sockaddr_dl: u_short sdl_index, u_char sdl_type, sdl_nlen,
	// sdl_alen, sdl_slen, then sdl_data, which starts with the name.
	sdlNlenOff = 5
	sdlDataOff = 8
)

// ifNameSize is IFNAMSIZ, the size of the name in if_announcemsghdr.
const ifNameSize = 16

// rtmKind is what a routing message type means to the event source.
type rtmKind uint8

const (
	rtmRoute      rtmKind = iota + 1 // RTM_ADD, RTM_DELETE, RTM_CHANGE: struct rt_msghdr
	rtmNewAddr                       // RTM_NEWADDR: struct ifa_msghdr
	rtmDelAddr                       // RTM_DELADDR: struct ifa_msghdr
	rtmIfInfo                        // RTM_IFINFO: struct if_msghdr
	rtmIfAnnounce                    // RTM_IFANNOUNCE: struct if_announcemsghdr (not on macOS)
	rtmDesync                        // RTM_DESYNC (OpenBSD): the kernel dropped messages
)

// msgLayout says where one header struct keeps the fields we read. All
// offsets are in bytes from the start of the message.
type msgLayout struct {
	kind rtmKind
	// size is sizeof the header struct: the sockaddrs follow it (but see
	// routeLayout.hdrLenOff).
	size int
	// indexOff is the offset of the u_short interface index.
	indexOff int
	// addrsOff is the offset of the int RTA_* bitmask; unused for
	// rtmIfAnnounce and rtmDesync, which carry no sockaddrs.
	addrsOff int
	// nameOff is the offset of char[IFNAMSIZ], the interface name; used
	// only for rtmIfAnnounce.
	nameOff int
}

// routeLayout is one kernel's routing-message format. Every message starts
// with u_short msglen, u_char version, u_char type; the rest differs
// between macOS and the BSDs, and between 32- and 64-bit kernels. The OS
// file builds this from golang.org/x/sys/unix; tests build macOS's and
// FreeBSD's by hand.
type routeLayout struct {
	// version is RTM_VERSION; a message of another version has another
	// layout and is an error.
	version uint8
	// align is the multiple each sockaddr is padded to: 4 on macOS
	// (ROUNDUP32), sizeof(long) on FreeBSD, OpenBSD and DragonFly, 8 on
	// NetBSD. A sockaddr of length 0 still takes align bytes.
	align int
	// afInet6 is AF_INET6: 30 on macOS, 28 on FreeBSD and DragonFly, 24 on
	// NetBSD and OpenBSD.
	afInet6 uint8
	// hdrLenOff, when not 0, is the offset of a u_short in every message
	// giving its header size, which then replaces msgLayout.size (OpenBSD's
	// rtm_hdrlen, there so programs survive the header growing).
	hdrLenOff int
	// msgs is by message type (RTM_*); other types are ignored.
	msgs map[uint8]msgLayout
}

// addNetBSD8AddrMsgs adds NetBSD 8's address messages to msgs: RTM_NEWADDR
// 0x16, RTM_DELADDR 0x17 and RTM_CHGADDR 0x18 (the address's flags
// changed, e.g. duplicate address detection finished), all with the
// struct ifa_msghdr NetBSD 8 grew (<net/if.h>):
//
//	0 u_short ifam_msglen (__align64)  2 u_char ifam_version  3 u_char ifam_type
//	4 u_short ifam_index   8 int ifam_flags   12 int ifam_addrs
//	16 pid_t ifam_pid     20 int ifam_addrflags  24 int ifam_metric
//
// 32 bytes with the alignment. The 0xc and 0xd that x/sys/unix still names
// RTM_NEWADDR and RTM_DELADDR are the NetBSD 7 messages, which NetBSD 8 and
// later send only when built with COMPAT_70; such a kernel sends both, and
// an address change then yields two events, which costs one re-read.
func addNetBSD8AddrMsgs(msgs map[uint8]msgLayout) {
	ifam := msgLayout{size: 32, indexOff: 4, addrsOff: 12}
	for typ, kind := range map[uint8]rtmKind{0x16: rtmNewAddr, 0x17: rtmDelAddr, 0x18: rtmNewAddr} {
		m := ifam
		m.kind = kind
		msgs[typ] = m
	}
}

var errShortRouteMsg = errors.New("routing message too short")

// parseRouteMessage reads one routing message, as one read(2) of an
// AF_ROUTE socket returns it, in the kernel's byte order.
//
// It returns the event the message stands for, or Kind 0 when the message
// cannot matter (an unknown type, a route that is not a default route, an
// address that is neither IPv4 nor IPv6), and the interface index from the
// header, from which the caller fills in Iface when the message did not name
// the interface. It returns an error, never panics, when the message is
// malformed or truncated.
//
// Routing messages carry no IPv6 address state (temporary, deprecated,
// tentative): address events have Flags 0, and consumers re-read the
// addresses anyway.
func parseRouteMessage(b []byte, l routeLayout) (Event, int, error) {
	if len(b) < 4 {
		return Event{}, 0, errShortRouteMsg
	}
	msgLen := int(binary.NativeEndian.Uint16(b))
	if msgLen < 4 || msgLen > len(b) {
		return Event{}, 0, fmt.Errorf("routing message: length %d, but %d bytes read", msgLen, len(b))
	}
	b = b[:msgLen]
	if b[2] != l.version {
		return Event{}, 0, fmt.Errorf("routing message: version %d, want %d", b[2], l.version)
	}
	m, ok := l.msgs[b[3]]
	if !ok {
		return Event{}, 0, nil
	}
	if m.kind == rtmDesync {
		return Event{Kind: Resync, Reason: "the kernel dropped routing messages (RTM_DESYNC)"}, 0, nil
	}
	hdrLen, err := headerLen(b, l, m)
	if err != nil {
		return Event{}, 0, err
	}
	index := int(binary.NativeEndian.Uint16(b[m.indexOff:]))
	if m.kind == rtmIfAnnounce {
		name := b[m.nameOff : m.nameOff+ifNameSize]
		return Event{Kind: LinkChanged, Iface: cString(name)}, index, nil
	}
	present := binary.NativeEndian.Uint32(b[m.addrsOff:])
	sas, err := splitSockaddrs(b[hdrLen:], present, l.align)
	if err != nil {
		return Event{}, 0, fmt.Errorf("routing message type %d: %w", b[3], err)
	}
	switch m.kind {
	case rtmIfInfo:
		return Event{Kind: LinkChanged, Iface: linkName(sas[rtaxIfp])}, index, nil
	case rtmNewAddr, rtmDelAddr:
		a := inetAddr(sas[rtaxIfa], l.afInet6)
		if !a.IsValid() {
			return Event{}, 0, nil // a link-layer or other non-IP address
		}
		return Event{Kind: AddrChanged, Iface: linkName(sas[rtaxIfp]), Addr: a, Deleted: m.kind == rtmDelAddr}, index, nil
	case rtmRoute:
		dst := inetAddr(sas[rtaxDst], l.afInet6)
		if !dst.IsValid() || !dst.IsUnspecified() {
			return Event{}, 0, nil
		}
		// Without a netmask the route would be a host route to 0.0.0.0 or
		// ::, which no system installs; taking it as a default route costs
		// one re-read at worst.
		if present&(1<<rtaxNetmask) != 0 && !zeroMask(sas[rtaxNetmask], dst) {
			return Event{}, 0, nil // e.g. 0.0.0.0/8
		}
		return Event{Kind: RouteChanged, Iface: linkName(sas[rtaxIfp]), Addr: dst}, index, nil
	}
	return Event{}, 0, nil
}

// headerLen returns where the sockaddrs of b start, after checking that the
// header holds every field m says it has.
func headerLen(b []byte, l routeLayout, m msgLayout) (int, error) {
	n := m.size
	if l.hdrLenOff > 0 {
		if len(b) < l.hdrLenOff+2 {
			return 0, errShortRouteMsg
		}
		n = int(binary.NativeEndian.Uint16(b[l.hdrLenOff:]))
	}
	need := m.indexOff + 2
	if m.kind == rtmIfAnnounce {
		need = max(need, m.nameOff+ifNameSize)
	} else {
		need = max(need, m.addrsOff+4)
	}
	if n < need || n > len(b) {
		return 0, fmt.Errorf("routing message type %d: header of %d bytes in a message of %d", b[3], n, len(b))
	}
	return n, nil
}

// splitSockaddrs cuts b into the sockaddrs that present (an RTA_* bitmask)
// announces, up to RTAX_IFA. Each is sa_len bytes long (sa_len may be 0:
// an all-zero sockaddr, typically a zero netmask) and padded to a multiple
// of align; the last one may lack its padding.
func splitSockaddrs(b []byte, present uint32, align int) ([rtaxRead][]byte, error) {
	var sas [rtaxRead][]byte
	for i := range rtaxRead {
		if present&(1<<i) == 0 {
			continue
		}
		if len(b) == 0 {
			return sas, fmt.Errorf("sockaddr %d missing", i)
		}
		n := int(b[0])
		if n > len(b) {
			return sas, fmt.Errorf("sockaddr %d: length %d, %d bytes left", i, n, len(b))
		}
		sas[i] = b[:n]
		step := align
		if n > 0 {
			step = (n + align - 1) / align * align
		}
		b = b[min(step, len(b)):]
	}
	return sas, nil
}

// inetAddr returns the IPv4 or IPv6 address of sockaddr sa, or the zero
// Addr when sa is shorter than a full sockaddr_in/sockaddr_in6 or of
// another family.
func inetAddr(sa []byte, afInet6 uint8) netip.Addr {
	if len(sa) < 2 {
		return netip.Addr{}
	}
	switch sa[1] {
	case afInet:
		if len(sa) < sinAddrOff+4 {
			return netip.Addr{}
		}
		return netip.AddrFrom4([4]byte(sa[sinAddrOff:]))
	case afInet6:
		if len(sa) < sin6AddrOff+16 {
			return netip.Addr{}
		}
		a := [16]byte(sa[sin6AddrOff:])
		if a[0] == 0xfe && a[1]&0xc0 == 0x80 {
			// The KAME stack (macOS, and the BSDs unless told otherwise)
			// embeds the interface index in bytes 2-3 of a link-local
			// address; in a real one they are zero.
			a[2], a[3] = 0, 0
		}
		return netip.AddrFrom16(a)
	}
	return netip.Addr{}
}

// zeroMask reports whether netmask sa, for a destination like dst, has no
// bit set. The kernel truncates netmasks after their last non-zero byte, so
// sa may be shorter than a full sockaddr (down to sa_len 0 for a zero
// mask); its family byte is not reliable.
func zeroMask(sa []byte, dst netip.Addr) bool {
	off, n := sinAddrOff, 4
	if dst.Is6() {
		off, n = sin6AddrOff, 16
	}
	for i := off; i < min(len(sa), off+n); i++ {
		if sa[i] != 0 {
			return false
		}
	}
	return true
}

// linkName returns the interface name in sockaddr_dl sa, or "" when sa is
// absent, not a sockaddr_dl or carries no name.
func linkName(sa []byte) string {
	if len(sa) < sdlDataOff || sa[1] != afLink {
		return ""
	}
	n := int(sa[sdlNlenOff])
	if sdlDataOff+n > len(sa) {
		return ""
	}
	return string(sa[sdlDataOff : sdlDataOff+n])
}

// cString returns b up to its first NUL byte.
func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

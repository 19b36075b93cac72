//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package platform

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const (
	// routeRecvBuffer is the socket's receive buffer. The historical
	// default (RAWRCVQ, 8 KiB) holds a few dozen messages, fewer than one
	// PPPoE reconnect with IPv6 produces; 256 KiB holds over a thousand. An
	// overflow is recovered by a resync anyway.
	routeRecvBuffer = 256 << 10
	// routeReopenDelay spaces attempts to reopen the socket after it
	// failed, so a persistent error cannot spin.
	routeReopenDelay = time.Second
	// routeEventBuffer is the capacity of the Events channel: a burst the
	// consumer has not read yet beyond this is dropped and replaced by one
	// Resync.
	routeEventBuffer = 64
)

// The neutral constants in routemsg.go must equal the system's: a constant
// index out of range fails to compile.
var (
	_ = [1]struct{}{}[afInet-unix.AF_INET]
	_ = [1]struct{}{}[unix.AF_INET-afInet]
	_ = [1]struct{}{}[afLink-unix.AF_LINK]
	_ = [1]struct{}{}[unix.AF_LINK-afLink]
	_ = [1]struct{}{}[rtaxDst-unix.RTAX_DST]
	_ = [1]struct{}{}[unix.RTAX_DST-rtaxDst]
	_ = [1]struct{}{}[unix.RTAX_NETMASK-rtaxNetmask]
	_ = [1]struct{}{}[rtaxNetmask-unix.RTAX_NETMASK]
	_ = [1]struct{}{}[unix.RTAX_IFP-rtaxIfp]
	_ = [1]struct{}{}[rtaxIfp-unix.RTAX_IFP]
	_ = [1]struct{}{}[unix.RTAX_IFA-rtaxIfa]
	_ = [1]struct{}{}[rtaxIfa-unix.RTAX_IFA]
)

// freebsdIfMsghdrSize is sizeof(struct if_msghdr) on FreeBSD 11 and later,
// on every machine: 16 bytes of header and a 152-byte struct if_data.
const freebsdIfMsghdrSize = 0xa8

// RouteSocketSource is the event source of macOS and the BSDs: an AF_ROUTE
// socket, which reports address, interface and route changes.
//
// Not yet run on a real BSD or Mac: the message layout comes from
// golang.org/x/sys/unix's definitions (corrected where they are stale:
// FreeBSD's if_msghdr on 32-bit ports, NetBSD 8's address messages), and
// the parser and serveRouteSocket are tested on Linux with hand-built
// messages and with sockaddrs captured on macOS and FreeBSD. IPv6 address flags are not in routing messages:
// address events have Flags 0. Overflows should be reported: by ENOBUFS on
// FreeBSD and DragonFly, which get SO_RERROR, and by RTM_DESYNC on OpenBSD;
// macOS and NetBSD are not known to report them, so consumers must resync
// periodically regardless. A 32-bit program on a 64-bit FreeBSD kernel
// gets the kernel's layout, not its own, and is not supported.
type RouteSocketSource struct {
	// Logf reports socket failures (once per failure).
	Logf func(format string, args ...any)
}

// NewSource returns the event source of this operating system.
func NewSource(logf func(string, ...any)) Source {
	return &RouteSocketSource{Logf: logf}
}

// Events opens the routing socket and returns the event channel. A reader
// goroutine reads one message per read and hands it to a forwarder that
// never blocks: when the output is full it drops events and sends a Resync
// as soon as there is room. ENOBUFS (an overflowed socket) costs a Resync;
// any other read error is logged, the socket is reopened after a delay and
// a Resync is sent. The channel is closed after ctx is done and the socket
// and the reader are gone.
func (s *RouteSocketSource) Events(ctx context.Context) (<-chan Event, error) {
	f, err := openRouteSocket()
	if err != nil {
		return nil, err
	}
	logf := s.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	out := make(chan Event, routeEventBuffer)
	go runRouteSocket(ctx, f, routeLayoutOS(), logf, out)
	return out, nil
}

func runRouteSocket(ctx context.Context, f *os.File, l routeLayout, logf func(string, ...any), out chan Event) {
	defer close(out)
	ob := outbox{out: out}
	loggedParse := false
	for {
		err := serveRouteSocket(ctx, f, l, &ob, func(err error) {
			if !loggedParse {
				logf("network events: unparsable routing message (%v): re-syncing (logged once)", err)
				loggedParse = true
			}
		})
		if ctx.Err() != nil {
			return
		}
		logf("network events: routing socket failed (%v): reopening and re-syncing", err)
		if f = reopenRouteSocket(ctx, logf); f == nil {
			return
		}
		ob.owe("the routing socket was reopened")
	}
}

// openRouteSocket opens a non-blocking routing socket wrapped in an
// *os.File, so reads wait in the runtime poller and Close unblocks them.
func openRouteSocket() (*os.File, error) {
	// macOS has no SOCK_CLOEXEC: hold ForkLock so no child inherits the
	// socket before it is marked close-on-exec.
	syscall.ForkLock.RLock()
	fd, err := unix.Socket(unix.AF_ROUTE, unix.SOCK_RAW, unix.AF_UNSPEC)
	if err == nil {
		unix.CloseOnExec(fd)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("routing socket: %w", err)
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("routing socket: %w", err)
	}
	// Both options are best effort: without them the source still works,
	// with a smaller buffer or undetected overflows.
	_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, routeRecvBuffer)
	if opt := soRerror(); opt != 0 {
		_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, opt, 1)
	}
	return os.NewFile(uintptr(fd), "route"), nil
}

func reopenRouteSocket(ctx context.Context, logf func(string, ...any)) *os.File {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(routeReopenDelay):
		}
		f, err := openRouteSocket()
		if err == nil {
			return f
		}
		logf("network events: reopening the routing socket failed: %v", err)
	}
}

// routeLayoutOS is this kernel's message layout. Sizes and offsets come
// from x/sys/unix's structs, which are generated from the system headers,
// so they follow each OS and word size.
func routeLayoutOS() routeLayout {
	var (
		rtm  unix.RtMsghdr
		ifam unix.IfaMsghdr
		ifm  unix.IfMsghdr
	)
	route := msgLayout{kind: rtmRoute, size: int(unsafe.Sizeof(rtm)), indexOff: int(unsafe.Offsetof(rtm.Index)), addrsOff: int(unsafe.Offsetof(rtm.Addrs))}
	addr := msgLayout{size: int(unsafe.Sizeof(ifam)), indexOff: int(unsafe.Offsetof(ifam.Index)), addrsOff: int(unsafe.Offsetof(ifam.Addrs))}
	newAddr, delAddr := addr, addr
	newAddr.kind, delAddr.kind = rtmNewAddr, rtmDelAddr
	l := routeLayout{
		version: unix.RTM_VERSION,
		align:   int(unsafe.Sizeof(uintptr(0))), // sizeof(long)
		afInet6: unix.AF_INET6,
		msgs: map[uint8]msgLayout{
			unix.RTM_ADD:     route,
			unix.RTM_DELETE:  route,
			unix.RTM_CHANGE:  route,
			unix.RTM_NEWADDR: newAddr,
			unix.RTM_DELADDR: delAddr,
			unix.RTM_IFINFO:  {kind: rtmIfInfo, size: int(unsafe.Sizeof(ifm)), indexOff: int(unsafe.Offsetof(ifm.Index)), addrsOff: int(unsafe.Offsetof(ifm.Addrs))},
		},
	}
	// What follows is not defined by x/sys/unix on every system this file
	// builds for (RTM_IFANNOUNCE and if_announcemsghdr are missing on
	// macOS), so it is spelled out here, from x/sys/unix's
	// zerrors_<os>_amd64.go and ztypes_<os>_amd64.go.
	switch runtime.GOOS {
	case "darwin":
		l.align = 4 // ROUNDUP32 in xnu's rtsock.c, whatever the word size
	case "netbsd":
		l.align = 8                         // NetBSD 6 and later pad to 64 bits on every machine (as x/net/route does)
		l.msgs[0x10] = announceLayout(4, 6) // RTM_IFANNOUNCE
		addNetBSD8AddrMsgs(l.msgs)
	case "freebsd":
		l.msgs[0x11] = announceLayout(4, 6) // RTM_IFANNOUNCE
		// FreeBSD 11 made struct if_data 152 bytes on every machine, so
		// if_msghdr is 0xa8 bytes everywhere; x/sys/unix still has FreeBSD
		// 10's smaller layout on 386 and arm (0x60, 0x70), which would read
		// the sockaddrs from inside if_data. layout_freebsd.go checks that
		// x/sys agrees where it is current.
		ifInfo := l.msgs[unix.RTM_IFINFO]
		ifInfo.size = freebsdIfMsghdrSize
		l.msgs[unix.RTM_IFINFO] = ifInfo
	case "dragonfly":
		l.msgs[0x11] = announceLayout(4, 6) // RTM_IFANNOUNCE
	case "openbsd":
		l.hdrLenOff = 4                     // rtm_hdrlen, ifm_hdrlen, ifam_hdrlen, ifan_hdrlen
		l.msgs[0xf] = announceLayout(6, 10) // RTM_IFANNOUNCE
		l.msgs[0x10] = msgLayout{kind: rtmDesync}
	}
	return l
}

// announceLayout is struct if_announcemsghdr with the u_short index and the
// char[IFNAMSIZ] name at the given offsets. Its size covers the fields read,
// not the u_short ifan_what that may follow the name.
func announceLayout(indexOff, nameOff int) msgLayout {
	return msgLayout{kind: rtmIfAnnounce, size: nameOff + ifNameSize, indexOff: indexOff, nameOff: nameOff}
}

// soRerror returns SO_RERROR, which makes an overflowed socket report
// ENOBUFS instead of dropping messages silently, or 0 where x/sys/unix
// does not define it.
func soRerror() int {
	switch runtime.GOOS {
	case "freebsd":
		return 0x20000
	case "dragonfly":
		return 0x2000
	}
	return 0
}

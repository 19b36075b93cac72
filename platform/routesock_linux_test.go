package platform

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// routePair returns the two ends of a Unix SOCK_SEQPACKET socketpair, which
// keeps message boundaries like a routing socket: serve reads from the
// first, the test writes captured messages to the second. Both are in the
// runtime poller, so closing the reading end unblocks its Read. (Unlike
// SOCK_DGRAM, a closed writer makes the reader see end-of-file.)
func routePair(t *testing.T) (read, write *os.File) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_SEQPACKET|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatalf("socketpair: %v", err)
	}
	read, write = os.NewFile(uintptr(fds[0]), "route-read"), os.NewFile(uintptr(fds[1]), "route-write")
	t.Cleanup(func() { write.Close() })
	return read, write
}

// serving runs serveRouteSocket on f in the background; wait returns its
// result after cancel (or after it failed by itself).
type serving struct {
	out        chan Event
	parseFails chan error
	cancel     context.CancelFunc
	done       chan error
}

func serveRoute(t *testing.T, f routeSocket, l routeLayout) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{out: make(chan Event, 64), parseFails: make(chan error, 16), cancel: cancel, done: make(chan error, 1)}
	go func() {
		ob := outbox{out: s.out}
		s.done <- serveRouteSocket(ctx, f, l, &ob, func(err error) { s.parseFails <- err })
	}()
	t.Cleanup(func() {
		cancel()
		s.wait(t)
	})
	return s
}

func (s *serving) next(t *testing.T) Event {
	t.Helper()
	select {
	case ev := <-s.out:
		return ev
	case err := <-s.done:
		s.done <- err
		t.Fatalf("serve returned %v before the event", err)
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
	}
	return Event{}
}

func (s *serving) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return within 10s")
		return nil
	}
}

// TestServeRouteSocketCaptured feeds captured FreeBSD and macOS messages
// and hand-built ones through a socketpair into serveRouteSocket: events
// in order, ignored messages dropped, an unparsable one reported once and
// turned into a Resync, an unnamed interface named from its index.
func TestServeRouteSocketCaptured(t *testing.T) {
	r, w := routePair(t)
	s := serveRoute(t, r, freebsdLayout)
	send := func(msg []byte) {
		t.Helper()
		if _, err := w.Write(msg); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	expect := func(want Event) {
		t.Helper()
		if got := s.next(t); got != want {
			t.Fatalf("event %+v, want %+v", got, want)
		}
	}

	send(freebsdNewAddr())
	expect(Event{Kind: AddrChanged, Iface: "vlan5682", Addr: netip.MustParseAddr("169.254.0.1")})

	// An RTM_MISS (ignored) and then an RTM_DELADDR of interface index 1,
	// without RTAX_IFP: the name comes from the index, and index 1 is the
	// loopback on Linux too.
	send(message(8, header(16, rtmMissType)))
	send(message(8, ifaMsghdr(rtmDelAddrType, 1, rtaIfa), sin("127.0.0.2")))
	lo := Event{Kind: AddrChanged, Iface: ifaceName(1), Addr: netip.MustParseAddr("127.0.0.2"), Deleted: true}
	expect(lo)

	// The darwin RTM_GET's 92-byte header is shorter than FreeBSD's
	// 152-byte rt_msghdr: as RTM_ADD it cannot be parsed with this layout.
	if isLittleEndian() {
		bad := append([]byte(nil), darwinGetDefault...)
		bad[3] = rtmAddType
		send(bad)
		expect(Event{Kind: Resync, Reason: "a routing message could not be parsed"})
		select {
		case err := <-s.parseFails:
			t.Logf("parse failure reported: %v", err)
		default:
			t.Error("the unparsable message was not reported")
		}
	}

	send(message(8, freebsdIfAnnounce(7, "tun0")))
	expect(Event{Kind: LinkChanged, Iface: "tun0"})

	s.cancel()
	if err := s.wait(t); !errors.Is(err, context.Canceled) {
		t.Errorf("serve returned %v, want context.Canceled", err)
	}
}

// A read error other than ENOBUFS ends serving with that error (the source
// then reopens the socket); here the writer is closed, so Read returns EOF.
func TestServeRouteSocketReadError(t *testing.T) {
	r, w := routePair(t)
	s := serveRoute(t, r, freebsdLayout)
	w.Close()
	if err := s.wait(t); !errors.Is(err, io.EOF) {
		t.Errorf("serve returned %v, want the read error (EOF)", err)
	}
}

// enobufsSocket fails its first Read with ENOBUFS, as an overflowed FreeBSD
// routing socket with SO_RERROR does, and then reads from the socketpair.
type enobufsSocket struct {
	*os.File
	failed bool
}

func (e *enobufsSocket) Read(b []byte) (int, error) {
	if !e.failed {
		e.failed = true
		return 0, syscall.ENOBUFS
	}
	return e.File.Read(b)
}

// ENOBUFS costs a Resync and serving goes on.
func TestServeRouteSocketOverflow(t *testing.T) {
	r, w := routePair(t)
	s := serveRoute(t, &enobufsSocket{File: r}, freebsdLayout)
	if got := s.next(t); got.Kind != Resync {
		t.Fatalf("event %+v, want a Resync", got)
	}
	if _, err := w.Write(freebsdNewAddr()); err != nil {
		t.Fatal(err)
	}
	if got := s.next(t); got.Kind != AddrChanged || got.Iface != "vlan5682" {
		t.Fatalf("event %+v after the overflow, want the address", got)
	}
}

// ifaceName is the name of interface index, or "" (which named leaves an
// event with) when there is none or it cannot be read: under qemu for
// big-endian mips, reading links fails (see qemutest).
func ifaceName(index int) string {
	if ifc, err := net.InterfaceByIndex(index); err == nil {
		return ifc.Name
	}
	return ""
}

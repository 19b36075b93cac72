//go:build unix

package platform

// Serving a routing socket: OS-neutral, so that on Linux a Unix seqpacket
// socketpair can stand in for the AF_ROUTE socket and feed serveRouteSocket
// captured messages (routesock_linux_test.go). Opening the real socket is
// in source_bsd.go.

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
)

const (
	// routeReadBuffer holds the largest routing message: an rt_msghdr
	// (under 200 bytes) with all its sockaddrs (at most 128 bytes each).
	// A longer message would arrive truncated, fail to parse and cost a
	// resync, not a wrong event.
	routeReadBuffer = 4096
	// routeQueue is the capacity between the socket reader and the
	// forwarder, which never blocks, so it only absorbs scheduling jitter.
	routeQueue = 16
)

// routeSocket is what serving needs of a routing socket: each Read returns
// one whole message (a routing socket never splits or merges them, and
// neither does a seqpacket socket), and Close makes a Read in progress
// return, as it does for an *os.File in the runtime poller.
type routeSocket interface {
	io.Reader
	io.Closer
}

// routeRead is one read of the socket, parsed.
type routeRead struct {
	ev       Event
	index    int
	parseErr error // the message was malformed
	err      error // the read failed
}

// serveRouteSocket forwards the events of socket f until it fails or ctx is
// done, and returns why after closing f and waiting for its reader.
func serveRouteSocket(ctx context.Context, f routeSocket, l routeLayout, ob *outbox, parseFailed func(error)) error {
	reads := make(chan routeRead, routeQueue)
	stop := make(chan struct{})
	go readRouteSocket(f, l, reads, stop)
	defer func() {
		close(stop)
		f.Close() // unblocks the reader's Read (see routeSocket)
		for range reads {
		}
	}()
	for {
		resyncTo, resync := ob.pending()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case r, ok := <-reads:
			switch {
			case !ok: // the reader stops after passing on its error; defensive
				return errors.New("routing socket reader stopped")
			case errors.Is(r.err, syscall.ENOBUFS):
				ob.owe("the routing socket overflowed (ENOBUFS)")
			case r.err != nil:
				return r.err
			case r.parseErr != nil:
				parseFailed(r.parseErr)
				ob.owe("a routing message could not be parsed")
			default:
				ob.send(named(r.ev, r.index))
			}
		case resyncTo <- resync:
			ob.resyncSent()
		}
	}
}

// readRouteSocket reads f until a read fails with anything but ENOBUFS or
// stop is closed, and then closes reads. Messages that cannot matter are
// not passed on.
func readRouteSocket(f routeSocket, l routeLayout, reads chan<- routeRead, stop <-chan struct{}) {
	defer close(reads)
	buf := make([]byte, routeReadBuffer)
	for {
		var r routeRead
		n, err := f.Read(buf)
		if err != nil {
			r.err = err
		} else {
			r.ev, r.index, r.parseErr = parseRouteMessage(buf[:n], l)
			if r.parseErr == nil && r.ev.Kind == 0 {
				continue
			}
		}
		select {
		case reads <- r:
		case <-stop:
			return
		}
		if err != nil && !errors.Is(err, syscall.ENOBUFS) {
			return
		}
	}
}

// named fills in ev's interface name from index when the message did not
// carry it. An interface that is already gone stays unnamed ("": any).
func named(ev Event, index int) Event {
	if ev.Iface != "" || index <= 0 {
		return ev
	}
	if ifc, err := net.InterfaceByIndex(index); err == nil {
		ev.Iface = ifc.Name
	}
	return ev
}

package httpclient

import (
	"context"
	"net"
	"net/netip"
	"sync"
)

// conns tracks a transport's open connections by their local address, so
// that the loss of one address closes exactly the connections it carried.
// Closing every idle connection on any network change would cost each
// publish after an unrelated change (another interface, a new address
// beside the old one) a new TCP and TLS handshake with the provider.
type conns struct {
	dial func(ctx context.Context, network, addr string) (net.Conn, error)

	mu   sync.Mutex
	open map[*conn]struct{}
}

func (cs *conns) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := cs.dial(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	tc := &conn{Conn: c, cs: cs}
	cs.mu.Lock()
	if cs.open == nil {
		cs.open = map[*conn]struct{}{}
	}
	cs.open[tc] = struct{}{}
	cs.mu.Unlock()
	return tc, nil
}

// closeFrom closes the connections whose local address is a, idle or not:
// a connection from an address the machine no longer has can only hang
// until its timeout.
func (cs *conns) closeFrom(a netip.Addr) {
	a = a.Unmap()
	cs.mu.Lock()
	var gone []*conn
	for c := range cs.open {
		if local(c) == a {
			gone = append(gone, c)
		}
	}
	cs.mu.Unlock()
	for _, c := range gone {
		c.Close()
	}
}

func local(c net.Conn) netip.Addr {
	if ta, ok := c.LocalAddr().(*net.TCPAddr); ok {
		return ta.AddrPort().Addr().Unmap()
	}
	return netip.Addr{}
}

// conn is a tracked connection; it leaves the set when closed.
type conn struct {
	net.Conn
	cs   *conns
	once sync.Once
}

func (c *conn) Close() error {
	c.once.Do(func() {
		c.cs.mu.Lock()
		delete(c.cs.open, c)
		c.cs.mu.Unlock()
	})
	return c.Conn.Close()
}

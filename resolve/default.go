package resolve

import (
	"context"
	"fmt"
	"net"
	"net/netip"

	"github.com/ddns-go/ddns/platform"
)

// Probe targets for the default route. Connecting a UDP socket sends no
// packet; it only makes the kernel pick the route and source address it
// would use to reach the internet. These are the original client's targets.
var defaultProbe = map[Family]string{
	V4: "1.1.1.1:53",
	V6: "[1:1:1:1:1:1:1:1]:8",
}

// defaultRoute is `default`: the source address the OS picks for the
// internet. For IPv6 the kernel's pick is then checked against the
// interface listing, because source address selection prefers temporary
// addresses where privacy extensions are on (RFC 6724 rule 7), and those
// must not be published unless asked: a pick the policy refuses is replaced
// by the preferred accepted address of the same interface. IPv4 has no
// temporary addresses, so it skips the listing and stays one syscall.
type defaultRoute struct {
	listing
	source func(ctx context.Context, fam Family) (netip.Addr, error)
}

func newDefault(l listing) *defaultRoute { return &defaultRoute{listing: l, source: routeSource} }

// routeSource is the UDP-connect trick.
func routeSource(ctx context.Context, fam Family) (netip.Addr, error) {
	var dialer net.Dialer
	network := "udp4"
	if fam == V6 {
		network = "udp6"
	}
	conn, err := dialer.DialContext(ctx, network, defaultProbe[fam])
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: no route to the internet: %v", ErrNoAddress, err)
	}
	defer conn.Close()
	ap, err := netip.ParseAddrPort(conn.LocalAddr().String())
	if err != nil {
		return netip.Addr{}, err
	}
	a := ap.Addr().WithZone("")
	if fam == V4 {
		a = a.Unmap()
	}
	return a, nil
}

func (d *defaultRoute) Resolve(ctx context.Context) (netip.Addr, error) {
	src, err := d.source(ctx, d.fam)
	if err != nil || d.fam == V4 {
		return src, err
	}
	s, err := d.list(ctx)
	if err != nil {
		// Without a listing the kernel's pick is the best there is.
		return src, nil
	}
	var at platform.Addr
	found := false
	for _, a := range s.Addrs {
		if a.Addr() == src {
			at, found = a, true
			break
		}
	}
	if !found || d.pol.skip(at) == "" {
		return src, nil
	}
	c := collect(s, d.fam, d.pol, func(a platform.Addr) bool { return a.Index == at.Index })
	if b, ok := c.best(); ok {
		return b.Addr(), nil
	}
	return netip.Addr{}, c.none(fmt.Sprintf("the route source %v on %s is %s, and %s has no other usable address", src, at.Iface, d.pol.skip(at), at.Iface))
}

func (d *defaultRoute) deps() Deps { return Deps{Addrs: true, DefaultRoute: true} }

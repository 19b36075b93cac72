package resolve

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"
	"time"

	"github.com/ddns-go/ddns/platform"
)

// listing is what every rule that reads interface addresses shares.
type listing struct {
	fam     Family
	raw     string // as written, for logs
	pol     policy
	lister  Lister
	timeout time.Duration
}

func (l listing) String() string { return l.raw }

func (l listing) list(ctx context.Context) (platform.Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	s, err := l.lister.List(ctx)
	if err != nil {
		return platform.Snapshot{}, fmt.Errorf("list interfaces: %w", err)
	}
	return s, nil
}

func all(platform.Addr) bool { return true }

// indexRule is `N` and `local`: the N-th (0-based) accepted address of the
// family, counting across interfaces in index order, then in the order the
// OS lists each interface's addresses.
type indexRule struct {
	listing
	n int
}

func (r *indexRule) Resolve(ctx context.Context) (netip.Addr, error) {
	s, err := r.list(ctx)
	if err != nil {
		return netip.Addr{}, err
	}
	c := collect(s, r.fam, r.pol, all)
	if r.n < len(c.ok) {
		return c.ok[r.n].Addr(), nil
	}
	return netip.Addr{}, c.none(fmt.Sprintf("index %d but only %d usable %v addresses", r.n, len(c.ok), r.fam))
}

func (r *indexRule) deps() Deps { return Deps{Addrs: true} }

// MissingInterfaceError is the answer of `iface:NAME` while NAME does not
// exist: not fatal, since a PPP, VPN or USB link may appear later. It
// wraps ErrNoAddress.
type MissingInterfaceError struct{ Name string }

func (e *MissingInterfaceError) Error() string {
	return fmt.Sprintf("%v: interface %q does not exist", ErrNoAddress, e.Name)
}

func (e *MissingInterfaceError) Unwrap() error { return ErrNoAddress }

// ifaceRule is `iface:NAME` (or a bare interface name): the preferred
// accepted address of that interface.
type ifaceRule struct {
	listing
	name string
}

func (r *ifaceRule) Resolve(ctx context.Context) (netip.Addr, error) {
	s, err := r.list(ctx)
	if err != nil {
		return netip.Addr{}, err
	}
	if _, ok := s.InterfaceByName(r.name); !ok {
		return netip.Addr{}, &MissingInterfaceError{r.name}
	}
	c := collect(s, r.fam, r.pol, func(a platform.Addr) bool { return a.Iface == r.name })
	if a, ok := c.best(); ok {
		return a.Addr(), nil
	}
	return netip.Addr{}, c.none(fmt.Sprintf("%s has no usable %v address", r.name, r.fam))
}

func (r *ifaceRule) deps() Deps { return Deps{Addrs: true, Interfaces: []string{r.name}} }

// regexRule is `regex:PATTERN`: the first accepted address, in listing
// order, whose text (lower case, compressed, no zone) PATTERN matches at
// its start.
type regexRule struct {
	listing
	re *regexp.Regexp // the user's pattern, anchored at the start
}

func (r *regexRule) Resolve(ctx context.Context) (netip.Addr, error) {
	s, err := r.list(ctx)
	if err != nil {
		return netip.Addr{}, err
	}
	c := collect(s, r.fam, r.pol, func(a platform.Addr) bool { return r.re.MatchString(a.Addr().String()) })
	if len(c.ok) > 0 {
		return c.ok[0].Addr(), nil
	}
	return netip.Addr{}, c.none(fmt.Sprintf("no usable %v address matches", r.fam))
}

func (r *regexRule) deps() Deps { return Deps{Addrs: true} }

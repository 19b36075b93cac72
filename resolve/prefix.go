package resolve

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/ddns-go/ddns/platform"
)

// prefixRule is `prefix:IFACE[/LEN]+SUFFIX`: the first LEN bits (default
// 64) of IFACE's preferred address, followed by the rest of SUFFIX. SUFFIX
// is an IPv6 address whose bits inside the prefix are zero (`::1234`), or
// `mac:MAC` / `mac:IFACE2` for the modified EUI-64 host part of a MAC
// address, written out or read from an interface.
type prefixRule struct {
	listing
	iface   string
	bits    int
	suffix  netip.Addr // host part, when given literally or as a MAC
	macFrom string     // interface whose MAC gives the host part, or ""
}

const defaultPrefixBits = 64

func newPrefix(l listing, body string) (Rule, error) {
	if l.fam != V6 {
		return nil, fmt.Errorf("rule %q: prefix: builds IPv6 addresses, it belongs in index6", l.raw)
	}
	i := strings.LastIndexByte(body, '+')
	if i < 0 {
		return nil, fmt.Errorf("rule %q: want prefix:IFACE[/LEN]+SUFFIX", l.raw)
	}
	r := &prefixRule{listing: l, bits: defaultPrefixBits}
	left, right := body[:i], body[i+1:]
	name, bits, hasBits := strings.Cut(left, "/")
	if r.iface = strings.TrimSpace(name); r.iface == "" {
		return nil, fmt.Errorf("rule %q: missing interface name", l.raw)
	}
	if hasBits {
		n, err := strconv.Atoi(bits)
		if err != nil || n < 1 || n > 127 {
			return nil, fmt.Errorf("rule %q: prefix length %q: want 1 to 127", l.raw, bits)
		}
		r.bits = n
	}
	if err := r.parseSuffix(strings.TrimSpace(right)); err != nil {
		return nil, fmt.Errorf("rule %q: %v", l.raw, err)
	}
	return r, nil
}

func (r *prefixRule) parseSuffix(s string) error {
	if m, ok := strings.CutPrefix(s, "mac:"); ok {
		if r.bits > 64 {
			return fmt.Errorf("an EUI-64 host part needs a prefix of at most 64 bits, not %d", r.bits)
		}
		hw, err := net.ParseMAC(m)
		switch {
		case err == nil:
			r.suffix, err = eui64(hw)
			return err
		case strings.Contains(m, ":"):
			// No interface name has a colon; this was meant as a MAC.
			return err
		case m == "":
			return fmt.Errorf("mac: wants a MAC address or an interface name")
		}
		r.macFrom = m
		return nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !V6.Matches(a) || a.Zone() != "" {
		return fmt.Errorf("suffix %q: want an IPv6 address such as ::1234, or mac:MAC", s)
	}
	if p, _ := a.Prefix(r.bits); p.Addr().IsValid() && !p.Addr().IsUnspecified() {
		return fmt.Errorf("suffix %v sets bits inside the /%d prefix", a, r.bits)
	}
	r.suffix = a
	return nil
}

// eui64 is the modified EUI-64 interface identifier of a MAC address (RFC
// 4291 appendix A): ff:fe in the middle of a 48-bit MAC, and the
// universal/local bit inverted.
func eui64(hw net.HardwareAddr) (netip.Addr, error) {
	var b [16]byte
	switch len(hw) {
	case 6:
		copy(b[8:11], hw[:3])
		b[11], b[12] = 0xff, 0xfe
		copy(b[13:], hw[3:])
	case 8:
		copy(b[8:], hw)
	default:
		return netip.Addr{}, fmt.Errorf("MAC address %v: want 6 or 8 bytes", hw)
	}
	b[8] ^= 0x02
	return netip.AddrFrom16(b), nil
}

func (r *prefixRule) Resolve(ctx context.Context) (netip.Addr, error) {
	s, err := r.list(ctx)
	if err != nil {
		return netip.Addr{}, err
	}
	if _, ok := s.InterfaceByName(r.iface); !ok {
		return netip.Addr{}, fmt.Errorf("%w: interface %q does not exist", ErrNoAddress, r.iface)
	}
	suffix := r.suffix
	if r.macFrom != "" {
		ifc, ok := s.InterfaceByName(r.macFrom)
		if !ok || ifc.MAC == nil {
			return netip.Addr{}, fmt.Errorf("%w: interface %q does not exist or has no MAC address", ErrNoAddress, r.macFrom)
		}
		if suffix, err = eui64(ifc.MAC); err != nil {
			return netip.Addr{}, fmt.Errorf("%w: interface %q: %v", ErrNoAddress, r.macFrom, err)
		}
	}
	c := collect(s, V6, r.pol, func(a platform.Addr) bool { return a.Iface == r.iface })
	base, ok := c.best()
	if !ok {
		return netip.Addr{}, c.none(fmt.Sprintf("%s has no usable IPv6 address to take the prefix from", r.iface))
	}
	return combine(base.Addr(), r.bits, suffix), nil
}

// combine returns the first bits of prefix followed by the remaining bits
// of suffix.
func combine(prefix netip.Addr, bits int, suffix netip.Addr) netip.Addr {
	p, s := prefix.As16(), suffix.As16()
	var out [16]byte
	for i := range out {
		keep := 0
		switch {
		case bits >= 8*(i+1):
			keep = 8
		case bits > 8*i:
			keep = bits - 8*i
		}
		mask := byte(0xff << (8 - keep))
		out[i] = p[i]&mask | s[i]&^mask
	}
	return netip.AddrFrom16(out)
}

func (r *prefixRule) deps() Deps {
	d := Deps{Addrs: true, Interfaces: []string{r.iface}}
	if r.macFrom != "" && r.macFrom != r.iface {
		d.Interfaces = append(d.Interfaces, r.macFrom)
	}
	return d
}

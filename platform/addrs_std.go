//go:build !linux && !windows

package platform

import (
	"context"
	"net"
	"net/netip"
	"slices"
)

// listStd lists through the standard library (routing-socket dumps on
// BSD and darwin). It knows names, MACs, interface flags and prefixes, but
// nothing about address state: flags6, when not nil, supplies the flags of
// each IPv6 address; everything else is FlagsUnknown with Forever
// lifetimes.
func listStd(ctx context.Context, flags6 func(ifname string, index int, p netip.Prefix) (AddrFlags, bool)) (Snapshot, error) {
	ifs, ifaces, err := stdInterfaces(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{Interfaces: ifaces}
	for _, ifc := range ifs {
		addrs, err := ifc.Addrs()
		if err != nil {
			// The interface may have vanished since net.Interfaces.
			continue
		}
		for _, na := range addrs {
			p, ok := prefixOf(na)
			if !ok {
				continue
			}
			a := Addr{Iface: ifc.Name, Index: ifc.Index, Prefix: p, Flags: FlagsUnknown, Preferred: Forever, Valid: Forever}
			if p.Addr().Is6() && flags6 != nil {
				if f, ok := flags6(ifc.Name, ifc.Index, p); ok {
					a.Flags = f
				}
			}
			s.Addrs = append(s.Addrs, a)
		}
	}
	slices.SortStableFunc(s.Addrs, func(a, b Addr) int { return a.Index - b.Index })
	return s, nil
}

func prefixOf(na net.Addr) (netip.Prefix, bool) {
	n, ok := na.(*net.IPNet)
	if !ok {
		return netip.Prefix{}, false
	}
	ip, ok := netip.AddrFromSlice(n.IP)
	if !ok {
		return netip.Prefix{}, false
	}
	ip = ip.Unmap()
	bits, total := n.Mask.Size()
	if total == 128 && ip.Is4() {
		bits -= 96
	}
	return netip.PrefixFrom(ip, bits), true
}

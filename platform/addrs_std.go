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
	if err := ctx.Err(); err != nil {
		return Snapshot{}, err
	}
	ifs, err := net.Interfaces()
	if err != nil {
		return Snapshot{}, err
	}
	var s Snapshot
	for _, ifc := range ifs {
		s.Interfaces = append(s.Interfaces, interfaceOf(ifc))
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
	slices.SortFunc(s.Interfaces, func(a, b Interface) int { return a.Index - b.Index })
	slices.SortStableFunc(s.Addrs, func(a, b Addr) int { return a.Index - b.Index })
	return s, nil
}

func interfaceOf(ifc net.Interface) Interface {
	var mac net.HardwareAddr
	if len(ifc.HardwareAddr) > 0 {
		mac = slices.Clone(ifc.HardwareAddr)
	}
	return Interface{Index: ifc.Index, Name: ifc.Name, MAC: mac, Flags: ifc.Flags}
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

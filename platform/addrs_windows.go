//go:build windows

package platform

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"unsafe"

	"golang.org/x/sys/windows"
)

// List reads the machine's interfaces (names, MACs, flags) through the
// standard library and the addresses with their state from
// GetUnicastIpAddressTable.
//
// Mapping: SuffixOrigin Random is Temporary; DadState Tentative, Duplicate
// and Deprecated are Tentative, DADFailed and Deprecated; a manual prefix
// with a manual suffix is Permanent; rows in DadState Invalid are left out.
// Secondary is never set.
//
// Not yet run on a real Windows machine. Caveat: with the Windows default
// "randomize identifiers", the stable SLAAC address may also report a
// random suffix, and then counts as Temporary too.
func List(ctx context.Context) (Snapshot, error) {
	_, ifaces, err := stdInterfaces(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	s := Snapshot{Interfaces: ifaces}
	var t *windows.MibUnicastIpAddressTable
	if err := windows.GetUnicastIpAddressTable(windows.AF_UNSPEC, &t); err != nil {
		return Snapshot{}, fmt.Errorf("GetUnicastIpAddressTable: %w", err)
	}
	defer windows.FreeMibTable(unsafe.Pointer(t))
	rows := unsafe.Slice(&t.Table[0], t.NumEntries)
	for i := range rows {
		if a, ok := addrOfRow(&rows[i]); ok {
			if ifc, ok := s.InterfaceByIndex(a.Index); ok {
				a.Iface = ifc.Name
			}
			s.Addrs = append(s.Addrs, a)
		}
	}
	slices.SortStableFunc(s.Addrs, func(a, b Addr) int { return a.Index - b.Index })
	return s, nil
}

func addrOfRow(r *windows.MibUnicastIpAddressRow) (Addr, bool) {
	var ip netip.Addr
	switch r.Address.Family {
	case windows.AF_INET:
		sa := (*windows.RawSockaddrInet4)(unsafe.Pointer(&r.Address))
		ip = netip.AddrFrom4(sa.Addr)
	case windows.AF_INET6:
		ip = netip.AddrFrom16(r.Address.Addr)
	default:
		return Addr{}, false
	}
	a := Addr{
		Index:     int(r.InterfaceIndex),
		Prefix:    netip.PrefixFrom(ip, int(r.OnLinkPrefixLength)),
		Preferred: lifetime(r.PreferredLifetime),
		Valid:     lifetime(r.ValidLifetime),
	}
	switch r.DadState {
	case windows.IpDadStateInvalid:
		return Addr{}, false
	case windows.IpDadStateTentative:
		a.Flags |= Tentative
	case windows.IpDadStateDuplicate:
		a.Flags |= DADFailed
	case windows.IpDadStateDeprecated:
		a.Flags |= Deprecated
	}
	if r.SuffixOrigin == windows.IpSuffixOriginRandom {
		a.Flags |= Temporary
	}
	if r.PrefixOrigin == windows.IpPrefixOriginManual && r.SuffixOrigin == windows.IpSuffixOriginManual {
		a.Flags |= Permanent
	}
	return a, true
}

package platform

import (
	"net/netip"
	"testing"
)

func v4(a string) [16]byte {
	var b [16]byte
	ip := netip.MustParseAddr(a).As4()
	copy(b[:], ip[:])
	return b
}

func v6(a string) [16]byte { return netip.MustParseAddr(a).As16() }

func TestWinAddrEvent(t *testing.T) {
	addr := netip.MustParseAddr
	tests := []struct {
		name   string
		change winAddrChange
		want   Event
		ok     bool
	}{
		{
			name:   "IPv4 added, preferred",
			change: winAddrChange{typ: winMibAddInstance, family: winAFInet, addr: v4("192.0.2.10"), stateKnown: true, suffixOrigin: 3, dadState: winIpDadStatePreferred},
			want:   Event{Kind: AddrChanged, Addr: addr("192.0.2.10")},
			ok:     true,
		},
		{
			name:   "IPv6 added with a random suffix is temporary",
			change: winAddrChange{typ: winMibAddInstance, family: winAFInet6, addr: v6("2001:db8::1234"), stateKnown: true, suffixOrigin: winIpSuffixOriginRandom, dadState: winIpDadStatePreferred},
			want:   Event{Kind: AddrChanged, Addr: addr("2001:db8::1234"), Flags: Temporary},
			ok:     true,
		},
		{
			name:   "IPv6 still in DAD is tentative",
			change: winAddrChange{typ: winMibAddInstance, family: winAFInet6, addr: v6("2001:db8::1"), stateKnown: true, dadState: winIpDadStateTentative},
			want:   Event{Kind: AddrChanged, Addr: addr("2001:db8::1"), Flags: Tentative},
			ok:     true,
		},
		{
			name:   "IPv6 found duplicate failed DAD",
			change: winAddrChange{typ: winMibParameterNotification, family: winAFInet6, addr: v6("2001:db8::1"), stateKnown: true, dadState: winIpDadStateDuplicate},
			want:   Event{Kind: AddrChanged, Addr: addr("2001:db8::1"), Flags: DADFailed},
			ok:     true,
		},
		{
			name:   "temporary IPv6 whose preferred lifetime ended",
			change: winAddrChange{typ: winMibParameterNotification, family: winAFInet6, addr: v6("2001:db8::1234"), stateKnown: true, suffixOrigin: winIpSuffixOriginRandom, dadState: winIpDadStateDeprecated},
			want:   Event{Kind: AddrChanged, Addr: addr("2001:db8::1234"), Flags: Temporary | Deprecated},
			ok:     true,
		},
		{
			name:   "DAD state invalid: flags unknown",
			change: winAddrChange{typ: winMibParameterNotification, family: winAFInet6, addr: v6("2001:db8::1"), stateKnown: true, dadState: winIpDadStateInvalid},
			want:   Event{Kind: AddrChanged, Addr: addr("2001:db8::1"), Flags: FlagsUnknown},
			ok:     true,
		},
		{
			name:   "state not read (the address vanished first): flags unknown",
			change: winAddrChange{typ: winMibAddInstance, family: winAFInet, addr: v4("192.0.2.10")},
			want:   Event{Kind: AddrChanged, Addr: addr("192.0.2.10"), Flags: FlagsUnknown},
			ok:     true,
		},
		{
			name:   "IPv6 deleted",
			change: winAddrChange{typ: winMibDeleteInstance, family: winAFInet6, addr: v6("2001:db8::1")},
			want:   Event{Kind: AddrChanged, Addr: addr("2001:db8::1"), Flags: FlagsUnknown, Deleted: true},
			ok:     true,
		},
		{
			name:   "initial notification is no change",
			change: winAddrChange{typ: winMibInitialNotification},
		},
		{
			name:   "unknown family",
			change: winAddrChange{typ: winMibAddInstance, family: 0, stateKnown: true, dadState: winIpDadStatePreferred},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := winAddrEvent(tc.change)
			if got != tc.want || ok != tc.ok {
				t.Errorf("winAddrEvent = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestWinRouteEvent(t *testing.T) {
	tests := []struct {
		name      string
		typ       uint32
		family    uint16
		prefixLen uint8
		want      Event
		ok        bool
	}{
		{"IPv4 default route added", winMibAddInstance, winAFInet, 0, Event{Kind: RouteChanged, Addr: netip.IPv4Unspecified()}, true},
		{"IPv6 default route deleted", winMibDeleteInstance, winAFInet6, 0, Event{Kind: RouteChanged, Addr: netip.IPv6Unspecified()}, true},
		{"IPv6 default route metric changed", winMibParameterNotification, winAFInet6, 0, Event{Kind: RouteChanged, Addr: netip.IPv6Unspecified()}, true},
		{"a /24 is not a default route", winMibAddInstance, winAFInet, 24, Event{}, false},
		{"initial notification", winMibInitialNotification, winAFInet, 0, Event{}, false},
		{"unknown family", winMibAddInstance, 0, 0, Event{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := winRouteEvent(tc.typ, tc.family, tc.prefixLen)
			if got != tc.want || ok != tc.ok {
				t.Errorf("winRouteEvent = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestWinLinkEvent(t *testing.T) {
	tests := []struct {
		name string
		typ  uint32
		want Event
		ok   bool
	}{
		{"interface added", winMibAddInstance, Event{Kind: LinkChanged}, true},
		{"interface changed", winMibParameterNotification, Event{Kind: LinkChanged}, true},
		{"interface removed", winMibDeleteInstance, Event{Kind: LinkChanged}, true},
		{"initial notification", winMibInitialNotification, Event{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := winLinkEvent(tc.typ)
			if got != tc.want || ok != tc.ok {
				t.Errorf("winLinkEvent = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

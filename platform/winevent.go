package platform

// Windows IP Helper notifications as events. The conversion works on plain
// values, not on golang.org/x/sys/windows types (that package only builds
// on Windows), so it is tested on every OS; source_windows.go copies the
// rows into these values and fails to compile if the constants below stop
// matching x/sys.

import "net/netip"

// Windows values the conversion needs, from the SDK headers named.
const (
	// ADDRESS_FAMILY (ws2def.h).
	winAFInet  = 2
	winAFInet6 = 23

	// MIB_NOTIFICATION_TYPE (netioapi.h).
	winMibParameterNotification = 0 // a property of the row changed
	winMibAddInstance           = 1
	winMibDeleteInstance        = 2
	winMibInitialNotification   = 3 // registration done; no row, no change

	// NL_SUFFIX_ORIGIN (nldef.h): a random suffix is a privacy
	// (temporary, RFC 8981) address.
	winIpSuffixOriginRandom = 5

	// NL_DAD_STATE (nldef.h).
	winIpDadStateInvalid    = 0
	winIpDadStateTentative  = 1
	winIpDadStateDuplicate  = 2
	winIpDadStateDeprecated = 3
	winIpDadStatePreferred  = 4
)

// winAddrChange is one NotifyUnicastIpAddressChange notification.
type winAddrChange struct {
	typ    uint32   // MIB_NOTIFICATION_TYPE
	family uint16   // ADDRESS_FAMILY of the address
	addr   [16]byte // the address; an IPv4 one in the first 4 bytes
	// stateKnown says suffixOrigin and dadState were read from the
	// address's full row (GetUnicastIpAddressEntry). The notification's
	// own row holds only the address and the interface: Windows documents
	// the rest as incomplete.
	stateKnown   bool
	suffixOrigin uint32 // NL_SUFFIX_ORIGIN
	dadState     uint32 // NL_DAD_STATE
}

// winAddrEvent converts an address notification to an AddrChanged event
// without Iface (the caller names the interface from its index). It returns
// false for notifications that report no change: the initial notification,
// and addresses of a family other than IPv4 and IPv6.
//
// Flags: Temporary for a random suffix; Tentative, DADFailed and Deprecated
// from the DAD state. When the state is unknown (a deleted address, or one
// that vanished before its row could be read) or the DAD state is Invalid,
// Flags is FlagsUnknown, so that no filter drops the event on a guess.
func winAddrEvent(c winAddrChange) (Event, bool) {
	if c.typ == winMibInitialNotification {
		return Event{}, false
	}
	var a netip.Addr
	switch c.family {
	case winAFInet:
		a = netip.AddrFrom4([4]byte(c.addr[:4]))
	case winAFInet6:
		a = netip.AddrFrom16(c.addr)
	default:
		return Event{}, false
	}
	return Event{Kind: AddrChanged, Addr: a, Flags: winAddrFlags(c), Deleted: c.typ == winMibDeleteInstance}, true
}

func winAddrFlags(c winAddrChange) AddrFlags {
	if !c.stateKnown {
		return FlagsUnknown
	}
	var f AddrFlags
	if c.suffixOrigin == winIpSuffixOriginRandom {
		f |= Temporary
	}
	switch c.dadState {
	case winIpDadStatePreferred:
	case winIpDadStateTentative:
		f |= Tentative
	case winIpDadStateDuplicate:
		f |= DADFailed
	case winIpDadStateDeprecated:
		f |= Deprecated
	default: // Invalid, or a state newer than this code
		f = FlagsUnknown
	}
	return f
}

// winRouteEvent converts a NotifyRouteChange2 notification about a route
// to a prefix of prefixLen bits to a RouteChanged event without Iface. It
// returns false unless the route is a default route (0.0.0.0/0 or ::/0) and
// the notification reports a change.
func winRouteEvent(typ uint32, family uint16, prefixLen uint8) (Event, bool) {
	if typ == winMibInitialNotification || prefixLen != 0 {
		return Event{}, false
	}
	switch family {
	case winAFInet:
		return Event{Kind: RouteChanged, Addr: netip.IPv4Unspecified()}, true
	case winAFInet6:
		return Event{Kind: RouteChanged, Addr: netip.IPv6Unspecified()}, true
	}
	return Event{}, false
}

// winLinkEvent converts a NotifyIpInterfaceChange notification to a
// LinkChanged event without Iface; false for the initial notification.
func winLinkEvent(typ uint32) (Event, bool) {
	if typ == winMibInitialNotification {
		return Event{}, false
	}
	return Event{Kind: LinkChanged}, true
}

// Package platform is what the operating system gives the agent: the
// machine's interfaces and addresses, read directly from the OS (never by
// parsing `ip` or `ifconfig` output), and the events that say they changed.
//
// Per-OS code lives in files named by build constraint (addrs_linux.go,
// addrs_bsd.go, addrs_windows.go, addrs_other.go); the types here are
// OS-neutral, so everything above this package is tested on any OS.
package platform

import (
	"math"
	"net"
	"net/netip"
	"strings"
	"time"
)

// AddrFlags describe the state of one address as far as the OS reports it.
// Which flags an OS can report is listed in the per-OS notes of List.
type AddrFlags uint32

const (
	// Temporary marks an IPv6 privacy-extension address (RFC 8981). It is
	// replaced about daily, so publishing it in DNS is rarely wanted.
	Temporary AddrFlags = 1 << iota
	// Deprecated marks an address whose preferred lifetime is over: still
	// valid for existing connections, no longer chosen for new ones.
	Deprecated
	// Tentative marks an address whose duplicate address detection (DAD)
	// is still running; the OS does not use it yet.
	Tentative
	// DADFailed marks an address that DAD found in use by another host; it
	// will never become usable.
	DADFailed
	// Permanent marks an address configured by hand rather than by SLAAC,
	// DHCP or the kernel.
	Permanent
	// Secondary marks an IPv4 address that is not the first address of its
	// subnet on the interface (Linux only).
	Secondary
	// FlagsUnknown says the OS listing gave no per-address state for this
	// address: the other flags are all clear and the lifetimes are Forever,
	// which is a guess, not a fact.
	FlagsUnknown
)

var flagNames = []struct {
	f    AddrFlags
	name string
}{
	{Temporary, "temporary"},
	{Deprecated, "deprecated"},
	{Tentative, "tentative"},
	{DADFailed, "dadfailed"},
	{Permanent, "permanent"},
	{Secondary, "secondary"},
	{FlagsUnknown, "flags-unknown"},
}

// String lists the set flags separated by "|", or "none".
func (f AddrFlags) String() string {
	var parts []string
	for _, n := range flagNames {
		if f&n.f != 0 {
			parts = append(parts, n.name)
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "|")
}

// Forever is the lifetime of an address that does not expire.
const Forever = time.Duration(math.MaxInt64)

// Addr is one address configured on an interface.
type Addr struct {
	Iface  string       // interface name; empty if the interface vanished while listing
	Index  int          // interface index
	Prefix netip.Prefix // the address (never with a zone) and its on-link prefix length
	Flags  AddrFlags
	// Preferred and Valid are the remaining lifetimes, Forever when infinite
	// or when the OS does not say.
	Preferred, Valid time.Duration
}

// Addr returns the address itself.
func (a Addr) Addr() netip.Addr { return a.Prefix.Addr() }

// Interface is one network interface.
type Interface struct {
	Index int
	Name  string
	// MAC is the hardware address, nil when the link has none (loopback,
	// PPP, tunnels). Rules derive EUI-64 host parts from it.
	MAC   net.HardwareAddr
	Flags net.Flags // net.FlagUp is the administrative state
}

// Snapshot is the machine's interfaces and addresses at one moment.
type Snapshot struct {
	// Interfaces is ordered by index.
	Interfaces []Interface
	// Addrs is ordered by interface index; the addresses of one interface
	// keep the order the OS reports them in (on Linux: IPv4 before IPv6,
	// IPv4 primary before secondary, newest IPv6 first).
	Addrs []Addr
}

// InterfaceByName returns the interface called name.
func (s Snapshot) InterfaceByName(name string) (Interface, bool) {
	for _, i := range s.Interfaces {
		if i.Name == name {
			return i, true
		}
	}
	return Interface{}, false
}

// InterfaceByIndex returns the interface with index idx.
func (s Snapshot) InterfaceByIndex(idx int) (Interface, bool) {
	for _, i := range s.Interfaces {
		if i.Index == idx {
			return i, true
		}
	}
	return Interface{}, false
}

// lifetime converts an OS lifetime in seconds, where all ones means
// infinite, to a duration. The comparison is on uint32 because 32-bit
// builds of some libraries hand the infinite value over as -1.
func lifetime(secs uint32) time.Duration {
	if secs == math.MaxUint32 {
		return Forever
	}
	return time.Duration(secs) * time.Second
}

package platform

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// listTimeout bounds a netlink dump when ctx has no deadline: the kernel
// answers in microseconds, so seconds mean something is badly wrong.
const listTimeout = 5 * time.Second

// dumpAttempts is how often a dump interrupted by a concurrent change is
// retried before giving up. Interruptions need a change during the dump
// itself, so a second attempt almost always succeeds.
const dumpAttempts = 4

// List reads the machine's interfaces and addresses from the kernel over
// rtnetlink. It works unprivileged and reports every AddrFlags value except
// FlagsUnknown, plus real lifetimes.
func List(ctx context.Context) (Snapshot, error) {
	return listAt(ctx, netns.None())
}

// ListNetns is List inside network namespace ns. Neither the process nor
// the calling goroutine's thread is moved into ns: the netlink socket is
// opened there and used from here.
func ListNetns(ctx context.Context, ns netns.NsHandle) (Snapshot, error) {
	return listAt(ctx, ns)
}

func listAt(ctx context.Context, ns netns.NsHandle) (Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return Snapshot{}, err
	}
	// Name the family: without it the library also opens XFRM and
	// NETFILTER sockets, which kernels built without them (OpenWrt) and
	// qemu-user refuse.
	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE)
	if err != nil {
		return Snapshot{}, fmt.Errorf("netlink: %w", err)
	}
	defer h.Close()
	timeout := listTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(dl), time.Millisecond)
	}
	if err := h.SetSocketTimeout(timeout); err != nil {
		return Snapshot{}, fmt.Errorf("netlink: %w", err)
	}
	links, err := retryDump(h.LinkList)
	if err != nil {
		return Snapshot{}, fmt.Errorf("netlink: list links: %w", err)
	}
	addrs, err := retryDump(func() ([]netlink.Addr, error) { return h.AddrList(nil, netlink.FAMILY_ALL) })
	if err != nil {
		return Snapshot{}, fmt.Errorf("netlink: list addresses: %w", err)
	}
	return snapshotOf(links, addrs), nil
}

// retryDump repeats a dump that a concurrent change interrupted, because
// its result may then be incomplete.
func retryDump[T any](dump func() ([]T, error)) ([]T, error) {
	var err error
	for range dumpAttempts {
		var res []T
		res, err = dump()
		if !errors.Is(err, netlink.ErrDumpInterrupted) {
			return res, err
		}
	}
	return nil, err
}

func snapshotOf(links []netlink.Link, addrs []netlink.Addr) Snapshot {
	var s Snapshot
	names := make(map[int]string, len(links))
	for _, l := range links {
		a := l.Attrs()
		names[a.Index] = a.Name
		var mac net.HardwareAddr
		if len(a.HardwareAddr) > 0 && !isZero(a.HardwareAddr) {
			mac = slices.Clone(a.HardwareAddr)
		}
		s.Interfaces = append(s.Interfaces, Interface{Index: a.Index, Name: a.Name, MAC: mac, Flags: a.Flags})
	}
	slices.SortFunc(s.Interfaces, func(a, b Interface) int { return a.Index - b.Index })
	for _, na := range addrs {
		if a, ok := addrOf(na); ok {
			a.Iface = names[a.Index]
			s.Addrs = append(s.Addrs, a)
		}
	}
	// Stable: within one interface the kernel's order is kept.
	slices.SortStableFunc(s.Addrs, func(a, b Addr) int { return a.Index - b.Index })
	return s
}

func addrOf(na netlink.Addr) (Addr, bool) {
	if na.IPNet == nil {
		return Addr{}, false
	}
	ip, ok := netip.AddrFromSlice(na.IP)
	if !ok {
		return Addr{}, false
	}
	ip = ip.Unmap()
	bits, _ := na.Mask.Size()
	a := Addr{
		Index:     na.LinkIndex,
		Prefix:    netip.PrefixFrom(ip, bits),
		Preferred: lifetime(uint32(na.PreferedLft)),
		Valid:     lifetime(uint32(na.ValidLft)),
	}
	f := na.Flags
	// IFA_F_TEMPORARY and IFA_F_SECONDARY are the same bit (0x01); which
	// one it means depends on the family.
	if f&unix.IFA_F_SECONDARY != 0 {
		if ip.Is4() {
			a.Flags |= Secondary
		} else {
			a.Flags |= Temporary
		}
	}
	for _, m := range []struct {
		nl   int
		flag AddrFlags
	}{
		{unix.IFA_F_DEPRECATED, Deprecated},
		{unix.IFA_F_TENTATIVE, Tentative},
		{unix.IFA_F_DADFAILED, DADFailed},
		{unix.IFA_F_PERMANENT, Permanent},
	} {
		if f&m.nl != 0 {
			a.Flags |= m.flag
		}
	}
	return a, true
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

package platform

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"syscall"
	"time"

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
	c, err := dialRtnl(ns, 0, 0)
	if err != nil {
		return Snapshot{}, err
	}
	defer c.Close()
	return c.list(ctx)
}

// Lister is List with a netlink socket and its receive buffer kept
// between listings: each listing (each round of a local rule) then costs
// about 40 % of a List, which opens a socket and sizes each read with a
// peek (BenchmarkList, BenchmarkLister). The zero
// value is ready; it is safe for concurrent use (listings take turns).
// Close it when done.
type Lister struct {
	mu sync.Mutex
	c  *rtnl
}

// List is List on the kept socket. After a failure the socket is closed
// and the next listing opens a new one. Answers to a listing that failed
// (say, at its deadline) may still arrive: they carry its sequence
// number and are skipped.
func (l *Lister) List(ctx context.Context) (Snapshot, error) {
	if err := ctx.Err(); err != nil {
		return Snapshot{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c == nil {
		c, err := dialRtnl(netns.None(), 0, 0)
		if err != nil {
			return Snapshot{}, err
		}
		c.keepBuffer()
		l.c = c
	}
	s, err := l.c.list(ctx)
	if err != nil {
		l.c.Close()
		l.c = nil
	}
	return s, err
}

// Close closes the kept socket.
func (l *Lister) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.c == nil {
		return nil
	}
	err := l.c.Close()
	l.c = nil
	return err
}

// list dumps the links and the addresses on c.
func (c *rtnl) list(ctx context.Context) (Snapshot, error) {
	deadline := time.Now().Add(listTimeout)
	if dl, ok := ctx.Deadline(); ok {
		deadline = dl
	}
	// Both requests ask for every family (AF_UNSPEC, the zero value).
	links, err := retryDump(func() ([]syscall.NetlinkMessage, error) {
		return c.dump(unix.RTM_GETLINK, make([]byte, unix.SizeofIfInfomsg), deadline)
	})
	if err != nil {
		return Snapshot{}, fmt.Errorf("netlink: list links: %w", err)
	}
	addrs, err := retryDump(func() ([]syscall.NetlinkMessage, error) {
		return c.dump(unix.RTM_GETADDR, make([]byte, unix.SizeofIfAddrmsg), deadline)
	})
	if err != nil {
		return Snapshot{}, fmt.Errorf("netlink: list addresses: %w", err)
	}
	return snapshotOf(links, addrs), nil
}

// retryDump repeats a dump that a concurrent change interrupted, because
// its result may then be incomplete.
func retryDump(dump func() ([]syscall.NetlinkMessage, error)) ([]syscall.NetlinkMessage, error) {
	var err error
	for range dumpAttempts {
		var res []syscall.NetlinkMessage
		res, err = dump()
		if !errors.Is(err, errDumpInterrupted) {
			return res, err
		}
	}
	return nil, err
}

func snapshotOf(links, addrs []syscall.NetlinkMessage) Snapshot {
	ifaces := make(map[int]Interface, len(links))
	var order []int // interface indices, ascending at the end
	for i := range links {
		if l, ok := parseLink(&links[i]); ok {
			if _, seen := ifaces[l.Index]; !seen {
				order = append(order, l.Index)
			}
			ifaces[l.Index] = l
		}
	}
	perIface := map[int][]Addr{}
	for i := range addrs {
		na, ok := parseAddr(&addrs[i])
		if !ok {
			continue
		}
		if a, ok := addrOf(na); ok {
			a.Iface = ifaces[a.Index].Name
			if _, seen := ifaces[a.Index]; !seen && perIface[a.Index] == nil {
				order = append(order, a.Index) // the interface vanished meanwhile
			}
			perIface[a.Index] = append(perIface[a.Index], a)
		}
	}
	// Grouping by index keeps the kernel's order within one interface.
	// Sorting plain ints reuses an instantiation the binary has anyway:
	// sorting the structs cost 16 KB of generic code on the router.
	slices.Sort(order)
	var s Snapshot
	for _, idx := range order {
		if l, ok := ifaces[idx]; ok {
			s.Interfaces = append(s.Interfaces, l)
		}
		s.Addrs = append(s.Addrs, perIface[idx]...)
	}
	return s
}

func addrOf(na ifAddr) (Addr, bool) {
	p, ok := prefixOf(na)
	if !ok {
		return Addr{}, false
	}
	a := Addr{
		Index:     na.index,
		Prefix:    p,
		Preferred: lifetime(na.preferred),
		Valid:     lifetime(na.valid),
	}
	f := na.flags
	// IFA_F_TEMPORARY and IFA_F_SECONDARY are the same bit (0x01); which
	// one it means depends on the family.
	if f&unix.IFA_F_SECONDARY != 0 {
		if p.Addr().Is4() {
			a.Flags |= Secondary
		} else {
			a.Flags |= Temporary
		}
	}
	for _, m := range []struct {
		nl   uint32
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

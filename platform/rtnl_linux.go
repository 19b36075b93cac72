package platform

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"
)

// The few rtnetlink messages the agent needs (link and address dumps, one
// link by index, and address/link/route notifications) are spoken here on
// x/sys/unix and the standard library's netlink parser. A general netlink
// library parses every link kind the kernel knows (bonds, VXLAN, VFs …),
// which cost the router binary about 320 KB.

// errDumpInterrupted reports that a change during a dump made its result
// possibly inconsistent (NLM_F_DUMP_INTR): the dump is worth repeating.
var errDumpInterrupted = errors.New("dump interrupted by a concurrent change")

// rtnl is one NETLINK_ROUTE socket, pollable so reads obey deadlines and
// Close wakes a blocked reader.
type rtnl struct {
	f   *os.File
	rc  syscall.RawConn
	seq uint32
	// buf is the receive buffer of a long-lived socket (keepBuffer); nil:
	// each read is sized by a peek.
	buf []byte
}

// keepBuffer gives a long-lived socket a receive buffer for the largest
// datagram (the kernel fills dump datagrams up to 32 KiB, notifications
// are smaller), so a read is one system call instead of a peek and a
// read. A socket for one listing peeks: allocating and clearing 64 KiB
// each time cost more than the extra system calls.
func (c *rtnl) keepBuffer() { c.buf = make([]byte, 1<<16) }

// dialRtnl opens a route netlink socket in namespace ns (netns.None(): the
// process's own), joined to the multicast groups (RTMGRP_* bits).
func dialRtnl(ns netns.NsHandle, groups uint32, rcvbuf int) (*rtnl, error) {
	fd, err := socketIn(ns)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: groups}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("netlink bind: %w", err)
	}
	if rcvbuf > 0 {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, rcvbuf); err != nil {
			unix.Close(fd)
			return nil, fmt.Errorf("netlink receive buffer: %w", err)
		}
	}
	f := os.NewFile(uintptr(fd), "rtnetlink")
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &rtnl{f: f, rc: rc}, nil
}

// socketIn creates the socket inside ns from a dedicated locked thread, so
// neither the process nor any other goroutine changes namespace.
func socketIn(ns netns.NsHandle) (int, error) {
	open := func() (int, error) {
		return unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, unix.NETLINK_ROUTE)
	}
	if !ns.IsOpen() {
		return open()
	}
	type result struct {
		fd  int
		err error
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread()
		// The thread stays locked, and so ends with this goroutine, when it
		// cannot return to its own namespace.
		cur, err := netns.Get()
		if err != nil {
			runtime.UnlockOSThread()
			done <- result{-1, err}
			return
		}
		defer cur.Close()
		if err := netns.Set(ns); err != nil {
			done <- result{-1, err}
			return
		}
		fd, err := open()
		if netns.Set(cur) == nil {
			runtime.UnlockOSThread()
		}
		done <- result{fd, err}
	}()
	r := <-done
	return r.fd, r.err
}

// Close closes the socket, waking a blocked receive.
func (c *rtnl) Close() error { return c.f.Close() }

// send sends one request of type typ with payload, returning its sequence
// number.
func (c *rtnl) send(typ, flags uint16, payload []byte) (uint32, error) {
	c.seq++
	msg := make([]byte, unix.NLMSG_HDRLEN, unix.NLMSG_HDRLEN+len(payload))
	ne := binary.NativeEndian
	ne.PutUint32(msg[0:], uint32(unix.NLMSG_HDRLEN+len(payload)))
	ne.PutUint16(msg[4:], typ)
	ne.PutUint16(msg[6:], flags|unix.NLM_F_REQUEST)
	ne.PutUint32(msg[8:], c.seq)
	msg = append(msg, payload...)
	var err error
	if werr := c.rc.Write(func(fd uintptr) bool {
		err = unix.Sendto(int(fd), msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK})
		return err != unix.EAGAIN
	}); werr != nil {
		return 0, werr
	}
	return c.seq, err
}

// receive reads one datagram from the kernel and splits it into messages.
// Datagrams from other senders (user space can send to our port) are
// skipped. The messages own their data: exactly the datagram's size is
// allocated, read into directly after a peek with MSG_TRUNC (which
// reports the whole size) or copied from the kept buffer.
func (c *rtnl) receive() ([]syscall.NetlinkMessage, error) {
	for {
		var buf []byte
		var n int
		var from unix.Sockaddr
		var err error
		if rerr := c.rc.Read(func(fd uintptr) bool {
			if c.buf != nil {
				n, from, err = unix.Recvfrom(int(fd), c.buf, 0)
				if err == nil {
					buf = append([]byte(nil), c.buf[:n]...)
				}
				return err != unix.EAGAIN
			}
			n, _, err = unix.Recvfrom(int(fd), nil, unix.MSG_PEEK|unix.MSG_TRUNC)
			if err == nil {
				buf = make([]byte, n)
				n, from, err = unix.Recvfrom(int(fd), buf, 0)
			}
			return err != unix.EAGAIN
		}); rerr != nil {
			return nil, rerr
		}
		if err != nil {
			return nil, err
		}
		if nl, ok := from.(*unix.SockaddrNetlink); !ok || nl.Pid != 0 {
			continue
		}
		return syscall.ParseNetlinkMessage(buf[:n])
	}
}

// dump sends a dump request of type typ and collects the answers, until
// deadline. With errDumpInterrupted the messages are returned too.
func (c *rtnl) dump(typ uint16, payload []byte, deadline time.Time) ([]syscall.NetlinkMessage, error) {
	if err := c.f.SetReadDeadline(deadline); err != nil {
		return nil, err
	}
	seq, err := c.send(typ, unix.NLM_F_DUMP, payload)
	if err != nil {
		return nil, err
	}
	var res []syscall.NetlinkMessage
	var intr bool
	for {
		msgs, err := c.receive()
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			if m.Header.Seq != seq {
				continue
			}
			if m.Header.Flags&unix.NLM_F_DUMP_INTR != 0 {
				intr = true
			}
			switch m.Header.Type {
			case unix.NLMSG_DONE, unix.NLMSG_ERROR:
				// DONE carries an error code too (0 when the dump is complete).
				if err := errnoOf(m.Data); err != nil {
					return nil, err
				}
				if m.Header.Type == unix.NLMSG_ERROR {
					continue // an acknowledgement
				}
				if intr {
					return res, errDumpInterrupted
				}
				return res, nil
			}
			res = append(res, m)
		}
	}
}

// linkByIndex asks the kernel for the name of the link with index.
func (c *rtnl) linkByIndex(index int, deadline time.Time) (string, error) {
	if err := c.f.SetReadDeadline(deadline); err != nil {
		return "", err
	}
	req := make([]byte, unix.SizeofIfInfomsg)
	binary.NativeEndian.PutUint32(req[4:], uint32(int32(index)))
	seq, err := c.send(unix.RTM_GETLINK, 0, req)
	if err != nil {
		return "", err
	}
	for {
		msgs, err := c.receive()
		if err != nil {
			return "", err
		}
		for _, m := range msgs {
			if m.Header.Seq != seq {
				continue
			}
			if m.Header.Type == unix.NLMSG_ERROR {
				if err := errnoOf(m.Data); err != nil {
					return "", err
				}
				continue
			}
			if l, ok := parseLink(&m); ok {
				return l.Name, nil
			}
			return "", errors.New("netlink: malformed link message")
		}
	}
}

// errnoOf reads the error code that leads NLMSG_ERROR and NLMSG_DONE.
func errnoOf(data []byte) error {
	if len(data) < 4 {
		return nil
	}
	if e := int32(binary.NativeEndian.Uint32(data)); e < 0 {
		return syscall.Errno(-e)
	}
	return nil
}

// parseLink reads an RTM_NEWLINK/RTM_DELLINK message.
func parseLink(m *syscall.NetlinkMessage) (Interface, bool) {
	if len(m.Data) < unix.SizeofIfInfomsg {
		return Interface{}, false
	}
	ne := binary.NativeEndian
	l := Interface{Index: int(int32(ne.Uint32(m.Data[4:]))), Flags: linkFlags(ne.Uint32(m.Data[8:]))}
	eachAttr(m.Data[unix.SizeofIfInfomsg:], func(typ uint16, v []byte) {
		switch typ {
		case unix.IFLA_IFNAME:
			l.Name = string(trimNUL(v))
		case unix.IFLA_ADDRESS:
			if len(v) > 0 && !isZero(v) {
				l.MAC = net.HardwareAddr(v)
			}
		}
	})
	return l, l.Name != ""
}

// linkFlags maps IFF_* flags to the net package's.
func linkFlags(raw uint32) net.Flags {
	var f net.Flags
	for _, m := range [...]struct {
		iff  uint32
		flag net.Flags
	}{
		{unix.IFF_UP, net.FlagUp},
		{unix.IFF_BROADCAST, net.FlagBroadcast},
		{unix.IFF_LOOPBACK, net.FlagLoopback},
		{unix.IFF_POINTOPOINT, net.FlagPointToPoint},
		{unix.IFF_MULTICAST, net.FlagMulticast},
		{unix.IFF_RUNNING, net.FlagRunning},
	} {
		if raw&m.iff != 0 {
			f |= m.flag
		}
	}
	return f
}

// ifAddr is the content of an RTM_NEWADDR/RTM_DELADDR message.
type ifAddr struct {
	index            int
	ip               []byte // the local address; nil when the message has none
	bits             int
	flags            uint32 // IFA_F_*
	preferred, valid uint32 // seconds, all ones: infinite
}

// parseAddr reads an address message. IPv4 sends the local address as
// IFA_LOCAL and the peer of a point-to-point link as IFA_ADDRESS; IPv6
// sends only IFA_ADDRESS unless it has a peer. A local address with a
// peer carries no prefix length of its own: it is a host prefix then.
func parseAddr(m *syscall.NetlinkMessage) (ifAddr, bool) {
	if len(m.Data) < unix.SizeofIfAddrmsg {
		return ifAddr{}, false
	}
	ne := binary.NativeEndian
	prefixLen := int(m.Data[1])
	a := ifAddr{index: int(ne.Uint32(m.Data[4:])), flags: uint32(m.Data[2])}
	var local, dst []byte
	eachAttr(m.Data[unix.SizeofIfAddrmsg:], func(typ uint16, v []byte) {
		switch typ {
		case unix.IFA_ADDRESS:
			dst = v
		case unix.IFA_LOCAL:
			local = v
		case unix.IFA_FLAGS:
			if len(v) >= 4 {
				a.flags = ne.Uint32(v) // the full set; the header has 8 bits only
			}
		case unix.IFA_CACHEINFO:
			if len(v) >= 8 {
				a.preferred, a.valid = ne.Uint32(v), ne.Uint32(v[4:])
			}
		}
	})
	switch {
	case local == nil:
		a.ip, a.bits = dst, prefixLen
	case m.Data[0] == unix.AF_INET && dst != nil && net.IP(local).Equal(dst):
		a.ip, a.bits = dst, prefixLen
	default:
		a.ip, a.bits = local, 8*len(local)
	}
	return a, true
}

// routeDefault reads an RTM_NEWROUTE/RTM_DELROUTE message: its family,
// whether it is a default route (no destination or a zero-length one),
// and its output interface (0 for multipath routes).
func routeDefault(m *syscall.NetlinkMessage) (family int, isDefault bool, oif int) {
	if len(m.Data) < unix.SizeofRtMsg {
		return 0, false, 0
	}
	family, dstLen := int(m.Data[0]), m.Data[1]
	hasDst := false
	eachAttr(m.Data[unix.SizeofRtMsg:], func(typ uint16, v []byte) {
		switch typ {
		case unix.RTA_DST:
			hasDst = true
		case unix.RTA_OIF:
			if len(v) >= 4 {
				oif = int(int32(binary.NativeEndian.Uint32(v)))
			}
		}
	})
	return family, !hasDst || dstLen == 0, oif
}

// eachAttr calls fn for each top-level route attribute in b, in order,
// and stops at the first malformed one. The kernel sends none; qemu-user
// translating for a big-endian guest garbles some nested link attributes,
// after the name and address that are read here.
func eachAttr(b []byte, fn func(typ uint16, v []byte)) {
	ne := binary.NativeEndian
	for len(b) >= unix.SizeofRtAttr {
		n := int(ne.Uint16(b))
		if n < unix.SizeofRtAttr || n > len(b) {
			return
		}
		fn(ne.Uint16(b[2:]), b[unix.SizeofRtAttr:n])
		b = b[min(len(b), (n+unix.RTA_ALIGNTO-1) & ^(unix.RTA_ALIGNTO-1)):]
	}
}

func trimNUL(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}

// prefixOf turns an address message's address into a prefix, unmapping
// IPv4-mapped IPv6.
func prefixOf(a ifAddr) (netip.Prefix, bool) {
	ip, ok := netip.AddrFromSlice(a.ip)
	if !ok {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(ip.Unmap(), a.bits), true
}

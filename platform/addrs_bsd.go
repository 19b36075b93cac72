//go:build darwin || freebsd

package platform

import (
	"context"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/unix"
)

// List reads the machine's interfaces and addresses through the standard
// library and asks the kernel for each IPv6 address's state with
// ioctl(SIOCGIFAFLAG_IN6).
//
// What is missing compared with Linux: IPv4 addresses carry FlagsUnknown;
// Permanent and Secondary are never set; lifetimes are always Forever
// (SIOCGIFALIFETIME_IN6 is not read). When the ioctl fails for an address
// it too is FlagsUnknown.
//
// Not yet run on a real BSD or Mac: the request number and layout below
// come from the system headers as quoted by other projects, and were only
// cross-compiled here. A wrong number makes the ioctl fail (the kernel
// matches the full number, size included), so the failure mode is
// FlagsUnknown, not wrong flags.
func List(ctx context.Context) (Snapshot, error) {
	fd, err := unix.Socket(unix.AF_INET6, unix.SOCK_DGRAM, 0)
	if err != nil {
		return listStd(ctx, nil)
	}
	defer unix.Close(fd)
	return listStd(ctx, func(ifname string, index int, p netip.Prefix) (AddrFlags, bool) {
		return ifaFlags6(fd, ifname, index, p.Addr())
	})
}

// From <netinet6/in6_var.h>; identical on darwin and FreeBSD, and not
// exported by x/sys/unix.
const (
	// _IOWR('i', 73, struct in6_ifreq), sizeof(struct in6_ifreq) == 288.
	siocgifaflagIn6 = 0xc1206949

	in6IffTentative  = 0x02
	in6IffDuplicated = 0x04
	in6IffDeprecated = 0x10
	in6IffTemporary  = 0x80
)

// in6Ifreq is struct in6_ifreq: the name, then a union whose largest
// member (struct icmp6_ifstat) makes it 272 bytes. The ioctl reads a
// sockaddr_in6 from the union and writes an int (ifru_flags6) over it.
type in6Ifreq struct {
	name [unix.IFNAMSIZ]byte
	ifru [272]byte
}

func ifaFlags6(fd int, ifname string, index int, a netip.Addr) (AddrFlags, bool) {
	var req in6Ifreq
	if len(ifname) >= len(req.name) {
		return 0, false
	}
	copy(req.name[:], ifname)
	sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(&req.ifru[0]))
	sa.Len = unix.SizeofSockaddrInet6
	sa.Family = unix.AF_INET6
	sa.Addr = a.As16()
	if a.IsLinkLocalUnicast() {
		sa.Scope_id = uint32(index)
	}
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), uintptr(siocgifaflagIn6), uintptr(unsafe.Pointer(&req)))
	if errno != 0 {
		return 0, false
	}
	raw := *(*int32)(unsafe.Pointer(&req.ifru[0]))
	var f AddrFlags
	for _, m := range []struct {
		bsd  int32
		flag AddrFlags
	}{
		{in6IffTentative, Tentative},
		{in6IffDuplicated, DADFailed},
		{in6IffDeprecated, Deprecated},
		{in6IffTemporary, Temporary},
	} {
		if raw&m.bsd != 0 {
			f |= m.flag
		}
	}
	return f, true
}

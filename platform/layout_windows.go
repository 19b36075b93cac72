//go:build windows && !386

package platform

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// The rows Windows hands us (the table of GetUnicastIpAddressTable, walked
// as an array, and the rows of the notification callbacks) are read through
// x/sys's Go structs, so those structs must have the C layout exactly: a
// wrong size shifts every row after the first, a wrong offset reads another
// field. The C layouts below are from netioapi.h on 64-bit Windows (and on
// 32-bit too: MSVC aligns the ULONG64 of NET_LUID to 8 on x86 as well,
// where Go aligns uint64 to 4, which is why windows/386 is refused in
// unsupported_windows_386.go). A constant index out of range fails to
// compile, so `go vet` of windows/amd64 and windows/arm64 in .ci/run fails
// when an x/sys update or an edit breaks them.
const (
	// MIB_UNICASTIPADDRESS_ROW: SOCKADDR_INET Address (28 bytes), then
	// NET_LUID InterfaceLuid aligned to 8.
	winUnicastRowSize     = 80
	winUnicastRowLuidOff  = 32
	winUnicastRowIndexOff = 40
	winUnicastRowDadOff   = 64
	// MIB_IPINTERFACE_ROW: ADDRESS_FAMILY Family, then NET_LUID.
	winIfRowLuidOff  = 8
	winIfRowIndexOff = 16
	// MIB_IPFORWARD_ROW2: NET_LUID, NET_IFINDEX, then IP_ADDRESS_PREFIX
	// (SOCKADDR_INET and a UINT8 length, 32 bytes).
	winFwdRowSize      = 104
	winFwdRowIndexOff  = 8
	winFwdRowPrefixOff = 12
)

var (
	_ = [1]struct{}{}[unsafe.Sizeof(windows.MibUnicastIpAddressRow{})-winUnicastRowSize]
	_ = [1]struct{}{}[winUnicastRowSize-unsafe.Sizeof(windows.MibUnicastIpAddressRow{})]
	_ = [1]struct{}{}[unsafe.Offsetof(windows.MibUnicastIpAddressRow{}.InterfaceLuid)-winUnicastRowLuidOff]
	_ = [1]struct{}{}[winUnicastRowLuidOff-unsafe.Offsetof(windows.MibUnicastIpAddressRow{}.InterfaceLuid)]
	_ = [1]struct{}{}[unsafe.Offsetof(windows.MibUnicastIpAddressRow{}.InterfaceIndex)-winUnicastRowIndexOff]
	_ = [1]struct{}{}[winUnicastRowIndexOff-unsafe.Offsetof(windows.MibUnicastIpAddressRow{}.InterfaceIndex)]
	_ = [1]struct{}{}[unsafe.Offsetof(windows.MibUnicastIpAddressRow{}.DadState)-winUnicastRowDadOff]
	_ = [1]struct{}{}[winUnicastRowDadOff-unsafe.Offsetof(windows.MibUnicastIpAddressRow{}.DadState)]

	_ = [1]struct{}{}[unsafe.Offsetof(windows.MibIpInterfaceRow{}.InterfaceLuid)-winIfRowLuidOff]
	_ = [1]struct{}{}[winIfRowLuidOff-unsafe.Offsetof(windows.MibIpInterfaceRow{}.InterfaceLuid)]
	_ = [1]struct{}{}[unsafe.Offsetof(windows.MibIpInterfaceRow{}.InterfaceIndex)-winIfRowIndexOff]
	_ = [1]struct{}{}[winIfRowIndexOff-unsafe.Offsetof(windows.MibIpInterfaceRow{}.InterfaceIndex)]

	_ = [1]struct{}{}[unsafe.Sizeof(windows.MibIpForwardRow2{})-winFwdRowSize]
	_ = [1]struct{}{}[winFwdRowSize-unsafe.Sizeof(windows.MibIpForwardRow2{})]
	_ = [1]struct{}{}[unsafe.Offsetof(windows.MibIpForwardRow2{}.InterfaceIndex)-winFwdRowIndexOff]
	_ = [1]struct{}{}[winFwdRowIndexOff-unsafe.Offsetof(windows.MibIpForwardRow2{}.InterfaceIndex)]
	_ = [1]struct{}{}[unsafe.Offsetof(windows.MibIpForwardRow2{}.DestinationPrefix)-winFwdRowPrefixOff]
	_ = [1]struct{}{}[winFwdRowPrefixOff-unsafe.Offsetof(windows.MibIpForwardRow2{}.DestinationPrefix)]
)

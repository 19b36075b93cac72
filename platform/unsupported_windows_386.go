//go:build windows && 386

package platform

// windows/386 is refused: x/sys/windows lays out MIB_UNICASTIPADDRESS_ROW
// with InterfaceLuid at offset 28 and a size of 76 bytes there (Go aligns
// uint64 to 4 on 386), while Windows puts it at 32 in a row of 80, so every
// address read would be wrong. The undefined name below is the message.
var _ = ddns_does_not_support_windows_386__x_sys_windows_MIB_UNICASTIPADDRESS_ROW_layout_is_wrong_there

//go:build freebsd && (amd64 || arm64 || riscv64)

package platform

import "golang.org/x/sys/unix"

// Where x/sys/unix has FreeBSD 11's if_msghdr (the 64-bit ports), it must
// agree with the size routeLayoutOS uses on every port: a constant index
// out of range fails to compile (go vet freebsd/amd64 and freebsd/arm64 in
// .ci/run).
var (
	_ = [1]struct{}{}[unix.SizeofIfMsghdr-freebsdIfMsghdrSize]
	_ = [1]struct{}{}[freebsdIfMsghdrSize-unix.SizeofIfMsghdr]
)

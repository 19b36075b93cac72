// Package qemutest names, in one place, the tests that cannot pass when
// the test binary runs under qemu-user for another architecture (.ci/qemu
// runs the unit tests so for the router targets), and why. Only tests
// import it.
package qemutest

import (
	"os"
	"runtime"
	"testing"
)

// Env is the environment variable .ci/qemu sets to the emulator that runs
// the test binary (qemu-mips, qemu-mipsel, qemu-arm, qemu-aarch64). Unset,
// nothing is skipped: on real hardware every test must pass.
const Env = "DDNS_TEST_QEMU"

// bigEndianNetlinkReason is why the netlink tests are skipped on
// big-endian mips under qemu: qemu-user byte-swaps rtnetlink messages
// between a big-endian guest and the little-endian host, and qemu 7.2
// (Debian 12) translates the link attributes (IFLA_*) wrongly, so the
// kernel answers RTM_GETLINK with EINVAL and creating a veth in a namespace
// handle fails with ENOTSOCK. The same tests pass under qemu-mipsel, and
// the code under test reads rtnetlink in native byte order
// (platform/rtnl_linux.go, binary.NativeEndian), as the kernel writes it.
const bigEndianNetlinkReason = "qemu 7.2's netlink link-attribute translation is broken for big-endian guests (see platform/qemutest)"

// SkipNetlink skips a test that reads or changes links over rtnetlink
// when it runs under qemu-user on big-endian mips. Callers:
// platform.TestListHost and every namespace test of platform and resolve
// (through their newNS helpers).
func SkipNetlink(t testing.TB) {
	t.Helper()
	if os.Getenv(Env) != "" && bigEndianMIPS() {
		t.Skip(bigEndianNetlinkReason)
	}
}

func bigEndianMIPS() bool {
	switch runtime.GOARCH {
	case "mips", "mips64":
		return true
	}
	return false
}

// foreignExecReason is why a test that builds the program and runs the
// result is skipped under qemu-user: the test binary is itself emulated,
// and without binfmt_misc (not mounted on CI's machine) it cannot execute
// another binary of its architecture. integration/ covers running the
// router binary, through a qemu wrapper (DDNS_TEST_EXEC).
const foreignExecReason = "runs a freshly built binary, which a test under qemu-user cannot execute without binfmt_misc (see platform/qemutest)"

// SkipForeignExec skips a test that builds the program and runs it, when
// the test runs under qemu-user. Callers: cmd/ddns.TestPlainBuildVersion.
func SkipForeignExec(t testing.TB) {
	t.Helper()
	if os.Getenv(Env) != "" {
		t.Skip(foreignExecReason)
	}
}

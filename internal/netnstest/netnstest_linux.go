package netnstest

import (
	"context"
	"errors"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/platform/qemutest"
)

// New returns a fresh, empty network namespace that lives until the test
// ends. The process stays where it is: only this thread visits it,
// briefly. Without CAP_SYS_ADMIN and CAP_NET_ADMIN the test is skipped.
func New(t testing.TB) netns.NsHandle {
	t.Helper()
	qemutest.SkipNetlink(t)
	var ns netns.NsHandle
	// unshare(CLONE_NEWNET) moves this thread into the new namespace.
	err := onThread(t, func() (err error) { ns, err = netns.New(); return err }, func() {})
	if errors.Is(err, unix.EPERM) {
		t.Skipf("needs CAP_SYS_ADMIN and CAP_NET_ADMIN for a network namespace: %v", err)
	}
	if err != nil {
		t.Fatalf("netns.New: %v", err)
	}
	t.Cleanup(func() { ns.Close() }) // the last reference: namespace and links go away
	return ns
}

// In runs fn on a thread inside ns: sockets and sysctls belong to the
// namespace of the thread that opens them.
func In(t testing.TB, ns netns.NsHandle, fn func()) {
	t.Helper()
	if err := onThread(t, func() error { return netns.Set(ns) }, fn); err != nil {
		t.Fatalf("netns.Set: %v", err)
	}
}

// onThread locks the goroutine to its thread, runs enter to move the
// thread into a namespace, fn there, and moves the thread back. An error
// of enter is returned, the thread unmoved and unlocked.
func onThread(t testing.TB, enter func() error, fn func()) error {
	t.Helper()
	runtime.LockOSThread()
	orig, err := netns.Get()
	if err != nil {
		runtime.UnlockOSThread()
		t.Fatalf("netns.Get: %v", err)
	}
	defer orig.Close()
	if err := enter(); err != nil {
		runtime.UnlockOSThread()
		return err
	}
	fn()
	if err := netns.Set(orig); err != nil {
		// Leave the thread locked: the runtime retires it with this
		// goroutine instead of reusing it in the wrong namespace.
		t.Fatalf("back to the original namespace: %v", err)
	}
	runtime.UnlockOSThread()
	return nil
}

// Sysctl writes value to /proc/sys/path inside ns.
func Sysctl(t testing.TB, ns netns.NsHandle, path, value string) error {
	t.Helper()
	var err error
	In(t, ns, func() { err = os.WriteFile("/proc/sys/"+path, []byte(value), 0o644) })
	return err
}

// Handle opens rtnetlink in ns, closed when the test ends.
func Handle(t testing.TB, ns netns.NsHandle) *netlink.Handle {
	t.Helper()
	h, err := netlink.NewHandleAt(ns, unix.NETLINK_ROUTE)
	if err != nil {
		t.Fatalf("netlink handle: %v", err)
	}
	t.Cleanup(h.Close)
	return h
}

// Veth creates the pair a/b with the given MAC on a (nil: the kernel's),
// sets both up and returns them.
func Veth(t testing.TB, h *netlink.Handle, a, b string, mac net.HardwareAddr) (netlink.Link, netlink.Link) {
	t.Helper()
	if err := h.LinkAdd(&netlink.Veth{LinkAttrs: netlink.LinkAttrs{Name: a, HardwareAddr: mac}, PeerName: b}); err != nil {
		t.Fatalf("add veth %s/%s: %v", a, b, err)
	}
	var ls []netlink.Link
	for _, name := range []string{a, b} {
		l, err := h.LinkByName(name)
		if err == nil {
			err = h.LinkSetUp(l)
		}
		if err != nil {
			t.Fatalf("link %s: %v", name, err)
		}
		ls = append(ls, l)
	}
	return ls[0], ls[1]
}

// Addr adds prefix p to l with IFA flags and lifetimes in seconds (0, 0 =
// forever).
func Addr(t testing.TB, h *netlink.Handle, l netlink.Link, p string, flags, preferred, valid int) {
	t.Helper()
	a, err := netlink.ParseAddr(p)
	if err != nil {
		t.Fatal(err)
	}
	a.Flags, a.PreferedLft, a.ValidLft = flags, preferred, valid
	if err := h.AddrAdd(l, a); err != nil {
		t.Fatalf("add %s to %s: %v", p, l.Attrs().Name, err)
	}
}

// WaitFor polls cond every few milliseconds until it holds or d passes:
// kernel work (DAD, temporary addresses) is asynchronous and gives the
// test nothing to wait on.
func WaitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// WaitAddr lists ns until an address matches, or d passes: the kernel
// makes and judges addresses (temporary ones, DAD) on its own time. It
// reports the address and whether one matched.
func WaitAddr(t testing.TB, ns netns.NsHandle, d time.Duration, match func(platform.Addr) bool) (platform.Addr, bool) {
	t.Helper()
	var found platform.Addr
	ok := WaitFor(d, func() bool {
		s, err := platform.ListNetns(context.Background(), ns)
		if err != nil {
			t.Fatalf("ListNetns: %v", err)
		}
		for _, a := range s.Addrs {
			if match(a) {
				found = a
				return true
			}
		}
		return false
	})
	return found, ok
}

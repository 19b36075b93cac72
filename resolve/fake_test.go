package resolve_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/resolve"
)

// Addresses of the fake machine, named for what they are.
const (
	eth0V4      = "192.0.2.10"
	eth0V4Sec   = "192.0.2.11"
	eth0Temp    = "2001:db8:1:0:a1b2:c3d4:e5f6:1"
	eth0Stable  = "2001:db8:1::10"
	eth0Dep     = "2001:db8:1::d"
	eth0ULA     = "fd00:1::10"
	eth0LL      = "fe80::5054:ff:fe12:3456"
	eth0Tent    = "2001:db8:1::e"
	eth0DADFail = "2001:db8:1::f"
	wanV4       = "198.51.100.7"
	wanTemp     = "2001:db8:9::7"
	lanV4       = "10.0.0.1"
	lanV6       = "2001:db8:4::1"
	eth1V4      = "203.0.113.5"
	eth1ULA     = "fd00:5::5"
)

var eth0MAC = net.HardwareAddr{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}

// fakeMachine is a small but nasty machine: a LAN card with every kind of
// IPv6 address (listed newest first, as Linux does), a PPP link without a
// MAC that only has a temporary address, an interface that is down, and
// one with only a ULA.
func fakeMachine() platform.Snapshot {
	up := net.FlagUp | net.FlagRunning
	addr := func(iface string, idx int, p string, f platform.AddrFlags) platform.Addr {
		return platform.Addr{Iface: iface, Index: idx, Prefix: netip.MustParsePrefix(p), Flags: f,
			Preferred: platform.Forever, Valid: platform.Forever}
	}
	return platform.Snapshot{
		Interfaces: []platform.Interface{
			{Index: 1, Name: "lo", Flags: up | net.FlagLoopback},
			{Index: 2, Name: "eth0", MAC: eth0MAC, Flags: up},
			{Index: 3, Name: "wan", Flags: up | net.FlagPointToPoint},
			{Index: 4, Name: "lan", MAC: net.HardwareAddr{2, 0, 0, 0, 0, 4}},
			{Index: 5, Name: "eth1", MAC: net.HardwareAddr{2, 0, 0, 0, 0, 5}, Flags: up},
		},
		Addrs: []platform.Addr{
			addr("lo", 1, "127.0.0.1/8", platform.Permanent),
			addr("lo", 1, "::1/128", platform.Permanent),
			addr("eth0", 2, eth0V4+"/24", platform.Permanent),
			addr("eth0", 2, eth0V4Sec+"/24", platform.Permanent|platform.Secondary),
			addr("eth0", 2, eth0Temp+"/64", platform.Temporary),
			addr("eth0", 2, eth0Dep+"/64", platform.Deprecated|platform.Permanent),
			addr("eth0", 2, eth0Tent+"/64", platform.Tentative|platform.Permanent),
			addr("eth0", 2, eth0DADFail+"/64", platform.DADFailed|platform.Tentative|platform.Permanent),
			addr("eth0", 2, eth0Stable+"/64", 0),
			addr("eth0", 2, eth0ULA+"/64", platform.Permanent),
			addr("eth0", 2, eth0LL+"/64", platform.Permanent),
			addr("wan", 3, wanV4+"/32", 0),
			addr("wan", 3, wanTemp+"/64", platform.Temporary),
			addr("lan", 4, lanV4+"/24", platform.Permanent),
			addr("lan", 4, lanV6+"/64", platform.Permanent),
			addr("eth1", 5, eth1V4+"/24", platform.Permanent),
			addr("eth1", 5, eth1ULA+"/64", platform.Permanent),
		},
	}
}

func fakeLister(s platform.Snapshot) resolve.Lister {
	return resolve.ListerFunc(func(ctx context.Context) (platform.Snapshot, error) {
		return s, ctx.Err()
	})
}

var errListing = errors.New("netlink: permission denied")

func failingLister() resolve.Lister {
	return resolve.ListerFunc(func(context.Context) (platform.Snapshot, error) {
		return platform.Snapshot{}, errListing
	})
}

func fakeOpts() resolve.Options { return resolve.Options{Lister: fakeLister(fakeMachine())} }

// parse parses one rule or fails the test.
func parse(t testing.TB, fam resolve.Family, o resolve.Options, rules ...string) resolve.Rules {
	t.Helper()
	rs, err := resolve.ParseWith(fam, rules, o)
	if err != nil {
		t.Fatalf("ParseWith(%v, %q): %v", fam, rules, err)
	}
	return rs
}

// ruleCase is a rule of family fam and what it must resolve to: want,
// or, when want is "", no address, with an error mentioning each of
// wantError.
type ruleCase struct {
	fam       resolve.Family
	rule      string
	want      string
	wantError []string
}

// checkAll checks each case with the options o.
func checkAll(t *testing.T, o resolve.Options, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		check(t, tc.fam, o, tc.rule, tc.want, tc.wantError...)
	}
}

// resolves resolves the first rule of rs: to want, or, when want is "",
// to an error containing wantError. what names the rule in messages.
func resolves(t *testing.T, what string, rs resolve.Rules, want, wantError string) {
	t.Helper()
	got, err := rs.List[0].Resolve(context.Background())
	if want != "" {
		if err != nil || got.String() != want {
			t.Errorf("%s = %v, %v; want %s", what, got, err, want)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), wantError) {
		t.Errorf("%s = %v, %v; want error with %q", what, got, err, wantError)
	}
}

// timesOut resolves rs, which must fail with "timed out after <after>"
// within bound: the timeout stopped the rule, it was not waited for.
func timesOut(t *testing.T, rs resolve.Rules, after, bound time.Duration) {
	t.Helper()
	start := time.Now()
	_, err := rs.Resolve(context.Background())
	if err == nil || !strings.Contains(err.Error(), "timed out after "+after.String()) {
		t.Errorf("error %v; want a timeout after %v", err, after)
	}
	if d := time.Since(start); d > bound {
		t.Errorf("took %v; the timeout did not stop the rule", d)
	}
}

// check resolves rule and compares with want; want "" means "no address",
// in which case the error must wrap ErrNoAddress and contain every
// wantErr fragment.
func check(t *testing.T, fam resolve.Family, o resolve.Options, rule, want string, wantErr ...string) {
	t.Helper()
	rs := parse(t, fam, o, rule)
	got, err := rs.List[0].Resolve(context.Background())
	if want != "" {
		if err != nil || got != netip.MustParseAddr(want) {
			t.Errorf("%v %q = %v, %v; want %s", fam, rule, got, err, want)
		}
		return
	}
	if err == nil {
		t.Errorf("%v %q = %v; want no address", fam, rule, got)
		return
	}
	if !errors.Is(err, resolve.ErrNoAddress) {
		t.Errorf("%v %q: error %q does not wrap ErrNoAddress", fam, rule, err)
	}
	for _, frag := range wantErr {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("%v %q: error %q does not mention %q", fam, rule, err, frag)
		}
	}
}

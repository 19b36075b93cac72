package resolve

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/platform"
)

// The kernel's source pick is replaced only when the policy refuses it.
// The route lookup itself is faked here (a real one runs in the netns
// test): this is the only test that reaches into the package.
func TestDefaultCrossCheck(t *testing.T) {
	up := net.FlagUp
	a := func(iface string, idx int, p string, f platform.AddrFlags) platform.Addr {
		return platform.Addr{Iface: iface, Index: idx, Prefix: netip.MustParsePrefix(p), Flags: f}
	}
	snap := platform.Snapshot{
		Interfaces: []platform.Interface{{Index: 2, Name: "eth0", Flags: up}, {Index: 3, Name: "wan", Flags: up}},
		Addrs: []platform.Addr{
			a("eth0", 2, "2001:db8:1::aaaa/64", platform.Temporary),
			a("eth0", 2, "2001:db8:1::dead/64", platform.Deprecated),
			a("eth0", 2, "fd00::10/64", 0),
			a("eth0", 2, "2001:db8:1::10/64", 0),
			a("wan", 3, "2001:db8:9::aaaa/64", platform.Temporary),
			a("wan", 3, "fd00:9::1/64", 0),
		},
	}
	lister := ListerFunc(func(context.Context) (platform.Snapshot, error) { return snap, nil })
	failing := ListerFunc(func(context.Context) (platform.Snapshot, error) { return snap, errors.New("no netlink") })
	for _, tc := range []struct {
		rule, source string
		lister       Lister
		want         string // "" = no address
		wantErr      string
	}{
		{"default", "2001:db8:1::10", lister, "2001:db8:1::10", ""},
		{"default", "2001:db8:1::aaaa", lister, "2001:db8:1::10", ""}, // temporary replaced
		{"default", "2001:db8:1::dead", lister, "2001:db8:1::10", ""}, // deprecated replaced
		{"default?temporary=true", "2001:db8:1::aaaa", lister, "2001:db8:1::aaaa", ""},
		{"default", "fd00::10", lister, "fd00::10", ""},                 // ULA is the kernel's pick: kept
		{"default?ula=false", "fd00::10", lister, "2001:db8:1::10", ""}, // unless refused
		{"default", "2001:db8:9::aaaa", lister, "fd00:9::1", ""},        // only a ULA left on wan
		{"default?ula=false", "2001:db8:9::aaaa", lister, "", "the route source 2001:db8:9::aaaa on wan is temporary, allow with temporary=true, and wan has no other usable address"},
		{"default", "2001:db8:7::1", lister, "2001:db8:7::1", ""},        // not listed: trust the kernel
		{"default", "2001:db8:1::aaaa", failing, "2001:db8:1::aaaa", ""}, // no listing: trust the kernel
	} {
		rs, err := ParseWith(V6, []string{tc.rule}, Options{Lister: tc.lister})
		if err != nil {
			t.Fatal(err)
		}
		d := rs.List[0].(*defaultRoute)
		d.source = func(context.Context, Family) (netip.Addr, error) { return netip.MustParseAddr(tc.source), nil }
		got, err := d.Resolve(context.Background())
		if tc.want != "" {
			if err != nil || got != netip.MustParseAddr(tc.want) {
				t.Errorf("%s with source %s = %v, %v; want %s", tc.rule, tc.source, got, err, tc.want)
			}
			continue
		}
		if !errors.Is(err, ErrNoAddress) || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s with source %s = %v, %v; want error with %q", tc.rule, tc.source, got, err, tc.wantErr)
		}
	}
}

// IPv4 has no temporary addresses: the kernel's pick stands, unlisted.
func TestDefaultV4SkipsListing(t *testing.T) {
	lister := ListerFunc(func(context.Context) (platform.Snapshot, error) {
		t.Error("IPv4 default listed interfaces")
		return platform.Snapshot{}, nil
	})
	rs, err := ParseWith(V4, []string{"default"}, Options{Lister: lister})
	if err != nil {
		t.Fatal(err)
	}
	d := rs.List[0].(*defaultRoute)
	d.source = func(context.Context, Family) (netip.Addr, error) { return netip.MustParseAddr("192.0.2.2"), nil }
	if got, err := d.Resolve(context.Background()); err != nil || got.String() != "192.0.2.2" {
		t.Errorf("= %v, %v", got, err)
	}
}

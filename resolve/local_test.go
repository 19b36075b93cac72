package resolve_test

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/resolve"
)

func TestIndex(t *testing.T) {
	checkAll(t, fakeOpts(), []ruleCase{
		// Loopback skipped; primary before secondary; lan is down.
		{resolve.V4, "0", eth0V4, nil},
		{resolve.V4, "local", eth0V4, nil},
		{resolve.V4, "1", eth0V4Sec, nil},
		{resolve.V4, "2", wanV4, nil},
		{resolve.V4, "3", eth1V4, nil},
		{resolve.V4, "4", "", []string{"index 4 but only 4 usable IPv4 addresses", "10.0.0.1 on lan: interface down"}},
		// IPv6: only the stable global address counts by default.
		{resolve.V6, "0", eth0Stable, nil},
		{resolve.V6, "local", eth0Stable, nil},
		{resolve.V6, "1", "", []string{"index 1 but only 1 usable IPv6", "temporary, allow with temporary=true"}},
		{resolve.V6, "1?ula=true", eth0ULA, nil},
		{resolve.V6, "2?ula=true", eth1ULA, nil},
		// An index counts in listing order, whatever the preference.
		{resolve.V6, "0?temporary=true", eth0Temp, nil},
		{resolve.V6, "1?temporary=true&deprecated=true", eth0Dep, nil},
		{resolve.V6, "3?temporary=true&deprecated=true", wanTemp, nil},
	})
}

func TestIface(t *testing.T) {
	checkAll(t, fakeOpts(), []ruleCase{
		{resolve.V4, "iface:eth0", eth0V4, nil},
		{resolve.V4, "eth0", eth0V4, nil}, // a bare interface name
		{resolve.V4, "iface:wan", wanV4, nil},
		{resolve.V4, "iface:lan", "", []string{"lan has no usable IPv4 address", "interface down"}},
		{resolve.V4, "iface:ppp9", "", []string{`interface "ppp9" does not exist`}},
		{resolve.V6, "iface:eth0", eth0Stable, nil},
		{resolve.V6, "eth0", eth0Stable, nil},
		// Allowing more never beats a stable, current, global address.
		{resolve.V6, "iface:eth0?temporary=true&deprecated=true&ula=true", eth0Stable, nil},
		{resolve.V6, "iface:wan", "", []string{"wan has no usable IPv6 address", wanTemp + " on wan: temporary, allow with temporary=true"}},
		{resolve.V6, "iface:wan?temporary=true", wanTemp, nil},
		{resolve.V6, "iface:eth1", "", []string{"ULA, allow with ula=true"}},
		{resolve.V6, "iface:eth1?ula=yes", eth1ULA, nil},
		{resolve.V6, "iface:lo", "", []string{"::1 on lo: loopback"}},
	})
}

// Without the stable address, the policy's preference order shows: current
// before deprecated, stable before temporary, global before ULA.
func TestIfacePreference(t *testing.T) {
	s := fakeMachine()
	var kept []platform.Addr
	for _, a := range s.Addrs {
		if a.Addr() != netip.MustParseAddr(eth0Stable) {
			kept = append(kept, a)
		}
	}
	s.Addrs = kept
	o := resolve.Options{Lister: fakeLister(s)}
	check(t, resolve.V6, o, "iface:eth0", "", "deprecated, allow with deprecated=true")
	check(t, resolve.V6, o, "iface:eth0?deprecated=true&temporary=true&ula=true", eth0ULA)
	check(t, resolve.V6, o, "iface:eth0?deprecated=true&temporary=true", eth0Temp)
	check(t, resolve.V6, o, "iface:eth0?deprecated=true", eth0Dep)
}

func TestRegex(t *testing.T) {
	checkAll(t, fakeOpts(), []ruleCase{
		{resolve.V4, `regex:192\.0\.2\.11`, eth0V4Sec, nil},
		{resolve.V4, `regex:192`, eth0V4, nil},
		{resolve.V4, `regex:.*`, "127.0.0.1", nil},                                 // the original's answer too
		{resolve.V4, `regex:2\.2`, "", []string{"no usable IPv4 address matches"}}, // anchored at the start
		{resolve.V4, `regex:.*\.5$`, eth1V4, nil},
		{resolve.V4, `regex:10\.`, "", []string{"interface down"}},
		{resolve.V6, `regex:fd00`, eth0ULA, nil}, // the pattern may pick ULA,
		{resolve.V6, `regex:fe80`, eth0LL, nil},  // link-local
		{resolve.V6, `regex:::1`, "::1", nil},    // and loopback.
		{resolve.V6, `regex:fd00?ula=false`, "", []string{"ULA, allow with ula=true"}},
		{resolve.V6, `regex:FD00`, "", nil}, // text is lower case
		{resolve.V6, `regex:(?i)FD00`, eth0ULA, nil},
		{resolve.V6, `regex:2001:db8:1::d`, "", []string{"deprecated, allow with deprecated=true"}},
		{resolve.V6, `regex:2001:db8:1::d?deprecated=1`, eth0Dep, nil},
		{resolve.V6, `regex:2001:db8:1:0:a`, "", []string{"temporary"}},
		{resolve.V6, `regex:2001:db8:1:0:a?temporary=true`, eth0Temp, nil},
		{resolve.V6, `regex:2001:db8:1::[ef]?temporary=true&deprecated=true`, "", []string{"tentative", "duplicate (DAD failed)"}},
		// A "?" that starts no option list belongs to the pattern.
		{resolve.V6, `regex:2001:db8:1::10?`, eth0Stable, nil},
	})
}

func TestPrefix(t *testing.T) {
	o := fakeOpts()
	for _, tc := range []struct {
		rule      string
		want      string
		wantError []string
	}{
		{"prefix:eth0+::1234", "2001:db8:1::1234", nil},
		{"prefix:eth0/64+::1234", "2001:db8:1::1234", nil},
		{"prefix:eth0/48+::5:0:0:0:1234", "2001:db8:1:5::1234", nil},
		{"prefix:eth0/56+::1:0:0:0:1", "2001:db8:1:1::1", nil},
		{"prefix:eth0+mac:52:54:00:aa:bb:cc", "2001:db8:1:0:5054:ff:feaa:bbcc", nil},
		{"prefix:eth0+mac:52-54-00-aa-bb-cc", "2001:db8:1:0:5054:ff:feaa:bbcc", nil},
		{"prefix:eth0+mac:eth1", "2001:db8:1:0:0:ff:fe00:5", nil},
		{"prefix:eth0+mac:eth0", "2001:db8:1:0:5054:ff:fe12:3456", nil},
		{"prefix:eth1+::1", "", []string{"eth1 has no usable IPv6 address to take the prefix from", "ULA"}},
		{"prefix:eth1+::1?ula=true", "fd00:5::1", nil},
		{"prefix:wan+::1?temporary=true", "2001:db8:9::1", nil},
		{"prefix:eth0+mac:wan", "", []string{`interface "wan" does not exist or has no MAC address`}},
		{"prefix:ppp0+::1", "", []string{`interface "ppp0" does not exist`}},
	} {
		check(t, resolve.V6, o, tc.rule, tc.want, tc.wantError...)
	}
}

// A listing failure is "unknown this round" with the reason, not a crash
// and not an address.
func TestListingFails(t *testing.T) {
	o := resolve.Options{Lister: failingLister()}
	for _, rule := range []string{"0", "iface:eth0", "regex:.*", "prefix:eth0+::1"} {
		rs := parse(t, resolve.V6, o, rule)
		_, err := rs.Resolve(context.Background())
		if !errors.Is(err, errListing) && !errors.Is(err, resolve.ErrNoAddress) {
			t.Errorf("%q: error %v", rule, err)
		}
		if err == nil || !strings.Contains(err.Error(), "list interfaces: netlink: permission denied") {
			t.Errorf("%q: error %v does not say why", rule, err)
		}
	}
}

func TestListerGetsDeadline(t *testing.T) {
	var hadDeadline bool
	o := resolve.Options{Lister: resolve.ListerFunc(func(ctx context.Context) (platform.Snapshot, error) {
		_, hadDeadline = ctx.Deadline()
		return fakeMachine(), nil
	})}
	rs := parse(t, resolve.V4, o, "0")
	if _, err := rs.Resolve(context.Background()); err != nil || !hadDeadline {
		t.Errorf("err %v, deadline %v; want a listing bounded by the timeout", err, hadDeadline)
	}
}

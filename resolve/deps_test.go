package resolve_test

import (
	"context"
	"net/netip"
	"reflect"
	"testing"

	"github.com/ddns-go/ddns/resolve"
)

func TestDeps(t *testing.T) {
	o := fakeOpts()
	for _, tc := range []struct {
		fam   resolve.Family
		rules []string
		want  resolve.Deps
	}{
		{resolve.V4, []string{"192.0.2.1"}, resolve.Deps{Family: resolve.V4}},
		{resolve.V4, []string{"false"}, resolve.Deps{Family: resolve.V4}},
		{resolve.V4, nil, resolve.Deps{Family: resolve.V4}},
		{resolve.V6, []string{"iface:wan", "prefix:eth0/56+mac:eth1", "eth0"},
			resolve.Deps{Family: resolve.V6, Addrs: true, Interfaces: []string{"eth0", "eth1", "wan"}}},
		{resolve.V6, []string{"iface:wan", "1"}, resolve.Deps{Family: resolve.V6, Addrs: true}},
		{resolve.V6, []string{"regex:2001"}, resolve.Deps{Family: resolve.V6, Addrs: true}},
		{resolve.V4, []string{"default"}, resolve.Deps{Family: resolve.V4, Addrs: true, DefaultRoute: true}},
		{resolve.V4, []string{"iface:wan", "public"}, resolve.Deps{Family: resolve.V4, Addrs: true, DefaultRoute: true, Poll: true}},
		{resolve.V4, []string{"url:http://x/"}, resolve.Deps{Family: resolve.V4, Addrs: true, DefaultRoute: true, Poll: true}},
		{resolve.V4, []string{"cmd:x"}, resolve.Deps{Family: resolve.V4, Addrs: true, DefaultRoute: true, Poll: true}},
		{resolve.V4, []string{"shell:x"}, resolve.Deps{Family: resolve.V4, Addrs: true, DefaultRoute: true, Poll: true}},
	} {
		rs := parse(t, tc.fam, o, tc.rules...)
		if got := rs.Deps(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Deps(%q) = %+v, want %+v", tc.rules, got, tc.want)
		}
	}
}

// A Rule from outside the package may depend on anything.
func TestDepsForeignRule(t *testing.T) {
	rs := resolve.Rules{Family: resolve.V4, List: []resolve.Rule{foreign{}}}
	want := resolve.Deps{Family: resolve.V4, Addrs: true, DefaultRoute: true, Poll: true}
	if got := rs.Deps(); !reflect.DeepEqual(got, want) {
		t.Errorf("Deps = %+v, want %+v", got, want)
	}
}

func TestWatchesInterface(t *testing.T) {
	named := resolve.Deps{Addrs: true, Interfaces: []string{"eth0", "wan"}}
	anyIface := resolve.Deps{Addrs: true}
	none := resolve.Deps{Poll: true}
	for _, tc := range []struct {
		d    resolve.Deps
		name string
		want bool
	}{
		{named, "wan", true}, {named, "eth1", false}, {named, "", true},
		{anyIface, "eth1", true}, {none, "eth0", false},
	} {
		if got := tc.d.WatchesInterface(tc.name); got != tc.want {
			t.Errorf("%+v.WatchesInterface(%q) = %v", tc.d, tc.name, got)
		}
	}
}

type foreign struct{}

func (foreign) Resolve(context.Context) (netip.Addr, error) {
	return netip.Addr{}, resolve.ErrNoAddress
}
func (foreign) String() string { return "foreign" }

package resolve_test

import (
	"context"
	"testing"

	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/resolve"
)

// Benchmarks: the real machine (a UDP socket for `default`, an rtnetlink
// dump for the listing rules) and the fake listing (selection cost only).
//
//	go test -run '^$' -bench . -benchmem ./resolve/

func benchRule(b *testing.B, fam resolve.Family, o resolve.Options, rule string) {
	rs, err := resolve.ParseWith(fam, []string{rule}, o)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := rs.Resolve(ctx); err != nil {
		b.Skipf("%v %q yields nothing on this machine: %v", fam, rule, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.Resolve(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDefaultV4(b *testing.B) { benchRule(b, resolve.V4, resolve.Options{}, "default") }
func BenchmarkDefaultV6(b *testing.B) { benchRule(b, resolve.V6, resolve.Options{}, "default") }

func BenchmarkIndexV4(b *testing.B) { benchRule(b, resolve.V4, resolve.Options{}, "0") }
func BenchmarkIndexV6(b *testing.B) {
	benchRule(b, resolve.V6, resolve.Options{}, "0?ula=true") // CI hosts often have only a ULA
}
func BenchmarkIfaceV4(b *testing.B) {
	benchRule(b, resolve.V4, resolve.Options{}, "iface:"+hostIface(b))
}
func BenchmarkIfaceV6(b *testing.B) {
	benchRule(b, resolve.V6, resolve.Options{}, "iface:"+hostIface(b)+"?ula=true")
}

func BenchmarkIndexFake(b *testing.B) { benchRule(b, resolve.V6, fakeOpts(), "0") }
func BenchmarkIfaceFake(b *testing.B) { benchRule(b, resolve.V6, fakeOpts(), "iface:eth0") }

// hostIface names the interface of the host's first non-loopback IPv4
// address.
func hostIface(b *testing.B) string {
	rs, err := resolve.Parse(resolve.V4, []string{"0"})
	if err != nil {
		b.Fatal(err)
	}
	a, err := rs.Resolve(context.Background())
	if err != nil {
		b.Skipf("no address on this host: %v", err)
	}
	s, err := platform.List(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	for _, x := range s.Addrs {
		if x.Addr() == a {
			return x.Iface
		}
	}
	b.Skip("address not listed")
	return ""
}

package resolve_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"

	"github.com/ddns-go/ddns/resolve"
)

func TestRulesFirstWins(t *testing.T) {
	rs := parse(t, resolve.V6, fakeOpts(), "iface:ppp0", "iface:wan", "iface:eth0", "2001:db8::99")
	got, err := rs.Resolve(context.Background())
	if err != nil || got != netip.MustParseAddr(eth0Stable) {
		t.Errorf("Resolve = %v, %v; want %s", got, err, eth0Stable)
	}
}

func TestRulesAllFail(t *testing.T) {
	rs := parse(t, resolve.V6, fakeOpts(), "iface:ppp0", "iface:wan")
	_, err := rs.Resolve(context.Background())
	if !errors.Is(err, resolve.ErrNoAddress) {
		t.Fatalf("error %v does not wrap ErrNoAddress", err)
	}
	want := `no address: iface:ppp0: no address: interface "ppp0" does not exist; ` +
		`iface:wan: no address: wan has no usable IPv6 address (skipped ` + wanTemp + ` on wan: temporary, allow with temporary=true)`
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
}

func TestRulesDisabledAndEmpty(t *testing.T) {
	rs := parse(t, resolve.V4, resolve.Options{}, "false")
	if _, err := rs.Resolve(context.Background()); err == nil || err.Error() != "IPv4 is disabled" {
		t.Errorf("disabled: %v", err)
	}
	rs = parse(t, resolve.V6, resolve.Options{})
	if _, err := rs.Resolve(context.Background()); !errors.Is(err, resolve.ErrNoAddress) {
		t.Errorf("empty: %v", err)
	}
}

func TestRulesStopOnCancel(t *testing.T) {
	calls := 0
	o := fakeOpts()
	rs := parse(t, resolve.V4, o, "iface:ppp0", "iface:eth0")
	rs.List = append([]resolve.Rule{cancelling{&calls}}, rs.List...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx = context.WithValue(ctx, cancelKey{}, cancel)
	if _, err := rs.Resolve(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v; want context.Canceled", err)
	}
	if calls != 1 {
		t.Errorf("%d calls", calls)
	}
}

type cancelKey struct{}

// cancelling cancels the context it is given, as a shutdown would.
type cancelling struct{ calls *int }

func (c cancelling) Resolve(ctx context.Context) (netip.Addr, error) {
	*c.calls++
	ctx.Value(cancelKey{}).(context.CancelFunc)()
	return netip.Addr{}, ctx.Err()
}
func (cancelling) String() string { return "cancelling" }

func TestFirstAddr(t *testing.T) {
	for _, tc := range []struct {
		fam  resolve.Family
		text string
		want string
	}{
		{resolve.V4, "your ip is 1.2.3.4 and 5.6.7.8", "1.2.3.4"},
		{resolve.V4, "999.1.1.1", ""},
		{resolve.V4, "1.2.3.45678", ""},
		{resolve.V4, "10.0.0.1/24", "10.0.0.1"},
		{resolve.V6, "addr 2001:db8::1 end", "2001:db8::1"},
		{resolve.V6, "fe80::1%eth0 x", "fe80::1"},
		{resolve.V6, "12:34:56", ""},
		{resolve.V6, "1.2.3.4", ""},
	} {
		got, ok := resolve.FirstAddr(tc.fam, tc.text)
		if (tc.want == "" && ok) || (tc.want != "" && got.String() != tc.want) {
			t.Errorf("FirstAddr(%v, %q) = %v, %v; want %q", tc.fam, tc.text, got, ok, tc.want)
		}
	}
}

package watch_test

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/ddns-go/ddns/platform"
	"github.com/ddns-go/ddns/resolve"
	"github.com/ddns-go/ddns/watch"
)

// closer is a provider transport that records which connections the
// reactor asks it to drop.
type closer struct{ calls chan string }

func (c *closer) RoundTrip(*http.Request) (*http.Response, error) { panic("not used") }

func (c *closer) CloseIdleConnections() { c.add("idle") }

func (c *closer) CloseConnsFrom(a netip.Addr) { c.add("from " + a.String()) }

func (c *closer) add(s string) { c.calls <- s }

// TestEventsDropOnlyBrokenConns: an added address keeps the provider's
// connections (the next publish needs no new handshake); a removed one
// closes the connections from it, whichever interface it was on; a link
// or default-route change closes the idle ones.
func TestEventsDropOnlyBrokenConns(t *testing.T) {
	m := &machine{}
	m.set("192.0.2.1")
	rules, err := resolve.ParseWith(resolve.V4, []string{"iface:eth0"}, resolve.Options{Lister: m})
	if err != nil {
		t.Fatal(err)
	}
	p := &provider{sets: make(chan string, 100)}
	c := &closer{calls: make(chan string, 100)}
	target := &watch.Target{Provider: "fake", Publisher: p, HTTP: &http.Client{Transport: c}, Log: zerolog.Nop(),
		Families: []watch.Family{{Rules: rules, Domains: []string{"home.example.com"}}}}
	src := &source{ch: make(chan platform.Event)}
	syncs := make(chan watch.Outcome, 100)
	r := watch.New(watch.Options{Source: src, Log: zerolog.Nop(), Synced: func(o watch.Outcome) { syncs <- o }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx, []*watch.Target{target}) }()
	defer func() { cancel(); <-done }()
	g := &rig{p: p, syncs: syncs}
	g.expect(t, "home.example.com 192.0.2.1")
	g.waitSync(t)

	addr := func(iface, a string, deleted bool) platform.Event {
		return platform.Event{Kind: platform.AddrChanged, Iface: iface, Addr: netip.MustParseAddr(a), Deleted: deleted}
	}
	events := []platform.Event{
		addr("eth0", "192.0.2.2", false), // added: nothing to drop
		addr("eth0", "192.0.2.1", true),
		addr("wan0", "198.51.100.7", true), // a rule need not watch it
		{Kind: platform.LinkChanged, Iface: "eth0"},
		{Kind: platform.RouteChanged, Iface: "wan0", Addr: netip.IPv4Unspecified()},
		{Kind: platform.Resync, Reason: "test"},
	}
	want := []string{"from 192.0.2.1", "from 198.51.100.7", "idle", "idle", "idle"}
	for _, ev := range events {
		src.ch <- ev
	}
	// The loop handles events in order: once the last one's call is in,
	// every earlier one has made its calls too.
	var got []string
	deadline := time.After(5 * time.Second)
	for len(got) < len(want) {
		select {
		case s := <-c.calls:
			got = append(got, s)
		case <-deadline:
			t.Fatalf("calls %q, want %q", got, want)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls %q, want %q", got, want)
	}
}

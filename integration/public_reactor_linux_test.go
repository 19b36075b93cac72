package integration

import (
	"testing"
	"time"

	"github.com/ddns-go/ddns/resolve/dnstest"
)

// dnsIn starts a loopback DNS server inside the namespace (its sockets
// belong to the namespace of the thread that opened them).
func dnsIn(t *testing.T, n *netNS, answers map[string]dnstest.Answer) *dnstest.Server {
	t.Helper()
	s := inNS(t, n, func() (*dnstest.Server, error) { return dnstest.New(answers) })
	t.Cleanup(s.Close)
	return s
}

// TestReactorPublic: `public` is polled, but a default-route change or an
// address change (a PPPoE reconnect) re-evaluates it at once.
func TestReactorPublic(t *testing.T) {
	n := newNetNS(t)
	hook := newHookServer(t, n)
	s := dnsIn(t, n, map[string]dnstest.Answer{"a.test": {Text: "81.2.69.142"}, "b.test": {Text: "81.2.69.142"}})
	dir := t.TempDir()
	a := hook.agent(t, n, dir, "public", "--public-source", "dns:a.test@"+s.Addr.String(), "--public-source", "dns:b.test@"+s.Addr.String(),
		"--debounce", "0.3", "--interval", "60")
	a.waitLog(t, "sync: start", 10*time.Second)
	if got := hook.next(t, 10*time.Second); got != "home.example.com 81.2.69.142" {
		t.Fatalf("first update %q", got)
	}
	// The public address moves; nothing local happened yet, so nothing
	// is asked until the next event (the poll is an hour away).
	s.Set("a.test", dnstest.Answer{Text: "81.2.69.160"})
	s.Set("b.test", dnstest.Answer{Text: "81.2.69.160"})
	hook.none(t, settle)

	n.ip(t, "addr add 192.0.2.10/24 dev veth0")
	n.ip(t, "route add default via 192.0.2.1 dev veth0")
	if got := hook.next(t, 5*time.Second); got != "home.example.com 81.2.69.160" {
		t.Fatalf("after a default route appeared: update %q", got)
	}

	// A reconnect: the address on the route's interface changes.
	s.Set("a.test", dnstest.Answer{Text: "81.2.69.170"})
	s.Set("b.test", dnstest.Answer{Text: "81.2.69.170"})
	n.ip(t, "addr add 192.0.2.11/24 dev veth0")
	if got := hook.next(t, 5*time.Second); got != "home.example.com 81.2.69.170" {
		t.Fatalf("after an address change: update %q", got)
	}

	// The sources split: nothing is published, the record stays.
	s.Set("b.test", dnstest.Answer{Text: "81.2.69.180"})
	n.ip(t, "route del default")
	a.waitLog(t, "the sources disagree", 5*time.Second)
	hook.none(t, settle)
}

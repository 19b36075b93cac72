package publishtest

import (
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/ddns-go/ddns/publish"
)

// Holds returns s with Values and Delete from its fake's lookup (see
// Held): find returns the records of typ at a name, value the address
// one holds, del deletes one.
func Holds[R any](s Service, find func(fqdn, typ string) []R, value func(R) string, del func(R)) Service {
	s.Values, s.Delete = Held(find, value, func(_ string, r R) { del(r) })
	return s
}

// Zoned returns s for a fake that files records by zone and sub-domain
// ("@" for the apex): AddZone notes each zone and adds it with add, and
// find and del (see Held) get a name as the longest zone noted holding it
// and the sub-domain in that zone.
func Zoned[R any](s Service, add func(zone string), find func(zone, sub, typ string) []R, value func(R) string, del func(zone string, r R)) Service {
	zones := &Zones{}
	s.AddZone = func(name string) { zones.Add(name); add(name) }
	s.Values, s.Delete = Held(func(fqdn, typ string) []R {
		zone, sub := zones.Split(fqdn)
		return find(zone, sub, typ)
	}, value, func(fqdn string, r R) {
		zone, _ := zones.Split(fqdn)
		del(zone, r)
	})
	return s
}

// Rec is the record of addr at domain: A for an IPv4 address, AAAA for
// an IPv6 one, with the extra parameters given.
func Rec(domain, addr string, extra ...publish.KV) publish.Record {
	a := netip.MustParseAddr(addr)
	typ := "A"
	if a.Is6() {
		typ = "AAAA"
	}
	return publish.Record{Domain: domain, Type: typ, Addr: a, Extra: extra}
}

// With is r changed by fs, in order: a table row's record with a TTL or
// a line.
func With(r publish.Record, fs ...func(*publish.Record)) publish.Record {
	for _, f := range fs {
		f(&r)
	}
	return r
}

// Zones is the list of zones a Service added, for fakes that file records
// by zone and sub-domain.
type Zones struct {
	mu    sync.Mutex
	names []string
}

// Add notes a zone.
func (z *Zones) Add(name string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	z.names = append(z.names, name)
}

// Split returns the longest noted zone holding fqdn and the sub-domain in
// it, "@" for the apex; ("", fqdn) when none holds it.
func (z *Zones) Split(fqdn string) (zone, sub string) {
	z.mu.Lock()
	defer z.mu.Unlock()
	for _, n := range z.names {
		if (fqdn == n || strings.HasSuffix(fqdn, "."+n)) && len(n) > len(zone) {
			zone = n
		}
	}
	if zone == "" {
		return "", fqdn
	}
	if sub = strings.TrimSuffix(strings.TrimSuffix(fqdn, zone), "."); sub == "" {
		sub = "@"
	}
	return zone, sub
}

// Held builds a Service's Values and Delete from a fake's lookup: find
// returns the records of typ at fqdn, value the address one holds, del
// deletes one found at fqdn.
func Held[R any](find func(fqdn, typ string) []R, value func(R) string, del func(fqdn string, r R)) (values func(fqdn, typ string) []string, delete func(fqdn, typ string)) {
	values = func(fqdn, typ string) []string {
		var out []string
		for _, r := range find(fqdn, typ) {
			out = append(out, value(r))
		}
		return out
	}
	delete = func(fqdn, typ string) {
		for _, r := range find(fqdn, typ) {
			del(fqdn, r)
		}
	}
	return values, delete
}

// Only returns the one record of recs, which must hold want (value says
// what a record holds), or ends the test.
func Only[R any](t *testing.T, recs []R, value func(R) string, want string) R {
	t.Helper()
	if len(recs) != 1 || value(recs[0]) != want {
		t.Fatalf("records %+v, want one holding %s", recs, want)
	}
	return recs[0]
}

package edgeonefake

import (
	"strings"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service: the edgeone_dns provider, DNS records.
func Service() publishtest.Service {
	const id, key = "AKIDkitEdgeOne0123456789abcdef", "kit-edgeone-secret-0a1b2c3d4e5f"
	f := New(id, key)
	s := publishtest.Service{
		Provider: "edgeone_dns", ID: id, Token: key, BadToken: "kit-edgeone-secret-WRONG-9f8e7d",
		Fake: f, AddZone: func(name string) { f.AddZone(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []DNSRecord {
		var out []DNSRecord
		for _, r := range f.DNSRecords() {
			if r.Name == fqdn && r.Type == typ {
				out = append(out, r)
			}
		}
		return out
	}, func(r DNSRecord) string { return r.Content }, func(_ string, r DNSRecord) { f.DeleteDNSRecord(r.ID) })
	return s
}

// AccelerationService returns a new fake with an empty account for the
// edgeone provider, which publishes acceleration domains: the address is
// the domain's origin, and a change reads the domain before modifying it
// (a modify without the backup origin would remove it). A domain has one
// origin, so its A and AAAA publishes replace each other: the kit's suite,
// which keeps both, does not apply; the binary's table test uses it.
func AccelerationService() publishtest.Service {
	s := Service()
	f := s.Fake.(*Fake)
	s.Provider, s.ChangeCalls = "edgeone", 2
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []Domain {
		var out []Domain
		for _, d := range f.Domains() {
			if d.Name == fqdn && strings.Contains(d.Origin, ":") == (typ == "AAAA") {
				out = append(out, d)
			}
		}
		return out
	}, func(d Domain) string { return d.Origin }, func(_ string, d Domain) { f.DeleteDomain(d.Name) })
	return s
}

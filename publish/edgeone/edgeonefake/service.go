package edgeonefake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service: the edgeone_dns provider, DNS records.
func Service() publishtest.Service {
	const id, key = "AKIDkitEdgeOne0123456789abcdef", "kit-edgeone-secret-0a1b2c3d4e5f"
	f := New(id, key)
	return publishtest.Holds(publishtest.Service{Provider: "edgeone_dns", ID: id, Token: key, BadToken: "kit-edgeone-secret-WRONG-9f8e7d", Fake: f, ChangeCalls: 1,
		AddZone: func(name string) { f.AddZone(name) }}, f.FindDNSRecords, func(r DNSRecord) string { return r.Content }, func(r DNSRecord) { f.DeleteDNSRecord(r.ID) })
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
	return publishtest.Holds(s, f.FindDomains, func(d Domain) string { return d.Origin }, func(d Domain) { f.DeleteDomain(d.Name) })
}

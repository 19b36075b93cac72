package namesilofake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const key = "kit-namesilo-key-0123456789abcdef"
	f := New(key)
	var zones publishtest.Zones
	s := publishtest.Service{
		Provider: "namesilo", Token: key, BadToken: "kit-namesilo-key-WRONG-456789abcd",
		Fake: f, AddZone: func(name string) { zones.Add(name); f.AddDomain(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []Record {
		zone, sub := zones.Split(fqdn)
		return f.Records(zone, sub, typ)
	}, func(r Record) string { return r.Value }, func(fqdn string, r Record) {
		zone, _ := zones.Split(fqdn)
		f.DeleteRecord(zone, r.ID)
	})
	return s
}

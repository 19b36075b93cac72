package alidnsfake

import "github.com/ddns-go/ddns/publish/publishtest"

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, secret = "LTAI5tKitAlidns", "kit-alidns-secret-0a1b2c3d4e"
	f := New(id, secret)
	var zones publishtest.Zones
	s := publishtest.Service{
		Provider: "alidns", ID: id, Token: secret, BadToken: "kit-alidns-secret-WRONG-9f8e",
		Fake: f, AddZone: func(name string) { zones.Add(name); f.AddZone(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []Record {
		zone, rr := zones.Split(fqdn)
		return f.Find(zone, rr, typ)
	}, func(r Record) string { return r.Value }, func(_ string, r Record) { f.DeleteRecord(r.ID) })
	return s
}

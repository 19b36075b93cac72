package cloudnsfake

import (
	"strconv"

	"github.com/ddns-go/ddns/publish/publishtest"
)

// Service returns a new fake with an empty account, seen as the provider
// test kit sees every service.
func Service() publishtest.Service {
	const id, password = "4242", "kit-cloudns-password-0a1b2c"
	f := New(id, password)
	var zones publishtest.Zones
	s := publishtest.Service{
		Provider: "cloudns", ID: id, Token: password, BadToken: "kit-cloudns-password-WRONG9",
		Fake: f, AddZone: func(name string) { zones.Add(name); f.AddZone(name) },
		ChangeCalls: 1,
	}
	s.Values, s.Delete = publishtest.Held(func(fqdn, typ string) []Record {
		zone, host := zones.Split(fqdn)
		if host == "@" {
			host = ""
		}
		return f.Records(zone, host, typ)
	}, func(r Record) string { return r.Value }, func(fqdn string, r Record) {
		zone, _ := zones.Split(fqdn)
		f.DeleteRecord(zone, strconv.Itoa(r.ID))
	})
	return s
}
